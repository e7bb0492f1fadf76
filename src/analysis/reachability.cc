// Bfs / ChainTo. Depth is tracked per node so the bound is exact (a chain never exceeds
// max_depth edges).
#include "analysis/reachability.h"

#include <algorithm>

#include "base/stop.h"

namespace piaudit::analysis {

Reach Bfs(const CallGraph& g, const std::vector<uint32_t>& sources, const BfsOptions& o) {
  const uint32_t n = g.num_nodes();
  Reach r;
  r.parent.assign(n, kNoId);
  r.via.assign(n, 0xff);
  r.reached.assign(n, 0);
  std::vector<uint32_t> depth(n, 0);
  std::vector<uint32_t> queue;
  for (uint32_t s : sources) {
    if (s >= n || r.reached[s]) continue;
    r.reached[s] = 1;
    queue.push_back(s);
  }
  for (size_t head = 0; head < queue.size(); ++head) {
    if (head % 1024 == 0 && ShouldStop(o.stop)) {
      r.stopped = true;
      break;
    }
    const uint32_t u = queue[head];
    uint32_t gate = kNoId;
    if (o.gates != nullptr) {
      auto it = o.gates->find(u);
      if (it != o.gates->end()) gate = it->second;
    }
    for (uint64_t e = g.begin(u); e < g.end(u); ++e) {
      const uint32_t v = g.targets[e];
      if (r.reached[v]) continue;
      if (!o.follow_user_edges && (g.kinds[e] & kUserEdge)) continue;
      if (!o.follow_wide_edges && (g.kinds[e] & kWideEdge)) continue;
      if (gate != kNoId && g.pcs[e] > gate) continue;
      if (depth[u] >= o.max_depth) {
        r.depth_cut = true;
        break;
      }
      r.reached[v] = 1;
      r.parent[v] = u;
      r.via[v] = g.kinds[e];
      depth[v] = depth[u] + 1;
      queue.push_back(v);
    }
  }
  r.count = static_cast<uint32_t>(queue.size());
  return r;
}

std::vector<ChainStep> ChainTo(const Reach& r, const CodeModel& model, uint32_t target) {
  std::vector<ChainStep> out;
  if (!r.Reached(target)) return out;
  // Parent pointers form a tree (each node gets one parent, set once), so this ends; the bound
  // is a second guard.
  for (uint32_t m = target, steps = 0; m != kNoId && steps <= r.parent.size(); ++steps) {
    ChainStep s;
    s.method = model.MethodName(m);
    s.via = r.via[m] == 0xff ? "entry" : std::string(EdgeKindName(CallGraph::Kind(r.via[m])));
    s.wide = r.via[m] != 0xff && (r.via[m] & kWideEdge) != 0;
    out.push_back(std::move(s));
    m = r.parent[m];
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace piaudit::analysis
