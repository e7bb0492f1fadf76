// SDKs whose package names were renamed by an obfuscator (com.a.b.c instead of cn.jpush.android):
// recognised from features renaming leaves intact, as the knowledge base lists them per SDK in
// `features`: string constants (log tags, SDK version strings, JSON keys), hosts compiled into
// the code, and class simple names that must survive because the manifest or reflection names
// them.
//
// Deliberately simple and explainable: a match lists every feature that matched and where
// (the obfuscated package whose code loads the string), and is never reported as certain. One
// matched feature gives "weak"; three or more distinct features, or two kinds of feature, give
// "medium". "strong" is reserved for unrenamed evidence (sdk_detect.h). SDKs already found by
// their real prefix are not re-reported here.
//
// Not done (documented in docs/schemas/code.md): framework API call profiles and class-hierarchy
// shapes; the knowledge base has no such features yet.
#ifndef PIAUDIT_ANALYSIS_OBFUSCATED_SDK_H_
#define PIAUDIT_ANALYSIS_OBFUSCATED_SDK_H_

#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "analysis/sdk_catalog.h"
#include "analysis/sdk_detect.h"
#include "analysis/strings_urls.h"

namespace piaudit::analysis {

// A string constant seen in the dex, with the class of its first const-string site.
struct StringSighting {
  std::string text;
  std::string first_class;  // "Lcom/a/b;" or "" when the string is only in the pool
};

struct FeatureHit {
  std::string kind;   // "string", "host", "class"
  std::string value;  // the feature as declared
  std::string where;  // first class using it / host location / matching class
};

struct ObfuscatedMatch {
  const knowledge::Sdk* sdk = nullptr;
  std::vector<FeatureHit> hits;
  size_t features_declared = 0;
  Strength strength = Strength::kWeak;
  std::vector<std::string> packages;  // dot packages holding the matching code, e.g. "com.a.b"
};

// `strings`: sightings of catalogue feature strings (SdkCatalog::feature_strings()); `hosts`
// from UrlCollector; `class_names` defined classes; `components` manifest names;
// `already_found` SDK ids detected by unrenamed evidence (skipped).
std::vector<ObfuscatedMatch> MatchObfuscatedSdks(
    const SdkCatalog& catalog, std::span<const StringSighting> strings,
    std::span<const HostRecord> hosts, std::span<const std::string> class_names,
    std::span<const std::string> components, const std::unordered_set<std::string>& already_found);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_OBFUSCATED_SDK_H_
