// The Aho-Corasick lexicon on its own: overlapping matches, ASCII folding and boundaries, byte
// offsets into UTF-8 text.
#include "knowledge/lexicon.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
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

// The naive reference for FindAll: every term at every end offset, with the same ASCII folding
// and word-boundary rules, in the documented order (end offset, longer term first, then the
// order terms were first added, then the order of their targets).
struct ReferenceTerm {
  std::string text, folded;
  std::vector<LexiconTarget> targets;
};

std::string FoldAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool AsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::vector<LexiconMatch> ReferenceMatches(const std::vector<ReferenceTerm>& terms,
                                           std::string_view text) {
  std::vector<size_t> by_length(terms.size());
  for (size_t i = 0; i < terms.size(); ++i) by_length[i] = i;
  std::stable_sort(by_length.begin(), by_length.end(), [&](size_t a, size_t b) {
    return terms[a].folded.size() > terms[b].folded.size();
  });
  const std::string folded = FoldAscii(text);
  std::vector<LexiconMatch> out;
  for (size_t end = 1; end <= text.size(); ++end) {
    for (size_t ti : by_length) {
      const ReferenceTerm& t = terms[ti];
      if (t.folded.size() > end) continue;
      const size_t begin = end - t.folded.size();
      if (folded.compare(begin, t.folded.size(), t.folded) != 0) continue;
      if (AsciiAlnum(t.folded.front()) && begin > 0 && AsciiAlnum(text[begin - 1])) continue;
      if (AsciiAlnum(t.folded.back()) && end < text.size() && AsciiAlnum(text[end])) continue;
      for (const LexiconTarget& tg : t.targets)
        out.push_back(LexiconMatch{begin, end, tg.kind, tg.id, t.text, tg.group});
    }
  }
  return out;
}

std::string Describe(const LexiconMatch& m) {
  return std::to_string(m.begin) + "-" + std::to_string(m.end) + " " +
         std::string(LexiconKindName(m.kind)) + ":" + std::string(m.id) + " '" +
         std::string(m.term) + "' g" + std::to_string(m.group);
}

