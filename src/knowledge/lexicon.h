// The policy lexicon: every word a privacy policy uses for a PI type (synonyms) or for an SDK
// (policy names), found in one pass over the text.
//
// Matching is Aho-Corasick over UTF-8 bytes, so Chinese needs no segmentation. ASCII letters are
// folded to lower case on both sides ("imei" finds "IMEI"); other scripts are compared byte for
// byte (the policy module normalises full-width forms and traditional characters first). A term
// that starts (ends) with an ASCII letter or digit only matches where the text has no ASCII
// letter or digit just before (after) it, so "IP" does not match inside "ship"; Chinese terms
// have no such boundary. Every match is reported, overlapping ones included (设备信息 and 设备 both
// match in 设备信息); the caller picks.
//
// A target may carry a small `group` number, so that one automaton serves several word lists
// (the policy analyser scans its knowledge-base terms and its cues in one pass and tells them
// apart by group): a term in two lists is one term with a target per list.
//
// Offsets are byte offsets into the text passed in; the policy module converts to code points.
#ifndef PIAUDIT_KNOWLEDGE_LEXICON_H_
#define PIAUDIT_KNOWLEDGE_LEXICON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace piaudit::knowledge {

enum class LexiconKind : uint8_t { kPiType, kSdk };
std::string_view LexiconKindName(LexiconKind kind);

struct LexiconTarget {
  LexiconKind kind;
  std::string id;
  uint8_t group = 0;
};

struct LexiconMatch {
  size_t begin = 0;  // byte offset of the first byte
  size_t end = 0;    // one past the last byte
  LexiconKind kind = LexiconKind::kPiType;
  std::string_view id;    // PI type or SDK id (owned by the Lexicon)
  std::string_view term;  // the term as written in the data
  uint8_t group = 0;      // the group given to Add()
};

class Lexicon {
 public:
  Lexicon() = default;

  // Adds a term; empty terms are ignored, a (term, kind, id, group) added twice counts once.
  void Add(std::string_view term, LexiconKind kind, std::string_view id, uint8_t group = 0);
  // Builds the automaton. REQUIRES: called once, after every Add.
  void Build();

  // Appends every match in `text` to *out, ordered by end offset then by term length (longest
  // first).
  void FindAll(std::string_view text, std::vector<LexiconMatch>* out) const;
  std::vector<LexiconMatch> FindAll(std::string_view text) const;
  // Calls on_match(const LexiconMatch&) for every match, in FindAll's order, without collecting
  // them: a 50 MiB policy has millions of matches.
  template <typename OnMatch>
  void Scan(std::string_view text, OnMatch&& on_match) const;

  size_t term_count() const { return terms_.size(); }
  size_t state_count() const { return num_states_; }

 private:
  struct Term {
    std::string text;    // as written
    std::string folded;  // ASCII lower-cased: what is matched
    bool ascii_start = false;
    bool ascii_end = false;
    std::vector<LexiconTarget> targets;
  };
  std::vector<Term> terms_;
  std::unordered_map<std::string, uint32_t> index_;  // folded text -> terms_ index

  // Automaton (dense DFA over byte classes). A delta_ entry is the next state's row offset
  // (state * num_classes_) with kHasOutput set when terms end there: the scan loop does one
  // table load per byte and looks at the outputs only on those states.
  static constexpr uint32_t kHasOutput = 1u << 31;
  uint16_t byte_class_[256] = {};
  uint32_t num_classes_ = 0;
  uint32_t num_states_ = 0;
  std::vector<uint32_t> delta_;      // num_states_ * num_classes_
  std::vector<uint32_t> out_begin_;  // CSR: terms ending at each state (own + via dict links)
  std::vector<uint32_t> out_terms_;
};

template <typename OnMatch>
void Lexicon::Scan(std::string_view text, OnMatch&& on_match) const {
  if (num_states_ == 0) return;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const uint32_t* delta = delta_.data();
  auto alnum = [](unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  uint32_t row = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t next = delta[row + byte_class_[p[i]]];
    row = next & ~kHasOutput;
    if ((next & kHasOutput) == 0) continue;
    const uint32_t s = row / num_classes_;
    const uint32_t b = out_begin_[s], e = out_begin_[s + 1];
    for (uint32_t k = b; k < e; ++k) {
      const Term& t = terms_[out_terms_[k]];
      const size_t end = i + 1;
      const size_t begin = end - t.folded.size();
      if (t.ascii_start && begin > 0 && alnum(p[begin - 1])) continue;
      if (t.ascii_end && end < n && alnum(p[end])) continue;
      for (const LexiconTarget& tg : t.targets)
        on_match(LexiconMatch{begin, end, tg.kind, tg.id, t.text, tg.group});
    }
  }
}

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_LEXICON_H_
