// IM-3: collected or used without consent.
//
// Static evidence can only say that a path to a PI-reading call starts at a start-up entry point
// and whether the consent gate (dialog + agree handler + stored flag) seems to guard it; it
// cannot show that the path runs. So every code-based violation here is `likely`, and the
// message says what a dynamic run must record to confirm it. A path that exists only through
// class-hierarchy fan-out on framework types (SensitiveCall::fan_out) is weaker still: possible,
// not shown, so it is a lead for that run (needs-dynamic), never a violation on its own.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rules/internal/context.h"

namespace piaudit::rules::internal {

using evidence::BeforeConsent;
using evidence::EvidenceRef;

namespace {

// What one start-up call shows about collection before consent, strongest first.
enum class PreConsent : uint8_t {
  kShown,      // a direct chain, not guarded by the consent gate (or no gate exists)
  kUndecided,  // a direct chain a consent gate exists beside, not related to it
  kLead,       // only a fan-out chain (possible, not shown): a lead for a dynamic run
  kGuarded,    // every start-up path passes the consent check
};

PreConsent Classify(const evidence::SensitiveCall& call, bool gate_found) {
  if (call.before_consent == BeforeConsent::kNo) return PreConsent::kGuarded;
  if (call.fan_out) return PreConsent::kLead;
  if (call.before_consent == BeforeConsent::kLikely || !gate_found) return PreConsent::kShown;
  return PreConsent::kUndecided;
}

// "a start-up entry point (X)" or "the launcher activity's first screen (X)", for messages.
knowledge::MessageText EntryWords(const evidence::SensitiveCall& call) {
  std::string entry = call.chain.empty() ? call.caller : call.chain.front();
  return Msg(call.launcher ? "entry.launcher" : "entry.startup", {Arg("entry", entry)});
}

// Push and advertising SDKs: data/sdk_categories.yaml `targeting`.
bool IsTargetingCategory(const RuleContext& c, std::string_view category) {
  const knowledge::SdkCategory* cat = c.kb().FindSdkCategory(category);
  return cat != nullptr && cat->targeting;
}

}  // namespace

void EvalIm3_1(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-3.1";
  const evidence::AppEvidence& ev = c.ev();
  const evidence::ConsentGate& gate = ev.consent_gate;
  size_t before = out->size();

  // Group start-up calls (process start and the launcher's first screen) by (owner, PI type):
  // one finding each, on the strongest call's chain.
  std::map<std::pair<std::string, std::string>, std::vector<const evidence::SensitiveCall*>> groups;
  for (const auto& call : ev.sensitive_calls) {
    if (!call.startup) continue;
    groups[{call.owner.empty() ? "app" : call.owner, call.pi_type}].push_back(&call);
  }
  // Without the INTERNET permission nothing the app reads can reach the operator or a third
  // party over the network, so a read before consent does not show collection by itself.
  bool internet = false;
  for (const auto& p : ev.permissions) internet |= p.name == "android.permission.INTERNET";
  const bool manifest_read = ev.apk_unreadable.empty();
  const bool offline = !internet && manifest_read;
  std::vector<std::string> guarded;
  std::vector<EvidenceRef> guarded_refs;
  // Findings with their sort key: how much they show, then process start before first screen.
  std::vector<std::pair<std::pair<int, int>, Finding>> found;
  for (auto& [key, calls] : groups) {
    const auto& [owner, type] = key;
    std::stable_sort(calls.begin(), calls.end(), [&](const auto* a, const auto* b) {
      PreConsent ca = Classify(*a, gate.found), cb = Classify(*b, gate.found);
      if (ca != cb) return ca < cb;
      return CallCertaintyRank(*a) > CallCertaintyRank(*b);
    });
    const evidence::SensitiveCall& worst = *calls.front();
    const PreConsent kind = Classify(worst, gate.found);
    const knowledge::MessageText who = c.Who(owner);
    std::vector<knowledge::MessageArg> args = {MsgArg("who", who), c.PiTypeArg("pi_type", type),
                                               MsgArg("entry", EntryWords(worst))};
    if (kind == PreConsent::kGuarded) {
      guarded.push_back(type + " (" + owner + ")");
      guarded_refs.push_back(CallRef(worst));
      continue;
    }
    Finding f;
    if (kind == PreConsent::kShown && offline) {
      f = c.MakeFinding(kId, Verdict::kNeedsDynamic, Strength::kNone,
                        Msg("im3_1.read_offline", args), type, owner);
      f.needed_text = Msg("im3_1.needed_offline", {Arg("type", type)});
      f.evidence.push_back(CallRef(worst));
      f.evidence.push_back(evidence::AbsenceRef(
          "AndroidManifest.xml", "no <uses-permission android:name=android.permission.INTERNET>"));
    } else if (kind == PreConsent::kUndecided) {
      f = c.MakeFinding(kId, Verdict::kNeedsDynamic, Strength::kNone,
                        Msg("im3_1.read_undecided", args), type, owner);
      f.needed_text = Msg("im3_1.needed_undecided", {Arg("type", type)});
      f.evidence.push_back(CallRef(worst));
      if (gate.flag) f.evidence.push_back(*gate.flag);
    } else if (kind == PreConsent::kLead) {
      // Fan-out alone never makes a violation likely: the chain is where a run should look.
      f = c.MakeFinding(kId, Verdict::kNeedsDynamic, Strength::kNone, Msg("im3_1.read_lead", args),
                        type, owner);
      f.needed_text = Msg("im3_1.needed_lead", {Arg("type", type)});
      for (size_t i = 0; i < calls.size() && i < 3; ++i) f.evidence.push_back(CallRef(*calls[i]));
    } else {
      const char* why = worst.before_consent == BeforeConsent::kLikely
                            ? (gate.found ? "im3_1.why_gate_misses" : "im3_1.why_no_check")
                            : "im3_1.why_no_gate";
      args.push_back(MsgArg("why", Msg(why)));
      f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                        Msg("im3_1.read_before_consent", args), type, owner);
      f.needed_text = Msg("im3_1.needed_confirm");
      for (size_t i = 0; i < calls.size() && i < 3; ++i) f.evidence.push_back(CallRef(*calls[i]));
      if (gate.flag) f.evidence.push_back(*gate.flag);
      if (!gate.found) {
        f.evidence.push_back(
            evidence::AbsenceRef("(consent gate)", "no consent dialog/flag found"));
      }
    }
    const int rank = kind == PreConsent::kShown && offline
                         ? static_cast<int>(PreConsent::kUndecided)
                         : static_cast<int>(kind);
    found.emplace_back(std::make_pair(rank, worst.launcher ? 1 : 0), std::move(f));
  }
  // Direct chains first, so the reader meets what the code is shown to do before the leads.
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [rank, f] : found) out->push_back(std::move(f));

  for (const auto& req : ev.startup_permission_requests) {
    bool pre = req.before_consent == BeforeConsent::kLikely ||
               (req.before_consent == BeforeConsent::kUnknown && !gate.found);
    if (!pre) continue;
    Finding f =
        c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                      Msg("im3_1.permission_request",
                          {ListArg("permissions", req.permissions), Arg("caller", req.caller)}),
                      JoinLimited(req.permissions), req.owner.empty() ? "app" : req.owner);
    f.needed_text = Msg("im3_1.needed_permission_request");
    f.evidence.push_back(RequestRef(req));
    out->push_back(std::move(f));
  }

  // A target below API 23: the platform grants every dangerous permission at install, before
  // the app can show anything, so the permissions are open before consent whatever the code does.
  const RuleContext::InstallTimeGrant grant = c.LegacyInstallGrant();
  if (!grant.permissions.empty()) {
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, Strength::kLikely,
        Msg("im3_1.install_grant", {Arg("target", static_cast<int64_t>(grant.target_sdk)),
                                    ListArg("permissions", grant.Names())}),
        "install-time permissions");
    f.needed_text = Msg("im3_1.needed_install_grant");
    f.evidence.push_back(c.TargetSdkRef());
    for (const auto* p : grant.permissions) {
      f.evidence.push_back(p->ref);
      if (f.evidence.size() > kMaxRefsPerFinding) break;
    }
    out->push_back(std::move(f));
  }

  if (!ev.CodeKnown()) {
    out->push_back(c.CodeUnknownFinding(kId, Msg("im3_1.needed_code_unknown")));
  }
  if (out->size() != before) return;
  // Nothing found. Compliant only with positive evidence: the gate guards every start-up read, or
  // the app has no INTERNET permission (nothing it reads can reach the operator or a third
  // party). Otherwise "not found" is not "absent": reflection, native code, WebView JavaScript
  // and code loaded at run time are not seen.
  if (!guarded.empty() || offline) {
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                              !guarded.empty() ? Msg("im3_1.guarded", {ListArg("list", guarded)})
                                               : Msg("im3_1.offline_nothing"));
    f.needed_text = Msg("im3_1.needed_static_only");
    f.evidence = std::move(guarded_refs);
    if (gate.agree_handler) f.evidence.push_back(*gate.agree_handler);
    if (gate.flag) f.evidence.push_back(*gate.flag);
    if (guarded.empty()) {
      f.evidence.push_back(evidence::AbsenceRef(
          "AndroidManifest.xml", "no <uses-permission android:name=android.permission.INTERNET>"));
    }
    out->push_back(std::move(f));
    return;
  }
  Finding f = UnobservableFinding(c, kId, Verdict::kNeedsDynamic, Msg("im3_1.nothing_found"),
                                  Msg("im3_1.needed_nothing_found"), "(code)",
                                  "no start-up path to a PI-reading call found");
  out->push_back(std::move(f));
}

