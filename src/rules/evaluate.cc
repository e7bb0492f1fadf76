// Runs the 31 item evaluators and folds their findings into item verdicts.
#include "rules/evaluate.h"

#include <openssl/sha.h>

#include <array>
#include <utility>

#include "rules/internal/context.h"
#include "rules/internal/runtime_items.h"

namespace piaudit::rules {

namespace {

struct ItemEntry {
  std::string_view id;
  internal::ItemEvaluator eval;
};

// The order of the regulation; EvaluateAll returns results in this order.
constexpr std::array<ItemEntry, 31> kItems = {{
    {"IM-1.1", internal::EvalIm1_1}, {"IM-1.2", internal::EvalIm1_2},
    {"IM-1.3", internal::EvalIm1_3}, {"IM-1.4", internal::EvalIm1_4},
    {"IM-2.1", internal::EvalIm2_1}, {"IM-2.2", internal::EvalIm2_2},
    {"IM-2.3", internal::EvalIm2_3}, {"IM-2.4", internal::EvalIm2_4},
    {"IM-3.1", internal::EvalIm3_1}, {"IM-3.2", internal::EvalIm3_2},
    {"IM-3.3", internal::EvalIm3_3}, {"IM-3.4", internal::EvalIm3_4},
    {"IM-3.5", internal::EvalIm3_5}, {"IM-3.6", internal::EvalIm3_6},
    {"IM-3.7", internal::EvalIm3_7}, {"IM-3.8", internal::EvalIm3_8},
    {"IM-3.9", internal::EvalIm3_9}, {"IM-4.1", internal::EvalIm4_1},
    {"IM-4.2", internal::EvalIm4_2}, {"IM-4.3", internal::EvalIm4_3},
    {"IM-4.4", internal::EvalIm4_4}, {"IM-4.5", internal::EvalIm4_5},
    {"IM-4.6", internal::EvalIm4_6}, {"IM-5.1", internal::EvalIm5_1},
    {"IM-5.2", internal::EvalIm5_2}, {"IM-5.3", internal::EvalIm5_3},
    {"IM-6.1", internal::EvalIm6_1}, {"IM-6.2", internal::EvalIm6_2},
    {"IM-6.3", internal::EvalIm6_3}, {"IM-6.4", internal::EvalIm6_4},
    {"IM-6.5", internal::EvalIm6_5},
}};

constexpr std::array<std::string_view, 31> kIds = [] {
  std::array<std::string_view, 31> ids{};
  for (size_t i = 0; i < kItems.size(); ++i) ids[i] = kItems[i].id;
  return ids;
}();

}  // namespace

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kViolation:
      return "violation";
    case Verdict::kCompliant:
      return "compliant";
    case Verdict::kNeedsDynamic:
      return "needs-dynamic";
    case Verdict::kNeedsManual:
      return "needs-manual";
    case Verdict::kNotApplicable:
      return "not-applicable";
  }
  return "unknown";
}

std::string_view StrengthName(Strength s) {
  switch (s) {
    case Strength::kNone:
      return "none";
    case Strength::kLikely:
      return "likely";
    case Strength::kConfirmed:
      return "confirmed";
  }
  return "unknown";
}

int VerdictRank(Verdict v, Strength s) {
  switch (v) {
    case Verdict::kViolation:
      return s == Strength::kConfirmed ? 5 : 4;
    case Verdict::kNeedsDynamic:
      return 3;
    case Verdict::kNeedsManual:
      return 2;
    case Verdict::kCompliant:
      return 1;
    case Verdict::kNotApplicable:
      return 0;
  }
  return 0;
}

std::span<const std::string_view> ItemIds() { return kIds; }

std::string FindingId(std::string_view item_id, std::string_view owner, std::string_view subject) {
  std::string key;
  key.reserve(item_id.size() + owner.size() + subject.size() + 2);
  key.append(item_id).append("|").append(owner).append("|").append(subject);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 8; ++i) {
    id.push_back(kHex[digest[i] >> 4]);
    id.push_back(kHex[digest[i] & 0xf]);
  }
  return id;
}

