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
      Finding f =
          c.MakeFinding(item, Verdict::kNeedsManual, Strength::kNone,
                        std::string("Threshold ") + tid + " is missing from the knowledge base.");
      f.needed = std::string("Add ") + tid + " to data/thresholds.yaml or compare the promised " +
                 "limit with 15 working days by hand.";
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
      Finding f =
          c.MakeFinding(item, Verdict::kViolation, s,
                        "The policy promises " + promised + ", over " + std::to_string(lim) +
                            " working days (" + tid + "): " + wd.how + ".",
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
    out->push_back(c.PolicyTextMissingFinding(
        kId, "how to correct or delete personal information and cancel the account",
        Verdict::kNeedsDynamic,
        "Look in the app (account, settings, help pages) for working correction, deletion and "
        "account cancellation functions."));
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
    Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                              std::string("The policy describes no way to request ") + n.what + ".",
                              std::string(evidence::RightKindName(n.kind)));
    f.needed = std::string("Look in the app for a working way to request ") + n.what + ".";
    f.evidence.push_back(c.PolicyAbsence(
        std::string("no ") + std::string(evidence::RightKindName(n.kind)) + " right described"));
    out->push_back(std::move(f));
  }
  if (out->size() == before) {
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                              "The policy describes correction, deletion and account "
                              "cancellation.");
    f.needed = "Check in the app that the functions exist and work (IM-6.4 for the back end).";
    f.evidence = std::move(ok);
    out->push_back(std::move(f));
  }
}

void EvalIm6_2(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-6.2";
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(
        kId, "the conditions set for correction, deletion and cancellation", Verdict::kNeedsManual,
        "Try a correction, deletion and cancellation request in the app and note every "
        "condition asked for (ID-card photo, visit in person, fee ...)."));
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
    Finding f =
        c.MakeFinding(kId, Verdict::kViolation, r.certain ? c.PolicyStrength() : Strength::kLikely,
                      "The policy attaches unreasonable conditions (" + JoinLimited(bad) + ") to " +
                          std::string(evidence::RightKindName(r.kind)) + ".",
                      std::string(evidence::RightKindName(r.kind)));
    f.evidence.push_back(c.PolicyEvidence(r.span, "conditions: " + JoinLimited(bad)));
    out->push_back(std::move(f));
  }
  if (out->size() != before) return;
  if (rights.empty()) {
    Finding f = c.MakeFinding(kId, Verdict::kNeedsManual, Strength::kNone,
                              "The policy describes no rights, so no conditions can be judged "
                              "(see IM-6.1).");
    f.needed =
        "Try a correction, deletion and cancellation request in the app and note every "
        "condition asked for.";
    f.evidence.push_back(c.PolicyAbsence("no rights described"));
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                            "No unreasonable condition (ID-card photo, in-person visit, notarised "
                            "or postal-only request, fee) is attached to the rights described.");
  f.needed = "Policy only: conditions imposed in the app's own flow need a run.";
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
  std::string lim = limit ? std::to_string(static_cast<int>(*limit)) + " working days"
                          : "the T7 limit (missing from the knowledge base)";
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(
        kId, "a promised time limit for handling requests", Verdict::kNeedsManual,
        "With no promised limit, " + lim + " apply (T7): track a real request."));
    return;
  }
  std::vector<EvidenceRef> ok;
  size_t before = out->size();
  bool any = CheckLimits(c, kId, "T7", {"request", "account_cancellation"}, out, &ok);
  if (out->size() != before) return;
  if (!any) {
    Finding f = c.MakeFinding(kId, Verdict::kNeedsManual, Strength::kNone,
                              "The policy promises no time limit for correction, deletion or "
                              "cancellation requests, so " +
                                  lim + " apply (T7).");
    f.needed = "Track a real request: it must be completed within " + lim + ".";
    f.evidence.push_back(c.PolicyAbsence("no time limit for requests"));
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                            "The promised handling time is within " + lim + " (T7).");
  f.needed = "Whether requests are really handled in that time needs case tracking.";
  f.evidence = std::move(ok);
  out->push_back(std::move(f));
}

void EvalIm6_4(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(UnobservableFinding(
      c, "IM-6.4", Verdict::kNeedsManual,
      "Whether the back end completed a user's operation is not observable "
      "from the app.",
      "After deleting data or cancelling the account in the app, check (login again, "
      "data export, operator attestation) that the back end really did it.",
      "(back end)", "not observable"));
}

void EvalIm6_5(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-6.5";
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(
        kId, "a complaint and report channel", Verdict::kNeedsDynamic,
        "Look in the app (help, feedback, about pages) for a published channel for "
        "personal-information complaints and reports."));
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
        "The policy publishes no channel for personal-information "
        "complaints or reports" +
            std::string(p.channels.empty() ? " and no contact at all"
                                           : " (contacts are given, but none is offered "
                                             "for complaints)") +
            ".",
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
  Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                            "The policy publishes a complaint channel (" + channel->kind + ")" +
                                " and no promised handling time over the limit.",
                            "complaint_channel");
  f.needed = "Whether complaints are handled in time needs case tracking.";
  f.evidence = std::move(ok);
  out->push_back(std::move(f));
}

}  // namespace piaudit::rules::internal
