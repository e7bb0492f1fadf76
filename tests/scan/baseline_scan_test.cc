// A release gate end to end, through the real `piaudit` binary on a corpus APK with violations:
// finding ids equal across two scans and distinct within one; --write-baseline then a filled-in
// baseline turns exit 1 into 0 while every accepted finding stays in report.json, report.sarif
// (external suppression, schema-valid) and report.html with its reason; stale and expired entries
// are reported; `judge --baseline` does the same from an evidence record; --fail-on per item; a
// hostile baseline is exit 3 naming the file, a bad --fail-on exit 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "support/apk_fixture.h"

namespace piaudit::testing {
namespace {

using nlohmann::json;

constexpr char kBin[] = PIAUDIT_BINARY_DIR "/tools/piaudit/piaudit";
constexpr char kSarifSchema[] = PIAUDIT_SOURCE_DIR "/../shared/schemas/sarif-schema-2.1.0.json";

// A corpus APK with likely violations and no policy, so the gate has something to accept.
std::string GateApk() {
  for (const std::string& apk : CorpusApks()) {
    if (apk.ends_with("com.politedroid_4.apk")) return apk;
  }
  return "";
}

CommandResult Piaudit(const std::string& args) {
  // A fixed date, so expiry is decided the same way every day the test runs.
  return RunCommand("SOURCE_DATE_EPOCH=1765000000 " + std::string(kBin) + " " + args);
}

json ReadJson(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  EXPECT_TRUE(text.ok()) << path;
  return text.ok() ? json::parse(*text, nullptr, false) : json();
}

// id -> finding, for the open findings of a report.
std::map<std::string, json> OpenFindings(const json& report) {
  std::map<std::string, json> out;
  for (const json& item : report["items"]) {
    for (const json& f : item["findings"]) {
      const std::string v = f["verdict"];
      if (v == "violation" || v == "needs-dynamic" || v == "needs-manual") out[f["id"]] = f;
    }
  }
  return out;
}

class BaselineScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kBin)) GTEST_SKIP() << "piaudit not built at " << kBin;
    apk_ = GateApk();
    if (apk_.empty()) GTEST_SKIP() << "corpus APK com.politedroid_4.apk not found";
    dir_ = MakeTempDir("baseline-scan");
  }
  std::string Scan(const std::string& out, const std::string& extra, int* exit_code) {
    CommandResult r =
        Piaudit("scan " + ShellQuote(apk_) + " -o " + ShellQuote(dir_ + "/" + out) + " " + extra);
    *exit_code = r.exit_code;
    return r.out;
  }
  std::string apk_, dir_;
};

TEST_F(BaselineScanTest, IdsAreStableAcrossScansAndDistinct) {
  int rc = 0;
  Scan("a", "", &rc);
  Scan("b", "", &rc);
  const json a = ReadJson(dir_ + "/a/report.json"), b = ReadJson(dir_ + "/b/report.json");
  std::vector<std::string> ids_a, ids_b;
  std::set<std::string> keys;
  for (const json& item : a["items"]) {
    for (const json& f : item["findings"]) {
      ids_a.push_back(f["id"]);
      keys.insert(item["id"].get<std::string>() + "|" + f["owner"].get<std::string>() + "|" +
                  f["subject"].get<std::string>());
      EXPECT_TRUE(f["suppression"].is_null());
    }
  }
  for (const json& item : b["items"]) {
    for (const json& f : item["findings"]) ids_b.push_back(f["id"]);
  }
  EXPECT_EQ(ids_a, ids_b);
  EXPECT_EQ(std::set<std::string>(ids_a.begin(), ids_a.end()).size(), keys.size());
  EXPECT_TRUE(a["baseline"].is_null());
  EXPECT_EQ(a["summary"]["suppressed"], 0);
}

