// Loaders of the word-list files (word_lists.cc, policy_data.cc), called by KnowledgeBase::Load.
// Each reports every problem to `errors` with file and line and fills what it could read.
//
// Private to src/knowledge.
#ifndef PIAUDIT_KNOWLEDGE_INTERNAL_WORD_LIST_LOADERS_H_
#define PIAUDIT_KNOWLEDGE_INTERNAL_WORD_LIST_LOADERS_H_

#include <string>
#include <vector>

#include "knowledge/internal/yaml_schema.h"
#include "knowledge/messages.h"
#include "knowledge/policy_data.h"
#include "knowledge/word_lists.h"

namespace piaudit::knowledge::internal {

// data/consent_words.yaml
void LoadConsentWords(const std::string& path, Errors* errors, ConsentWords* out);
void LoadRuntimeWords(const std::string& path, Errors* errors, RuntimeWords* out);
// data/permission_requests.yaml
void LoadPermissionRequests(const std::string& path, Errors* errors, PermissionRequestApis* out);

// data/messages.yaml (messages.cc): both languages and the declared parameters are checked.
void LoadMessages(const std::string& path, Errors* errors, std::vector<Message>* out);

// data/policy/lexicon.yaml and data/policy/jargon.txt under `kb_dir` (policy_data.cc).
void LoadPolicyLexiconFiles(const std::string& kb_dir, Errors* errors, PolicyLexiconData* out);

// Checks one word of a list: not empty, no surrounding white space, and for a caseless list no
// upper-case ASCII letter. Returns the problem, or "" when the word is fine.
std::string CheckWord(const std::string& word, bool caseless);

}  // namespace piaudit::knowledge::internal

#endif  // PIAUDIT_KNOWLEDGE_INTERNAL_WORD_LIST_LOADERS_H_
