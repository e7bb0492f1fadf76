// The store gate (`--gate FILE`): from the 31 item results, whether an app may be listed (`pass`),
// needs a person (`review`) or may not be listed (`block`), with the reasons. The file is YAML
// (schema piaudit.gate/1, docs/batch.md, example data/gate/store_default.yaml):
//
//   schema: piaudit.gate/1
//   block:                     # any match blocks listing
//     - items: [IM-3.1, IM-3.2]
//       strength: likely       # a violation at least this strong (likely | confirmed)
//   review:                    # any match (and no block) sends the app to a person
//     - strength: likely       # no `items`: every item
//     - items: [IM-1.1]
//       verdicts: [needs-manual]
//
// A rule matches an item result when the item is listed (or no list is given) and either its
// verdict is in `verdicts`, or, without `verdicts`, it is a violation at least `strength` strong
// (default likely). Unknown keys, items and names are errors naming the file and line.
#ifndef PIAUDIT_BATCH_GATE_H_
#define PIAUDIT_BATCH_GATE_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "rules/verdict.h"

namespace piaudit::batch {

struct GateRule {
  std::vector<std::string> items;        // empty: all
  std::vector<rules::Verdict> verdicts;  // empty: violations of at least `strength`
  rules::Strength strength = rules::Strength::kLikely;
  int line = 0;  // in the gate file, for reasons
};

struct Gate {
  std::string file;
  std::vector<GateRule> block;
  std::vector<GateRule> review;
};

struct GateDecision {
  std::string decision;              // "pass", "review", "block"
  std::vector<std::string> reasons;  // "block: IM-3.1 violation (likely), gate.yaml:4"
};

// kInvalidInput (file, line) on a malformed file; kIo when it cannot be read.
Result<Gate> LoadGate(const std::string& path);
Result<Gate> ParseGate(const std::string& text, const std::string& file_name);

GateDecision Decide(const Gate& gate, const std::vector<rules::ItemResult>& items);

}  // namespace piaudit::batch

#endif  // PIAUDIT_BATCH_GATE_H_
