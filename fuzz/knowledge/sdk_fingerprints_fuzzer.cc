// libFuzzer target for the SDK reference-fingerprint reader (src/knowledge/sdk_fingerprints.cc):
// raw bytes as a data/fingerprints/*.fp file a knowledge-base edit could bring. It must return a
// set or an error naming the file and line, never crash; an accepted set must survive being
// written back and read again unchanged, and indexing it twice must be refused, not crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "knowledge/sdk_fingerprints.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;  // NOLINT
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<knowledge::SdkFingerprintSet> set = knowledge::ParseSdkFingerprints(text, "fuzz.fp");
  if (!set.ok()) return 0;
  Result<knowledge::SdkFingerprintSet> again = knowledge::ParseSdkFingerprints(
      knowledge::FormatSdkFingerprints(*set, "round trip"), "again.fp");
  if (!again.ok() || again->classes != set->classes || again->sdk != set->sdk) std::abort();
  knowledge::SdkFingerprints index;
  if (!index.Add(*set).ok()) std::abort();
  knowledge::SdkFingerprintSet other = *set;
  other.sdk += "-copy";
  (void)index.Add(std::move(other));  // shares every hash: refused with an error
  return 0;
}
