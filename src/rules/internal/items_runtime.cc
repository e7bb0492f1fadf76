// What recordings of the app running add to the items (AppEvidence::runtime, src/runtime).
//
// A recording shows what happened in it and nothing else, so the runtime findings are of two
// kinds only: what the recording shows happening (a call, a request, a screen: confirmed, or
// likely where reading it needs a judgement the recording cannot settle, e.g. an unknown host),
// and, for the few items whose whole question a recording answers (was a prompt shown, how many
// taps to the policy, was the box checked), a compliant finding that replaces the static "record
// it" one. Nothing here turns an unrecorded path into a clean one: a static "likely" the
// recording never hit stays likely, and says so.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "rules/internal/context.h"
#include "rules/internal/runtime_items.h"

namespace piaudit::rules::internal {
namespace {

using evidence::EvidenceRef;
using evidence::RuntimeApiFact;
using evidence::RuntimeEventFact;
using evidence::RuntimeFacts;

constexpr int64_t kHourMs = 3'600'000;

bool BeforeConsent(std::string_view phase) {
  return phase == "before_consent" || phase == "no_consent_recorded";
}

knowledge::MessageText PhaseText(std::string_view phase) {
  return Msg("runtime.phase." + std::string(phase));
}

// The call's first recorded occurrence, its stack as a chain (outermost frame first).
EvidenceRef CallRef(const RuntimeApiFact& call) {
  EvidenceRef ref = call.ref;
  ref.chain.assign(call.stack.rbegin(), call.stack.rend());
  ref.detail = call.api + " (" + std::to_string(call.count) + "x, " + call.phase + ", " +
               call.app_state + ")";
  return ref;
}

std::string TimeOf(const EvidenceRef& ref) { return ref.time.empty() ? "?" : ref.time; }

// Replaces the static findings of `id` that only ask for a recording (needs-dynamic) with `f`.
void ReplaceRecordRequests(std::string_view id, Finding f, std::vector<Finding>* out) {
  std::erase_if(*out, [&](const Finding& g) {
    return g.item_id == id && g.verdict == Verdict::kNeedsDynamic;
  });
  out->push_back(std::move(f));
}

const RuntimeEventFact* FirstOf(const RuntimeFacts& r, std::string_view type,
                                std::string_view name = {}) {
  for (const RuntimeEventFact& e : r.timeline) {
    if (e.type == type && (name.empty() || e.name == name)) return &e;
  }
  return nullptr;
}

bool HasPermission(const evidence::AppEvidence& ev, std::string_view name) {
  return std::any_of(ev.permissions.begin(), ev.permissions.end(),
                     [&](const evidence::PermissionFact& p) { return p.name == name; });
}

size_t TapsBetween(const RuntimeFacts& r, int64_t from, int64_t to) {
  size_t taps = 0;
  for (const RuntimeEventFact& e : r.timeline) {
    if (e.type == "tap" && e.t_ms && *e.t_ms > from && *e.t_ms < to) ++taps;
  }
  return taps;
}

// IM-3.1: PI read, an identifier sent, or a permission granted before consent.
void Im3_1(const RuleContext& c, const RuntimeFacts& r, std::vector<Finding>* out) {
  const char* kId = "IM-3.1";
  std::map<std::pair<std::string, std::string>, size_t> confirmed;  // (owner, type) -> finding
  for (const RuntimeApiFact& call : r.api_calls) {
    if (!BeforeConsent(call.phase)) continue;
    for (const std::string& type : call.pi_types) {
      auto key = std::make_pair(call.owner, type);
      if (auto it = confirmed.find(key); it != confirmed.end()) {
        if ((*out)[it->second].evidence.size() < 6)
          (*out)[it->second].evidence.push_back(CallRef(call));
        continue;
      }
      knowledge::MessageText message =
          Msg("im3_1.runtime_read",
              {MsgArg("who", c.Who(call.owner)), c.PiTypeArg("pi_type", type), Arg("api", call.api),
               Arg("time", TimeOf(call.ref)), MsgArg("phase", PhaseText(call.phase))});
      // A static finding on the same owner and type is the same thing: the recording confirms it.
      auto same = std::find_if(out->begin(), out->end(), [&](const Finding& f) {
        return f.item_id == kId && f.owner == call.owner && f.subject == type;
      });
      if (same != out->end()) {
        same->verdict = Verdict::kViolation;
        same->strength = Strength::kConfirmed;
        same->message_text = std::move(message);
        same->needed_text = {};
        same->evidence.insert(same->evidence.begin(), CallRef(call));
        confirmed[key] = static_cast<size_t>(same - out->begin());
      } else {
        Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kConfirmed,
                                  std::move(message), type, call.owner);
        f.evidence.push_back(CallRef(call));
        confirmed[key] = out->size();
        out->push_back(std::move(f));
      }
    }
  }
  // Static leads the recording did not show: they stay what they were, and say so.
  for (Finding& f : *out) {
    if (f.item_id != kId || f.strength == Strength::kConfirmed ||
        (f.verdict != Verdict::kViolation && f.verdict != Verdict::kNeedsDynamic)) {
      continue;
    }
    f.evidence.push_back(evidence::AbsenceRef(
        "(recordings)", "the recordings show no read of " + f.subject + " by " + f.owner +
                            " before consent: the path may not have run, or its API was not "
                            "hooked; the static finding stands"));
  }
  for (const evidence::RuntimeLeakFact& leak : r.leaks) {
    if (!BeforeConsent(leak.phase)) continue;
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, Strength::kConfirmed,
        Msg("im3_1.runtime_sent",
            {Arg("identifier", leak.identifier), Arg("host", leak.host),
             Arg("encoding", leak.encoding), Arg("where", leak.where),
             Arg("time", TimeOf(leak.ref)), MsgArg("phase", PhaseText(leak.phase))}),
        leak.identifier + "@" + leak.host, leak.owner == "unknown" ? "app" : leak.owner);
    f.evidence.push_back(leak.ref);
    out->push_back(std::move(f));
  }
  const RuntimeEventFact* accepted = FirstOf(r, "consent", "accepted");
  for (const RuntimeEventFact& e : r.timeline) {
    if (e.type != "permission_result" || !e.granted || !*e.granted || e.permissions.empty()) {
      continue;
    }
    const bool before = !accepted || (e.t_ms && accepted->t_ms && *e.t_ms < *accepted->t_ms);
    if (!before || !c.IsDangerousPermission(e.permissions.front())) continue;
    Finding f =
        c.MakeFinding(kId, Verdict::kViolation, Strength::kConfirmed,
                      Msg("im3_1.runtime_permission_opened",
                          {Arg("permission", e.permissions.front()), Arg("time", TimeOf(e.ref))}),
                      e.permissions.front());
    f.evidence.push_back(e.ref);
    out->push_back(std::move(f));
  }
}

