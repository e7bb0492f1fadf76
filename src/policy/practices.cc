#include "policy/practices.h"

#include <algorithm>

#include "policy/segmenter.h"

namespace piaudit::policy {
namespace {

uint32_t Distance(const LabelledSpan& a, const LabelledSpan& b) {
  if (a.end <= b.start) return b.start - a.end;
  if (b.end <= a.start) return a.start - b.end;
  return 0;
}

// The span of class c nearest to d in the sentence; with prefer_before, a span ending before d
// wins over any after it (在…时 and 为了… come first in Chinese). Null when there is none.
const LabelledSpan* Nearest(const std::vector<LabelledSpan>& spans, const LabelledSpan& d,
                            SpanClass c, bool prefer_before) {
  const LabelledSpan* best = nullptr;
  for (const LabelledSpan& s : spans) {
    if (s.cls != c || &s == &d) continue;
    if (best == nullptr) {
      best = &s;
      continue;
    }
    const bool sb = s.end <= d.start, bb = best->end <= d.start;
    if (prefer_before && sb != bb) {
      if (sb) best = &s;
      continue;
    }
    if (Distance(s, d) < Distance(*best, d)) best = &s;
  }
  return best;
}

TextRange R(const LabelledSpan* s) { return s ? TextRange{s->start, s->end} : TextRange{}; }

}  // namespace

std::string_view PartyOf(std::u32string_view text, const PolicyLexicons& lex) {
  if (!text.empty() && text.back() == U'的') text.remove_suffix(1);
  const std::string w = ToUtf8(text);
  if (lex.first_party_words.count(w) > 0) return "first_party";
  if (lex.data_subject_words.count(w) > 0) return "data_subject";
  return "third_party";
}

void ReadModelSpans(std::u32string_view t, const PolicyLexicons& lex,
                    const std::vector<TypedRange>& pi_hits,
                    const std::vector<std::vector<LabelledSpan>>& model_spans, const Limits& limits,
                    std::vector<Span>* spans, std::vector<Practice>* practices,
                    uint64_t* practices_dropped) {
  // The pi_types id of the first synonym inside [s, e), "" when none (pi_hits is sorted).
  auto type_in = [&](uint32_t s, uint32_t e) -> std::string_view {
    auto it = std::lower_bound(pi_hits.begin(), pi_hits.end(), s,
                               [](const TypedRange& h, uint32_t v) { return h.start < v; });
    if (it != pi_hits.end() && it->end <= e) return it->id;
    return {};
  };
  for (size_t si = 0; si < model_spans.size(); ++si) {
    const std::vector<LabelledSpan>& ms = model_spans[si];
    if (ms.empty()) continue;
    for (const LabelledSpan& l : ms) {
      Span sp;
      sp.start = l.start;
      sp.end = l.end;
      sp.from_model = true;
      const std::u32string_view text = t.substr(l.start, l.end - l.start);
      sp.text = ToUtf8(text);
      switch (l.cls) {
        case SpanClass::kData: {
          sp.kind = SpanKind::kDataType;
          std::string_view id = type_in(l.start, l.end);
          sp.label = id.empty() ? "unknown" : std::string(id);
          break;
        }
        case SpanClass::kCollect:
        case SpanClass::kShare:
          sp.kind = SpanKind::kAction;
          sp.label = l.cls == SpanClass::kCollect ? "collect" : "share";
          break;
        case SpanClass::kHandler:
        case SpanClass::kReceiver: {
          std::string_view party = PartyOf(text, lex);
          sp.kind = party == "first_party"    ? SpanKind::kFirstParty
                    : party == "data_subject" ? SpanKind::kDataSubject
                                              : SpanKind::kThirdParty;
          sp.label = sp.kind == SpanKind::kThirdParty ? sp.text
                     : l.cls == SpanClass::kHandler   ? "handler"
                                                      : "receiver";
          break;
        }
        case SpanClass::kCondition:
          sp.kind = SpanKind::kCondition;
          sp.label = "condition";
          break;
        case SpanClass::kPurpose:
          sp.kind = SpanKind::kPurpose;
          sp.label = "purpose";
          break;
      }
      spans->push_back(std::move(sp));
    }
    for (const LabelledSpan& d : ms) {
      if (d.cls != SpanClass::kData) continue;
      if (practices->size() >= limits.max_policy_practices) {
        ++*practices_dropped;
        continue;
      }
      Practice p;
      p.sentence = static_cast<int32_t>(si);
      p.data = {d.start, d.end};
      p.data_type_id = std::string(type_in(d.start, d.end));
      const LabelledSpan* collect = Nearest(ms, d, SpanClass::kCollect, false);
      const LabelledSpan* share = Nearest(ms, d, SpanClass::kShare, false);
      const LabelledSpan* verb = collect;
      if (share != nullptr && (verb == nullptr || Distance(*share, d) < Distance(*verb, d)))
        verb = share;
      if (verb != nullptr) {
        p.action = verb == share ? "share" : "collect";
        p.action_range = R(verb);
      }
      p.purpose = R(Nearest(ms, d, SpanClass::kPurpose, false));
      p.condition = R(Nearest(ms, d, SpanClass::kCondition, true));
      // The collector: the handler nearest before the verb (我们 收集 …), else nearest the data.
      const LabelledSpan* handler = nullptr;
      if (verb != nullptr) {
        for (const LabelledSpan& s : ms)
          if (s.cls == SpanClass::kHandler && s.end <= verb->start) handler = &s;
      }
      if (handler == nullptr) handler = Nearest(ms, d, SpanClass::kHandler, true);
      if (handler != nullptr) {
        p.collector =
            std::string(PartyOf(t.substr(handler->start, handler->end - handler->start), lex));
        p.collector_range = R(handler);
      }
      if (p.action == "share") {
        for (const LabelledSpan& s : ms) {
          if (s.cls != SpanClass::kReceiver) continue;
          if (p.receivers.size() >= limits.max_receivers_per_practice) break;
          p.receivers.push_back({s.start, s.end});
        }
      }
      practices->push_back(std::move(p));
    }
  }
}

}  // namespace piaudit::policy
