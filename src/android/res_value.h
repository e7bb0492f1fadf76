// A typed resource value (androidfw Res_value): the 8-byte cell used by both binary XML attributes
// and resources.arsc entries, plus the framework attribute-name table used to name attributes whose
// string name was blanked by an obfuscator.
#ifndef PIAUDIT_ANDROID_RES_VALUE_H_
#define PIAUDIT_ANDROID_RES_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace piaudit::android {

// Res_value::dataType. Unknown types from the input are kept as their number (the enum has a fixed
// underlying type, so any byte is a valid value).
enum class ValueType : uint8_t {
  kNull = 0x00,
  kReference = 0x01,  // @0x7f010001
  kAttribute = 0x02,  // ?0x01010000
  kString = 0x03,     // index into the owning string pool
  kFloat = 0x04,
  kDimension = 0x05,  // complex: mantissa + radix + unit (px, dp, sp, pt, in, mm)
  kFraction = 0x06,
  kDynamicReference = 0x07,  // shared-library reference, package id resolved at run time
  kDynamicAttribute = 0x08,
  kIntDec = 0x10,
  kIntHex = 0x11,
  kIntBoolean = 0x12,  // 0 false, anything else true (aapt writes 0xffffffff)
  kIntColorArgb8 = 0x1c,
  kIntColorRgb8 = 0x1d,
  kIntColorArgb4 = 0x1e,
  kIntColorRgb4 = 0x1f,
};

struct Value {
  ValueType type = ValueType::kNull;
  uint32_t data = 0;
  std::string string;  // the decoded string for kString; empty otherwise

  bool IsReference() const {
    return type == ValueType::kReference || type == ValueType::kDynamicReference;
  }
  bool IsInt() const {
    return static_cast<uint8_t>(type) >= 0x10 && static_cast<uint8_t>(type) <= 0x1f;
  }
  // Readable rendering for reports: strings as is, references "@0x7f010001", booleans
  // "true"/"false", ints decimal, hex ints "0x..", colors "#aarrggbb", dimensions "16.0dip".
  std::string ToString() const;
};

// The public name ("name", "exported", ...) of a framework attribute id 0x0101xxxx, from the
// table generated from framework-res public ids; nullopt for unknown ids.
std::optional<std::string_view> FrameworkAttributeName(uint32_t id);
// The inverse, for the manifest model; 0 when unknown.
uint32_t FrameworkAttributeId(std::string_view name);

}  // namespace piaudit::android

#endif  // PIAUDIT_ANDROID_RES_VALUE_H_
