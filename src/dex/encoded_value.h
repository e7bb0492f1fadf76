// encoded_value / encoded_array (dex format "encoded_value encoding"): the constants of call sites,
// static field initial values and annotation elements.
//
// Tricky: each value's width is in its header byte (value_arg + 1 bytes), signed types are
// sign-extended from that width, float/double are *right*-zero-extended (the bytes present are the
// high-order ones), and arrays and annotations nest. Nested values are skipped with an explicit
// stack (no recursion) capped at kMaxEncodedValueDepth levels; every count is checked against the
// bytes left before it is used, so a lying count cannot make the reader loop.
#ifndef PIAUDIT_DEX_ENCODED_VALUE_H_
#define PIAUDIT_DEX_ENCODED_VALUE_H_

#include <cstdint>
#include <vector>

#include "base/byte_span.h"
#include "base/status.h"

namespace piaudit::dex {

// javac never nests annotation values more than a few levels; 64 leaves a wide margin.
inline constexpr uint32_t kMaxEncodedValueDepth = 64;

enum class ValueType : uint8_t {
  kByte = 0x00,
  kShort = 0x02,
  kChar = 0x03,
  kInt = 0x04,
  kLong = 0x06,
  kFloat = 0x10,
  kDouble = 0x11,
  kMethodType = 0x15,    // proto index
  kMethodHandle = 0x16,  // method_handles index
  kString = 0x17,        // string index
  kType = 0x18,          // type index
  kField = 0x19,         // field index
  kMethod = 0x1a,        // method index
  kEnum = 0x1b,          // field index
  kArray = 0x1c,         // nested; only its element count is kept
  kAnnotation = 0x1d,    // nested; only its element count is kept
  kNull = 0x1e,
  kBoolean = 0x1f,
};

struct EncodedValue {
  ValueType type = ValueType::kNull;
  // Integers sign-extended (char zero-extended), indices zero-extended, float/double as their
  // IEEE bit pattern, boolean 0/1, arrays/annotations the element count.
  uint64_t bits = 0;
  uint32_t index() const { return static_cast<uint32_t>(bits); }
};

// Reads the encoded_array at `offset` of `file`: its top-level values go to *out (cleared first);
// nested arrays and annotations are skipped. Fails (naming the offset) on a bad type, a width
// too large for its type, truncation, too deep nesting, or more than max_values values.
Status ReadEncodedArray(ByteSpan file, uint32_t offset, uint32_t max_values,
                        std::vector<EncodedValue>* out);

struct AnnotationElement {
  uint32_t name = 0;  // string index (unchecked)
  EncodedValue value;
};
struct Annotation {
  uint8_t visibility = 0;  // 0 build, 1 runtime, 2 system
  uint32_t type = 0;       // type index (unchecked)
  std::vector<AnnotationElement> elements;
};

// Reads the annotation_item at `offset` (visibility + encoded_annotation); nested values inside
// elements are skipped as in ReadEncodedArray. Indices are returned unchecked.
Status ReadAnnotationItem(ByteSpan file, uint32_t offset, uint32_t max_elements, Annotation* out);

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_ENCODED_VALUE_H_
