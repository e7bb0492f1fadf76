// IM-2.2, IM-3.5, IM-4.3: the items about an update, judged from what changed since the previous
// version (AppEvidence::previous, compare/version_compare.h; issue 14).
//
// Without a previous version each item says what to provide. With one, from the APKs alone:
//  - IM-2.2 (收集使用规则变化未通知): collection widened (a new dangerous permission, a new SDK
//  that
//    collects PI, a new PI type read, a new start-up read or request) and the new policy does not
//    cover it, or the policy is the same text as before: likely. Whether the user is told at the
//    first start of the new version needs a run; a change-notice text in the new version is
//    reported as a hint only. Nothing widened, or the policy already covered it: compliant.
//  - IM-3.5 (更新后改变用户设置的权限状态) and IM-4.3 (新功能要求更多授权): a permission's state
//  and
//    whether an old feature still works are seen only while the app runs. The static facts that
//    make a run worth doing (a targetSdkVersion crossing, a new start-up request, a new dangerous
//    permission) are the evidence of a needs-dynamic finding; without any, IM-4.3 is compliant
//    (the update asks for nothing new) and IM-3.5 still needs a run.
// Runtime traces of both versions (permission_result events, the granted set) are not read here
// yet: they would confirm IM-3.5 and IM-4.3 (the lead's runtime facts, issue 14 runtime part).
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rules/internal/context.h"
#include "rules/internal/runtime_items.h"

