// The scan: one APK (and its policy) in, the 31 item results with their evidence out.
//
//   ReadApkFacts ──► manifest evidence, layouts (pre-ticked consent, texts for the consent gate)
//        │
//        ├──► BuildCodeReport ──► SDKs, packer, sensitive calls + chains, consent gate, hosts
//        ├──► the policy: --policy FILE, --policy-url URL, else bundled in the APK, else a URL
//        │     found in it (fetched only with fetch_found_policy_url) ──► PolicyAnalyzer
//        │     (on its own thread, beside the code analysis, unless it is a URL from the code)
//        └──► app type: --app-type, else inferred from knowledge-base hints
//   AppEvidence ──► rules::EvaluateAll ──► report::WriteReports
//
// A Scanner holds what a batch shares (knowledge base, compiled policy analyzer) and is immutable
// after Create(), so one Scanner serves many scans at once. The policy analyzer (lexicon automata,
// 3 MB sentence model) is built on the first scan that has a policy: most apps bundle none, and
// a single-app scan should not pay for it. Scan() never fails: what could not be
// read is recorded in the evidence (diagnostics, code-read status, policy source) and the rules
// turn it into needs-dynamic / needs-manual instead of a silent "compliant".
#ifndef PIAUDIT_SCAN_SCANNER_H_
#define PIAUDIT_SCAN_SCANNER_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/concurrency.h"
#include "base/limits.h"
#include "base/status.h"
#include "base/stop.h"
#include "evidence/evidence.h"
#include "knowledge/knowledge_base.h"
#include "policy/fetch_guard.h"
#include "policy/policy_analyzer.h"
#include "rules/verdict.h"

namespace piaudit::scan {

struct ScanRequest {
  std::string apk_path;
  std::string policy_file;  // --policy
  std::string policy_url;   // --policy-url
  std::string app_type;     // --app-type (knowledge-base id); empty = infer
  bool fetch_found_policy_url = false;
  // Where policy_url and a found URL may be fetched from (policy/fetch_guard.h): the CLI leaves it
  // open; a server scanning uploads sets public_only, since an APK's URL is chosen by its author.
  policy::FetchGuard fetch_guard;
  // --trace: recordings of the app running (files; directories expanded by the caller), read
  // into AppEvidence::runtime. Empty: the items judge from the APK and policy alone.
  std::vector<std::string> trace_files;
  int64_t trace_clock_offset_ms = 0;
  // Where the scan's parallel parts run (not owned): a batch or a service passes the one pool all
  // its scans share. Null: a small pool made for this scan.
  Executor* executor = nullptr;
  // Deadline and cancellation (not owned; null: never stop). A scan that stops returns only
  // `status` (kDeadlineExceeded or kCancelled): no evidence, no items, nothing to write.
  const StopCondition* stop = nullptr;
  // Called as each phase ends, with its name and wall time ("code", 812.4): `piaudit scan` shows
  // progress with it on a terminal. Called on the scanning thread; null: nobody listens.
  std::function<void(const std::string& phase, double ms)> on_phase;
};

// How long a phase of a scan took (wall clock), for `piaudit scan --timings`.
struct PhaseTiming {
  std::string phase;
  double ms = 0;
};

struct ScanResult {
  // Not OK only when the scan stopped before it was done (deadline, cancellation); then every
  // other field is empty.
  Status status;
  evidence::AppEvidence evidence;
  std::vector<rules::ItemResult> items;
  // Set when the APK itself could not be read (not a zip, no manifest): the evidence then holds
  // only what was given besides it, and every code/manifest item needs a person.
  Status apk_status;
  Status policy_status;              // why a given/found policy could not be read, OK otherwise
  std::vector<PhaseTiming> timings;  // in order; the policy runs beside "code" when it can
};

class Scanner {
 public:
  static Result<std::unique_ptr<Scanner>> Create(const std::string& kb_dir, const Limits& limits);

  const knowledge::KnowledgeBase& kb() const { return kb_; }
  const Limits& limits() const { return limits_; }

  ScanResult Scan(const ScanRequest& request) const;

  // Builds now what the first scan needing it would build (the policy analyzer and its model), so
  // processes forked afterwards inherit it instead of each loading it again.
  Status Prepare() const;

 private:
  Scanner(knowledge::KnowledgeBase kb, std::string kb_dir, Limits limits)
      : kb_(std::move(kb)), kb_dir_(std::move(kb_dir)), limits_(limits) {}

  // The shared analyzer, created once (thread-safe); its creation error is kept and returned to
  // every caller.
  Result<const policy::PolicyAnalyzer*> Analyzer() const;

  knowledge::KnowledgeBase kb_;
  std::string kb_dir_;
  Limits limits_;
  mutable std::once_flag analyzer_once_;
  mutable std::unique_ptr<policy::PolicyAnalyzer> analyzer_;
  mutable Status analyzer_status_;
};

}  // namespace piaudit::scan

#endif  // PIAUDIT_SCAN_SCANNER_H_
