// data/fingerprints/*.fp: reference code fingerprints of SDKs, for recognising an SDK whose classes
// an obfuscator renamed or flattened into one package (analysis/code_fingerprint.h computes them;
// `piaudit kb fingerprint` writes these files from APKs that ship the SDK under its real names).
//
// One file per SDK. A line-oriented text format rather than YAML: a reference holds thousands of
// 64-bit hashes, one class per line, and a YAML tree of them would cost more to load than the
// rest of data/ together. Format (docs/knowledge.md#fingerprints):
//
//   # comments
//   format: piaudit.fingerprints/1
//   sdk: admob                        (an id of data/sdks/)
//   source: blooddonation.apk sha256 8f1e... (classes under com.google.android.gms.ads)
//   sdk_version: unknown              (or the version the reference build reports)
//   reference_classes: 298            (classes of the SDK in the reference build)
//   class: 0f3a9c1e22b4d7a8 91c2...   (the distinctive method hashes of one class, 16 hex each)
//
// A method hash may appear in one file only: the builder keeps the hashes that no other SDK and
// no app code of its inputs shares, and the loader refuses an edit that breaks that, because a
// shared hash would attribute a class to two SDKs at once.
#ifndef PIAUDIT_KNOWLEDGE_SDK_FINGERPRINTS_H_
#define PIAUDIT_KNOWLEDGE_SDK_FINGERPRINTS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "knowledge/data_location.h"

namespace piaudit::knowledge {

inline constexpr std::string_view kFingerprintFormat = "piaudit.fingerprints/1";

struct SdkFingerprintSet {
  std::string sdk;  // catalogue id
  std::string source;
  std::string sdk_version;  // "unknown" when the reference build does not say
  uint32_t reference_classes = 0;
  std::vector<std::vector<uint64_t>> classes;  // per reference class, its method hashes
  DataLocation where;
};

// Where one method hash of the references comes from.
struct FingerprintHit {
  uint32_t set = 0;    // index into SdkFingerprints::sets()
  uint32_t klass = 0;  // index into that set's classes
};

class SdkFingerprints {
 public:
  std::span<const SdkFingerprintSet> sets() const { return sets_; }
  const FingerprintHit* Find(uint64_t method_hash) const {
    auto it = index_.find(method_hash);
    return it == index_.end() ? nullptr : &it->second;
  }
  size_t method_hashes() const { return index_.size(); }

  // Adds a parsed set; fails (naming the file and line) when one of its hashes is already indexed.
  Status Add(SdkFingerprintSet set);

 private:
  std::vector<SdkFingerprintSet> sets_;
  std::unordered_map<uint64_t, FingerprintHit> index_;
};

// Parses one file's text. `path` names it in errors ("<path>:<line>: ..."). Bounded: at most
// kMaxFingerprintClasses class lines and kMaxHashesPerClass hashes per line.
inline constexpr size_t kMaxFingerprintClasses = 200000;
inline constexpr size_t kMaxHashesPerClass = 4096;
Result<SdkFingerprintSet> ParseSdkFingerprints(std::string_view text, const std::string& path);

// Renders a set in the file format (the builder's output; ParseSdkFingerprints reads it back).
std::string FormatSdkFingerprints(const SdkFingerprintSet& set, std::string_view header_comment);

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_SDK_FINGERPRINTS_H_