namespace piaudit::rules::internal {

namespace {

using evidence::ChangeKind;
using evidence::EvidenceRef;
using evidence::VersionChange;
using evidence::VersionChanges;

std::string PreviousLabel(const VersionChanges& v) {
  std::string label = v.previous.version_name.empty() ? "?" : v.previous.version_name;
  return label + " (versionCode " + std::to_string(v.previous.version_code) + ")";
}

// "permission android.permission.CAMERA", "sdk jpush": identifiers, not prose.
std::string ChangeLabel(const VersionChange& c) { return c.area + " " + c.subject; }

void AppendChangeRefs(const VersionChange& c, Finding* f) {
  AppendRefs(c.current_refs, 2, &f->evidence);
  AppendRefs(c.previous_refs, 1, &f->evidence);
}

// The new policy covers a widening change: it names the SDK, the PI type, or the permission (or
// a PI type the permission gives access to).
bool PolicyCovers(const RuleContext& c, const VersionChange& change) {
  const evidence::AppEvidence& ev = c.ev();
  if (change.area == "sdk") {
    for (const auto& sdk : ev.sdks) {
      if (sdk.id == change.subject) return c.PolicyNamesSdk(sdk) != nullptr;
    }
    return false;
  }
  if (change.area == "pi_type") return c.PolicyCoversType(change.subject) != nullptr;
  if (change.area == "startup_read") {
    const std::string type = change.subject.substr(0, change.subject.find(' '));
    return c.PolicyCoversType(type) != nullptr;
  }
  if (change.area == "permission" || change.area == "startup_permission_request") {
    const std::string short_name = change.subject.substr(change.subject.rfind('.') + 1);
    for (const auto& pp : ev.policy.permissions) {
      if (pp.negated) continue;
      if (pp.permission == change.subject || pp.permission == short_name) return true;
    }
    if (const knowledge::Permission* kp = c.kb().FindPermission(change.subject)) {
      for (const std::string& type : kp->pi) {
        if (c.PolicyCoversType(type) != nullptr) return true;
      }
    }
    return false;
  }
  return false;
}

std::vector<const VersionChange*> Widening(const VersionChanges& v) {
  std::vector<const VersionChange*> out;
  for (const auto& change : v.changes) {
    if (change.widens && change.kind == ChangeKind::kAdded) out.push_back(&change);
  }
  return out;
}

bool PolicyUpdated(const VersionChanges& v) {
  for (const auto& change : v.changes) {
    if (change.area == "policy_text" && change.kind != ChangeKind::kRemoved) return true;
  }
  return false;
}

const VersionChange* FirstOfArea(const VersionChanges& v, std::string_view area) {
  for (const auto& change : v.changes) {
    if (change.area == area) return &change;
  }
  return nullptr;
}

EvidenceRef NothingChangedRef(const VersionChanges& v, std::string detail) {
  return evidence::AbsenceRef("(versions " + PreviousLabel(v) + " -> this version)",
                              std::move(detail));
}

}  // namespace

namespace {

// A call in the new version's recording that reads what widened (a new PI type, or by a new SDK)
// when the recording holds no consent event at all: nothing announced the change. Null otherwise.
const evidence::RuntimeApiFact* ReadWithoutNotice(
    const evidence::AppEvidence& ev, const std::vector<const VersionChange*>& widened) {
  if (!ev.runtime) return nullptr;
  for (const auto& e : ev.runtime->timeline) {
    if (e.type == "consent" || (e.type == "ui" && e.consent_screen)) return nullptr;
  }
  for (const auto& call : ev.runtime->api_calls) {
    for (const VersionChange* change : widened) {
      const bool type = change->area == "pi_type" &&
                        std::find(call.pi_types.begin(), call.pi_types.end(), change->subject) !=
                            call.pi_types.end();
      const bool sdk = change->area == "sdk" && call.owner == change->subject;
      if (type || sdk) return &call;
    }
  }
  return nullptr;
}

}  // namespace

void EvalIm2_2(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-2.2";
  const evidence::AppEvidence& ev = c.ev();
  if (!ev.previous) {
    out->push_back(UnobservableFinding(c, kId, Verdict::kNeedsManual, Msg("im2_2.message"),
                                       Msg("im2_2.needed"), "(versions)",
                                       "only one version analysed"));
    return;
  }
  const VersionChanges& v = *ev.previous;
  const std::string version = PreviousLabel(v);
  const std::vector<const VersionChange*> widening = Widening(v);
  if (widening.empty()) {
    if (!ev.CodeKnown()) {
      out->push_back(c.CodeUnknownFinding(kId, Msg("im2_2.needed_code_unknown")));
      return;
    }
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                              Msg("im2_2.no_widening", {Arg("version", version)}));
    f.evidence.push_back(NothingChangedRef(
        v, "no new dangerous permission, PI-collecting SDK, PI type or start-up read"));
    out->push_back(std::move(f));
    return;
  }
  std::vector<std::string> all;
  for (const auto* change : widening) all.push_back(ChangeLabel(*change));
  const VersionChange* notice = FirstOfArea(v, "change_notice");
  if (c.policy_state() != PolicyState::kAnalysed) {
    Finding f = c.MakeFinding(
        kId, Verdict::kNeedsManual, Strength::kNone,
        Msg("im2_2.widened_no_policy", {Arg("version", version), ListArg("changes", all)}));
    f.needed_text = Msg("im2_2.needed_policy");
    for (const auto* change : widening) AppendChangeRefs(*change, &f);
    out->push_back(std::move(f));
    return;
  }
  std::vector<const VersionChange*> uncovered;
  for (const auto* change : widening) {
    if (!PolicyCovers(c, *change)) uncovered.push_back(change);
  }
  const bool updated = PolicyUpdated(v);
  if (!uncovered.empty()) {
    std::vector<std::string> names;
    for (const auto* change : uncovered) names.push_back(ChangeLabel(*change));
    // The same policy text as before while collection widened is the heart of the item; an
    // updated text that still leaves the new collection out told the user nothing about it.
    const char* id = v.policy_unchanged ? "im2_2.widened_policy_unchanged"
                     : updated          ? "im2_2.widened_not_covered"
                                        : "im2_2.widened_not_covered_unknown";
    // A recording of the new version that reads what widened with no notice shown at all
    // (no consent event of any kind) confirms that the user was not told.
    const evidence::RuntimeApiFact* unannounced = ReadWithoutNotice(c.ev(), uncovered);
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, unannounced ? Strength::kConfirmed : Strength::kLikely,
        Msg(id, {Arg("version", version), ListArg("changes", names)}), JoinLimited(names));
    if (unannounced) {
      EvidenceRef read = unannounced->ref;
      read.detail = unannounced->api + " read " + JoinLimited(unannounced->pi_types) + " by " +
                    unannounced->owner + "; the recording shows no notice or consent prompt";
      f.evidence.push_back(std::move(read));
    } else {
      f.needed_text = Msg("im2_2.needed_first_start");
    }
    for (const auto* change : uncovered) AppendChangeRefs(*change, &f);
    if (const VersionChange* text = FirstOfArea(v, "policy_text")) AppendChangeRefs(*text, &f);
    if (v.policy_unchanged) {
      f.evidence.push_back(c.PolicyAbsence("policy text identical to version " + version));
    }
    out->push_back(std::move(f));
    return;
  }
  // The policy covers what is new: whether the user was told of the change is seen at the first
  // start of the new version.
  Finding f = c.MakeFinding(
      kId, updated || !v.policies_compared ? Verdict::kNeedsDynamic : Verdict::kCompliant,
      Strength::kNone,
      Msg(updated               ? "im2_2.widened_covered_updated"
          : v.policies_compared ? "im2_2.widened_covered_before"
                                : "im2_2.widened_covered",
          {Arg("version", version), ListArg("changes", all)}));
  if (f.verdict == Verdict::kNeedsDynamic) {
    f.needed_text =
        notice != nullptr ? Msg("im2_2.needed_notice_hint") : Msg("im2_2.needed_first_start");
  }
  for (const auto* change : widening) AppendChangeRefs(*change, &f);
  if (notice != nullptr) AppendChangeRefs(*notice, &f);
  out->push_back(std::move(f));
}

