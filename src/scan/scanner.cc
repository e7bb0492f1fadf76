#include "scan/scanner.h"

#include <chrono>
#include <optional>
#include <unordered_map>

#include "analysis/app_code.h"
#include "apk/apk_facts.h"
#include "apk/layout_facts.h"
#include "apk/policy_locate.h"
#include "base/concurrency.h"
#include "base/mapped_file.h"
#include "gather/app_type_infer.h"
#include "gather/evidence_builder.h"
#include "policy/policy_fetch.h"
#include "rules/evaluate.h"
#include "runtime/recordings.h"

namespace piaudit::scan {
namespace {

namespace ev = ::piaudit::evidence;
using apk::ApkFacts;
using apk::ApkFactsOptions;
using apk::BundledPolicy;
using apk::LayoutFacts;

void AddStatusDiagnostic(ev::AppEvidence* e, const char* code, const Status& s) {
  Diagnostics d(1);
  d.AddStatus(code, s);
  for (const Diagnostic& item : d.items()) e->diagnostics.push_back(item);
}

// Classes and packages of renamed SDK code (fingerprints, package inference) -> SDK id.
std::unordered_map<std::string, std::string> RenamedSdkClasses(const analysis::CodeReport& code) {
  std::unordered_map<std::string, std::string> owners;
  for (const analysis::FingerprintMatch& m : code.fingerprint_matches) {
    if (!m.sdk) continue;
    for (const analysis::FingerprintedClass& c : m.classes) {
      std::string dot = c.descriptor;
      if (dot.size() > 2 && dot.front() == 'L' && dot.back() == ';')
        dot = dot.substr(1, dot.size() - 2);
      for (char& ch : dot) {
        if (ch == '/') ch = '.';
      }
      owners.emplace(std::move(dot), m.sdk->id);
    }
  }
  for (const analysis::ObfuscatedMatch& m : code.obfuscated_sdks) {
    if (!m.sdk) continue;
    for (const std::string& package : m.packages) owners.emplace(package, m.sdk->id);
  }
  return owners;
}

// A policy text to analyse and where it came from.
struct PolicyInput {
  std::string bytes;
  std::string file;
  policy::PolicyFormatHint hint = policy::PolicyFormatHint::kAuto;
  ev::PolicySource source = ev::PolicySource::kNone;
  std::optional<ev::EvidenceRef> ref;  // for a policy found inside the APK
  Status status;                       // why a given/found policy could not be read
};

// A policy fetched from `url` (its source is the caller's to say).
PolicyInput FetchedPolicy(const std::string& url, const Limits& limits,
                          const policy::FetchGuard& guard) {
  PolicyInput in;
  auto fetched = policy::FetchPolicy(url, limits, guard);
  if (fetched.ok()) {
    in.bytes = std::move(fetched->body);
    in.file = fetched->final_url;
    in.hint = fetched->hint;
  } else {
    in.status = fetched.status();
  }
  return in;
}

// What the user gave: --policy FILE or --policy-url URL.
PolicyInput GivenPolicy(const ScanRequest& request, const Limits& limits) {
  PolicyInput in;
  if (!request.policy_file.empty()) {
    auto bytes = ReadFileToString(request.policy_file, limits.max_policy_bytes);
    if (bytes.ok()) {
      in.bytes = std::move(*bytes);
      in.file = request.policy_file;
      in.source = ev::PolicySource::kGivenFile;
    } else {
      in.status = bytes.status();
    }
  } else if (!request.policy_url.empty()) {
    in = FetchedPolicy(request.policy_url, limits, request.fetch_guard);
    if (in.status.ok()) in.source = ev::PolicySource::kGivenFile;
  }
  return in;
}

PolicyInput BundledPolicyInput(BundledPolicy bundled) {
  PolicyInput in;
  in.bytes = std::move(bundled.bytes);
  in.file = bundled.file;
  in.source =
      bundled.from_resource_string ? ev::PolicySource::kResource : ev::PolicySource::kBundledAsset;
  ev::EvidenceRef ref;
  ref.kind = bundled.from_resource_string ? ev::SourceKind::kResource : ev::SourceKind::kAsset;
  ref.file = bundled.file;
  ref.detail =
      "bundled privacy policy (policy-likeness score " + std::to_string(bundled.score) + ")";
  in.ref = std::move(ref);
  return in;
}

// What a scan that passed its deadline or was cancelled returns: its status and nothing else, so
// no partial evidence can be judged or stored as if it were complete.
ScanResult Stopped(Status status) {
  ScanResult stopped;
  stopped.status = std::move(status);
  return stopped;
}

// Wall-clock phases of one scan, for --timings.
class PhaseClock {
 public:
  PhaseClock(std::vector<PhaseTiming>* out,
             const std::function<void(const std::string&, double)>& on_phase)
      : out_(out), on_phase_(on_phase) {}
  void Mark(const char* phase) {
    const auto now = std::chrono::steady_clock::now();
    out_->push_back({phase, std::chrono::duration<double, std::milli>(now - last_).count()});
    last_ = now;
    if (on_phase_) on_phase_(out_->back().phase, out_->back().ms);
  }