void EvalIm3_2(const RuleContext& c, std::vector<Finding>* out) {
  std::optional<double> hours = c.Threshold("T1");
  out->push_back(
      UnobservableFinding(c, "IM-3.2", Verdict::kNeedsDynamic, Msg("im3_2.message"),
                          hours ? Msg("im3_2.needed", {Arg("hours", static_cast<int64_t>(*hours))})
                                : Msg("im3_2.needed_no_threshold"),
                          "(trace)", "no runtime trace"));
}

void EvalIm3_3(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(UnobservableFinding(c, "IM-3.3", Verdict::kNeedsDynamic, Msg("im3_3.message"),
                                     Msg("im3_3.needed"), "(trace)", "no runtime trace"));
}

void EvalIm3_4(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-3.4";
  const evidence::AppEvidence& ev = c.ev();
  for (const auto& p : ev.prechecked_consents) {
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, Strength::kLikely,
        Msg("im3_4.prechecked", {Arg("view", p.view_id), Arg("layout", p.layout)}), p.view_id);
    EvidenceRef r = p.ref;
    if (r.detail.empty()) r.detail = "checked=true; nearby text: " + p.nearby_text;
    f.evidence.push_back(std::move(r));
    out->push_back(std::move(f));
  }
  if (!ev.prechecked_consents.empty()) return;
  if (ev.consent_gate.found) {
    Finding f =
        c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone, Msg("im3_4.none_prechecked"));
    f.needed_text = Msg("im3_4.needed_layouts_only");
    f.evidence = ev.consent_gate.dialog;
    f.evidence.push_back(evidence::AbsenceRef("res/layout", "no pre-checked consent checkbox"));
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kNeedsDynamic, Strength::kNone, Msg("im3_4.no_screen"));
  f.needed_text = Msg("im3_4.needed_screenshot");
  f.evidence.push_back(evidence::AbsenceRef("res/layout", "no pre-checked consent checkbox"));
  out->push_back(std::move(f));
}

