// Aho-Corasick, compiled to a dense DFA over byte classes: bytes that no term uses share one
// class, so the table is states x (distinct term bytes + 1) instead of states x 256. The policy
// lexicon has a few thousand terms and ~20k states; the DFA is a few MB and scans at memory
// speed with one table load per byte.
#include "knowledge/lexicon.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>

#include "base/huge_pages.h"

namespace piaudit::knowledge {
namespace {

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

unsigned char Fold(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c; }

}  // namespace

std::string_view LexiconKindName(LexiconKind kind) {
  switch (kind) {
    case LexiconKind::kPiType:
      return "pi_type";
    case LexiconKind::kSdk:
      return "sdk";
  }
  return "unknown";
}

void Lexicon::Add(std::string_view term, LexiconKind kind, std::string_view id, uint8_t group) {
  if (term.empty()) return;
  std::string folded(term.size(), '\0');
  for (size_t i = 0; i < term.size(); ++i) folded[i] = Fold(term[i]);
  if (auto it = index_.find(folded); it != index_.end()) {
    Term& t = terms_[it->second];
    for (const LexiconTarget& tg : t.targets) {
      if (tg.kind == kind && tg.id == id && tg.group == group) return;
    }
    t.targets.push_back({kind, std::string(id), group});
    return;
  }
  index_.emplace(folded, static_cast<uint32_t>(terms_.size()));
  Term t;
  t.text = std::string(term);
  t.folded = std::move(folded);
  t.ascii_start = IsAsciiAlnum(term.front());
  t.ascii_end = IsAsciiAlnum(term.back());
  t.targets.push_back({kind, std::string(id), group});
  terms_.push_back(std::move(t));
}

void Lexicon::Build() {
  // Byte classes: class 0 = bytes no term uses.
  std::fill(std::begin(byte_class_), std::end(byte_class_), 0);
  num_classes_ = 1;
  for (const Term& t : terms_) {
    for (unsigned char c : t.folded) {
      if (byte_class_[c] == 0) byte_class_[c] = static_cast<uint16_t>(num_classes_++);
    }
  }
  // ASCII upper case maps to the class of its lower case (the text is folded on the fly).
  for (int c = 'A'; c <= 'Z'; ++c) byte_class_[c] = byte_class_[c + ('a' - 'A')];

  // Trie with sparse edges first.
  std::vector<std::map<uint32_t, uint32_t>> edges(1);
  std::vector<std::vector<uint32_t>> own(1);
  for (uint32_t ti = 0; ti < terms_.size(); ++ti) {
    uint32_t s = 0;
    for (unsigned char c : terms_[ti].folded) {
      const uint32_t cls = byte_class_[c];
      auto it = edges[s].find(cls);
      if (it == edges[s].end()) {
        edges.emplace_back();
        own.emplace_back();
        const uint32_t ns = static_cast<uint32_t>(edges.size() - 1);
        edges[s][cls] = ns;
        s = ns;
      } else {
        s = it->second;
      }
    }
    own[s].push_back(ti);
  }
  num_states_ = static_cast<uint32_t>(edges.size());
  ReserveOnHugePages(&delta_, static_cast<size_t>(num_states_) * num_classes_);
  delta_.assign(static_cast<size_t>(num_states_) * num_classes_, 0);
  std::vector<uint32_t> fail(num_states_, 0);
  std::vector<std::vector<uint32_t>> outs(num_states_);
  std::deque<uint32_t> queue;
  for (auto [cls, ns] : edges[0]) {
    delta_[cls] = ns;
    queue.push_back(ns);
  }
  outs[0] = own[0];
  // BFS order guarantees fail[s] is complete before s's children are visited. A state's row is
  // its failure state's row with its own edges written over it (one copy, not a lookup per class).
  while (!queue.empty()) {
    const uint32_t s = queue.front();
    queue.pop_front();
    outs[s] = own[s];
    for (uint32_t t : outs[fail[s]]) outs[s].push_back(t);
    const uint32_t* fail_row = &delta_[static_cast<size_t>(fail[s]) * num_classes_];
    uint32_t* row = &delta_[static_cast<size_t>(s) * num_classes_];
    std::copy(fail_row, fail_row + num_classes_, row);
    for (auto [cls, ns] : edges[s]) {
      fail[ns] = fail_row[cls];
      row[cls] = ns;
      queue.push_back(ns);
    }
  }
  // Longest term first within a state, so FindAll's order is stable.
  out_begin_.assign(num_states_ + 1, 0);
  out_terms_.clear();
  for (uint32_t s = 0; s < num_states_; ++s) {
    std::sort(outs[s].begin(), outs[s].end(), [this](uint32_t a, uint32_t b) {
      if (terms_[a].folded.size() != terms_[b].folded.size()) {
        return terms_[a].folded.size() > terms_[b].folded.size();
      }
      return a < b;
    });
    out_begin_[s] = static_cast<uint32_t>(out_terms_.size());
    out_terms_.insert(out_terms_.end(), outs[s].begin(), outs[s].end());
  }
  out_begin_[num_states_] = static_cast<uint32_t>(out_terms_.size());
  // State numbers become row offsets flagged with kHasOutput (see the header); a table too large
  // for 31 bits (billions of states) cannot come from a word list.
  if (static_cast<uint64_t>(num_states_) * num_classes_ >= kHasOutput) std::abort();
  for (uint32_t& d : delta_) {
    const uint32_t target = d;
    d = target * num_classes_ | (out_begin_[target + 1] > out_begin_[target] ? kHasOutput : 0);
  }
}

void Lexicon::FindAll(std::string_view text, std::vector<LexiconMatch>* out) const {
  Scan(text, [out](const LexiconMatch& m) { out->push_back(m); });
}

std::vector<LexiconMatch> Lexicon::FindAll(std::string_view text) const {
  std::vector<LexiconMatch> out;
  FindAll(text, &out);
  return out;
}

}  // namespace piaudit::knowledge
