// Parity with aapt on the shared corpus: the decoded manifest tree equals `aapt dump xmltree`
// line by line (parsed into records by a normaliser), package/version/sdk/implied permissions and
// per-locale labels equal `aapt dump badging`, and permission names equal `aapt dump permissions`.
// Skips when the corpus or aapt is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "android/arsc.h"
#include "android/axml.h"
#include "android/manifest.h"
#include "base/mapped_file.h"
#include "container/zip_archive.h"
#include "support/apk_fixture.h"

namespace piaudit::android {
namespace {

using piaudit::testing::CorpusApks;
using piaudit::testing::RunCommand;
using piaudit::testing::ShellQuote;

// One line of `aapt dump xmltree`, parsed: indentation depth, kind (N/E/A/C), and the rest split
// into the name and the value as aapt prints it.
struct TreeRecord {
  size_t depth = 0;
  char kind = '?';
  std::string name;
  std::string value;
  bool operator==(const TreeRecord&) const = default;
};

std::vector<TreeRecord> NormalizeTree(const std::string& text) {
  std::vector<TreeRecord> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    size_t spaces = line.find_first_not_of(' ');
    if (spaces == std::string::npos || spaces + 2 >= line.size() || line[spaces + 1] != ':') {
      continue;  // not a record (aapt warnings)
    }
    TreeRecord r;
    r.depth = spaces / 2;
    r.kind = line[spaces];
    std::string rest = line.substr(spaces + 3);
    if (r.kind == 'A' || r.kind == 'N') {
      size_t eq = rest.find('=');
      r.name = rest.substr(0, eq);
      r.value = eq == std::string::npos ? "" : rest.substr(eq + 1);
    } else {
      r.name = rest;
    }
    out.push_back(std::move(r));
  }
  return out;
}

struct Badging {
  std::string package, version_code, version_name;
  std::optional<std::string> sdk, target_sdk;
  std::vector<std::string> implied;  // "name|reason|maxSdk"
  std::map<std::string, std::string> labels;
};

Badging ParseBadging(const std::string& text) {
  Badging b;
  std::istringstream in(text);
  std::string line;
  static const std::regex kPackage(
      R"(^package: name='([^']*)' versionCode='([^']*)' versionName='([^']*)')");
  static const std::regex kImplied(
      R"(^uses-implied-permission: name='([^']*)'(?: maxSdkVersion='(\d+)')? reason='([^']*)')");
  static const std::regex kLabel(R"(^application-label(?:-([^:]+))?:'(.*)'$)");
  static const std::regex kSdk(R"(^sdkVersion:'([^']*)')");
  static const std::regex kTarget(R"(^targetSdkVersion:'([^']*)')");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, kPackage)) {
      b.package = m[1];
      b.version_code = m[2];
      b.version_name = m[3];
    } else if (std::regex_search(line, m, kImplied)) {
      b.implied.push_back(std::string(m[1]) + "|" + std::string(m[3]) + "|" + std::string(m[2]));
    } else if (std::regex_search(line, m, kLabel)) {
      b.labels[m[1].matched ? std::string(m[1]) : ""] = m[2];
    } else if (std::regex_search(line, m, kSdk)) {
      if (!b.sdk) b.sdk = m[1];
    } else if (std::regex_search(line, m, kTarget)) {
      b.target_sdk = m[1];
    }
  }
  return b;
}

// Everything our side needs from one APK.
struct Ours {
  std::unique_ptr<MappedFile> file;
  container::EntryData manifest_bytes, arsc_bytes;
  std::optional<XmlDocument> doc;
  std::optional<ResourceTable> table;
  std::optional<Manifest> manifest;
  Status error;
};

