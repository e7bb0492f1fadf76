// ScanDex: string-pool filter, then one instruction walk recording const-string sites.
#include "analysis/strings_dex_scan.h"

#include <unordered_map>
#include <unordered_set>

#include "dex/dex_walk.h"

namespace piaudit::analysis {

DexScan ScanDex(const dex::DexFile& dex, const std::function<bool(std::string_view)>& interesting,
                Diagnostics* diagnostics, uint32_t max_string_bytes) {
  DexScan scan;
  scan.name = dex.name();
  scan.method_ids = dex.num_methods();
  scan.field_ids = dex.num_fields();
  scan.string_ids = dex.num_strings();

  // index into scan.strings, per string id (only interesting ones are present).
  std::unordered_map<uint32_t, size_t> wanted;
  std::string scratch;
  for (uint32_t i = 0; i < dex.num_strings(); ++i) {
    if (dex.StringData(i).size() > max_string_bytes) continue;
    std::string_view s = dex.GetStringView(i, &scratch);
    if (!interesting(s)) continue;
    wanted.emplace(i, scan.strings.size());
    scan.strings.push_back(DexStringUse{std::string(s), i, 0, "", ""});
  }

  // Defined classes (descriptors), one per readable class_def.
  for (uint32_t i = 0; i < dex.num_class_defs(); ++i) {
    Result<dex::ClassDef> def = dex.GetClassDef(i);
    if (!def.ok()) continue;  // ForEachMethod below reports it
    scan.class_names.push_back(dex.TypeName(def->class_type));
  }

  std::unordered_set<uint32_t> code_types;  // class types with at least one instruction
  uint32_t last_type = dex::kNoIndex;
  dex::DexWalkStats stats = dex::ForEachInstruction(
      dex, diagnostics, [&](const dex::MethodView& view, const dex::Instruction& insn) {
        if (view.class_def->class_type != last_type) {
          last_type = view.class_def->class_type;
          code_types.insert(last_type);
        }
        if (insn.index_kind != dex::IndexKind::kString || wanted.empty()) return;
        auto it = wanted.find(insn.index);
        if (it == wanted.end()) return;
        DexStringUse& use = scan.strings[it->second];
        if (use.sites++ == 0) {
          uint32_t m = view.method->method_idx;
          use.first_method = dex.MethodRefString(m);
          use.first_class = dex.TypeName(dex.GetMethodId(m).class_type);
        }
      });
  std::unordered_set<uint32_t> defined;
  for (uint32_t i = 0; i < dex.num_class_defs(); ++i) {
    Result<dex::ClassDef> def = dex.GetClassDef(i);
    if (!def.ok()) continue;
    defined.insert(def->class_type);
    if (!code_types.count(def->class_type))
      scan.codeless_classes.push_back(dex.TypeName(def->class_type));
  }
  // num_types() is at most 65536 (16-bit type indices in instructions), so this stays bounded.
  std::unordered_set<std::string> seen;
  for (uint32_t t = 0; t < dex.num_types(); ++t) {
    if (defined.count(t)) continue;
    std::string name = dex.TypeName(t);
    size_t dims = name.find_first_not_of('[');
    if (dims == std::string::npos || name[dims] != 'L') continue;  // primitive (arrays)
    if (dims > 0) name.erase(0, dims);
    if (seen.insert(name).second) scan.referenced_types.push_back(std::move(name));
  }
  scan.classes = stats.classes;
  scan.methods = stats.methods;
  scan.instructions = stats.instructions;
  scan.errors = stats.errors;
  return scan;
}

}  // namespace piaudit::analysis
