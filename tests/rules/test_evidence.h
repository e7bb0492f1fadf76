// Synthetic evidence for the rules and report tests: a clean app (every statically decidable
// item compliant) that each test then breaks in one place, and the bundled knowledge base.
#ifndef PIAUDIT_TESTS_RULES_TEST_EVIDENCE_H_
#define PIAUDIT_TESTS_RULES_TEST_EVIDENCE_H_

#include <string>

#include "evidence/evidence.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::testing {

// The knowledge base under PIAUDIT_DATA_DIR, loaded once per process. Null when it does not load
// (the message is in *error).
const knowledge::KnowledgeBase* BundledKb(std::string* error);

// A community app (type online-community, necessary PI: phone number) with a given Simplified
// Chinese policy that states collection rules, purposes, every right, a complaint channel and a
// 15-working-day limit; a consent gate; one dex read completely; no SDK, permission or call.
evidence::AppEvidence CleanEvidence();

evidence::PolicySpan Span(uint32_t start, std::string text);
evidence::SensitiveCall Call(std::string pi_type, std::string owner, bool startup,
                             evidence::BeforeConsent before);
evidence::SdkFact Sdk(std::string id, std::string category, std::vector<std::string> pi = {});
evidence::PermissionFact Permission(std::string name, bool dangerous,
                                    std::vector<std::string> pi = {});

}  // namespace piaudit::testing

#endif  // PIAUDIT_TESTS_RULES_TEST_EVIDENCE_H_