Ours ReadOurs(const std::string& path) {
  Ours o;
  Limits limits;
  Diagnostics diag;
  auto file = MappedFile::Open(path, limits.max_archive_bytes);
  if (!file.ok()) {
    o.error = file.status();
    return o;
  }
  o.file = std::move(file).value();
  auto zip = container::ZipArchive::Open(o.file->bytes(), path, limits, &diag);
  if (!zip.ok()) {
    o.error = zip.status();
    return o;
  }
  const container::ZipEntry* me = zip->Find("AndroidManifest.xml");
  if (me == nullptr) {
    o.error = NotFound("no manifest");
    return o;
  }
  auto md = zip->Read(*me);
  if (!md.ok()) {
    o.error = md.status();
    return o;
  }
  o.manifest_bytes = *md;
  auto doc = ParseAxml(o.manifest_bytes.bytes(), limits, &diag);
  if (!doc.ok()) {
    o.error = doc.status();
    return o;
  }
  o.doc = std::move(doc).value();
  if (const container::ZipEntry* ae = zip->Find("resources.arsc")) {
    auto ad = zip->Read(*ae);
    if (ad.ok()) {
      o.arsc_bytes = *ad;
      auto t = ResourceTable::Parse(o.arsc_bytes.bytes(), limits, &diag);
      if (t.ok()) o.table = std::move(t).value();
    }
  }
  auto m = BuildManifest(*o.doc, o.table ? &*o.table : nullptr, &diag);
  if (!m.ok()) {
    o.error = m.status();
    return o;
  }
  o.manifest = std::move(m).value();
  return o;
}

bool HaveAapt() { return RunCommand("aapt version").exit_code == 0; }

class AaptParityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (CorpusApks().empty()) GTEST_SKIP() << "corpus not found at " << PIAUDIT_CORPUS_DIR;
    if (!HaveAapt()) GTEST_SKIP() << "aapt not installed";
  }
  static bool Skip(const std::string& path) {
    return path.ends_with("/Invalid.apk");  // parity is not asked of the broken APK
  }
};

TEST_F(AaptParityTest, ManifestTreeEqualsAaptXmltree) {
  int compared = 0;
  for (const std::string& apk : CorpusApks()) {
    if (Skip(apk)) continue;
    auto ref = RunCommand("aapt dump xmltree " + ShellQuote(apk) + " AndroidManifest.xml 2>&1");
    Ours ours = ReadOurs(apk);
    if (ref.exit_code != 0) {
      EXPECT_FALSE(ours.error.ok()) << apk << ": aapt failed but we parsed it";
      continue;
    }
    ASSERT_TRUE(ours.error.ok()) << apk << ": " << ours.error.ToString();
    std::vector<TreeRecord> want = NormalizeTree(ref.out);
    std::vector<TreeRecord> got = NormalizeTree(FormatXmlTree(*ours.doc));
    ASSERT_FALSE(want.empty()) << apk;
    ASSERT_EQ(got.size(), want.size()) << apk;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got[i].depth, want[i].depth) << apk << " record " << i;
      EXPECT_EQ(got[i].kind, want[i].kind) << apk << " record " << i;
      EXPECT_EQ(got[i].name, want[i].name) << apk << " record " << i;
      EXPECT_EQ(got[i].value, want[i].value) << apk << " record " << i << " " << want[i].name;
    }
    ++compared;
  }
  EXPECT_GT(compared, 5);
}

