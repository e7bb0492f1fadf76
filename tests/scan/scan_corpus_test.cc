// Every APK of the shared corpus scans to completion, and its reports hold: 31 items, the APK's
// SHA-256 and signers as sha256sum and apksigner give them, JSON that parses, SARIF valid against
// the official 2.1.0 schema (Debian's python3-jsonschema).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "scan_fixture.h"

namespace piaudit::testing {
namespace {

constexpr char kSarifSchema[] = PIAUDIT_SOURCE_DIR "/../shared/schemas/sarif-schema-2.1.0.json";

// The report names the APK (sha256sum) and its signing certificates as apksigner does: one
// "Signer #N certificate SHA-256 digest" per signer, verified when apksigner verifies the APK.
void ExpectProvenanceAsReferenceToolsSay(const std::string& apk, const nlohmann::json& app) {
  auto sum = RunCommand("sha256sum " + ShellQuote(apk));
  ASSERT_EQ(sum.exit_code, 0);
  EXPECT_EQ(app["apk_sha256"], sum.out.substr(0, 64));
  auto signer = RunCommand("apksigner verify --print-certs " + ShellQuote(apk) + " 2>/dev/null");
  if (signer.exit_code != 0) return;  // apksigner names no certificate it does not verify
  std::set<std::string> expected;
  const std::string marker = "certificate SHA-256 digest: ";
  for (size_t at = signer.out.find(marker); at != std::string::npos;
       at = signer.out.find(marker, at + 1)) {
    expected.insert(signer.out.substr(at + marker.size(), 64));
  }
  std::set<std::string> reported;
  for (const nlohmann::json& s : app["signers"]) {
    reported.insert(s["sha256"].get<std::string>());
    EXPECT_TRUE(s["verified"].get<bool>()) << s.dump();
  }
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(reported, expected);
}

TEST(ScanCorpusTest, EveryCorpusApkScansAndItsReportsValidate) {
  auto apks = CorpusApks();
  if (apks.empty()) GTEST_SKIP() << "corpus not found at " << PIAUDIT_CORPUS_DIR;
  const bool have_schema = std::filesystem::exists(kSarifSchema);
  const std::string bin = PIAUDIT_BINARY_DIR "/tools/piaudit/piaudit";
  int scanned = 0;
  for (const std::string& apk : apks) {
    SCOPED_TRACE(apk);
    std::string out = MakeTempDir("corpus-scan");
    auto r = RunCommand(bin + " scan " + ShellQuote(apk) + " -o " + ShellQuote(out) +
                        " --fail-on never");
    // Unreadable exactly when Android's own tooling cannot read it either (CertChain.apk has no
    // manifest; Invalid.apk, despite its name, is a well-formed APK that aapt reads).
    const bool aapt_reads =
        RunCommand("aapt dump badging " + ShellQuote(apk) + " >/dev/null").exit_code == 0;
    EXPECT_EQ(r.exit_code, aapt_reads ? 0 : 3) << r.out;
    ++scanned;
    if (!aapt_reads) {
      // A scan that fails writes no verdicts (issue 13: "a file that is not an APK exits 3 but
      // still writes three reports").
      EXPECT_FALSE(std::filesystem::exists(out + "/report.json")) << "verdicts for a non-APK";
      continue;
    }
    auto json = ReadFile(out + "/report.json");
    ASSERT_TRUE(json.ok()) << "no report.json for " << apk;
    auto doc = nlohmann::json::parse(*json, nullptr, false);
    ASSERT_FALSE(doc.is_discarded());
    EXPECT_EQ(doc["items"].size(), 31u);
    ExpectProvenanceAsReferenceToolsSay(apk, doc["app"]);
    if (have_schema) {
      auto v = RunCommand("/usr/bin/python3 -c " +
                          ShellQuote("import json,sys,jsonschema\n"
                                     "s=json.load(open(sys.argv[1]))\n"
                                     "d=json.load(open(sys.argv[2]))\n"
                                     "jsonschema.Draft7Validator(s).validate(d)\n") +
                          " " + ShellQuote(kSarifSchema) + " " + ShellQuote(out + "/report.sarif"));
      EXPECT_EQ(v.exit_code, 0) << v.out;
    }
  }
  EXPECT_EQ(scanned, static_cast<int>(apks.size()));
}

}  // namespace
}  // namespace piaudit::testing