void EvalIm3_6(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-3.6";
  const evidence::AppEvidence& ev = c.ev();
  std::vector<const evidence::SdkFact*> sdks;
  for (const auto& s : ev.sdks) {
    if (IsTargetingCategory(c, s.category)) sdks.push_back(&s);
  }
  const auto& mentions = ev.policy.personalization_mentions;
  if (sdks.empty() && mentions.empty()) {
    if (!ev.CodeKnown()) {
      out->push_back(c.CodeUnknownFinding(kId, Msg("im3_6.needed_code_unknown")));
      return;
    }
    Finding f = c.MakeFinding(kId, Verdict::kNotApplicable, Strength::kNone, Msg("im3_6.nothing"));
    f.evidence.push_back(evidence::AbsenceRef("(sdks, policy)", "no push/ads SDK, no mention"));
    out->push_back(std::move(f));
    return;
  }
  std::vector<std::string> names;
  for (const auto* s : sdks) names.push_back(s->id);
  const knowledge::MessageText trigger = sdks.empty() ? Msg("im3_6.trigger_policy")
                                         : mentions.empty()
                                             ? Msg("im3_6.trigger_sdks", {ListArg("sdks", names)})
                                             : Msg("im3_6.trigger_both", {ListArg("sdks", names)});
  if (c.policy_state() != PolicyState::kAnalysed) {
    // The targeting is real (an SDK or a statement), the option may live in the app's settings.
    Finding f =
        c.PolicyTextMissingFinding(kId, Msg("what.non_personalised", {MsgArg("trigger", trigger)}),
                                   Verdict::kNeedsDynamic, Msg("im3_6.needed_settings"));
    for (const auto* sdk : sdks) {
      if (!sdk->refs.empty()) f.evidence.push_back(sdk->refs.front());
    }
    out->push_back(std::move(f));
    return;
  }
  for (const auto& r : ev.policy.rights) {
    if (r.kind != evidence::RightKind::kPersonalizationOptOut) continue;
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                              Msg("im3_6.opt_out", {MsgArg("trigger", trigger)}));
    f.needed_text = Msg("im3_6.needed_check_option");
    f.evidence.push_back(c.PolicyEvidence(r.span, "personalisation opt-out"));
    out->push_back(std::move(f));
    return;
  }
  // Never confirmed: the violation rests on an absence in the text (the lexicon can miss an
  // opt-out worded its own way), and the option the item asks for lives in the app, whose
  // settings may offer it although the policy does not say so.
  Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                            Msg("im3_6.no_opt_out", {MsgArg("trigger", trigger)}),
                            mentions.empty() ? JoinLimited(names) : "personalization",
                            sdks.size() == 1 && mentions.empty() ? sdks.front()->id : "app");
  for (const auto& m : mentions) {
    f.evidence.push_back(c.PolicyEvidence(m, "targeted push / recommendation"));
    if (f.evidence.size() >= 3) break;
  }
  for (const auto* sdk : sdks) {
    if (!sdk->refs.empty()) f.evidence.push_back(sdk->refs.front());
  }
  f.evidence.push_back(c.PolicyAbsence("no personalisation opt-out described"));
  f.needed_text = Msg("im3_6.needed_no_opt_out");
  out->push_back(std::move(f));
}

