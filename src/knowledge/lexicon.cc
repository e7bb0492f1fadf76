// Aho-Corasick, compiled to a dense DFA over byte classes: bytes that no term uses share one
// class, so the table is states x (distinct term bytes + 1) instead of states x 256. (No two used
// bytes can share a class: each has its own trie edge somewhere, so their columns differ.) The
// bundled knowledge base with the policy cues has ~2k terms, ~18k states and 120 classes: 4.3 MB
// of 16-bit entries, laid out by column with the states in breadth-first order; the scan runs
// four streams over each block to keep four table loads in flight (lexicon.h).
#include "knowledge/lexicon.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <type_traits>

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
  uint16_t byte_class[256] = {};
  num_classes_ = 1;
  max_term_bytes_ = 0;
  for (const Term& t : terms_) {
    max_term_bytes_ = std::max(max_term_bytes_, static_cast<uint32_t>(t.folded.size()));
    for (unsigned char c : t.folded) {
      if (byte_class[c] == 0) byte_class[c] = static_cast<uint16_t>(num_classes_++);
    }
  }
  // ASCII upper case maps to the class of its lower case (the text is folded on the fly).
  for (int c = 'A'; c <= 'Z'; ++c) byte_class[c] = byte_class[c + ('a' - 'A')];

  // Trie with sparse edges first.
  std::vector<std::map<uint32_t, uint32_t>> edges(1);
  std::vector<std::vector<uint32_t>> own(1);
  for (uint32_t ti = 0; ti < terms_.size(); ++ti) {
    uint32_t s = 0;
    for (unsigned char c : terms_[ti].folded) {
      const uint32_t cls = byte_class[c];
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
  // A table too large for 32-bit offsets (hundreds of millions of states) cannot come from a
  // word list.
  if (static_cast<uint64_t>(num_states_) * num_classes_ >= (uint64_t{1} << 31)) std::abort();
  // Dense rows by trie state first (row-major, as built), laid out by column at the end.
  std::vector<uint32_t> rows(static_cast<size_t>(num_states_) * num_classes_, 0);
  std::vector<uint32_t> fail(num_states_, 0);
  std::vector<std::vector<uint32_t>> outs(num_states_);
  std::vector<uint32_t> bfs;  // trie states in breadth-first order: the new state ids
  bfs.reserve(num_states_);
  bfs.push_back(0);
  for (auto [cls, ns] : edges[0]) rows[cls] = ns;
  outs[0] = own[0];
  // BFS order guarantees fail[s] is complete before s's children are visited. A state's row is
  // its failure state's row with its own edges written over it (one copy, not a lookup per class).
  for (size_t q = 0; q < bfs.size(); ++q) {
    const uint32_t s = bfs[q];
    if (s != 0) {
      outs[s] = own[s];
      for (uint32_t t : outs[fail[s]]) outs[s].push_back(t);
      const uint32_t* fail_row = &rows[static_cast<size_t>(fail[s]) * num_classes_];
      uint32_t* row = &rows[static_cast<size_t>(s) * num_classes_];
      std::copy(fail_row, fail_row + num_classes_, row);
      for (auto [cls, ns] : edges[s]) {
        fail[ns] = fail_row[cls];
        row[cls] = ns;
      }
    }
    for (auto [cls, ns] : edges[s]) bfs.push_back(ns);
  }
  std::vector<uint32_t> new_id(num_states_);
  for (uint32_t i = 0; i < num_states_; ++i) new_id[bfs[i]] = i;
  // Longest term first within a state, so FindAll's order is stable.
  out_begin_.assign(num_states_ + 1, 0);
  out_terms_.clear();
  for (uint32_t i = 0; i < num_states_; ++i) {
    std::vector<uint32_t>& o = outs[bfs[i]];
    std::sort(o.begin(), o.end(), [this](uint32_t a, uint32_t b) {
      if (terms_[a].folded.size() != terms_[b].folded.size()) {
        return terms_[a].folded.size() > terms_[b].folded.size();
      }
      return a < b;
    });
    out_begin_[i] = static_cast<uint32_t>(out_terms_.size());
    out_terms_.insert(out_terms_.end(), o.begin(), o.end());
  }
  out_begin_[num_states_] = static_cast<uint32_t>(out_terms_.size());
  for (int c = 0; c < 256; ++c) column_[c] = byte_class[c] * num_states_;
  // Entries: new state id, top bit set where terms end (see the header).
  auto fill = [&](auto* delta) {
    using Entry = std::remove_reference_t<decltype((*delta)[0])>;
    constexpr Entry kHasOutput = static_cast<Entry>(Entry{1} << (sizeof(Entry) * 8 - 1));
    const size_t size = static_cast<size_t>(num_states_) * num_classes_;
    ReserveOnHugePages(delta, size);
    delta->assign(size, 0);
    for (uint32_t i = 0; i < num_states_; ++i) {
      const uint32_t* row = &rows[static_cast<size_t>(bfs[i]) * num_classes_];
      for (uint32_t c = 0; c < num_classes_; ++c) {
        const uint32_t t = new_id[row[c]];
        (*delta)[static_cast<size_t>(c) * num_states_ + i] =
            static_cast<Entry>(t | (out_begin_[t + 1] > out_begin_[t] ? kHasOutput : 0));
      }
    }
  };
  delta16_.clear();
  delta32_.clear();
  if (num_states_ <= 0x7FFF)
    fill(&delta16_);
  else
    fill(&delta32_);
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
