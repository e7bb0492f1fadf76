// The `piaudit code` report: who owns the code of an APK (SDKs, obfuscated SDKs, packer), the hosts
// and URLs it contains, and H6a's code analysis (sensitive calls with owners, consent gate).
//
// BuildCodeReport gathers everything (one ReadApkFacts, each dex opened once, secondary dex/jar/apk
// payloads analysed when they parse); the renderers produce the `piaudit.code/1` JSON document
// (schema: docs/schemas/code.md), the text summary, and the call-graph slice for --callgraph.
//
// Ownership: a CodeReport points into the KnowledgeBase it was built with (SDK and packer
// entries); the KnowledgeBase must outlive it. Everything else is owned copies.
#ifndef PIAUDIT_APP_CODE_JSON_H_
#define PIAUDIT_APP_CODE_JSON_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/code_analysis.h"
#include "analysis/obfuscated_sdk.h"
#include "analysis/packer_detect.h"
#include "analysis/permission_requests.h"
#include "analysis/sdk_detect.h"
#include "analysis/strings_urls.h"
#include "app/apk_facts.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/status.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::app {

inline constexpr const char* kCodeSchemaId = "piaudit.code/1";

struct CodeOptions {
  Limits limits;
  bool analyze_calls = true;  // run AnalyzeCode (call graph, sensitive calls, consent gate)
  uint32_t threads = 2;
  uint32_t max_secondary_dex = 64;  // secondary dex files analysed (payloads beyond are listed)
  // Texts for the consent-gate search. When null, the app's string resources are collected here;
  // the scan passes its own (strings + layouts). Not owned; must outlive the call.
  const analysis::ResourceStrings* resources = nullptr;
};

struct DexFileSummary {
  std::string name;    // "classes2.dex", or "assets/plugin.apk!classes.dex"
  std::string origin;  // "primary" or "secondary"
  uint64_t classes = 0;
  uint64_t methods = 0;  // defined: direct + virtual
  uint64_t method_ids = 0;
  uint64_t fields = 0;  // field_ids
  uint64_t instructions = 0;
  uint64_t errors = 0;
  std::string error;  // set when the file could not be opened at all
};

struct SecondaryCode {
  std::string entry;  // "assets/plugin.apk"
  std::string type;   // "dex", "zip", "elf", ...
  uint64_t size = 0;
  bool analysed = false;
  std::vector<std::string> dex_files;  // names in dex_files of what was analysed from it
  std::string note;                    // why it was not analysed, or the parse error
};

struct OwnedSensitiveCall {
  analysis::SensitiveCall call;
  std::string owner;  // "app" or an SDK id
  // True when the owner comes from package inference over renamed code (OwnerIndex::
  // AddInferredPackage), not from a catalogue prefix.
  bool owner_inferred = false;
};

struct CodeReport {
  std::string apk;
  std::string package;
  std::string kb_version;
  std::vector<DexFileSummary> dex_files;
  std::vector<analysis::SdkFinding> sdks;
  std::vector<analysis::ObfuscatedMatch> obfuscated_sdks;
  std::optional<analysis::PackerFinding> packer;
  std::optional<analysis::CodeAnalysis> code;  // nullopt when analysis was off or failed
  std::string code_error;                      // why `code` is absent
  std::vector<OwnedSensitiveCall> sensitive_calls;
  std::vector<analysis::UrlRecord> urls;
  std::vector<analysis::HostRecord> hosts;
  uint64_t urls_dropped = 0;
  std::vector<SecondaryCode> secondary_code;
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
ApkFactsOptions CodeFactsOptions(const CodeOptions& options);
Result<CodeReport> BuildCodeReportFromFacts(ApkFacts facts, const knowledge::KnowledgeBase& kb,
                                            const CodeOptions& options);

// The app package's string resources (default configuration), bounded.
analysis::ResourceStrings CollectResourceStrings(const android::ResourceTable& table);

nlohmann::json CodeReportToJson(const CodeReport& report);
std::string CodeReportToText(const CodeReport& report);

// The call-graph slice explaining the findings: the union of every sensitive call's chain
// (entry point -> ... -> caller -> API), at most `max_nodes` nodes. See docs/schemas/code.md.
nlohmann::json CallGraphToJson(const CodeReport& report, size_t max_nodes = 5000);
std::string CallGraphToDot(const CodeReport& report, size_t max_nodes = 5000);

}  // namespace piaudit::app

#endif  // PIAUDIT_APP_CODE_JSON_H_
