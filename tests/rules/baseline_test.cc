// Baselines (rules/baseline.h): the stable finding id, the strict reader (every refusal names the
// file and line), and what applying one does: open findings marked, never removed; entries that
// match nothing reported stale; expired entries suppress nothing; the written baseline is refused
// until a person replaces its TODOs.
#include "rules/baseline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace piaudit::rules {
namespace {

Finding MakeFinding(std::string item, Verdict v, Strength s, std::string subject) {
  Finding f;
  f.item_id = std::move(item);
  f.verdict = v;
  f.strength = s;
  f.subject = std::move(subject);
  return f;
}

std::vector<ItemResult> SampleItems() {
  ItemResult a;
  a.id = "IM-2.3";
  a.findings.push_back(
      MakeFinding("IM-2.3", Verdict::kViolation, Strength::kLikely, "android.permission.CAMERA"));
  a.findings.push_back(MakeFinding("IM-2.3", Verdict::kViolation, Strength::kLikely,
                                   "android.permission.READ_CONTACTS"));
  ItemResult b;
  b.id = "IM-1.1";
  b.findings.push_back(MakeFinding("IM-1.1", Verdict::kCompliant, Strength::kNone, ""));
  return {a, b};
}

std::string Entry(const std::string& body) {
  return "schema: piaudit.baseline/1\nentries:\n" + body;
}

std::string ErrorOf(const std::string& text) {
  Result<Baseline> b = ParseBaseline(text, "gate.yaml");
  EXPECT_FALSE(b.ok()) << text;
  return b.ok() ? "" : b.status().ToString();
}

TEST(FindingIdTest, StableShortHexAndDistinctPerSubject) {
  const std::string id = FindingId("IM-2.3", "app", "android.permission.CAMERA");
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(id, FindingId("IM-2.3", "app", "android.permission.CAMERA"));
  EXPECT_NE(id, FindingId("IM-2.3", "app", "android.permission.READ_CONTACTS"));
  EXPECT_NE(id, FindingId("IM-2.3", "com.umeng", "android.permission.CAMERA"));
  EXPECT_NE(id, FindingId("IM-2.4", "app", "android.permission.CAMERA"));
  // A fixed value: changing the derivation would orphan every baseline in use.
  EXPECT_EQ(FindingId("IM-1.1", "app", ""), "187ac1facc9eb742");
}

TEST(BaselineParseTest, ReadsIdAndItemEntries) {
  const std::string camera = FindingId("IM-2.3", "app", "android.permission.CAMERA");
  Result<Baseline> b = ParseBaseline(Entry("  - id: " + camera +
                                           "\n"
                                           "    justification: the scanner feature needs it\n"
                                           "    by: alice\n"
                                           "    date: 2026-11-30\n"
                                           "  - item: IM-1.1\n"
                                           "    justification: policy on the website\n"
                                           "    by: bob\n"
                                           "    date: 2026-11-30\n"
                                           "    expires: 2027-01-01\n"),
                                     "gate.yaml");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_EQ(b->entries.size(), 2u);
  EXPECT_EQ(b->entries[0].id, camera);
  EXPECT_EQ(b->entries[0].line, 3);
  EXPECT_EQ(b->entries[1].id, FindingId("IM-1.1", "app", ""));
  EXPECT_EQ(b->entries[1].expires, "2027-01-01");
  EXPECT_EQ(b->entries[1].line, 7);
}

TEST(BaselineParseTest, RefusesWhatCouldAcceptByMistakeNamingFileAndLine) {
  const std::string ok_tail = "    by: a\n    date: 2026-11-30\n";
  std::string e = ErrorOf(Entry("  - item: IM-1.1\n" + ok_tail));
  EXPECT_NE(e.find("gate.yaml"), std::string::npos) << e;
  EXPECT_NE(e.find("line 3"), std::string::npos) << e;
  EXPECT_NE(e.find("justification is required"), std::string::npos) << e;
  for (const char* placeholder : {"TODO", "todo", "\"\"", "'  '"}) {
    e = ErrorOf(
        Entry("  - item: IM-1.1\n    justification: " + std::string(placeholder) + "\n" + ok_tail));
    EXPECT_NE(e.find("justification is required"), std::string::npos) << placeholder << e;
  }
  e = ErrorOf(Entry("  - item: IM-1.1\n    justfication: typo\n" + ok_tail));
  EXPECT_NE(e.find("unknown key 'justfication'"), std::string::npos) << e;
  EXPECT_NE(e.find("line 4"), std::string::npos) << e;
  e = ErrorOf(Entry("  - item: IM-1.1\n    justification: x\n    by: a\n    date: 2026-02-30\n"));
  EXPECT_NE(e.find("date must be YYYY-MM-DD"), std::string::npos) << e;
  e = ErrorOf(Entry("  - item: IM-9.9\n    justification: x\n" + ok_tail));
  EXPECT_NE(e.find("unknown item"), std::string::npos) << e;
  e = ErrorOf(
      Entry("  - id: 0123456789abcdef\n    item: IM-1.1\n    justification: x\n" + ok_tail));
  EXPECT_NE(e.find("is not the id of IM-1.1|app|"), std::string::npos) << e;
  e = ErrorOf(Entry("  - id: XYZ\n    justification: x\n" + ok_tail));
  EXPECT_NE(e.find("16 lower-case hex"), std::string::npos) << e;
  e = ErrorOf(Entry("  - item: IM-1.1\n    justification: x\n" + ok_tail +
                    "  - item: IM-1.1\n    justification: y\n" + ok_tail));
  EXPECT_NE(e.find("already accepted at line 3"), std::string::npos) << e;
  e = ErrorOf("schema: piaudit.baseline/2\nentries: []\n");
  EXPECT_NE(e.find("schema must be piaudit.baseline/1"), std::string::npos) << e;
  e = ErrorOf("schema: piaudit.baseline/1\nentries:\n  - [unclosed\n");
  EXPECT_NE(e.find("gate.yaml: line"), std::string::npos) << e;
  EXPECT_NE(e.find("YAML"), std::string::npos) << e;
  e = ErrorOf("- just a list\n");
  EXPECT_NE(e.find("a baseline is a mapping"), std::string::npos) << e;
}

TEST(BaselineReadTest, TooLargeIsRefusedBeforeParsing) {
  const std::string path = ::testing::TempDir() + "/big-baseline.yaml";
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::string pad(1024, '#');
    pad.back() = '\n';
    for (int i = 0; i < 8; ++i) std::fwrite(pad.data(), 1, pad.size(), f);
    std::fclose(f);
  }
  Limits limits;
  limits.max_baseline_bytes = 4096;
  Result<Baseline> b = ReadBaseline(path, limits);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(b.status().ToString().find("big-baseline.yaml"), std::string::npos);
}

