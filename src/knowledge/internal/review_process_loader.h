// The loader of data/review/process.yaml in the form KnowledgeBase::Load calls its loaders: every
// problem goes to `errors` with file and line, and what could be read is filled in.
//
// Private to src/knowledge.
#ifndef PIAUDIT_KNOWLEDGE_INTERNAL_REVIEW_PROCESS_LOADER_H_
#define PIAUDIT_KNOWLEDGE_INTERNAL_REVIEW_PROCESS_LOADER_H_

#include <string>
#include <vector>

#include "knowledge/internal/yaml_schema.h"
#include "knowledge/messages.h"
#include "knowledge/review_process.h"

namespace piaudit::knowledge::internal {

void LoadReviewProcess(const std::string& path, Errors* errors, ReviewProcess* out);
// Every `basis` names a message of the catalogue (run after messages.yaml is loaded).
void CheckReviewBasis(const ReviewProcess& process, const std::vector<Message>& messages,
                      Errors* errors);

}  // namespace piaudit::knowledge::internal

#endif  // PIAUDIT_KNOWLEDGE_INTERNAL_REVIEW_PROCESS_LOADER_H_