void EvalIm3_7(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(UnobservableFinding(c, "IM-3.7", Verdict::kNeedsManual, Msg("im3_7.message"),
                                     Msg("im3_7.needed"), "(manual)", "needs a reviewer"));
}

void EvalIm3_8(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-3.8";
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(kId, Msg("what.withdraw"), Verdict::kNeedsDynamic,
                                              Msg("im3_8.needed_no_text")));
    return;
  }
  for (const auto& r : c.ev().policy.rights) {
    if (r.kind != evidence::RightKind::kWithdrawConsent) continue;
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                              r.in_app_path.empty()
                                  ? Msg("im3_8.described")
                                  : Msg("im3_8.described_path", {Arg("path", r.in_app_path)}),
                              "withdraw_consent");
    f.needed_text = Msg("im3_8.needed_check_path");
    f.evidence.push_back(c.PolicyEvidence(r.span, "withdraw consent"));
    out->push_back(std::move(f));
    return;
  }
  // Likely, not confirmed: an absence in the text is not a fact read (a route worded its own way
  // can escape the lexicon), and the route may live in the app's settings.
  Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely, Msg("im3_8.not_described"),
                            "withdraw_consent");
  f.needed_text = Msg("im3_8.needed_look");
  f.evidence.push_back(c.PolicyAbsence("no withdraw-consent right described"));
  out->push_back(std::move(f));
}

