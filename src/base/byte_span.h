// Bounds-checked views over untrusted bytes.
//
// ByteSpan is a non-owning (pointer, size) pair; Reader walks one with a cursor. Every read checks
// the remaining length by subtraction (never `pos + n > size`, which overflows) and fails instead
// of reading past the end, so parsers never do raw pointer arithmetic on input. The bytes must
// outlive every span and reader over them (usually a MappedFile or a buffer owned by the scan).
#ifndef PIAUDIT_BASE_BYTE_SPAN_H_
#define PIAUDIT_BASE_BYTE_SPAN_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace piaudit {

class ByteSpan {
 public:
  constexpr ByteSpan() = default;
  constexpr ByteSpan(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  explicit ByteSpan(std::string_view s)
      : data_(reinterpret_cast<const uint8_t*>(s.data())), size_(s.size()) {}

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const uint8_t* begin() const { return data_; }
  const uint8_t* end() const { return data_ + size_; }
  // REQUIRES: i < size()
  uint8_t operator[](size_t i) const { return data_[i]; }

  // True when [offset, offset + n) lies inside the span.
  bool Contains(size_t offset, size_t n) const { return offset <= size_ && n <= size_ - offset; }
  // The sub-span [offset, offset + n), or nullopt when it does not fit.
  std::optional<ByteSpan> Slice(size_t offset, size_t n) const {
    if (!Contains(offset, n)) return std::nullopt;
    return ByteSpan(data_ + offset, n);
  }
  // The sub-span from offset to the end (empty when offset >= size).
  ByteSpan From(size_t offset) const {
    return offset >= size_ ? ByteSpan(data_ + size_, 0) : ByteSpan(data_ + offset, size_ - offset);
  }
  std::string_view AsStringView() const {
    return std::string_view(reinterpret_cast<const char*>(data_), size_);
  }

  // Little-endian loads at an offset; nullopt when out of range.
  std::optional<uint16_t> U16At(size_t offset) const { return LoadLe<uint16_t>(offset); }
  std::optional<uint32_t> U32At(size_t offset) const { return LoadLe<uint32_t>(offset); }
  std::optional<uint64_t> U64At(size_t offset) const { return LoadLe<uint64_t>(offset); }
  std::optional<uint8_t> U8At(size_t offset) const {
    if (offset >= size_) return std::nullopt;
    return data_[offset];
  }

 private:
  template <typename T>
  std::optional<T> LoadLe(size_t offset) const {
    if (!Contains(offset, sizeof(T))) return std::nullopt;
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(data_[offset + i]) << (8 * i);
    return v;
  }

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// A cursor over a ByteSpan. Reads return false (and leave the cursor unchanged) when the bytes
// run out; callers turn that into a Truncated status naming the structure and offset().
class Reader {
 public:
  explicit Reader(ByteSpan span, size_t pos = 0) : span_(span), pos_(pos) {}

  size_t offset() const { return pos_; }
  size_t remaining() const { return pos_ <= span_.size() ? span_.size() - pos_ : 0; }
  ByteSpan span() const { return span_; }
  bool AtEnd() const { return remaining() == 0; }

  bool Seek(size_t pos) {
    if (pos > span_.size()) return false;
    pos_ = pos;
    return true;
  }
  bool Skip(size_t n) {
    if (n > remaining()) return false;
    pos_ += n;
    return true;
  }
  bool ReadU8(uint8_t* out) { return Read(out); }
  bool ReadU16(uint16_t* out) { return Read(out); }
  bool ReadU32(uint32_t* out) { return Read(out); }
  bool ReadU64(uint64_t* out) { return Read(out); }
  bool ReadBytes(size_t n, ByteSpan* out) {
    if (n > remaining()) return false;
    *out = ByteSpan(span_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  // Unsigned LEB128 limited to 5 bytes (the DEX encoding of uint32). Rejects longer encodings.
  bool ReadUleb128(uint32_t* out) {
    uint32_t result = 0;
    size_t p = pos_;
    for (int i = 0; i < 5; ++i) {
      if (p >= span_.size()) return false;
      uint8_t b = span_.data()[p++];
      result |= static_cast<uint32_t>(b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        pos_ = p;
        *out = result;
        return true;
      }
    }
    return false;
  }
  bool ReadSleb128(int32_t* out) {
    uint32_t result = 0;
    size_t p = pos_;
    for (int i = 0; i < 5; ++i) {
      if (p >= span_.size()) return false;
      uint8_t b = span_.data()[p++];
      result |= static_cast<uint32_t>(b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        int shift = 7 * (i + 1);
        if (shift < 32 && (b & 0x40)) result |= ~0u << shift;
        pos_ = p;
        *out = static_cast<int32_t>(result);
        return true;
      }
    }
    return false;
  }

 private:
  template <typename T>
  bool Read(T* out) {
    if (sizeof(T) > remaining()) return false;
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(span_.data()[pos_ + i]) << (8 * i);
    *out = v;
    pos_ += sizeof(T);
    return true;
  }

  ByteSpan span_;
  size_t pos_;
};

}  // namespace piaudit

#endif  // PIAUDIT_BASE_BYTE_SPAN_H_
