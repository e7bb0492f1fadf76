// Span precision and recall against hand-labelled CAPP-130 policies (tests/policy/labels/*.jsonl).
//
// Label files: one JSON object per line, either
//   {"policy": "QQ.txt", "labelled": [start, end]}              the range that was labelled, or
//   {"policy": "QQ.txt", "start": s, "end": e, "kind": k, "label": l, "text": t}   one gold span,
// offsets in code points of the decoded policy text (BOM removed), as `piaudit policy` reports.
// Scored kinds: data_type, sdk, right, time_limit. Matching rule: a predicted span inside a
// labelled range is correct when a gold span of the same kind and label overlaps it; recall counts
// gold spans overlapped by a predicted span of the same kind and label.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "base/diagnostics.h"
#include "base/mapped_file.h"
#include "knowledge/knowledge_base.h"
#include "policy/policy_analyzer.h"
#include "policy/segmenter.h"

namespace piaudit::policy {
namespace {

struct Gold {
  uint32_t start, end;
  std::string kind, label, text;
};

TEST(SpanEvalTest, HandLabelledPolicies) {
  const std::string policies =
      PIAUDIT_CORPUS_DIR "/policies/capp130/CAPP_130_Corpus/Original_policies";
  if (!std::filesystem::exists(policies))
    GTEST_SKIP() << "CAPP-130 corpus not found at " << policies;
  Diagnostics diags;
  auto kb = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, &diags);
  if (!kb.ok()) GTEST_SKIP() << "knowledge base did not load: " << kb.status().ToString();
  auto analyzer = PolicyAnalyzer::Create(*kb, PIAUDIT_DATA_DIR);
  ASSERT_TRUE(analyzer.ok()) << analyzer.status().ToString();

  std::map<std::string, std::vector<std::pair<uint32_t, uint32_t>>> ranges;
  std::map<std::string, std::vector<Gold>> gold;
  for (const auto& entry :
       std::filesystem::directory_iterator(PIAUDIT_SOURCE_DIR "/tests/policy/labels")) {
    if (entry.path().extension() != ".jsonl") continue;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto o = nlohmann::json::parse(line);
      std::string p = o["policy"];
      if (o.contains("labelled")) {
        ranges[p].push_back({o["labelled"][0].get<uint32_t>(), o["labelled"][1].get<uint32_t>()});
      } else {
        gold[p].push_back({o["start"], o["end"], o["kind"], o["label"], o["text"]});
      }
    }
  }
  ASSERT_GE(ranges.size(), 20u) << "fewer than 20 labelled policies";
  const std::vector<std::string> kinds = {"data_type", "sdk", "right", "time_limit"};
  std::map<std::string, std::array<int, 4>> counts;  // pred, pred_ok, gold, gold_found
  for (const auto& [policy, rs] : ranges) {
    auto bytes = ReadFileToString(policies + "/" + policy, 64 << 20);
    ASSERT_TRUE(bytes.ok()) << policy;
    auto a = (*analyzer)->Analyze(ByteSpan(*bytes), PolicyFormatHint::kText, Limits());
    ASSERT_TRUE(a.ok()) << policy;
    std::u32string t = ToU32(a->text);
    const auto& g = gold[policy];
    for (const Gold& x : g) {
      // The label file must agree with the text it labels (guards against offset drift).
      ASSERT_LE(x.end, t.size()) << policy;
      ASSERT_EQ(ToUtf8(std::u32string_view(t).substr(x.start, x.end - x.start)), x.text) << policy;
    }
    auto in_ranges = [&](uint32_t s, uint32_t e) {
      for (auto [rs0, re0] : rs)
        if (s >= rs0 && e <= re0) return true;
      return false;
    };
    for (const std::string& k : kinds) {
      auto& c = counts[k];
      for (const Span& s : a->spans) {
        if (SpanKindName(s.kind) != k || !in_ranges(s.start, s.end)) continue;
        ++c[0];
        for (const Gold& x : g)
          if (x.kind == k && x.label == s.label && x.start < s.end && s.start < x.end) {
            ++c[1];
            break;
          }
      }
      for (const Gold& x : g) {
        if (x.kind != k) continue;
        ++c[2];
        for (const Span& s : a->spans)
          if (SpanKindName(s.kind) == k && x.label == s.label && x.start < s.end &&
              s.start < x.end) {
            ++c[3];
            break;
          }
      }
    }
  }
  int tp = 0, np = 0, ng = 0, fg = 0;
  std::printf("%-12s %6s %6s %6s %6s\n", "kind", "P", "R", "pred", "gold");
  for (const std::string& k : kinds) {
    auto& c = counts[k];
    std::printf("%-12s %6.3f %6.3f %6d %6d\n", k.c_str(), c[0] ? double(c[1]) / c[0] : 0.0,
                c[2] ? double(c[3]) / c[2] : 0.0, c[0], c[2]);
    tp += c[1];
    np += c[0];
    ng += c[2];
    fg += c[3];
  }
  double p = np ? double(tp) / np : 0, r = ng ? double(fg) / ng : 0;
  std::printf("%-12s %6.3f %6.3f %6d %6d\n", "all", p, r, np, ng);
  // Floors below the measured figures (docs/policy.md): a regression guard, not the goal.
  EXPECT_GT(p, 0.5);
  EXPECT_GT(r, 0.5);
}

}  // namespace
}  // namespace piaudit::policy