TEST(BaselineApplyTest, MarksNeverRemovesReportsStaleAndExpired) {
  std::vector<ItemResult> items = SampleItems();
  Result<Baseline> b = ParseBaseline(
      Entry("  - item: IM-2.3\n    subject: android.permission.CAMERA\n"
            "    justification: scanner\n    by: a\n    date: 2026-11-30\n"
            // expired the day before: counts again
            "  - item: IM-2.3\n    subject: android.permission.READ_CONTACTS\n"
            "    justification: old\n    by: a\n    date: 2026-01-01\n    expires: 2026-12-06\n"
            // the finding is compliant: nothing to accept
            "  - item: IM-1.1\n    justification: x\n    by: a\n    date: 2026-11-30\n"
            // a finding that no longer exists
            "  - id: 0123456789abcdef\n    justification: x\n    by: a\n    date: 2026-11-30\n"),
      "gate.yaml");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  BaselineOutcome out = ApplyBaseline(*b, "2026-12-06", items);
  ASSERT_EQ(items[0].findings.size(), 2u);  // nothing removed
  ASSERT_TRUE(items[0].findings[0].suppression.has_value());
  EXPECT_EQ(items[0].findings[0].suppression->justification, "scanner");
  EXPECT_EQ(items[0].findings[0].suppression->baseline_file, "gate.yaml");
  EXPECT_EQ(items[0].findings[0].suppression->line, 3);
  EXPECT_FALSE(items[0].findings[1].suppression.has_value());
  EXPECT_FALSE(items[1].findings[0].suppression.has_value());
  EXPECT_EQ(items[0].verdict, Verdict::kNeedsManual);  // verdicts are left as they were
  EXPECT_EQ(out.suppressed, 1);
  ASSERT_EQ(out.expired.size(), 1u);
  EXPECT_EQ(out.expired[0].subject, "android.permission.READ_CONTACTS");
  ASSERT_EQ(out.stale.size(), 2u);
  EXPECT_EQ(out.stale[0].item, "IM-1.1");
  EXPECT_EQ(out.stale[1].id, "0123456789abcdef");

  // The day before it expires the entry still suppresses.
  std::vector<ItemResult> again = SampleItems();
  out = ApplyBaseline(*b, "2026-12-05", again);
  EXPECT_EQ(out.suppressed, 2);
  EXPECT_TRUE(out.expired.empty());
}

TEST(BaselineWriteTest, WrittenBaselineNeedsAPersonsReason) {
  std::vector<ItemResult> items = SampleItems();
  const std::string yaml = RenderBaselineYaml(items, "2026-12-06");
  EXPECT_NE(yaml.find(FindingId("IM-2.3", "app", "android.permission.CAMERA")), std::string::npos);
  EXPECT_EQ(yaml.find("IM-1.1"), std::string::npos);  // compliant: nothing to accept
  std::string e = ErrorOf(yaml);
  EXPECT_NE(e.find("justification is required"), std::string::npos) << e;

  std::string filled = yaml;
  for (size_t at; (at = filled.find("\"TODO\"")) != std::string::npos;) {
    filled.replace(at, 6, "\"reviewed\"");
  }
  Result<Baseline> b = ParseBaseline(filled, "gate.yaml");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(ApplyBaseline(*b, "2026-12-06", items).suppressed, 2);
  // Rewritten from a suppressed scan, the reasons are kept.
  const std::string rewritten = RenderBaselineYaml(items, "2027-01-01");
  EXPECT_EQ(rewritten.find("TODO\""), std::string::npos);
  EXPECT_TRUE(ParseBaseline(rewritten, "gate.yaml").ok());
}

}  // namespace
}  // namespace piaudit::rules
