// ResStringPool decoding. See string_pool.h for the traps; docs/formats/axml.md for the layout.
#include "android/string_pool.h"

#include <fmt/format.h>

#include <string>

#include "base/utf8.h"

namespace piaudit::android::internal {
namespace {

constexpr uint32_t kHeaderMin = 28;  // sizeof(ResStringPool_header)
constexpr uint32_t kUtf8Flag = 1u << 8;

// A surrogate (U+D800..U+DFFF) written as a 3-byte sequence at s[i], or 0.
uint32_t SurrogateAt(std::string_view s, size_t i) {
  if (s.size() - i < 3 || static_cast<uint8_t>(s[i]) != 0xed) return 0;
  const uint8_t b1 = static_cast<uint8_t>(s[i + 1]), b2 = static_cast<uint8_t>(s[i + 2]);
  if (b1 < 0xa0 || b1 > 0xbf || (b2 & 0xc0) != 0x80) return 0;
  return 0xd000 | ((b1 & 0x3fu) << 6) | (b2 & 0x3fu);
}

// A UTF-8 pool string is the file's bytes; Android turns it into UTF-16 with libutils'
// utf8_to_utf16, which reads a surrogate pair written as two 3-byte sequences (CESU-8, as some
// non-aapt writers do) as that pair. Every layer above wants valid UTF-8 (reports, the terminal),
// so the string is made valid here, once: such a pair becomes the one character it encodes, and
// any other invalid sequence (a 0xFF byte, a lone surrogate, an overlong form) becomes U+FFFD.
// The rest of the string is kept, never dropped: what the file says is the evidence.
std::string ToValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && static_cast<uint8_t>(s[i]) < 0x80) ++i;
  if (i == s.size()) return std::string(s);  // ASCII, the common case
  std::string out(s.substr(0, i));
  out.reserve(s.size() + 8);
  while (i < s.size()) {
    const uint8_t b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    size_t invalid = 0;
    if (const size_t n = WellFormedUtf8Length(s, i, &invalid); n != 0) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    const uint32_t high = SurrogateAt(s, i);
    if (high >= 0xd800 && high <= 0xdbff) {
      const uint32_t low = SurrogateAt(s, i + 3);
      if (low >= 0xdc00 && low <= 0xdfff) {
        piaudit::AppendUtf8(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00), &out);
        i += 6;
        continue;
      }
    }
    piaudit::AppendUtf8(0xfffd, &out);
    i += invalid;
  }
  return out;
}

}  // namespace

void AppendUtf8(uint32_t cp, std::string* out) {
  if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = 0xfffd;
  piaudit::AppendUtf8(cp, out);
}

Result<StringPool> StringPool::Parse(ByteSpan chunk, uint64_t base, const Limits& limits,
                                     Diagnostics* diagnostics, std::string_view file) {
  auto fail = [&](Status s, uint64_t off) {
    return std::move(s).At(file, "ResStringPool_header", base + off);
  };
  if (chunk.size() < kHeaderMin) {
    return fail(Truncated(fmt::format("string pool chunk of {} bytes < header {}", chunk.size(),
                                      kHeaderMin)),
                0);
  }
  uint16_t header_size = *chunk.U16At(2);
  uint32_t string_count = *chunk.U32At(8);
  uint32_t style_count = *chunk.U32At(12);
  uint32_t flags = *chunk.U32At(16);
  uint32_t strings_start = *chunk.U32At(20);
  uint32_t styles_start = *chunk.U32At(24);
  const uint32_t size = static_cast<uint32_t>(chunk.size());
  if (header_size < kHeaderMin || header_size > size) {
    return fail(InvalidInput(fmt::format("header_size {} outside [{}, chunk size {}]", header_size,
                                         kHeaderMin, size)),
                2);
  }
  StringPool pool;
  pool.chunk_ = chunk;
  pool.base_ = base;
  pool.file_ = std::string(file);
  pool.utf8_ = (flags & kUtf8Flag) != 0;
  pool.offsets_start_ = header_size;
  pool.max_string_bytes_ = limits.max_string_bytes;
  if (string_count == 0) return pool;

  // How many offsets fit between the header and the strings (or the chunk end): computed by
  // division so a count of 0xffffffff cannot overflow. Android rejects a pool whose offset array
  // runs past the chunk; hostile files also inflate the count to crash naive readers. We keep what
  // fits (the strings actually referenced are then checked one by one) and say so.
  uint32_t array_end = size;
  if (strings_start > header_size && strings_start <= size) array_end = strings_start;
  uint32_t fits = (array_end - header_size) / 4;
  if (string_count > fits) {
    if (diagnostics) {
      diagnostics->Add(Severity::kWarning, "axml.string_count_clamped", std::string(file),
                       "ResStringPool_header.stringCount", base + 8,
                       fmt::format("stringCount {} but only {} offsets fit in the chunk; using {}",
                                   string_count, fits, fits));
    }
    string_count = fits;
  }
  if (string_count > limits.max_string_pool_strings) {
    return fail(LimitExceeded(fmt::format("stringCount {} > max_string_pool_strings {}",
                                          string_count, limits.max_string_pool_strings)),
                8);
  }
  if (strings_start >= size || strings_start < header_size) {
    return fail(InvalidInput(fmt::format("stringsStart {} outside [header_size {}, chunk size {})",
                                         strings_start, header_size, size)),
                20);
  }
  uint32_t strings_end = size;
  if (style_count != 0 && styles_start > strings_start && styles_start <= size) {
    strings_end = styles_start;
  }
  pool.count_ = string_count;
  pool.strings_start_ = strings_start;
  pool.strings_end_ = strings_end;
  return pool;
}

