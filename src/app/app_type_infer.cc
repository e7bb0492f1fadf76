#include "app/app_type_infer.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace piaudit::app {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

evidence::AppTypeFact InferAppType(const AppTypeSignals& signals,
                                   const knowledge::KnowledgeBase& kb) {
  struct Score {
    int hits = 0;
    std::vector<std::string> reasons;
  };
  std::map<std::string, Score> scores;
  const std::string package = Lower(signals.package);
  std::vector<std::string> labels;
  for (const std::string& l : signals.labels) labels.push_back(Lower(l));
  for (const knowledge::AppTypeHint& hint : kb.app_type_hints()) {
    for (const std::string& keyword : hint.keywords) {
      if (keyword.empty()) continue;
      const std::string k = Lower(keyword);
      // Package segments are matched whole-word-ish: "map" in "com.x.map" but not in "bitmap".
      bool in_package = false;
      for (size_t pos = package.find(k); pos != std::string::npos; pos = package.find(k, pos + 1)) {
        bool starts = pos == 0 || package[pos - 1] == '.' || package[pos - 1] == '_';
        if (starts) {
          in_package = true;
          break;
        }
      }
      bool in_label = std::any_of(labels.begin(), labels.end(), [&k](const std::string& l) {
        return l.find(k) != std::string::npos;
      });
      if (!in_package && !in_label) continue;
      Score& s = scores[hint.type];
      s.hits += in_label ? 2 : 1;  // a label is written for users; package names are terse
      s.reasons.push_back("keyword '" + keyword + "' in " + (in_label ? "label" : "package name"));
    }
  }
  evidence::AppTypeFact fact;
  const std::pair<const std::string, Score>* best = nullptr;
  for (const auto& entry : scores) {
    if (best == nullptr || entry.second.hits > best->second.hits) best = &entry;
  }
  if (best == nullptr || kb.FindAppType(best->first) == nullptr) {
    fact.reason =
        "no keyword of the knowledge base's app-type hints matched the package name or "
        "label; pass --app-type";
    return fact;
  }
  fact.id = best->first;
  // Two label hits (or one label + one package hit) are a fair guess, never a certainty.
  fact.confidence = std::min(0.85, 0.35 + 0.15 * best->second.hits);
  for (size_t i = 0; i < best->second.reasons.size() && i < 4; ++i) {
    if (i) fact.reason += "; ";
    fact.reason += best->second.reasons[i];
  }
  return fact;
}

}  // namespace piaudit::app
