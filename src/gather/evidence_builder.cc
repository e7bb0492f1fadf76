#include "gather/evidence_builder.h"

#include <algorithm>
#include <set>

namespace piaudit::gather {
namespace {

namespace ev = ::piaudit::evidence;
using analysis::CodeReport;
using analysis::OwnedSensitiveCall;
using apk::ApkFacts;
using apk::DexFileSummary;
using apk::LayoutFacts;
using apk::PrecheckedConsentBox;

// Offsets of code points in a UTF-8 string, so spans given in code points can be cut out again.
class CodePointIndex {
 public:
  explicit CodePointIndex(const std::string& text) : text_(text) {
    for (size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) starts_.push_back(i);
    }
    starts_.push_back(text.size());
  }
  std::string Cut(uint32_t start, uint32_t end) const {
    if (start >= end || start + 1 >= starts_.size()) return "";
    size_t b = starts_[start];
    size_t e = starts_[std::min<size_t>(end, starts_.size() - 1)];
    return text_.substr(b, e - b);
  }

 private:
  const std::string& text_;
  std::vector<size_t> starts_;
};

ev::DetectionStrength ToStrength(analysis::Strength s) {
  switch (s) {
    case analysis::Strength::kStrong:
      return ev::DetectionStrength::kStrong;
    case analysis::Strength::kMedium:
      return ev::DetectionStrength::kMedium;
    case analysis::Strength::kWeak:
      return ev::DetectionStrength::kWeak;
  }
  return ev::DetectionStrength::kWeak;
}

ev::BeforeConsent ToBeforeConsent(analysis::BeforeConsent b) {
  switch (b) {
    case analysis::BeforeConsent::kLikely:
      return ev::BeforeConsent::kLikely;
    case analysis::BeforeConsent::kNo:
      return ev::BeforeConsent::kNo;
    case analysis::BeforeConsent::kUnknown:
      return ev::BeforeConsent::kUnknown;
  }
  return ev::BeforeConsent::kUnknown;
}

ev::SourceKind SdkEvidenceKind(std::string_view kind) {
  if (kind == "component" || kind == "meta-data") return ev::SourceKind::kManifest;
  if (kind == "native-lib") return ev::SourceKind::kNative;
  if (kind == "asset") return ev::SourceKind::kAsset;
  if (kind == "code-absent") return ev::SourceKind::kAbsence;
  return ev::SourceKind::kCode;
}

// "a; b; c"
std::string JoinReasons(const std::vector<std::string>& reasons) {
  std::string out;
  for (const std::string& r : reasons) out += (out.empty() ? "" : "; ") + r;
  return out;
}

// Privacy-policy URLs: the candidates (analysis JudgePolicyUrls), best first, into urls_found
// with a ref each saying why; the URLs that only looked like one into the policy warnings as
// "seen, not trusted", with why not. A URL is never the policy because it was found.
void AddPolicyUrlEvidence(const std::vector<analysis::UrlRecord>& urls, ev::AppEvidence* e) {
  // Refs and warnings are for a reader; a few make the point (the URLs stay in e->urls).
  constexpr size_t kMaxRefs = 5;
  constexpr size_t kMaxUntrusted = 10;
  std::vector<const analysis::UrlRecord*> candidates;
  std::vector<const analysis::UrlRecord*> untrusted;
  for (const analysis::UrlRecord& u : urls) {
    if (u.policy_candidate) {
      candidates.push_back(&u);
    } else if (u.policy_listed) {
      untrusted.push_back(&u);
    }
  }
  // Best evidence first (the scan fetches the first with --fetch-found-url); ties by URL.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const analysis::UrlRecord* a, const analysis::UrlRecord* b) {
                     return a->policy_score > b->policy_score;
                   });
  for (const analysis::UrlRecord* u : candidates) {
    e->policy.urls_found.push_back(u->url);
    if (e->policy.refs.size() >= kMaxRefs) continue;
    ev::EvidenceRef ref;
    ref.kind = u->first.source == "dex"         ? ev::SourceKind::kCode
               : u->first.source == "resources" ? ev::SourceKind::kResource
               : u->first.source == "native"    ? ev::SourceKind::kNative
               : u->first.source == "manifest"  ? ev::SourceKind::kManifest
                                                : ev::SourceKind::kAsset;
    ref.file = u->first.file;
    ref.location = u->first.detail;
    ref.detail = "privacy-policy URL " + u->url + " (evidence " + std::to_string(u->policy_score) +
                 " points: " + JoinReasons(u->policy_reasons) + ")";
    e->policy.refs.push_back(std::move(ref));
  }
  for (size_t i = 0; i < untrusted.size() && i < kMaxUntrusted; ++i) {
    const analysis::UrlRecord& u = *untrusted[i];
    e->policy.warnings.push_back("url seen, not trusted as the privacy policy: " + u.url + " (" +
                                 u.policy_rejected + "; in " + u.first.file +
                                 (u.first.detail.empty() ? "" : " " + u.first.detail) + ")");
  }
  if (untrusted.size() > kMaxUntrusted) {
    e->policy.warnings.push_back("... and " + std::to_string(untrusted.size() - kMaxUntrusted) +
                                 " more urls seen, not trusted as the privacy policy");
  }
}

