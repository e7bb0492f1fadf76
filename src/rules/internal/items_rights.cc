// IM-6: correction, deletion, account cancellation, and complaint channels.
//
// Decided from the policy text: which rights it describes, the conditions attached to them, the
// promised time limits and the complaint channels. Whether requests are really handled in time
// (IM-6.3 practice, IM-6.4, IM-6.5 practice) needs case tracking, so those parts are manual.
//
// Time limits: 15 working days (T7, T8) are compared with the promise converted to working days
// over every start date the holiday calendar covers (context.h ToWorkingDays): a promise whose
// minimum exceeds the limit is a violation whatever the start date; one that exceeds it only for
// some start dates is `likely`.
#include <string>
#include <utility>
#include <vector>

#include "rules/internal/context.h"

namespace piaudit::rules::internal {

using evidence::EvidenceRef;
using evidence::RightKind;

namespace {

// Conditions that make a right hard to use (identification method 6(2): ID-card photos,
// in-person visits, ...). Proof of identity or a written request alone are reasonable.
bool Unreasonable(std::string_view cond) {
  return cond == "id_card" || cond == "in_person" || cond == "notarized" || cond == "post_only" ||
         cond == "fee";
}

// Checks every promised limit whose subject is in `subjects` against threshold `tid`.
// Returns true when at least one limit applied.
bool CheckLimits(const RuleContext& c, const char* item, const char* tid,
                 std::initializer_list<std::string_view> subjects, std::vector<Finding>* out,
                 std::vector<EvidenceRef>* ok_refs) {
  std::optional<double> limit = c.Threshold(tid);
  bool any = false;
  for (const auto& tl : c.ev().policy.time_limits) {
    bool match = false;
    for (auto s : subjects) match = match || tl.applies_to == s;
    if (!match) continue;
    any = true;
    if (!limit) {
      Finding f = c.MakeFinding(item, Verdict::kNeedsManual, Strength::kNone,
                                Msg("threshold.missing", {Arg("id", tid)}));
      f.needed_text = Msg("threshold.needed_missing", {Arg("id", tid)});
      f.evidence.push_back(c.PolicyEvidence(tl.span, "promised limit"));
      out->push_back(std::move(f));
      continue;
    }
    WorkingDayRange wd = c.ToWorkingDays(tl);
    std::string promised = std::to_string(tl.amount) + " " +
                           std::string(evidence::TimeUnitName(tl.unit)) + " (" + tl.applies_to +
                           ")";
    int64_t lim = static_cast<int64_t>(*limit);
    if (wd.min > lim || wd.max > lim) {
      // Certain only when every start date exceeds the limit, holidays were accounted for, and the
      // limit was read with high certainty (its subject in its clause, no notice period).
      Strength s =
          (wd.min > lim && wd.calendar && tl.certain) ? c.PolicyStrength() : Strength::kLikely;
      Finding f = c.MakeFinding(item, Verdict::kViolation, s,
                                Msg("im6.limit_over", {Arg("promised", promised), Arg("limit", lim),
                                                       Arg("id", tid), MsgArg("how", wd.how_text)}),
                                tl.applies_to);
      f.evidence.push_back(c.PolicyEvidence(tl.span, "promised limit"));
      out->push_back(std::move(f));
    } else {
      ok_refs->push_back(c.PolicyEvidence(tl.span, "promised " + promised + ": " + wd.how));
    }
  }
  return any;
}

}  // namespace

void EvalIm6_1(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-6.1";
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(kId, Msg("what.rights"), Verdict::kNeedsDynamic,
                                              Msg("im6_1.needed_no_text")));
    return;
  }
  const struct {
    RightKind kind;
    const char* what;
  } needed[] = {{RightKind::kCorrection, "correction of personal information"},
                {RightKind::kDeletion, "deletion of personal information"},
                {RightKind::kAccountCancellation, "account cancellation"}};
  std::vector<EvidenceRef> ok;
  size_t before = out->size();
  for (const auto& n : needed) {
    const evidence::PolicyRight* found = nullptr;
    for (const auto& r : c.ev().policy.rights) {
      if (r.kind == n.kind) {
        found = &r;
        break;
      }
    }
    if (found) {
      ok.push_back(c.PolicyEvidence(found->span, std::string(n.what)));
      continue;
    }
    // Likely, not confirmed: an absence in the text is not a fact read, and the function the item
    // asks for lives in the app, which may offer it although the policy is silent.
    const knowledge::MessageText what =
        Msg("right." + std::string(evidence::RightKindName(n.kind)));
    Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                              Msg("im6_1.missing", {MsgArg("what", what)}),
                              std::string(evidence::RightKindName(n.kind)));
    f.needed_text = Msg("im6_1.needed_missing", {MsgArg("what", what)});
    f.evidence.push_back(c.PolicyAbsence(
        std::string("no ") + std::string(evidence::RightKindName(n.kind)) + " right described"));
    out->push_back(std::move(f));
  }
  if (out->size() == before) {
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone, Msg("im6_1.all"));
    f.needed_text = Msg("im6_1.needed_all");
    f.evidence = std::move(ok);
    out->push_back(std::move(f));
  }
}

