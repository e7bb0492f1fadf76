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

// "Application/provider start-up" or "the launcher activity's first screen", for messages.
std::string EntryWords(const evidence::SensitiveCall& call) {
  std::string entry = call.chain.empty() ? call.caller : call.chain.front();
  return call.launcher ? "the launcher activity's first screen (" + entry + ")"
                       : "a start-up entry point (" + entry + ")";
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
    std::string who = owner == "app" ? "the app's own code" : "SDK " + c.SdkLabel(owner);
    if (kind == PreConsent::kGuarded) {
      guarded.push_back(type + " (" + owner + ")");
      guarded_refs.push_back(CallRef(worst));
      continue;
    }
    Finding f;
    if (kind == PreConsent::kShown && offline) {
      f = c.MakeFinding(kId, Verdict::kNeedsDynamic, Strength::kNone,
                        who + " reads " + c.PiTypeLabel(type) + " on a direct call chain from " +
                            EntryWords(worst) +
                            " with no consent check, but the app does not request the INTERNET "
                            "permission: nothing it reads can leave the device over the network, "
                            "so collection is not shown.",
                        type, owner);
      f.needed = "Record the first run: check whether " + type +
                 " leaves the device another way (another app, a shared file, SMS) before "
                 "consent.";
      f.evidence.push_back(CallRef(worst));
      f.evidence.push_back(evidence::AbsenceRef(
          "AndroidManifest.xml", "no <uses-permission android:name=android.permission.INTERNET>"));
    } else if (kind == PreConsent::kUndecided) {
      f = c.MakeFinding(kId, Verdict::kNeedsDynamic, Strength::kNone,
                        who + " reads " + c.PiTypeLabel(type) + " on a path from " +
                            EntryWords(worst) +
                            "; a consent gate exists but the path could not be related to it.",
                        type, owner);
      f.needed = "Record the first run on a clean install: note every read of " + type +
                 " and the moment the user taps agree; a read before agree violates.";
      f.evidence.push_back(CallRef(worst));
      if (gate.flag) f.evidence.push_back(*gate.flag);
    } else if (kind == PreConsent::kLead) {
      // Fan-out alone never makes a violation likely: the chain is where a run should look.
      f = c.MakeFinding(
          kId, Verdict::kNeedsDynamic, Strength::kNone,
          who + " may read " + c.PiTypeLabel(type) + " before consent: " + EntryWords(worst) +
              " reaches it only through calls on framework types (Runnable, Executor, Handler "
              "...) taken to run every app implementor. Possible, not shown; the chain is a "
              "lead.",
          type, owner);
      f.needed =
          "Record API calls from a clean install until agree is tapped (or, with no "
          "consent dialog, through the first screen); a read of " +
          type + " in that window violates.";
      for (size_t i = 0; i < calls.size() && i < 3; ++i) f.evidence.push_back(CallRef(*calls[i]));
    } else {
      std::string why = worst.before_consent == BeforeConsent::kLikely
                            ? (gate.found ? "the consent gate does not guard this path"
                                          : "no consent check guards it")
                            : "no consent gate was recognised in the app";
      f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                        who + " reads " + c.PiTypeLabel(type) + " on a direct call chain from " +
                            EntryWords(worst) + ", and " + why +
                            ". Likely, not confirmed: record the first run to confirm.",
                        type, owner);
      f.needed =
          "Confirm dynamically: record API calls from a clean install until agree is tapped.";
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
                      "Permissions " + JoinLimited(req.permissions) +
                          " are requested on a start-up path before consent (" + req.caller + ").",
                      JoinLimited(req.permissions), req.owner.empty() ? "app" : req.owner);
    f.needed =
        "Confirm dynamically: check whether the system prompt appears before the privacy "
        "dialog is accepted.";
    f.evidence.push_back(RequestRef(req));
    out->push_back(std::move(f));
  }

  // A target below API 23: the platform grants every dangerous permission at install, before
  // the app can show anything, so the permissions are open before consent whatever the code does.
  const RuleContext::InstallTimeGrant grant = c.LegacyInstallGrant();
  if (!grant.permissions.empty()) {
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, Strength::kLikely,
        "The app targets API " + std::to_string(grant.target_sdk) +
            " (below 23, before runtime permissions), so its dangerous permissions " +
            JoinLimited(grant.Names()) +
            " are granted at install, before any in-app consent. Likely: the manifest shows the "
            "grant; a run shows whether PI is read before consent.",
        "install-time permissions");
    f.needed =
        "Install on a clean device and check the permissions are already granted at first "
        "start, before the privacy dialog (if any) is accepted.";
    f.evidence.push_back(c.TargetSdkRef());
    for (const auto* p : grant.permissions) {
      f.evidence.push_back(p->ref);
      if (f.evidence.size() > kMaxRefsPerFinding) break;
    }
    out->push_back(std::move(f));
  }

  if (!ev.CodeKnown()) {
    out->push_back(c.CodeUnknownFinding(
        kId,
        "Record API calls and permission prompts from a clean install until the privacy "
        "dialog is accepted; any PI read or permission opened before that violates."));
  }
  if (out->size() != before) return;
  // Nothing found. Compliant only with positive evidence: the gate guards every start-up read, or
  // the app has no INTERNET permission (nothing it reads can reach the operator or a third
  // party). Otherwise "not found" is not "absent": reflection, native code, WebView JavaScript
  // and code loaded at run time are not seen.
  if (!guarded.empty() || offline) {
    Finding f = c.MakeFinding(
        kId, Verdict::kCompliant, Strength::kNone,
        !guarded.empty()
            ? "Start-up reads are guarded by the consent gate: " + JoinLimited(guarded) + "."
            : "No PI-reading call was found on a start-up path, and the app does not request "
              "the INTERNET permission, so nothing it reads can leave the device.");
    f.needed =
        "Static only: reflection, native code and WebView are not covered; a first-run "
        "recording would confirm.";
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
  Finding f = UnobservableFinding(
      c, kId, Verdict::kNeedsDynamic,
      "No PI-reading call was found on a start-up path (Application, providers, static "
      "initialisers, the launcher activity's first screen). Not finding one does not show there "
      "is none: reflection, native code, WebView JavaScript and code loaded at run time are not "
      "seen, and the app can send data (INTERNET permission).",
      "Record API calls from a clean install until the privacy dialog is accepted (or through "
      "the first screen when there is none); any PI read in that window violates.",
      "(code)", "no start-up path to a PI-reading call found");
  out->push_back(std::move(f));
}

