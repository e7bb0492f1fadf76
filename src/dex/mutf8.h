// Modified UTF-8 (the dex/JNI string encoding) to standard UTF-8.
//
// Tricky: MUTF-8 encodes U+0000 as C0 80 (so strings are NUL-terminated), and code points above
// U+FFFF as a UTF-16 surrogate pair, each half as a 3-byte sequence (ED A0..AF xx, ED B0..BF xx).
// Standard UTF-8 wants one 4-byte sequence. Lone surrogates and malformed bytes (which javac never
// writes, but obfuscators and fuzzers do) become U+FFFD so the output is always valid UTF-8.
#ifndef PIAUDIT_DEX_MUTF8_H_
#define PIAUDIT_DEX_MUTF8_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace piaudit::dex {

// Why a string_data_item is not what ART accepts: the byte offset in `data` where it went wrong and
// ART's message for it ("Illegal start byte 0xff in string data").
struct Mutf8Error {
  size_t offset = 0;
  std::string message;
};

// Checks a string_data_item the way ART's dex file verifier does
// (DexFileVerifier::CheckIntraStringDataItem, art/libdexfile/dex/dex_file_verifier.cc): `data` (the
// bytes after the utf16_size ULEB128, up to but excluding the terminating NUL) must be exactly
// `utf16_size` MUTF-8 code units, each a 1-byte 0x01-0x7f, a 2-byte 110xxxxx 10xxxxxx for 0 or
// 0x80-0x7ff, or a 3-byte 1110xxxx 10xxxxxx 10xxxxxx for 0x800-0xffff. Lead bytes 10xxxxxx and
// 1111xxxx (standard UTF-8's 4-byte form) are illegal. Surrogates, paired or not, are accepted, as
// by ART (a Java string may hold any UTF-16 unit). Returns nullopt when ART would accept it.
std::optional<Mutf8Error> CheckMutf8(std::string_view data, uint32_t utf16_size);

// True when every byte is < 0x80 (then MUTF-8 and UTF-8 agree byte for byte).
bool IsAscii(std::string_view s);

// Appends the UTF-8 form of `mutf8` to *out. Returns false when something had to be replaced
// by U+FFFD (the output is still valid UTF-8).
bool AppendMutf8AsUtf8(std::string_view mutf8, std::string* out);

// Standard UTF-8 to MUTF-8 (for the test DEX builder): NUL -> C0 80, 4-byte -> surrogate pair.
std::string Utf8ToMutf8(std::string_view utf8);
// Number of UTF-16 code units of a UTF-8 string (string_data_item.utf16_size).
uint32_t Utf16Length(std::string_view utf8);

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_MUTF8_H_
