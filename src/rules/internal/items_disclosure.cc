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

// "k of them on a direct call chain" or, when none is, a note that every chain found is only
// possible (or that none was found).
knowledge::MessageText ChainNote(const std::vector<const evidence::SensitiveCall*>& calls) {
  size_t direct = 0, fan_out = 0;
  for (const auto* call : calls) {
    if (call->startup || !call->chain.empty()) (call->fan_out ? fan_out : direct)++;
  }
  if (direct > 0) return Msg("chain.direct", {Arg("count", static_cast<int64_t>(direct))});
  if (fan_out > 0) return Msg("chain.fan_out_only");
  return Msg("chain.none");
}

// "N call sites; <chain note>; owners: a, b", the reads behind an IM-2.1 finding.
knowledge::MessageText Reads(const std::vector<const evidence::SensitiveCall*>& calls,
                             const std::set<std::string>& owners) {
  return Msg("im2_1.reads",
             {Arg("count", static_cast<int64_t>(calls.size())), MsgArg("chain", ChainNote(calls)),
              ListArg("owners", {owners.begin(), owners.end()})});
}

}  // namespace

void EvalIm1_1(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-1.1";
  const evidence::PolicyFacts& p = c.ev().policy;
  switch (c.policy_state()) {
    case PolicyState::kAbsent:
      out->push_back(c.PolicyMissingFinding(kId, Msg("what.collection_use")));
      return;
    case PolicyState::kUnread:
      out->push_back(c.PolicyMissingFinding(kId, Msg("what.collection_rules")));
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
    Finding f = c.MakeFinding(kId, Verdict::kViolation, c.PolicyStrength(), Msg("im1_1.no_rules"));
    f.evidence.push_back(
        c.PolicyAbsence("searched " + std::to_string(p.text_code_points) +
                        " code points for collection sentences and data types; none found"));
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(
      kId, Verdict::kCompliant, Strength::kNone,
      Msg("im1_1.has_rules", {Arg("sentences", static_cast<int64_t>(p.collection_sentences)),
                              Arg("types", static_cast<int64_t>(p.data_types.size()))}));
  f.evidence = std::move(refs);
  for (const auto& r : p.refs) f.evidence.push_back(r);
  if (f.evidence.empty()) f.evidence.push_back(c.PolicyAbsence("policy analysed"));
  out->push_back(std::move(f));
}

void EvalIm1_2(const RuleContext& c, std::vector<Finding>* out) {
  const evidence::ConsentGate& g = c.ev().consent_gate;
  Finding f = c.MakeFinding("IM-1.2", Verdict::kNeedsDynamic, Strength::kNone,
                            Msg(g.found ? "im1_2.dialog_found" : "im1_2.no_dialog"));
  f.needed_text = Msg("im1_2.needed");
  f.evidence = g.dialog;
  if (g.agree_handler) f.evidence.push_back(*g.agree_handler);
  if (f.evidence.empty()) {
    f.evidence.push_back(evidence::AbsenceRef("res/layout, resources", "no consent dialog found"));
  }
  out->push_back(std::move(f));
}

void EvalIm1_3(const RuleContext& c, std::vector<Finding>* out) {
  std::optional<double> taps = c.Threshold("T5");
  Finding f =
      c.MakeFinding("IM-1.3", Verdict::kNeedsDynamic, Strength::kNone, Msg("im1_3.not_static"));
  f.needed_text = taps ? Msg("im1_3.needed", {Arg("taps", static_cast<int64_t>(*taps))})
                       : Msg("im1_3.needed_no_threshold");
  f.evidence.push_back(evidence::AbsenceRef("(ui)", "no UI trace recorded"));
  out->push_back(std::move(f));
}

void EvalIm1_4(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-1.4";
  if (c.policy_state() != PolicyState::kAnalysed) {
    out->push_back(c.PolicyTextMissingFinding(kId, Msg("what.script_legibility"),
                                              Verdict::kNeedsManual, Msg("im1_4.needed_no_text")));
    return;
  }
  const evidence::PolicyScript& s = c.ev().policy.script;
  std::string figures = "language " + s.language + ", " + std::to_string(s.han_chars) +
                        " Han characters, traditional ratio " +
                        std::to_string(s.traditional_ratio).substr(0, 4);
  std::vector<knowledge::MessageArg> figure_args = {
      Arg("language", s.language), Arg("han", static_cast<int64_t>(s.han_chars)),
      Arg("ratio", std::to_string(s.traditional_ratio).substr(0, 4))};
  if (s.traditional_only || !s.has_simplified) {
    Finding f = c.MakeFinding(
        kId, Verdict::kViolation, c.PolicyStrength(),
        Msg(s.traditional_only ? "im1_4.traditional_only" : "im1_4.no_simplified", figure_args),
        "simplified_chinese");
    f.evidence.push_back(c.PolicyAbsence("script check: " + figures));
    out->push_back(std::move(f));
    return;
  }
  Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                            Msg("im1_4.simplified", figure_args), "simplified_chinese");
  f.needed_text = Msg("im1_4.needed_legibility");
  f.evidence.push_back(c.PolicyAbsence("script check: " + figures));
  out->push_back(std::move(f));
}

