// Entry point of the rules layer: the 31 items of 国信办秘字〔2019〕191号 over one AppEvidence.
//
// Rules see only evidence and knowledge: every rule text, remediation template, threshold (4 taps,
// 15 working days, readability limits), app-type table and PI-type hierarchy comes from the
// knowledge base, never from C++ constants. What each item decides, from which evidence, and what
// it cannot decide is written up in docs/rules.md.
#ifndef PIAUDIT_RULES_EVALUATE_H_
#define PIAUDIT_RULES_EVALUATE_H_

#include <span>
#include <string_view>
#include <vector>

#include "evidence/evidence.h"
#include "knowledge/knowledge_base.h"
#include "rules/verdict.h"

namespace piaudit::rules {

// The 31 item ids in the order of the regulation ("IM-1.1" ... "IM-6.5").
std::span<const std::string_view> ItemIds();

// Exactly one result per item, in ItemIds() order, every time (an item the knowledge base lacks
// still gets a result, with a needs-manual finding saying the rule text is missing).
std::vector<ItemResult> EvaluateAll(const evidence::AppEvidence& ev,
                                    const knowledge::KnowledgeBase& kb);

// Counts per verdict, for summaries.
struct VerdictCounts {
  int violation_confirmed = 0;
  int violation_likely = 0;
  int compliant = 0;
  int needs_dynamic = 0;
  int needs_manual = 0;
  int not_applicable = 0;
};
VerdictCounts CountVerdicts(std::span<const ItemResult> items);

}  // namespace piaudit::rules

#endif  // PIAUDIT_RULES_EVALUATE_H_
