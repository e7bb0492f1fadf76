// IM-4 (not necessary for the service) and IM-5 (given to others without consent).
//
// IM-4.1 compares the PI the app can read (code and dangerous permissions) with the necessary PI
// of its type in 国信办秘字〔2021〕14号 (knowledge base app_types). Reading non-necessary PI is not
// itself forbidden (it needs its own refusable consent), so a type the policy ties to a named
// function goes to needs-manual instead of a violation. IM-5 looks at embedded SDKs: one that
// collects PI (knowledge base) and is not disclosed is a likely IM-5.1 case.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rules/internal/context.h"

namespace piaudit::rules::internal {

using evidence::EvidenceRef;

namespace {

Finding SimpleFinding(const RuleContext& c, const char* id, Verdict v, std::string message,
                      std::string needed) {
  return UnobservableFinding(c, id, v, std::move(message), std::move(needed),
                             v == Verdict::kNeedsDynamic ? "(trace)" : "(manual)",
                             "not observable in the APK");
}

// SDK disclosure check shared by IM-5.1 and IM-5.3.
void SdkDisclosure(const RuleContext& c, const char* id,
                   const std::vector<const evidence::SdkFact*>& sdks, const std::string& what,
                   std::vector<Finding>* out) {
  PolicyState state = c.policy_state();
  if (state == PolicyState::kUnread) {
    out->push_back(c.PolicyMissingFinding(id, "each SDK " + what));
    return;
  }
  bool absent = state == PolicyState::kAbsent;
  std::vector<std::string> disclosed;
  std::vector<EvidenceRef> refs;
  size_t before = out->size();
  for (const auto* sdk : sdks) {
    const evidence::PolicyThirdParty* tp = absent ? nullptr : c.PolicyNamesSdk(*sdk);
    if (tp) {
      disclosed.push_back(sdk->id);
      refs.push_back(c.PolicyEvidence(tp->span, "discloses " + sdk->id));
      continue;
    }
    bool weak = sdk->strength == evidence::DetectionStrength::kWeak;
    // Declared, code absent: the app does not carry the SDK's code, so it is not said to collect,
    // connect or send anything; only the manifest declaration is a fact.
    bool code_absent = SdkCodeAbsent(*sdk);
    std::vector<std::string> pi = code_absent ? std::vector<std::string>{} : sdk->pi_types;
    if (pi.empty() && !weak) {
      if (const knowledge::Sdk* k = c.kb().FindSdk(sdk->id)) pi = k->pi;
    }
    std::string no_policy = absent ? " (no privacy policy found)" : "";
    Finding f = c.MakeFinding(
        id, weak ? Verdict::kNeedsManual : Verdict::kViolation, Strength::kLikely,
        code_absent
            ? "SDK " + c.SdkLabel(sdk->id) + " (" + sdk->category +
                  ") is declared in the manifest, but its code is absent, and the policy does not "
                  "disclose it" +
                  no_policy + "."
            : "SDK " + c.SdkLabel(sdk->id) + " (" + sdk->category + ") " + what +
                  (pi.empty() ? std::string() : " (documented PI: " + JoinLimited(pi) + ")") +
                  ", and the policy does not disclose it" + no_policy +
                  ". Likely: whether and when it sends data needs a run.",
        sdk->id, sdk->id);
    if (code_absent) {
      f.needed =
          "The SDK's classes are not in the dex: check whether it is loaded at run time (plug-in, "
          "download); if it is, the policy must disclose it.";
    } else if (weak) {
      f.needed = "Weak detection: confirm the SDK is present and active.";
    } else {
      f.needed =
          "Confirm with network capture: record what the SDK sends, to which host, before "
          "or after consent.";
    }
    AppendRefs(sdk->refs, kMaxRefsPerFinding, &f.evidence);
    // The SDK's read with the strongest chain (a direct start-up chain before a fan-out one), so
    // the reader sees what its code is shown to do first.
    std::vector<const evidence::SensitiveCall*> calls;
    for (const auto& call : c.ev().sensitive_calls) {
      if (call.owner == sdk->id) calls.push_back(&call);
    }
    SortByCertainty(&calls);
    if (!calls.empty()) f.evidence.push_back(CallRef(*calls.front()));
    f.evidence.push_back(absent ? evidence::AbsenceRef("(policy)", "no privacy policy")
                                : c.PolicyAbsence("no mention of " + sdk->id));
    out->push_back(std::move(f));
  }
  if (!c.ev().CodeKnown()) {
    out->push_back(c.CodeUnknownFinding(
        id,
        "Capture network traffic from a clean install and attribute each third-party host; "
        "compare with the SDKs the policy discloses."));
  }
  if (out->size() != before) return;
  if (sdks.empty()) {
    Finding f = c.MakeFinding(id, Verdict::kNotApplicable, Strength::kNone,
                              "No embedded SDK that " + what + " was found.");
    f.evidence.push_back(evidence::AbsenceRef("(code)", "no such SDK"));
    out->push_back(std::move(f));
    return;
  }
  Finding f =
      c.MakeFinding(id, Verdict::kCompliant, Strength::kNone,
                    "Every such SDK is disclosed in the policy: " + JoinLimited(disclosed) + ".");
  f.needed = "Disclosure only: consent timing and anonymisation need a run with network capture.";
  f.evidence = std::move(refs);
  out->push_back(std::move(f));
}

}  // namespace

void EvalIm4_1(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-4.1";
  const evidence::AppEvidence& ev = c.ev();
  const knowledge::AppType* type =
      ev.app_type.id.empty() ? nullptr : c.kb().FindAppType(ev.app_type.id);
  if (!type) {
    Finding f =
        c.MakeFinding(kId, Verdict::kNeedsManual, Strength::kNone,
                      ev.app_type.id.empty() ? "The app type could not be determined."
                                             : "Unknown app type '" + ev.app_type.id + "'.");
    f.needed =
        "State the app's type (one of the 39 types of 国信办秘字〔2021〕14号, --app-type) "
        "so the PI it reads can be compared with the necessary PI of that type.";
    f.evidence.push_back(evidence::AbsenceRef("(app type)", ev.app_type.reason));
    out->push_back(std::move(f));
    return;
  }
  std::string type_note =
      "app type " + type->zh + " (" + type->id + ", " +
      (ev.app_type.given ? std::string("given") : "inferred: " + ev.app_type.reason) +
      "); necessary PI: " + (type->none ? std::string("none") : JoinLimited(type->necessary_pi));

  // PI type -> (calls, permissions) that give the app access to it.
  struct Access {
    std::vector<const evidence::SensitiveCall*> calls;
    std::vector<const evidence::PermissionFact*> perms;
  };
  std::map<std::string, Access> access;
  for (const auto& call : ev.sensitive_calls) access[call.pi_type].calls.push_back(&call);
  for (const auto& perm : ev.permissions) {
    if (!perm.dangerous && !c.IsDangerousPermission(perm.name)) continue;
    std::vector<std::string> types = perm.pi_types;
    if (types.empty()) {
      if (const knowledge::Permission* kp = c.kb().FindPermission(perm.name)) types = kp->pi;
    }
    // A permission the app type needs for one of its types (location for a map app) is
    // justified as a whole: what else it happens to open (Wi-Fi BSSIDs) counts only when code
    // actually reads it.
    bool needed = !type->none && std::any_of(types.begin(), types.end(), [&](const std::string& t) {
      return c.TypeCoveredBy(t, type->necessary_pi);
    });
    if (needed) continue;
    for (const auto& t : types) access[t].perms.push_back(&perm);
  }
  size_t before = out->size();
  std::vector<std::string> necessary_found;
  for (const auto& [pi, acc] : access) {
    if (!type->none && c.TypeCoveredBy(pi, type->necessary_pi)) {
      necessary_found.push_back(pi);
      continue;
    }
    std::vector<std::string> via;
    for (const auto* p : acc.perms) via.push_back(p->name);
    if (!acc.calls.empty()) via.push_back(std::to_string(acc.calls.size()) + " call sites");
    std::set<std::string> owners;
    for (const auto* call : acc.calls) owners.insert(call->owner.empty() ? "app" : call->owner);
    std::string owner = owners.size() == 1 ? *owners.begin() : "app";
    const evidence::PolicyDataType* d = c.PolicyCoversType(pi);
    bool tied = d && !d->functions.empty();
    Finding f = c.MakeFinding(
        kId, tied ? Verdict::kNeedsManual : Verdict::kViolation, Strength::kLikely,
        c.PiTypeLabel(pi) + " is not necessary PI for the " + type_note +
            "; the app can read it (" + JoinLimited(via) + ")" +
            (tied ? ". The policy ties it to: " + JoinLimited(d->functions) + "."
                  : " and no function in the policy needs it. Likely: the code may be unused."),
        pi, owner);
    if (tied) {
      f.needed = "Check that the function(s) named in the policy exist in the app and need " + pi +
                 ", and that refusing it does not block the basic function (IM-4.2).";
      if (!d->spans.empty()) f.evidence.push_back(c.PolicyEvidence(d->spans.front()));
    }
    for (const auto* p : acc.perms) f.evidence.push_back(p->ref);
    std::vector<const evidence::SensitiveCall*> calls = acc.calls;
    SortByCertainty(&calls);
    for (size_t i = 0; i < calls.size() && i < 3; ++i) f.evidence.push_back(CallRef(*calls[i]));
    out->push_back(std::move(f));
  }
  if (!ev.CodeKnown()) {
    out->push_back(c.CodeUnknownFinding(
        kId,
        "Record the PI the app reads at run time and compare with the necessary PI of its "
        "type."));
  }
  if (out->size() == before) {
    Finding f = c.MakeFinding(
        kId, Verdict::kCompliant, Strength::kNone,
        "Every PI type the app can read is necessary for its type (" + type_note + "): " +
            (necessary_found.empty() ? std::string("none found") : JoinLimited(necessary_found)) +
            ".");
    f.evidence.push_back(evidence::AbsenceRef("(code, manifest)", "no non-necessary PI access"));
    out->push_back(std::move(f));
  }
}

void EvalIm4_2(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(SimpleFinding(
      c, "IM-4.2", Verdict::kNeedsDynamic, "Refusal handling happens at run time.",
      "Refuse every non-necessary permission and optional consent, then check the basic function "
      "of the app type still works (the app must not exit or block it)."));
}

void EvalIm4_3(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(SimpleFinding(
      c, "IM-4.3", Verdict::kNeedsDynamic, "Needs two versions and a run.",
      "Compare with the previous version: for each new PI request of a new feature, refuse it "
      "and check that the old features still work."));
}

void EvalIm4_4(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(SimpleFinding(
      c, "IM-4.4", Verdict::kNeedsDynamic, "Collection frequency is a run-time property.",
      "Record reads of each PI type per minute, in foreground and background, over a session; "
      "compare with what the function needs (e.g. location once per search)."));
}

void EvalIm4_5(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(SimpleFinding(
      c, "IM-4.5", Verdict::kNeedsManual,
      "Whether consent is forced with only 'improve service / experience / targeted push / "
      "research' as reasons needs the consent flow and its wording.",
      "Check the consent screen and policy: if refusing these purposes blocks use of the app "
      "and no other reason is given, it violates."));
}

void EvalIm4_6(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-4.6";
  const evidence::AppEvidence& ev = c.ev();
  size_t before = out->size();
  // "Several" (多个) in the item's own wording: more than one permission in one request.
  for (const auto& req : ev.startup_permission_requests) {
    std::set<std::string> dangerous;
    for (const auto& p : req.permissions) {
      if (c.IsDangerousPermission(p)) dangerous.insert(p);
    }
    if (dangerous.size() < 2) continue;
    std::vector<std::string> list(dangerous.begin(), dangerous.end());
    Finding f =
        c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                      std::to_string(list.size()) + " dangerous permissions (" + JoinLimited(list) +
                          ") are requested together on a start-up "
                          "path (" +
                          req.caller +
                          "). Likely: record whether refusing "
                          "makes the app unusable.",
                      JoinLimited(list), req.owner.empty() ? "app" : req.owner);
    f.needed =
        "Run the app, refuse the grouped prompt and check whether the app can still be "
        "used.";
    f.evidence.push_back(RequestRef(req));
    out->push_back(std::move(f));
  }
  // A target below API 23 gets every dangerous permission at install, together and all or
  // nothing: the user cannot refuse one and keep the app. Several groups make it "several at
  // once" (one group, e.g. read + write storage, is one grant).
  const RuleContext::InstallTimeGrant grant = c.LegacyInstallGrant();
  if (grant.groups.size() >= 2) {
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, Strength::kLikely,
        "The app targets API " + std::to_string(grant.target_sdk) +
            " (below 23, before runtime permissions), so its " +
            std::to_string(grant.permissions.size()) + " dangerous permissions in " +
            std::to_string(grant.groups.size()) + " groups (" + JoinLimited(grant.Names()) +
            ") are granted together at install, all or nothing: refusing one means not "
            "installing or not using the app. Likely: the manifest shows the grant.",
        JoinLimited(grant.groups));
    f.needed =
        "Install on a clean device and check whether the permissions can be refused one by one "
        "(Android 10+ shows a legacy review screen) and the app stays usable.";
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
        "Record the permission prompts at first start: several dangerous permissions asked "
        "at once, with the app unusable when refused, violates."));
  }
  if (out->size() != before) return;
  // Nothing grouped found. Compliant only when the manifest shows several cannot be asked: at
  // most one dangerous permission group. Otherwise requests made elsewhere, one after another,
  // by library code or through reflection are not all seen statically.
  std::vector<std::string> groups;
  std::vector<EvidenceRef> refs;
  for (const auto& p : ev.permissions) {
    if (!p.dangerous && !c.IsDangerousPermission(p.name)) continue;
    std::string group = p.name;
    if (const knowledge::Permission* kp = c.kb().FindPermission(p.name)) {
      if (!kp->group.empty()) group = kp->group;
    }
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
    if (refs.size() < kMaxRefsPerFinding) refs.push_back(p.ref);
  }
  if (groups.size() < 2 && ev.apk_unreadable.empty()) {
    Finding f = c.MakeFinding(
        kId, Verdict::kCompliant, Strength::kNone,
        groups.empty() ? "The manifest requests no dangerous permission, so none can be demanded."
                       : "The manifest requests dangerous permissions of one group only (" +
                             groups.front() + "), so several cannot be demanded at once.");
    f.needed = "Static only: check the app stays usable when that permission is refused (IM-4.2).";
    f.evidence = std::move(refs);
    if (f.evidence.empty()) {
      f.evidence.push_back(
          evidence::AbsenceRef("AndroidManifest.xml", "no dangerous <uses-permission>"));
    }
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(
      kId, Verdict::kNeedsDynamic, Strength::kNone,
      "The manifest requests dangerous permissions of " + std::to_string(groups.size()) +
          " groups (" + JoinLimited(groups) +
          ") and no start-up request asking for several at once was found. Not finding one does "
          "not show there is none: requests made later in a flow, one after another, or by "
          "library code are not all seen statically.");
  f.needed =
      "Record the permission prompts from a clean install through the first screens: several "
      "dangerous permissions asked at once, with the app unusable when refused, violates.";
  f.evidence = std::move(refs);
  f.evidence.push_back(evidence::AbsenceRef("(code)", "no grouped start-up permission request"));
  out->push_back(std::move(f));
}

