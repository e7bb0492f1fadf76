// The per-scan code model: every dex file of an app merged into one set of dense integer ids.
//
// Classes and methods are interned by name (a class by its descriptor, a method by its class id
// and "name(proto)ret"), so a class referenced from classes.dex and defined in classes3.dex is one
// id, and a framework method every dex calls is one node. Definitions follow ART's class loading
// order: the first dex that defines a class wins and later definitions are recorded as shadowed
// (Diagnostic "analysis.duplicate_class"), exactly what the device would run.
//
// Building runs on up to `threads` threads of an Executor over (dex file, class range) units: each
// unit reads its classes into a private buffer (no shared mutable state); the merge into the
// interner is serial and in dex order, so ids do not depend on thread timing.
//
// Ownership: the model owns its strings; the DexFiles must outlive it (per-dex tables index them).
#ifndef PIAUDIT_ANALYSIS_CODE_MODEL_H_
#define PIAUDIT_ANALYSIS_CODE_MODEL_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/code_analysis.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "dex/dex_file.h"

namespace piaudit::analysis {

inline constexpr uint32_t kNoId = 0xffffffff;

// Strings to dense ids. Strings live in a deque so views handed out stay valid while it grows.
class StringInterner {
 public:
  uint32_t Intern(std::string_view s);
  uint32_t Find(std::string_view s) const;  // kNoId when absent
  const std::string& Get(uint32_t id) const { return strings_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(strings_.size()); }

 private:
  std::deque<std::string> strings_;
  std::unordered_map<std::string_view, uint32_t> ids_;
};

struct ClassInfo {
  uint32_t name = 0;  // interned descriptor
  bool defined = false;
  uint16_t dex = 0;  // defining dex (when defined)
  uint32_t class_def = 0;
  uint32_t access_flags = 0;
  uint32_t super = kNoId;            // class id
  std::vector<uint32_t> interfaces;  // class ids
  std::vector<uint32_t> subtypes;    // direct subclasses and implementors defined in the app
  std::vector<uint32_t> methods;     // method ids defined by this class
};

struct MethodInfo {
  uint32_t cls = 0;
  uint32_t sig = 0;  // interned "name(proto)ret"
  bool defined = false;
  uint16_t dex = 0;
  uint32_t access_flags = 0;
  uint32_t code_off = 0;
};

// Per dex file: its local indices mapped to model ids.
struct DexTables {
  const dex::DexFile* file = nullptr;
  std::vector<uint32_t> type_class;     // type_idx -> class id
  std::vector<uint32_t> method_global;  // method_idx -> method id
  // Methods whose definition won (the ones to scan), in class order: (method id).
  std::vector<uint32_t> defined_methods;
};

class CodeModel {
 public:
  const std::vector<ClassInfo>& classes() const { return classes_; }
  const std::vector<MethodInfo>& methods() const { return methods_; }
  const std::vector<DexTables>& dex() const { return dex_; }
  const std::vector<DexCounts>& counts() const { return counts_; }

  const std::string& ClassName(uint32_t cls) const { return names_.Get(classes_[cls].name); }
  const std::string& Sig(uint32_t method) const { return names_.Get(methods_[method].sig); }
  // "Lcom/foo/Bar;->baz(I)V"
  std::string MethodName(uint32_t method) const;

  uint32_t FindClass(std::string_view descriptor) const;  // kNoId when unknown
  uint32_t FindSigId(std::string_view sig) const { return names_.Find(sig); }
  // The method declared on exactly `cls` with sig id `sig` (defined or referenced), or kNoId.
  uint32_t FindMethod(uint32_t cls, uint32_t sig) const;
  uint32_t FindMethod(std::string_view class_descriptor, std::string_view sig) const;

  // Builders (used by BuildCodeModel and by the call graph for framework-only nodes).
  uint32_t InternClass(std::string_view descriptor);
  uint32_t InternMethod(uint32_t cls, std::string_view sig);

 private:
  friend Result<CodeModel> BuildCodeModel(const std::vector<DexInput>&, const Limits&, Executor&,
                                          uint32_t, const StopCondition*, Diagnostics*);
  StringInterner names_;
  std::vector<ClassInfo> classes_;
  std::vector<MethodInfo> methods_;
  std::unordered_map<uint32_t, uint32_t> class_by_name_;  // name id -> class id
  std::unordered_map<uint64_t, uint32_t> method_by_key_;  // cls << 32 | sig -> method id
  std::vector<DexTables> dex_;
  std::vector<DexCounts> counts_;
};

// Reads every class of every dex file, interns classes, methods and all method/type references,
// and links the hierarchy (super, interfaces, subtypes). Fails when dex_files is empty or larger
// than Limits::max_dex_files, and with stop->StopStatus when `stop` (may be null) fires.
Result<CodeModel> BuildCodeModel(const std::vector<DexInput>& dex_files, const Limits& limits,
                                 Executor& executor, uint32_t threads, const StopCondition* stop,
                                 Diagnostics* diags);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_CODE_MODEL_H_
