// Queries over the merged class hierarchy: the app's classes (CodeModel) continued into the
// framework by data/android_framework.yaml (AndroidFramework). Hierarchies come from input, so
// every walk uses an explicit queue and a visited set: a hostile dex with a superclass cycle
// (A extends B extends A) ends the walk instead of looping.
#ifndef PIAUDIT_ANALYSIS_CLASS_HIERARCHY_H_
#define PIAUDIT_ANALYSIS_CLASS_HIERARCHY_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "analysis/android_framework.h"
#include "analysis/code_model.h"

namespace piaudit::analysis {

class ClassHierarchy {
 public:
  ClassHierarchy(const CodeModel& model, const AndroidFramework& framework)
      : model_(model), framework_(framework) {}

  // The method that a call of `sig` on an instance of `cls` runs, looking up the superclass chain
  // through app-defined classes: the defining method id, or kNoId when no app class on the chain
  // defines it (the framework does, or nobody).
  uint32_t ResolveUp(uint32_t cls, uint32_t sig) const;
  // The first ancestor of `cls` (itself included) that the app does not define: the framework
  // class it extends. kNoId on a cycle.
  uint32_t FirstExternal(uint32_t cls) const;
  // Every framework class (as listed in the data) among the ancestors of `cls`: superclasses and
  // interfaces, app and framework ones, transitively.
  std::vector<const FrameworkClass*> FrameworkBases(uint32_t cls) const;
  // True when `cls` extends or implements `base` (a descriptor), directly or transitively.
  bool IsSubtypeOf(uint32_t cls, std::string_view base) const;
  // Every app class below `cls` (itself included), in BFS order.
  void Subtree(uint32_t cls, std::vector<uint32_t>* out) const;

  const CodeModel& model() const { return model_; }
  const AndroidFramework& framework() const { return framework_; }

 private:
  // Calls visit(descriptor) for every ancestor name (app and framework), BFS.
  template <typename Visit>
  void ForEachAncestor(uint32_t cls, Visit&& visit) const;

  const CodeModel& model_;
  const AndroidFramework& framework_;
};

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_CLASS_HIERARCHY_H_