void EvalIm5_1(const RuleContext& c, std::vector<Finding>* out) {
  std::vector<const evidence::SdkFact*> sdks;
  for (const auto& s : c.ev().sdks) {
    bool collects = !s.pi_types.empty();
    // A weak SDK without PI types is not looked up: the scan leaves them empty for an SDK that
    // is declared in the manifest with its code absent, which collects nothing.
    if (!collects && s.strength != evidence::DetectionStrength::kWeak) {
      if (const knowledge::Sdk* k = c.kb().FindSdk(s.id)) collects = !k->pi.empty();
    }
    if (collects) sdks.push_back(&s);
  }
  SdkDisclosure(c, "IM-5.1", sdks, "collects personal information", out);
}

void EvalIm5_2(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(SimpleFinding(
      c, "IM-5.2", Verdict::kNeedsManual, "What the back end does is not observable from the app.",
      "Ask the operator for the list of third parties that receive data from the back end and "
      "the consent or anonymisation basis for each; compare with the policy's sharing section."));
}

void EvalIm5_3(const RuleContext& c, std::vector<Finding>* out) {
  std::vector<const evidence::SdkFact*> sdks;
  for (const auto& s : c.ev().sdks) {
    // data/sdk_categories.yaml `third_party_app`: login-share (WeChat/QQ/Weibo style SDKs that
    // hand data to another app). One-tap login goes to the carrier, not to a third-party app, so
    // it is IM-5.1 only.
    const knowledge::SdkCategory* cat = c.kb().FindSdkCategory(s.category);
    if (cat != nullptr && cat->third_party_app) sdks.push_back(&s);
  }
  SdkDisclosure(c, "IM-5.3", sdks, "connects the app to a third-party app (login/share)", out);
}

}  // namespace piaudit::rules::internal
