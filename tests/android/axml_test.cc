// Binary XML reader: well-formed documents from AxmlWriter, the hostile variants Android accepts
// (padded headers and strides, unknown chunks, nameless attributes, no resource map), and the
// ones it must reject without crashing (truncation at every offset, flipped bytes, huge counts).
#include "android/axml.h"

#include <gtest/gtest.h>

#include <string>

#include "android/axml_writer.h"  // tests/android
#include "android/manifest.h"

namespace piaudit::android {
namespace {

using piaudit::testing::AxmlWriter;
constexpr char kA[] = "http://schemas.android.com/apk/res/android";
constexpr uint32_t kName = 0x01010003, kExported = 0x01010010, kVersionCode = 0x0101021b,
                   kMinSdk = 0x0101020c, kTargetSdk = 0x01010270;

std::string SampleManifest(AxmlWriter::Options o = {}, bool nameless = false, int depth = 0) {
  AxmlWriter w(o);
  const std::string name = nameless ? "" : "name";
  w.Register({{name, kName},
              {"exported", kExported},
              {"versionCode", kVersionCode},
              {"minSdkVersion", kMinSdk},
              {"targetSdkVersion", kTargetSdk}});
  w.StartNs("android", kA);
  w.Start("manifest", {{"", "package", 0, 0x03, 0, "com.example.app"},
                       {kA, "versionCode", kVersionCode, 0x10, 7, ""}});
  w.Start("uses-sdk", {{kA, "minSdkVersion", kMinSdk, 0x10, 21, ""},
                       {kA, "targetSdkVersion", kTargetSdk, 0x10, 30, ""}});
  w.End("uses-sdk");
  w.Start("uses-permission", {{kA, name, kName, 0x03, 0, "android.permission.CAMERA"}});
  w.End("uses-permission");
  w.Start("application", {});
  w.Start("activity",
          {{kA, name, kName, 0x03, 0, ".Main"}, {kA, "exported", kExported, 0x12, 0xffffffff, ""}});
  for (int i = 0; i < depth; ++i) w.Start("nest", {});
  for (int i = 0; i < depth; ++i) w.End("nest");
  w.End("activity");
  w.End("application");
  w.End("manifest");
  w.EndNs("android", kA);
  return w.Build();
}

Result<XmlDocument> Parse(const std::string& bytes, Diagnostics* d, const Limits& limits = {}) {
  return ParseAxml(ByteSpan(bytes), limits, d, "AndroidManifest.xml");
}

bool HasDiag(const Diagnostics& d, std::string_view code) {
  for (const Diagnostic& x : d.items()) {
    if (x.code == code) return true;
  }
  return false;
}

void ExpectSampleModel(const XmlDocument& doc) {
  Diagnostics d;
  Result<Manifest> m = BuildManifest(doc, nullptr, &d);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->package, "com.example.app");
  EXPECT_EQ(m->version_code, 7);
  EXPECT_EQ(m->min_sdk, 21);
  EXPECT_EQ(m->target_sdk, 30);
  ASSERT_EQ(m->uses_permissions.size(), 1u);
  EXPECT_EQ(m->uses_permissions[0].name, "android.permission.CAMERA");
  ASSERT_EQ(m->components.size(), 1u);
  EXPECT_EQ(m->components[0].name, "com.example.app.Main");
  EXPECT_TRUE(m->components[0].exported);
  EXPECT_TRUE(m->components[0].exported_attr.has_value());
}

TEST(AxmlTest, ParsesWellFormedUtf16) {
  Diagnostics d;
  auto doc = Parse(SampleManifest(), &d);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_FALSE(doc->utf8_pool);
  ASSERT_NE(doc->RootElement(), nullptr);
  EXPECT_EQ(doc->RootElement()->name, "manifest");
  EXPECT_TRUE(d.items().empty()) << d.items().front().ToString();
  ExpectSampleModel(*doc);
  std::string tree = FormatXmlTree(*doc);
  EXPECT_NE(tree.find("N: android=http://schemas.android.com/apk/res/android\n"), std::string::npos)
      << tree;
  EXPECT_NE(tree.find("  E: manifest (line=2)\n"), std::string::npos) << tree;
  EXPECT_NE(tree.find("    A: android:versionCode(0x0101021b)=(type 0x10)0x7\n"), std::string::npos)
      << tree;
  EXPECT_NE(tree.find("A: package=\"com.example.app\" (Raw: \"com.example.app\")"),
            std::string::npos)
      << tree;
}

TEST(AxmlTest, ParsesUtf8Pool) {
  AxmlWriter::Options o;
  o.utf8 = true;
  Diagnostics d;
  auto doc = Parse(SampleManifest(o), &d);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_TRUE(doc->utf8_pool);
  ExpectSampleModel(*doc);
}

// UTF-8 pools hold whatever bytes the file has. Every string leaves the parser as valid UTF-8:
// a 0xFF byte (the label that once aborted `piaudit info`) becomes U+FFFD, a surrogate pair
// written as two 3-byte sequences (CESU-8, which Android's utf8_to_utf16 reads as the pair) the
// character it encodes, and a lone surrogate U+FFFD per byte of it (the maximal-subpart rule the
// JSON writer uses, so JSON output is what it was when the writer did the replacing).
TEST(AxmlTest, Utf8PoolStringsAreMadeValidUtf8) {
  AxmlWriter::Options o;
  o.utf8 = true;
  AxmlWriter w(o);
  w.Register({{"name", kName}});
  w.Start("manifest", {{"", "package", 0, 0x03, 0,
                        "com.ex\xff"
                        "ample"}});
  w.Start("meta-data",
          {{kA, "name", kName, 0x03, 0, "cesu \xed\xa0\xbd\xed\xb8\x80 lone \xed\xa0\xbd end"}});
  w.End("meta-data");
  w.Start("t\xc0\x80g\xe4\xb8\xad", {});
  w.End("t\xc0\x80g\xe4\xb8\xad");
  w.End("manifest");
  Diagnostics d;
  auto doc = Parse(w.Build(), &d);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const XmlNode& root = *doc->RootElement();
  EXPECT_EQ(root.attributes[0].value.string,
            "com.ex\xef\xbf\xbd"
            "ample");
  EXPECT_EQ(root.attributes[0].raw_value,
            "com.ex\xef\xbf\xbd"
            "ample");
  const XmlNode* meta = doc->ChildElements(root, "meta-data").at(0);
  EXPECT_EQ(meta->attributes[0].value.string,
            "cesu \xf0\x9f\x98\x80 lone \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd end");
  EXPECT_EQ(doc->nodes[root.children.at(1)].name, "t\xef\xbf\xbd\xef\xbf\xbdg\xe4\xb8\xad");
}

TEST(AxmlTest, PaddedNodeHeadersAndAttributeStrideAreFollowed) {
  // Android finds a node's extension at header_size and strides attributes by attributeSize;
  // obfuscators pad both to break readers that assume 16 and 20.
  AxmlWriter::Options o;
  o.node_header_pad = 8;
  o.attr_stride_pad = 12;
  Diagnostics d;
  auto doc = Parse(SampleManifest(o), &d);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ExpectSampleModel(*doc);
}

TEST(AxmlTest, UnknownChunkIsSkippedWithDiagnostic) {
  AxmlWriter::Options o;
  o.unknown_chunk = true;
  Diagnostics d;
  auto doc = Parse(SampleManifest(o), &d);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_TRUE(HasDiag(d, "axml.unknown_chunk"));
  ExpectSampleModel(*doc);
}

TEST(AxmlTest, NamelessAttributesAreNamedByResourceId) {
  Diagnostics d;
  auto doc = Parse(SampleManifest({}, /*nameless=*/true), &d);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const XmlNode* perm = doc->ChildElements(*doc->RootElement(), "uses-permission").at(0);
  ASSERT_EQ(perm->attributes.size(), 1u);
  EXPECT_EQ(perm->attributes[0].name, "");
  EXPECT_EQ(perm->attributes[0].EffectiveName(), "name");
  ExpectSampleModel(*doc);
}

TEST(AxmlTest, MissingResourceMapFallsBackToNames) {
  AxmlWriter::Options o;
  o.omit_resource_map = true;
  Diagnostics d;
  auto doc = Parse(SampleManifest(o), &d);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->RootElement()->attributes[1].resource_id, 0u);
  ExpectSampleModel(*doc);
}