// IM-5.1 / IM-5.3: an identifier sent to a third party's host before consent, or to an SDK the
// policy does not name.
void ThirdPartyLeaks(const RuleContext& c, std::string_view id, const RuntimeFacts& r,
                     std::vector<Finding>* out) {
  const evidence::AppEvidence& ev = c.ev();
  for (const evidence::RuntimeLeakFact& leak : r.leaks) {
    if (leak.owner == "app") continue;
    const knowledge::Sdk* sdk = c.kb().FindSdk(leak.owner);
    const knowledge::SdkCategory* cat = sdk ? c.kb().FindSdkCategory(sdk->category) : nullptr;
    const bool third_party_app = cat != nullptr && cat->third_party_app;
    if ((id == "IM-5.3") != third_party_app) continue;
    const bool before = BeforeConsent(leak.phase);
    bool unnamed = false;
    if (sdk && ev.policy.analysed) {
      evidence::SdkFact fact;
      fact.id = sdk->id;
      fact.name = sdk->zh.empty() ? sdk->en : sdk->zh;
      fact.provider = sdk->provider;
      unnamed = c.PolicyNamesSdk(fact) == nullptr;
    }
    if (!(before || unnamed)) continue;
    std::vector<knowledge::MessageArg> args = {
        Arg("identifier", leak.identifier), Arg("host", leak.host), Arg("encoding", leak.encoding),
        Arg("time", TimeOf(leak.ref)), MsgArg("phase", PhaseText(leak.phase))};
    Finding f;
    if (sdk) {
      args.push_back(c.SdkArg("sdk", sdk->id));
      f = c.MakeFinding(
          id, Verdict::kViolation, Strength::kConfirmed,
          Msg(unnamed ? "im5_1.runtime_sent_unnamed" : "im5_1.runtime_sent_before", args), sdk->id,
          sdk->id);
      if (unnamed) f.evidence.push_back(c.PolicyAbsence("no mention of SDK " + sdk->id));
    } else {
      // A host no catalogue names may still be the operator's: likely, not confirmed.
      f = c.MakeFinding(id, Verdict::kViolation, Strength::kLikely,
                        Msg("im5_1.runtime_sent_unknown_host", args), leak.host, "app");
    }
    f.evidence.insert(f.evidence.begin(), leak.ref);
    out->push_back(std::move(f));
  }
}

