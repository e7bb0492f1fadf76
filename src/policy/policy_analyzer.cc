// The policy pipeline: decode -> document text -> segmentation -> sentence categories -> lexicon
// matches -> practices (data types, permissions, SDKs, rights, channels, time limits) -> script and
// readability. Every stage is linear in the text (Aho-Corasick for word lists, single-pass
// scanners for patterns, per-sentence windows bounded by Limits::max_sentence_chars), which is
// what keeps the 20 MB/s budget and makes hostile inputs cost no more than ordinary ones. A
// StopCondition is checked between the stages and once per sentence or mention inside them.
#include "policy/policy_analyzer.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#ifdef PIAUDIT_HAVE_OPENCC
#include <opencc/opencc.h>
#endif

#include "base/huge_pages.h"
#include "base/stop.h"
#include "knowledge/knowledge_base.h"
#include "policy/document_text.h"
#include "policy/extract.h"
#include "policy/policy_lexicons.h"
#include "policy/practices.h"
#include "policy/sdk_list.h"
#include "policy/segmenter.h"
#include "policy/sentence_classifier.h"
#include "policy/span_labeller.h"
#include "policy/text_decoder.h"
#include "policy/text_tables.h"

namespace piaudit::policy {

namespace {

// Han code points lie below this (the per-character tables of ComputeScript).
constexpr char32_t kHanTableSize = 0x30000;
// What OpenCC's t2s made of a character alone.
enum : uint8_t { kT2sUnknown = 0, kT2sUnchanged = 1, kT2sChanged = 2 };
// Share of Han characters changed by t2s above which a text counts as Traditional only.
constexpr double kTraditionalOnlyRatio = 0.05;

// Sentences after an invitation to write ("请通过以下方式联系我们：") that still list its channels:
// a contact block is a phone, an e-mail, an address, a web form and an office or two.
constexpr uint32_t kInvitationLines = 8;
// The line after "邮寄至下列地址：" is taken as the address only when it is this short.
constexpr size_t kMaxAddressLine = 80;

struct Hit {
  uint32_t start, end;  // code points
  std::string_view id;  // lexicon id
  knowledge::LexiconKind kind;
};

bool IsClauseBreak(char32_t c) {
  return c == U'，' || c == ',' || c == U'。' || c == U'；' || c == ';' || c == U'！' ||
         c == U'？' || c == '\t' || c == '\n';
}

// Keeps the longest of overlapping hits, leftmost first.
std::vector<Hit> LongestNonOverlapping(std::vector<Hit> hits) {
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.start != b.start) return a.start < b.start;
    return a.end > b.end;
  });
  std::vector<Hit> out;
  for (const Hit& h : hits) {
    if (!out.empty() && h.start < out.back().end) {
      if (h.end - h.start > out.back().end - out.back().start && h.start == out.back().start)
        out.back() = h;
      continue;
    }
    out.push_back(h);
  }
  return out;
}

// Invisible characters that split a word without changing how it reads: zero-width space,
// non-joiner, joiner, word joiner, BOM/zero-width no-break space, soft hyphen. Pasted policies and
// hostile ones put them inside keywords (设\u200b备信息); matching ignores them.
bool IsZeroWidth(char32_t c) {
  return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x00AD;
}

bool StartsWithId(std::string_view id, std::string_view prefix) {
  return id.substr(0, prefix.size()) == prefix;
}

}  // namespace

struct PolicyAnalyzer::Impl {
  PolicyLexicons lex;
  std::optional<SentenceClassifier> classifier;
  std::string classifier_error;
  std::optional<SpanLabeller> labeller;
  std::string labeller_error;
#ifdef PIAUDIT_HAVE_OPENCC
  opencc_t t2s = reinterpret_cast<opencc_t>(-1);
  // OpenCC does not document thread safety of one handle; the mutex also guards t2s_seen.
  mutable std::mutex t2s_mu;
  // Per Han code point: what t2s made of it alone (kT2sUnknown until asked), kHanTableSize
  // entries once the first Chinese text is analysed.
  mutable std::vector<uint8_t> t2s_seen;
#endif
  ~Impl() {
#ifdef PIAUDIT_HAVE_OPENCC
    if (t2s != reinterpret_cast<opencc_t>(-1)) opencc_close(t2s);
#endif
  }

  Result<PolicyAnalysis> Run(ExtractedDocument doc, EncodingInfo enc, std::string format,
                             const Limits& limits, const StopCondition* stop,
                             SpanTrainingInput* training = nullptr) const;
  void ComputeScript(const std::u32string& t, PolicyAnalysis* a) const;
};

namespace {

Result<std::unique_ptr<PolicyAnalyzer::Impl>> MakeImpl(const knowledge::KnowledgeBase* kb,
                                                       const std::string& kb_dir) {
  auto impl = std::make_unique<PolicyAnalyzer::Impl>();
  ASSIGN_OR_RETURN(impl->lex, LoadPolicyLexicons(kb, kb_dir));
  Result<SentenceClassifier> clf = SentenceClassifier::Load(kb_dir + "/policy/sentence_model.bin");
  if (clf.ok()) {
    impl->classifier = std::move(clf).value();
  } else {
    // Without the model the rest still works; the analysis says categories are missing.
    impl->classifier_error = clf.status().ToString();
  }
  Result<SpanLabeller> sl = SpanLabeller::Load(kb_dir + "/policy/span_model.bin");
  if (sl.ok()) {
    impl->labeller = std::move(sl).value();
  } else {
    // Without it the lexicon spans remain; conditions, actions and practices are missing.
    impl->labeller_error = sl.status().ToString();
  }
#ifdef PIAUDIT_HAVE_OPENCC
  impl->t2s = opencc_open("t2s.json");
#endif
  return impl;
}

}  // namespace

PolicyAnalyzer::PolicyAnalyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PolicyAnalyzer::~PolicyAnalyzer() = default;

Result<std::unique_ptr<PolicyAnalyzer>> PolicyAnalyzer::Create(const knowledge::KnowledgeBase& kb,
                                                               const std::string& kb_dir) {
  ASSIGN_OR_RETURN(auto impl, MakeImpl(&kb, kb_dir));
  return std::unique_ptr<PolicyAnalyzer>(new PolicyAnalyzer(std::move(impl)));
}

Result<std::unique_ptr<PolicyAnalyzer>> PolicyAnalyzer::CreateWithoutKnowledge(
    const std::string& kb_dir) {
  ASSIGN_OR_RETURN(auto impl, MakeImpl(nullptr, kb_dir));
  return std::unique_ptr<PolicyAnalyzer>(new PolicyAnalyzer(std::move(impl)));
}

Result<PolicyAnalysis> PolicyAnalyzer::Analyze(ByteSpan raw, PolicyFormatHint hint,
                                               const Limits& limits,
                                               const StopCondition* stop) const {
  if (raw.size() > limits.max_policy_bytes) {
    return LimitExceeded("policy of " + std::to_string(raw.size()) + " bytes > max_policy_bytes " +
                         std::to_string(limits.max_policy_bytes))
        .AtOffset("policy", 0);
  }
  if (ShouldStop(stop)) return stop->StopStatus("policy: start");
  if (hint == PolicyFormatHint::kPdf || (hint == PolicyFormatHint::kAuto && LooksLikePdf(raw))) {
    ASSIGN_OR_RETURN(ExtractedDocument doc, ExtractPdfText(raw, limits));
    if (ShouldStop(stop)) return stop->StopStatus("policy: PDF text");
    return impl_->Run(std::move(doc), EncodingInfo{"PDF", false, 0}, "pdf", limits, stop);
  }
  ASSIGN_OR_RETURN(DecodedText dec, DecodeText(raw));
  if (ShouldStop(stop)) return stop->StopStatus("policy: decoding");
  if (hint == PolicyFormatHint::kHtml ||
      (hint == PolicyFormatHint::kAuto && LooksLikeHtml(dec.utf8))) {
    ExtractedDocument doc = ExtractHtmlText(dec.utf8, limits, stop);
    if (ShouldStop(stop)) return stop->StopStatus("policy: HTML text");
    return impl_->Run(std::move(doc), dec.encoding, "html", limits, stop);
  }
  ExtractedDocument doc;
  doc.text = std::move(dec.utf8);
  return impl_->Run(std::move(doc), dec.encoding, "text", limits, stop);
}