TEST(AxmlTest, InflatedStringCountIsBoundedByTheChunk) {
  for (uint32_t count : {0xffffffffu, 0x40000000u, 1000u}) {
    AxmlWriter::Options o;
    o.string_count_override = count;
    Diagnostics d;
    auto doc = Parse(SampleManifest(o), &d);
    ASSERT_TRUE(doc.ok()) << count << ": " << doc.status().ToString();
    EXPECT_TRUE(HasDiag(d, "axml.string_count_clamped")) << count;
    ExpectSampleModel(*doc);
  }
}

TEST(AxmlTest, HugeCountsAndSizesFailWithLocation) {
  const std::string good = SampleManifest();
  // Document size 0xffffffff: larger than the data.
  std::string bad = good;
  piaudit::testing::SetU32(&bad, 4, 0xffffffff);
  Diagnostics d;
  auto r = Parse(bad, &d);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTruncated);
  EXPECT_EQ(r.status().file(), "AndroidManifest.xml");
  EXPECT_EQ(r.status().offset(), 4u);
  // Every 32-bit word set to 0xffffffff in turn: never a crash; failures carry a location.
  for (size_t at = 0; at + 4 <= good.size(); at += 4) {
    std::string m = good;
    piaudit::testing::SetU32(&m, at, 0xffffffff);
    Diagnostics dd;
    auto rr = Parse(m, &dd);
    if (!rr.ok()) {
      EXPECT_TRUE(rr.status().offset().has_value()) << at << ": " << rr.status().ToString();
      EXPECT_FALSE(rr.status().structure().empty()) << at;
    }
  }
}

