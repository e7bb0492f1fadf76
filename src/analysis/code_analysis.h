// The one entry point of the code layer: every dex file of an app in, call-graph facts out.
//
// AnalyzeCode merges the app's dex files into one model (class and method ids interned per scan,
// first definition wins as in ART's class loading order), builds a call graph with class-hierarchy
// analysis and the implicit edges Android creates (lifecycle callbacks, Thread.start -> run,
// Handler.post, Executor.execute, AsyncTask, listeners, Timer, <clinit>), finds the start-up set
// (code that runs before any screen can ask for consent: Application and ContentProvider
// creation, their static initialisers), the privacy-consent gate, and every call site of a
// sensitive API with its shortest chain from an entry point and a before-consent verdict.
//
// Inputs are plain structs so tests build them without an APK; the scan fills them from the
// manifest (ComponentsFromManifest) and resources.arsc / layouts (ResourceStrings).
//
// Ownership: the DexFiles (and the bytes under them) must outlive the AnalyzeCode call only; the
// returned CodeAnalysis owns copies of every string it reports.
//
// Threads and time: the parallel phases run on the Executor in AnalysisOptions (shared by every
// scan of a batch); the StopCondition there is checked between the phases and inside the long
// loops (class reads, method scan, call graph, reachability, consent gate, verdicts), and when it
// fires AnalyzeCode returns its status (kDeadlineExceeded / kCancelled), never a partial analysis.
//
// Approximations (said in the report, see docs/analysis.md): the call graph is flow-insensitive
// CHA; implicit edges pair a trigger (Thread.start, Handler.post, ...) with app classes
// instantiated in the same method; "dominated by the consent check" is decided at method
// granularity (a call made after the flag read in a method that branches on it is gated).
#ifndef PIAUDIT_ANALYSIS_CODE_ANALYSIS_H_
#define PIAUDIT_ANALYSIS_CODE_ANALYSIS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apk/resource_strings.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/status.h"
#include "dex/dex_file.h"

namespace piaudit {
class Executor;
class StopCondition;
}  // namespace piaudit
namespace piaudit::android {
struct Manifest;
}  // namespace piaudit::android
namespace piaudit::knowledge {
class KnowledgeBase;
}  // namespace piaudit::knowledge