void EvalIm3_2(const RuleContext& c, std::vector<Finding>* out) {
  std::optional<double> hours = c.Threshold("T1");
  out->push_back(UnobservableFinding(
      c, "IM-3.2", Verdict::kNeedsDynamic,
      "Collection after refusal and repeated prompting happen at run time.",
      "Refuse the privacy dialog and each permission prompt; record PI reads after the "
      "refusal and every new prompt for the same permission" +
          (hours ? " within " + std::to_string(static_cast<int>(*hours)) + " hours (T1)"
                 : std::string(" (threshold T1 missing from the knowledge base)")) +
          ".",
      "(trace)", "no runtime trace"));
}

void EvalIm3_3(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(UnobservableFinding(
      c, "IM-3.3", Verdict::kNeedsDynamic, "What the user authorised is only known at run time.",
      "Record which permissions and consents the user granted, then the PI actually read "
      "and sent; anything beyond the granted scope violates.",
      "(trace)", "no runtime trace"));
}

void EvalIm3_4(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-3.4";
  const evidence::AppEvidence& ev = c.ev();
  for (const auto& p : ev.prechecked_consents) {
    Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                              "A consent checkbox '" + p.view_id + "' in " + p.layout +
                                  " is checked by default next to consent text. Likely: code may "
                                  "uncheck it before showing.",
                              p.view_id);
    EvidenceRef r = p.ref;
    if (r.detail.empty()) r.detail = "checked=true; nearby text: " + p.nearby_text;
    f.evidence.push_back(std::move(r));
    out->push_back(std::move(f));
  }
  if (!ev.prechecked_consents.empty()) return;
  if (ev.consent_gate.found) {
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                              "A consent dialog was found and no consent checkbox is checked by "
                              "default in any layout.");
    f.needed =
        "Layouts only: a box checked from code is not seen; the first-run recording shows "
        "the real state.";
    f.evidence = ev.consent_gate.dialog;
    f.evidence.push_back(evidence::AbsenceRef("res/layout", "no pre-checked consent checkbox"));
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kNeedsDynamic, Strength::kNone,
                            "No pre-checked consent box in the layouts, but the consent screen "
                            "itself was not recognised.");
  f.needed =
      "Screenshot the consent screen on first run; a box or switch already ticked for the "
      "policy violates.";
  f.evidence.push_back(evidence::AbsenceRef("res/layout", "no pre-checked consent checkbox"));
  out->push_back(std::move(f));
}