void EvalIm3_9(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-3.9";
  const evidence::AppEvidence& ev = c.ev();
  switch (c.policy_state()) {
    case PolicyState::kAbsent: {
      Finding f =
          c.MakeFinding(kId, Verdict::kNotApplicable, Strength::kNone, Msg("im3_9.no_policy"));
      f.evidence.push_back(evidence::AbsenceRef("(policy)", "no privacy policy"));
      out->push_back(std::move(f));
      return;
    }
    case PolicyState::kUnread:
      out->push_back(c.PolicyMissingFinding(kId, Msg("what.not_collect")));
      return;
    case PolicyState::kAnalysed:
      break;
  }
  size_t before = out->size();
  for (const auto& d : ev.policy.data_types) {
    if (!d.not_collected || d.collected) continue;
    std::vector<const evidence::SensitiveCall*> calls;
    for (const auto& call : ev.sensitive_calls) {
      if (call.pi_type == d.type_id || c.kb().PiTypeIsA(call.pi_type, d.type_id)) {
        calls.push_back(&call);
      }
    }
    if (calls.empty()) continue;
    std::set<std::string> owners;
    for (const auto* call : calls) owners.insert(call->owner.empty() ? "app" : call->owner);
    Finding f =
        c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                      Msg("im3_9.type_read", {c.PiTypeArg("pi_type", d.type_id),
                                              Arg("count", static_cast<int64_t>(calls.size())),
                                              ListArg("owners", {owners.begin(), owners.end()})}),
                      d.type_id, owners.size() == 1 ? *owners.begin() : "app");
    if (!d.spans.empty()) f.evidence.push_back(c.PolicyEvidence(d.spans.front(), "not collected"));
    SortByCertainty(&calls);
    for (size_t i = 0; i < calls.size() && i < 3; ++i) f.evidence.push_back(CallRef(*calls[i]));
    out->push_back(std::move(f));
  }
  for (const auto& pp : ev.policy.permissions) {
    if (!pp.negated) continue;
    for (const auto& perm : ev.permissions) {
      size_t dot = perm.name.rfind('.');
      std::string short_name = dot == std::string::npos ? perm.name : perm.name.substr(dot + 1);
      if (pp.permission != perm.name && pp.permission != short_name) continue;
      Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                                Msg("im3_9.permission_requested", {Arg("permission", perm.name)}),
                                perm.name);
      f.evidence.push_back(c.PolicyEvidence(pp.span, "permission not used"));
      f.evidence.push_back(perm.ref);
      out->push_back(std::move(f));
    }
  }
  if (out->size() != before) return;
  if (!ev.CodeKnown()) {
    out->push_back(c.CodeUnknownFinding(kId, Msg("im3_9.needed_code_unknown")));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone, Msg("im3_9.consistent"));
  f.needed_text = Msg("im3_9.needed_static_only");
  f.evidence.push_back(c.PolicyAbsence("no contradiction between negative statements and code"));
  out->push_back(std::move(f));
}

}  // namespace piaudit::rules::internal
