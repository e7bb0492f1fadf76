// One pass over every instruction of every defined method, collecting the facts the call graph,
// the consent gate and the sensitive-call report need, in per-unit buffers (no shared mutable
// state; units run on several threads and are concatenated in order afterwards).
//
// Registers are tracked the way dex/reflection.h does it: in instruction order, branches ignored,
// each register remembering the last constant / new-instance / interesting call result written to
// it, any other write forgets. That is enough to pair a call with the constant it was given
// ("android_id", a SharedPreferences key, a layout id, the listener object) in the code compilers
// emit, without a data-flow analysis.
#ifndef PIAUDIT_ANALYSIS_METHOD_SCAN_H_
#define PIAUDIT_ANALYSIS_METHOD_SCAN_H_

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "analysis/class_hierarchy.h"
#include "analysis/code_model.h"
#include "analysis/sensitive_calls.h"
#include "base/diagnostics.h"
#include "knowledge/word_lists.h"

namespace piaudit::analysis {

enum class InvokeKind : uint8_t { kStatic, kDirect, kSuper, kVirtual, kInterface, kPolymorphic };

// What a referenced method is to the scan, computed once per model method id.
enum class Role : uint8_t {
  kNone,
  kBoolWriter,        // put*/set*/save*(..., String key, ..., boolean value ...)
  kBoolReader,        // boolean get*/is*/read*/decode*(..., String key, ...)
  kFindViewById,      // findViewById(int)
  kDialogButton,      // AlertDialog.Builder.setPositive/Negative/NeutralButton(text, listener)
  kSetClickListener,  // View.setOnClickListener(listener)
  kForName,           // Class.forName(String)
  kUriParse,          // Uri.parse(String): the result is that URI
  kUriDerive,         // Uri.withAppendedPath / ContentUris.withAppendedId: same provider as arg 0
  kUriDeriveThis,     // Uri.buildUpon, Uri.Builder.build / appendPath: same provider as `this`
  kOwnPackageName,    // Context.getPackageName(): the app's own package
};

struct RefInfo {
  uint32_t api_begin = 0;  // range in ScanTables::api_list
  uint32_t api_count = 0;
  Role role = Role::kNone;
  uint8_t pos_a = 0;     // register offset (receiver not counted) of the key / text / id argument
  uint8_t pos_b = 0;     // register offset of the boolean value / listener argument
  uint8_t which = 0;     // kDialogButton: 1 positive, 2 negative, 3 neutral
  bool trigger = false;  // an implicit-edge trigger (Thread.start, Handler.post, ...)
};

struct ScanTables {
  std::vector<RefInfo> method;                   // by model method id
  std::vector<uint32_t> api_list;                // catalogue indices
  std::vector<std::vector<uint32_t>> field_api;  // per dex: field_idx -> catalogue index or kNoId
};

// Builds the per-method and per-field lookup tables (parallel over method ranges, on up to
// `threads` threads of `executor`). When `stop` (may be null) fires the tables are incomplete:
// the caller checks ShouldStop(stop) and discards them.
ScanTables BuildScanTables(const ClassHierarchy& hierarchy, const ApiCatalog& apis,
                           Executor& executor, uint32_t threads, const StopCondition* stop);

// "Lcls;->name" candidates for a referenced method: its class as written, then its first
// framework ancestor and that one's framework superclasses (data). Used for API and trigger
// matching so a call through a subclass (MyThread.start) still matches Thread.start.
std::vector<std::string> FrameworkNamesOf(const ClassHierarchy& hierarchy, uint32_t method);

struct InvokeFact {
  uint32_t caller, callee, dex_pc;
  InvokeKind kind;
};
enum class ClassUse : uint8_t { kNewInstance, kStaticField, kInvokeStatic };
struct ClassUseFact {
  uint32_t caller, cls, dex_pc;
  ClassUse how;
};
struct TriggerFact {
  uint32_t caller, callee, dex_pc;
  uint32_t
      receiver_cls;  // class of the receiver object when known (new-instance, this), else kNoId
  std::vector<uint32_t> arg_classes;  // classes of argument objects known from new-instance
};
// Why a hit shows no PI although its entry names some: the argument that decides it is not shown.
enum class Lead : uint8_t {
  kNone,
  kUnknownProvider,  // a content query whose URI is not a listed PI provider, or not resolved
  kUnknownPackage,   // a package probe whose package the code does not show
};
struct ApiHitFact {
  uint32_t caller, api, dex_pc;  // api: catalogue index, or content URI index for kContentUri
  MatchKind match;
  uint64_t file_offset;
  Lead lead = Lead::kNone;
};
// A URI kept in a field of the app: written with a content:// constant somewhere, read before a
// query elsewhere (`static final Uri SMS = Uri.parse("content://sms")`). Matched by the field's
// descriptor after all methods are scanned.
struct UriFieldWriteFact {
  std::string field;  // "Lcom/app/Db;->SMS:Landroid/net/Uri;"
  std::string uri;    // the content:// constant
};
struct UriFieldQueryFact {
  uint32_t caller, api, dex_pc;  // api: the query's catalogue index (uri_arg entry)
  uint64_t file_offset;
  std::string field;
};
// A listed content URI held as a constant by a class: where a Uri field that no constant reaches
// directly is built (a helper method, a string field concatenated with a path).
struct ClassUriFact {
  std::string cls;  // "Lcom/app/Db;"
  uint32_t uri;     // catalogue URI index
};
struct TextFact {
  uint32_t caller, dex_pc;
  std::string text;
};
struct LiteralFact {
  uint32_t caller, value, dex_pc;
};
struct FlagWriteFact {
  uint32_t caller, dex_pc;
  std::string key;  // preference key, or field descriptor when field
  bool field;
};
struct FlagReadFact {
  uint32_t caller, read_pc, branch_pc;  // branch_pc kNoId when the result is not branched on
  std::string key;
  bool field;
};
struct ButtonFact {
  uint32_t caller, dex_pc;
  uint32_t listener_cls;  // kNoId when unknown
  uint8_t which;          // 0 click listener on a view, 1 positive, 2 negative, 3 neutral
  uint32_t res_id;        // view id (click) or text id (buttons), 0 when unknown
  std::string text;       // button text when a constant string
};

struct ScanFacts {
  std::vector<InvokeFact> invokes;
  std::vector<ClassUseFact> class_uses;
  std::vector<TriggerFact> triggers;
  std::vector<ApiHitFact> api_hits;
  std::vector<UriFieldWriteFact> uri_field_writes;
  std::vector<UriFieldQueryFact> uri_field_queries;
  std::vector<ClassUriFact> class_uris;
  std::vector<TextFact> texts;
  std::vector<LiteralFact> literals;
  std::vector<FlagWriteFact> flag_writes;
  std::vector<FlagReadFact> flag_reads;
  std::vector<ButtonFact> buttons;
  std::vector<uint32_t> scanned;  // methods whose code was read
  uint64_t instructions = 0;
  uint64_t code_items = 0;
  uint64_t errors = 0;
  Diagnostics diags;
};

// The consent words of data/consent_words.yaml (KnowledgeBase::consent_words()) prepared for
// matching every string constant of an app. The lists used here are caseless: ASCII letters match
// in either case (the data holds them lower-case), other bytes exactly. Keeps views into `words`,
// which must outlive it.
class ConsentText {
 public:
  explicit ConsentText(const knowledge::ConsentWords& words);

