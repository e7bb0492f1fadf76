// ResStringPool (androidfw ResourceTypes.h, ResStringPool_header): the string table shared by
// binary XML and resources.arsc. Internal to src/android.
//
// Tricky parts: two encodings (UTF-16 with a 1- or 2-unit length; UTF-8 with a UTF-16 length
// *and* a UTF-8 length, each 1 or 2 bytes with the high bit as continuation), a string count that
// hostile files inflate (bounded here by what fits in the chunk, with a Diagnostic), and lengths
// that point past the pool (rejected per string, so one bad string does not sink the file).
#ifndef PIAUDIT_ANDROID_STRING_POOL_H_
#define PIAUDIT_ANDROID_STRING_POOL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/byte_span.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/status.h"

namespace piaudit::android::internal {

class StringPool {
 public:
  StringPool() = default;
  // `chunk` is the whole RES_STRING_POOL_TYPE chunk (header included); `base` its offset in the
  // file, used in messages. Fails when the header or the offset array is unusable.
  static Result<StringPool> Parse(ByteSpan chunk, uint64_t base, const Limits& limits,
                                  Diagnostics* diagnostics, std::string_view file);

  uint32_t size() const { return count_; }
  bool utf8() const { return utf8_; }
  // Decodes string `index` to valid UTF-8 (from either encoding; invalid sequences become U+FFFD,
  // so nothing above this layer sees invalid UTF-8). Fails (naming the string and offset) when the
  // index is out of the pool or the string runs past it.
  Result<std::string> Get(uint32_t index) const;

 private:
  ByteSpan chunk_;
  uint64_t base_ = 0;
  std::string file_;
  uint32_t count_ = 0;
  uint32_t offsets_start_ = 0;  // header_size
  uint32_t strings_start_ = 0;
  uint32_t strings_end_ = 0;  // exclusive, within chunk_
  uint32_t max_string_bytes_ = 0;
  bool utf8_ = false;
};

// Appends the UTF-8 encoding of code point `cp` (U+FFFD for surrogates / out of range).
void AppendUtf8(uint32_t cp, std::string* out);

}  // namespace piaudit::android::internal

#endif  // PIAUDIT_ANDROID_STRING_POOL_H_
