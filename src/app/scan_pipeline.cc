#include "app/scan_pipeline.h"

#include "app/apk_facts.h"
#include "app/app_type_infer.h"
#include "app/code_json.h"
#include "app/evidence_builder.h"
#include "app/layout_facts.h"
#include "app/policy_locate.h"
#include "base/mapped_file.h"
#include "policy/policy_fetch.h"
#include "rules/evaluate.h"

namespace piaudit::app {
namespace {

namespace ev = ::piaudit::evidence;

void AddStatusDiagnostic(ev::AppEvidence* e, const char* code, const Status& s) {
  Diagnostics d(1);
  d.AddStatus(code, s);
  for (const Diagnostic& item : d.items()) e->diagnostics.push_back(item);
}

}  // namespace

Result<std::unique_ptr<Scanner>> Scanner::Create(const std::string& kb_dir, const Limits& limits) {
  Diagnostics diags;
  ASSIGN_OR_RETURN(knowledge::KnowledgeBase kb, knowledge::KnowledgeBase::Load(kb_dir, &diags));
  return std::unique_ptr<Scanner>(new Scanner(std::move(kb), kb_dir, limits));
}

Result<const policy::PolicyAnalyzer*> Scanner::Analyzer() const {
  std::call_once(analyzer_once_, [this] {
    auto created = policy::PolicyAnalyzer::Create(kb_, kb_dir_);
    if (created.ok()) {
      analyzer_ = std::move(*created);
    } else {
      analyzer_status_ = created.status();
    }
  });
  if (!analyzer_) return analyzer_status_;
  return analyzer_.get();
}

ScanResult Scanner::Scan(const ScanRequest& request) const {
  ScanResult result;
  ev::AppEvidence& e = result.evidence;
  e.app.apk_file = request.apk_path;

  ApkFactsOptions apk_options;
  apk_options.limits = limits_;
  apk_options.read_signatures = false;  // signers are `piaudit info`'s business, not a rule's
  Result<ApkFacts> facts = ReadApkFacts(request.apk_path, apk_options);
  std::vector<std::string> resource_texts;
  std::optional<BundledPolicy> bundled;
  if (!facts.ok()) {
    result.apk_status = facts.status();
    e.apk_unreadable = facts.status().ToString();
    AddStatusDiagnostic(&e, "scan.apk_unreadable", facts.status());
    e.code.attempted = false;
  } else {
    AddManifestEvidence(*facts, kb_, &e);
    LayoutFacts layouts = ReadLayoutFacts(*facts, limits_);
    AddLayoutEvidence(layouts, &e);
    if (facts->resources)
      layouts.strings.strings = CollectResourceStrings(*facts->resources).strings;
    for (const auto& s : layouts.strings.strings) resource_texts.push_back(s.text);
    if (request.policy_file.empty() && request.policy_url.empty()) {
      bundled = LocateBundledPolicy(*facts, resource_texts, limits_);
    }
    // The code report takes the facts over (it reads the dex entries through their zip), so
    // everything else that needs the APK is read above.
    CodeOptions code_options;
    code_options.limits = limits_;
    code_options.resources = &layouts.strings;
    // The report carries the facts' diagnostics on; keep them for the case it fails.
    Diagnostics apk_diagnostics = facts->diagnostics;
    Result<CodeReport> code = BuildCodeReportFromFacts(std::move(*facts), kb_, code_options);
    if (code.ok()) {
      AddCodeEvidence(*code, kb_, &e);
    } else {
      for (const Diagnostic& d : apk_diagnostics.items()) e.diagnostics.push_back(d);
      e.code.limits_hit.push_back("code could not be read: " + code.status().ToString());
      AddStatusDiagnostic(&e, "scan.code_unreadable", code.status());
    }
  }

  // The policy: what the user gave wins; otherwise what the APK carries.
  std::string policy_bytes;
  std::string policy_file;
  ev::PolicySource source = ev::PolicySource::kNone;
  policy::PolicyFormatHint hint = policy::PolicyFormatHint::kAuto;
  if (!request.policy_file.empty()) {
    auto bytes = ReadFileToString(request.policy_file, limits_.max_policy_bytes);
    if (bytes.ok()) {
      policy_bytes = std::move(*bytes);
      policy_file = request.policy_file;
      source = ev::PolicySource::kGivenFile;
    } else {
      result.policy_status = bytes.status();
    }
  } else if (!request.policy_url.empty()) {
    auto fetched = policy::FetchPolicy(request.policy_url, limits_);
    if (fetched.ok()) {
      policy_bytes = std::move(fetched->body);
      policy_file = fetched->final_url;
      hint = fetched->hint;
      source = ev::PolicySource::kGivenFile;
    } else {
      result.policy_status = fetched.status();
    }
  } else if (result.apk_status.ok()) {
    if (bundled) {
      policy_bytes = std::move(bundled->bytes);
      policy_file = bundled->file;
      source = bundled->from_resource_string ? ev::PolicySource::kResource
                                             : ev::PolicySource::kBundledAsset;
      ev::EvidenceRef ref;
      ref.kind = bundled->from_resource_string ? ev::SourceKind::kResource : ev::SourceKind::kAsset;
      ref.file = bundled->file;
      ref.detail =
          "bundled privacy policy (policy-likeness score " + std::to_string(bundled->score) + ")";
      e.policy.refs.push_back(std::move(ref));
    } else if (!e.policy.urls_found.empty()) {
      source = ev::PolicySource::kUrlFound;
      if (request.fetch_found_policy_url) {
        auto fetched = policy::FetchPolicy(e.policy.urls_found.front(), limits_);
        if (fetched.ok()) {
          policy_bytes = std::move(fetched->body);
          policy_file = fetched->final_url;
          hint = fetched->hint;
        } else {
          result.policy_status = fetched.status();
        }
      }
    }
  }
  e.policy.source = source;
  if (!policy_bytes.empty()) {
    auto analyzer = Analyzer();
    auto analysis = analyzer.ok() ? (*analyzer)->Analyze(ByteSpan(policy_bytes), hint, limits_)
                                  : Result<policy::PolicyAnalysis>(analyzer.status());
    if (analysis.ok()) {
      AddPolicyEvidence(*analysis, source, policy_file, &e);
    } else {
      result.policy_status = Status(analysis.status()).InFile(policy_file);
    }
  }
  if (!result.policy_status.ok()) {
    AddStatusDiagnostic(&e, "scan.policy_unreadable", result.policy_status);
    e.policy.warnings.push_back("the policy could not be read: " + result.policy_status.ToString());
  }

  // The app type.
  if (!request.app_type.empty()) {
    e.app_type.id = request.app_type;
    e.app_type.given = true;
    e.app_type.confidence = 1.0;
    e.app_type.reason = "given with --app-type";
  } else if (result.apk_status.ok()) {
    AppTypeSignals signals;
    signals.package = e.app.package;
    for (const auto& [locale, label] : e.app.labels_by_locale) signals.labels.push_back(label);
    e.app_type = InferAppType(signals, kb_);
  }

  result.items = rules::EvaluateAll(e, kb_);
  return result;
}

}  // namespace piaudit::app
