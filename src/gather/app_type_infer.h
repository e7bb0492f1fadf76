// Infers the app's type among the 39 of the 2021 necessary-PI regulation when the user does not
// give --app-type: the knowledge base's keyword hints (KnowledgeBase::GuessAppTypes) matched
// against the package name and the app labels. The result always says how sure it is and why (and
// names a runner-up as likely as the winner); with nothing to go on the type stays unknown and
// IM-4.1 asks a person.
#ifndef PIAUDIT_GATHER_APP_TYPE_INFER_H_
#define PIAUDIT_GATHER_APP_TYPE_INFER_H_

#include <string>
#include <vector>

#include "evidence/evidence.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::gather {

struct AppTypeSignals {
  std::string package;
  std::vector<std::string> labels;  // every locale's label
};

evidence::AppTypeFact InferAppType(const AppTypeSignals& signals,
                                   const knowledge::KnowledgeBase& kb);

}  // namespace piaudit::gather

#endif  // PIAUDIT_GATHER_APP_TYPE_INFER_H_