ev::PolicySpan Span(const CodePointIndex& index, policy::TextRange range) {
  return ev::PolicySpan{range.start, range.end, index.Cut(range.start, range.end)};
}

// Facts about rights, channels and time limits are read from a sentence, and that sentence is
// their evidence: a regulator checks "需前往营业厅办理", not the two characters "前往".
policy::TextRange SentenceOf(const policy::PolicyAnalysis& pa, int32_t sentence,
                             policy::TextRange fallback) {
  if (sentence < 0 || static_cast<size_t>(sentence) >= pa.sentences.size()) return fallback;
  return pa.sentences[sentence].range;
}

// "com.foo.Main" -> "Lcom/foo/Main;"
std::string Descriptor(std::string_view dot) {
  std::string out = "L" + std::string(dot) + ";";
  std::replace(out.begin(), out.end(), '.', '/');
  return out;
}

// Runtime permission requests that run as the app starts (IM-4.6): in the start-up set, or in
// the Application class, or in the lifecycle of the launcher activity (the first screen). Only
// dangerous permissions count; a request for one permission is not "several at once".
void AddPermissionRequests(const CodeReport& code, const knowledge::KnowledgeBase& kb,
                           ev::AppEvidence* e) {
  std::set<std::string> startup;
  if (code.code)
    startup.insert(code.code->startup_methods.begin(), code.code->startup_methods.end());
  const std::string app_cls =
      code.application_class.empty() ? "" : Descriptor(code.application_class);
  const std::string launcher =
      code.launcher_activity.empty() ? "" : Descriptor(code.launcher_activity);
  for (const analysis::PermissionRequestSite& site : code.permission_requests) {
    std::string method = site.caller.substr(site.caller.find("->") + 2);
    bool lifecycle = method.rfind("onCreate(", 0) == 0 || method.rfind("onStart(", 0) == 0 ||
                     method.rfind("onResume(", 0) == 0 || method.rfind("onPostCreate(", 0) == 0;
    std::string context;
    if (startup.count(site.caller)) {
      context = "start-up set";
    } else if (!app_cls.empty() && site.caller_class == app_cls) {
      context = "Application class";
    } else if (!launcher.empty() && site.caller_class == launcher && lifecycle) {
      context = "launcher activity lifecycle (first screen)";
    } else {
      continue;
    }
    ev::StartupPermissionRequest req;
    for (const std::string& p : site.permissions) {
      const knowledge::Permission* kp = kb.FindPermission(p);
      if (kp != nullptr && kp->dangerous) req.permissions.push_back(p);
    }
    if (req.permissions.empty()) continue;
    req.caller = ClassDotMethod(site.caller);
    req.chain = {req.caller};
    req.ref = ev::CodeRef(site.dex_file, req.caller, req.chain,
                          "calls " + ClassDotMethod(site.api) + " in the " + context);
    req.ref.offset = site.file_offset;
    e->startup_permission_requests.push_back(std::move(req));
  }
}

}  // namespace

