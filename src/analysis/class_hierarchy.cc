// Hierarchy walks. Ancestors are followed in two worlds: app classes by id (CodeModel) and
// framework classes by descriptor (AndroidFramework); a framework class the data does not list
// ends its branch (we know nothing above it).
#include "analysis/class_hierarchy.h"

#include <deque>
#include <string>
#include <unordered_set>

namespace piaudit::analysis {

uint32_t ClassHierarchy::ResolveUp(uint32_t cls, uint32_t sig) const {
  const auto& classes = model_.classes();
  // The chain length is bounded by the number of classes; that bound also stops cycles.
  for (size_t steps = 0; cls != kNoId && steps <= classes.size(); ++steps) {
    const ClassInfo& c = classes[cls];
    if (!c.defined) return kNoId;
    const uint32_t m = model_.FindMethod(cls, sig);
    if (m != kNoId && model_.methods()[m].defined) return m;
    cls = c.super;
  }
  return kNoId;
}

uint32_t ClassHierarchy::FirstExternal(uint32_t cls) const {
  const auto& classes = model_.classes();
  for (size_t steps = 0; cls != kNoId && steps <= classes.size(); ++steps) {
    if (!classes[cls].defined) return cls;
    cls = classes[cls].super;
  }
  return kNoId;
}

template <typename Visit>
void ClassHierarchy::ForEachAncestor(uint32_t cls, Visit&& visit) const {
  const auto& classes = model_.classes();
  std::deque<uint32_t> app;  // app/model class ids
  std::deque<std::string> fw;
  std::unordered_set<uint32_t> seen_app;
  std::unordered_set<std::string> seen_fw;
  app.push_back(cls);
  seen_app.insert(cls);
  while (!app.empty() || !fw.empty()) {
    if (!app.empty()) {
      const uint32_t c = app.front();
      app.pop_front();
      const ClassInfo& info = classes[c];
      const std::string& name = model_.ClassName(c);
      if (!info.defined) {
        if (seen_fw.insert(name).second) fw.push_back(name);
        continue;
      }
      if (!visit(std::string_view(name))) return;
      if (info.super != kNoId && seen_app.insert(info.super).second) app.push_back(info.super);
      for (uint32_t i : info.interfaces) {
        if (seen_app.insert(i).second) app.push_back(i);
      }
      continue;
    }
    const std::string name = std::move(fw.front());
    fw.pop_front();
    if (!visit(std::string_view(name))) return;
    const FrameworkClass* f = framework_.Find(name);
    if (f == nullptr) continue;
    if (!f->super.empty() && seen_fw.insert(f->super).second) fw.push_back(f->super);
    for (const std::string& i : f->interfaces) {
      if (seen_fw.insert(i).second) fw.push_back(i);
    }
  }
}

std::vector<const FrameworkClass*> ClassHierarchy::FrameworkBases(uint32_t cls) const {
  std::vector<const FrameworkClass*> out;
  ForEachAncestor(cls, [&](std::string_view name) {
    const uint32_t id = model_.FindClass(name);
    // An app that bundles its own copy of a framework class does not make it the framework.
    if (id != kNoId && model_.classes()[id].defined) return true;
    if (const FrameworkClass* f = framework_.Find(name)) out.push_back(f);
    return true;
  });
  return out;
}

bool ClassHierarchy::IsSubtypeOf(uint32_t cls, std::string_view base) const {
  bool found = false;
  ForEachAncestor(cls, [&](std::string_view name) {
    found = name == base;
    return !found;
  });
  return found;
}

void ClassHierarchy::Subtree(uint32_t cls, std::vector<uint32_t>* out) const {
  out->clear();
  std::unordered_set<uint32_t> seen{cls};
  out->push_back(cls);
  for (size_t i = 0; i < out->size(); ++i) {
    for (uint32_t s : model_.classes()[(*out)[i]].subtypes) {
      if (seen.insert(s).second) out->push_back(s);
    }
  }
}

}  // namespace piaudit::analysis
