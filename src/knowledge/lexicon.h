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
};

struct LexiconMatch {
  size_t begin = 0;  // byte offset of the first byte
  size_t end = 0;    // one past the last byte
  LexiconKind kind = LexiconKind::kPiType;
  std::string_view id;    // PI type or SDK id (owned by the Lexicon)
  std::string_view term;  // the term as written in the data
};

class Lexicon {
 public:
  Lexicon() = default;

  // Adds a term; empty terms are ignored, a (term, kind, id) triple added twice counts once.
  void Add(std::string_view term, LexiconKind kind, std::string_view id);
  // Builds the automaton. REQUIRES: called once, after every Add.
  void Build();

  // Appends every match in `text` to *out, ordered by end offset then by term length (longest
  // first).
  void FindAll(std::string_view text, std::vector<LexiconMatch>* out) const;
  std::vector<LexiconMatch> FindAll(std::string_view text) const;

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

  // Automaton (dense DFA over byte classes).
  uint16_t byte_class_[256] = {};
  uint32_t num_classes_ = 0;
  uint32_t num_states_ = 0;
  std::vector<uint32_t> delta_;      // num_states_ * num_classes_
  std::vector<uint32_t> out_begin_;  // CSR: terms ending at each state (own + via dict links)
  std::vector<uint32_t> out_terms_;
};

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_LEXICON_H_