// IM-3.2: PI read after the user refused; the same permission asked again within T1 of a refusal.
void Im3_2(const RuleContext& c, const RuntimeFacts& r, std::vector<Finding>* out) {
  const char* kId = "IM-3.2";
  for (const RuntimeApiFact& call : r.api_calls) {
    if (call.phase != "after_refusal" && call.phase != "after_withdrawal") continue;
    Finding f =
        c.MakeFinding(kId, Verdict::kViolation, Strength::kConfirmed,
                      Msg("im3_2.runtime_read_after_refusal",
                          {MsgArg("who", c.Who(call.owner)),
                           c.PiTypeArg("pi_type", call.pi_types.front()), Arg("api", call.api),
                           Arg("time", TimeOf(call.ref)), MsgArg("phase", PhaseText(call.phase))}),
                      call.pi_types.front(), call.owner);
    f.evidence.push_back(CallRef(call));
    out->push_back(std::move(f));
  }
  for (const evidence::RuntimeLeakFact& leak : r.leaks) {
    if (leak.phase != "after_refusal" && leak.phase != "after_withdrawal") continue;
    Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kConfirmed,
                              Msg("im3_2.runtime_sent_after_refusal",
                                  {Arg("identifier", leak.identifier), Arg("host", leak.host),
                                   Arg("time", TimeOf(leak.ref))}),
                              leak.identifier + "@" + leak.host,
                              leak.owner == "unknown" ? "app" : leak.owner);
    f.evidence.push_back(leak.ref);
    out->push_back(std::move(f));
  }
  std::optional<double> hours = c.Threshold("T1");
  if (hours) {
    std::map<std::string, const RuntimeEventFact*> refused;  // permission -> latest refusal
    std::set<std::string> reported;
    for (const RuntimeEventFact& e : r.timeline) {
      if (!e.t_ms) continue;
      if (e.type == "permission_result" && e.granted && !*e.granted && !e.permissions.empty()) {
        refused[e.permissions.front()] = &e;
      } else if (e.type == "permission_request") {
        for (const std::string& p : e.permissions) {
          auto it = refused.find(p);
          if (it == refused.end() || reported.count(p)) continue;
          const int64_t since = *e.t_ms - *it->second->t_ms;
          if (since < 0 || since >= static_cast<int64_t>(*hours * kHourMs)) continue;
          // A tap in between may be the user asking for the feature again: likely, not confirmed.
          const size_t taps = TapsBetween(r, *it->second->t_ms, *e.t_ms);
          Finding f = c.MakeFinding(
              kId, Verdict::kViolation, taps == 0 ? Strength::kConfirmed : Strength::kLikely,
              Msg("im3_2.runtime_reasked", {Arg("permission", p), Arg("minutes", since / 60'000),
                                            Arg("hours", static_cast<int64_t>(*hours)),
                                            Arg("taps", static_cast<int64_t>(taps))}),
              p, e.owner.empty() || e.owner == "unknown" ? "app" : e.owner);
          f.evidence.push_back(it->second->ref);
          f.evidence.push_back(e.ref);
          out->push_back(std::move(f));
          reported.insert(p);
        }
      }
    }
  }
}

