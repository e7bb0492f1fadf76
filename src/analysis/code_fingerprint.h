// Code fingerprints that survive renaming: which SDK a class belongs to when an obfuscator
// (ProGuard/R8 renaming, -repackageclasses flattening) has taken away the package names that
// sdk_detect.h matches.
//
// A method's fingerprint is a 64-bit hash of what renaming keeps: its opcode sequence, the string
// constants it loads, and every type, field and method it references, with each class the app
// itself defines replaced by a placeholder (an obfuscator renames those) and framework and other
// external references kept by name (no obfuscator can rename android.* or java.*). Its
// parameters' and return's shapes count the same way; names of the app's own methods and fields
// do not. Register numbers, literals and branch offsets are left out, so a recompilation that
// reallocates registers still matches. Methods shorter than kMinFingerprintInstructions are
// skipped: getters and trivial constructors look the same in every library.
//
// A class's fingerprint is the set of its methods' hashes. Attribution (MatchFingerprints) votes
// per class against the reference hashes of data/fingerprints/ (knowledge/sdk_fingerprints.h):
// a class belongs to the SDK most of its fingerprinted methods match, and an SDK counts as
// present when enough distinct reference classes are matched. Prior art: LibScout (class-hierarchy
// profiles), LibPecker and LibPass (class dependency signatures); this is the simplest member of
// that family that stays exact and explainable (each attribution lists the matched hashes).
//
// What it does not survive: code rewriting beyond renaming (R8 inlining or class merging changes
// a method's body), string encryption, and a different SDK version whose methods changed. A
// class those change is not attributed: that leaves the owner "app", never a false SDK.
#ifndef PIAUDIT_ANALYSIS_CODE_FINGERPRINT_H_
#define PIAUDIT_ANALYSIS_CODE_FINGERPRINT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "dex/dex_file.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::analysis {

inline constexpr uint32_t kMinFingerprintInstructions = 6;

struct ClassFingerprint {
  std::string descriptor;         // "Lcom/a/b;"
  std::vector<uint64_t> methods;  // hashes of its methods with code of at least the minimum size
};

// Descriptors of every class the app defines (all dex files): those are the names an obfuscator
// may change, so references to them are hashed as placeholders.
using DefinedClasses = std::unordered_set<std::string_view>;

// Fingerprints the defined classes of `dex` for which `want(descriptor)` is true (all when `want`
// is empty). A class with no fingerprinted method is left out. Bad class data or code is skipped
// silently: the dex walk every scan runs reports it once.
std::vector<ClassFingerprint> FingerprintClasses(const dex::DexFile& dex,
                                                 const DefinedClasses& defined,
                                                 const std::function<bool(std::string_view)>& want);

// One class of the app attributed to an SDK by its fingerprint.
struct FingerprintedClass {
  std::string descriptor;
  uint32_t matched = 0;     // its method hashes found in the SDK's reference
  uint32_t considered = 0;  // its fingerprinted methods
  double confidence() const { return considered ? double(matched) / considered : 0.0; }
};

struct FingerprintMatch {
  const knowledge::Sdk* sdk = nullptr;
  const knowledge::SdkFingerprintSet* reference = nullptr;
  std::vector<FingerprintedClass> classes;  // attributed classes, in input order
  uint32_t reference_classes_matched = 0;   // distinct reference classes hit
  uint32_t methods_matched = 0;
};

// Thresholds of MatchFingerprints (why each value: docs/analysis.md#fingerprints).
struct FingerprintThresholds {
  // A class is attributed when at least this share of its fingerprinted methods match one SDK
  // (and that SDK is present).
  double min_class_share = 0.5;
  // An SDK is present when this many distinct reference classes are matched.
  uint32_t min_reference_classes = 3;
};

// A class with its owner by catalogue prefix ("app" or an SDK id; never by fingerprint).
struct OwnedFingerprint {
  ClassFingerprint fingerprint;
  std::string owner;
};

// One app given to the reference builder.
struct ReferenceApp {
  std::string description;  // how `source:` names it, e.g. "blooddonation.apk sha256 8f1e..."
  std::vector<OwnedFingerprint> classes;
  // SDKs whose catalogue-owned classes are taken as their reference (those detected with code);
  // classes of other owners count as app code.
  std::unordered_set<std::string> reference_sdks;
};

// Builds one reference per SDK from apps that ship it under its real names: each class of the
// SDK keeps the method hashes that no other SDK and no app code of any input has (a hash the app
// or another library shares would attribute that code to the SDK everywhere). Identical classes
// met in several apps count once. SDKs left with fewer than `min_classes` classes are dropped.
// Sorted by SDK id; `source` lists the apps the SDK came from.
std::vector<knowledge::SdkFingerprintSet> BuildReferenceSets(const std::vector<ReferenceApp>& apps,
                                                             uint32_t min_classes);

// Attributes `classes` against the knowledge base's references. Only SDKs that pass
// min_reference_classes are returned, sorted by SDK id.
std::vector<FingerprintMatch> MatchFingerprints(const knowledge::KnowledgeBase& kb,
                                                const std::vector<ClassFingerprint>& classes,
                                                const FingerprintThresholds& thresholds = {});

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_CODE_FINGERPRINT_H_
