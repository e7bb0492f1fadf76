// The two integrity codes of a dex header: adler32 (checksum) and SHA-1 (signature). Implemented
// here because piaudit_dex depends only on base (and the test DEX builder needs to write them).
#ifndef PIAUDIT_DEX_CHECKSUM_H_
#define PIAUDIT_DEX_CHECKSUM_H_

#include <array>
#include <cstdint>

#include "base/byte_span.h"

namespace piaudit::dex {

uint32_t Adler32(ByteSpan data);
std::array<uint8_t, 20> Sha1(ByteSpan data);

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_CHECKSUM_H_
