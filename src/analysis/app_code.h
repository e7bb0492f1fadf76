// The code analysis of a whole APK: who owns its code (SDKs, obfuscated SDKs, packer), the hosts
// and URLs it contains, and the call-graph analysis (sensitive calls with owners, consent gate).
//
// BuildCodeReport gathers everything (one ReadApkFacts, each dex opened once, secondary dex/jar/apk
// payloads analysed when they parse); report/code_json.h renders it.
//
// Ownership: a CodeReport points into the KnowledgeBase it was built with (SDK and packer
// entries); the KnowledgeBase must outlive it. Everything else is owned copies.
#ifndef PIAUDIT_ANALYSIS_APP_CODE_H_
#define PIAUDIT_ANALYSIS_APP_CODE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/code_analysis.h"
#include "analysis/code_fingerprint.h"
#include "analysis/obfuscated_sdk.h"
#include "analysis/packer_detect.h"
#include "analysis/permission_requests.h"
#include "analysis/sdk_detect.h"
#include "analysis/strings_urls.h"
#include "apk/apk_facts.h"
#include "apk/dex_files.h"
#include "apk/resource_strings.h"
#include "base/concurrency.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/status.h"
#include "base/stop.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::analysis {

struct CodeOptions {
  Limits limits;
  bool analyze_calls = true;  // run AnalyzeCode (call graph, sensitive calls, consent gate)
  uint32_t threads = 2;
  // Where the call-graph analysis and its units run (not owned); null: a pool of `threads` made
  // for the call. A batch passes the one pool its scans share.
  Executor* executor = nullptr;
  // Deadline and cancellation of the scan (not owned); null: never stop.
  const StopCondition* stop = nullptr;
  // Texts for the consent-gate search. When null, the app's string resources are collected here;
  // the scan passes its own (strings + layouts). Not owned; must outlive the call.
  const apk::ResourceStrings* resources = nullptr;
  // Fingerprint every defined class and keep them with their owners in CodeReport::
  // class_fingerprints (`piaudit kb fingerprint` builds references from them). Off in scans:
  // then only the classes no catalogue prefix claims are fingerprinted, and only when the
  // knowledge base has references.
  bool keep_fingerprints = false;
};

struct OwnedSensitiveCall {
  analysis::SensitiveCall call;
  std::string owner;  // "app" or an SDK id
  // True when the owner comes from renamed code (a class fingerprint, or package inference:
  // OwnerIndex::AddFingerprintedClass / AddInferredPackage), not from a catalogue prefix.
  bool owner_inferred = false;
};

struct CodeReport {
  std::string apk;
  std::string package;
  std::string kb_version;
  std::vector<apk::DexFileSummary> dex_files;
  std::vector<analysis::SdkFinding> sdks;
  std::vector<analysis::ObfuscatedMatch> obfuscated_sdks;
  // Renamed SDK code recognised class by class (code_fingerprint.h); each SDK also has a
  // "fingerprint" evidence line in `sdks`.
  std::vector<analysis::FingerprintMatch> fingerprint_matches;
  std::vector<analysis::OwnedFingerprint>
      class_fingerprints;  // only with CodeOptions::keep_fingerprints
  std::optional<analysis::PackerFinding> packer;
  std::optional<analysis::CodeAnalysis> code;  // nullopt when analysis was off or failed
  std::string code_error;                      // why `code` is absent
  std::vector<OwnedSensitiveCall> sensitive_calls;
  std::vector<analysis::UrlRecord> urls;
  std::vector<analysis::HostRecord> hosts;
  uint64_t urls_dropped = 0;
  std::vector<apk::SecondaryCode> secondary_code;
  // Runtime permission requests in the primary dex files (IM-4.6), with the app's start-up
  // context decided by the caller (scan) from `code`.
  std::vector<analysis::PermissionRequestSite> permission_requests;
  std::string application_class;  // dot form, from the manifest
  std::string launcher_activity;  // dot form, from the manifest
  Diagnostics diagnostics;
};

// Fails (kInvalidInput etc., naming file/structure/offset) only when the APK itself cannot be
// read; bad dex files and everything optional go to report.diagnostics.
Result<CodeReport> BuildCodeReport(const std::string& apk_path, const knowledge::KnowledgeBase& kb,
                                   const CodeOptions& options);

// The same from facts already read (the command reads them first so that a bad APK is reported
// before the knowledge base is loaded). `facts` must come from CodeFactsOptions(options).
apk::ApkFactsOptions CodeFactsOptions(const CodeOptions& options);
Result<CodeReport> BuildCodeReportFromFacts(apk::ApkFacts facts, const knowledge::KnowledgeBase& kb,
                                            const CodeOptions& options);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_APP_CODE_H_