  // Names the privacy policy or user agreement itself (list privacy_text).
  bool IsPrivacyText(std::string_view text) const;
  // Accepts / declines (lists agree, disagree).
  bool HasAgreeWord(std::string_view text) const;
  bool HasDisagreeWord(std::string_view text) const;

  const knowledge::ConsentWords& words() const { return words_; }

 private:
  struct Word {
    std::string_view text;
    bool caseless = false;  // has an ASCII letter: compared ignoring ASCII case
  };
  struct Counted {
    Word word;
    Word unless;  // empty text: a plain word
  };
  static Word Prepare(std::string_view text);
  static bool Contains(std::string_view text, const Word& w);
  static size_t Count(std::string_view text, const Word& w);

  const knowledge::ConsentWords& words_;
  std::vector<Word> privacy_;
  std::vector<Counted> agree_;
  std::vector<Word> agree_veto_;
  std::vector<Word> disagree_;
};

struct ScanInput {
  const ClassHierarchy* hierarchy = nullptr;
  const ApiCatalog* apis = nullptr;
  const ScanTables* tables = nullptr;
  const std::unordered_set<uint32_t>* interesting_literals = nullptr;  // resource ids
  const StopCondition* stop = nullptr;  // checked per method; may be null
  // Privacy and agree words: const-strings with them are kept for the consent gate (TextFact).
  // May be null: then no text facts are collected.
  const ConsentText* consent = nullptr;
  // The app's package (manifest): a PackageManager call on it is about the app itself. May be
  // empty; Context.getPackageName() is recognised either way.
  std::string_view package;
};

// Scans defined_methods[first, end) of dex `d` into *out. Ends early when in.stop fires (the
// caller checks ShouldStop and discards the facts).
void ScanMethods(const ScanInput& in, uint32_t d, size_t first, size_t end, ScanFacts* out);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_METHOD_SCAN_H_
