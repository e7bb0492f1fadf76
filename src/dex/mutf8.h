// Modified UTF-8 (the dex/JNI string encoding) to standard UTF-8.
//
// Tricky: MUTF-8 encodes U+0000 as C0 80 (so strings are NUL-terminated), and code points above
// U+FFFF as a UTF-16 surrogate pair, each half as a 3-byte sequence (ED A0..AF xx, ED B0..BF xx).
// Standard UTF-8 wants one 4-byte sequence. Lone surrogates and malformed bytes (which javac never
// writes, but obfuscators and fuzzers do) become U+FFFD so the output is always valid UTF-8.
#ifndef PIAUDIT_DEX_MUTF8_H_
#define PIAUDIT_DEX_MUTF8_H_

#include <string>
#include <string_view>

namespace piaudit::dex {

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
