// adler32 (RFC 1950) and SHA-1 (FIPS 180-4), small portable versions: piaudit_dex links only
// piaudit_base, and these run only when a caller asks to verify a header (or the test builder
// writes one), so simplicity beats speed here.
#include "dex/checksum.h"

#include <cstring>

namespace piaudit::dex {

uint32_t Adler32(ByteSpan data) {
  constexpr uint32_t kMod = 65521;
  uint32_t a = 1, b = 0;
  const uint8_t* p = data.data();
  size_t n = data.size();
  while (n > 0) {
    // 5552 is the largest block for which b cannot overflow 32 bits before the modulo (zlib).
    size_t block = n < 5552 ? n : 5552;
    n -= block;
    while (block--) {
      a += *p++;
      b += a;
    }
    a %= kMod;
    b %= kMod;
  }
  return (b << 16) | a;
}

namespace {
inline uint32_t Rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

void Sha1Block(uint32_t h[5], const uint8_t* block) {
  uint32_t w[80];
  for (int i = 0; i < 16; ++i) {
    w[i] = (static_cast<uint32_t>(block[4 * i]) << 24) |
           (static_cast<uint32_t>(block[4 * i + 1]) << 16) |
           (static_cast<uint32_t>(block[4 * i + 2]) << 8) | block[4 * i + 3];
  }
  for (int i = 16; i < 80; ++i) w[i] = Rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 80; ++i) {
    uint32_t f, k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const uint32_t t = Rol(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = Rol(b, 30);
    b = a;
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}
}  // namespace

std::array<uint8_t, 20> Sha1(ByteSpan data) {
  uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  const size_t n = data.size();
  size_t full = n / 64;
  for (size_t i = 0; i < full; ++i) Sha1Block(h, data.data() + 64 * i);
  uint8_t tail[128] = {};
  const size_t rest = n - full * 64;
  if (rest > 0) std::memcpy(tail, data.data() + full * 64, rest);
  tail[rest] = 0x80;
  const size_t tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
  const uint64_t bits = static_cast<uint64_t>(n) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_len - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
  Sha1Block(h, tail);
  if (tail_len == 128) Sha1Block(h, tail + 64);
  std::array<uint8_t, 20> out;
  for (int i = 0; i < 5; ++i) {
    out[4 * i] = static_cast<uint8_t>(h[i] >> 24);
    out[4 * i + 1] = static_cast<uint8_t>(h[i] >> 16);
    out[4 * i + 2] = static_cast<uint8_t>(h[i] >> 8);
    out[4 * i + 3] = static_cast<uint8_t>(h[i]);
  }
  return out;
}

}  // namespace piaudit::dex
