// The loader of data/runtime/screen_words.yaml in the form KnowledgeBase::Load calls its loaders:
// every problem goes to `errors` with file and line, and what could be read is filled in.
// knowledge/screen_words.h wraps it for callers that load the file alone.
//
// Private to src/knowledge.
#ifndef PIAUDIT_KNOWLEDGE_INTERNAL_SCREEN_WORDS_LOADER_H_
#define PIAUDIT_KNOWLEDGE_INTERNAL_SCREEN_WORDS_LOADER_H_

#include <string>

#include "knowledge/internal/yaml_schema.h"
#include "knowledge/screen_words.h"

namespace piaudit::knowledge::internal {

void LoadScreenWords(const std::string& path, Errors* errors, ScreenWords* out);

}  // namespace piaudit::knowledge::internal

#endif  // PIAUDIT_KNOWLEDGE_INTERNAL_SCREEN_WORDS_LOADER_H_
