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

Finding SimpleFinding(const RuleContext& c, const char* id, Verdict v,
                      knowledge::MessageText message, knowledge::MessageText needed) {
  return UnobservableFinding(c, id, v, std::move(message), std::move(needed),
                             v == Verdict::kNeedsDynamic ? "(trace)" : "(manual)",
                             "not observable in the APK");
}

// The policy's practice that says what a named SDK receives (issue 19): a share practice with a
// receiver span, or a practice with a third-party collector span, whose text names the SDK (the
// name the policy used, or the knowledge base's zh/en name). Null when none: the SDK is named but
// what it gets is not read, which the compliant verdict's `needed` text already leaves open.
const evidence::PolicyPractice* PracticeOfSdk(const RuleContext& c, const evidence::SdkFact& sdk,
                                              const evidence::PolicyThirdParty& tp) {
  std::vector<std::string> names;
  if (tp.name.size() >= 2) names.push_back(tp.name);
  if (const knowledge::Sdk* k = c.kb().FindSdk(sdk.id)) {
    if (k->zh.size() >= 2) names.push_back(k->zh);
    if (k->en.size() >= 2) names.push_back(k->en);
  }
  auto names_it = [&](const evidence::PolicySpan& span) {
    if (span.end <= span.start || span.text.size() < 2) return false;
    for (const std::string& n : names) {
      if (span.text.find(n) != std::string::npos || n.find(span.text) != std::string::npos)
        return true;
    }
    return false;
  };
  for (const auto& p : c.ev().policy.practices) {
    if (p.data_types.empty()) continue;
    if (p.action == "share") {
      for (const auto& r : p.receivers)
        if (names_it(r)) return &p;
    }
    if (p.collector == "third_party" && names_it(p.collector_span)) return &p;
  }
  return nullptr;
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// SDK disclosure check shared by IM-5.1 and IM-5.3.
void SdkDisclosure(const RuleContext& c, const char* id,
                   const std::vector<const evidence::SdkFact*>& sdks,
                   const knowledge::MessageText& what, std::vector<Finding>* out) {
  PolicyState state = c.policy_state();
  if (state == PolicyState::kUnread) {
    out->push_back(c.PolicyMissingFinding(id, Msg("what.each_sdk_that", {MsgArg("what", what)})));
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
      if (const evidence::PolicyPractice* p = PracticeOfSdk(c, *sdk, *tp)) {
        std::string detail = sdk->id + " receives " + Joined(p->data_types);
        if (p->purpose.end > p->purpose.start) detail += " for: " + p->purpose.text;
        refs.push_back(c.PolicyEvidence(p->data, std::move(detail)));
      }
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
    const knowledge::MessageText no_policy = Msg(absent ? "sdk.no_policy" : "common.empty");
    std::vector<knowledge::MessageArg> args = {c.SdkArg("sdk", sdk->id),
                                               c.CategoryArg("category", sdk->category),
                                               MsgArg("no_policy", no_policy)};
    if (!code_absent) {
      args.push_back(MsgArg("what", what));
      args.push_back(MsgArg("documented", pi.empty()
                                              ? Msg("common.empty")
                                              : Msg("sdk.documented_pi", {ListArg("list", pi)})));
    }
    Finding f = c.MakeFinding(
        id, weak ? Verdict::kNeedsManual : Verdict::kViolation, Strength::kLikely,
        Msg(code_absent ? "sdk.declared_undisclosed" : "sdk.undisclosed", std::move(args)), sdk->id,
        sdk->id);
    f.needed_text = Msg(code_absent ? "sdk.needed_code_absent"
                        : weak      ? "sdk.needed_weak"
                                    : "sdk.needed_capture");
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
    out->push_back(c.CodeUnknownFinding(id, Msg("sdk.needed_code_unknown")));
  }
  if (out->size() != before) return;
  if (sdks.empty()) {
    Finding f = c.MakeFinding(id, Verdict::kNotApplicable, Strength::kNone,
                              Msg("sdk.none", {MsgArg("what", what)}));
    f.evidence.push_back(evidence::AbsenceRef("(code)", "no such SDK"));
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(id, Verdict::kCompliant, Strength::kNone,
                            Msg("sdk.all_disclosed", {ListArg("list", disclosed)}));
  f.needed_text = Msg("sdk.needed_disclosure_only");
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
    Finding f = c.MakeFinding(kId, Verdict::kNeedsManual, Strength::kNone,
                              ev.app_type.id.empty()
                                  ? Msg("im4_1.type_unknown")
                                  : Msg("im4_1.type_not_in_kb", {Arg("type", ev.app_type.id)}));
    f.needed_text = Msg("im4_1.needed_type");
    f.evidence.push_back(evidence::AbsenceRef("(app type)", ev.app_type.reason));
    out->push_back(std::move(f));
    return;
  }
  const knowledge::MessageText type_note =
      Msg("im4_1.type_note",
          {knowledge::BilingualArg("type",
                                   (type->en.empty() ? type->zh : type->en) + " (" + type->id + ")",
                                   type->zh + " (" + type->id + ")"),
           MsgArg("how", ev.app_type.given ? Msg("im4_1.type_given") : Msg("im4_1.type_inferred")),
           MsgArg("necessary", type->none
                                   ? Msg("im4_1.necessary_none")
                                   : Msg("common.list", {ListArg("list", type->necessary_pi)}))});

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
    if (!acc.calls.empty()) via.push_back("call_sites=" + std::to_string(acc.calls.size()));
    std::set<std::string> owners;
    for (const auto* call : acc.calls) owners.insert(call->owner.empty() ? "app" : call->owner);
    std::string owner = owners.size() == 1 ? *owners.begin() : "app";
    const evidence::PolicyDataType* d = c.PolicyCoversType(pi);
    bool tied = d && !d->functions.empty();
    Finding f = c.MakeFinding(
        kId, tied ? Verdict::kNeedsManual : Verdict::kViolation, Strength::kLikely,
        tied ? Msg("im4_1.unnecessary_tied",
                   {c.PiTypeArg("pi_type", pi), MsgArg("type_note", type_note), ListArg("via", via),
                    ListArg("functions", d->functions)})
             : Msg("im4_1.unnecessary", {c.PiTypeArg("pi_type", pi), MsgArg("type_note", type_note),
                                         ListArg("via", via)}),
        pi, owner);
    if (tied) {
      f.needed_text = Msg("im4_1.needed_tied", {Arg("type", pi)});
      if (!d->spans.empty()) f.evidence.push_back(c.PolicyEvidence(d->spans.front()));
    }
    for (const auto* p : acc.perms) f.evidence.push_back(p->ref);
    std::vector<const evidence::SensitiveCall*> calls = acc.calls;
    SortByCertainty(&calls);
    for (size_t i = 0; i < calls.size() && i < 3; ++i) f.evidence.push_back(CallRef(*calls[i]));
    out->push_back(std::move(f));
  }
  if (!ev.CodeKnown()) {
    out->push_back(c.CodeUnknownFinding(kId, Msg("im4_1.needed_code_unknown")));
  }
  if (out->size() == before) {
    Finding f = c.MakeFinding(
        kId, Verdict::kCompliant, Strength::kNone,
        necessary_found.empty() ? Msg("im4_1.all_necessary_none", {MsgArg("type_note", type_note)})
                                : Msg("im4_1.all_necessary", {MsgArg("type_note", type_note),
                                                              ListArg("list", necessary_found)}));
    f.evidence.push_back(evidence::AbsenceRef("(code, manifest)", "no non-necessary PI access"));
    out->push_back(std::move(f));
  }
}