TEST(AxmlTest, AttributeCountPastTheNodeIsRejected) {
  std::string bytes = SampleManifest();
  // Find the <manifest> start element: first 0x0102 node; attributeCount is at ext + 12.
  size_t pos = bytes.find(std::string("\x02\x01\x10\x00", 4));
  ASSERT_NE(pos, std::string::npos);
  piaudit::testing::SetU16(&bytes, pos + 16 + 12, 0xffff);
  Diagnostics d;
  auto r = Parse(bytes, &d);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().structure(), "ResXMLTree_attrExt");
  EXPECT_EQ(r.status().offset(), pos + 16);
}

TEST(AxmlTest, TruncationAtEveryOffsetNeverCrashes) {
  const std::string good = SampleManifest();
  for (size_t n = 0; n < good.size(); ++n) {
    // As cut: the header still claims the full size.
    std::string cut = good.substr(0, n);
    Diagnostics d;
    auto r = Parse(cut, &d);
    ASSERT_FALSE(r.ok()) << "prefix " << n << " parsed";
    EXPECT_TRUE(r.status().offset().has_value()) << r.status().ToString();
    // With the document size patched to the cut: the last chunk overruns its parent.
    if (n >= 8) {
      piaudit::testing::SetU32(&cut, 4, static_cast<uint32_t>(n));
      Diagnostics d2;
      auto r2 = Parse(cut, &d2);
      if (!r2.ok()) {
        EXPECT_FALSE(r2.status().structure().empty()) << n;
        EXPECT_TRUE(r2.status().offset().has_value()) << n;
      }
    }
  }
}

TEST(AxmlTest, FlippedBytesNeverCrash) {
  const std::string good = SampleManifest({}, false, 3);
  int failures = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::string m = good;
      m[i] = static_cast<char>(m[i] ^ mask);
      Diagnostics d;
      auto r = Parse(m, &d);
      if (!r.ok()) {
        ++failures;
      } else {
        (void)FormatXmlTree(*r);
        (void)BuildManifest(*r, nullptr, &d);
      }
    }
  }
  EXPECT_GT(failures, 0);  // some flips must be caught (sizes, types)
}