 private:
  std::vector<PhaseTiming>* out_;
  const std::function<void(const std::string&, double)>& on_phase_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

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

Status Scanner::Prepare() const { return Analyzer().status(); }

ScanResult Scanner::Scan(const ScanRequest& request) const {
  ScanResult result;
  PhaseClock clock(&result.timings, request.on_phase);
  ev::AppEvidence& e = result.evidence;
  e.app.apk_file = request.apk_path;
  const StopCondition* stop = request.stop;
  // A caller with no executor (one scan from the command line) gets a small pool for this scan.
  std::optional<ThreadPool> own_pool;
  Executor& executor = request.executor ? *request.executor : own_pool.emplace(2);

  // The policy text, when it does not depend on the code (given, or bundled in the APK), is
  // read and analysed beside the code analysis: the two share nothing but the immutable
  // knowledge base, and each writes only its own variables until both are done.
  const bool policy_given = !request.policy_file.empty() || !request.policy_url.empty();
  PolicyInput policy_input;
  std::optional<Result<policy::PolicyAnalysis>> analysis;
  auto analyse_policy = [&] {
    if (policy_input.bytes.empty()) return;
    Result<const policy::PolicyAnalyzer*> analyzer = Analyzer();
    if (!analyzer.ok()) {
      analysis.emplace(analyzer.status());
      return;
    }
    analysis.emplace(
        (*analyzer)->Analyze(ByteSpan(policy_input.bytes), policy_input.hint, limits_, stop));
  };
  auto read_and_analyse_given_policy = [&] {
    policy_input = GivenPolicy(request, limits_);
    analyse_policy();
  };

  std::optional<ApkFacts> facts;
  std::optional<LayoutFacts> layouts;
  auto read_apk = [&] {
    ApkFactsOptions apk_options;
    apk_options.limits = limits_;
    // Which build from which developer key was judged: reports name the signers. v1 entries are
    // not hashed (that inflates every entry); v2/v3 digests are, on the scan's executor.
    apk_options.read_signatures = true;
    apk_options.executor = &executor;
    apk_options.hash_file = true;  // reports and batch stores name the APK by it
    Result<ApkFacts> read = apk::ReadApkFacts(request.apk_path, apk_options);
    clock.Mark("read apk");
    if (!read.ok()) {
      result.apk_status = read.status();
      e.apk_unreadable = read.status().ToString();
      AddStatusDiagnostic(&e, "scan.apk_unreadable", read.status());
      e.code.attempted = false;
      return;
    }
    facts.emplace(std::move(read).value());
    gather::AddManifestEvidence(*facts, kb_, &e);
    layouts.emplace(apk::ReadLayoutFacts(*facts, kb_.consent_words(), limits_));
    gather::AddLayoutEvidence(*layouts, &e);
    if (facts->resources) {
      layouts->strings.strings =
          apk::CollectResourceStrings(*facts->resources, limits_.max_resource_strings).strings;
    }
    if (!policy_given) {
      std::vector<std::string> resource_texts;
      for (const auto& str : layouts->strings.strings) resource_texts.push_back(str.text);
      if (auto bundled =
              apk::LocateBundledPolicy(*facts, resource_texts, kb_.consent_words(), limits_)) {
        policy_input = BundledPolicyInput(std::move(*bundled));
      }
    }
    clock.Mark("manifest, layouts, strings");
  };
  // Renamed SDK code the static analysis recognised (dot class or package -> SDK id), so that a
  // recorded stack through it is attributed too.
  std::unordered_map<std::string, std::string> renamed_owners;
  auto analyse_code = [&] {
    if (!facts || ShouldStop(stop)) return;
    // The code report takes the facts over (it reads the dex entries through their zip), so
    // everything else that needs the APK is read above.
    analysis::CodeOptions code_options;
    code_options.limits = limits_;
    code_options.resources = &layouts->strings;
    code_options.executor = &executor;
    code_options.stop = stop;
    // The report carries the facts' diagnostics on; keep them for the case it fails.
    Diagnostics apk_diagnostics = facts->diagnostics;
    Result<analysis::CodeReport> code =
        analysis::BuildCodeReportFromFacts(std::move(*facts), kb_, code_options);
    if (code.ok()) {
      gather::AddCodeEvidence(*code, kb_, &e);
      renamed_owners = RenamedSdkClasses(*code);
    } else {
      for (const Diagnostic& d : apk_diagnostics.items()) e.diagnostics.push_back(d);
      e.code.limits_hit.push_back("code could not be read: " + code.status().ToString());
      AddStatusDiagnostic(&e, "scan.code_unreadable", code.status());
    }
    clock.Mark("code");
  };

  if (policy_given) {
    RunBeside(executor, read_and_analyse_given_policy, [&] {
      read_apk();
      analyse_code();
    });
  } else {
    read_apk();
    RunBeside(executor, analyse_policy, analyse_code);
  }
  // No policy text anywhere: a policy URL found in the code, fetched only when asked.
  if (result.apk_status.ok() && !policy_given && policy_input.source == ev::PolicySource::kNone &&
      !e.policy.urls_found.empty() && !ShouldStop(stop)) {
    policy_input = request.fetch_found_policy_url
                       ? FetchedPolicy(e.policy.urls_found.front(), limits_, request.fetch_guard)
                       : PolicyInput();
    policy_input.source = ev::PolicySource::kUrlFound;
    analyse_policy();
  }
  if (ShouldStop(stop)) return Stopped(stop->StopStatus("scan"));

  e.policy.source = policy_input.source;
  // The text analysed comes first; the policy URL candidates found in the code follow.
  if (policy_input.ref) e.policy.refs.insert(e.policy.refs.begin(), *policy_input.ref);
  result.policy_status = policy_input.status;
  if (analysis) {
    Result<policy::PolicyAnalysis> analysed = std::move(*analysis);
    if (analysed.ok()) {
      gather::AddPolicyEvidence(*analysed, policy_input.source, policy_input.file, &e);
    } else {
      result.policy_status = Status(analysed.status()).InFile(policy_input.file);
    }
  }
  if (!result.policy_status.ok()) {
    AddStatusDiagnostic(&e, "scan.policy_unreadable", result.policy_status);
    e.policy.warnings.push_back("the policy could not be read: " + result.policy_status.ToString());
  }
  clock.Mark("policy (rest)");

  // The app type.
  if (!request.app_type.empty()) {
    e.app_type.id = request.app_type;
    e.app_type.given = true;
    e.app_type.confidence = 1.0;
    e.app_type.reason = "given with --app-type";
  } else if (result.apk_status.ok()) {
    gather::AppTypeSignals signals;
    signals.package = e.app.package;
    for (const auto& [locale, label] : e.app.labels_by_locale) signals.labels.push_back(label);
    e.app_type = gather::InferAppType(signals, kb_);
  }

  if (!request.trace_files.empty() && !ShouldStop(stop)) {
    runtime::Attribution attribution;
    attribution.app_package = e.app.package;
    attribution.framework_prefixes = kb_.runtime_words().framework_frames.words;
    attribution.class_owner = [&renamed_owners](std::string_view dot_class) -> std::string {
      if (auto it = renamed_owners.find(std::string(dot_class)); it != renamed_owners.end()) {
        return it->second;
      }
      size_t dot = dot_class.rfind('.');
      if (dot == std::string_view::npos) return "";
      auto it = renamed_owners.find(std::string(dot_class.substr(0, dot)));
      return it != renamed_owners.end() ? it->second : "";
    };
    runtime::RecordingOptions options;
    options.read.clock_offset_ms = request.trace_clock_offset_ms;
    Diagnostics diagnostics;
    e.runtime =
        runtime::ReadRecordings(request.trace_files, kb_, attribution, options, diagnostics);
    e.dynamic_trace = true;
    for (const Diagnostic& d : diagnostics.items()) e.diagnostics.push_back(d);
    clock.Mark("recordings");
  }

  if (ShouldStop(stop)) return Stopped(stop->StopStatus("scan"));
  result.items = rules::EvaluateAll(e, kb_);
  clock.Mark("rules");
  return result;
}

}  // namespace piaudit::scan
