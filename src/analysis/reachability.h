// Breadth-first reachability over the call graph with parent pointers, so every reached method
// has a shortest chain back to an entry point. Explicit queue (no recursion), depth bounded by
// Limits::max_chain_length.
//
// Gates model the consent check at method granularity: in a gate method (one that reads the
// consent flag and branches on the result), calls made after the branch (call-site dex_pc >
// gate pc) are not followed, calls made before it are.
#ifndef PIAUDIT_ANALYSIS_REACHABILITY_H_
#define PIAUDIT_ANALYSIS_REACHABILITY_H_

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "analysis/call_graph.h"
#include "analysis/code_analysis.h"
#include "analysis/code_model.h"

namespace piaudit::analysis {

struct BfsOptions {
  bool follow_user_edges = true;
  bool follow_wide_edges = true;  // CHA edges from framework-declared targets (kWideEdge)
  const std::unordered_map<uint32_t, uint32_t>* gates = nullptr;  // method -> gate dex_pc
  uint32_t max_depth = 64;
  // Checked every 1024 dequeued nodes; may be null. When it fires the walk ends with
  // Reach::stopped set and the result must be discarded.
  const StopCondition* stop = nullptr;
};

struct Reach {
  std::vector<uint32_t> parent;  // kNoId for sources and unreached
  std::vector<uint8_t> via;      // edge kind into the node; 0xff for sources
  std::vector<uint8_t> reached;
  uint32_t count = 0;
  bool depth_cut = false;  // some node sat at max_depth with unvisited successors
  bool stopped = false;    // BfsOptions::stop fired: the walk is incomplete

  bool Reached(uint32_t m) const { return m < reached.size() && reached[m]; }
};

Reach Bfs(const CallGraph& graph, const std::vector<uint32_t>& sources, const BfsOptions& options);

// Entry point ... `target`, method by method (empty when not reached).
std::vector<ChainStep> ChainTo(const Reach& reach, const CodeModel& model, uint32_t target);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_REACHABILITY_H_
