// encoded_value decoding; see encoded_value.h for the traps.
#include "dex/encoded_value.h"

#include <string>

namespace piaudit::dex {
namespace {

Status Bad(Status s, size_t offset) { return std::move(s.AtOffset("encoded_array", offset)); }

// Largest value_arg allowed per type (width - 1), or -1 for an unknown type.
int MaxArg(uint8_t type) {
  switch (static_cast<ValueType>(type)) {
    case ValueType::kByte:
      return 0;
    case ValueType::kShort:
    case ValueType::kChar:
      return 1;
    case ValueType::kInt:
    case ValueType::kFloat:
    case ValueType::kMethodType:
    case ValueType::kMethodHandle:
    case ValueType::kString:
    case ValueType::kType:
    case ValueType::kField:
    case ValueType::kMethod:
    case ValueType::kEnum:
      return 3;
    case ValueType::kLong:
    case ValueType::kDouble:
      return 7;
    case ValueType::kArray:
    case ValueType::kAnnotation:
    case ValueType::kNull:
      return 0;
    case ValueType::kBoolean:
      return 1;
  }
  return -1;
}

// Reads one value header and its scalar payload. For arrays/annotations reads the nested header
// (and the annotation's type_idx) and leaves the elements to the caller; *nested_count gets the
// element count.
Status ReadOne(Reader* r, EncodedValue* v, uint32_t* nested_count) {
  const size_t at = r->offset();
  uint8_t header;
  if (!r->ReadU8(&header)) return Bad(Truncated("value header past the end"), at);
  const uint8_t type = header & 0x1f;
  const uint8_t arg = header >> 5;
  const int max_arg = MaxArg(type);
  if (max_arg < 0) return Bad(InvalidInput("unknown value_type " + std::to_string(type)), at);
  if (arg > max_arg) {
    return Bad(InvalidInput("value_arg " + std::to_string(arg) + " too large for value_type " +
                            std::to_string(type)),
               at);
  }
  v->type = static_cast<ValueType>(type);
  v->bits = 0;
  *nested_count = 0;
  switch (v->type) {
    case ValueType::kNull:
      return Status();
    case ValueType::kBoolean:
      v->bits = arg;
      return Status();
    case ValueType::kArray:
    case ValueType::kAnnotation: {
      uint32_t type_idx = 0, size = 0;
      if (v->type == ValueType::kAnnotation && !r->ReadUleb128(&type_idx)) {
        return Bad(Truncated("annotation type_idx is not a valid ULEB128"), r->offset());
      }
      if (!r->ReadUleb128(&size)) {
        return Bad(Truncated("nested size is not a valid ULEB128"), r->offset());
      }
      // Each element needs at least one byte (two for annotation name + value).
      const size_t min_bytes = v->type == ValueType::kAnnotation ? 2 : 1;
      if (size > r->remaining() / min_bytes) {
        return Bad(Truncated(std::to_string(size) + " nested values cannot fit in the " +
                             std::to_string(r->remaining()) + " bytes left"),
                   at);
      }
      v->bits = size;
      *nested_count = size;
      return Status();
    }
    default:
      break;
  }
  const uint32_t width = arg + 1u;
  ByteSpan bytes;
  if (!r->ReadBytes(width, &bytes)) return Bad(Truncated("value bytes past the end"), at);
  uint64_t raw = 0;
  for (uint32_t i = 0; i < width; ++i) raw |= static_cast<uint64_t>(bytes[i]) << (8 * i);
  const uint32_t unused_bits = 64 - 8 * width;
  switch (v->type) {
    case ValueType::kByte:
    case ValueType::kShort:
    case ValueType::kInt:
    case ValueType::kLong:
      v->bits = static_cast<uint64_t>(static_cast<int64_t>(raw << unused_bits) >> unused_bits);
      break;
    case ValueType::kFloat:
      v->bits = raw << (8 * (4 - width));  // right-zero-extended to 32 bits
      break;
    case ValueType::kDouble:
      v->bits = raw << (8 * (8 - width));
      break;
    default:  // char and indices: zero-extended
      v->bits = raw;
      break;
  }
  return Status();
}

// Skips `count` elements of a nested array (or annotation: name + value pairs) and everything they
// contain, with an explicit stack instead of recursion.
Status SkipNested(Reader* r, uint32_t count, bool annotation) {
  if (count == 0) return Status();
  struct Level {
    uint32_t remaining;
    bool annotation;
  };
  std::vector<Level> stack;
  stack.push_back({count, annotation});
  while (!stack.empty()) {
    Level& top = stack.back();
    if (top.remaining == 0) {
      stack.pop_back();
      continue;
    }
    --top.remaining;
    if (top.annotation) {
      uint32_t name_idx;
      if (!r->ReadUleb128(&name_idx)) {
        return Bad(Truncated("annotation element name is not a valid ULEB128"), r->offset());
      }
    }
    EncodedValue inner;
    uint32_t inner_nested = 0;
    RETURN_IF_ERROR(ReadOne(r, &inner, &inner_nested));
    if (inner_nested != 0) {
      if (stack.size() >= kMaxEncodedValueDepth) {
        return Bad(
            LimitExceeded("values nested deeper than " + std::to_string(kMaxEncodedValueDepth)),
            r->offset());
      }
      stack.push_back({inner_nested, inner.type == ValueType::kAnnotation});
    }
  }
  return Status();
}

}  // namespace

Status ReadEncodedArray(ByteSpan file, uint32_t offset, uint32_t max_values,
                        std::vector<EncodedValue>* out) {
  out->clear();
  Reader r(file, 0);
  if (!r.Seek(offset)) return Bad(Truncated("encoded_array offset past the end"), offset);
  uint32_t size;
  if (!r.ReadUleb128(&size)) return Bad(Truncated("size is not a valid ULEB128"), offset);
  if (size > r.remaining() || size > max_values) {
    return Bad(InvalidInput("encoded_array size " + std::to_string(size) + " exceeds the " +
                            std::to_string(r.remaining()) + " bytes left or the limit " +
                            std::to_string(max_values)),
               offset);
  }
  out->reserve(size);
  for (uint32_t i = 0; i < size; ++i) {
    EncodedValue v;
    uint32_t nested = 0;
    RETURN_IF_ERROR(ReadOne(&r, &v, &nested));
    out->push_back(v);
    RETURN_IF_ERROR(SkipNested(&r, nested, v.type == ValueType::kAnnotation));
  }
  return Status();
}

Status ReadAnnotationItem(ByteSpan file, uint32_t offset, uint32_t max_elements, Annotation* out) {
  out->elements.clear();
  Reader r(file, 0);
  uint8_t visibility;
  if (!r.Seek(offset) || !r.ReadU8(&visibility)) {
    return Bad(Truncated("annotation_item past the end"), offset);
  }
  uint32_t type, size;
  if (!r.ReadUleb128(&type) || !r.ReadUleb128(&size)) {
    return Bad(Truncated("encoded_annotation header is not valid ULEB128"), offset);
  }
  if (size > r.remaining() / 2 || size > max_elements) {
    return Bad(InvalidInput("encoded_annotation size " + std::to_string(size) +
                            " exceeds the bytes left or the limit"),
               offset);
  }
  out->visibility = visibility;
  out->type = type;
  out->elements.reserve(size);
  for (uint32_t i = 0; i < size; ++i) {
    AnnotationElement e;
    if (!r.ReadUleb128(&e.name)) {
      return Bad(Truncated("annotation element name is not a valid ULEB128"), r.offset());
    }
    uint32_t nested = 0;
    RETURN_IF_ERROR(ReadOne(&r, &e.value, &nested));
    RETURN_IF_ERROR(SkipNested(&r, nested, e.value.type == ValueType::kAnnotation));
    out->elements.push_back(e);
  }
  return Status();
}

}  // namespace piaudit::dex
