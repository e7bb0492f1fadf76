#include "batch/gate.h"

#include <gtest/gtest.h>

#include <string>

namespace piaudit::batch {
namespace {

rules::ItemResult Item(std::string id, rules::Verdict v, rules::Strength s) {
  rules::ItemResult r;
  r.id = std::move(id);
  r.verdict = v;
  r.strength = s;
  return r;
}

constexpr char kGate[] = R"(schema: piaudit.gate/1
block:
  - items: [IM-3.1]
    strength: likely
  - strength: confirmed
review:
  - strength: likely
  - items: [IM-1.1]
    verdicts: [needs-manual]
)";

TEST(GateTest, BlockBeatsReviewAndNamesTheRule) {
  Result<Gate> gate = ParseGate(kGate, "gate.yaml");
  ASSERT_TRUE(gate.ok()) << gate.status().ToString();
  GateDecision d =
      Decide(*gate, {Item("IM-3.1", rules::Verdict::kViolation, rules::Strength::kLikely),
                     Item("IM-2.1", rules::Verdict::kViolation, rules::Strength::kLikely)});
  EXPECT_EQ(d.decision, "block");
  ASSERT_EQ(d.reasons.size(), 1u);
  EXPECT_EQ(d.reasons[0], "block: IM-3.1 violation (likely), gate.yaml:3");
}

TEST(GateTest, ReviewAndPass) {
  Result<Gate> gate = ParseGate(kGate, "gate.yaml");
  ASSERT_TRUE(gate.ok());
  EXPECT_EQ(Decide(*gate, {Item("IM-2.1", rules::Verdict::kViolation, rules::Strength::kLikely)})
                .decision,
            "review");
  EXPECT_EQ(Decide(*gate, {Item("IM-1.1", rules::Verdict::kNeedsManual, rules::Strength::kNone)})
                .decision,
            "review");
  EXPECT_EQ(Decide(*gate, {Item("IM-2.1", rules::Verdict::kNeedsManual, rules::Strength::kNone),
                           Item("IM-3.1", rules::Verdict::kCompliant, rules::Strength::kNone)})
                .decision,
            "pass");
  EXPECT_EQ(Decide(*gate, {Item("IM-4.1", rules::Verdict::kViolation, rules::Strength::kConfirmed)})
                .decision,
            "block");
}

TEST(GateTest, ErrorsNameFileAndLine) {
  struct Case {
    const char* text;
    const char* expected;
  } cases[] = {
      {"schema: piaudit.gate/1\nblock:\n  - items: [IM-9.9]\n", "unknown item 'IM-9.9'"},
      {"schema: piaudit.gate/1\nreview:\n  - strength: maybe\n", "unknown strength 'maybe'"},
      {"schema: piaudit.gate/1\nreview:\n  - verdicts: [bad]\n", "unknown verdict 'bad'"},
      {"schema: piaudit.gate/1\nblok: []\n", "unknown key 'blok'"},
      {"schema: piaudit.gate/2\n", "expected piaudit.gate/1"},
      {"schema: [\n", "YAML syntax error"},
  };
  for (const Case& c : cases) {
    Result<Gate> gate = ParseGate(c.text, "g.yaml");
    ASSERT_FALSE(gate.ok()) << c.text;
    EXPECT_EQ(gate.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(gate.status().ToString().find(c.expected), std::string::npos)
        << gate.status().ToString();
    EXPECT_EQ(gate.status().file(), "g.yaml");
    EXPECT_NE(gate.status().structure().find("line "), std::string::npos);
  }
}

}  // namespace
}  // namespace piaudit::batch