Result<std::string> StringPool::Get(uint32_t index) const {
  auto where = [&](uint64_t off) -> std::string { return fmt::format("string[{}]", index); };
  if (index >= count_) {
    return InvalidInput(fmt::format("string index {} >= string count {}", index, count_))
        .At(file_, "ResStringPool_ref", base_);
  }
  uint32_t rel = *chunk_.U32At(offsets_start_ + 4ull * index);
  ByteSpan strings = ByteSpan(chunk_.data() + strings_start_, strings_end_ - strings_start_);
  const uint64_t strings_base = base_ + strings_start_;
  if (rel >= strings.size()) {
    return InvalidInput(fmt::format("string offset {} >= pool data size {}", rel, strings.size()))
        .At(file_, where(0), base_ + offsets_start_ + 4ull * index);
  }
  Reader r(strings, rel);
  std::string out;
  if (utf8_) {
    // Two lengths: UTF-16 units (ignored but skipped) then UTF-8 bytes.
    uint32_t lens[2];
    for (uint32_t& len : lens) {
      uint8_t b0;
      if (!r.ReadU8(&b0)) {
        return Truncated("length runs past the pool").At(file_, where(0), strings_base + rel);
      }
      len = b0;
      if (b0 & 0x80) {
        uint8_t b1;
        if (!r.ReadU8(&b1)) {
          return Truncated("length runs past the pool").At(file_, where(0), strings_base + rel);
        }
        len = ((b0 & 0x7fu) << 8) | b1;
      }
    }
    uint32_t n = lens[1];
    if (n > max_string_bytes_) {
      return LimitExceeded(
                 fmt::format("string of {} bytes > max_string_bytes {}", n, max_string_bytes_))
          .At(file_, where(0), strings_base + rel);
    }
    ByteSpan bytes;
    if (!r.ReadBytes(n, &bytes)) {
      return Truncated(
                 fmt::format("string of {} bytes runs past the pool ({} left)", n, r.remaining()))
          .At(file_, where(0), strings_base + rel);
    }
    std::string_view raw = bytes.AsStringView();
    // Android stops at the first NUL in practice (C strings); keep the declared length like
    // androidfw's stringAt, but cut at NUL for safety in reports.
    if (auto nul = raw.find('\0'); nul != std::string_view::npos) raw = raw.substr(0, nul);
    return ToValidUtf8(raw);
  }
  uint16_t u0;
  if (!r.ReadU16(&u0)) {
    return Truncated("length runs past the pool").At(file_, where(0), strings_base + rel);
  }
  uint32_t units = u0;
  if (u0 & 0x8000) {
    uint16_t u1;
    if (!r.ReadU16(&u1)) {
      return Truncated("length runs past the pool").At(file_, where(0), strings_base + rel);
    }
    units = ((u0 & 0x7fffu) << 16) | u1;
  }
  if (units > max_string_bytes_ / 2) {
    return LimitExceeded(fmt::format("string of {} UTF-16 units > max_string_bytes {}", units,
                                     max_string_bytes_))
        .At(file_, where(0), strings_base + rel);
  }
  if (units > r.remaining() / 2) {
    return Truncated(fmt::format("string of {} UTF-16 units runs past the pool ({} bytes left)",
                                 units, r.remaining()))
        .At(file_, where(0), strings_base + rel);
  }
  out.reserve(units);
  const uint8_t* p = strings.data() + r.offset();
  for (uint32_t i = 0; i < units; ++i) {
    uint32_t c = p[2 * i] | (p[2 * i + 1] << 8);
    if (c == 0) break;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < units) {
      uint32_t d = p[2 * i + 2] | (p[2 * i + 3] << 8);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        ++i;
      }
    }
    AppendUtf8(c, &out);
  }
  return out;
}

}  // namespace piaudit::android::internal
