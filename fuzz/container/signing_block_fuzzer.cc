// libFuzzer target for the APK Signing Block: the input is (1) taken as a file whose central
// directory starts at its end, so the block framing (sizes, magic, ID-value pairs) is parsed,
// and (2) each pair's value, and the whole input, parsed as a v2 and as a v3 scheme block
// (signers, signed data, certificates, signatures, proof-of-rotation).
#include <cstddef>
#include <cstdint>

#include "container/apk_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;
  Limits limits;
  ByteSpan input(data, size);
  auto pairs = container::ParseSigningBlock(input, size);
  if (pairs.ok()) {
    for (const auto& p : *pairs) {
      (void)container::ParseSchemeBlock(p.value, /*is_v3=*/p.id != 0x7109871a, limits);
    }
  }
  (void)container::ParseSchemeBlock(input, false, limits);
  (void)container::ParseSchemeBlock(input, true, limits);
  return 0;
}
