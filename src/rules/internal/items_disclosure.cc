// IM-1 (rules not made public) and IM-2 (purpose, method and scope not stated clearly).
//
// These items compare what the APK shows (SDKs, PI read by code, requested permissions) with
// what the privacy policy text says. A finding that rests on APK facts is at most `likely`; one
// that rests only on the policy text can be `confirmed` when the user gave the policy file.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "rules/internal/context.h"

namespace piaudit::rules::internal {

using evidence::EvidenceRef;

namespace {

std::string ShortPermission(std::string_view name) {
  size_t dot = name.rfind('.');
  return AsciiLower(dot == std::string_view::npos ? name : name.substr(dot + 1));
}

// At most `n` refs of the calls, so a finding on a type read at 300 call sites stays readable;
// the calls with the strongest chains first (a direct start-up chain before a fan-out one).
void AddCallRefs(std::vector<const evidence::SensitiveCall*> calls, size_t n,
                 std::vector<EvidenceRef>* out) {
  SortByCertainty(&calls);
  for (size_t i = 0; i < calls.size() && i < n; ++i) out->push_back(CallRef(*calls[i]));
}

// " (k of them on a direct call chain from an entry point)" or, when none is, a note that every
// chain found is only possible.
std::string ChainNote(const std::vector<const evidence::SensitiveCall*>& calls) {
  size_t direct = 0, fan_out = 0;
  for (const auto* call : calls) {
    if (call->startup || !call->chain.empty()) (call->fan_out ? fan_out : direct)++;
  }
  if (direct > 0) return "; " + std::to_string(direct) + " on a direct call chain";
  if (fan_out > 0) {
    return "; reached only through framework-type fan-out (possible, not shown)";
  }
  return "; no chain from an entry point found";
}

}  // namespace

void EvalIm1_1(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-1.1";
  const evidence::PolicyFacts& p = c.ev().policy;
  switch (c.policy_state()) {
    case PolicyState::kAbsent:
      out->push_back(c.PolicyMissingFinding(kId, "how personal information is collected and used"));
      return;
    case PolicyState::kUnread:
      out->push_back(c.PolicyMissingFinding(kId, "collection and use rules"));
      return;
    case PolicyState::kAnalysed:
      break;
  }
  std::vector<EvidenceRef> refs;
  for (const auto& d : p.data_types) {
    if (!d.collected || d.spans.empty()) continue;
    refs.push_back(c.PolicyEvidence(d.spans.front(), "collects " + d.type_id));
    if (refs.size() >= 3) break;
  }
  if (p.collection_sentences == 0 && refs.empty()) {
    Finding f = c.MakeFinding(kId, Verdict::kViolation, c.PolicyStrength(),
                              "The privacy policy text contains no rule on collecting personal "
                              "information: no collection sentence and no collected data type.");
    f.evidence.push_back(
        c.PolicyAbsence("searched " + std::to_string(p.text_code_points) +
                        " code points for collection sentences and data types; none found"));
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                            "A privacy policy with collection rules exists (" +
                                std::to_string(p.collection_sentences) + " collection sentences, " +
                                std::to_string(p.data_types.size()) + " data types named).");
  f.evidence = std::move(refs);
  for (const auto& r : p.refs) f.evidence.push_back(r);
  if (f.evidence.empty()) f.evidence.push_back(c.PolicyAbsence("policy analysed"));
  out->push_back(std::move(f));
}

void EvalIm1_2(const RuleContext& c, std::vector<Finding>* out) {
  const evidence::ConsentGate& g = c.ev().consent_gate;
  Finding f =
      c.MakeFinding("IM-1.2", Verdict::kNeedsDynamic, Strength::kNone,
                    g.found ? "A consent dialog was found in the APK (static hint only)."
                            : "No consent dialog was recognised in the APK (static hint "
                              "only; dialogs built in code or WebView are not recognised).");
  f.needed =
      "Record the first run on a clean install: screenshot the first screen and check that a "
      "pop-up (or equally obvious means) asks the user to read the privacy policy before use.";
  f.evidence = g.dialog;
  if (g.agree_handler) f.evidence.push_back(*g.agree_handler);
  if (f.evidence.empty()) {
    f.evidence.push_back(evidence::AbsenceRef("res/layout, resources", "no consent dialog found"));
  }
  out->push_back(std::move(f));
}

void EvalIm1_3(const RuleContext& c, std::vector<Finding>* out) {
  std::optional<double> taps = c.Threshold("T5");
  Finding f = c.MakeFinding("IM-1.3", Verdict::kNeedsDynamic, Strength::kNone,
                            "How many taps the policy is from the main screen cannot be read from "
                            "the APK.");
  if (taps) {
    f.needed = "Record the UI path from the main screen to the privacy policy; more than " +
               std::to_string(static_cast<int>(*taps)) + " taps violates (threshold T5).";
  } else {
    f.needed =
        "Record the UI path from the main screen to the privacy policy and count the taps. "
        "(Threshold T5 is missing from the knowledge base: add it to data/thresholds.yaml.)";
  }
  f.evidence.push_back(evidence::AbsenceRef("(ui)", "no UI trace recorded"));
  out->push_back(std::move(f));
}

void EvalIm1_4(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-1.4";
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(
        kId, "the script (Simplified Chinese) and legibility of the policy", Verdict::kNeedsManual,
        "When the policy is found, check it has a Simplified Chinese version and is legible "
        "(text size, density, contrast) where the app shows it."));
    return;
  }
  const evidence::PolicyScript& s = c.ev().policy.script;
  std::string figures = "language " + s.language + ", " + std::to_string(s.han_chars) +
                        " Han characters, traditional ratio " +
                        std::to_string(s.traditional_ratio).substr(0, 4);
  if (s.traditional_only || !s.has_simplified) {
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, c.PolicyStrength(),
        std::string(s.traditional_only ? "The policy is in Traditional Chinese only"
                                       : "The policy has no Simplified Chinese text") +
            " (" + figures + ").",
        "simplified_chinese");
    f.evidence.push_back(c.PolicyAbsence("script check: " + figures));
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                            "The policy is available in Simplified Chinese (" + figures + ").",
                            "simplified_chinese");
  f.needed =
      "Text size, density, colour and sharpness as rendered are not checked statically: "
      "screenshot the policy screen to check them.";
  f.evidence.push_back(c.PolicyAbsence("script check: " + figures));
  out->push_back(std::move(f));
}