// IM-3.3: PI read through a permission the user denied; location in the background without the
// background permission.
void Im3_3(const RuleContext& c, const RuntimeFacts& r, std::vector<Finding>* out) {
  const char* kId = "IM-3.3";
  const evidence::AppEvidence& ev = c.ev();
  const bool background_location_declared =
      HasPermission(ev, "android.permission.ACCESS_BACKGROUND_LOCATION");
  for (const RuntimeApiFact& call : r.api_calls) {
    if (!call.denied_permission.empty()) {
      Finding f = c.MakeFinding(
          kId, Verdict::kViolation, Strength::kConfirmed,
          Msg("im3_3.runtime_read_denied",
              {MsgArg("who", c.Who(call.owner)), c.PiTypeArg("pi_type", call.pi_types.front()),
               Arg("api", call.api), Arg("permission", call.denied_permission),
               Arg("time", TimeOf(call.ref))}),
          call.pi_types.front(), call.owner);
      f.evidence.push_back(CallRef(call));
      out->push_back(std::move(f));
    }
    const bool location =
        std::any_of(call.pi_types.begin(), call.pi_types.end(),
                    [&](const std::string& t) { return c.TypeCoveredBy(t, {"location"}); });
    if (location && call.app_state == "background" && !background_location_declared &&
        ev.app.target_sdk >= 29) {
      Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                                Msg("im3_3.runtime_background_location",
                                    {MsgArg("who", c.Who(call.owner)), Arg("api", call.api),
                                     Arg("time", TimeOf(call.ref))}),
                                "location_background", call.owner);
      f.evidence.push_back(CallRef(call));
      f.evidence.push_back(evidence::AbsenceRef(
          "AndroidManifest.xml", "no android.permission.ACCESS_BACKGROUND_LOCATION"));
      out->push_back(std::move(f));
    }
  }
}

// IM-3.4: the consent screen, when first shown, has its consent box already checked.
void Im3_4(const RuleContext& c, const RuntimeFacts& r, std::vector<Finding>* out) {
  const char* kId = "IM-3.4";
  const RuntimeEventFact* first = nullptr;
  for (const RuntimeEventFact& e : r.timeline) {
    // A screen with a consent box is a consent screen even without agree/refuse buttons (a login
    // page's "I have read and agree" box).
    if (e.type == "ui" && (e.consent_screen || e.prechecked_consent)) {
      first = &e;
      break;
    }
  }
  if (!first) return;
  if (first->prechecked_consent) {
    // Taps before the screen was dumped may be the user's own: then only likely.
    size_t taps = 0;
    if (first->t_ms) {
      const RuntimeEventFact* shown = FirstOf(r, "consent", "shown");
      int64_t from =
          shown && shown->t_ms && *shown->t_ms <= *first->t_ms ? *shown->t_ms : INT64_MIN;
      taps = TapsBetween(r, from, *first->t_ms);
    }
    Finding f = c.MakeFinding(kId, Verdict::kViolation,
                              taps == 0 ? Strength::kConfirmed : Strength::kLikely,
                              Msg("im3_4.runtime_prechecked",
                                  {Arg("screen", first->name), Arg("time", TimeOf(first->ref))}),
                              "runtime:" + first->name);
    f.evidence.push_back(first->ref);
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                            Msg("im3_4.runtime_unchecked",
                                {Arg("screen", first->name), Arg("time", TimeOf(first->ref))}));
  f.evidence.push_back(first->ref);
  ReplaceRecordRequests(kId, std::move(f), out);
}

// IM-1.2: a first start recorded without any privacy prompt (and what was read meanwhile).
void Im1_2(const RuleContext& c, const RuntimeFacts& r, std::vector<Finding>* out) {
  const char* kId = "IM-1.2";
  const RuntimeEventFact* first_start = FirstOf(r, "lifecycle", "first_start");
  if (!first_start) first_start = FirstOf(r, "lifecycle", "install");
  if (!first_start) return;  // not a first run: the prompt may have been accepted before
  const RuntimeEventFact* shown = FirstOf(r, "consent");
  for (const RuntimeEventFact& e : r.timeline) {
    if (!shown && e.type == "ui" && e.consent_screen) shown = &e;
  }
  if (shown) {
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                              Msg("im1_2.runtime_prompt_shown", {Arg("time", TimeOf(shown->ref))}));
    f.evidence.push_back(first_start->ref);
    f.evidence.push_back(shown->ref);
    ReplaceRecordRequests(kId, std::move(f), out);
    return;
  }
  const RuntimeApiFact* read = nullptr;
  for (const RuntimeApiFact& call : r.api_calls) {
    if (call.phase == "no_consent_recorded" && (!read || call.ref.time < read->ref.time))
      read = &call;
  }
  Finding f = c.MakeFinding(
      kId, Verdict::kViolation, read ? Strength::kConfirmed : Strength::kLikely,
      read ? Msg("im1_2.runtime_no_prompt_read",
                 {c.PiTypeArg("pi_type", read->pi_types.front()), Arg("api", read->api)})
           : Msg("im1_2.runtime_no_prompt"));
  f.evidence.push_back(first_start->ref);
  if (read) f.evidence.push_back(CallRef(*read));
  f.evidence.push_back(evidence::AbsenceRef("(recordings)", "no consent event, no consent screen"));
  ReplaceRecordRequests(kId, std::move(f), out);
}