std::string ClassDotMethod(std::string_view d) {
  size_t arrow = d.find("->");
  if (arrow == std::string_view::npos) return std::string(d);
  std::string_view cls = d.substr(0, arrow);
  std::string_view rest = d.substr(arrow + 2);
  if (!cls.empty() && cls.front() == 'L') cls.remove_prefix(1);
  if (!cls.empty() && cls.back() == ';') cls.remove_suffix(1);
  size_t paren = rest.find_first_of("(:");
  std::string out(cls);
  std::replace(out.begin(), out.end(), '/', '.');
  return out + "." + std::string(rest.substr(0, paren));
}

void AddManifestEvidence(const ApkFacts& facts, const knowledge::KnowledgeBase& kb,
                         ev::AppEvidence* e) {
  const android::Manifest& m = facts.manifest;
  e->app.package = m.package;
  e->app.version_name = m.version_name;
  e->app.version_code = m.version_code.value_or(0);
  e->app.min_sdk = m.EffectiveMinSdk();
  e->app.target_sdk = m.EffectiveTargetSdk();
  e->app.apk_file = facts.path;
  e->app.apk_sha256 = facts.sha256;
  if (facts.signatures) {
    for (const container::DistinctSigner& s : container::DistinctSigners(*facts.signatures)) {
      ev::SignerFact signer{s.certificate->sha256_hex, s.certificate->subject, s.schemes,
                            s.verified};
      if (s.lineage != nullptr) {
        for (const container::LineageNode& node : *s.lineage)
          signer.lineage.push_back(node.certificate.sha256_hex);
        signer.lineage_verified = s.lineage_verified && s.verified;
      }
      e->app.signers.push_back(std::move(signer));
    }
  }
  for (const auto& [locale, label] : facts.labels) {
    if (locale.empty()) e->app.label = label;
    e->app.labels_by_locale.emplace_back(locale, label);
  }
  if (e->app.label.empty() && !facts.labels.empty()) e->app.label = facts.labels.begin()->second;
  std::set<std::string> seen;
  for (const android::UsesPermission& p : m.uses_permissions) {
    if (!seen.insert(p.name).second) continue;
    ev::PermissionFact fact;
    fact.name = p.name;
    if (const knowledge::Permission* kp = kb.FindPermission(p.name)) {
      fact.dangerous = kp->dangerous;
      fact.pi_types = kp->pi;
    }
    fact.ref = ev::ManifestRef("manifest/uses-permission[@name=" + p.name + "]");
    fact.ref.file = "AndroidManifest.xml";
    e->permissions.push_back(std::move(fact));
  }
  for (const android::ImpliedPermission& p : m.implied_permissions) {
    if (seen.count(p.name)) continue;
    ev::PermissionFact fact;
    fact.name = p.name;
    if (const knowledge::Permission* kp = kb.FindPermission(p.name)) {
      fact.dangerous = kp->dangerous;
      fact.pi_types = kp->pi;
    }
    fact.ref = ev::ManifestRef("manifest/uses-sdk",
                               "implied permission " + p.name + " (" + p.reason + ")");
    fact.ref.file = "AndroidManifest.xml";
    e->implied_permissions.push_back(std::move(fact));
  }
}

