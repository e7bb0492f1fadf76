// BuildCodeModel: parallel read of class definitions, serial merge in dex order.
//
// Phase 1 (parallel, per unit = dex file x class range): class_def, class_data, names of the
//   defined methods, and the "name(proto)ret" string of every method_id of the dex (per dex unit
//   0 only), into unit-private buffers.
// Phase 2 (serial, dex order): intern classes; the first definition wins; then intern every
//   type and method reference of each dex so the scan can map local indices to model ids with a
//   vector lookup.
// Phase 3 (serial): link super / interfaces / subtypes.
// A StopCondition is checked per class in phase 1 and per few thousand ids in phase 2.
#include "analysis/code_model.h"

#include <algorithm>
#include <string>

#include "base/concurrency.h"
#include "base/stop.h"
#include "dex/class_data.h"

namespace piaudit::analysis {
namespace {

// Classes per unit: large enough that thread start-up is noise, small enough that the biggest
// dex files (60k+ classes) split evenly across two threads.
constexpr uint32_t kClassesPerUnit = 2048;
// Ids interned between two stop checks in the serial merge (a few hundred microseconds).
constexpr uint32_t kIdsPerStopCheck = 4096;

struct RawMethod {
  uint32_t method_idx = 0;
  uint32_t access_flags = 0;
  uint32_t code_off = 0;
};
struct RawClass {
  uint32_t class_def = 0;
  uint32_t class_type = 0;
  uint32_t superclass = dex::kNoIndex;
  std::vector<uint32_t> interfaces;  // type indices
  uint32_t access_flags = 0;
  std::vector<RawMethod> methods;
  uint64_t fields = 0;
};
struct Unit {
  uint32_t dex = 0;
  uint32_t first = 0, end = 0;
  std::vector<RawClass> classes;
  std::vector<std::string> method_sigs;  // filled for the first unit of each dex
  uint64_t errors = 0;
  Diagnostics diags;
};

// Ends early when `stop` fires; the caller then discards every unit.
void ReadUnit(const dex::DexFile& file, const StopCondition* stop, Unit* u) {
  dex::ClassData data;
  for (uint32_t i = u->first; i < u->end; ++i) {
    if (ShouldStop(stop)) return;
    Result<dex::ClassDef> def = file.GetClassDef(i);
    if (!def.ok()) {
      u->diags.AddStatus("dex.bad_class_def", def.status());
      ++u->errors;
      continue;
    }
    Status s = file.ReadClassData(*def, &data);
    if (!s.ok()) {
      u->diags.AddStatus("dex.bad_class_data", s);
      ++u->errors;
      continue;
    }
    RawClass rc;
    rc.class_def = i;
    rc.class_type = def->class_type;
    rc.superclass = def->superclass;
    rc.access_flags = def->access_flags;
    for (uint32_t k = 0; k < def->interfaces.size(); ++k)
      rc.interfaces.push_back(def->interfaces[k]);
    for (const auto* list : {&data.direct_methods, &data.virtual_methods}) {
      for (const dex::EncodedMethod& m : *list) {
        rc.methods.push_back({m.method_idx, m.access_flags, m.code_off});
      }
    }
    rc.fields = data.num_fields();
    u->classes.push_back(std::move(rc));
  }
}

void ReadSigs(const dex::DexFile& file, std::vector<std::string>* sigs) {
  // Protos repeat across methods: build each proto string once.
  std::vector<std::string> protos(file.num_protos());
  std::vector<bool> have(file.num_protos(), false);
  sigs->resize(file.num_methods());
  std::string scratch;
  for (uint32_t m = 0; m < file.num_methods(); ++m) {
    const dex::MethodId id = file.GetMethodId(m);
    if (!have[id.proto]) {
      protos[id.proto] = file.ProtoString(id.proto);
      have[id.proto] = true;
    }
    std::string& out = (*sigs)[m];
    out = file.GetStringView(id.name, &scratch);
    out += protos[id.proto];
  }
}

}  // namespace

uint32_t StringInterner::Intern(std::string_view s) {
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  strings_.emplace_back(s);
  const uint32_t id = static_cast<uint32_t>(strings_.size() - 1);
  ids_.emplace(strings_.back(), id);
  return id;
}

uint32_t StringInterner::Find(std::string_view s) const {
  auto it = ids_.find(s);
  return it == ids_.end() ? kNoId : it->second;
}

std::string CodeModel::MethodName(uint32_t method) const {
  std::string out = ClassName(methods_[method].cls);
  out += "->";
  out += Sig(method);
  return out;
}

uint32_t CodeModel::FindClass(std::string_view descriptor) const {
  const uint32_t name = names_.Find(descriptor);
  if (name == kNoId) return kNoId;
  auto it = class_by_name_.find(name);
  return it == class_by_name_.end() ? kNoId : it->second;
}

uint32_t CodeModel::FindMethod(uint32_t cls, uint32_t sig) const {
  if (cls == kNoId || sig == kNoId) return kNoId;
  auto it = method_by_key_.find((static_cast<uint64_t>(cls) << 32) | sig);
  return it == method_by_key_.end() ? kNoId : it->second;
}

uint32_t CodeModel::FindMethod(std::string_view class_descriptor, std::string_view sig) const {
  return FindMethod(FindClass(class_descriptor), names_.Find(sig));
}

uint32_t CodeModel::InternClass(std::string_view descriptor) {
  const uint32_t name = names_.Intern(descriptor);
  auto [it, inserted] = class_by_name_.emplace(name, static_cast<uint32_t>(classes_.size()));
  if (inserted) {
    ClassInfo c;
    c.name = name;
    classes_.push_back(std::move(c));
  }
  return it->second;
}

uint32_t CodeModel::InternMethod(uint32_t cls, std::string_view sig) {
  const uint32_t sig_id = names_.Intern(sig);
  const uint64_t key = (static_cast<uint64_t>(cls) << 32) | sig_id;
  auto [it, inserted] = method_by_key_.emplace(key, static_cast<uint32_t>(methods_.size()));
  if (inserted) {
    MethodInfo m;
    m.cls = cls;
    m.sig = sig_id;
    methods_.push_back(m);
  }
  return it->second;
}

Result<CodeModel> BuildCodeModel(const std::vector<DexInput>& dex_files, const Limits& limits,
                                 Executor& executor, uint32_t threads, const StopCondition* stop,
                                 Diagnostics* diags) {
  if (dex_files.empty()) return NotFound("no dex file to analyse");
  if (dex_files.size() > limits.max_dex_files) {
    return LimitExceeded(std::to_string(dex_files.size()) + " dex files > max_dex_files " +
                         std::to_string(limits.max_dex_files));
  }
  for (const DexInput& in : dex_files) {
    if (in.file == nullptr) return InternalError("DexInput without a file");
  }

  // Phase 1: parallel reads into unit-private buffers.
  std::vector<Unit> units;
  std::vector<size_t> first_unit_of_dex;
  for (uint32_t d = 0; d < dex_files.size(); ++d) {
    first_unit_of_dex.push_back(units.size());
    const uint32_t n = dex_files[d].file->num_class_defs();
    uint32_t first = 0;
    do {
      Unit u;
      u.dex = d;
      u.first = first;
      u.end = n - first > kClassesPerUnit ? first + kClassesPerUnit : n;
      first = u.end;
      units.push_back(std::move(u));
    } while (first < n);
  }
  piaudit::RunUnits(executor, units.size(), threads, [&](size_t i) {
    Unit& u = units[i];
    const dex::DexFile& file = *dex_files[u.dex].file;
    ReadUnit(file, stop, &u);
    if (i == first_unit_of_dex[u.dex] && !ShouldStop(stop)) ReadSigs(file, &u.method_sigs);
  });
  if (ShouldStop(stop)) return stop->StopStatus("code model: class definitions");

  // Phase 2: serial merge in dex order.
  CodeModel model;
  model.dex_.resize(dex_files.size());
  model.counts_.resize(dex_files.size());
  std::string scratch;
  for (uint32_t d = 0; d < dex_files.size(); ++d) {
    const dex::DexFile& file = *dex_files[d].file;
    DexTables& t = model.dex_[d];
    DexCounts& c = model.counts_[d];
    t.file = &file;
    c.name = file.name();
    c.class_defs = file.num_class_defs();
    c.method_ids = file.num_methods();
    c.field_ids = file.num_fields();
    c.string_ids = file.num_strings();
    c.type_ids = file.num_types();
    t.type_class.resize(file.num_types());
    for (uint32_t ty = 0; ty < file.num_types(); ++ty) {
      if (ty % kIdsPerStopCheck == 0 && ShouldStop(stop))
        return stop->StopStatus("code model: types");
      t.type_class[ty] = model.InternClass(file.TypeDescriptor(ty, &scratch));
    }
    const std::vector<std::string>& sigs = units[first_unit_of_dex[d]].method_sigs;
    t.method_global.resize(file.num_methods());
    for (uint32_t m = 0; m < file.num_methods(); ++m) {
      if (m % kIdsPerStopCheck == 0 && ShouldStop(stop))
        return stop->StopStatus("code model: methods");
      const uint32_t cls = t.type_class[file.GetMethodId(m).class_type];
      t.method_global[m] = model.InternMethod(cls, sigs[m]);
    }
  }
  for (Unit& u : units) {
    if (ShouldStop(stop)) return stop->StopStatus("code model: merge");
    const dex::DexFile& file = *dex_files[u.dex].file;
    DexTables& t = model.dex_[u.dex];
    DexCounts& c = model.counts_[u.dex];
    c.errors += u.errors;
    if (diags != nullptr) {
      for (const Diagnostic& dg : u.diags.items()) diags->Add(dg);
    }
    for (const RawClass& rc : u.classes) {
      ++c.classes;
      c.methods_defined += rc.methods.size();
      c.fields_defined += rc.fields;
      const uint32_t cls = t.type_class[rc.class_type];
      ClassInfo& info = model.classes_[cls];
      if (info.defined) {
        ++c.classes_shadowed;
        if (diags != nullptr) {
          diags->Add(Severity::kWarning, "analysis.duplicate_class", file.name(),
                     "class_defs[" + std::to_string(rc.class_def) + "]", 0,
                     model.ClassName(cls) + " is already defined in " +
                         model.counts_[info.dex].name + "; the first definition wins");
        }
        continue;
      }
      info.defined = true;
      info.dex = static_cast<uint16_t>(u.dex);
      info.class_def = rc.class_def;
      info.access_flags = rc.access_flags;
      if (rc.superclass != dex::kNoIndex) info.super = t.type_class[rc.superclass];
      for (uint32_t i : rc.interfaces) info.interfaces.push_back(t.type_class[i]);
      for (const RawMethod& rm : rc.methods) {
        const uint32_t mid = t.method_global[rm.method_idx];
        MethodInfo& mi = model.methods_[mid];
        if (mi.defined) continue;  // the same method twice in one class_data: keep the first
        mi.defined = true;
        mi.dex = static_cast<uint16_t>(u.dex);
        mi.access_flags = rm.access_flags;
        mi.code_off = rm.code_off;
        model.classes_[cls].methods.push_back(mid);
        t.defined_methods.push_back(mid);
      }
    }
  }

  // Phase 3: subtypes (only app classes have them recorded; framework classes get their app
  // subtypes too, which CHA over framework interfaces like Runnable needs).
  for (uint32_t cls = 0; cls < model.classes_.size(); ++cls) {
    const ClassInfo& info = model.classes_[cls];
    if (!info.defined) continue;
    if (info.super != kNoId && info.super != cls)
      model.classes_[info.super].subtypes.push_back(cls);
    for (uint32_t i : info.interfaces) {
      if (i != cls) model.classes_[i].subtypes.push_back(cls);
    }
  }
  return model;
}

}  // namespace piaudit::analysis
