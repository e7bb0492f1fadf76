#include "gather/app_type_infer.h"

#include <algorithm>

namespace piaudit::gather {

evidence::AppTypeFact InferAppType(const AppTypeSignals& signals,
                                   const knowledge::KnowledgeBase& kb) {
  evidence::AppTypeFact fact;
  const std::vector<knowledge::AppTypeGuess> guesses =
      kb.GuessAppTypes(signals.package, signals.labels, "");
  if (guesses.empty()) {
    fact.reason =
        "no keyword of the knowledge base's app-type hints matched the package name or "
        "label; pass --app-type";
    return fact;
  }
  const knowledge::AppTypeGuess& best = guesses.front();
  fact.id = best.type->id;
  // Two label hits (or one label + one package hit) are a fair guess, never a certainty.
  fact.confidence = std::min(0.85, 0.35 + 0.15 * best.score);
  for (size_t i = 0; i < best.reasons.size() && i < 4; ++i) {
    if (i) fact.reason += "; ";
    fact.reason += best.reasons[i];
  }
  if (guesses.size() > 1 && guesses[1].score == best.score) {
    fact.reason += "; as likely: " + guesses[1].type->id;
  }
  return fact;
}

}  // namespace piaudit::gather