void AddCodeEvidence(const CodeReport& code, const knowledge::KnowledgeBase& kb,
                     ev::AppEvidence* e) {
  for (const analysis::SdkFinding& f : code.sdks) {
    if (f.sdk == nullptr) continue;
    ev::SdkFact sdk;
    sdk.id = f.sdk->id;
    sdk.name = f.sdk->zh.empty() ? f.sdk->en : f.sdk->zh + " / " + f.sdk->en;
    sdk.category = f.sdk->category;
    sdk.provider = f.sdk->provider;
    sdk.strength = ToStrength(f.strength);
    sdk.presence = std::string(analysis::PresenceName(f.presence));
    // Declared, code absent, or only referenced: what the SDK is documented to collect says
    // nothing about an app that does not carry its code, so no PI types (the rules claim no
    // collection from it). A declared SDK behind a packer keeps them: its code may be hidden.
    if (!f.code_absent && f.presence != analysis::Presence::kReferenced) sdk.pi_types = f.sdk->pi;
    for (const analysis::SdkEvidence& se : f.evidence) {
      ev::EvidenceRef ref;
      ref.kind = SdkEvidenceKind(se.kind);
      ref.file = ref.kind == ev::SourceKind::kManifest  ? "AndroidManifest.xml"
                 : ref.kind == ev::SourceKind::kAbsence ? "classes*.dex"
                                                        : "";
      ref.location = se.kind;
      ref.detail = se.detail;
      sdk.refs.push_back(std::move(ref));
    }
    if (!f.version.version.empty()) {
      sdk.version = f.version.version;
      ev::EvidenceRef ref;
      ref.kind = f.version.how == "meta-inf" ? ev::SourceKind::kAsset : ev::SourceKind::kCode;
      ref.file = f.version.file;
      ref.location = f.version.location;
      ref.detail = "version " + f.version.version + " (" + f.version.how + ")";
      sdk.version_ref = std::move(ref);
    }
    e->sdks.push_back(std::move(sdk));
  }
  if (code.packer) {
    ev::PackerFact p;
    p.id = code.packer->id;
    p.name = code.packer->name;
    for (const std::string& detail : code.packer->evidence) {
      ev::EvidenceRef ref;
      ref.kind = ev::SourceKind::kCode;
      ref.detail = detail;
      p.refs.push_back(std::move(ref));
    }
    e->packer = std::move(p);
  }
  ev::CodeReadStatus& status = e->code;
  status.attempted = true;
  for (const DexFileSummary& d : code.dex_files) {
    if (d.origin != "primary") {
      status.dynamic_loading = true;
      continue;
    }
    ++status.dex_files;
    if (d.error.empty())
      ++status.dex_files_read;
    else
      status.failed_dex.push_back(d.name + ": " + d.error);
  }
  if (!code.secondary_code.empty()) status.dynamic_loading = true;
  if (!code.code) {
    status.limits_hit.push_back("code analysis did not run: " + code.code_error);
  } else {
    for (const std::string& r : code.code->partial_reasons) status.limits_hit.push_back(r);
    const analysis::ConsentGate& g = code.code->consent_gate;
    e->consent_gate.found = g.found;
    for (const analysis::ConsentEvidence& d : g.dialog) {
      ev::EvidenceRef ref;
      ref.kind = d.kind == "layout"            ? ev::SourceKind::kLayout
                 : d.kind == "string_resource" ? ev::SourceKind::kResource
                                               : ev::SourceKind::kCode;
      ref.location = d.where;
      ref.detail = d.text;
      e->consent_gate.dialog.push_back(std::move(ref));
    }
    if (!g.agree_handlers.empty()) {
      e->consent_gate.agree_handler = ev::CodeRef("", ClassDotMethod(g.agree_handlers.front()));
    }
    if (!g.flag_key.empty()) {
      std::string readers;
      for (const std::string& r : g.flag_readers) readers += (readers.empty() ? "" : ", ") + r;
      e->consent_gate.flag =
          ev::CodeRef("", g.flag_kind + " " + g.flag_key, {}, "read by: " + readers);
    }
  }
  for (const OwnedSensitiveCall& oc : code.sensitive_calls) {
    const analysis::SensitiveCall& c = oc.call;
    std::vector<std::string> chain;
    for (const analysis::ChainStep& step : c.chain) chain.push_back(ClassDotMethod(step.method));
    for (const std::string& pi : c.pi) {
      ev::SensitiveCall s;
      s.api = c.api;
      s.pi_type = pi;
      s.caller = ClassDotMethod(c.caller);
      s.owner = oc.owner;
      // The launcher's first screen is start-up too: it runs before anything the user can
      // agree to unless the consent gate guards it (the analysis says which, in before_consent).
      s.startup = c.startup_reachable || c.launcher_reachable;
      s.launcher = !c.startup_reachable && c.launcher_reachable;
      s.before_consent = ToBeforeConsent(c.before_consent);
      s.fan_out = c.fan_out;
      s.chain = chain;
      s.ref = ev::CodeRef(c.dex_file, s.caller, chain, c.reason);
      s.ref.offset = c.file_offset;
      e->sensitive_calls.push_back(std::move(s));
    }
  }
  AddPermissionRequests(code, kb, e);
  for (const analysis::HostRecord& h : code.hosts) {
    ev::HostFact host;
    host.host = h.host;
    host.owner = h.owners.empty() ? "app" : h.owners.front();
    host.ref.kind = ev::SourceKind::kCode;
    host.ref.file = h.first.file;
    host.ref.location = h.first.detail;
    e->hosts.push_back(std::move(host));
  }
  for (const analysis::UrlRecord& u : code.urls) e->urls.push_back(u.url);
  AddPolicyUrlEvidence(code.urls, e);
  for (const Diagnostic& d : code.diagnostics.items()) e->diagnostics.push_back(d);
  e->diagnostics_dropped += code.diagnostics.dropped();
  (void)kb;
}

