// Walk every class, method and code item of a DexFile, recording bad ones in Diagnostics and
// going on (the analysis layer's entry point).
//
// A class whose class_def or class_data is bad is skipped; a method whose code_item is bad, or
// whose instructions run past the code item, is reported and the rest of the class is still
// visited. Diagnostic codes: "dex.bad_class_def", "dex.bad_class_data", "dex.bad_code_item",
// "dex.bad_instruction". Per-thread: give each thread its own Diagnostics (and DexWalkStats).
#ifndef PIAUDIT_DEX_DEX_WALK_H_
#define PIAUDIT_DEX_DEX_WALK_H_

#include <cstdint>

#include "base/diagnostics.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/dex_file.h"

namespace piaudit::dex {

struct DexWalkStats {
  uint64_t classes = 0;       // class_defs read successfully
  uint64_t methods = 0;       // direct + virtual methods of those classes
  uint64_t code_items = 0;    // methods whose code item was read
  uint64_t instructions = 0;  // only counted by WalkInstructions
  uint64_t errors = 0;        // diagnostics added
};

// One method as the walk presents it. `code` is null for abstract/native methods and when the
// code item was bad (then an error was recorded).
struct MethodView {
  const ClassDef* class_def = nullptr;
  const EncodedMethod* method = nullptr;
  const CodeItem* code = nullptr;
};

// Calls on_method(const MethodView&) for every method of classes [first_class, end_class)
// (end_class clamped to num_class_defs(); split the range to use several threads).
template <typename OnMethod>
DexWalkStats ForEachMethod(const DexFile& dex, Diagnostics* diags, OnMethod&& on_method,
                           uint32_t first_class = 0, uint32_t end_class = kNoIndex);

// Calls on_insn(const MethodView&, const Instruction&) for every instruction of every method
// with code; payload pseudo-instructions are skipped.
template <typename OnInsn>
DexWalkStats ForEachInstruction(const DexFile& dex, Diagnostics* diags, OnInsn&& on_insn,
                                uint32_t first_class = 0, uint32_t end_class = kNoIndex);

// --- implementation ---
namespace internal {
void RecordWalkError(Diagnostics* diags, const char* code, const Status& s, DexWalkStats* stats);
}  // namespace internal

template <typename OnMethod>
DexWalkStats ForEachMethod(const DexFile& dex, Diagnostics* diags, OnMethod&& on_method,
                           uint32_t first_class, uint32_t end_class) {
  DexWalkStats stats;
  if (end_class > dex.num_class_defs()) end_class = dex.num_class_defs();
  ClassData data;
  for (uint32_t i = first_class; i < end_class; ++i) {
    Result<ClassDef> def = dex.GetClassDef(i);
    if (!def.ok()) {
      internal::RecordWalkError(diags, "dex.bad_class_def", def.status(), &stats);
      continue;
    }
    Status s = dex.ReadClassData(*def, &data);
    if (!s.ok()) {
      internal::RecordWalkError(diags, "dex.bad_class_data", s, &stats);
      continue;
    }
    ++stats.classes;
    for (const auto* list : {&data.direct_methods, &data.virtual_methods}) {
      for (const EncodedMethod& m : *list) {
        ++stats.methods;
        MethodView view{&*def, &m, nullptr};
        if (m.code_off == 0) {
          on_method(view);
          continue;
        }
        Result<CodeItem> code = dex.GetCodeItem(m.code_off);
        if (!code.ok()) {
          internal::RecordWalkError(diags, "dex.bad_code_item", code.status(), &stats);
          on_method(view);
          continue;
        }
        ++stats.code_items;
        view.code = &*code;
        on_method(view);
      }
    }
  }
  return stats;
}

template <typename OnInsn>
DexWalkStats ForEachInstruction(const DexFile& dex, Diagnostics* diags, OnInsn&& on_insn,
                                uint32_t first_class, uint32_t end_class) {
  uint64_t instructions = 0;
  uint64_t insn_errors = 0;
  DexWalkStats stats = ForEachMethod(
      dex, diags,
      [&](const MethodView& view) {
        if (view.code == nullptr) return;
        InstructionIterator it = view.code->Instructions();
        Instruction insn;
        while (it.Next(&insn)) {
          if (insn.is_payload()) continue;
          ++instructions;
          on_insn(view, insn);
        }
        if (!it.status().ok()) {
          DexWalkStats tmp;
          Status s = it.status();
          if (s.file().empty()) s.InFile(dex.name());
          internal::RecordWalkError(diags, "dex.bad_instruction", s, &tmp);
          ++insn_errors;
        }
      },
      first_class, end_class);
  stats.instructions = instructions;
  stats.errors += insn_errors;
  return stats;
}

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_DEX_WALK_H_
