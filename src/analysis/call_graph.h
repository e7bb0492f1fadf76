// The app's call graph: nodes are CodeModel method ids (app methods and the framework methods
// they call, so sensitive APIs are nodes too), edges in CSR form (one offsets array, flat target /
// call-site / kind arrays), built from the instruction scan.
//
// Edges:
//   invoke     every invoke (static, direct, super, virtual, interface, polymorphic; range forms
//              included) to the method it resolves to up the app's superclass chain, or to the
//              referenced framework method when no app class defines it;
//   cha        for virtual and interface calls, every override in app subclasses / implementors
//              of the static receiver type that an instantiated class runs (class-hierarchy
//              analysis narrowed by rapid type analysis; not for java.lang.Object, whose every
//              toString() would otherwise be a target of every call);
//   thread, executor, handler, asynctask, timer, listener
//              implicit edges from data/android_framework.yaml rules: the trigger call
//              (Thread.start, Handler.post, ...) to the callbacks of the app objects it was given
//              (tracked receiver / arguments), or, when those are unknown, of the app classes the
//              calling method instantiates or the calling class itself;
//   lifecycle  allocating an app subclass of a framework class whose callbacks the framework runs
//              on its own (Fragment, Dialog, WebViewClient);
//   clinit     a method that instantiates a class, touches its static fields or calls its static
//              methods triggers <clinit> of that class and of its app superclasses.
// Edges created by user action (click listeners) carry kUserEdge; start-up reachability skips them.
// Duplicate (caller, target) pairs keep the earliest call site. Bounded by
// Limits::max_call_graph_edges: past it the graph is partial and a Diagnostic says so.
#ifndef PIAUDIT_ANALYSIS_CALL_GRAPH_H_
#define PIAUDIT_ANALYSIS_CALL_GRAPH_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "analysis/class_hierarchy.h"
#include "analysis/method_scan.h"
#include "base/diagnostics.h"
#include "base/limits.h"

namespace piaudit::analysis {

enum class EdgeKind : uint8_t {
  kInvoke,
  kCha,
  kThread,
  kExecutor,
  kHandler,
  kAsyncTask,
  kTimer,
  kListener,
  kLifecycle,
  kClinit,
};
std::string_view EdgeKindName(EdgeKind k);
inline constexpr uint8_t kUserEdge = 0x80;  // or-ed into CallGraph::kinds
// A CHA edge whose declared target is a framework type (Runnable.run, Executor.execute,
// List.add ...): every instantiated app implementor becomes a target, which is sound but wide.
// Verdicts that rest only on such edges are reported as "unknown", not "likely".
inline constexpr uint8_t kWideEdge = 0x40;

struct CallGraph {
  std::vector<uint64_t> offsets;  // num_nodes + 1
  std::vector<uint32_t> targets;
  std::vector<uint32_t> pcs;   // call site (dex_pc in the caller) of each edge
  std::vector<uint8_t> kinds;  // EdgeKind, | kUserEdge
  CallGraphStats stats;

  uint32_t num_nodes() const {
    return offsets.empty() ? 0 : static_cast<uint32_t>(offsets.size() - 1);
  }
  uint64_t begin(uint32_t m) const { return offsets[m]; }
  uint64_t end(uint32_t m) const { return offsets[m + 1]; }
  static EdgeKind Kind(uint8_t k) { return static_cast<EdgeKind>(k & ~(kUserEdge | kWideEdge)); }
};

// `instantiated` (by class id, may be null): classes the app creates (new-instance, manifest
// components). When given, CHA only adds overrides that an instantiated class can run (rapid type
// analysis): a library's unused subclasses no longer make every virtual call reach them.
// `stop` (may be null) is checked per fact; when it fires the graph is incomplete and the caller
// must check ShouldStop(stop) and discard it.
CallGraph BuildCallGraph(const ClassHierarchy& hierarchy, const ScanFacts& facts,
                         const Limits& limits, const std::vector<uint8_t>* instantiated,
                         Diagnostics* diags, const StopCondition* stop = nullptr);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_CALL_GRAPH_H_
