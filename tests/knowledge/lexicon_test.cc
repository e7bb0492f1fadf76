// The Aho-Corasick lexicon on its own: overlapping matches, ASCII folding and boundaries, byte
// offsets into UTF-8 text.
#include "knowledge/lexicon.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace piaudit::knowledge {
namespace {

std::set<std::tuple<size_t, size_t, std::string>> Hits(const Lexicon& lex, std::string_view text) {
  std::set<std::tuple<size_t, size_t, std::string>> out;
  for (const LexiconMatch& m : lex.FindAll(text)) out.emplace(m.begin, m.end, std::string(m.id));
  return out;
}

TEST(LexiconTest, OverlappingChineseTerms) {
  Lexicon lex;
  lex.Add("设备信息", LexiconKind::kPiType, "device_info");
  lex.Add("设备", LexiconKind::kPiType, "device");
  lex.Add("信息", LexiconKind::kPiType, "info");
  lex.Build();
  const std::string text = "收集设备信息";  // 6 chars x 3 bytes
  const auto hits = Hits(lex, text);
  EXPECT_EQ(hits.size(), 3u);
  EXPECT_TRUE(hits.count({6, 18, "device_info"}));
  EXPECT_TRUE(hits.count({6, 12, "device"}));
  EXPECT_TRUE(hits.count({12, 18, "info"}));
}

TEST(LexiconTest, AsciiCaseFoldingAndBoundaries) {
  Lexicon lex;
  lex.Add("IP", LexiconKind::kPiType, "ip");
  lex.Add("imei", LexiconKind::kPiType, "imei");
  lex.Add("MAC地址", LexiconKind::kPiType, "mac");
  lex.Build();
  EXPECT_TRUE(Hits(lex, "relationship ship").empty());  // "ip" inside words
  EXPECT_EQ(Hits(lex, "your IP address").size(), 1u);
  EXPECT_EQ(Hits(lex, "IMEI、Imei和imei").size(), 3u);
  EXPECT_TRUE(Hits(lex, "IMEIs").empty());
  EXPECT_EQ(Hits(lex, "mac地址").size(), 1u);
  // Chinese neighbours are not word characters: "的IP地址" matches.
  EXPECT_EQ(Hits(lex, "您的IP地址").size(), 1u);
}

TEST(LexiconTest, SameTermSeveralTargetsAndDedup) {
  Lexicon lex;
  lex.Add("腾讯位置服务", LexiconKind::kSdk, "tencent-map");
  lex.Add("腾讯位置服务", LexiconKind::kSdk, "tencent-location");
  lex.Add("腾讯位置服务", LexiconKind::kSdk, "tencent-map");  // duplicate, ignored
  lex.Add("", LexiconKind::kSdk, "ignored");
  lex.Build();
  EXPECT_EQ(lex.term_count(), 1u);
  const auto m = lex.FindAll("使用腾讯位置服务。");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].term, "腾讯位置服务");
  EXPECT_EQ(m[0].begin, 6u);
}

TEST(LexiconTest, GroupsShareOneAutomaton) {
  // Two word lists in one automaton (the policy analyser's knowledge-base terms and cues): a term
  // in both lists is one term with a target per group, and each group's matches come in the order
  // a lexicon of that group alone would give.
  Lexicon both, only_kb;
  both.Add("位置信息", LexiconKind::kPiType, "location", 0);
  both.Add("位置", LexiconKind::kPiType, "location", 0);
  both.Add("位置", LexiconKind::kPiType, "cue:place", 1);
  both.Add("位置", LexiconKind::kPiType, "cue:place", 1);  // duplicate within its group
  both.Add("信息", LexiconKind::kPiType, "cue:info", 1);
  only_kb.Add("位置信息", LexiconKind::kPiType, "location");
  only_kb.Add("位置", LexiconKind::kPiType, "location");
  both.Build();
  only_kb.Build();
  EXPECT_EQ(both.term_count(), 3u);
  const std::string text = "获取位置信息和位置";
  std::vector<LexiconMatch> scanned;
  both.Scan(text, [&](const LexiconMatch& m) { scanned.push_back(m); });
  const std::vector<LexiconMatch> found = both.FindAll(text);
  ASSERT_EQ(scanned.size(), found.size());
  std::vector<std::tuple<size_t, size_t, std::string>> kb, kb_alone;
  size_t cues = 0;
  for (size_t i = 0; i < found.size(); ++i) {
    EXPECT_EQ(scanned[i].begin, found[i].begin);
    EXPECT_EQ(scanned[i].id, found[i].id);
    EXPECT_EQ(scanned[i].group, found[i].group);
    if (found[i].group == 0)
      kb.emplace_back(found[i].begin, found[i].end, std::string(found[i].id));
    else
      ++cues;
  }
  for (const LexiconMatch& m : only_kb.FindAll(text))
    kb_alone.emplace_back(m.begin, m.end, std::string(m.id));
  EXPECT_EQ(kb, kb_alone);
  EXPECT_EQ(kb.size(), 3u);  // 位置信息, 位置 inside it, 位置 at the end
  EXPECT_EQ(cues, 3u);       // cue:place twice, cue:info once
}

TEST(LexiconTest, EmptyLexiconAndText) {
  Lexicon empty;
  empty.Build();
  EXPECT_TRUE(empty.FindAll("anything").empty());
  Lexicon lex;
  lex.Add("x", LexiconKind::kPiType, "x");
  lex.Build();
  EXPECT_TRUE(lex.FindAll("").empty());
}

TEST(LexiconTest, MatchesEqualNaiveSearch) {
  // Random texts over a small alphabet against a brute-force search.
  const std::vector<std::string> terms = {"ab", "abc", "bca", "c", "caa", "bb"};
  Lexicon lex;
  for (const std::string& t : terms) lex.Add(t, LexiconKind::kPiType, t);
  lex.Build();
  uint32_t seed = 12345;
  for (int round = 0; round < 200; ++round) {
    std::string text;
    for (int i = 0; i < 40; ++i) {
      seed = seed * 1103515245 + 12345;
      text += static_cast<char>('a' + (seed >> 16) % 3);
    }
    std::set<std::tuple<size_t, size_t, std::string>> naive;
    for (const std::string& t : terms) {
      for (size_t p = text.find(t); p != std::string::npos; p = text.find(t, p + 1)) {
        const bool left_ok = p == 0 || !isalnum(static_cast<unsigned char>(text[p - 1]));
        const size_t e = p + t.size();
        const bool right_ok = e == text.size() || !isalnum(static_cast<unsigned char>(text[e]));
        if (left_ok && right_ok) naive.emplace(p, e, t);
      }
    }
    EXPECT_EQ(Hits(lex, text), naive) << text;
  }
}

}  // namespace
}  // namespace piaudit::knowledge
