// data/fingerprints/*.fp: the reader accepts what the builder writes and refuses, with file and
// line, what would make attribution ambiguous or unbounded; the bundled tree's references load.
#include "knowledge/sdk_fingerprints.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "knowledge/knowledge_base.h"

namespace piaudit::knowledge {
namespace {

namespace fs = std::filesystem;

constexpr char kGood[] =
    "# comment\n"
    "format: piaudit.fingerprints/1\n"
    "sdk: bugly\n"
    "source: test.apk sha256 00\n"
    "reference_classes: 3\n"
    "class: 00000000000000a1 00000000000000a2\n"
    "class: 00000000000000b1\n";

TEST(SdkFingerprintsTest, RoundTripsWhatTheBuilderWrites) {
  Result<SdkFingerprintSet> set = ParseSdkFingerprints(kGood, "good.fp");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->sdk, "bugly");
  EXPECT_EQ(set->sdk_version, "unknown");
  ASSERT_EQ(set->classes.size(), 2u);
  EXPECT_EQ(set->classes[0][1], 0xa2u);
  Result<SdkFingerprintSet> again =
      ParseSdkFingerprints(FormatSdkFingerprints(*set, "header\nsecond line"), "again.fp");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->classes, set->classes);
  EXPECT_EQ(again->source, set->source);
  EXPECT_EQ(again->reference_classes, 3u);
}

TEST(SdkFingerprintsTest, RefusesBrokenFilesNamingTheLine) {
  struct Case {
    std::string text;
    std::string want;
  } cases[] = {
      {"sdk: x\n", "good.fp:1: the first line must be 'format:"},
      {"format: piaudit.fingerprints/1\nsdk: x\nsource: s\nreference_classes: 1\nclass: 12\n",
       "good.fp:5: '12' is not 16 hex digits"},
      {"format: piaudit.fingerprints/1\nsdk: x\nsource: s\nreference_classes: 1\nclass:\n",
       "good.fp:5: class line without hashes"},
      {"format: piaudit.fingerprints/1\nsdk: x\nsource: s\nreference_classes: 0\n"
       "class: 00000000000000a1\n",
       "reference_classes (0) is smaller"},
      {"format: piaudit.fingerprints/1\nsdk: x\nsource: s\nclass: 00000000000000a1\nsdk: y\n",
       "good.fp:5: 'sdk' after the class lines"},
      {"format: piaudit.fingerprints/1\nsdk: x\nreference_classes: 1\nclass: 00000000000000a1\n",
       "missing 'source:'"},
      {"format: piaudit.fingerprints/1\ncolour: red\n", "good.fp:2: unknown key 'colour'"},
      {"", "empty file"},
  };
  for (const Case& c : cases) {
    Result<SdkFingerprintSet> set = ParseSdkFingerprints(c.text, "good.fp");
    ASSERT_FALSE(set.ok()) << c.text;
    EXPECT_NE(set.status().ToString().find(c.want), std::string::npos)
        << set.status().ToString() << "\nwanted: " << c.want;
  }
}

TEST(SdkFingerprintsTest, AHashMayNameOneSdkOnly) {
  SdkFingerprints index;
  Result<SdkFingerprintSet> a = ParseSdkFingerprints(kGood, "a.fp");
  ASSERT_TRUE(a.ok());
  SdkFingerprintSet b = *a;
  b.sdk = "umeng";
  b.where = {"b.fp", 1};
  ASSERT_TRUE(index.Add(std::move(a).value()).ok());
  Status s = index.Add(std::move(b));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("also in the reference of 'bugly'"), std::string::npos)
      << s.ToString();
  ASSERT_NE(index.Find(0xb1), nullptr);
  EXPECT_EQ(index.Find(0xb1)->klass, 1u);
  EXPECT_EQ(index.Find(0xc1), nullptr);
}

TEST(SdkFingerprintsTest, TheLoaderChecksTheSdkIdAndTheBundledReferencesLoad) {
  auto bundled = KnowledgeBase::Load(PIAUDIT_DATA_DIR, nullptr);
  ASSERT_TRUE(bundled.ok()) << bundled.status().ToString();
  for (const SdkFingerprintSet& set : bundled->sdk_fingerprints().sets())
    EXPECT_NE(bundled->FindSdk(set.sdk), nullptr) << set.sdk;

  const fs::path dir = fs::temp_directory_path() / "piaudit_fp_kb_test";
  fs::remove_all(dir);
  fs::copy(PIAUDIT_DATA_DIR, dir, fs::copy_options::recursive);
  fs::create_directories(dir / "fingerprints");
  std::ofstream(dir / "fingerprints" / "zz.fp")
      << "format: piaudit.fingerprints/1\nsdk: no-such-sdk\nsource: s\nreference_classes: 1\n"
         "class: 00000000000000a1\n";
  Diagnostics diags;
  auto kb = KnowledgeBase::Load(dir.string(), &diags);
  ASSERT_FALSE(kb.ok());
  EXPECT_NE(kb.status().ToString().find("unknown SDK id 'no-such-sdk'"), std::string::npos)
      << kb.status().ToString();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace piaudit::knowledge
