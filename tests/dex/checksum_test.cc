// Tests for src/dex/checksum.cc against zlib's adler32 and OpenSSL's SHA-1, at the lengths where
// padding changes (55, 56, 63, 64, 119, 120 bytes) and across zlib's 5552-byte block size.
#include "dex/checksum.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <zlib.h>

#include <random>
#include <vector>

namespace piaudit::dex {
namespace {

TEST(ChecksumTest, MatchesZlibAndOpenSsl) {
  std::mt19937 rng(42);
  std::vector<size_t> sizes = {0,  1,   3,   55,  56,   57,   63,   64,
                               65, 119, 120, 128, 5551, 5552, 5553, 100000};
  for (size_t n : sizes) {
    std::vector<uint8_t> data(n);
    for (auto& b : data) b = static_cast<uint8_t>(rng());
    const ByteSpan span(data.data(), data.size());
    EXPECT_EQ(Adler32(span), adler32(adler32(0, nullptr, 0), data.data(), n)) << n;
    std::array<uint8_t, 20> want;
    SHA1(data.data(), n, want.data());
    EXPECT_EQ(Sha1(span), want) << n;
  }
  // All 0xff bytes: the largest per-byte sums for adler32's deferred modulo.
  std::vector<uint8_t> ff(20000, 0xff);
  EXPECT_EQ(Adler32(ByteSpan(ff.data(), ff.size())),
            adler32(adler32(0, nullptr, 0), ff.data(), ff.size()));
}

}  // namespace
}  // namespace piaudit::dex
