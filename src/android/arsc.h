// resources.arsc (androidfw ResTable / LoadedArsc): packages, type specs, types per configuration,
// entries (simple and bag), values and the string pools. Notes and traps: docs/formats/arsc.md.
//
// ResourceTable is a *view*: Parse() validates the chunk structure once and indexes, per package
// and type id, the ResTable_type chunks (configuration + entry offset array); entries and strings
// are decoded only when looked up. REQUIRES: the parsed bytes outlive the table (they are usually
// an inflated entry owned by the scan, or a span into the mapped APK).
//
// Entry encodings handled: dense uint32 offsets, FLAG_OFFSET16 (aapt2 `--enable-compact-entries`
// style 16-bit offsets, *4), FLAG_SPARSE (sorted {idx, offset/4} pairs), compact entries
// (FLAG_COMPACT: value packed in the entry). Lookups of a malformed entry fail with the entry's
// location; a malformed type chunk found at Parse time is skipped with a Diagnostic (Android skips
// such a type too) unless it breaks the chunk structure itself.
#ifndef PIAUDIT_ANDROID_ARSC_H_
#define PIAUDIT_ANDROID_ARSC_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "android/res_value.h"
#include "base/byte_span.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/status.h"

namespace piaudit::android {

// ResTable_config, with the fields Android matches on. Language/region are already unpacked from
// the 2-byte packed forms (3-letter codes are packed into 2 bytes with the high bit set).
struct ResConfig {
  uint16_t mcc = 0;
  uint16_t mnc = 0;
  std::string language;  // "zh", "fil"; "" = any
  std::string region;    // "CN", "419"; "" = any
  std::string script;    // "Hans", from localeScript (when not computed)
  std::string variant;   // localeVariant
  uint8_t orientation = 0;
  uint8_t touchscreen = 0;
  uint16_t density = 0;  // 0 default, 120 ldpi ... 0xfffe anydpi, 0xffff nodpi
  uint8_t keyboard = 0;
  uint8_t navigation = 0;
  uint8_t input_flags = 0;
  uint16_t screen_width = 0;
  uint16_t screen_height = 0;
  uint16_t sdk_version = 0;
  uint16_t minor_version = 0;
  uint8_t screen_layout = 0;
  uint8_t ui_mode = 0;
  uint16_t smallest_screen_width_dp = 0;
  uint16_t screen_width_dp = 0;
  uint16_t screen_height_dp = 0;
  uint8_t screen_layout2 = 0;
  uint8_t color_mode = 0;

  bool IsDefault() const;  // every field 0/empty
  bool HasLocale() const { return !language.empty() || !region.empty(); }
  // Qualifier string as aapt names directories: "zh-rCN", "b+sr+Latn", "hdpi-v4", "" for default.
  std::string Qualifiers() const;
  // The locale as `aapt dump badging` prints it: "zh-CN", "sr-Latn", "en", "" when none.
  std::string LocaleTag() const;
  bool operator==(const ResConfig&) const = default;
};

// One value of a resource in one configuration.
struct ConfigValue {
  ResConfig config;
  Value value;          // simple entries; for bags type kNull
  bool is_bag = false;  // complex entry (style, array, plurals): see bag
  uint32_t bag_parent = 0;
  std::vector<std::pair<uint32_t, Value>> bag;  // {attribute/key resource id, value}
  uint64_t offset = 0;                          // byte offset of the entry in resources.arsc
};

struct ResPackage {
  uint32_t id = 0;   // 0x7f for apps, 0x01 for the framework, 0 for shared libraries
  std::string name;  // "com.example.app"
};

class ResourceTable {
 public:
  // Validates and indexes `bytes` (a whole resources.arsc). Errors name "resources.arsc", the
  // structure and the offset.
  static Result<ResourceTable> Parse(ByteSpan bytes, const Limits& limits,
                                     Diagnostics* diagnostics);

  const std::vector<ResPackage>& packages() const;

  // Every configuration's value of `res_id` as stored (references not followed). Empty when the
  // id is unknown or has no entry in any configuration.
  Result<std::vector<ConfigValue>> Lookup(uint32_t res_id) const;
  // Like Lookup, but each reference is followed (bounded chain, kMaxReferenceDepth) through the
  // *same* configuration's best match, so a label @string/app_name comes back as one string per
  // configuration that defines it. A broken chain keeps the last reference value.
  Result<std::vector<ConfigValue>> Resolve(uint32_t res_id) const;
  // The value `res_id` takes for a device whose only qualifier is `locale` (matching as Android
  // does for locale: exact language+region/script, then language only, then default), references
  // followed. nullopt when no configuration matches.
  std::optional<Value> ResolveForLocale(uint32_t res_id, const ResConfig& locale) const;
  // "package:type/entry" (as aapt prints), or nullopt.
  std::optional<std::string> ResourceName(uint32_t res_id) const;
  // The ids of every entry of the type named `type_name` ("string", "layout", ...) that some
  // configuration defines, in every package, sorted. Ids an entry table skips are not listed.
  std::vector<uint32_t> EntryIdsOfType(std::string_view type_name) const;
  // Every distinct locale over all configurations of all types, as LocaleTag() ("" excluded),
  // sorted - what `aapt dump badging` lists in `locales:`.
  std::vector<ResConfig> Locales() const;

  static constexpr int kMaxReferenceDepth = 16;

 private:
  struct Impl;  // chunk index over the bytes; defined in arsc.cc
  ResourceTable() = default;
  std::shared_ptr<const Impl> impl_;  // shared: the table is cheap to copy
};

}  // namespace piaudit::android

#endif  // PIAUDIT_ANDROID_ARSC_H_