void EvalIm2_1(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-2.1";
  const evidence::AppEvidence& ev = c.ev();
  PolicyState state = c.policy_state();
  if (state == PolicyState::kUnread) {
    out->push_back(c.PolicyMissingFinding(kId, "each SDK and data type"));
    return;
  }
  bool absent = state == PolicyState::kAbsent;
  std::string why_absent = absent ? " (no privacy policy found at all; see IM-1.1)" : "";
  std::vector<std::string> disclosed;
  std::vector<EvidenceRef> disclosed_refs;
  size_t before = out->size();

  // One finding per SDK that the policy does not name.
  for (const auto& sdk : ev.sdks) {
    const evidence::PolicyThirdParty* tp = absent ? nullptr : c.PolicyNamesSdk(sdk);
    if (tp) {
      disclosed.push_back(sdk.id);
      disclosed_refs.push_back(c.PolicyEvidence(tp->span, "names SDK " + sdk.id));
      continue;
    }
    bool weak = sdk.strength == evidence::DetectionStrength::kWeak;
    // Declared, code absent: the app does not carry the SDK, so nothing says it is embedded or
    // collects anything; only the declaration is a fact.
    bool code_absent = SdkCodeAbsent(sdk);
    // Referenced only (issue 17): the code names the SDK's classes without carrying them.
    bool referenced = !code_absent && sdk.presence == "referenced";
    Finding f = c.MakeFinding(
        kId, weak ? Verdict::kNeedsManual : Verdict::kViolation, Strength::kLikely,
        "SDK " + c.SdkLabel(sdk.id) + " (" + sdk.category + ") " +
            (code_absent ? std::string("is declared in the manifest, but its code is absent, and")
             : referenced
                 ? std::string(
                       "is named by the code, but no code of its own is identified in the dex, and")
                 : "is embedded (" + std::string(evidence::DetectionStrengthName(sdk.strength)) +
                       " detection) but") +
            " the policy does not list it" + why_absent + ".",
        sdk.id, sdk.id);
    if (code_absent) {
      f.needed =
          "The SDK's classes are not in the dex: check whether it is loaded at run time (plug-in, "
          "download). If it is, the policy must list it with purpose, method and scope; if not, "
          "the stale manifest declaration can be removed.";
    } else if (referenced) {
      f.needed =
          "The dex refers to the SDK (types it does not define, interfaces, hosts) but no code of "
          "the SDK's own is identified: check whether it is loaded at run time or is an optional "
          "integration that is never present; if it is present, the policy must list it with "
          "purpose, method and scope.";
    } else if (weak) {
      f.needed =
          "The detection is weak (shared or broad signal): confirm the SDK is really "
          "present, then check the policy lists it with purpose, method and scope.";
    }
    AppendRefs(sdk.refs, kMaxRefsPerFinding, &f.evidence);
    f.evidence.push_back(absent ? evidence::AbsenceRef("(policy)", "no privacy policy")
                                : c.PolicyAbsence("no third-party row or mention names " + sdk.id));
    out->push_back(std::move(f));
  }

  // One finding per PI type read by the code and not disclosed.
  std::map<std::string, std::vector<const evidence::SensitiveCall*>> by_type;
  for (const auto& call : ev.sensitive_calls) by_type[call.pi_type].push_back(&call);
  for (const auto& [type, calls] : by_type) {
    RuleContext::TypeDisclosure disc;
    if (!absent) disc = c.PolicyDisclosesType(type);
    if (const evidence::PolicyDataType* d = disc.named) {
      disclosed.push_back(type);
      if (!d->spans.empty()) {
        disclosed_refs.push_back(c.PolicyEvidence(d->spans.front(), "discloses " + d->type_id));
      }
      continue;
    }
    std::set<std::string> owners;
    for (const auto* call : calls) owners.insert(call->owner.empty() ? "app" : call->owner);
    std::string owner = owners.size() == 1 ? *owners.begin() : "app";
    // Code no entry point reaches on a call chain it is shown to make (dead library code, or
    // only class-hierarchy fan-out through framework types) does not show the type is collected:
    // a lead for a reviewer, not a violation.
    const bool shown = std::any_of(calls.begin(), calls.end(), [](const auto* call) {
      return (call->startup || !call->chain.empty()) && !call->fan_out;
    });
    if (const evidence::PolicyDataType* g = disc.group) {
      // Only a group term covers the type: disclosed in part, not listed one by one. At most
      // likely even from a given policy: the parser may miss a listing it does not recognise,
      // and the code may not run (docs/rules.md, IM-2.1).
      const knowledge::PiType* gt = c.kb().FindPiType(g->type_id);
      std::string group_name = gt ? gt->zh : g->type_id;
      std::string type_name = type;
      if (const knowledge::PiType* t = c.kb().FindPiType(type)) type_name = t->en;
      std::string reads = std::to_string(calls.size()) + " call sites" + ChainNote(calls) +
                          "; owners: " + JoinLimited({owners.begin(), owners.end()});
      std::string gap = "the policy names only the group " + group_name + " (" + g->type_id +
                        "), not " + type_name + " (" + type + ") one by one";
      Finding f =
          shown ? c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                                "The code reads " + c.PiTypeLabel(type) + " (" + reads + "), but " +
                                    gap +
                                    ". Likely: the code may be unreachable, and the parser may "
                                    "miss a listing it does not recognise.",
                                type, owner)
                : c.MakeFinding(kId, Verdict::kNeedsManual, Strength::kNone,
                                "Code that can read " + c.PiTypeLabel(type) + " is present (" +
                                    reads + "), and " + gap + ", but no call chain shows it runs.",
                                type, owner);
      f.needed = "Check whether the policy lists " + type_name + " under " + group_name +
                 " (in a table or an appendix the parser missed); if not, it must list it with "
                 "its purpose, method and scope" +
                 (shown ? std::string(".") : ", once a run or a reviewer shows the code runs.");
      if (!g->spans.empty()) {
        f.evidence.push_back(c.PolicyEvidence(
            g->spans.front(), "names only the group " + g->type_id + ", not " + type));
      }
      AddCallRefs(calls, 3, &f.evidence);
      out->push_back(std::move(f));
      continue;
    }
    Finding f =
        shown ? c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                              "The code reads " + c.PiTypeLabel(type) + " (" +
                                  std::to_string(calls.size()) + " call sites" + ChainNote(calls) +
                                  "; owners: " + JoinLimited({owners.begin(), owners.end()}) +
                                  ") but the policy does not disclose this type" + why_absent +
                                  ". Likely: the code may be unreachable.",
                              type, owner)
              : c.MakeFinding(kId, Verdict::kNeedsManual, Strength::kNone,
                              "Code that can read " + c.PiTypeLabel(type) + " is present (" +
                                  std::to_string(calls.size()) + " call sites" + ChainNote(calls) +
                                  "; owners: " + JoinLimited({owners.begin(), owners.end()}) +
                                  ") and the policy does not disclose this type" + why_absent +
                                  ", but no call chain shows it runs.",
                              type, owner);
    if (!shown) {
      f.needed = "Check whether this code runs (a reviewer, or a recorded run); if " + type +
                 " is read, the policy must disclose it.";
    }
    AddCallRefs(calls, 3, &f.evidence);
    f.evidence.push_back(absent ? evidence::AbsenceRef("(policy)", "no privacy policy")
                                : c.PolicyAbsence("no collected data type covers " + type));
    out->push_back(std::move(f));
  }

  if (!ev.CodeKnown()) {
    out->push_back(c.CodeUnknownFinding(
        kId,
        "Record the API calls that read personal information while the app runs (all SDKs "
        "initialised), then compare each data type and SDK with the policy."));
  }
  if (out->size() == before && absent) {
    // No policy and nothing to disclose: compliance needs a policy text to rest on.
    Finding f = c.MakeFinding(kId, Verdict::kNotApplicable, Strength::kNone,
                              "No SDK and no PI-reading call was found in the code: there is no "
                              "data type or SDK to disclose (and no policy).");
    f.evidence.push_back(evidence::AbsenceRef("(code)", "nothing found"));
    out->push_back(std::move(f));
  } else if (out->size() == before) {
    Finding f =
        c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                      disclosed.empty() ? "No SDK and no PI-reading call was found in the code."
                                        : "Every SDK and PI type found in the code is named in the "
                                          "policy: " +
                                              JoinLimited(disclosed) + ".");
    f.evidence = std::move(disclosed_refs);
    if (f.evidence.empty()) f.evidence.push_back(evidence::AbsenceRef("(code)", "nothing found"));
    out->push_back(std::move(f));
  }
}