void EvalIm2_1(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-2.1";
  const evidence::AppEvidence& ev = c.ev();
  PolicyState state = c.policy_state();
  if (state == PolicyState::kUnread) {
    out->push_back(c.PolicyMissingFinding(kId, Msg("what.each_sdk_type")));
    return;
  }
  bool absent = state == PolicyState::kAbsent;
  const knowledge::MessageText why_absent = Msg(absent ? "im2_1.why_absent" : "common.empty");
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
        code_absent  ? Msg("im2_1.sdk_declared_unlisted",
                           {c.SdkArg("sdk", sdk.id), c.CategoryArg("category", sdk.category),
                            MsgArg("why_absent", why_absent)})
        : referenced ? Msg("im2_1.sdk_referenced_unlisted",
                           {c.SdkArg("sdk", sdk.id), c.CategoryArg("category", sdk.category),
                            MsgArg("why_absent", why_absent)})
                     : Msg("im2_1.sdk_unlisted",
                           {c.SdkArg("sdk", sdk.id), c.CategoryArg("category", sdk.category),
                            MsgArg("detection",
                                   Msg("detection." +
                                       std::string(evidence::DetectionStrengthName(sdk.strength)))),
                            MsgArg("why_absent", why_absent)}),
        sdk.id, sdk.id);
    if (code_absent) {
      f.needed_text = Msg("im2_1.needed_code_absent");
    } else if (referenced) {
      f.needed_text = Msg("im2_1.needed_referenced");
    } else if (weak) {
      f.needed_text = Msg("im2_1.needed_weak");
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
    std::set<std::string> owners;
    for (const auto* call : calls) owners.insert(call->owner.empty() ? "app" : call->owner);
    std::string owner = owners.size() == 1 ? *owners.begin() : "app";
    if (const evidence::PolicyDataType* d = disc.named) {
      // Named is not enough: 2(1) asks for the purpose of each type. With the policy's practices
      // read (the span model ran), a type none of whose practices states a purpose, and for which
      // no function cue was found either, is left to a reviewer: the reader may have missed the
      // purpose, so it is not a violation, and not compliant either.
      const evidence::PolicyPractice* why = c.PolicyPracticePurpose(type);
      if (why == nullptr && d->functions.empty() && !ev.policy.practices.empty()) {
        Finding f = c.MakeFinding(
            kId, Verdict::kNeedsManual, Strength::kNone,
            Msg("im2_1.type_no_purpose",
                {c.PiTypeArg("pi_type", type), MsgArg("reads", Reads(calls, owners))}),
            type, owner);
        f.needed_text = Msg("im2_1.needed_no_purpose", {c.PiTypeArg("type", type)});
        for (size_t i = 0; i < d->spans.size() && i < 3; ++i) {
          f.evidence.push_back(c.PolicyEvidence(
              d->spans[i], "names " + d->type_id + "; no purpose attached in its sentence"));
        }
        AddCallRefs(calls, 3, &f.evidence);
        f.evidence.push_back(c.PolicyAbsence("no practice gives a purpose for " + type + " (" +
                                             std::to_string(ev.policy.practices.size()) +
                                             " practices read)"));
        out->push_back(std::move(f));
        continue;
      }
      disclosed.push_back(type);
      if (why != nullptr) {
        disclosed_refs.push_back(c.PolicyEvidence(why->purpose, "purpose for " + type));
      } else if (!d->spans.empty()) {
        disclosed_refs.push_back(c.PolicyEvidence(d->spans.front(), "discloses " + d->type_id));
      }
      continue;
    }
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
      std::vector<knowledge::MessageArg> args = {
          c.PiTypeArg("pi_type", type), MsgArg("reads", Reads(calls, owners)),
          c.PiTypeArg("group", g->type_id), c.PiTypeArg("type", type)};
      Finding f = shown ? c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                                        Msg("im2_1.type_group_only", args), type, owner)
                        : c.MakeFinding(kId, Verdict::kNeedsManual, Strength::kNone,
                                        Msg("im2_1.type_group_only_unshown", args), type, owner);
      f.needed_text = Msg(shown ? "im2_1.needed_group" : "im2_1.needed_group_unshown",
                          {c.PiTypeArg("type", type), c.PiTypeArg("group", g->type_id)});
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
                              Msg("im2_1.type_undisclosed", {c.PiTypeArg("pi_type", type),
                                                             MsgArg("reads", Reads(calls, owners)),
                                                             MsgArg("why_absent", why_absent)}),
                              type, owner)
              : c.MakeFinding(
                    kId, Verdict::kNeedsManual, Strength::kNone,
                    Msg("im2_1.type_undisclosed_unshown",
                        {c.PiTypeArg("pi_type", type), MsgArg("reads", Reads(calls, owners)),
                         MsgArg("why_absent", why_absent)}),
                    type, owner);
    if (!shown) f.needed_text = Msg("im2_1.needed_unshown", {Arg("type", type)});
    AddCallRefs(calls, 3, &f.evidence);
    f.evidence.push_back(absent ? evidence::AbsenceRef("(policy)", "no privacy policy")
                                : c.PolicyAbsence("no collected data type covers " + type));
    out->push_back(std::move(f));
  }

  if (!ev.CodeKnown()) {
    out->push_back(c.CodeUnknownFinding(kId, Msg("im2_1.needed_code_unknown")));
  }
  if (out->size() == before && absent) {
    // No policy and nothing to disclose: compliance needs a policy text to rest on.
    Finding f = c.MakeFinding(kId, Verdict::kNotApplicable, Strength::kNone,
                              Msg("im2_1.nothing_no_policy"));
    f.evidence.push_back(evidence::AbsenceRef("(code)", "nothing found"));
    out->push_back(std::move(f));
  } else if (out->size() == before) {
    Finding f =
        c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                      disclosed.empty() ? Msg("im2_1.nothing")
                                        : Msg("im2_1.all_disclosed", {ListArg("list", disclosed)}));
    f.evidence = std::move(disclosed_refs);
    if (f.evidence.empty()) f.evidence.push_back(evidence::AbsenceRef("(code)", "nothing found"));
    out->push_back(std::move(f));
  }
}