void EvalIm3_5(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(UnobservableFinding(
      c, "IM-3.5", Verdict::kNeedsDynamic,
      "Permission settings changed by an update need two versions.",
      "Install the previous version, set permissions (deny some), update to this version "
      "and check that no permission state was reset or changed without consent.",
      "(versions)", "only one version analysed"));
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
      out->push_back(c.CodeUnknownFinding(
          kId,
          "Use the app and record whether pushed or recommended content is personalised; "
          "if so, check a non-personalised option exists."));
      return;
    }
    Finding f = c.MakeFinding(kId, Verdict::kNotApplicable, Strength::kNone,
                              "No push or advertising SDK and no personalised recommendation "
                              "statement was found.");
    f.evidence.push_back(evidence::AbsenceRef("(sdks, policy)", "no push/ads SDK, no mention"));
    out->push_back(std::move(f));
    return;
  }
  std::vector<std::string> names;
  for (const auto* s : sdks) names.push_back(s->id);
  std::string trigger =
      (sdks.empty() ? std::string() : "push/ads SDKs " + JoinLimited(names)) +
      (sdks.empty() || mentions.empty() ? "" : " and ") +
      (mentions.empty() ? std::string() : "the policy states targeted push / recommendation");
  if (c.policy_state() != PolicyState::kAnalysed) {
    // The targeting is real (an SDK or a statement), the option may live in the app's settings.
    Finding f = c.PolicyTextMissingFinding(
        kId, "a non-personalised option (targeting: " + trigger + ")", Verdict::kNeedsDynamic,
        "Look in the app's settings for an option to turn off personalised push, "
        "recommendations or ads, and check that it works.");
    for (const auto* sdk : sdks) {
      if (!sdk->refs.empty()) f.evidence.push_back(sdk->refs.front());
    }
    out->push_back(std::move(f));
    return;
  }
  for (const auto& r : ev.policy.rights) {
    if (r.kind != evidence::RightKind::kPersonalizationOptOut) continue;
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                              "Targeted content is possible (" + trigger +
                                  ") and the policy describes a non-personalised option.");
    f.needed = "Check in the app that the option exists and works.";
    f.evidence.push_back(c.PolicyEvidence(r.span, "personalisation opt-out"));
    out->push_back(std::move(f));
    return;
  }
  // Never confirmed: the violation rests on an absence in the text (the lexicon can miss an
  // opt-out worded its own way), and the option the item asks for lives in the app, whose
  // settings may offer it although the policy does not say so.
  Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                            "Targeted content is possible (" + trigger +
                                ") but the policy describes no non-personalised option.",
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
  f.needed =
      "Look in the app's settings for an option to turn off personalised push, "
      "recommendations or ads; none is described in the policy.";
  out->push_back(std::move(f));
}

void EvalIm3_7(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(UnobservableFinding(
      c, "IM-3.7", Verdict::kNeedsManual,
      "Deception or misleading wording is a judgement on the whole UI flow.",
      "Review the consent flow and its wording: rewards for consent, hidden refuse "
      "buttons, misleading claims (e.g. 'required by law') or consent buried in other "
      "agreements.",
      "(manual)", "needs a reviewer"));
}

void EvalIm3_8(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-3.8";
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(
        kId, "a way to withdraw consent", Verdict::kNeedsDynamic,
        "Look in the app (settings, privacy, account pages) for a way to withdraw consent to "
        "the collection of personal information, and check that it works."));
    return;
  }
  for (const auto& r : c.ev().policy.rights) {
    if (r.kind != evidence::RightKind::kWithdrawConsent) continue;
    Finding f = c.MakeFinding(
        kId, Verdict::kCompliant, Strength::kNone,
        "The policy describes how to withdraw consent" +
            (r.in_app_path.empty() ? std::string() : " (" + r.in_app_path + ")") + ".",
        "withdraw_consent");
    f.needed = "Check in the app that the described path exists and works.";
    f.evidence.push_back(c.PolicyEvidence(r.span, "withdraw consent"));
    out->push_back(std::move(f));
    return;
  }
  // Likely, not confirmed: an absence in the text is not a fact read (a route worded its own way
  // can escape the lexicon), and the route may live in the app's settings.
  Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                            "The policy describes no way to withdraw consent.", "withdraw_consent");
  f.needed = "Look in the app's settings and account pages for a way to withdraw consent.";
  f.evidence.push_back(c.PolicyAbsence("no withdraw-consent right described"));
  out->push_back(std::move(f));
}

void EvalIm3_9(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-3.9";
  const evidence::AppEvidence& ev = c.ev();
  switch (c.policy_state()) {
    case PolicyState::kAbsent: {
      Finding f = c.MakeFinding(kId, Verdict::kNotApplicable, Strength::kNone,
                                "There are no stated rules to act against (no policy; see "
                                "IM-1.1).");
      f.evidence.push_back(evidence::AbsenceRef("(policy)", "no privacy policy"));
      out->push_back(std::move(f));
      return;
    }
    case PolicyState::kUnread:
      out->push_back(c.PolicyMissingFinding(kId, "what the app promises not to collect"));
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
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, Strength::kLikely,
        "The policy says " + c.PiTypeLabel(d.type_id) +
            " is not collected, but the code reads it (" + std::to_string(calls.size()) +
            " call sites; owners: " + JoinLimited({owners.begin(), owners.end()}) + ").",
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
      Finding f = c.MakeFinding(
          kId, Verdict::kViolation, Strength::kLikely,
          "The policy says permission " + perm.name + " is not used, but the manifest requests it.",
          perm.name);
      f.evidence.push_back(c.PolicyEvidence(pp.span, "permission not used"));
      f.evidence.push_back(perm.ref);
      out->push_back(std::move(f));
    }
  }
  if (out->size() != before) return;
  if (!ev.CodeKnown()) {
    out->push_back(c.CodeUnknownFinding(
        kId,
        "Record the PI read and sent at run time and compare with what the policy says is "
        "not collected."));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                            "No PI type or permission that the policy rules out was found in the "
                            "code or manifest.");
  f.needed = "Static comparison only; traffic (N) and runtime reads (D) are not covered.";
  f.evidence.push_back(c.PolicyAbsence("no contradiction between negative statements and code"));
  out->push_back(std::move(f));
}

}  // namespace piaudit::rules::internal
