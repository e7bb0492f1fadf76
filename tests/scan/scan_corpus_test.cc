// Every APK of the shared corpus scans to completion, and its reports hold: 31 items, JSON that
// parses, SARIF valid against the official 2.1.0 schema (Debian's python3-jsonschema).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "scan_fixture.h"

namespace piaudit::testing {
namespace {

constexpr char kSarifSchema[] = PIAUDIT_SOURCE_DIR "/../shared/schemas/sarif-schema-2.1.0.json";

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