void EvalIm2_2(const RuleContext& c, std::vector<Finding>* out) {
  out->push_back(UnobservableFinding(
      c, "IM-2.2", Verdict::kNeedsManual,
      "Whether a change of the rules was notified needs two versions.",
      "Provide the previous version of the app and of its policy; if the rules changed, "
      "record the first start after the update and check the user is told of the change "
      "(pop-up, notice) and the updated policy is published.",
      "(versions)", "only one version analysed"));
}

void EvalIm2_3(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-2.3";
  const evidence::AppEvidence& ev = c.ev();
  PolicyState state = c.policy_state();
  if (state == PolicyState::kUnread) {
    out->push_back(c.PolicyMissingFinding(kId, "the purpose of each permission"));
    return;
  }
  bool absent = state == PolicyState::kAbsent;
  size_t before = out->size();
  std::vector<std::string> ok;
  std::vector<EvidenceRef> ok_refs;

  // A purpose for a PI type: a positive data-type entry covering it that names a function.
  auto type_purpose = [&](std::string_view type) -> const evidence::PolicyDataType* {
    if (absent) return nullptr;
    const evidence::PolicyDataType* d = c.PolicyCoversType(type);
    return d && !d->functions.empty() ? d : nullptr;
  };

  for (const auto& perm : ev.permissions) {
    if (!perm.dangerous && !c.IsDangerousPermission(perm.name)) continue;
    const evidence::PolicyPermission* stated = nullptr;
    if (!absent) {
      std::string group;
      if (const knowledge::Permission* kp = c.kb().FindPermission(perm.name)) group = kp->group;
      for (const auto& pp : ev.policy.permissions) {
        if (pp.negated || pp.purpose.empty()) continue;
        if (pp.permission == perm.name ||
            ShortPermission(pp.permission) == ShortPermission(perm.name) ||
            (!group.empty() && AsciiLower(pp.permission) == AsciiLower(group))) {
          stated = &pp;
          break;
        }
      }
    }
    if (stated) {
      ok.push_back(perm.name);
      ok_refs.push_back(c.PolicyEvidence(stated->span, "purpose: " + stated->purpose));
      continue;
    }
    const evidence::PolicyDataType* via_type = nullptr;
    std::vector<std::string> types = perm.pi_types;
    if (types.empty()) {
      if (const knowledge::Permission* kp = c.kb().FindPermission(perm.name)) types = kp->pi;
    }
    for (const auto& t : types) {
      if ((via_type = type_purpose(t))) break;
    }
    if (via_type) {
      ok.push_back(perm.name);
      if (!via_type->spans.empty()) {
        ok_refs.push_back(c.PolicyEvidence(via_type->spans.front(),
                                           "purpose via data type " + via_type->type_id));
      }
      continue;
    }
    Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                              "The app requests the dangerous permission " + perm.name +
                                  " but the policy states no purpose for it" +
                                  (absent ? " (no policy found)" : "") + ".",
                              perm.name);
    f.evidence.push_back(perm.ref);
    f.evidence.push_back(absent ? evidence::AbsenceRef("(policy)", "no privacy policy")
                                : c.PolicyAbsence("no purpose stated for " + perm.name));
    out->push_back(std::move(f));
  }

  // Sensitive PI types read by code.
  std::map<std::string, std::vector<const evidence::SensitiveCall*>> by_type;
  for (const auto& call : ev.sensitive_calls) {
    const knowledge::PiType* t = c.kb().FindPiType(call.pi_type);
    if (t && t->sensitive) by_type[call.pi_type].push_back(&call);
  }
  for (const auto& [type, calls] : by_type) {
    if (const evidence::PolicyDataType* d = type_purpose(type)) {
      ok.push_back(type);
      if (!d->spans.empty()) ok_refs.push_back(c.PolicyEvidence(d->spans.front()));
      continue;
    }
    Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                              "The code reads the sensitive type " + c.PiTypeLabel(type) +
                                  " but the policy states no purpose for it.",
                              type, calls.front()->owner.empty() ? "app" : calls.front()->owner);
    AddCallRefs(calls, 3, &f.evidence);
    f.evidence.push_back(c.PolicyAbsence("no purpose stated for " + type));
    out->push_back(std::move(f));
  }

  if (out->size() == before && absent) {
    // No policy, no dangerous permission and no sensitive type read: no purpose is owed.
    Finding f = c.MakeFinding(kId, Verdict::kNotApplicable, Strength::kNone,
                              "No dangerous permission is requested and no sensitive type is "
                              "read: there is no purpose to state (and no policy).");
    f.evidence.push_back(evidence::AbsenceRef("AndroidManifest.xml", "no dangerous permission"));
    out->push_back(std::move(f));
  } else if (out->size() == before) {
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                              ok.empty() ? "No dangerous permission or sensitive type found."
                                         : "The policy states a purpose for every dangerous "
                                           "permission and sensitive type found: " +
                                               JoinLimited(ok) + ".");
    f.needed =
        "Statically only the policy is checked: record each system permission prompt to "
        "see that the purpose is shown at the moment of the request.";
    f.evidence = std::move(ok_refs);
    if (f.evidence.empty()) {
      f.evidence.push_back(evidence::AbsenceRef("AndroidManifest.xml", "no dangerous permission"));
    }
    out->push_back(std::move(f));
  }
}

