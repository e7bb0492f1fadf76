// Shared helpers of the rule implementations; see context.h.
#include "rules/internal/context.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/ascii.h"

namespace piaudit::rules::internal {

using evidence::EvidenceRef;
using evidence::PolicySource;
using evidence::PolicySpan;

std::string JoinLimited(const std::vector<std::string>& parts, size_t max_items) {
  std::string out;
  for (size_t i = 0; i < parts.size() && i < max_items; ++i) {
    if (i) out += ", ";
    out += parts[i];
  }
  if (parts.size() > max_items) out += " (+" + std::to_string(parts.size() - max_items) + " more)";
  return out;
}

void AppendRefs(const std::vector<EvidenceRef>& refs, size_t max, std::vector<EvidenceRef>* out) {
  for (size_t i = 0; i < refs.size() && i < max; ++i) out->push_back(refs[i]);
}

int CallCertaintyRank(const evidence::SensitiveCall& call) {
  const bool chained = call.startup || !call.chain.empty();
  if (!chained) return 0;
  if (call.fan_out) return call.startup ? 2 : 1;
  if (call.startup) return call.launcher ? 4 : 5;
  return 3;
}

void SortByCertainty(std::vector<const evidence::SensitiveCall*>* calls) {
  std::stable_sort(calls->begin(), calls->end(), [](const auto* a, const auto* b) {
    return CallCertaintyRank(*a) > CallCertaintyRank(*b);
  });
}

EvidenceRef CallRef(const evidence::SensitiveCall& call) {
  EvidenceRef r = call.ref;
  if (r.chain.empty()) r.chain = call.chain;
  if (r.location.empty()) r.location = call.caller;
  if (r.detail.empty()) r.detail = call.api;
  if (!r.chain.empty()) {
    r.detail = (call.fan_out ? "possible, not shown (the chain resolves a framework-type call "
                               "such as Runnable.run or Executor.execute to every app "
                               "implementor): "
                             : "direct chain: ") +
               r.detail;
  }
  return r;
}

namespace {

// True when `needle` (lower-cased, at least 2 bytes) occurs in `hay` (lower-cased).
bool ContainsName(const std::string& hay_lower, std::string_view needle) {
  if (needle.size() < 2) return false;
  return hay_lower.find(AsciiLower(needle)) != std::string::npos;
}

}  // namespace

Finding RuleContext::MakeFinding(std::string_view item_id, Verdict verdict, Strength strength,
                                 knowledge::MessageText message, std::string subject,
                                 std::string owner) const {
  Finding f;
  f.item_id = std::string(item_id);
  f.verdict = verdict;
  // Only violations carry a strength (verdict.h).
  f.strength = verdict == Verdict::kViolation
                   ? (strength == Strength::kNone ? Strength::kLikely : strength)
                   : Strength::kNone;
  f.message_text = std::move(message);
  f.subject = std::move(subject);
  f.owner = std::move(owner);
  if (const knowledge::Item* item = kb_.FindItem(item_id)) {
    f.title_zh = item->zh;
    f.title_en = item->en;
    f.remediation_text = Msg(
        "remediation." + f.item_id,
        {f.subject.empty() ? MsgArg("subject", Msg("common.the_app")) : Arg("subject", f.subject),
         Arg("owner", f.owner)});
  } else {
    f.remediation_text = Msg("common.no_kb_item", {Arg("item", f.item_id)});
  }
  return f;
}

knowledge::MessageText RuleContext::Who(std::string_view owner) const {
  if (owner.empty() || owner == "app") return Msg("common.who_app");
  // A recorded call with no stack: who made it is not known.
  if (owner == "unknown") return Msg("common.who_unknown");
  return Msg("common.who_sdk", {SdkArg("sdk", owner)});
}

knowledge::MessageArg RuleContext::PiTypeArg(std::string name, std::string_view id) const {
  const std::string suffix = " (" + std::string(id) + ")";
  if (const knowledge::PiType* t = kb_.FindPiType(id)) {
    return knowledge::BilingualArg(std::move(name), t->en + suffix, t->zh + suffix);
  }
  return Arg(std::move(name), std::string(id));
}

knowledge::MessageArg RuleContext::SdkArg(std::string name, std::string_view id) const {
  if (const knowledge::Sdk* s = kb_.FindSdk(id)) {
    const std::string suffix = " (" + std::string(id) + ")";
    return knowledge::BilingualArg(std::move(name), (s->en.empty() ? s->zh : s->en) + suffix,
                                   (s->zh.empty() ? s->en : s->zh) + suffix);
  }
  return Arg(std::move(name), SdkLabel(id));
}

knowledge::MessageArg RuleContext::CategoryArg(std::string name, std::string_view category) const {
  if (const knowledge::SdkCategory* c = kb_.FindSdkCategory(category)) {
    return knowledge::BilingualArg(std::move(name), c->en, c->zh);
  }
  return Arg(std::move(name), std::string(category));
}

PolicyState RuleContext::policy_state() const {
  const evidence::PolicyFacts& p = ev_.policy;
  if (p.analysed) return PolicyState::kAnalysed;
  if (p.source == PolicySource::kNone && p.urls_found.empty()) return PolicyState::kAbsent;
  return PolicyState::kUnread;
}

Strength RuleContext::PolicyStrength() const {
  return ev_.policy.source == PolicySource::kGivenFile ? Strength::kConfirmed : Strength::kLikely;
}

Finding RuleContext::PolicyMissingFinding(std::string_view item_id,
                                          const knowledge::MessageText& what) const {
  if (policy_state() == PolicyState::kAbsent) {
    Finding f = MakeFinding(item_id, Verdict::kViolation, Strength::kLikely,
                            Msg("common.policy_absent", {MsgArg("what", what)}));
    f.evidence.push_back(evidence::AbsenceRef(
        ev_.app.apk_file.empty() ? "(apk)" : ev_.app.apk_file,
        "no --policy given; no policy asset, resource or URL found in the APK"));
    return f;
  }
  std::string where = ev_.policy.file;
  if (where.empty() && !ev_.policy.urls_found.empty()) where = ev_.policy.urls_found.front();
  Finding f =
      MakeFinding(item_id, Verdict::kNeedsManual, Strength::kNone,
                  Msg("common.policy_unread",
                      {Arg("source", std::string(evidence::PolicySourceName(ev_.policy.source)))}));
  f.needed_text = where.empty()
                      ? Msg("common.fetch_policy", {MsgArg("what", what)})
                      : Msg("common.fetch_policy_at", {Arg("where", where), MsgArg("what", what)});
  f.evidence = ev_.policy.refs;
  return f;
}

Finding RuleContext::PolicyTextMissingFinding(std::string_view item_id,
                                              const knowledge::MessageText& what, Verdict verdict,
                                              knowledge::MessageText needed) const {
  if (policy_state() != PolicyState::kAbsent) return PolicyMissingFinding(item_id, what);
  Finding f = MakeFinding(item_id, verdict, Strength::kNone,
                          Msg("common.policy_text_absent", {MsgArg("what", what)}));
  f.needed_text = Msg("common.needed_or_policy", {MsgArg("needed", std::move(needed))});
  f.evidence.push_back(evidence::AbsenceRef(
      ev_.app.apk_file.empty() ? "(apk)" : ev_.app.apk_file,
      "no --policy given; no policy asset, resource or URL found in the APK (see IM-1.1)"));
  return f;
}

std::vector<std::string> RuleContext::InstallTimeGrant::Names() const {
  std::vector<std::string> out;
  for (const auto* p : permissions) out.push_back(p->name);
  return out;
}

RuleContext::InstallTimeGrant RuleContext::LegacyInstallGrant() const {
  InstallTimeGrant g;
  // Runtime permissions arrived with API 23 (Android 6.0): an app that targets less gets every
  // dangerous permission at install (or, on Android 10+, from one legacy review screen), all or
  // nothing. A target of 0 means the manifest was not read: nothing is known.
  constexpr int32_t kRuntimePermissionsApi = 23;
  if (ev_.app.target_sdk <= 0 || ev_.app.target_sdk >= kRuntimePermissionsApi) return g;
  g.target_sdk = ev_.app.target_sdk;
  auto add = [&](const std::vector<evidence::PermissionFact>& list) {
    for (const auto& p : list) {
      if (!p.dangerous && !IsDangerousPermission(p.name)) continue;
      g.permissions.push_back(&p);
      std::string group = p.name;
      if (const knowledge::Permission* kp = kb_.FindPermission(p.name)) {
        if (!kp->group.empty()) group = kp->group;
      }
      if (std::find(g.groups.begin(), g.groups.end(), group) == g.groups.end()) {
        g.groups.push_back(group);
      }
    }
  };
  add(ev_.permissions);
  add(ev_.implied_permissions);
  if (g.permissions.empty()) g.target_sdk = 0;
  return g;
}

EvidenceRef RuleContext::TargetSdkRef() const {
  EvidenceRef r = evidence::ManifestRef(
      "manifest/uses-sdk", "targetSdkVersion " + std::to_string(ev_.app.target_sdk) +
                               " (the effective target: android:targetSdkVersion, else "
                               "minSdkVersion)");
  r.file = "AndroidManifest.xml";
  return r;
}

Finding RuleContext::CodeUnknownFinding(std::string_view item_id,
                                        knowledge::MessageText record) const {
  knowledge::MessageText why =
      ev_.packer ? Msg("common.code_packed",
                       {Arg("packer", ev_.packer->name.empty() ? ev_.packer->id : ev_.packer->name),
                        Arg("id", ev_.packer->id)})
                 : Msg("common.code_unread", {Arg("reason", evidence::CodeUnknownReason(ev_))});
  Finding f = MakeFinding(item_id, Verdict::kNeedsDynamic, Strength::kNone, std::move(why));
  f.needed_text = std::move(record);
  if (ev_.packer) {
    f.evidence = ev_.packer->refs;
  }
  if (f.evidence.empty()) {
    f.evidence.push_back(evidence::AbsenceRef("(code)", evidence::CodeUnknownReason(ev_)));
  }
  return f;
}

EvidenceRef RuleContext::PolicyEvidence(const PolicySpan& span, std::string detail) const {
  return evidence::PolicyRef(ev_.policy.file, span, std::move(detail));
}

EvidenceRef RuleContext::PolicyAbsence(std::string detail) const {
  EvidenceRef r = evidence::AbsenceRef(ev_.policy.file, std::move(detail));
  return r;
}

const evidence::PolicyThirdParty* RuleContext::PolicyNamesSdk(const evidence::SdkFact& sdk) const {
  for (const auto& tp : ev_.policy.third_parties) {
    if (!tp.sdk_id.empty() && tp.sdk_id == sdk.id) return &tp;
  }
  std::vector<std::string> names;
  if (!sdk.name.empty()) names.push_back(sdk.name);
  if (const knowledge::Sdk* k = kb_.FindSdk(sdk.id)) {
    if (!k->zh.empty()) names.push_back(k->zh);
    if (!k->en.empty()) names.push_back(k->en);
    for (const std::string& n : k->policy_names) names.push_back(n);
  }
  for (const auto& tp : ev_.policy.third_parties) {
    // A row matched to another catalogued SDK is about that SDK, not this one.
    if (!tp.sdk_id.empty()) continue;
    std::string hay = AsciiLower(tp.name + " " + tp.span.text);
    for (const std::string& n : names) {
      if (ContainsName(hay, n)) return &tp;
    }
  }
  return nullptr;
}

bool RuleContext::TypeCoveredBy(std::string_view type, const std::vector<std::string>& set) const {
  for (const std::string& s : set) {
    if (s == type || kb_.PiTypeIsA(type, s)) return true;
  }
  return false;
}

const evidence::PolicyDataType* RuleContext::PolicyCoversType(std::string_view pi_type) const {
  const evidence::PolicyDataType* best = nullptr;
  for (const auto& d : ev_.policy.data_types) {
    if (!d.collected) continue;
    if (d.type_id == pi_type) return &d;
    if (!best && kb_.PiTypeIsA(pi_type, d.type_id)) best = &d;
  }
  return best;
}

const evidence::PolicyPractice* RuleContext::PolicyPracticePurpose(std::string_view pi_type) const {
  for (const auto& p : ev_.policy.practices) {
    if (p.purpose.end <= p.purpose.start) continue;
    for (const std::string& t : p.data_types) {
      if (t == pi_type || kb_.PiTypeIsA(pi_type, t)) return &p;
    }
  }
  return nullptr;
}

RuleContext::TypeDisclosure RuleContext::PolicyDisclosesType(std::string_view pi_type) const {
  TypeDisclosure out;
  for (const auto& d : ev_.policy.data_types) {
    if (!d.collected) continue;
    if (d.type_id == pi_type) {
      out.named = &d;
      break;
    }
    if (!kb_.PiTypeIsA(pi_type, d.type_id)) continue;
    const knowledge::PiType* t = kb_.FindPiType(d.type_id);
    if (t && t->group) {
      if (!out.group) out.group = &d;
    } else if (!out.named) {
      out.named = &d;
    }
  }
  if (out.named) out.group = nullptr;
  return out;
}

bool SdkCodeAbsent(const evidence::SdkFact& sdk) {
  return sdk.strength == evidence::DetectionStrength::kWeak &&
         std::any_of(sdk.refs.begin(), sdk.refs.end(), [](const evidence::EvidenceRef& r) {
           return r.kind == evidence::SourceKind::kAbsence && r.location == "code-absent";
         });
}

bool RuleContext::IsDangerousPermission(std::string_view name) const {
  if (const knowledge::Permission* p = kb_.FindPermission(name)) return p->dangerous;
  for (const auto& p : ev_.permissions) {
    if (p.name == name) return p.dangerous;
  }
  return false;
}

std::string RuleContext::SdkLabel(std::string_view id) const {
  if (const knowledge::Sdk* s = kb_.FindSdk(id)) {
    return (s->zh.empty() ? s->en : s->zh) + " (" + std::string(id) + ")";
  }
  for (const auto& s : ev_.sdks) {
    if (s.id == id && !s.name.empty()) return s.name + " (" + std::string(id) + ")";
  }
  return std::string(id);
}

std::optional<double> RuleContext::Threshold(std::string_view id) const {
  const knowledge::Threshold* t = kb_.FindThreshold(id);
  if (!t || !t->value) return std::nullopt;
  return *t->value;
}

namespace {

// Working days in (start, start + n] over every start date the calendar covers.
bool CalendarRange(const knowledge::WorkCalendar& cal, int64_t n, int64_t* min, int64_t* max) {
  int64_t first = cal.first().ToDays();
  int64_t last = cal.last().ToDays();
  if (last - first < n || n < 0) return false;
  bool any = false;
  for (int64_t d = first; d + n <= last; ++d) {
    Result<int64_t> w =
        cal.WorkingDaysBetween(knowledge::Date::FromDays(d), knowledge::Date::FromDays(d + n));
    if (!w.ok()) continue;
    if (!any || *w < *min) *min = *w;
    if (!any || *w > *max) *max = *w;
    any = true;
  }
  return any;
}

// Weekend-only bounds of the working days in n consecutive calendar days.
void WeekendOnlyRange(int64_t n, int64_t* min, int64_t* max) {
  int64_t weeks = n / 7, rest = n % 7;
  *min = weeks * 5 + std::max<int64_t>(0, rest - 2);
  *max = weeks * 5 + std::min<int64_t>(5, rest);
}

}  // namespace

WorkingDayRange RuleContext::ToWorkingDays(const evidence::PolicyTimeLimit& limit) const {
  WorkingDayRange r;
  int64_t lo_days = 0, hi_days = 0;
  std::string unit_note;
  knowledge::MessageText unit_text;
  switch (limit.unit) {
    case evidence::TimeUnit::kWorkingDays:
      r.min = r.max = limit.amount;
      r.calendar = true;
      r.how = "stated in working days";
      r.how_text = Msg("workdays.stated");
      return r;
    case evidence::TimeUnit::kDays:
      lo_days = hi_days = limit.amount;
      unit_note = std::to_string(limit.amount) + " calendar days";
      unit_text = Msg("workdays.unit_days", {Arg("n", static_cast<int64_t>(limit.amount))});
      break;
    case evidence::TimeUnit::kHours:
      // A limit in hours ends inside the ceil(h/24)-th calendar day at the latest.
      lo_days = hi_days = (static_cast<int64_t>(limit.amount) + 23) / 24;
      unit_note = std::to_string(limit.amount) + " hours = at most " + std::to_string(lo_days) +
                  " calendar days";
      unit_text = Msg("workdays.unit_hours",
                      {Arg("n", static_cast<int64_t>(limit.amount)), Arg("days", lo_days)});
      break;
    case evidence::TimeUnit::kMonths:
      lo_days = static_cast<int64_t>(limit.amount) * 28;
      hi_days = static_cast<int64_t>(limit.amount) * 31;
      unit_note = std::to_string(limit.amount) + " months = " + std::to_string(lo_days) + ".." +
                  std::to_string(hi_days) + " calendar days";
      unit_text = Msg("workdays.unit_months", {Arg("n", static_cast<int64_t>(limit.amount)),
                                               Arg("lo", lo_days), Arg("hi", hi_days)});
      break;
  }
  int64_t mn = 0, mx = 0, tmp = 0;
  const knowledge::WorkCalendar& cal = kb_.calendar();
  if (CalendarRange(cal, lo_days, &mn, &tmp) && CalendarRange(cal, hi_days, &tmp, &mx)) {
    r.min = mn;
    r.max = mx;
    r.calendar = true;
    r.how = unit_note + " contain " + std::to_string(mn) + ".." + std::to_string(mx) +
            " working days depending on the start date (every start date from " +
            cal.first().ToString() + " to " + cal.last().ToString() +
            " tried with the holiday calendar; day of receipt = day 0)";
    r.how_text = Msg("workdays.calendar",
                     {MsgArg("unit", unit_text), Arg("min", mn), Arg("max", mx),
                      Arg("first", cal.first().ToString()), Arg("last", cal.last().ToString())});
  } else {
    WeekendOnlyRange(lo_days, &mn, &tmp);
    WeekendOnlyRange(hi_days, &tmp, &mx);
    // Without the holiday calendar, public holidays could lower the minimum: never confirm.
    r.min = mn;
    r.max = mx;
    r.how = unit_note + " contain at most " + std::to_string(mx) + " and, ignoring public " +
            "holidays, at least " + std::to_string(mn) +
            " working days (no holiday calendar loaded)";
    r.how_text =
        Msg("workdays.no_calendar", {MsgArg("unit", unit_text), Arg("min", mn), Arg("max", mx)});
  }
  return r;
}

}  // namespace piaudit::rules::internal
