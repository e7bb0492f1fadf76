// Shared helpers of the rule implementations (private to src/rules).
//
// RuleContext wraps one AppEvidence and the knowledge base and answers the questions several
// items ask: is there a policy text and how much can it confirm, does the policy disclose this SDK
// or PI type, is the code readable, what does a threshold say. Findings are created through
// MakeFinding so that every finding carries the knowledge base's rule text and remediation.
#ifndef PIAUDIT_RULES_INTERNAL_CONTEXT_H_
#define PIAUDIT_RULES_INTERNAL_CONTEXT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ascii.h"
#include "evidence/evidence.h"
#include "knowledge/knowledge_base.h"
#include "rules/verdict.h"

namespace piaudit::rules::internal {

enum class PolicyState {
  kAnalysed,  // a policy text was read and analysed
  kAbsent,    // no policy given, none bundled, no policy URL found
  kUnread,    // a policy exists (URL, asset) but its text was not analysed
};

// Working days contained in a promised time limit, over every possible start date the holiday
// calendar covers (the day of receipt is day 0, as in knowledge/calendar.h).
struct WorkingDayRange {
  int64_t min = 0;
  int64_t max = 0;
  std::string how;                  // how the conversion was made, for evidence details (English)
  knowledge::MessageText how_text;  // the same, for the finding's message
  bool calendar = false;  // the holiday calendar was used (else min ignores public holidays)
};

class RuleContext {
 public:
  RuleContext(const evidence::AppEvidence& ev, const knowledge::KnowledgeBase& kb)
      : ev_(ev), kb_(kb) {}

  const evidence::AppEvidence& ev() const { return ev_; }
  const knowledge::KnowledgeBase& kb() const { return kb_; }

  // A finding with the item's rule text and remediation template filled in. `subject` is
  // substituted for "{subject}" and `owner` for "{owner}" in the template.
  // The message is a catalogue id with its arguments (data/messages.yaml), never a sentence.
  Finding MakeFinding(std::string_view item_id, Verdict verdict, Strength strength,
                      knowledge::MessageText message, std::string subject = "",
                      std::string owner = "app") const;
  PolicyState policy_state() const;
  // What the policy text can establish: a policy given by the user confirms what it says or
  // omits; a copy bundled in the APK may differ from the published one, so only `likely`.
  Strength PolicyStrength() const;
  // The finding for a policy-based item when there is no policy text: a violation (likely) when
  // no policy exists anywhere we could see, needs-manual naming the URL when it was not read.
  // `what` is a message naming what the policy should describe ("the purpose of each SDK").
  Finding PolicyMissingFinding(std::string_view item_id, const knowledge::MessageText& what) const;
  // The finding for an item that judges a property of the policy text (readability, conditions,
  // time limits) or a route the policy should describe (withdrawal, rights, complaints) when there
  // is no policy text. A missing policy is one finding, IM-1.1's: here "no policy text to judge:
  // see IM-1.1", as `verdict` (needs-manual for text properties, needs-dynamic for routes that
  // may exist in the app's UI) with `needed` saying where else to look. When a policy exists but
  // was not read, PolicyMissingFinding's needs-manual (fetch it).
  Finding PolicyTextMissingFinding(std::string_view item_id, const knowledge::MessageText& what,
                                   Verdict verdict, knowledge::MessageText needed) const;
  // needs-dynamic finding for a code-based item when the code is unknown (packer, failed dex).
  Finding CodeUnknownFinding(std::string_view item_id, knowledge::MessageText record) const;
  // Dangerous permissions granted at install because the app targets an API level below 23
  // (runtime permissions): all of them, together, before the app can ask for any consent, all or
  // nothing. Requested and implied ones (AppEvidence::implied_permissions). Empty when the target
  // is 23 or later, unknown (0), or no dangerous permission is requested.
  struct InstallTimeGrant {
    int32_t target_sdk = 0;
    std::vector<const evidence::PermissionFact*> permissions;  // dangerous, manifest order
    std::vector<std::string> groups;  // distinct permission groups (name when no group known)
    std::vector<std::string> Names() const;
  };
  InstallTimeGrant LegacyInstallGrant() const;
  // The manifest ref for the target SDK level ("manifest/uses-sdk", "targetSdkVersion N").
  evidence::EvidenceRef TargetSdkRef() const;

