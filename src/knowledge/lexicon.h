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

#include <algorithm>
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
  size_t class_count() const { return num_classes_; }
  // Bytes of the transition table (the part of the automaton the scan reads per byte).
  size_t table_bytes() const { return delta16_.size() * 2 + delta32_.size() * 4; }

 private:
  struct Term {
    std::string text;    // as written
    std::string folded;  // ASCII lower-cased: what is matched
    bool ascii_start = false;
    bool ascii_end = false;
    std::vector<LexiconTarget> targets;
  };
  // A state with outputs reached by a stream other than the first of a block (see ScanWith).
  struct PendingOutput {
    uint32_t offset;  // of the byte that reached it, in its part of the block
    uint32_t state;
  };
  // Texts of kStreamsMinBytes or more are scanned as kStreams interleaved streams (see
  // ScanWith), in blocks of at most kBlockBytes (docs/policy.md: 2 streams 1.6x one, 4 streams
  // 2.4x; 6 and 8 no better than 4 here).
  static constexpr size_t kStreams = 4;
  static constexpr size_t kStreamsMinBytes = 4096;
  static constexpr size_t kBlockBytes = 32768;

  template <typename Entry, typename OnMatch>
  void ScanWith(const Entry* delta, std::string_view text, OnMatch& on_match) const;
  template <typename OnMatch>
  void Report(uint32_t state, size_t end, const unsigned char* p, size_t n,
              OnMatch& on_match) const;

  std::vector<Term> terms_;
  std::unordered_map<std::string, uint32_t> index_;  // folded text -> terms_ index

  // Automaton: a dense DFA over byte classes, stored column by column (every state's entry for
  // class 0, then for class 1, ...), so the entry for (state, byte) is at column_[byte] + state
  // and the chain from one byte to the next is one load and one mask. An entry is the next
  // state's id with its top bit set when terms end there (the outputs are read only then).
  // States are numbered breadth first, so the shallow states a scan visits most are packed
  // together in every column. Entries are 16 bits while state ids fit in 15 (the bundled
  // knowledge base with the policy cues: ~18k states), else 32: one of delta16_, delta32_ is
  // filled.
  uint32_t column_[256] = {};  // byte -> its class * num_states_
  uint32_t num_classes_ = 0;
  uint32_t num_states_ = 0;
  uint32_t max_term_bytes_ = 0;
  std::vector<uint16_t> delta16_;
  std::vector<uint32_t> delta32_;
  std::vector<uint32_t> out_begin_;  // CSR: terms ending at each state (own + via dict links)
  std::vector<uint32_t> out_terms_;
};

template <typename OnMatch>
void Lexicon::Report(uint32_t state, size_t end, const unsigned char* p, size_t n,
                     OnMatch& on_match) const {
  auto alnum = [](unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  const uint32_t b = out_begin_[state], e = out_begin_[state + 1];
  for (uint32_t k = b; k < e; ++k) {
    const Term& t = terms_[out_terms_[k]];
    const size_t begin = end - t.folded.size();
    if (t.ascii_start && begin > 0 && alnum(p[begin - 1])) continue;
    if (t.ascii_end && end < n && alnum(p[end])) continue;
    for (const LexiconTarget& tg : t.targets)
      on_match(LexiconMatch{begin, end, tg.kind, tg.id, t.text, tg.group});
  }
}

template <typename Entry, typename OnMatch>
void Lexicon::ScanWith(const Entry* delta, std::string_view text, OnMatch& on_match) const {
  constexpr Entry kHasOutput = static_cast<Entry>(Entry{1} << (sizeof(Entry) * 8 - 1));
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  uint32_t s = 0;
  size_t i = 0;
  if (n >= kStreamsMinBytes) {
    // kStreams streams: one scan waits on each table load before it can start the next; the
    // parts of a block, scanned side by side, keep kStreams loads in flight. Each stream but the
    // first starts at the root max_term_bytes_ before its part (a state is a suffix of at most
    // that many bytes, so by its part it is in the state one scan would be in), and its outputs
    // are kept and reported after those of the parts before it: the order is one scan's.
    // Blocks of equal size, at most kBlockBytes (which bounds the buffered outputs), leave a
    // tail of fewer than kStreams bytes per block for one stream.
    const size_t blocks = (n + kBlockBytes - 1) / kBlockBytes;
    const size_t part = n / (blocks * kStreams), block = part * kStreams;
    // The thread's buffer, grown once and never cleared: every slot read was written in this
    // block (found[] counts them), and a policy analysed per request must not allocate and zero
    // it (up to 192 KiB) each time. (One buffer per ScanWith instantiation: only a callback
    // that re-entered the same scan with itself could share it, and none does.)
    thread_local std::vector<PendingOutput> pending;
    if (pending.size() < (kStreams - 1) * part) pending.resize((kStreams - 1) * part);
    for (; i + block <= n; i += block) {
      uint32_t st[kStreams];
      uint32_t found[kStreams] = {};
      const unsigned char* q[kStreams];
      st[0] = s;
      q[0] = p + i;
      for (size_t k = 1; k < kStreams; ++k) {
        const size_t start = i + k * part;
        uint32_t w = 0;
        for (size_t j = start - std::min<size_t>(start, max_term_bytes_); j < start; ++j)
          w = delta[column_[p[j]] + w] & ~kHasOutput;
        st[k] = w;
        q[k] = p + start;
      }
      for (size_t j = 0; j < part; ++j) {
        Entry e[kStreams];
        for (size_t k = 0; k < kStreams; ++k) e[k] = delta[column_[q[k][j]] + st[k]];
        for (size_t k = 0; k < kStreams; ++k) st[k] = e[k] & ~kHasOutput;
        if ((e[0] & kHasOutput) != 0) [[unlikely]]
          Report(st[0], i + j + 1, p, n, on_match);
        for (size_t k = 1; k < kStreams; ++k) {
          if ((e[k] & kHasOutput) != 0) [[unlikely]]
            pending[(k - 1) * part + found[k]++] = {static_cast<uint32_t>(j), st[k]};
        }
      }
      for (size_t k = 1; k < kStreams; ++k) {
        const size_t start = i + k * part;
        for (uint32_t f = 0; f < found[k]; ++f) {
          const PendingOutput& o = pending[(k - 1) * part + f];
          Report(o.state, start + o.offset + 1, p, n, on_match);
        }
      }
      s = st[kStreams - 1];
    }
  }
  for (; i < n; ++i) {
    const Entry next = delta[column_[p[i]] + s];
    s = next & ~kHasOutput;
    if ((next & kHasOutput) != 0) [[unlikely]]
      Report(s, i + 1, p, n, on_match);
  }
}

template <typename OnMatch>
void Lexicon::Scan(std::string_view text, OnMatch&& on_match) const {
  if (num_states_ == 0) return;
  if (!delta16_.empty())
    ScanWith(delta16_.data(), text, on_match);
  else
    ScanWith(delta32_.data(), text, on_match);
}

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_LEXICON_H_