void AddLayoutEvidence(const LayoutFacts& layouts, ev::AppEvidence* e) {
  for (const PrecheckedConsentBox& box : layouts.prechecked) {
    ev::PrecheckedConsent p;
    p.layout = box.file;
    p.view_id = box.view_id;
    p.nearby_text = box.text;
    p.ref = ev::LayoutRef(box.file, box.element + (box.view_id.empty() ? "" : "#" + box.view_id),
                          "android:checked=\"true\" (line " + std::to_string(box.line) + ")");
    p.ref.offset = box.offset;
    e->prechecked_consents.push_back(std::move(p));
  }
}

void AddPolicyEvidence(const policy::PolicyAnalysis& pa, ev::PolicySource source,
                       const std::string& file, ev::AppEvidence* e) {
  ev::PolicyFacts& p = e->policy;
  CodePointIndex index(pa.text);
  p.source = source;
  p.file = file;
  p.analysed = true;
  p.text_code_points = pa.text_code_points;
  for (const policy::Sentence& s : pa.sentences) {
    if (policy::Has(s.categories, policy::Category::kCollection)) ++p.collection_sentences;
  }
  // Mentions per type, at most a few spans each: enough to click through, bounded for reports.
  constexpr size_t kSpansPerType = 5;
  for (const policy::DataTypeSummary& d : pa.data_types) {
    ev::PolicyDataType t;
    t.type_id = d.type_id;
    t.collected = d.collected;
    t.not_collected = d.not_collected;
    t.optional = d.optional;
    t.required = d.required;
    t.functions = d.functions;
    for (const policy::DataTypeMention& m : pa.data_type_mentions) {
      if (m.type_id == d.type_id && t.spans.size() < kSpansPerType) {
        t.spans.push_back(Span(index, m.range));
      }
    }
    p.data_types.push_back(std::move(t));
  }
  for (const policy::PermissionMention& m : pa.permissions) {
    ev::PolicyPermission perm;
    perm.permission = m.permission_id;
    perm.negated = m.negated;
    perm.purpose = m.purpose;
    perm.span = Span(index, m.range);
    p.permissions.push_back(std::move(perm));
  }
  for (const policy::ThirdPartyMention& m : pa.third_parties) {
    ev::PolicyThirdParty t;
    t.is_sdk = m.is_sdk;
    t.sdk_id = m.sdk_id;
    t.name = m.name;
    t.provider = m.provider;
    t.purpose = m.purpose;
    t.data_types = m.data_types;
    t.contact = m.contact;
    t.span = Span(index, m.range);
    p.third_parties.push_back(std::move(t));
  }
  for (const policy::RightMention& m : pa.rights) {
    ev::PolicyRight r;
    // Both enums list the rights in the same order (policy_analysis.h and evidence.h).
    r.kind = static_cast<ev::RightKind>(static_cast<uint8_t>(m.kind));
    r.conditions = m.conditions;
    r.in_app_path = m.in_app_path;
    r.span = Span(index, SentenceOf(pa, m.sentence, m.range));
    r.certain = m.certain;
    p.rights.push_back(std::move(r));
  }
  for (const policy::ContactChannel& c : pa.channels) {
    ev::PolicyChannel ch;
    ch.kind = std::string(policy::ChannelKindName(c.kind));
    ch.value = c.value;
    ch.complaint = c.complaint;
    ch.span = Span(index, SentenceOf(pa, c.sentence, c.range));
    p.channels.push_back(std::move(ch));
  }
  for (const policy::TimeLimit& t : pa.time_limits) {
    ev::PolicyTimeLimit limit;
    limit.amount = t.amount;
    limit.unit = static_cast<ev::TimeUnit>(static_cast<uint8_t>(t.unit));
    limit.applies_to = std::string(policy::TimeLimitSubjectName(t.applies_to));
    limit.span = Span(index, SentenceOf(pa, t.sentence, t.range));
    limit.certain = t.certain;
    p.time_limits.push_back(std::move(limit));
  }
  for (const policy::TextRange& r : pa.personalization) {
    p.personalization_mentions.push_back(Span(index, r));
  }
  // Practices: at most kMaxPractices (a report shows a handful per type; a 50 MiB policy may
  // yield a million), in text order.
  constexpr size_t kMaxPractices = 5000;
  auto opt_span = [&](policy::TextRange r) {
    return r.end > r.start ? Span(index, r) : ev::PolicySpan{};
  };
  for (const policy::Practice& pr : pa.practices) {
    if (p.practices.size() >= kMaxPractices) {
      p.warnings.push_back("practices after the first " + std::to_string(kMaxPractices) +
                           " not in the evidence record");
      break;
    }
    ev::PolicyPractice q;
    // Every type named inside the data span (the mentions are in text order).
    auto m = std::lower_bound(
        pa.data_type_mentions.begin(), pa.data_type_mentions.end(), pr.data.start,
        [](const policy::DataTypeMention& x, uint32_t v) { return x.range.start < v; });
    for (; m != pa.data_type_mentions.end() && m->range.start < pr.data.end; ++m) {
      if (m->range.end <= pr.data.end && !m->negated &&
          std::find(q.data_types.begin(), q.data_types.end(), m->type_id) == q.data_types.end())
        q.data_types.push_back(m->type_id);
    }
    q.data = Span(index, pr.data);
    q.action = pr.action;
    q.purpose = opt_span(pr.purpose);
    q.condition = opt_span(pr.condition);
    q.collector = pr.collector;
    q.collector_span = opt_span(pr.collector_range);
    for (const policy::TextRange& r : pr.receivers) q.receivers.push_back(Span(index, r));
    q.sentence = Span(index, SentenceOf(pa, pr.sentence, pr.data));
    p.practices.push_back(std::move(q));
  }
  p.script.language = pa.script.language;
  p.script.han_chars = pa.script.han_chars;
  p.script.traditional_ratio = pa.script.traditional_ratio;
  p.script.has_simplified = pa.script.has_simplified;
  p.script.traditional_only = pa.script.traditional_only;
  p.readability.chars = pa.readability.chars;
  p.readability.sentences = pa.readability.sentences;
  p.readability.mean_sentence_chars = pa.readability.mean_sentence_chars;
  p.readability.max_sentence_chars = pa.readability.max_sentence_chars;
  p.readability.jargon_terms = pa.readability.jargon_terms;
  p.readability.jargon_per_1000_chars = pa.readability.jargon_per_1000_chars;
  p.readability.jargon_found = pa.readability.jargon_found;
  // After what the code analysis put there (URLs seen, not trusted as the policy).
  p.warnings.insert(p.warnings.end(), pa.warnings.begin(), pa.warnings.end());
}

}  // namespace piaudit::gather