void EvalIm2_4(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-2.4";
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(
        kId, "how obscure or long-winded the rules are", Verdict::kNeedsManual,
        "When the policy is found, judge its readability (sentence length, jargon, length)."));
    return;
  }
  const evidence::PolicyReadability& r = c.ev().policy.readability;
  struct Metric {
    const char* threshold_id;  // knowledge-base threshold (data/thresholds.yaml)
    const char* what;
    double value;
  };
  const Metric metrics[] = {
      {"readability_mean_sentence_chars", "mean sentence length (chars)", r.mean_sentence_chars},
      {"readability_max_sentence_chars", "longest sentence (chars)",
       static_cast<double>(r.max_sentence_chars)},
      {"readability_jargon_per_1000_chars", "jargon terms per 1000 chars", r.jargon_per_1000_chars},
      {"readability_max_chars", "policy length (chars)", static_cast<double>(r.chars)},
  };
  std::vector<std::string> within, missing;
  size_t before = out->size();
  for (const Metric& m : metrics) {
    std::optional<double> limit = c.Threshold(m.threshold_id);
    std::string fig = std::string(m.what) + " = " + std::to_string(m.value).substr(0, 7);
    if (!limit) {
      missing.push_back(m.threshold_id);
      continue;
    }
    if (m.value > *limit) {
      Finding f =
          c.MakeFinding(kId, Verdict::kViolation, c.PolicyStrength(),
                        "The policy is hard to read: " + fig + " exceeds the threshold " +
                            std::to_string(*limit).substr(0, 7) + " (" + m.threshold_id + ").",
                        m.threshold_id);
      std::string detail = fig;
      if (std::string(m.threshold_id).find("jargon") != std::string::npos &&
          !r.jargon_found.empty()) {
        detail += "; terms: " + JoinLimited(r.jargon_found, 10);
      }
      f.evidence.push_back(c.PolicyAbsence("readability: " + detail));
      out->push_back(std::move(f));
    } else {
      within.push_back(fig + " <= " + std::to_string(*limit).substr(0, 7));
    }
  }
  if (!missing.empty()) {
    Finding f = c.MakeFinding(
        kId, Verdict::kNeedsManual, Strength::kNone,
        "Readability thresholds missing from the knowledge base: " + JoinLimited(missing) + ".");
    f.needed =
        "Add the thresholds to data/thresholds.yaml (knowledge base) or judge readability "
        "by hand: mean sentence " +
        std::to_string(r.mean_sentence_chars).substr(0, 6) + " chars, longest " +
        std::to_string(r.max_sentence_chars) + ", jargon " +
        std::to_string(r.jargon_per_1000_chars).substr(0, 6) + "/1000 chars.";
    f.evidence.push_back(evidence::AbsenceRef("data/thresholds.yaml", JoinLimited(missing)));
    out->push_back(std::move(f));
  }
  if (out->size() == before) {
    Finding f =
        c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                      "Readability figures within the thresholds: " + JoinLimited(within) + ".");
    f.evidence.push_back(c.PolicyAbsence("readability figures"));
    out->push_back(std::move(f));
  }
}

}  // namespace piaudit::rules::internal