// IM-1.3: taps from the first screen after consent to the screen that shows the policy.
void Im1_3(const RuleContext& c, const RuntimeFacts& r, std::vector<Finding>* out) {
  const char* kId = "IM-1.3";
  std::optional<double> limit = c.Threshold("T5");
  const RuntimeEventFact* accepted = FirstOf(r, "consent", "accepted");
  if (!limit || !accepted || !accepted->t_ms) return;
  const RuntimeEventFact* main = nullptr;
  const RuntimeEventFact* policy = nullptr;
  for (const RuntimeEventFact& e : r.timeline) {
    if (e.type != "ui" || !e.t_ms || *e.t_ms <= *accepted->t_ms) continue;
    if (!main && !e.consent_screen) main = &e;
    if (main && e.shows_policy && *e.t_ms > *main->t_ms) {
      policy = &e;
      break;
    }
  }
  if (!main || !policy) return;  // the recording never reached the policy: still to record
  const size_t taps = TapsBetween(r, *main->t_ms, *policy->t_ms);
  const bool over = static_cast<double>(taps) > *limit;
  Finding f = c.MakeFinding(
      kId, over ? Verdict::kViolation : Verdict::kCompliant,
      over ? Strength::kConfirmed : Strength::kNone,
      Msg(over ? "im1_3.runtime_too_deep" : "im1_3.runtime_reachable",
          {Arg("taps", static_cast<int64_t>(taps)), Arg("limit", static_cast<int64_t>(*limit)),
           Arg("main", main->name), Arg("policy", policy->name)}));
  f.evidence.push_back(main->ref);
  f.evidence.push_back(policy->ref);
  ReplaceRecordRequests(kId, std::move(f), out);
}

// IM-2.3: a dangerous-permission prompt with no purpose on the screen just before it.
void Im2_3(const RuleContext& c, const RuntimeFacts& r, std::vector<Finding>* out) {
  const char* kId = "IM-2.3";
  const RuntimeEventFact* last_ui = nullptr;
  for (const RuntimeEventFact& e : r.timeline) {
    if (e.type == "ui") last_ui = &e;
    if (e.type != "permission_request" || !last_ui || !e.t_ms || !last_ui->t_ms) continue;
    std::vector<std::string> dangerous;
    for (const std::string& p : e.permissions) {
      if (c.IsDangerousPermission(p)) dangerous.push_back(p);
    }
    if (dangerous.empty() || last_ui->purpose_text) continue;
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, Strength::kLikely,
        Msg("im2_3.runtime_no_purpose", {ListArg("permissions", dangerous),
                                         Arg("screen", last_ui->name), Arg("time", TimeOf(e.ref))}),
        JoinLimited(dangerous), e.owner.empty() ? "app" : e.owner);
    if (f.owner == "unknown") f.owner = "app";
    f.evidence.push_back(last_ui->ref);
    f.evidence.push_back(e.ref);
    out->push_back(std::move(f));
  }
}

// IM-4.2 / IM-4.6: after a refusal the app stops; several dangerous permissions asked at once.
void Im4_2(const RuleContext& c, const RuntimeFacts& r, std::vector<Finding>* out) {
  std::optional<double> seconds = c.Threshold("runtime_stop_after_refusal_seconds");
  if (!seconds) return;
  for (const RuntimeEventFact& e : r.timeline) {
    if (e.type != "permission_result" || !e.granted || *e.granted || !e.t_ms ||
        e.permissions.empty() || !c.IsDangerousPermission(e.permissions.front())) {
      continue;
    }
    const RuntimeEventFact* stop = StopAfterRefusal(r, *e.t_ms, *seconds);
    if (!stop) continue;
    Finding f =
        c.MakeFinding("IM-4.2", Verdict::kViolation, Strength::kLikely,
                      Msg("im4_2.runtime_stops_after_refusal",
                          {Arg("permission", e.permissions.front()), Arg("event", stop->name),
                           Arg("seconds", (*stop->t_ms - *e.t_ms) / 1000)}),
                      e.permissions.front());
    f.evidence.push_back(e.ref);
    f.evidence.push_back(stop->ref);
    out->push_back(std::move(f));
  }
}