void EvalIm2_3(const RuleContext& c, std::vector<Finding>* out) {
  const char* kId = "IM-2.3";
  const evidence::AppEvidence& ev = c.ev();
  PolicyState state = c.policy_state();
  if (state == PolicyState::kUnread) {
    out->push_back(c.PolicyMissingFinding(kId, Msg("what.permission_purpose")));
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
  // Else a practice that states a purpose for it (the span labeller's purpose span).
  auto practice_purpose = [&](std::string_view type) -> const evidence::PolicyPractice* {
    return absent ? nullptr : c.PolicyPracticePurpose(type);
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
    const evidence::PolicyPractice* via_practice = nullptr;
    std::string via_practice_type;
    for (const auto& t : types) {
      if ((via_practice = practice_purpose(t))) {
        via_practice_type = t;
        break;
      }
    }
    if (via_practice) {
      ok.push_back(perm.name);
      ok_refs.push_back(
          c.PolicyEvidence(via_practice->purpose, "purpose for data type " + via_practice_type));
      continue;
    }
    Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                              Msg(absent ? "im2_3.permission_no_policy" : "im2_3.permission",
                                  {Arg("permission", perm.name)}),
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
    if (const evidence::PolicyPractice* p = practice_purpose(type)) {
      ok.push_back(type);
      ok_refs.push_back(c.PolicyEvidence(p->purpose, "purpose for " + type));
      continue;
    }
    Finding f = c.MakeFinding(kId, Verdict::kViolation, Strength::kLikely,
                              Msg("im2_3.sensitive_type", {c.PiTypeArg("pi_type", type)}), type,
                              calls.front()->owner.empty() ? "app" : calls.front()->owner);
    AddCallRefs(calls, 3, &f.evidence);
    f.evidence.push_back(c.PolicyAbsence("no purpose stated for " + type));
    out->push_back(std::move(f));
  }

  if (out->size() == before && absent) {
    // No policy, no dangerous permission and no sensitive type read: no purpose is owed.
    Finding f = c.MakeFinding(kId, Verdict::kNotApplicable, Strength::kNone,
                              Msg("im2_3.nothing_no_policy"));
    f.evidence.push_back(evidence::AbsenceRef("AndroidManifest.xml", "no dangerous permission"));
    out->push_back(std::move(f));
  } else if (out->size() == before) {
    Finding f = c.MakeFinding(
        kId, Verdict::kCompliant, Strength::kNone,
        ok.empty() ? Msg("im2_3.nothing") : Msg("im2_3.all_stated", {ListArg("list", ok)}));
    f.needed_text = Msg("im2_3.needed");
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
    out->push_back(c.PolicyTextMissingFinding(kId, Msg("what.readability"), Verdict::kNeedsManual,
                                              Msg("im2_4.needed_no_text")));
    return;
  }
  const evidence::PolicyReadability& r = c.ev().policy.readability;
  struct Metric {
    const char* threshold_id;  // knowledge-base threshold (data/thresholds.yaml)
    const char* what;
    const char* metric_id;  // message id of the metric's name (data/messages.yaml)
    double value;
  };
  const Metric metrics[] = {
      {"readability_mean_sentence_chars", "mean sentence length (chars)", "metric.mean_sentence",
       r.mean_sentence_chars},
      {"readability_max_sentence_chars", "longest sentence (chars)", "metric.max_sentence",
       static_cast<double>(r.max_sentence_chars)},
      {"readability_jargon_per_1000_chars", "jargon terms per 1000 chars", "metric.jargon",
       r.jargon_per_1000_chars},
      {"readability_max_chars", "policy length (chars)", "metric.length",
       static_cast<double>(r.chars)},
  };
  std::vector<std::string> missing;
  std::vector<knowledge::MessageText> within;
  size_t before = out->size();
  for (const Metric& m : metrics) {
    std::optional<double> limit = c.Threshold(m.threshold_id);
    std::string fig = std::string(m.what) + " = " + std::to_string(m.value).substr(0, 7);
    if (!limit) {
      missing.push_back(m.threshold_id);
      continue;
    }
    if (m.value > *limit) {
      Finding f = c.MakeFinding(
          kId, Verdict::kViolation, c.PolicyStrength(),
          Msg("im2_4.hard_to_read",
              {MsgArg("metric", Msg(m.metric_id)),
               Arg("value", std::to_string(m.value).substr(0, 7)),
               Arg("limit", std::to_string(*limit).substr(0, 7)), Arg("id", m.threshold_id)}),
          m.threshold_id);
      std::string detail = fig;
      if (std::string(m.threshold_id).find("jargon") != std::string::npos &&
          !r.jargon_found.empty()) {
        detail += "; terms: " + JoinLimited(r.jargon_found, 10);
      }
      f.evidence.push_back(c.PolicyAbsence("readability: " + detail));
      out->push_back(std::move(f));
    } else {
      within.push_back(Msg(
          "im2_4.within_one",
          {MsgArg("metric", Msg(m.metric_id)), Arg("value", std::to_string(m.value).substr(0, 7)),
           Arg("limit", std::to_string(*limit).substr(0, 7))}));
    }
  }
  if (!missing.empty()) {
    Finding f = c.MakeFinding(kId, Verdict::kNeedsManual, Strength::kNone,
                              Msg("im2_4.thresholds_missing", {ListArg("list", missing)}));
    f.needed_text = Msg("im2_4.needed_by_hand",
                        {Arg("mean", std::to_string(r.mean_sentence_chars).substr(0, 6)),
                         Arg("max", static_cast<int64_t>(r.max_sentence_chars)),
                         Arg("jargon", std::to_string(r.jargon_per_1000_chars).substr(0, 6))});
    f.evidence.push_back(evidence::AbsenceRef("data/thresholds.yaml", JoinLimited(missing)));
    out->push_back(std::move(f));
  }
  if (out->size() == before) {
    // At most the four metrics above: each as its own sentence piece.
    std::vector<knowledge::MessageArg> args;
    for (size_t i = 0; i < 4; ++i) {
      args.push_back(
          MsgArg("m" + std::to_string(i + 1), i < within.size() ? within[i] : Msg("common.empty")));
    }
    Finding f = c.MakeFinding(kId, Verdict::kCompliant, Strength::kNone,
                              Msg("im2_4.within", std::move(args)));
    f.evidence.push_back(c.PolicyAbsence("readability figures"));
    out->push_back(std::move(f));
  }
}

}  // namespace piaudit::rules::internal