// Android has no depth limit (ResXMLParser walks chunks flat; PackageParser skips unknown
// subtrees), so a manifest nested thousands deep still installs and must still be audited. These
// trees are far deeper than the old max_xml_depth (256), which rejected the whole document.
TEST(AxmlTest, DeepNestingInsideAComponentDoesNotHideTheApp) {
  Diagnostics d;
  auto doc = Parse(SampleManifest({}, false, 10'000), &d);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_TRUE(d.items().empty()) << d.items().front().ToString();
  ExpectSampleModel(*doc);
  // The innermost element sits 10,000 elements below the activity (at depth 3, counting the
  // namespace).
  const XmlNode& innermost = doc->nodes.back();
  EXPECT_EQ(innermost.name, "nest");
  EXPECT_EQ(innermost.depth, 3u + 10'000u);
  // The dump stays linear in the document: indentation stops growing past 128 levels.
  const std::string tree = FormatXmlTree(*doc);
  EXPECT_LT(tree.size(), 4u << 20);
  EXPECT_NE(tree.find(std::string(256, ' ') + "E: nest"), std::string::npos);
  EXPECT_EQ(tree.find(std::string(258, ' ') + "E: nest"), std::string::npos);
}

// <application> after a 10,000-deep junk subtree under <manifest> (and junk inside the application
// before its components): package, permissions and components are all still read. An application
// nested inside the junk is not read, as Android skips unknown elements with their subtrees.
TEST(AxmlTest, ApplicationAfterDeepJunkIsRead) {
  AxmlWriter w;
  w.Register({{"name", kName}, {"exported", kExported}});
  w.StartNs("android", kA);
  w.Start("manifest", {{"", "package", 0, 0x03, 0, "com.example.deep"}});
  for (int i = 0; i < 10'000; ++i) w.Start("junk", {});
  w.Start("application", {});  // hidden inside the junk: not the app's <application>
  w.Start("service", {{kA, "name", kName, 0x03, 0, ".Decoy"}});
  w.End("service");
  w.End("application");
  for (int i = 0; i < 10'000; ++i) w.End("junk");
  w.Start("uses-permission", {{kA, "name", kName, 0x03, 0, "android.permission.CAMERA"}});
  w.End("uses-permission");
  w.Start("application", {});
  for (int i = 0; i < 5'000; ++i) w.Start("junk", {});
  for (int i = 0; i < 5'000; ++i) w.End("junk");
  w.Start("activity", {{kA, "name", kName, 0x03, 0, ".Main"}});
  w.Start("intent-filter", {});
  w.Start("action", {{kA, "name", kName, 0x03, 0, "android.intent.action.MAIN"}});
  w.End("action");
  w.Start("category", {{kA, "name", kName, 0x03, 0, "android.intent.category.LAUNCHER"}});
  w.End("category");
  w.End("intent-filter");
  w.End("activity");
  w.Start("receiver", {{kA, "name", kName, 0x03, 0, ".Boot"}});
  w.End("receiver");
  w.End("application");
  w.End("manifest");
  w.EndNs("android", kA);
  Diagnostics d;
  auto doc = Parse(w.Build(), &d);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  auto m = BuildManifest(*doc, nullptr, &d);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->package, "com.example.deep");
  ASSERT_EQ(m->uses_permissions.size(), 1u);
  EXPECT_EQ(m->uses_permissions[0].name, "android.permission.CAMERA");
  ASSERT_EQ(m->components.size(), 2u);
  EXPECT_EQ(m->components[0].name, "com.example.deep.Main");
  EXPECT_TRUE(m->components[0].exported);
  EXPECT_EQ(m->components[1].name, "com.example.deep.Boot");
  EXPECT_EQ(m->launcher_activity, "com.example.deep.Main");
}

// Namespaces nest too (each opens a scope); 10,000 of them are fine, and the dump still finds the
// prefix of the outermost declaration of a URI.
TEST(AxmlTest, DeepNamespaceNestingIsParsed) {
  AxmlWriter w;
  w.Register({{"name", kName}});
  for (int i = 0; i < 10'000; ++i) w.StartNs("a", kA);
  w.Start("manifest", {{"", "package", 0, 0x03, 0, "com.example.ns"}});
  w.Start("uses-permission", {{kA, "name", kName, 0x03, 0, "android.permission.CAMERA"}});
  w.End("uses-permission");
  w.End("manifest");
  for (int i = 0; i < 10'000; ++i) w.EndNs("a", kA);
  Diagnostics d;
  auto doc = Parse(w.Build(), &d);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  auto m = BuildManifest(*doc, nullptr, &d);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->package, "com.example.ns");
  ASSERT_EQ(m->uses_permissions.size(), 1u);
  const std::string tree = FormatXmlTree(*doc);
  EXPECT_NE(tree.find("A: a:name(0x01010003)=\"android.permission.CAMERA\""), std::string::npos);
  EXPECT_LT(tree.size(), 8u << 20);
}

// What is capped is work, not depth: node chunks, and the decoded bytes (here one 30,000-character
// string referenced by 200 attributes, which would be copied 400 times).
TEST(AxmlTest, WorkIsBoundedNotDepth) {
  Limits nodes;
  nodes.max_xml_nodes = 1'000;
  Diagnostics d;
  auto many = Parse(SampleManifest({}, false, 1'000), &d, nodes);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.status().code(), StatusCode::kLimitExceeded);
  EXPECT_TRUE(Parse(SampleManifest({}, false, 400), &d, nodes).ok());

  const std::string long_value(30'000, 'x');
  AxmlWriter w;
  w.Register({{"name", kName}});
  w.Start("manifest", {{"", "package", 0, 0x03, 0, "com.example.amp"}});
  for (int i = 0; i < 200; ++i) {
    w.Start("meta-data", {{kA, "name", kName, 0x03, 0, long_value}});
    w.End("meta-data");
  }
  w.End("manifest");
  const std::string amplified = w.Build();
  ASSERT_LT(amplified.size(), 200'000u);
  Limits bytes;
  bytes.max_xml_decoded_bytes = 4 << 20;  // the document needs ~12 MB decoded
  auto r = Parse(amplified, &d, bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(r.status().file(), "AndroidManifest.xml");
  EXPECT_NE(r.status().message().find("max_xml_decoded_bytes"), std::string_view::npos);
  EXPECT_TRUE(r.status().offset().has_value());
  EXPECT_TRUE(Parse(amplified, &d).ok());  // the default budget holds it
}

TEST(AxmlTest, EndWithoutStartStopsWithDiagnostic) {
  AxmlWriter w;
  w.Register({{"name", kName}});
  w.End("stray");
  w.Start("manifest", {});
  w.End("manifest");
  Diagnostics d;
  auto r = Parse(w.Build(), &d);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(HasDiag(d, "axml.bad_depth"));
  EXPECT_EQ(r->RootElement(), nullptr);
}

TEST(AxmlTest, NotAManifestRootIsRejectedByTheModel) {
  AxmlWriter w;
  w.Start("LinearLayout", {});
  w.End("LinearLayout");
  Diagnostics d;
  auto doc = Parse(w.Build(), &d);
  ASSERT_TRUE(doc.ok());
  auto m = BuildManifest(*doc, nullptr, &d);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("LinearLayout"), std::string::npos);
}

TEST(ResValueTest, FrameworkAttributeTableMatchesManifestIds) {
  EXPECT_EQ(FrameworkAttributeName(kName), "name");
  EXPECT_EQ(FrameworkAttributeName(kExported), "exported");
  EXPECT_EQ(FrameworkAttributeName(kVersionCode), "versionCode");
  EXPECT_EQ(FrameworkAttributeName(0x01010527), "networkSecurityConfig");
  EXPECT_EQ(FrameworkAttributeName(0x010104ec), "usesCleartextTraffic");
  EXPECT_EQ(FrameworkAttributeId("initOrder"), 0x0101001au);
  EXPECT_FALSE(FrameworkAttributeName(0x7f010000).has_value());
}

TEST(ResValueTest, RendersTypedValues) {
  EXPECT_EQ((Value{ValueType::kIntBoolean, 0xffffffff, ""}).ToString(), "true");
  EXPECT_EQ((Value{ValueType::kIntDec, 0xffffffff, ""}).ToString(), "-1");
  EXPECT_EQ((Value{ValueType::kIntHex, 0x1f, ""}).ToString(), "0x1f");
  EXPECT_EQ((Value{ValueType::kReference, 0x7f010001, ""}).ToString(), "@0x7f010001");
  EXPECT_EQ((Value{ValueType::kIntColorArgb8, 0xff00ff00, ""}).ToString(), "#ff00ff00");
  // 16dp: mantissa 16 << 8, radix 0, unit dip(1).
  EXPECT_EQ((Value{ValueType::kDimension, (16u << 8) | 1, ""}).ToString(), "16dip");
}

}  // namespace
}  // namespace piaudit::android