  evidence::EvidenceRef PolicyEvidence(const evidence::PolicySpan& span,
                                       std::string detail = "") const;
  // An absence ref: "searched the policy for X, none found".
  evidence::EvidenceRef PolicyAbsence(std::string detail) const;

  // The policy row that names this SDK (by id, then by name / provider), or null.
  const evidence::PolicyThirdParty* PolicyNamesSdk(const evidence::SdkFact& sdk) const;
  // The policy data-type entry (positive) that covers `pi_type`: the same type or an ancestor
  // group (设备标识符 covers imei). Null when none.
  const evidence::PolicyDataType* PolicyCoversType(std::string_view pi_type) const;
  // How the policy discloses a PI type the code reads. IM-2.1 asks for a one-by-one listing, and
  // a generic group term (a type with `group: true` in data/pi_types.yaml: 设备信息, 网络信息)
  // covers its subtypes only partly: a policy that says 设备信息 has not listed IMEI. `named` is
  // the entry for the type itself or a non-group ancestor (WLAN信息 names the BSSID); when there is
  // none, `group` is the entry for a group ancestor that covers it. Both null: not disclosed.
  struct TypeDisclosure {
    const evidence::PolicyDataType* named = nullptr;
    const evidence::PolicyDataType* group = nullptr;
  };
  TypeDisclosure PolicyDisclosesType(std::string_view pi_type) const;
  // A practice of the policy (evidence PolicyFacts::practices) that states a purpose for
  // `pi_type`: a data span naming the type or an ancestor of it, with a purpose span attached.
  // A practice without a purpose ("我们可能收集您的位置信息") never counts. Null when none.
  const evidence::PolicyPractice* PolicyPracticePurpose(std::string_view pi_type) const;
  // True when `type` equals one of `set` or has one of them as an ancestor.
  bool TypeCoveredBy(std::string_view type, const std::vector<std::string>& set) const;

  bool IsDangerousPermission(std::string_view name) const;
  std::string SdkLabel(std::string_view id) const;  // "JPush (jpush)"
  // The same labels as message arguments, in the reader's language: "通讯录 (contacts)" /
  // "contacts (contacts)", "极光推送 (jpush)" / "JPush (jpush)", an SDK category's name.
  knowledge::MessageArg PiTypeArg(std::string name, std::string_view id) const;
  knowledge::MessageArg SdkArg(std::string name, std::string_view id) const;
  knowledge::MessageArg CategoryArg(std::string name, std::string_view category) const;
  // "the app's own code", "SDK <label>" or, for a recorded call without a stack ("unknown"),
  // "an unknown caller", as a message argument.
  knowledge::MessageText Who(std::string_view owner) const;

  // A numeric threshold from the knowledge base, or nullopt when absent / without a value.
  std::optional<double> Threshold(std::string_view id) const;

  // Converts a promised limit to working days (see WorkingDayRange).
  WorkingDayRange ToWorkingDays(const evidence::PolicyTimeLimit& limit) const;