TEST(LexiconTest, ScanEqualsReferenceInOrderOnRandomTexts) {
  // Terms over a small alphabet of ASCII letters (both cases), digits, Chinese characters and
  // punctuation: shared prefixes and suffixes, one term in two groups and for two ids, a term
  // longer than the scan's warm-up would need if it were shorter, and terms that differ only in
  // case. Texts are the terms' pieces plus noise (stray UTF-8 continuation and invalid bytes, NUL),
  // short ones (one stream) and long ones (several interleaved blocks and a tail).
  struct Spec {
    std::string term;
    LexiconKind kind;
    std::string id;
    uint8_t group;
  };
  std::string long_term;
  for (int i = 0; i < 60; ++i) long_term += i % 3 == 2 ? "设备" : "ab";
  const std::vector<Spec> specs = {
      {"设备信息", LexiconKind::kPiType, "device_info", 0},
      {"设备", LexiconKind::kPiType, "device", 0},
      {"信息", LexiconKind::kPiType, "info", 1},
      {"备信", LexiconKind::kSdk, "odd", 0},
      {"位置信息", LexiconKind::kPiType, "location", 0},
      {"位置", LexiconKind::kPiType, "location", 0},
      {"位置", LexiconKind::kPiType, "cue:place", 1},
      {"位置", LexiconKind::kSdk, "place-sdk", 0},
      {"IP", LexiconKind::kPiType, "ip", 0},
      {"ip地址", LexiconKind::kPiType, "ip", 0},
      {"Ab", LexiconKind::kSdk, "ab", 0},
      {"aB1", LexiconKind::kSdk, "ab1", 1},
      {"b", LexiconKind::kPiType, "b", 0},
      {"ba", LexiconKind::kPiType, "ba", 0},
      {"abab", LexiconKind::kPiType, "abab", 0},
      {"a设", LexiconKind::kPiType, "a-she", 0},
      {"息a", LexiconKind::kPiType, "xi-a", 0},
      {"-a-", LexiconKind::kPiType, "dash", 0},
      {"1", LexiconKind::kPiType, "one", 1},
      {"SDK", LexiconKind::kSdk, "sdk", 0},
      {"x SDK", LexiconKind::kSdk, "x-sdk", 0},
      {long_term, LexiconKind::kPiType, "long", 0},
  };
  Lexicon lex;
  std::vector<ReferenceTerm> reference;
  for (const Spec& sp : specs) {
    lex.Add(sp.term, sp.kind, sp.id, sp.group);
    const std::string f = FoldAscii(sp.term);
    auto it = std::find_if(reference.begin(), reference.end(),
                           [&](const ReferenceTerm& r) { return r.folded == f; });
    if (it == reference.end()) {
      reference.push_back({sp.term, f, {}});
      it = reference.end() - 1;
    }
    it->targets.push_back({sp.kind, sp.id, sp.group});
  }
  lex.Build();
  ASSERT_EQ(lex.term_count(), reference.size());
  EXPECT_EQ(lex.table_bytes(), lex.state_count() * lex.class_count() * 2);  // 16-bit entries

  const std::vector<std::string> pieces = {
      "a",  "b",  "A",  "B",    "1",   " ",  "-",  "x",    "设",   "备",   "信",
      "息", "位", "置", "地址", "SDK", "ip", "IP", "\x80", "\xE8", "\xFF", std::string(1, '\0')};
  std::mt19937 rng(20261207);
  const size_t lengths[] = {0, 1, 7, 200, 4095, 4096, 5000, 32767, 32768, 40000, 70001, 140000};
  for (size_t round = 0; round < 2 * std::size(lengths); ++round) {
    const size_t length = lengths[round % std::size(lengths)];
    std::string text;
    while (text.size() < length) {
      const uint32_t r = rng() % 100;
      if (r < 3)
        text += long_term.substr(0, rng() % (long_term.size() + 1));
      else if (r < 15)
        text += specs[rng() % specs.size()].term;
      else
        text += pieces[rng() % pieces.size()];
    }
    text.resize(length);
    const std::vector<LexiconMatch> expected = ReferenceMatches(reference, text);
    std::vector<LexiconMatch> scanned;
    lex.Scan(text, [&](const LexiconMatch& m) { scanned.push_back(m); });
    ASSERT_EQ(scanned.size(), expected.size()) << "length " << length;
    for (size_t i = 0; i < expected.size(); ++i) {
      ASSERT_EQ(Describe(scanned[i]), Describe(expected[i]))
          << "match " << i << " of " << expected.size() << ", length " << length;
    }
    if (length >= 40000) {
      EXPECT_GT(expected.size(), length / 20) << "too few matches to tell";
    }
  }
}

TEST(LexiconTest, ScanEqualsReferenceAcrossBlockBoundaries) {
  // One long term repeated end to end: matches end at every offset class, so the ends of the
  // interleaved parts and blocks (multiples of 8 KiB) fall inside matches. Terms longer than a
  // part are found too (their stream starts earlier). The long term makes more states than 16-bit
  // entries can number, so this is also the 32-bit table.
  std::string huge(40000, 'q');
  Lexicon lex;
  lex.Add("qqq", LexiconKind::kPiType, "three");
  lex.Add(huge, LexiconKind::kPiType, "huge");
  lex.Add("设备", LexiconKind::kPiType, "device");
  lex.Build();
  ASSERT_GT(lex.state_count(), 32767u);
  EXPECT_EQ(lex.table_bytes(), lex.state_count() * lex.class_count() * 4);
  const std::vector<ReferenceTerm> reference = {
      {"qqq", "qqq", {{LexiconKind::kPiType, "three"}}},
      {huge, huge, {{LexiconKind::kPiType, "huge"}}},
      {"设备", "设备", {{LexiconKind::kPiType, "device"}}}};
  for (const std::string& text : {std::string(100000, 'q'), std::string(65536 * 3 + 5, 'q')}) {
    std::string mixed = text;
    for (size_t i = 8190; i + 6 < mixed.size(); i += 8191) mixed.replace(i, 6, "设备");
    const std::string* texts[] = {&text, &mixed};
    for (const std::string* t : texts) {
      const std::vector<LexiconMatch> expected = ReferenceMatches(reference, *t);
      const std::vector<LexiconMatch> found = lex.FindAll(*t);
      ASSERT_EQ(found.size(), expected.size());
      for (size_t i = 0; i < expected.size(); ++i)
        ASSERT_EQ(Describe(found[i]), Describe(expected[i])) << "match " << i;
    }
  }
}

}  // namespace
}  // namespace piaudit::knowledge