Result<PolicyAnalysis> PolicyAnalyzer::AnalyzeText(std::string_view utf8, const Limits& limits,
                                                   const StopCondition* stop) const {
  if (utf8.size() > limits.max_policy_bytes)
    return LimitExceeded("policy text larger than max_policy_bytes").AtOffset("policy", 0);
  if (ShouldStop(stop)) return stop->StopStatus("policy: start");
  ExtractedDocument doc;
  EncodingInfo enc{"UTF-8", false, 0};
  enc.replacement_chars = SanitizeUtf8(utf8, &doc.text);
  return impl_->Run(std::move(doc), enc, "text", limits, stop);
}

Result<SpanTrainingInput> PolicyAnalyzer::SpanInputs(std::string_view utf8,
                                                     const Limits& limits) const {
  if (utf8.size() > limits.max_policy_bytes)
    return LimitExceeded("policy text larger than max_policy_bytes").AtOffset("policy", 0);
  ExtractedDocument doc;
  EncodingInfo enc{"UTF-8", false, 0};
  enc.replacement_chars = SanitizeUtf8(utf8, &doc.text);
  SpanTrainingInput in;
  RETURN_IF_ERROR(impl_->Run(std::move(doc), enc, "text", limits, nullptr, &in).status());
  return in;
}

Result<PolicyAnalysis> AnalyzePolicy(ByteSpan raw, PolicyFormatHint hint,
                                     const knowledge::KnowledgeBase& kb, const std::string& kb_dir,
                                     const Limits& limits, const StopCondition* stop) {
  ASSIGN_OR_RETURN(auto analyzer, PolicyAnalyzer::Create(kb, kb_dir));
  return analyzer->Analyze(raw, hint, limits, stop);
}

void PolicyAnalyzer::Impl::ComputeScript(const std::u32string& t, PolicyAnalysis* a) const {
  ScriptInfo& s = a->script;
  uint32_t latin = 0;
  // Counts per Han code point in a flat table (Han lies below U+30000): a hash map here cost 3%
  // of the whole analysis. The table is the thread's, kept all zero between calls (only the
  // entries of this text's characters are reset at the end), so a short policy does not pay for
  // clearing 768 KiB.
  thread_local std::vector<uint32_t> counts(kHanTableSize, 0);
  std::vector<char32_t> chars;  // distinct Han characters, in order of first appearance
  for (char32_t c : t) {
    if (IsHan(c)) {
      ++s.han_chars;
      if (c < kHanTableSize && counts[c]++ == 0) chars.push_back(c);
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      ++latin;
    }
  }
  // Han characters weigh about as much as a 3-letter word; compare in that currency.
  if (s.han_chars == 0 && latin == 0)
    s.language = "unknown";
  else
    s.language = s.han_chars * 3 >= latin ? "zh" : "en";
#ifdef PIAUDIT_HAVE_OPENCC
  if (t2s != reinterpret_cast<opencc_t>(-1) && s.han_chars > 0) {
    std::lock_guard<std::mutex> lock(t2s_mu);
    if (t2s_seen.empty()) t2s_seen.assign(kHanTableSize, kT2sUnknown);
    // Characters OpenCC has not been asked about by this analyser, converted in one call: joined
    // by newlines so its phrase matching cannot span two of them. A character's answer does not
    // depend on the text, so it is kept for the next policy (a batch meets the same few thousand).
    std::u32string joined;
    std::vector<char32_t> asked;
    for (char32_t c : chars) {
      if (t2s_seen[c] != kT2sUnknown) continue;
      asked.push_back(c);
      joined.push_back(c);
      joined.push_back('\n');
    }
    if (!asked.empty()) {
      std::string in = ToUtf8(joined);
      if (char* conv = opencc_convert_utf8(t2s, in.data(), in.size()); conv != nullptr) {
        std::u32string out = ToU32(conv);
        opencc_convert_utf8_free(conv);
        size_t k = 0, line_start = 0;
        for (size_t i = 0; i <= out.size() && k < asked.size(); ++i) {
          if (i == out.size() || out[i] == '\n') {
            std::u32string_view line(out.data() + line_start, i - line_start);
            t2s_seen[asked[k]] =
                line.size() == 1 && line[0] == asked[k] ? kT2sUnchanged : kT2sChanged;
            ++k;
            line_start = i + 1;
          }
        }
      }
    }
    for (char32_t c : chars)
      if (t2s_seen[c] == kT2sChanged) s.traditional_chars += counts[c];
  }
#endif
  for (char32_t c : chars) counts[c] = 0;
  s.traditional_ratio = s.han_chars ? static_cast<double>(s.traditional_chars) / s.han_chars : 0;
  s.traditional_only = s.language == "zh" && s.traditional_ratio > kTraditionalOnlyRatio;
  s.has_simplified = s.language == "zh" && !s.traditional_only;
}