 private:
  const evidence::AppEvidence& ev_;
  const knowledge::KnowledgeBase& kb_;
};

// Evidence kept per source list in one finding: enough for a reviewer to check the claim, small
// enough that an SDK detected by 2,000 classes does not drown the report.
inline constexpr size_t kMaxRefsPerFinding = 5;
// Appends at most `max` of `refs` to `out`.
void AppendRefs(const std::vector<evidence::EvidenceRef>& refs, size_t max,
                std::vector<evidence::EvidenceRef>* out);

// Short "a, b, c (+N more)" list for subjects and evidence details (identifiers, not prose;
// messages take a ListArg, which joins in the reader's language).
std::string JoinLimited(const std::vector<std::string>& parts, size_t max_items = 6);

using knowledge::Arg;
using knowledge::ListArg;
using knowledge::Msg;
using knowledge::MsgArg;

// A finding for what the APK cannot show: the verdict (needs-dynamic / needs-manual), what was
// decided, what to record or check, and an absence ref naming where the evidence would be.
inline Finding UnobservableFinding(const RuleContext& c, std::string_view item_id, Verdict verdict,
                                   knowledge::MessageText message, knowledge::MessageText needed,
                                   std::string where, std::string detail) {
  Finding f = c.MakeFinding(item_id, verdict, Strength::kNone, std::move(message));
  f.needed_text = std::move(needed);
  f.evidence.push_back(evidence::AbsenceRef(std::move(where), std::move(detail)));
  return f;
}

// The request's own ref, with the request's chain when the ref carries none.
inline evidence::EvidenceRef RequestRef(const evidence::StartupPermissionRequest& req) {
  evidence::EvidenceRef r = req.ref;
  if (r.chain.empty()) r.chain = req.chain;
  return r;
}
// How much a sensitive call's chain shows, higher first: a direct chain from process start-up
// (Application, providers), a direct chain from the launcher's first screen, a direct chain from
// a later component, a start-up chain that needs framework fan-out, any other fan-out chain, no
// chain at all. Evidence lists and findings are ordered by it, so the call the code is shown to
// make comes before the ones that are only possible.
int CallCertaintyRank(const evidence::SensitiveCall& call);
// Stable sort, strongest chain first.
void SortByCertainty(std::vector<const evidence::SensitiveCall*>* calls);
// The call's ref with its chain, caller and api filled in, and the detail saying how much the
// chain shows ("direct chain" / "possible, not shown: ...").
evidence::EvidenceRef CallRef(const evidence::SensitiveCall& call);

// An SDK seen only in the manifest whose code the dex does not carry ("declared, code absent",
// analysis/sdk_detect.h): weak, with an `absence` ref at location "code-absent" (the evidence
// record's marker, docs/schemas/evidence.md). It collects nothing.
bool SdkCodeAbsent(const evidence::SdkFact& sdk);

using piaudit::AsciiLower;  // base/ascii.h: name comparison; Han text is unchanged

// One evaluator per item; each appends at least one finding.
using ItemEvaluator = void (*)(const RuleContext&, std::vector<Finding>*);

void EvalIm1_1(const RuleContext&, std::vector<Finding>*);
void EvalIm1_2(const RuleContext&, std::vector<Finding>*);
void EvalIm1_3(const RuleContext&, std::vector<Finding>*);
void EvalIm1_4(const RuleContext&, std::vector<Finding>*);
void EvalIm2_1(const RuleContext&, std::vector<Finding>*);
void EvalIm2_2(const RuleContext&, std::vector<Finding>*);
void EvalIm2_3(const RuleContext&, std::vector<Finding>*);
void EvalIm2_4(const RuleContext&, std::vector<Finding>*);
void EvalIm3_1(const RuleContext&, std::vector<Finding>*);
void EvalIm3_2(const RuleContext&, std::vector<Finding>*);
void EvalIm3_3(const RuleContext&, std::vector<Finding>*);
void EvalIm3_4(const RuleContext&, std::vector<Finding>*);
void EvalIm3_5(const RuleContext&, std::vector<Finding>*);
void EvalIm3_6(const RuleContext&, std::vector<Finding>*);
void EvalIm3_7(const RuleContext&, std::vector<Finding>*);
void EvalIm3_8(const RuleContext&, std::vector<Finding>*);
void EvalIm3_9(const RuleContext&, std::vector<Finding>*);
void EvalIm4_1(const RuleContext&, std::vector<Finding>*);
void EvalIm4_2(const RuleContext&, std::vector<Finding>*);
void EvalIm4_3(const RuleContext&, std::vector<Finding>*);
void EvalIm4_4(const RuleContext&, std::vector<Finding>*);
void EvalIm4_5(const RuleContext&, std::vector<Finding>*);
void EvalIm4_6(const RuleContext&, std::vector<Finding>*);
void EvalIm5_1(const RuleContext&, std::vector<Finding>*);
void EvalIm5_2(const RuleContext&, std::vector<Finding>*);
void EvalIm5_3(const RuleContext&, std::vector<Finding>*);
void EvalIm6_1(const RuleContext&, std::vector<Finding>*);
void EvalIm6_2(const RuleContext&, std::vector<Finding>*);
void EvalIm6_3(const RuleContext&, std::vector<Finding>*);
void EvalIm6_4(const RuleContext&, std::vector<Finding>*);
void EvalIm6_5(const RuleContext&, std::vector<Finding>*);

}  // namespace piaudit::rules::internal

#endif  // PIAUDIT_RULES_INTERNAL_CONTEXT_H_