void EvalIm3_5(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-3.5";
  const evidence::AppEvidence& ev = c.ev();
  if (!ev.previous) {
    out->push_back(UnobservableFinding(c, kId, Verdict::kNeedsDynamic, Msg("im3_5.message"),
                                       Msg("im3_5.needed"), "(versions)",
                                       "only one version analysed"));
    return;
  }
  const VersionChanges& v = *ev.previous;
  const std::string version = PreviousLabel(v);
  // The recordings of both versions show the user's denial undone by the update.
  bool recorded = false;
  for (const auto& change : v.changes) {
    if (change.area != "permission_state") continue;
    recorded = true;
    const bool granted = change.after == "granted without asking";
    const bool at_once = change.after == "asked again before any tap";
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, granted || at_once ? Strength::kConfirmed : Strength::kLikely,
        Msg(granted ? "im3_5.runtime_granted" : "im3_5.runtime_reasked",
            {Arg("permission", change.subject), Arg("version", version), Arg("how", change.after)}),
        change.subject);
    f.evidence = change.previous_refs;
    f.evidence.insert(f.evidence.end(), change.current_refs.begin(), change.current_refs.end());
    out->push_back(std::move(f));
  }
  if (recorded) return;
  // What makes a permission state change worth recording: the platform changes how permissions
  // behave (a targetSdkVersion crossing), or the update asks at start-up for a permission the old
  // version did not have.
  std::vector<const VersionChange*> facts;
  std::set<std::string> new_permissions;
  for (const auto& change : v.changes) {
    if (change.area == "permission" && change.kind == ChangeKind::kAdded) {
      new_permissions.insert(change.subject);
    }
  }
  for (const auto& change : v.changes) {
    if (change.area == "target_sdk_crossing" ||
        (change.area == "startup_permission_request" && change.kind == ChangeKind::kAdded &&
         change.dangerous)) {
      facts.push_back(&change);
    }
  }
  if (facts.empty()) {
    Finding f = c.MakeFinding(kId, Verdict::kNeedsDynamic, Strength::kNone,
                              Msg("im3_5.no_static_facts", {Arg("version", version)}));
    f.needed_text = Msg("im3_5.needed");
    f.evidence.push_back(
        NothingChangedRef(v, "no targetSdkVersion crossing, no new start-up permission request"));
    out->push_back(std::move(f));
    return;
  }
  for (const auto* change : facts) {
    const bool crossing = change->area == "target_sdk_crossing";
    const bool new_permission = new_permissions.count(change->subject) != 0;
    Finding f = c.MakeFinding(
        kId, Verdict::kNeedsDynamic, Strength::kNone,
        crossing
            ? Msg("im3_5.target_crossing", {Arg("version", version), Arg("before", change->before),
                                            Arg("after", change->after)})
        : new_permission ? Msg("im3_5.new_startup_request_new_permission",
                               {Arg("version", version), Arg("permission", change->subject)})
                         : Msg("im3_5.new_startup_request",
                               {Arg("version", version), Arg("permission", change->subject)}),
        change->subject);
    f.needed_text = Msg("im3_5.needed_pair");
    AppendChangeRefs(*change, &f);
    out->push_back(std::move(f));
  }
}