void Im4_6(const RuleContext& c, const RuntimeFacts& r, std::vector<Finding>* out) {
  std::optional<double> seconds = c.Threshold("runtime_stop_after_refusal_seconds");
  for (const RuntimeEventFact& e : r.timeline) {
    if (e.type != "permission_request" || !e.t_ms) continue;
    std::vector<std::string> dangerous;
    for (const std::string& p : e.permissions) {
      if (c.IsDangerousPermission(p)) dangerous.push_back(p);
    }
    if (dangerous.size() < 2) continue;
    // Refused, then the app stopped: the several permissions were the price of using it.
    const RuntimeEventFact* refusal = nullptr;
    const RuntimeEventFact* stop = nullptr;
    for (const RuntimeEventFact& g : r.timeline) {
      if (g.type == "permission_result" && g.t_ms && *g.t_ms >= *e.t_ms && g.granted &&
          !*g.granted && !g.permissions.empty() &&
          std::count(dangerous.begin(), dangerous.end(), g.permissions.front())) {
        refusal = &g;
        break;
      }
    }
    if (refusal && seconds) stop = StopAfterRefusal(r, *refusal->t_ms, *seconds);
    Finding f = c.MakeFinding(
        "IM-4.6", Verdict::kViolation, stop ? Strength::kConfirmed : Strength::kLikely,
        Msg(stop ? "im4_6.runtime_grouped_unusable" : "im4_6.runtime_grouped",
            {ListArg("permissions", dangerous), Arg("time", TimeOf(e.ref))}),
        JoinLimited(dangerous), e.owner.empty() || e.owner == "unknown" ? "app" : e.owner);
    f.evidence.push_back(e.ref);
    if (refusal) f.evidence.push_back(refusal->ref);
    if (stop) f.evidence.push_back(stop->ref);
    out->push_back(std::move(f));
  }
}

// IM-4.4: one PI API called more often in an hour than the threshold for its app state.
void Im4_4(const RuleContext& c, const RuntimeFacts& r, std::vector<Finding>* out) {
  for (const evidence::RuntimeRateFact& rate : r.rates) {
    const std::string id = rate.app_state == "background" ? "runtime_pi_calls_per_hour_background"
                                                          : "runtime_pi_calls_per_hour_foreground";
    std::optional<double> limit = c.Threshold(id);
    if (!limit || static_cast<double>(rate.max_per_hour) <= *limit) continue;
    Finding f = c.MakeFinding(
        "IM-4.4", Verdict::kViolation, Strength::kLikely,
        Msg("im4_4.runtime_rate", {Arg("api", rate.api), Arg("calls", rate.max_per_hour),
                                   Arg("limit", static_cast<int64_t>(*limit)),
                                   Arg("state", rate.app_state), Arg("time", TimeOf(rate.ref))}),
        rate.api + "@" + rate.app_state);
    f.evidence.push_back(rate.ref);
    out->push_back(std::move(f));
  }
}

}  // namespace

const RuntimeEventFact* StopAfterRefusal(const RuntimeFacts& r, int64_t t, double seconds) {
  for (const RuntimeEventFact& e : r.timeline) {
    if (e.type == "lifecycle" && e.t_ms && *e.t_ms >= t &&
        *e.t_ms - t <= static_cast<int64_t>(seconds * 1000) &&
        (e.name == "crash" || e.name == "stop")) {
      return &e;
    }
  }
  return nullptr;
}

void ApplyRuntime(const RuleContext& c, std::string_view id, std::vector<Finding>* out) {
  if (!c.ev().runtime) return;
  const RuntimeFacts& r = *c.ev().runtime;
  if (id == "IM-1.2") Im1_2(c, r, out);
  if (id == "IM-1.3") Im1_3(c, r, out);
  if (id == "IM-2.3") Im2_3(c, r, out);
  if (id == "IM-3.1") Im3_1(c, r, out);
  if (id == "IM-3.2") Im3_2(c, r, out);
  if (id == "IM-3.3") Im3_3(c, r, out);
  if (id == "IM-3.4") Im3_4(c, r, out);
  if (id == "IM-4.2") Im4_2(c, r, out);
  if (id == "IM-4.4") Im4_4(c, r, out);
  if (id == "IM-4.6") Im4_6(c, r, out);
  if (id == "IM-5.1" || id == "IM-5.3") ThirdPartyLeaks(c, id, r, out);
}

}  // namespace piaudit::rules::internal