Result<PolicyAnalysis> PolicyAnalyzer::Impl::Run(ExtractedDocument doc, EncodingInfo enc,
                                                 std::string format, const Limits& limits,
                                                 const StopCondition* stop,
                                                 SpanTrainingInput* training) const {
  // Checked between the stages below and once per sentence or mention inside them; a stop ends
  // the analysis with its status, never with what was found so far.
  auto stopped = [stop] { return ShouldStop(stop); };
  PolicyAnalysis a;
  a.format = std::move(format);
  a.encoding = std::move(enc);
  a.text = std::move(doc.text);
  a.table_rows = std::move(doc.table_rows);
  if (doc.html_fallback)
    a.warnings.push_back("HTML nested deeper than max_html_depth; tags stripped without parsing");
  const std::u32string t = ToU32(a.text);
  a.text_code_points = static_cast<uint32_t>(t.size());
  // Plain text and PDF text carry their tables as pipe or tab rows (HTML ones come from the
  // markup).
  if (a.table_rows.empty() && a.format != "html")
    a.table_rows = FindTextTables(t, 0, limits.max_text_table_rows);
  auto sub = [&](uint32_t s, uint32_t e) { return std::u32string_view(t).substr(s, e - s); };
  auto utf8 = [&](uint32_t s, uint32_t e) { return ToUtf8(sub(s, e)); };

  if (stopped()) return stop->StopStatus("policy: text");
  Segment(t, doc.headings, a.table_rows, &a.sentences, &a.sections, limits.max_sentence_chars);
  if (stopped()) return stop->StopStatus("policy: segmentation");

  // --- sentence categories ---
  if (classifier) {
    SentenceClassifier::Scratch scratch;
    std::u32string_view heading, prev;
    for (Sentence& s : a.sentences) {
      if (stopped()) return stop->StopStatus("policy: sentence categories");
      std::u32string_view cur = sub(s.range.start, s.range.end);
      std::array<double, kCategoryCount> d = classifier->ScoreExact(cur, heading, prev, &scratch);
      for (int c = 0; c < kCategoryCount; ++c) {
        s.scores[c] = static_cast<float>(d[c]);
        if (d[c] > 0) s.categories |= static_cast<CategorySet>(1u << c);
      }
      if (HeadingLevel(cur) > 0) heading = cur;
      prev = cur;
    }
  } else {
    a.warnings.push_back("sentence model not loaded: " + classifier_error);
  }

  // --- lexicon matches on a normalised copy: full-width ASCII -> ASCII, and the zero-width
  // characters dropped (IsZeroWidth: "设\u200b备信息" must match 设备信息). removed_at holds, for
  // each dropped character, how many code points the copy had before it, so an offset into the
  // copy maps back to the original text (orig_start / orig_end below). ---
  // One pass from the code points straight to UTF-8 (the same bytes as ToUtf8 of the folded
  // code points), into a buffer sized for the worst case: no code-point copy, no push_back. The
  // buffer is left uninitialised: zero-filling 4 bytes per code point that are then overwritten
  // (or never touched: Chinese takes 3) cost more than the copy itself.
  std::unique_ptr<char[]> norm_buf = std::make_unique_for_overwrite<char[]>(t.size() * 4 + 1);
  AdviseHugePages(norm_buf.get(), t.size() * 4 + 1);
  std::string_view norm8;
  std::vector<uint32_t> removed_at;
  {
    char* o = norm_buf.get();
    uint32_t kept = 0;
    for (char32_t c : t) {
      if (IsZeroWidth(c)) {
        removed_at.push_back(kept);
        continue;
      }
      ++kept;
      if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
      if (c < 0x80) {
        *o++ = static_cast<char>(c);
      } else if (c < 0x800) {
        *o++ = static_cast<char>(0xC0 | (c >> 6));
        *o++ = static_cast<char>(0x80 | (c & 0x3F));
      } else if (c < 0x10000) {
        *o++ = static_cast<char>(0xE0 | (c >> 12));
        *o++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (c & 0x3F));
      } else {
        *o++ = static_cast<char>(0xF0 | (c >> 18));
        *o++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        *o++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (c & 0x3F));
      }
    }
    norm8 = std::string_view(norm_buf.get(), static_cast<size_t>(o - norm_buf.get()));
  }
  if (stopped()) return stop->StopStatus("policy: normalisation");
  // Byte -> code point for match boundaries: the code-point count at every 16th byte (one sweep,
  // a quarter of the text's size), then at most 15 bytes counted per lookup. Sorting the
  // boundaries and binary-searching them cost more than the lookups themselves.
  constexpr size_t kCpStep = 16;
  std::vector<uint32_t> cp_at(norm8.size() / kCpStep + 1);
  {
    uint32_t cp = 0;
    for (size_t b = 0; b < norm8.size(); ++b) {
      if (b % kCpStep == 0) cp_at[b / kCpStep] = cp;
      cp += (static_cast<unsigned char>(norm8[b]) & 0xC0) != 0x80;
    }
    if (norm8.size() % kCpStep == 0) cp_at[norm8.size() / kCpStep] = cp;
  }
  auto to_cp = [&](size_t byte) -> uint32_t {
    byte = std::min(byte, norm8.size());
    size_t b = byte / kCpStep * kCpStep;
    uint32_t cp = cp_at[byte / kCpStep];
    for (; b < byte; ++b) cp += (static_cast<unsigned char>(norm8[b]) & 0xC0) != 0x80;
    return cp;
  };
  // A match starting at copy code point n starts after every character dropped before n; one
  // ending at n (exclusive) ends after its last kept character, before any dropped right after it.
  auto orig_start = [&](size_t byte) -> uint32_t {
    uint32_t n = to_cp(byte);
    return n + static_cast<uint32_t>(std::upper_bound(removed_at.begin(), removed_at.end(), n) -
                                     removed_at.begin());
  };
  auto orig_end = [&](size_t byte) -> uint32_t {
    uint32_t n = to_cp(byte);
    return n + static_cast<uint32_t>(std::lower_bound(removed_at.begin(), removed_at.end(), n) -
                                     removed_at.begin());
  };
  std::vector<Hit> pi_hits, sdk_hits, perm_hits;
  // Cue hits per sentence.
  auto sentence_of = [&](uint32_t cp) -> int32_t {
    auto it = std::upper_bound(a.sentences.begin(), a.sentences.end(), cp,
                               [](uint32_t v, const Sentence& s) { return v < s.range.start; });
    if (it == a.sentences.begin()) return -1;
    --it;
    if (cp >= it->range.end) return -1;
    return static_cast<int32_t>(it - a.sentences.begin());
  };
  // Knowledge-base terms and cues come from one scan of the automaton (PolicyLexicons::terms),
  // told apart by group; each group's matches arrive in the order its own scan would give.
  auto on_kb_term = [&](const knowledge::LexiconMatch& m) {
    if (lex.ambiguous.find(m.term) != lex.ambiguous.end()) {
      // Counts only when an ambiguous_followers word (信息, 权限, ...) comes right after it.
      std::string_view after = norm8.substr(m.end);
      bool followed = false;
      for (const std::string& w : lex.ambiguous_followers) {
        if (after.starts_with(w)) followed = true;
      }
      if (!followed) return;
    }
    Hit h{orig_start(m.begin), orig_end(m.end), m.id, m.kind};
    (m.kind == knowledge::LexiconKind::kSdk ? sdk_hits : pi_hits).push_back(h);
  };
  std::vector<std::vector<Hit>> cues_by_sentence(a.sentences.size());
  uint64_t personalization_dropped = 0;
  auto on_cue = [&](const knowledge::LexiconMatch& m) {
    Hit h{orig_start(m.begin), orig_end(m.end), m.id, m.kind};
    if (StartsWithId(m.id, "perm:")) {
      perm_hits.push_back(h);
      return;
    }
    if (m.id == "jargon") {
      ++a.readability.jargon_terms;
      std::string term(m.term);
      if (a.readability.jargon_found.size() < limits.max_jargon_terms &&
          std::find(a.readability.jargon_found.begin(), a.readability.jargon_found.end(), term) ==
              a.readability.jargon_found.end())
        a.readability.jargon_found.push_back(term);
      return;
    }
    int32_t si = sentence_of(h.start);
    if (m.id == "personalization") {
      // One range per sentence (the sentence is the statement), bounded for reports.
      if (si >= 0 && (a.personalization.empty() ||
                      a.personalization.back().start != a.sentences[si].range.start)) {
        if (a.personalization.size() < limits.max_personalization_statements)
          a.personalization.push_back(a.sentences[si].range);
        else
          ++personalization_dropped;
      }
      return;
    }
    if (si >= 0) cues_by_sentence[si].push_back(h);
  };
  lex.terms.Scan(norm8, [&](const knowledge::LexiconMatch& m) {
    if (m.group == PolicyLexicons::kKbGroup)
      on_kb_term(m);
    else
      on_cue(m);
  });
  // The normalised copy and its offset table are not read again: give their memory back before
  // the spans and mentions are built (a 50 MiB policy's copy is 50 MB).
  norm8 = {};
  norm_buf.reset();
  std::vector<uint32_t>().swap(cp_at);
  if (stopped()) return stop->StopStatus("policy: lexicon matches");
  if (personalization_dropped > 0)
    a.warnings.push_back("personalisation statement limit " +
                         std::to_string(limits.max_personalization_statements) +
                         " reached: " + std::to_string(personalization_dropped) +
                         " later sentences not listed (after code point " +
                         std::to_string(a.personalization.back().end) + ")");
  pi_hits = LongestNonOverlapping(std::move(pi_hits));
  sdk_hits = LongestNonOverlapping(std::move(sdk_hits));
  perm_hits = LongestNonOverlapping(std::move(perm_hits));

  uint64_t spans_dropped = 0;
  uint32_t first_dropped_at = 0;
  auto add_span = [&](uint32_t s, uint32_t e, SpanKind k, std::string label) {
    if (a.spans.size() >= limits.max_policy_spans) {
      if (spans_dropped++ == 0) first_dropped_at = s;
      return;
    }
    a.spans.push_back({s, e, k, std::move(label), utf8(s, e)});
  };
  auto has_cue = [&](int32_t si, std::string_view id) {
    if (si < 0) return false;
    for (const Hit& h : cues_by_sentence[si])
      if (h.id == id) return true;
    return false;
  };
  auto clause_of = [&](int32_t si, uint32_t s, uint32_t e) {
    const TextRange& r = a.sentences[si].range;
    uint32_t b = s, f = e;
    while (b > r.start && !IsClauseBreak(t[b - 1])) --b;
    while (f < r.end && !IsClauseBreak(t[f])) ++f;
    return TextRange{b, f};
  };
  auto negated = [&](int32_t si, uint32_t s, uint32_t e) {
    if (si < 0) return false;
    TextRange c = clause_of(si, s, e);
    for (const Hit& h : cues_by_sentence[si])
      if (h.id == "negation" && h.start >= c.start && h.end <= c.end &&
          (h.end <= s || h.start >= e))
        return true;
    return false;
  };
  auto necessity = [&](int32_t si, uint32_t s) {
    if (si < 0) return Necessity::kUnspecified;
    Necessity best = Necessity::kUnspecified;
    uint32_t best_d = UINT32_MAX;
    for (const Hit& h : cues_by_sentence[si]) {
      Necessity n = h.id == "optional"   ? Necessity::kOptional
                    : h.id == "required" ? Necessity::kRequired
                                         : Necessity::kUnspecified;
      if (n == Necessity::kUnspecified) continue;
      uint32_t d = h.start > s ? h.start - s : s - h.start;
      if (d < best_d) {
        best_d = d;
        best = n;
      }
    }
    return best;
  };
  // "在您使用XX功能时" before position s, else "为了XX" (to the clause end) anywhere before s.
  auto function_of = [&](int32_t si, uint32_t s, bool allow_after) -> TextRange {
    if (si < 0) return {0, 0};
    const std::vector<Hit>& cues = cues_by_sentence[si];
    const Hit* start = nullptr;
    for (const Hit& h : cues)
      if (h.id == "function_starts" && h.end <= s && (!start || h.start > start->start)) start = &h;
    if (start) {
      for (const Hit& h : cues)
        if (h.id == "function_ends" && h.start >= start->end && h.start - start->end <= 24 &&
            h.start > start->end)
          return {start->end, h.start};
    }
    const Hit* p = nullptr;
    for (const Hit& h : cues) {
      if (h.id != "purpose_starts") continue;
      bool before = h.end <= s;
      if (!before && !allow_after) continue;
      if (!p)
        p = &h;
      else if (allow_after && h.start >= s && (p->start < s || h.start < p->start))
        p = &h;
      else if (before && p->start < s && h.start > p->start)
        p = &h;
    }
    if (p) {
      uint32_t e = p->end;
      const TextRange& r = a.sentences[si].range;
      while (e < r.end && !IsClauseBreak(t[e]) && e - p->end < 40) ++e;
      if (e > p->end) return {p->end, e};
    }
    return {0, 0};
  };
  // --- span labeller: per-character lexicon marks, then both label layers over the sentences
  // whose categories make them relevant (SpanLabeller::Relevant) ---
  std::vector<uint8_t> marks;
  ReserveOnHugePages(&marks, t.size());
  marks.resize(t.size(), 0);
  {
    auto mark = [&](const Hit& h, uint8_t bits) {
      for (uint32_t i = h.start; i < h.end && i < marks.size(); ++i) marks[i] |= bits;
    };
    for (const Hit& h : pi_hits) {
      mark(h, kMarkPiType);
      if (h.start < marks.size()) marks[h.start] |= kMarkPiStart;
    }
    for (const Hit& h : sdk_hits) mark(h, kMarkSdk);
    for (const Hit& h : perm_hits) mark(h, kMarkPermission);
    for (const std::vector<Hit>& cues : cues_by_sentence) {
      for (const Hit& h : cues) {
        if (h.id == "function_starts" || h.id == "function_ends")
          mark(h, kMarkFunctionCue);
        else if (h.id == "purpose_starts")
          mark(h, kMarkPurposeCue);
        else if (h.id == "negation")
          mark(h, kMarkNegation);
        else if (h.id == "third_party_cues" || h.id == "sdk_cues")
          mark(h, kMarkPartyCue);
      }
    }
  }
  if (training != nullptr) {
    training->text = t;
    training->sentences = a.sentences;
    training->marks = std::move(marks);
    return a;
  }
  // Model spans per sentence, offsets into t.
  std::vector<std::vector<LabelledSpan>> model_spans(labeller ? a.sentences.size() : 0);
  if (labeller) {
    SpanLabeller::Scratch scratch;
    std::vector<LabelledSpan> found;
    for (size_t si = 0; si < a.sentences.size(); ++si) {
      const Sentence& s = a.sentences[si];
      if (!SpanLabeller::Relevant(s.categories, marks.data() + s.range.start,
                                  s.range.end - s.range.start))
        continue;
      if (stopped()) return stop->StopStatus("policy: span labeller");
      found.clear();
      labeller->Label(sub(s.range.start, s.range.end), marks.data() + s.range.start, s.categories,
                      &scratch, &found);
      for (LabelledSpan& l : found) {
        l.start += s.range.start;
        l.end += s.range.start;
      }
      model_spans[si] = found;
    }
  } else {
    a.warnings.push_back("span model not loaded: " + labeller_error);
  }
  {
    std::vector<TypedRange> typed;
    typed.reserve(pi_hits.size());
    for (const Hit& h : pi_hits) typed.push_back({h.start, h.end, h.id});
    std::vector<Span> found;
    uint64_t practices_dropped = 0;
    ReadModelSpans(t, lex, typed, model_spans, limits, &found, &a.practices, &practices_dropped);
    // Read into spans and practices: the per-sentence lists and the marks are not needed again.
    std::vector<std::vector<LabelledSpan>>().swap(model_spans);
    std::vector<uint8_t>().swap(marks);
    for (Span& sp : found) {
      if (a.spans.size() >= limits.max_policy_spans) {
        if (spans_dropped++ == 0) first_dropped_at = sp.start;
        continue;
      }
      a.spans.push_back(std::move(sp));
    }
    if (practices_dropped > 0)
      a.warnings.push_back("practice limit " + std::to_string(limits.max_policy_practices) +
                           " reached: " + std::to_string(practices_dropped) +
                           " later practices not listed");
  }

  std::set<std::pair<uint32_t, uint32_t>> purpose_spans;
  auto add_purpose_span = [&](TextRange r, const char* label) {
    if (r.end > r.start && purpose_spans.insert({r.start, r.end}).second)
      add_span(r.start, r.end, SpanKind::kPurpose, label);
  };

  // --- data types ---
  std::map<std::string, size_t> summary_index;
  for (const Hit& h : pi_hits) {
    if (stopped()) return stop->StopStatus("policy: data types");
    int32_t si = sentence_of(h.start);
    DataTypeMention m;
    m.type_id = std::string(h.id);
    m.range = {h.start, h.end};
    m.sentence = si;
    m.negated = negated(si, h.start, h.end);
    m.necessity = necessity(si, h.start);
    m.function_range = function_of(si, h.start, false);
    if (m.function_range.end > m.function_range.start) {
      m.function = utf8(m.function_range.start, m.function_range.end);
      add_purpose_span(m.function_range, "function");
    }
    add_span(h.start, h.end, SpanKind::kDataType, m.type_id);
    auto [it, inserted] = summary_index.emplace(m.type_id, a.data_types.size());
    if (inserted) {
      DataTypeSummary summary;
      summary.type_id = m.type_id;
      a.data_types.push_back(std::move(summary));
    }
    DataTypeSummary& sum = a.data_types[it->second];
    ++sum.mentions;
    if (m.negated)
      sum.not_collected = true;
    else
      sum.collected = true;
    if (m.necessity == Necessity::kOptional) sum.optional = true;
    if (m.necessity == Necessity::kRequired) sum.required = true;
    if (!m.function.empty() && sum.functions.size() < limits.max_functions_per_data_type &&
        std::find(sum.functions.begin(), sum.functions.end(), m.function) == sum.functions.end())
      sum.functions.push_back(m.function);
    a.data_type_mentions.push_back(std::move(m));
  }

  // --- table column roles from header rows (row 0 of each table) ---
  enum Role { kNone, kName, kProvider, kPurposeCol, kDataCol, kLinkCol };
  std::map<uint32_t, std::vector<Role>> table_roles;
  for (const TableRow& r : a.table_rows) {
    if (r.row != 0) continue;
    std::vector<Role> roles;
    for (const TextRange& c : r.cells) {
      std::string cell = utf8(c.start, c.end);
      // The first role (lexicon.yaml table_columns, in this order) one of whose words the cell has.
      auto has = [&](PolicyLexicons::TableRole r) {
        for (const std::string& w : lex.table_columns[r]) {
          if (cell.find(w) != std::string::npos) return true;
        }
        return false;
      };
      Role role = kNone;
      if (has(PolicyLexicons::kLinkColumn))
        role = kLinkCol;
      else if (has(PolicyLexicons::kPurposeColumn))
        role = kPurposeCol;
      else if (has(PolicyLexicons::kProviderColumn))
        role = kProvider;
      else if (has(PolicyLexicons::kDataColumn))
        role = kDataCol;
      else if (has(PolicyLexicons::kNameColumn))
        role = kName;
      roles.push_back(role);
    }
    table_roles[r.table] = roles;
  }
  auto row_cell = [&](int32_t row, Role want) -> TextRange {
    if (row < 0) return {0, 0};
    const TableRow& r = a.table_rows[row];
    auto it = table_roles.find(r.table);
    if (it == table_roles.end() || r.row == 0) return {0, 0};
    for (size_t i = 0; i < r.cells.size() && i < it->second.size(); ++i)
      if (it->second[i] == want) return r.cells[i];
    return {0, 0};
  };

  // --- permissions ---
  for (const Hit& h : perm_hits) {
    if (stopped()) return stop->StopStatus("policy: permissions");
    int32_t si = sentence_of(h.start);
    PermissionMention m;
    m.permission_id = std::string(h.id.substr(5));
    if (auto it = lex.group_members.find(m.permission_id); it != lex.group_members.end())
      m.members = it->second;
    else
      m.members.push_back(m.permission_id);
    m.range = {h.start, h.end};
    m.sentence = si;
    m.negated = negated(si, h.start, h.end);
    m.necessity = necessity(si, h.start);
    int32_t row = si >= 0 ? a.sentences[si].table_row : -1;
    TextRange pr = row_cell(row, kPurposeCol);
    if (pr.end <= pr.start) pr = function_of(si, h.start, true);
    m.purpose_range = pr;
    if (pr.end > pr.start) {
      m.purpose = utf8(pr.start, pr.end);
      add_purpose_span(pr, "purpose");
    }
    add_span(h.start, h.end, SpanKind::kPermission, m.permission_id);
    a.permissions.push_back(std::move(m));
  }

  // --- SDKs and third parties ---
  std::vector<std::vector<std::string>> types_by_sentence(a.sentences.size());
  for (const DataTypeMention& m : a.data_type_mentions)
    if (m.sentence >= 0 && !m.negated) {
      auto& v = types_by_sentence[m.sentence];
      if (v.size() < 32 && std::find(v.begin(), v.end(), m.type_id) == v.end())
        v.push_back(m.type_id);
    }
  std::vector<bool> row_has_sdk(a.table_rows.size(), false);
  auto fill_party = [&](ThirdPartyMention* p, int32_t si) {
    if (si < 0) return;
    const TextRange& r = a.sentences[si].range;
    std::u32string_view sv = sub(r.start, r.end);
    p->data_types = types_by_sentence[si];
    TextRange prov = row_cell(p->table_row, kProvider);
    if (prov.end > prov.start)
      p->provider = utf8(prov.start, prov.end);
    else {
      std::vector<RawMatch> cos = FindCompanies(sv, lex.company_suffixes, lex.company_lead_words);
      if (!cos.empty()) p->provider = cos.front().value;
    }
    TextRange pr = row_cell(p->table_row, kPurposeCol);
    if (pr.end <= pr.start) pr = function_of(si, p->range.end, true);
    if (pr.end > pr.start) {
      p->purpose = utf8(pr.start, pr.end);
      add_purpose_span(pr, "purpose");
    }
    std::vector<RawMatch> urls = FindUrls(sv);
    if (!urls.empty()) p->policy_url = urls.front().value;
    std::vector<RawMatch> mails = FindEmails(sv);
    if (!mails.empty()) p->contact = mails.front().value;
  };
  for (const Hit& h : sdk_hits) {
    if (stopped()) return stop->StopStatus("policy: SDKs");
    int32_t si = sentence_of(h.start);
    // An SDK name in prose is the third party only where the sentence talks about SDKs or third
    // parties (a policy of 百度地图 names its own product constantly); table rows always count.
    if (si >= 0 && a.sentences[si].table_row < 0 && !has_cue(si, "sdk_cues") &&
        !has_cue(si, "third_party_cues"))
      continue;
    ThirdPartyMention p;
    p.is_sdk = true;
    p.sdk_id = std::string(h.id);
    p.name = utf8(h.start, h.end);
    p.range = {h.start, h.end};
    p.sentence = si;
    p.table_row = si >= 0 ? a.sentences[si].table_row : -1;
    if (p.table_row >= 0) row_has_sdk[p.table_row] = true;
    fill_party(&p, si);
    if (p.provider.empty() || p.policy_url.empty()) {
      auto it = lex.sdk_info.find(p.sdk_id);
      if (it != lex.sdk_info.end()) {
        if (p.provider.empty()) p.provider = it->second.first;
      }
    }
    add_span(h.start, h.end, SpanKind::kSdk, p.sdk_id);
    a.third_parties.push_back(std::move(p));
  }
  // Uncatalogued SDK rows: a table whose header or row says SDK, first cell is the name.
  auto says_sdk = [&](const TableRow& r) {
    const std::string text = utf8(r.range.start, r.range.end);
    return std::any_of(lex.sdk_table_markers.begin(), lex.sdk_table_markers.end(),
                       [&](const std::string& w) { return text.find(w) != std::string::npos; });
  };
  std::set<uint32_t> header_says_sdk;  // tables whose header row has an sdk_table_markers word
  for (const TableRow& h : a.table_rows)
    if (h.row == 0 && says_sdk(h)) header_says_sdk.insert(h.table);
  for (size_t ri = 0; ri < a.table_rows.size(); ++ri) {
    if (stopped()) return stop->StopStatus("policy: SDK table rows");
    const TableRow& r = a.table_rows[ri];
    if (r.row == 0 || row_has_sdk[ri] || r.cells.empty()) continue;
    if (!header_says_sdk.contains(r.table) && !says_sdk(r)) continue;
    TextRange name = row_cell(static_cast<int32_t>(ri), kName);
    if (name.end <= name.start) name = r.cells.front();
    while (name.start < name.end && (t[name.start] == ' ' || t[name.start] == '\t')) ++name.start;
    if (name.end <= name.start || name.end - name.start > 60) continue;
    ThirdPartyMention p;
    p.is_sdk = true;
    p.name = utf8(name.start, name.end);
    p.range = name;
    p.sentence = sentence_of(name.start);
    p.table_row = static_cast<int32_t>(ri);
    fill_party(&p, p.sentence);
    add_span(name.start, name.end, SpanKind::kSdk, "unknown_sdk");
    a.third_parties.push_back(std::move(p));
  }
  // Company names in sharing sentences and table rows: third parties by name.
  for (size_t si = 0; si < a.sentences.size(); ++si) {
    if (stopped()) return stop->StopStatus("policy: third parties");
    const Sentence& s = a.sentences[si];
    if (!Has(s.categories, Category::kSharing) && s.table_row < 0) continue;
    std::u32string_view sv = sub(s.range.start, s.range.end);
    for (const RawMatch& m : FindCompanies(sv, lex.company_suffixes, lex.company_lead_words)) {
      add_span(s.range.start + m.start, s.range.start + m.end, SpanKind::kThirdParty, m.value);
    }
  }

  // --- the SDK list: table rows read above, then "key：value" records in the text ---
  // One row of the list per table row, in table order: a row naming an SDK several ways (友盟SDK
  // … umeng … 友盟同欣 in its provider cell) is one SDK, the one named in its name cell when there
  // is one. A row with a name column is named by that cell and is that cell's SDK: an SDK found
  // only in another cell is not the row's (七鱼客服 whose link cell ran into a Bugly row the text
  // lost the line break of; moblink whose data cell lists 广告标识符), so the row stays unmatched.
  {
    auto in_name_cell = [&](TextRange r, int32_t table_row) {
      const TextRange name = row_cell(table_row, kName);
      return name.end > name.start && r.start >= name.start && r.end <= name.end;
    };
    std::map<int32_t, const ThirdPartyMention*> mention_of_row;
    for (const ThirdPartyMention& p : a.third_parties) {
      if (!p.is_sdk || p.table_row < 0) continue;
      auto [it, added] = mention_of_row.try_emplace(p.table_row, &p);
      if (!added && !in_name_cell(it->second->range, p.table_row) &&
          in_name_cell(p.range, p.table_row))
        it->second = &p;
    }
    for (const auto& [table_row, p] : mention_of_row) {
      if (a.sdk_list.size() >= limits.max_sdk_list_rows) break;
      SdkListRow row{"table",    p->name,       p->range,      p->sdk_id, p->provider,
                     p->purpose, p->data_types, p->policy_url, table_row};
      const TextRange name = row_cell(table_row, kName);
      if (name.end > name.start) {
        if (!in_name_cell(p->range, table_row)) row.sdk_id.clear();
        row.name_range = name;
        row.name = utf8(name.start, name.end);
        // A bare brand (微信, 支付宝, 微博: ambiguous_terms) names an SDK in prose only with a
        // follower (微信SDK); a name cell holding exactly that word is the SDK's row.
        if (row.sdk_id.empty()) {
          for (const knowledge::LexiconMatch& m : lex.terms.FindAll(row.name))
            if (m.kind == knowledge::LexiconKind::kSdk && m.begin == 0 &&
                m.end == row.name.size()) {
              row.sdk_id = std::string(m.id);
              break;
            }
        }
      }
      a.sdk_list.push_back(std::move(row));
    }
  }
  for (const SdkListRecord& r :
       FindSdkListRecords(t, lex.table_columns32, lex.sdk_table_markers32,
                          limits.max_sdk_list_rows -
                              std::min<size_t>(a.sdk_list.size(), limits.max_sdk_list_rows))) {
    if (stopped()) return stop->StopStatus("policy: SDK list");
    SdkListRow row;
    row.source = "text";
    row.name_range = r.fields[PolicyLexicons::kNameColumn];
    row.name = utf8(row.name_range.start, row.name_range.end);
    for (const Hit& h : sdk_hits)
      if (h.start >= row.name_range.start && h.end <= row.name_range.end) {
        row.sdk_id = std::string(h.id);
        break;
      }
    auto field = [&](PolicyLexicons::TableRole role) {
      const TextRange f = r.fields[role];
      return utf8(f.start, f.end);
    };
    row.provider = field(PolicyLexicons::kProviderColumn);
    if (row.provider.empty() && !row.sdk_id.empty()) {
      auto it = lex.sdk_info.find(row.sdk_id);
      if (it != lex.sdk_info.end()) row.provider = it->second.first;
    }
    row.purpose = field(PolicyLexicons::kPurposeColumn);
    row.link = field(PolicyLexicons::kLinkColumn);
    const TextRange d = r.fields[PolicyLexicons::kDataColumn];
    for (const Hit& h : pi_hits)
      if (h.start >= d.start && h.end <= d.end && row.data_types.size() < 32 &&
          std::find(row.data_types.begin(), row.data_types.end(), h.id) == row.data_types.end())
        row.data_types.push_back(std::string(h.id));
    a.sdk_list.push_back(std::move(row));
  }

  // --- contact context: sentences whose channels take questions and complaints ---
  // A channel published in the contact section (a heading with a contact_headings word), in an
  // invitation to write with questions ("如您有任何疑问…请通过以下方式联系我们"), or on the lines
  // right after such an invitation takes complaints: the labels README counts "电话 95338" under
  // "联系我们" as a complaint channel, and IM-6.5 asks for exactly that.
  std::vector<uint8_t> contact_ctx(a.sentences.size(), 0);
  {
    std::vector<int32_t> delta(a.sentences.size() + 1, 0);
    for (const Section& sec : a.sections) {
      bool contact_heading = false;
      for (const std::string& w : lex.contact_headings)
        if (sec.heading_text.find(w) != std::string::npos) contact_heading = true;
      if (!contact_heading) continue;
      auto first =
          std::lower_bound(a.sentences.begin(), a.sentences.end(), sec.body.start,
                           [](const Sentence& s, uint32_t v) { return s.range.start < v; });
      auto last = std::lower_bound(first, a.sentences.end(), sec.body.end,
                                   [](const Sentence& s, uint32_t v) { return s.range.start < v; });
      ++delta[first - a.sentences.begin()];
      --delta[last - a.sentences.begin()];
    }
    int32_t open = 0;
    uint32_t carry = 0;
    int32_t carry_section = -1;
    for (size_t si = 0; si < a.sentences.size(); ++si) {
      const Sentence& s = a.sentences[si];
      const int32_t isi = static_cast<int32_t>(si);
      open += delta[si];
      if (carry > 0 &&
          (s.section != carry_section || HeadingLevel(sub(s.range.start, s.range.end)) > 0))
        carry = 0;
      const bool invitation = has_cue(isi, "contact_invitations") &&
                              (has_cue(isi, "inquiry_cues") || has_cue(isi, "complaint_cues"));
      contact_ctx[si] = open > 0 || invitation || carry > 0;
      if (carry > 0) --carry;
      // The lines after it carry its channels only when it announces them ("…以下方式联系我们：").
      std::u32string_view text = sub(s.range.start, s.range.end);
      while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
      const bool announces = !text.empty() && (text.back() == U'：' || text.back() == ':');
      if ((invitation || has_cue(isi, "complaint_cues")) && announces) {
        carry = kInvitationLines;
        carry_section = s.section;
      }
    }
  }

  // --- rights, channels, time limits: per sentence ---
  static constexpr std::pair<std::string_view, RightKind> kRights[] = {
      {"right:access", RightKind::kAccess},
      {"right:correction", RightKind::kCorrection},
      {"right:deletion", RightKind::kDeletion},
      {"right:account_cancellation", RightKind::kAccountCancellation},
      {"right:withdraw_consent", RightKind::kWithdrawConsent},
      {"right:personalization_opt_out", RightKind::kPersonalizationOptOut},
      {"right:copy", RightKind::kCopy},
      {"right:complaint", RightKind::kComplaint},
  };
  bool address_next_line = false;
  for (size_t si = 0; si < a.sentences.size(); ++si) {
    if (stopped()) return stop->StopStatus("policy: rights, channels and time limits");
    const Sentence& s = a.sentences[si];
    const std::vector<Hit>& cues = cues_by_sentence[si];
    std::u32string_view sv = sub(s.range.start, s.range.end);
    const int32_t isi = static_cast<int32_t>(si);
    const bool in_contact = contact_ctx[si] != 0;
    const bool complaint_cue = has_cue(isi, "complaint_cues");
    const bool complaint = complaint_cue || in_contact;
    const bool contact_sentence = Has(s.categories, Category::kContact);
    const bool rights_sentence = Has(s.categories, Category::kEditControl);
    std::vector<RawMatch> paths;
    bool paths_done = false;
    auto get_paths = [&]() -> const std::vector<RawMatch>& {
      if (!paths_done) {
        paths = FindInAppPaths(sv, lex.path_starts);
        paths_done = true;
      }
      return paths;
    };
    bool maybe_ascii = false;
    for (char32_t c : sv)
      if (c == '@' || c == U'＠' || (c >= '0' && c <= '9') || c == ':') {
        maybe_ascii = true;
        break;
      }
    std::vector<RawMatch> emails, phones;
    if (maybe_ascii) {
      emails = FindEmails(sv);
      phones = FindPhones(sv);
    }
    auto clause_has = [&](std::string_view id, uint32_t from, uint32_t to) {
      for (const Hit& h : cues)
        if (h.id == id && h.start >= from && h.end <= to) return true;
      return false;
    };

    // Rights. A sentence that lists requests we may refuse offers none of them.
    bool subject = has_cue(isi, "right_subjects") || rights_sentence;
    if (subject && !has_cue(isi, "right_refusals")) {
      // Another way to exercise the right in the same sentence (a phone, an e-mail, an online
      // service, an in-app path) makes a visit or a letter an alternative, not a condition.
      const bool other_channel = !emails.empty() || !phones.empty() ||
                                 has_cue(isi, "online_service") || !get_paths().empty();
      bool in_person_here = false;
      for (const Hit& h : cues) in_person_here |= h.id == "cond:in_person";
      struct Cond {
        std::string name;
        TextRange clause;
        bool mandatory;
      };
      std::vector<Cond> conds;
      for (const Hit& h : cues) {
        if (!StartsWithId(h.id, "cond:")) continue;
        std::string c(h.id.substr(5));
        if (c == "id_card") {
          bool data = false;  // 身份证号 / 身份证信息: the number as data
          for (const std::u32string& f : lex.id_card_data_followers)
            if (sv.substr(h.end - s.range.start).starts_with(f)) data = true;
          if (data) continue;
        }
        TextRange cl = clause_of(isi, h.start, h.end);
        const bool mandatory = clause_has("condition_mandatory", cl.start, h.start);
        const bool alternative =
            c == "in_person" || c == "post_only" || (c == "id_card" && in_person_here);
        if (alternative && other_channel && !mandatory) continue;
        auto it =
            std::find_if(conds.begin(), conds.end(), [&](const Cond& x) { return x.name == c; });
        if (it == conds.end())
          conds.push_back({c, cl, mandatory});
        else
          it->mandatory |= mandatory;
      }
      bool seen[8] = {};
      std::vector<Hit> right_hits;
      for (const Hit& h : cues)
        if (StartsWithId(h.id, "right:")) right_hits.push_back(h);
      right_hits = LongestNonOverlapping(std::move(right_hits));
      for (const Hit& h : right_hits) {
        for (const auto& [id, kind] : kRights) {
          if (h.id != id) continue;
          add_span(h.start, h.end, SpanKind::kRight, std::string(RightKindName(kind)));
          if (seen[static_cast<int>(kind)]) break;
          seen[static_cast<int>(kind)] = true;
          RightMention m;
          m.kind = kind;
          m.range = {h.start, h.end};
          m.sentence = isi;
          // Read with high certainty: the sentence is about rights (classed edit_control) and
          // every condition is put on the user (condition_mandatory) or shares the right's clause.
          m.certain = rights_sentence;
          for (const Cond& c : conds) {
            m.conditions.push_back(c.name);
            const bool same_clause = c.clause.start <= h.start && h.end <= c.clause.end;
            if (!c.mandatory && !same_clause) m.certain = false;
          }
          if (!get_paths().empty()) m.in_app_path = get_paths().front().value;
          a.rights.push_back(std::move(m));
          break;
        }
      }
    }

    // Channels.
    auto add_channel = [&](ChannelKind k, uint32_t rs, uint32_t re, std::string value) {
      ContactChannel c;
      c.kind = k;
      c.value = std::move(value);
      c.range = {s.range.start + rs, s.range.start + re};
      c.sentence = isi;
      c.complaint = complaint;
      add_span(c.range.start, c.range.end,
               complaint ? SpanKind::kComplaintChannel : SpanKind::kContact,
               std::string(ChannelKindName(k)));
      a.channels.push_back(std::move(c));
    };
    // A channel is offered to the user in the contact section, in a sentence classed contact or
    // about rights, or one that says "您可以通过…"; a customer-service function named in a table
    // row or in a description of what is collected or used (当您与客服互动…我们会收集) is not.
    const bool describes_data =
        Has(s.categories, Category::kCollection) || Has(s.categories, Category::kPermission) ||
        Has(s.categories, Category::kSharing) || Has(s.categories, Category::kUse);
    const bool offered =
        in_contact ||
        (s.table_row < 0 &&
         (complaint_cue || ((contact_sentence || rights_sentence || subject) &&
                            !(describes_data && !contact_sentence && !rights_sentence))));
    for (const RawMatch& m : emails) add_channel(ChannelKind::kEmail, m.start, m.end, m.value);
    if (has_cue(isi, "phone_cues") || contact_sentence || complaint)
      for (const RawMatch& m : phones) add_channel(ChannelKind::kPhone, m.start, m.end, m.value);
    if (maybe_ascii && (contact_sentence || complaint)) {
      for (const RawMatch& m : FindUrls(sv)) {
        // "隐私政策链接：https://…" is a policy to read (an SDK's), not a way to reach us.
        // A URL in a table row outside the contact section is an SDK's link.
        if (!in_contact && (s.table_row >= 0 ||
                            clause_has("policy_link_cues", s.range.start, s.range.start + m.start)))
          continue;
        add_channel(ChannelKind::kWeb, m.start, m.end, m.value);
      }
    }
    bool address_found = false;
    uint32_t address_end = 0;
    const bool address_expected = address_next_line;
    address_next_line = false;
    for (const Hit& h : cues) {
      if (h.id == "online_service") {
        if (offered)
          add_channel(ChannelKind::kOnlineService, h.start - s.range.start, h.end - s.range.start,
                      utf8(h.start, h.end));
      } else if (h.id == "address_cues" || h.id == "contact_address_cues") {
        // A company's registered address in the preamble identifies it; an address counts where
        // the user is told to write (the contact section, a complaint or rights sentence) or when
        // it is called a contact address (联系地址, 邮寄至).
        if (h.id == "address_cues" && !(in_contact || complaint_cue || subject)) continue;
        if (h.start < address_end) continue;  // "联系地址为" is one cue, not two
        uint32_t p = h.start;
        while (p > s.range.start && t[p - 1] == ' ') --p;
        if (p > s.range.start && t[p - 1] < 0x80 && std::isalpha(static_cast<int>(t[p - 1])))
          continue;  // "IP 地址：", "MAC地址：" name data
        uint32_t b = h.end, e = h.end;
        while (b < s.range.end && (t[b] == ' ' || t[b] == U'：' || t[b] == ':')) ++b;
        e = b;
        while (e < s.range.end && t[e] != U'；' && t[e] != U'。' && t[e] != ';' && t[e] != '\t' &&
               e - b < 80)
          ++e;
        std::u32string_view addr = sub(b, e);
        bool looks = false;  // has an address_chars character (市, 区, 路, ...)
        for (char32_t c : addr)
          if (lex.address_chars.find(c) != std::u32string::npos) looks = true;
        if (looks && e > b) {
          add_channel(ChannelKind::kPostalAddress, b - s.range.start, e - s.range.start,
                      utf8(b, e));
          address_found = true;
          address_end = e;
        } else if (e == b || sub(b, e).ends_with(U"：") || sub(b, e).ends_with(U":")) {
          address_next_line = true;  // "邮寄至下列地址：" and the address on the next line
        }
      }
    }
    // An address printed without a cue ("邮寄至下列地址：" and the address on the next line,
    // "…；中国北京市海淀区上地十街10号…"): only in the contact context.
    if (in_contact && !address_found)
      for (const RawMatch& m : FindPostalAddresses(sv, lex.address_chars)) {
        add_channel(ChannelKind::kPostalAddress, m.start, m.end, m.value);
        address_found = true;
      }
    if (address_expected && !address_found && sv.size() <= kMaxAddressLine) {
      std::u32string seen;  // the line announced by "寄至下列地址：", if it reads as an address
      for (char32_t c : sv)
        if (lex.address_chars.find(c) != std::u32string::npos &&
            seen.find(c) == std::u32string::npos)
          seen.push_back(c);
      if (seen.size() >= 2)
        add_channel(ChannelKind::kPostalAddress, 0, static_cast<uint32_t>(sv.size()),
                    utf8(s.range.start, s.range.end));
    }
    if (contact_sentence || complaint || has_cue(isi, "online_service") || subject) {
      for (const RawMatch& m : get_paths())
        add_channel(ChannelKind::kInAppPath, m.start, m.end, m.value);
    }

    // Time limits.
    bool has_digit_or_cn = false;
    for (char32_t c : sv)
      if (c == U'日' || c == U'天' || c == U'时' || c == U'月') {
        has_digit_or_cn = true;
        break;
      }
    if (has_digit_or_cn) {
      for (const RawTimeLimit& q : FindTimeQuantities(sv)) {
        uint32_t qs = s.range.start + q.start, qe = s.range.start + q.end;
        bool ok = false;
        for (const Hit& h : cues) {
          if (h.id == "time_after" && h.start >= qe && h.start - qe <= 2) ok = true;
          if (h.id == "time_before" && h.end <= qs && qs - h.end <= 3) ok = true;
        }
        if (!ok) continue;
        TimeLimit tl;
        tl.amount = q.amount;
        tl.unit = q.unit;
        tl.range = {qs, qe};
        tl.sentence = isi;
        const TextRange cl = clause_of(isi, qs, qe);
        // "提前三十日向您通知" before closing the service: a notice period, no response time.
        const bool notice =
            clause_has("time_notice", cl.start, cl.end) || Has(s.categories, Category::kCessation);
        uint32_t best = UINT32_MAX;
        const Hit* subject_hit = nullptr;
        for (const Hit& h : cues) {
          if (notice || !StartsWithId(h.id, "tsubj:")) continue;
          uint32_t d = h.start > qs ? h.start - qs : qs - h.start;
          // A subject before the number reads more naturally ("投诉...15日内") : prefer it.
          if (h.start > qs) d += 8;
          if (d < best) {
            best = d;
            subject_hit = &h;
            std::string_view n = h.id.substr(6);
            tl.applies_to = n == "complaint"              ? TimeLimitSubject::kComplaint
                            : n == "account_cancellation" ? TimeLimitSubject::kAccountCancellation
                            : n == "retention"            ? TimeLimitSubject::kRetention
                                                          : TimeLimitSubject::kRequest;
          }
        }
        if (complaint && tl.applies_to == TimeLimitSubject::kRequest)
          tl.applies_to = TimeLimitSubject::kComplaint;
        // Certain: the subject shares the number's clause in a sentence about rights, contact or
        // complaints.
        tl.certain = subject_hit != nullptr && subject_hit->start >= cl.start &&
                     subject_hit->end <= cl.end &&
                     (rights_sentence || contact_sentence || complaint);
        add_span(qs, qe, SpanKind::kTimeLimit,
                 std::to_string(tl.amount) + "_" + std::string(TimeUnitName(tl.unit)));
        a.time_limits.push_back(tl);
      }
    }
  }
  // Say what was cut and where: the facts (rights, channels, ...) are all kept, only the list of
  // spans is cut, from the first one not listed (offsets are in extraction order, not text order).
  if (spans_dropped > 0)
    a.warnings.push_back("span limit " + std::to_string(limits.max_policy_spans) +
                         " reached: " + std::to_string(spans_dropped) +
                         " later spans not listed (the first at code point " +
                         std::to_string(first_dropped_at) +
                         "); data types, permissions, SDKs, rights, channels and time limits "
                         "are complete");
  // Text order, ties in extraction order. The order is sorted as 16-byte keys and the spans
  // (two strings each) moved once: a stable sort of the spans themselves moved every one about
  // log2(n) times (4% of the analysis).
  {
    struct Key {
      uint32_t start, end, index;
    };
    std::vector<Key> keys(a.spans.size());
    for (size_t i = 0; i < keys.size(); ++i)
      keys[i] = {a.spans[i].start, a.spans[i].end, static_cast<uint32_t>(i)};
    std::sort(keys.begin(), keys.end(), [](const Key& x, const Key& y) {
      return std::tie(x.start, x.end, x.index) < std::tie(y.start, y.end, y.index);
    });
    std::vector<Span> sorted;
    sorted.reserve(a.spans.size());
    for (const Key& k : keys) sorted.push_back(std::move(a.spans[k.index]));
    a.spans = std::move(sorted);
  }

  // --- script and readability ---
  if (stopped()) return stop->StopStatus("policy: script");
  ComputeScript(t, &a);
  Readability& r = a.readability;
  r.chars = a.text_code_points;
  uint64_t total = 0;
  for (const Sentence& s : a.sentences) {
    if (s.table_row >= 0) continue;  // a table row is not prose
    uint32_t n = s.range.end - s.range.start;
    ++r.sentences;
    total += n;
    r.max_sentence_chars = std::max(r.max_sentence_chars, n);
  }
  r.mean_sentence_chars = r.sentences ? static_cast<double>(total) / r.sentences : 0;
  r.jargon_per_1000_chars = r.chars ? 1000.0 * r.jargon_terms / r.chars : 0;
  return a;
}

}  // namespace piaudit::policy