void EvalIm4_2(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(SimpleFinding(c, "IM-4.2", Verdict::kNeedsDynamic, Msg("im4_2.message"),
                               Msg("im4_2.needed")));
}

void EvalIm4_4(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(SimpleFinding(c, "IM-4.4", Verdict::kNeedsDynamic, Msg("im4_4.message"),
                               Msg("im4_4.needed")));
}

void EvalIm4_5(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(
      SimpleFinding(c, "IM-4.5", Verdict::kNeedsManual, Msg("im4_5.message"), Msg("im4_5.needed")));
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
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, Strength::kLikely,
        Msg("im4_6.grouped_request", {Arg("count", static_cast<int64_t>(list.size())),
                                      ListArg("permissions", list), Arg("caller", req.caller)}),
        JoinLimited(list), req.owner.empty() ? "app" : req.owner);
    f.needed_text = Msg("im4_6.needed_grouped");
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
        Msg("im4_6.install_grant", {Arg("target", static_cast<int64_t>(grant.target_sdk)),
                                    Arg("count", static_cast<int64_t>(grant.permissions.size())),
                                    Arg("groups", static_cast<int64_t>(grant.groups.size())),
                                    ListArg("permissions", grant.Names())}),
        JoinLimited(grant.groups));
    f.needed_text = Msg("im4_6.needed_install_grant");
    f.evidence.push_back(c.TargetSdkRef());
    for (const auto* p : grant.permissions) {
      f.evidence.push_back(p->ref);
      if (f.evidence.size() > kMaxRefsPerFinding) break;
    }
    out->push_back(std::move(f));
  }
  if (!ev.CodeKnown()) {
    out->push_back(c.CodeUnknownFinding(kId, Msg("im4_6.needed_record")));
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
    Finding f =
        c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                      groups.empty() ? Msg("im4_6.no_dangerous")
                                     : Msg("im4_6.one_group", {Arg("group", groups.front())}));
    f.needed_text = Msg("im4_6.needed_one_group");
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
      Msg("im4_6.groups_no_request",
          {Arg("count", static_cast<int64_t>(groups.size())), ListArg("groups", groups)}));
  f.needed_text = Msg("im4_6.needed_record_first");
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
  SdkDisclosure(c, "IM-5.1", sdks, Msg("sdk.what_collects"), out);
}

void EvalIm5_2(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(
      SimpleFinding(c, "IM-5.2", Verdict::kNeedsManual, Msg("im5_2.message"), Msg("im5_2.needed")));
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
  SdkDisclosure(c, "IM-5.3", sdks, Msg("sdk.what_connects"), out);
}

}  // namespace piaudit::rules::internal