namespace {

// True when every piece of a finding's evidence is the text of a policy the user gave (a span of
// it, or "searched it and found nothing"): such a finding stands without the APK.
bool FromGivenPolicyOnly(const evidence::AppEvidence& ev, const Finding& f) {
  if (!ev.policy.analysed || ev.policy.source != evidence::PolicySource::kGivenFile ||
      f.evidence.empty()) {
    return false;
  }
  for (const evidence::EvidenceRef& ref : f.evidence) {
    const bool span = ref.kind == evidence::SourceKind::kPolicy && ref.span.has_value();
    const bool searched = ref.kind == evidence::SourceKind::kAbsence && !ev.policy.file.empty() &&
                          ref.file == ev.policy.file;
    if (!span && !searched) return false;
  }
  return true;
}

// When the APK could not be read (not a zip, no manifest), nothing in it can be shown present or
// absent: no violation, no compliance and no "run it" comes from it. Every finding that does not
// rest only on a policy text the user gave is replaced by one needs-manual finding saying so.
void ReplaceUnreadApkFindings(const internal::RuleContext& ctx, std::string_view id,
                              std::vector<Finding>* findings) {
  const evidence::AppEvidence& ev = ctx.ev();
  const size_t before = findings->size();
  std::erase_if(*findings, [&](const Finding& f) { return !FromGivenPolicyOnly(ev, f); });
  if (findings->size() == before && before > 0) return;
  Finding f = ctx.MakeFinding(
      id, Verdict::kNeedsManual, Strength::kNone,
      knowledge::Msg("common.apk_unreadable", {knowledge::Arg("reason", ev.apk_unreadable)}));
  f.needed_text = knowledge::Msg("common.apk_unreadable_needed");
  f.evidence.push_back(evidence::AbsenceRef(ev.app.apk_file.empty() ? "(apk)" : ev.app.apk_file,
                                            "APK unreadable: " + ev.apk_unreadable));
  findings->push_back(std::move(f));
}

// Fills the English and Chinese texts from the message ids. A `needed` still set as an English
// string (TODO(#20)) is kept as it is in both languages.
void RenderTexts(const knowledge::KnowledgeBase& kb, Finding* f) {
  using knowledge::Lang;
  auto render = [&kb](const knowledge::MessageText& m, std::string* en, std::string* zh) {
    if (m.empty()) {
      *zh = *en;
      return;
    }
    *en = knowledge::RenderMessage(kb, m, Lang::kEn);
    *zh = knowledge::RenderMessage(kb, m, Lang::kZh);
  };
  render(f->message_text, &f->message, &f->message_zh);
  render(f->needed_text, &f->needed, &f->needed_zh);
  render(f->remediation_text, &f->remediation, &f->remediation_zh);
}

}  // namespace

std::vector<ItemResult> EvaluateAll(const evidence::AppEvidence& ev,
                                    const knowledge::KnowledgeBase& kb) {
  internal::RuleContext ctx(ev, kb);
  std::vector<ItemResult> results;
  results.reserve(kItems.size());
  for (const ItemEntry& entry : kItems) {
    ItemResult r;
    r.id = std::string(entry.id);
    r.category = r.id.substr(0, r.id.find('.'));
    if (const knowledge::Item* item = kb.FindItem(entry.id)) {
      r.category_zh = item->category_zh;
      r.category_en = item->category_en;
      r.title_zh = item->zh;
      r.title_en = item->en;
      r.evidence_kinds = item->evidence;
    }
    entry.eval(ctx, &r.findings);
    internal::ApplyRuntime(ctx, entry.id, &r.findings);
    if (!ev.apk_unreadable.empty()) ReplaceUnreadApkFindings(ctx, entry.id, &r.findings);
    if (!kb.FindItem(entry.id)) {
      Finding f = ctx.MakeFinding(entry.id, Verdict::kNeedsManual, Strength::kNone,
                                  knowledge::Msg("common.no_kb_item_message"));
      f.needed_text = knowledge::Msg("common.no_kb_item_needed", {knowledge::Arg("item", r.id)});
      f.evidence.push_back(evidence::AbsenceRef("data/items.yaml", r.id + " missing"));
      r.findings.push_back(std::move(f));
    }
    if (r.findings.empty()) {  // an evaluator bug; never leave an item without a verdict
      Finding f = ctx.MakeFinding(entry.id, Verdict::kNeedsManual, Strength::kNone,
                                  knowledge::Msg("common.no_finding"));
      f.needed_text = knowledge::Msg("common.review_by_hand");
      r.findings.push_back(std::move(f));
    }
    for (Finding& f : r.findings) RenderTexts(kb, &f);
    int best = -1;
    for (const Finding& f : r.findings) {
      int rank = VerdictRank(f.verdict, f.strength);
      if (rank > best) {
        best = rank;
        r.verdict = f.verdict;
        r.strength = f.strength;
      }
    }
    results.push_back(std::move(r));
  }
  return results;
}

VerdictCounts CountVerdicts(std::span<const ItemResult> items) {
  VerdictCounts c;
  for (const ItemResult& r : items) {
    switch (r.verdict) {
      case Verdict::kViolation:
        (r.strength == Strength::kConfirmed ? c.violation_confirmed : c.violation_likely)++;
        break;
      case Verdict::kCompliant:
        c.compliant++;
        break;
      case Verdict::kNeedsDynamic:
        c.needs_dynamic++;
        break;
      case Verdict::kNeedsManual:
        c.needs_manual++;
        break;
      case Verdict::kNotApplicable:
        c.not_applicable++;
        break;
    }
  }
  return c;
}

}  // namespace piaudit::rules