namespace piaudit::analysis {

class ApiCatalog;  // sensitive_calls.h: the knowledge base's API lists in lookup form

// One opened dex file of the app, in class-loading order (classes.dex, classes2.dex, ...).
struct DexInput {
  const dex::DexFile* file = nullptr;  // not owned; must outlive AnalyzeCode
};

enum class ComponentType : uint8_t { kActivity, kService, kReceiver, kProvider };
std::string_view ComponentTypeName(ComponentType type);  // "activity", "service", ...

struct AppComponent {
  ComponentType type = ComponentType::kActivity;
  std::string name;                   // fully qualified, dot form: "com.example.MainActivity"
  std::optional<int32_t> init_order;  // providers only
  bool enabled = true;
};

// What the manifest says about code that Android runs on its own.
struct AppComponents {
  std::string package;
  std::string application_class;  // dot form, "" when the manifest names none
  std::string launcher_activity;  // dot form, "" when none (activity-alias resolved to target)
  std::vector<AppComponent> components;
  // Permissions the app declares (uses-permission, uses-permission-sdk-23) or is granted
  // implicitly (aapt's implied permissions), full names. A permission-guarded API returns no PI
  // to an app that holds none of its permissions, so such a call is a lead, not collection.
  // nullopt: not known (no manifest), every call keeps its PI types.
  std::optional<std::vector<std::string>> permissions;
};
// Fills AppComponents from H2's manifest model (aliases resolved to their target activity).
AppComponents ComponentsFromManifest(const android::Manifest& manifest);

using ResourceStrings = apk::ResourceStrings;

struct AnalysisOptions {
  // Treat the launcher activity's lifecycle as start-up too (default: recorded, not start-up,
  // because the launcher activity is usually where the consent dialog is shown).
  bool launcher_is_startup = false;
  // At most this many threads work on the parallel phases: the caller and threads - 1 tasks on
  // `executor`.
  uint32_t threads = 2;
  // Where those tasks run (not owned). nullptr: a pool of threads - 1 threads started for this
  // call and joined before it returns, the behaviour of a caller that has no executor to give; a
  // batch passes its shared pool instead.
  Executor* executor = nullptr;
  // Deadline and cancellation of the scan (not owned); nullptr = never stop.
  const StopCondition* stop = nullptr;
  // Narrow CHA to classes the app instantiates (new-instance, manifest components). Classes the
  // framework creates by reflection from layouts (custom views, fragments in XML) are then only
  // reached through their declared target; off gives plain CHA.
  bool rapid_type_analysis = true;
};

// --- results ---

struct DexCounts {
  std::string name;               // "classes2.dex"
  uint32_t class_defs = 0;        // header count
  uint64_t classes = 0;           // class_defs read successfully
  uint64_t classes_shadowed = 0;  // defined earlier in another dex (first wins)
  uint64_t methods_defined = 0;   // direct + virtual methods of those classes
  uint64_t code_items = 0;
  uint64_t instructions = 0;
  uint32_t method_ids = 0;
  uint32_t field_ids = 0;
  uint64_t fields_defined = 0;  // static + instance fields of those classes
  uint32_t string_ids = 0;
  uint32_t type_ids = 0;
  uint64_t errors = 0;  // diagnostics raised while walking it
};

struct CallGraphStats {
  uint32_t classes = 0;      // distinct classes known (defined + referenced)
  uint32_t app_classes = 0;  // defined in the app's dex files
  uint32_t methods = 0;      // nodes: defined + external methods
  uint32_t app_methods = 0;  // defined in the app (with or without code)
  uint64_t edges = 0;
  uint64_t invoke_edges = 0;     // direct, static, super, and the declared target of virtuals
  uint64_t cha_edges = 0;        // extra targets added by class-hierarchy analysis
  uint64_t implicit_edges = 0;   // thread/handler/executor/listener/... edges
  uint64_t lifecycle_edges = 0;  // framework callbacks of app classes
  uint64_t clinit_edges = 0;
  bool partial = false;  // Limits::max_call_graph_edges was reached
};

// How one step of a chain was taken.
struct ChainStep {
  std::string method;  // "Lcom/example/App;->onCreate()V"
  std::string via;     // edge kind into this method: "entry", "invoke", "cha", "thread",
                       // "handler", "executor", "asynctask", "listener", "timer", "lifecycle",
                       // "clinit"
  // The edge is a wide CHA edge (call_graph.h kWideEdge): a virtual call on a framework type
  // (Runnable.run, Executor.execute, Handler ...) resolved to this app implementor by class
  // hierarchy alone. Possible, not shown.
  bool wide = false;
};

enum class BeforeConsent : uint8_t { kLikely, kNo, kUnknown };
std::string_view BeforeConsentName(BeforeConsent b);  // "likely", "no", "unknown"

enum class MatchKind : uint8_t {
  kInvoke,      // invoke of the API itself
  kFieldRead,   // sget of a sensitive static field (Build.SERIAL)
  kConstArg,    // the API with the constant argument it needs (Settings.Secure "android_id")
  kContentUri,  // ContentResolver.query in a method holding a PI content:// URI constant
  kReflection,  // Class.forName + getMethod with constant names
};
std::string_view MatchKindName(MatchKind k);

struct SensitiveCall {
  std::string api;  // descriptor as in apis.yaml, or the content URI for kContentUri
  MatchKind match = MatchKind::kInvoke;
  // PI type ids. Empty for a lead that shows no PI: a content query on an unknown provider, or a
  // permission-guarded API in an app that declares none of its permissions (`reason` says which).
  std::vector<std::string> pi;
  std::vector<std::string> permissions;
  std::string term;                // enforcement wording from the knowledge base
  std::string dex_file;            // "classes2.dex"
  std::string caller;              // "Lcom/sdk/Core;->init(Landroid/content/Context;)V"
  std::string caller_class;        // "Lcom/sdk/Core;" (for SDK attribution)
  uint32_t dex_pc = 0;             // code units from the start of the caller's insns
  uint64_t file_offset = 0;        // byte offset of the instruction in dex_file
  bool reachable = false;          // from any entry point
  bool startup_reachable = false;  // from the start-up set (user-triggered edges excluded)
  // From the launcher activity's lifecycle (the first screen), user-triggered edges excluded and
  // consent gates respected; set only when no start-up path reaches it. The first screen runs
  // before any in-app consent unless a gate guards the path.
  bool launcher_reachable = false;
  std::vector<ChainStep> chain;  // entry point ... caller; start-up chain when there is one,
                                 // then the launcher's; a chain without wide steps when one exists
  // The chain needs at least one wide step (ChainStep::wide): class-hierarchy fan-out through a
  // framework type, not a call the code is shown to make. Such a chain is a lead, not evidence.
  bool fan_out = false;
  BeforeConsent before_consent = BeforeConsent::kUnknown;
  std::string reason;  // one line: why that verdict
};

struct EntryPoint {
  std::string method;
  std::string component;  // dot class name of the component / application
  std::string kind;       // "application", "provider", "activity", "service", "receiver"
  bool startup = false;
  bool launcher = false;
};

struct ConsentEvidence {
  std::string kind;   // "string_resource", "layout", "const_string", "dialog_code"
  std::string where;  // resource name, layout name, or method
  std::string text;   // excerpt (at most ~120 bytes, cut on a UTF-8 boundary)
};

struct ConsentGate {
  bool found = false;  // dialog evidence + an agree handler that stores a flag
  std::vector<ConsentEvidence> dialog;
  std::vector<std::string> dialog_methods;  // methods that show the dialog
  std::vector<std::string> agree_handlers;  // onClick methods (or what they call) storing the flag
  std::string flag_key;   // SharedPreferences key, or field descriptor when flag_kind == "field"
  std::string flag_kind;  // "preference", "field", "" when none
  std::vector<std::string> flag_writers;
  std::vector<std::string> flag_readers;  // read the flag and branch on it
  std::string note;                       // what was missing when !found
};

struct CodeAnalysis {
  std::vector<DexCounts> dex;
  CallGraphStats call_graph;
  std::vector<EntryPoint> entry_points;
  std::vector<std::string> startup_methods;  // the start-up set as resolved in the app
  uint32_t startup_reachable_methods = 0;
  uint32_t reachable_methods = 0;
  std::vector<SensitiveCall> sensitive_calls;  // dex order, then caller, then dex_pc
  // Limits::max_reported_call_sites reached (calls with PI are kept before leads without).
  bool sensitive_calls_truncated = false;
  ConsentGate consent_gate;
  bool partial = false;  // a limit or a bad class cut the analysis short (see diagnostics)
  std::vector<std::string> partial_reasons;
};

// Runs the whole analysis with the knowledge base's sensitive APIs, Android framework model
// (data/android_framework.yaml) and consent words (data/consent_words.yaml). Fails only when no
// dex file could be used at all; per-class problems, duplicates and limits go to `diags`.
Result<CodeAnalysis> AnalyzeCode(const std::vector<DexInput>& dex_files,
                                 const AppComponents& components, const ResourceStrings& resources,
                                 const knowledge::KnowledgeBase& kb, const Limits& limits,
                                 const AnalysisOptions& options, Diagnostics* diags);

// Same, with the API lists given directly (tests, and callers that cache the catalogue); the
// framework model and the consent words still come from `kb`.
Result<CodeAnalysis> AnalyzeCode(const std::vector<DexInput>& dex_files,
                                 const AppComponents& components, const ResourceStrings& resources,
                                 const knowledge::KnowledgeBase& kb, const ApiCatalog& apis,
                                 const Limits& limits, const AnalysisOptions& options,
                                 Diagnostics* diags);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_CODE_ANALYSIS_H_