void EvalIm6_2(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-6.2";
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(kId, Msg("what.conditions"), Verdict::kNeedsManual,
                                              Msg("im6_2.needed_no_text")));
    return;
  }
  const auto& rights = c.ev().policy.rights;
  size_t before = out->size();
  for (const auto& r : rights) {
    std::vector<std::string> bad;
    for (const auto& cond : r.conditions) {
      if (Unreasonable(cond)) bad.push_back(cond);
    }
    if (bad.empty()) continue;
    // Confirmed only on a condition read with high certainty from a sentence about rights.
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, r.certain ? c.PolicyStrength() : Strength::kLikely,
        Msg("im6_2.unreasonable",
            {ListArg("conditions", bad),
             MsgArg("right", Msg("right." + std::string(evidence::RightKindName(r.kind))))}),
        std::string(evidence::RightKindName(r.kind)));
    f.evidence.push_back(c.PolicyEvidence(r.span, "conditions: " + JoinLimited(bad)));
    out->push_back(std::move(f));
  }
  if (out->size() != before) return;
  if (rights.empty()) {
    Finding f = c.MakeFinding(kId, Verdict::kNeedsManual, Strength::kNone, Msg("im6_2.no_rights"));
    f.needed_text = Msg("im6_2.needed_try");
    f.evidence.push_back(c.PolicyAbsence("no rights described"));
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone, Msg("im6_2.none"));
  f.needed_text = Msg("im6_2.needed_policy_only");
  for (const auto& r : rights) {
    f.evidence.push_back(c.PolicyEvidence(r.span, std::string(evidence::RightKindName(r.kind))));
    if (f.evidence.size() >= 4) break;
  }
  out->push_back(std::move(f));
}

void EvalIm6_3(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-6.3";
  std::optional<double> limit = c.Threshold("T7");
  // No number in code: without T7 the message names the missing threshold instead.
  const knowledge::MessageText lim =
      limit ? Msg("im6_3.limit_days", {Arg("days", static_cast<int64_t>(*limit))})
            : Msg("im6_3.limit_missing");
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(kId, Msg("what.time_limit"), Verdict::kNeedsManual,
                                              Msg("im6_3.needed_no_text", {MsgArg("limit", lim)})));
    return;
  }
  std::vector<EvidenceRef> ok;
  size_t before = out->size();
  bool any = CheckLimits(c, kId, "T7", {"request", "account_cancellation"}, out, &ok);
  if (out->size() != before) return;
  if (!any) {
    Finding f = c.MakeFinding(kId, Verdict::kNeedsManual, Strength::kNone,
                              Msg("im6_3.no_limit", {MsgArg("limit", lim)}));
    f.needed_text = Msg("im6_3.needed_track", {MsgArg("limit", lim)});
    f.evidence.push_back(c.PolicyAbsence("no time limit for requests"));
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                            Msg("im6_3.within", {MsgArg("limit", lim)}));
  f.needed_text = Msg("im6_3.needed_cases");
  f.evidence = std::move(ok);
  out->push_back(std::move(f));
}

void EvalIm6_4(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(UnobservableFinding(c, "IM-6.4", Verdict::kNeedsManual, Msg("im6_4.message"),
                                     Msg("im6_4.needed"), "(back end)", "not observable"));
}

void EvalIm6_5(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-6.5";
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(kId, Msg("what.complaint_channel"),
                                              Verdict::kNeedsDynamic, Msg("im6_5.needed_no_text")));
    return;
  }
  const evidence::PolicyFacts& p = c.ev().policy;
  std::vector<EvidenceRef> ok;
  size_t before = out->size();
  const evidence::PolicyChannel* channel = nullptr;
  for (const auto& ch : p.channels) {
    if (ch.complaint) {
      channel = &ch;
      break;
    }
  }
  if (!channel) {
    // With no contact at all the absence is plain; when contacts are given but none was read as
    // taking complaints, the reading may have missed it: likely, not confirmed.
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, p.channels.empty() ? c.PolicyStrength() : Strength::kLikely,
        Msg(p.channels.empty() ? "im6_5.no_contact" : "im6_5.no_complaint_channel"),
        "complaint_channel");
    f.evidence.push_back(c.PolicyAbsence("no complaint/report channel"));
    for (const auto& ch : p.channels) {
      f.evidence.push_back(c.PolicyEvidence(ch.span, "contact (" + ch.kind + ")"));
      if (f.evidence.size() >= 3) break;
    }
    out->push_back(std::move(f));
  } else {
    ok.push_back(c.PolicyEvidence(channel->span, "complaint channel (" + channel->kind + ")"));
  }
  CheckLimits(c, kId, "T8", {"complaint"}, out, &ok);
  if (out->size() != before) return;
  Finding f =
      c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                    Msg("im6_5.channel", {Arg("kind", channel->kind)}), "complaint_channel");
  f.needed_text = Msg("im6_5.needed_cases");
  f.evidence = std::move(ok);
  out->push_back(std::move(f));
}

}  // namespace piaudit::rules::internal