TEST_F(BaselineScanTest, AcceptedFindingsStayInEveryFormatAndNoLongerFailTheGate) {
  int rc = 0;
  const std::string written = dir_ + "/gate.yaml";
  Scan("first", "--write-baseline " + ShellQuote(written), &rc);
  EXPECT_EQ(rc, 1);  // likely violations, nothing accepted yet
  const std::map<std::string, json> open = OpenFindings(ReadJson(dir_ + "/first/report.json"));
  ASSERT_FALSE(open.empty());

  // The written file is refused until its TODOs are replaced.
  std::string out = Scan("todo", "--baseline " + ShellQuote(written), &rc);
  EXPECT_EQ(rc, 3) << out;
  EXPECT_NE(out.find("gate.yaml: line"), std::string::npos) << out;
  EXPECT_NE(out.find("justification is required"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/todo/report.json")) << "reports before refusing";

  // Accept every open finding; add one stale and one expired entry.
  Result<std::string> text = ReadFile(written);
  ASSERT_TRUE(text.ok());
  std::string yaml = *text;
  const std::string reason = "accepted for 1.3: policy on the website <b>&</b>";
  for (size_t at; (at = yaml.find("justification: \"TODO\"")) != std::string::npos;) {
    yaml.replace(at, 21, "justification: \"" + reason + "\"");
  }
  for (size_t at; (at = yaml.find("by: \"TODO\"")) != std::string::npos;) {
    yaml.replace(at, 10, "by: release-team");
  }
  yaml +=
      "  - id: 0123456789abcdef\n    justification: a finding since fixed\n    by: bob\n"
      "    date: 2025-01-01\n"
      "  - item: IM-6.4\n    subject: never-matches\n    justification: temporary\n"
      "    by: bob\n    date: 2025-01-01\n    expires: 2025-06-01\n";
  ASSERT_TRUE(WriteFile(written, yaml).ok());
  out = Scan("accepted", "--baseline " + ShellQuote(written), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("stale: line"), std::string::npos) << out;
  EXPECT_NE(out.find("expired: line"), std::string::npos) << out;

  const json report = ReadJson(dir_ + "/accepted/report.json");
  const std::map<std::string, json> after = OpenFindings(report);
  EXPECT_EQ(after.size(), open.size());  // nothing hidden
  for (const auto& [id, f] : after) {
    ASSERT_TRUE(f["suppression"].is_object()) << id;
    EXPECT_EQ(f["suppression"]["justification"], reason);
    EXPECT_EQ(f["suppression"]["by"], "release-team");
  }
  EXPECT_EQ(report["summary"]["suppressed"], static_cast<int>(open.size()));
  EXPECT_EQ(report["baseline"]["stale"].size(), 1u);
  EXPECT_EQ(report["baseline"]["stale"][0]["id"], "0123456789abcdef");
  EXPECT_EQ(report["baseline"]["expired"].size(), 1u);

  const json sarif = ReadJson(dir_ + "/accepted/report.sarif");
  size_t suppressed_results = 0;
  for (const json& r : sarif["runs"][0]["results"]) {
    ASSERT_TRUE(r.contains("suppressions")) << r.dump();
    EXPECT_EQ(r["suppressions"][0]["kind"], "external");
    EXPECT_EQ(r["suppressions"][0]["justification"], reason);
    EXPECT_TRUE(after.count(r["fingerprints"]["piauditFindingId/v1"]));
    ++suppressed_results;
  }
  EXPECT_EQ(suppressed_results, open.size());
  if (std::filesystem::exists(kSarifSchema)) {
    CommandResult v = RunCommand(
        "/usr/bin/python3 -c " +
        ShellQuote("import json,sys,jsonschema\n"
                   "jsonschema.Draft7Validator(json.load(open(sys.argv[1])))"
                   ".validate(json.load(open(sys.argv[2])))\n") +
        " " + ShellQuote(kSarifSchema) + " " + ShellQuote(dir_ + "/accepted/report.sarif"));
    EXPECT_EQ(v.exit_code, 0) << v.out;
  }

  Result<std::string> html = ReadFile(dir_ + "/accepted/report.html");
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("policy on the website &lt;b&gt;&amp;&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(html->find(reason), std::string::npos);  // escaped
  for (const auto& [id, f] : after) {
    EXPECT_NE(html->find("suppressed\" id=\"finding-" + id + "\""), std::string::npos) << id;
  }
  // The report's default language is Chinese (data/messages.yaml report.baseline.stale).
  EXPECT_NE(html->find("失效的基线条目（没有对应的结论）"), std::string::npos);

  // judge reads the same baseline against the evidence record.
  Scan("evidence", "--format evidence", &rc);
  CommandResult judge =
      Piaudit("judge " + ShellQuote(dir_ + "/evidence/evidence.json") + " -o " +
              ShellQuote(dir_ + "/judged") + " --baseline " + ShellQuote(written));
  EXPECT_EQ(judge.exit_code, 0) << judge.out;
  EXPECT_EQ(ReadJson(dir_ + "/judged/report.json")["summary"]["suppressed"],
            static_cast<int>(open.size()));
}

TEST_F(BaselineScanTest, FailOnPerItem) {
  int rc = 0;
  Scan("plain", "", &rc);
  EXPECT_EQ(rc, 1);
  std::set<std::string> violating;
  const json plain = ReadJson(dir_ + "/plain/report.json");
  for (const json& item : plain["items"]) {
    if (item["verdict"] == "violation") violating.insert(item["id"]);
  }
  ASSERT_FALSE(violating.empty());
  std::string spec = "likely";
  for (const std::string& id : violating) spec += "," + id + "=never";
  Scan("never", "--fail-on " + spec, &rc);
  EXPECT_EQ(rc, 0);
  // One item back to likely fails again; confirmed does not (they are all likely here).
  const std::string first = *violating.begin();
  std::string one_likely = spec;
  one_likely.replace(one_likely.find(first + "=never"), first.size() + 6, first + "=likely");
  Scan("one", "--fail-on " + one_likely, &rc);
  EXPECT_EQ(rc, 1);
  Scan("confirmed", "--fail-on confirmed", &rc);
  EXPECT_EQ(rc, 0);
  Scan("never-all", "--fail-on never,IM-3.1=likely", &rc);
  EXPECT_EQ(rc, violating.count("IM-3.1") ? 1 : 0);

  for (const char* bad : {"sometimes", "likely,IM-9.9=never", "likely,IM-3.1=maybe",
                          "IM-3.1=never,likely", "likely,", "likely,IM-3.1=never,IM-3.1=likely"}) {
    std::string out = Scan("bad", std::string("--fail-on ") + ShellQuote(bad), &rc);
    EXPECT_EQ(rc, 2) << bad << out;
    EXPECT_NE(out.find("--fail-on"), std::string::npos) << out;
  }
}

TEST_F(BaselineScanTest, HostileBaselineIsBadInputNamingTheFile) {
  int rc = 0;
  const std::string big = dir_ + "/big.yaml";
  ASSERT_TRUE(WriteFile(big, "schema: piaudit.baseline/1\n# " + std::string(5 << 20, 'x')).ok());
  const std::string bad_yaml = dir_ + "/bad.yaml";
  ASSERT_TRUE(WriteFile(bad_yaml, "schema: piaudit.baseline/1\nentries: [ {\n").ok());
  const std::string no_reason = dir_ + "/noreason.yaml";
  ASSERT_TRUE(WriteFile(no_reason,
                        "schema: piaudit.baseline/1\nentries:\n  - item: IM-1.1\n    by: a\n"
                        "    date: 2026-01-01\n")
                  .ok());
  for (const std::string& path : {big, bad_yaml, no_reason, dir_ + "/missing.yaml"}) {
    std::string out = Scan("hostile", "--baseline " + ShellQuote(path), &rc);
    EXPECT_EQ(rc, 3) << path << out;
    EXPECT_NE(out.find(path), std::string::npos) << out;
    EXPECT_NE(out.find("piaudit scan: baseline: "), std::string::npos) << out;
  }
}

}  // namespace
}  // namespace piaudit::testing