void EvalIm4_3(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-4.3";
  const evidence::AppEvidence& ev = c.ev();
  if (!ev.previous) {
    out->push_back(UnobservableFinding(c, kId, Verdict::kNeedsDynamic, Msg("im4_3.message"),
                                       Msg("im4_3.needed"), "(trace)",
                                       "not observable in the APK"));
    return;
  }
  const VersionChanges& v = *ev.previous;
  const std::string version = PreviousLabel(v);
  // A new feature asking for more: a new dangerous permission, or a new PI type read.
  std::vector<const VersionChange*> more;
  for (const auto& change : v.changes) {
    if (change.kind != ChangeKind::kAdded) continue;
    if ((change.area == "permission" && change.dangerous) || change.area == "pi_type") {
      more.push_back(&change);
    }
  }
  if (more.empty()) {
    if (!ev.CodeKnown()) {
      out->push_back(c.CodeUnknownFinding(kId, Msg("im4_3.needed_pair")));
      return;
    }
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                              Msg("im4_3.nothing_new", {Arg("version", version)}));
    f.evidence.push_back(NothingChangedRef(v, "no new dangerous permission, no new PI type read"));
    out->push_back(std::move(f));
    return;
  }
  std::vector<std::string> names;
  for (const auto* change : more) names.push_back(ChangeLabel(*change));
  Finding f =
      c.MakeFinding(kId, Verdict::kNeedsDynamic, Strength::kNone,
                    Msg("im4_3.asks_more", {Arg("version", version), ListArg("changes", names)}),
                    JoinLimited(names));
  f.needed_text = Msg("im4_3.needed_pair");
  for (const auto* change : more) AppendChangeRefs(*change, &f);
  out->push_back(std::move(f));
  // The new version's recording: the user refuses a permission the old version never asked for
  // and the app stops at once: the old features are held back until it is granted.
  std::optional<double> seconds = c.Threshold("runtime_stop_after_refusal_seconds");
  if (!ev.runtime || !seconds) return;
  const auto& timeline = ev.runtime->timeline;
  for (const auto& answer : timeline) {
    if (answer.type != "permission_result" || !answer.t_ms || !answer.granted || *answer.granted ||
        answer.permissions.empty()) {
      continue;
    }
    const std::string& permission = answer.permissions.front();
    const bool is_new = std::any_of(more.begin(), more.end(), [&](const VersionChange* change) {
      return change->area == "permission" && change->subject == permission;
    });
    if (!is_new) continue;
    const evidence::RuntimeEventFact* stop = StopAfterRefusal(*ev.runtime, *answer.t_ms, *seconds);
    if (!stop) continue;
    Finding held = c.MakeFinding(
        kId, Verdict::kViolation, Strength::kLikely,
        Msg("im4_3.runtime_held",
            {Arg("version", version), Arg("permission", permission), Arg("event", stop->name)}),
        permission);
    held.evidence.push_back(answer.ref);
    held.evidence.push_back(stop->ref);
    for (const auto* change : more) {
      if (change->subject == permission) AppendChangeRefs(*change, &held);
    }
    out->push_back(std::move(held));
  }
}

}  // namespace piaudit::rules::internal