TEST_F(AaptParityTest, BadgingFactsEqualAapt) {
  int compared = 0;
  for (const std::string& apk : CorpusApks()) {
    if (Skip(apk)) continue;
    auto ref = RunCommand("aapt dump badging " + ShellQuote(apk) + " 2>/dev/null");
    if (ref.exit_code != 0) continue;
    Badging b = ParseBadging(ref.out);
    Ours ours = ReadOurs(apk);
    ASSERT_TRUE(ours.error.ok()) << apk << ": " << ours.error.ToString();
    const Manifest& m = *ours.manifest;
    EXPECT_EQ(m.package, b.package) << apk;
    EXPECT_EQ(m.version_code ? std::to_string(*m.version_code) : "", b.version_code) << apk;
    EXPECT_EQ(m.version_name, b.version_name) << apk;
    if (b.sdk) {
      ASSERT_TRUE(m.min_sdk.has_value()) << apk;
      EXPECT_EQ(std::to_string(*m.min_sdk), *b.sdk) << apk;
    }
    if (b.target_sdk) {
      ASSERT_TRUE(m.target_sdk.has_value()) << apk;
      EXPECT_EQ(std::to_string(*m.target_sdk), *b.target_sdk) << apk;
    }
    std::vector<std::string> implied;
    for (const ImpliedPermission& p : m.implied_permissions) {
      implied.push_back(p.name + "|" + p.reason + "|" +
                        (p.max_sdk ? std::to_string(*p.max_sdk) : ""));
    }
    EXPECT_EQ(implied, b.implied) << apk;
    EXPECT_EQ(m.application.label.by_locale, b.labels) << apk;
    ++compared;
  }
  EXPECT_GT(compared, 5);
}

TEST_F(AaptParityTest, PermissionNamesEqualAaptPermissions) {
  int compared = 0;
  for (const std::string& apk : CorpusApks()) {
    if (Skip(apk)) continue;
    auto ref = RunCommand("aapt dump permissions " + ShellQuote(apk) + " 2>/dev/null");
    if (ref.exit_code != 0) continue;
    std::vector<std::string> want_uses, want_declared;
    std::istringstream in(ref.out);
    std::string line;
    static const std::regex kUses(R"(^uses-permission(?:-sdk-23)?: name='([^']*)')");
    static const std::regex kDeclared(R"(^permission: (\S+))");
    std::smatch mm;
    while (std::getline(in, line)) {
      if (std::regex_search(line, mm, kUses)) want_uses.push_back(mm[1]);
      if (std::regex_search(line, mm, kDeclared)) want_declared.push_back(mm[1]);
    }
    Ours ours = ReadOurs(apk);
    ASSERT_TRUE(ours.error.ok()) << apk << ": " << ours.error.ToString();
    std::vector<std::string> got_uses, got_declared;
    for (const UsesPermission& p : ours.manifest->uses_permissions) got_uses.push_back(p.name);
    for (const DeclaredPermission& p : ours.manifest->declared_permissions) {
      got_declared.push_back(p.name);
    }
    EXPECT_EQ(got_uses, want_uses) << apk;
    EXPECT_EQ(got_declared, want_declared) << apk;
    ++compared;
  }
  EXPECT_GT(compared, 5);
}

}  // namespace
// Every string resource aapt prints (in any configuration) is listed by EntryIdsOfType, and
// nothing else: the scan reads the app's strings (consent texts, policy URLs) through it.
TEST_F(AaptParityTest, StringEntryIdsEqualAaptResources) {
  int compared = 0;
  for (const std::string& apk : CorpusApks()) {
    if (Skip(apk)) continue;
    auto ref = RunCommand("aapt dump resources " + ShellQuote(apk) + " 2>/dev/null");
    if (ref.exit_code != 0) continue;
    std::set<uint32_t> want;
    std::istringstream in(ref.out);
    std::string line;
    static const std::regex kString(R"(^\s+resource 0x([0-9a-f]{8}) [^ ]+:string/)");
    std::smatch mm;
    while (std::getline(in, line)) {
      if (std::regex_search(line, mm, kString)) {
        want.insert(static_cast<uint32_t>(std::stoul(mm[1], nullptr, 16)));
      }
    }
    Ours ours = ReadOurs(apk);
    if (!ours.error.ok() || !ours.table) continue;  // CertChain.apk: a table but no manifest
    const std::vector<uint32_t> ids = ours.table->EntryIdsOfType("string");
    EXPECT_EQ(std::set<uint32_t>(ids.begin(), ids.end()), want) << apk;
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end())) << apk;
    if (!want.empty()) ++compared;
  }
  EXPECT_GT(compared, 5);
}

}  // namespace piaudit::android
