// resources.arsc reader. Layout (androidfw ResourceTypes.h):
//   ResTable_header (0x0002) { header, packageCount }
//     ResStringPool (values' strings, "global pool")
//     ResTable_package (0x0200) { header, id, name[128] UTF-16, typeStrings, lastPublicType,
//                                 keyStrings, lastPublicKey, [typeIdOffset] }
//       ResStringPool (type names), ResStringPool (key names)
//       ResTable_typeSpec (0x0202) { id, res0, typesCount, entryCount, flags[entryCount] }
//       ResTable_type (0x0201) { id, flags, reserved, entryCount, entriesStart, ResTable_config }
//         entry offsets (uint32, or uint16*4 with FLAG_OFFSET16, or {idx,off/4} with FLAG_SPARSE)
//         entries: ResTable_entry {size, flags, key} + Res_value, or ResTable_map_entry + maps,
//         or a compact entry {key16, flags (type in high byte), data}.
// Parse() validates chunk headers and indexes ResTable_type chunks per (package, type id); entry
// bytes are validated when an entry is looked up ("verify once, then trust" applies to chunk
// headers only).
#include "android/arsc.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "android/string_pool.h"

namespace piaudit::android {
namespace {

constexpr uint16_t RES_STRING_POOL_TYPE = 0x0001;
constexpr uint16_t RES_TABLE_TYPE = 0x0002;
constexpr uint16_t RES_TABLE_PACKAGE_TYPE = 0x0200;
constexpr uint16_t RES_TABLE_TYPE_TYPE = 0x0201;
constexpr uint16_t RES_TABLE_TYPE_SPEC_TYPE = 0x0202;
constexpr uint16_t RES_TABLE_LIBRARY_TYPE = 0x0203;
constexpr uint16_t RES_TABLE_OVERLAYABLE_TYPE = 0x0204;
constexpr uint16_t RES_TABLE_OVERLAYABLE_POLICY_TYPE = 0x0205;
constexpr uint16_t RES_TABLE_STAGED_ALIAS_TYPE = 0x0206;

constexpr uint32_t kTableHeaderSize = 12;
constexpr uint32_t kPackageHeaderMin = 284;  // without typeIdOffset
constexpr uint32_t kTypeHeaderMin = 20;      // up to entriesStart; the config follows
constexpr uint8_t FLAG_SPARSE = 0x01;
constexpr uint8_t FLAG_OFFSET16 = 0x02;
constexpr uint16_t FLAG_COMPLEX = 0x0001;
constexpr uint16_t FLAG_COMPACT = 0x0008;
constexpr uint32_t NO_ENTRY = 0xffffffff;
constexpr const char* kFile = "resources.arsc";

std::string UnpackLocaleField(const uint8_t in[2], char base) {
  // ResTable_config::unpackLanguageOrRegion: 3-letter codes are packed in 15 bits with the high
  // bit of in[0] set.
  if (in[0] & 0x80) {
    char out[3];
    out[0] = static_cast<char>(base + (in[1] & 0x1f));
    out[1] = static_cast<char>(base + (((in[1] & 0xe0) >> 5) | ((in[0] & 0x03) << 3)));
    out[2] = static_cast<char>(base + ((in[0] & 0x7c) >> 2));
    return std::string(out, 3);
  }
  std::string out;
  if (in[0]) out.push_back(static_cast<char>(in[0]));
  if (in[1]) out.push_back(static_cast<char>(in[1]));
  return out;
}

std::string FixedString(const uint8_t* p, size_t n) {
  std::string s;
  for (size_t i = 0; i < n && p[i]; ++i) s.push_back(static_cast<char>(p[i]));
  return s;
}

// Reads a ResTable_config of `avail` bytes at most. Like androidfw's copyFromDtoH, fields past
// the declared size are zero (older aapt wrote shorter configs).
ResConfig ReadConfig(ByteSpan span) {
  uint8_t c[64] = {};
  uint32_t declared = span.U32At(0).value_or(0);
  size_t n = std::min<size_t>({declared, span.size(), sizeof c});
  for (size_t i = 0; i < n; ++i) c[i] = span[i];
  auto u16 = [&](int o) { return static_cast<uint16_t>(c[o] | (c[o + 1] << 8)); };
  ResConfig r;
  r.mcc = u16(4);
  r.mnc = u16(6);
  r.language = UnpackLocaleField(c + 8, 'a');
  r.region = UnpackLocaleField(c + 10, '0');
  r.orientation = c[12];
  r.touchscreen = c[13];
  r.density = u16(14);
  r.keyboard = c[16];
  r.navigation = c[17];
  r.input_flags = c[18];
  r.screen_width = u16(20);
  r.screen_height = u16(22);
  r.sdk_version = u16(24);
  r.minor_version = u16(26);
  r.screen_layout = c[28];
  r.ui_mode = c[29];
  r.smallest_screen_width_dp = u16(30);
  r.screen_width_dp = u16(32);
  r.screen_height_dp = u16(34);
  bool script_computed = c[52] != 0;
  if (!script_computed) r.script = FixedString(c + 36, 4);
  r.variant = FixedString(c + 40, 8);
  r.screen_layout2 = c[48];
  r.color_mode = c[49];
  return r;
}

// Does an entry's configuration apply to a device described by `want`? A simplified
// ResTable_config::match covering the qualifiers piaudit resolves against (locale, sdk,
// orientation, mcc/mnc); screen-size qualifiers are treated as matching.
bool Matches(const ResConfig& have, const ResConfig& want) {
  if (have.mcc && have.mcc != want.mcc) return false;
  if (have.mnc && have.mnc != want.mnc) return false;
  if (!have.language.empty() && have.language != want.language) return false;
  if (!have.region.empty() && have.region != want.region) return false;
  if (!have.script.empty() && have.script != want.script) return false;
  if (!have.variant.empty() && have.variant != want.variant) return false;
  if (have.orientation && want.orientation && have.orientation != want.orientation) return false;
  if (have.sdk_version && have.sdk_version > (want.sdk_version ? want.sdk_version : 0xffff)) {
    return false;
  }
  if ((have.ui_mode & 0x0f) && (have.ui_mode & 0x0f) != (want.ui_mode & 0x0f)) return false;
  if ((have.ui_mode & 0x30) && (have.ui_mode & 0x30) != (want.ui_mode & 0x30)) return false;
  return true;
}

// Is `a` a better match for `want` than `b` (both already match)? Locale specificity first, as
// in ResTable_config::isBetterThan, then sdk version, then density closeness.
bool IsBetter(const ResConfig& a, const ResConfig& b, const ResConfig& want) {
  if (a.mcc != b.mcc) return a.mcc != 0;
  if (a.mnc != b.mnc) return a.mnc != 0;
  if (a.language.empty() != b.language.empty()) return !a.language.empty();
  bool ar = !a.region.empty() || !a.script.empty();
  bool br = !b.region.empty() || !b.script.empty();
  if (ar != br) return ar;
  if (a.variant.empty() != b.variant.empty()) return !a.variant.empty();
  if (a.orientation != b.orientation) return a.orientation != 0;
  if ((a.ui_mode & 0x3f) != (b.ui_mode & 0x3f)) return (a.ui_mode & 0x3f) != 0;
  if (a.density != b.density && want.density) {
    auto dist = [&](uint16_t d) {
      if (d == 0) d = 160;
      if (d >= 0xfffe) return 1 << 20;  // anydpi/nodpi rank after exact matches
      return std::abs(static_cast<int>(d) - static_cast<int>(want.density)) +
             (d < want.density ? 1 << 16 : 0);  // prefer scaling down
    };
    return dist(a.density) < dist(b.density);
  }
  if (a.sdk_version != b.sdk_version) return a.sdk_version > b.sdk_version;
  return false;
}

}  // namespace

struct ResourceTable::Impl {
  struct TypeChunk {
    uint64_t offset = 0;       // chunk start
    uint64_t end = 0;          // chunk end
    uint64_t offsets_pos = 0;  // entry offset array
    uint64_t entries_pos = 0;  // entriesStart
    uint32_t entry_count = 0;
    uint8_t flags = 0;
    ResConfig config;
  };
  struct TypeIndex {
    std::vector<TypeChunk> chunks;
  };
  struct PackageIndex {
    uint32_t id = 0;
    internal::StringPool type_strings;
    internal::StringPool key_strings;
    bool has_type_strings = false;
    bool has_key_strings = false;
    uint32_t type_id_offset = 0;
    std::vector<TypeIndex> types;  // index = type id - 1
  };

  ByteSpan bytes;
  Limits limits;
  std::vector<ResPackage> packages;
  std::vector<PackageIndex> index;
  internal::StringPool global;
  bool has_global = false;
  std::vector<ResConfig> locales;  // distinct, sorted by LocaleTag

  struct Found {
    const TypeChunk* chunk;
    uint64_t entry;  // absolute offset of the ResTable_entry
  };
  const PackageIndex* FindPackage(uint32_t pkg_id) const {
    for (const PackageIndex& p : index) {
      if (p.id == pkg_id) return &p;
    }
    return nullptr;
  }
  // Offset of entry `e` in `t`, or nullopt when that configuration has no such entry.
  Result<std::optional<uint64_t>> EntryOffset(const TypeChunk& t, uint32_t e) const;
  Result<std::vector<Found>> FindEntries(uint32_t res_id) const;
  Result<ConfigValue> ReadEntry(const TypeChunk& t, uint64_t entry) const;
  Result<Value> ReadValue(uint64_t pos) const;
  std::optional<ConfigValue> Best(uint32_t res_id, const ResConfig& want) const;
  Value Follow(Value v, const ResConfig& want) const;
};

Result<std::optional<uint64_t>> ResourceTable::Impl::EntryOffset(const TypeChunk& t,
                                                                 uint32_t e) const {
  if (t.flags & FLAG_SPARSE) {
    // Sorted {uint16 idx, uint16 offset/4}; binary search as androidfw does.
    uint32_t lo = 0, hi = t.entry_count;
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      uint16_t idx = *bytes.U16At(t.offsets_pos + 4ull * mid);
      if (idx < e) {
        lo = mid + 1;
      } else if (idx > e) {
        hi = mid;
      } else {
        return std::optional<uint64_t>(t.entries_pos +
                                       4ull * *bytes.U16At(t.offsets_pos + 4ull * mid + 2));
      }
    }
    return std::optional<uint64_t>();
  }
  if (e >= t.entry_count) return std::optional<uint64_t>();
  uint64_t off;
  if (t.flags & FLAG_OFFSET16) {
    uint16_t v = *bytes.U16At(t.offsets_pos + 2ull * e);
    if (v == 0xffff) return std::optional<uint64_t>();
    off = 4ull * v;
  } else {
    uint32_t v = *bytes.U32At(t.offsets_pos + 4ull * e);
    if (v == NO_ENTRY) return std::optional<uint64_t>();
    off = v;
  }
  if (off & 3) {
    return InvalidInput(fmt::format("entry offset {} not 4-aligned", off))
        .At(kFile, fmt::format("ResTable_type.entries[{}]", e), t.offsets_pos);
  }
  return std::optional<uint64_t>(t.entries_pos + off);
}

Result<std::vector<ResourceTable::Impl::Found>> ResourceTable::Impl::FindEntries(
    uint32_t res_id) const {
  std::vector<Found> out;
  const PackageIndex* p = FindPackage(res_id >> 24);
  uint32_t type = (res_id >> 16) & 0xff;
  if (p == nullptr || type == 0 || type > p->types.size()) return out;
  for (const TypeChunk& t : p->types[type - 1].chunks) {
    ASSIGN_OR_RETURN(std::optional<uint64_t> off, EntryOffset(t, res_id & 0xffff));
    if (!off) continue;
    if (*off >= t.end || t.end - *off < 8) {
      return InvalidInput(fmt::format("entry of 0x{:08x} at {} outside its type chunk [{}, {})",
                                      res_id, *off, t.offset, t.end))
          .At(kFile, "ResTable_entry", *off);
    }
    out.push_back({&t, *off});
  }
  return out;
}

Result<Value> ResourceTable::Impl::ReadValue(uint64_t pos) const {
  auto type = bytes.U8At(pos + 3);
  auto data = bytes.U32At(pos + 4);
  if (!type || !data) return Truncated("Res_value runs past the file").At(kFile, "Res_value", pos);
  Value v;
  v.type = static_cast<ValueType>(*type);
  v.data = *data;
  if (v.type == ValueType::kString && has_global) {
    Result<std::string> s = global.Get(v.data);
    if (!s.ok()) return std::move(s).TakeStatus();
    v.string = std::move(s).value();
  }
  return v;
}

Result<ConfigValue> ResourceTable::Impl::ReadEntry(const TypeChunk& t, uint64_t entry) const {
  ConfigValue cv;
  cv.config = t.config;
  cv.offset = entry;
  uint16_t size = *bytes.U16At(entry);
  uint16_t flags = *bytes.U16At(entry + 2);
  if (flags & FLAG_COMPACT) {
    cv.value.type = static_cast<ValueType>(flags >> 8);
    cv.value.data = *bytes.U32At(entry + 4);
    if (cv.value.type == ValueType::kString && has_global) {
      ASSIGN_OR_RETURN(cv.value.string, global.Get(cv.value.data));
    }
    return cv;
  }
  if (size < 8 || size > t.end - entry) {
    return InvalidInput(fmt::format("entry size {} outside [8, {}]", size, t.end - entry))
        .At(kFile, "ResTable_entry.size", entry);
  }
  if (!(flags & FLAG_COMPLEX)) {
    if (t.end - entry - size < 8) {
      return Truncated("Res_value past the type chunk").At(kFile, "Res_value", entry + size);
    }
    ASSIGN_OR_RETURN(cv.value, ReadValue(entry + size));
    return cv;
  }
  if (size < 16) {
    return InvalidInput(fmt::format("map entry size {} < 16", size))
        .At(kFile, "ResTable_map_entry", entry);
  }
  cv.is_bag = true;
  cv.bag_parent = *bytes.U32At(entry + 8);
  uint32_t count = *bytes.U32At(entry + 12);
  uint64_t room = (t.end - entry - size) / 12;  // ResTable_map is 12 bytes
  if (count > room) {
    return InvalidInput(
               fmt::format("map count {} but only {} maps fit in the type chunk", count, room))
        .At(kFile, "ResTable_map_entry.count", entry + 12);
  }
  cv.bag.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t m = entry + size + 12ull * i;
    ASSIGN_OR_RETURN(Value v, ReadValue(m + 4));
    cv.bag.emplace_back(*bytes.U32At(m), std::move(v));
  }
  return cv;
}

std::optional<ConfigValue> ResourceTable::Impl::Best(uint32_t res_id, const ResConfig& want) const {
  Result<std::vector<Found>> found = FindEntries(res_id);
  if (!found.ok()) return std::nullopt;
  const Found* best = nullptr;
  for (const Found& f : *found) {
    if (!Matches(f.chunk->config, want)) continue;
    if (best == nullptr || IsBetter(f.chunk->config, best->chunk->config, want)) best = &f;
  }
  if (best == nullptr) return std::nullopt;
  Result<ConfigValue> cv = ReadEntry(*best->chunk, best->entry);
  if (!cv.ok()) return std::nullopt;
  return std::move(cv).value();
}

Value ResourceTable::Impl::Follow(Value v, const ResConfig& want) const {
  for (int i = 0; i < kMaxReferenceDepth && v.IsReference() && v.data != 0; ++i) {
    std::optional<ConfigValue> next = Best(v.data, want);
    if (!next || next->is_bag) break;
    v = std::move(next->value);
  }
  return v;
}

Result<ResourceTable> ResourceTable::Parse(ByteSpan bytes, const Limits& limits,
                                           Diagnostics* diagnostics) {
  auto warn = [&](std::string code, std::string structure, uint64_t off, std::string msg) {
    if (diagnostics) {
      diagnostics->Add(Severity::kWarning, std::move(code), kFile, std::move(structure), off,
                       std::move(msg));
    }
  };
  // Generic chunk check (androidfw ChunkIterator): header_size >= 8, header_size <= size, size
  // inside the parent.
  auto check_chunk = [&](uint64_t pos, uint64_t end, std::string_view what) -> Status {
    if (end - pos < 8) {
      return Truncated(fmt::format("{} bytes left, a chunk header needs 8", end - pos))
          .At(kFile, what, pos);
    }
    uint16_t hs = *bytes.U16At(pos + 2);
    uint32_t size = *bytes.U32At(pos + 4);
    if (hs < 8 || hs > size) {
      return InvalidInput(fmt::format("header_size {} outside [8, size {}]", hs, size))
          .At(kFile, what, pos);
    }
    if (size > end - pos) {
      return Truncated(fmt::format("chunk size {} extends past its parent ({} bytes left)", size,
                                   end - pos))
          .At(kFile, what, pos);
    }
    return Status::Ok();
  };

  if (bytes.size() < kTableHeaderSize) {
    return Truncated(
               fmt::format("{} bytes, ResTable_header needs {}", bytes.size(), kTableHeaderSize))
        .At(kFile, "ResTable_header", 0);
  }
  if (*bytes.U16At(0) != RES_TABLE_TYPE) {
    return InvalidInput(fmt::format("root chunk type 0x{:04x}, expected 0x0002 (RES_TABLE_TYPE)",
                                    *bytes.U16At(0)))
        .At(kFile, "ResTable_header", 0);
  }
  RETURN_IF_ERROR(check_chunk(0, bytes.size(), "ResTable_header"));
  uint16_t root_hs = *bytes.U16At(2);
  if (root_hs < kTableHeaderSize) {
    return InvalidInput(fmt::format("header_size {} < {}", root_hs, kTableHeaderSize))
        .At(kFile, "ResTable_header", 2);
  }
  const uint64_t end = *bytes.U32At(4);
  auto impl = std::make_shared<Impl>();
  impl->bytes = bytes;
  impl->limits = limits;
  uint64_t total_entries = 0;

  uint64_t pos = root_hs;
  while (pos < end) {
    RETURN_IF_ERROR(check_chunk(pos, end, "ResChunk_header"));
    uint16_t type = *bytes.U16At(pos);
    uint16_t hs = *bytes.U16At(pos + 2);
    uint32_t size = *bytes.U32At(pos + 4);
    if (type == RES_STRING_POOL_TYPE) {
      if (!impl->has_global) {
        ASSIGN_OR_RETURN(impl->global, internal::StringPool::Parse(*bytes.Slice(pos, size), pos,
                                                                   limits, diagnostics, kFile));
        impl->has_global = true;
      } else {
        warn("arsc.extra_string_pool", "ResStringPool_header", pos,
             "more than one table string pool; the first is used");
      }
    } else if (type == RES_TABLE_PACKAGE_TYPE) {
      if (hs < kPackageHeaderMin) {
        return InvalidInput(fmt::format("package header_size {} < {}", hs, kPackageHeaderMin))
            .At(kFile, "ResTable_package", pos);
      }
      ResPackage pkg;
      Impl::PackageIndex pi;
      pkg.id = pi.id = *bytes.U32At(pos + 8);
      for (int i = 0; i < 128; ++i) {
        uint16_t c = *bytes.U16At(pos + 12 + 2 * i);
        if (c == 0) break;
        internal::AppendUtf8(c, &pkg.name);
      }
      uint32_t type_strings = *bytes.U32At(pos + 268);
      uint32_t key_strings = *bytes.U32At(pos + 276);
      if (hs >= 288) pi.type_id_offset = *bytes.U32At(pos + 284);
      const uint64_t pend = pos + size;
      uint64_t cp = pos + hs;
      int pools_seen = 0;
      while (cp < pend) {
        RETURN_IF_ERROR(check_chunk(cp, pend, "ResChunk_header"));
        uint16_t ct = *bytes.U16At(cp);
        uint16_t chs = *bytes.U16At(cp + 2);
        uint32_t cs = *bytes.U32At(cp + 4);
        if (ct == RES_STRING_POOL_TYPE) {
          ASSIGN_OR_RETURN(
              internal::StringPool sp,
              internal::StringPool::Parse(*bytes.Slice(cp, cs), cp, limits, diagnostics, kFile));
          uint64_t rel = cp - pos;
          bool is_types = rel == type_strings || (rel != key_strings && pools_seen == 0);
          if (is_types && !pi.has_type_strings) {
            pi.type_strings = std::move(sp);
            pi.has_type_strings = true;
          } else if (!pi.has_key_strings) {
            pi.key_strings = std::move(sp);
            pi.has_key_strings = true;
          } else {
            warn("arsc.extra_string_pool", "ResStringPool_header", cp,
                 "extra string pool in package skipped");
          }
          ++pools_seen;
        } else if (ct == RES_TABLE_TYPE_TYPE) {
          const std::string where = "ResTable_type";
          if (chs < kTypeHeaderMin + 4) {
            return InvalidInput(fmt::format("type header_size {} < {}", chs, kTypeHeaderMin + 4))
                .At(kFile, where, cp);
          }
          uint8_t id = *bytes.U8At(cp + 8);
          Impl::TypeChunk t;
          t.offset = cp;
          t.end = cp + cs;
          t.flags = *bytes.U8At(cp + 9);
          t.entry_count = *bytes.U32At(cp + 12);
          uint32_t entries_start = *bytes.U32At(cp + 16);
          t.config = ReadConfig(*bytes.Slice(cp + kTypeHeaderMin, chs - kTypeHeaderMin));
          t.offsets_pos = cp + chs;
          t.entries_pos = cp + entries_start;
          uint32_t stride = (t.flags & FLAG_OFFSET16) && !(t.flags & FLAG_SPARSE) ? 2 : 4;
          if (id == 0) {
            warn("arsc.bad_type", where, cp + 8, "type id 0 skipped (Android rejects it)");
          } else if (entries_start < chs || entries_start > cs) {
            warn("arsc.bad_type", where, cp + 16,
                 fmt::format("entriesStart {} outside [header_size {}, size {}]; type skipped",
                             entries_start, chs, cs));
          } else if (t.entry_count > (entries_start - chs) / stride) {
            // Checked by division: entry_count * stride could overflow.
            warn("arsc.bad_type", where, cp + 12,
                 fmt::format("entryCount {} does not fit before entriesStart {}; type skipped",
                             t.entry_count, entries_start));
          } else if ((total_entries += t.entry_count) > limits.max_arsc_entries) {
            return LimitExceeded(fmt::format("more than max_arsc_entries {} entries",
                                             limits.max_arsc_entries))
                .At(kFile, where, cp + 12);
          } else {
            if (pi.types.size() < id) pi.types.resize(id);
            pi.types[id - 1].chunks.push_back(std::move(t));
          }
        } else if (ct == RES_TABLE_TYPE_SPEC_TYPE || ct == RES_TABLE_LIBRARY_TYPE ||
                   ct == RES_TABLE_OVERLAYABLE_TYPE || ct == RES_TABLE_OVERLAYABLE_POLICY_TYPE ||
                   ct == RES_TABLE_STAGED_ALIAS_TYPE) {
          // Known; nothing piaudit needs (flags/public state, shared-library maps, overlays).
        } else {
          warn("arsc.unknown_chunk", "ResChunk_header", cp,
               fmt::format("unknown chunk type 0x{:04x} in package skipped", ct));
        }
        cp += cs;
      }
      impl->packages.push_back(std::move(pkg));
      impl->index.push_back(std::move(pi));
    } else {
      warn("arsc.unknown_chunk", "ResChunk_header", pos,
           fmt::format("unknown chunk type 0x{:04x} skipped", type));
    }
    pos += size;
  }
  // Distinct locales, computed once: label resolution asks for them per attribute.
  std::set<std::string> seen;
  for (const Impl::PackageIndex& p : impl->index) {
    for (const Impl::TypeIndex& t : p.types) {
      for (const Impl::TypeChunk& c : t.chunks) {
        if (!c.config.HasLocale()) continue;
        if (!seen.insert(c.config.LocaleTag()).second) continue;
        ResConfig l;
        l.language = c.config.language;
        l.region = c.config.region;
        l.script = c.config.script;
        l.variant = c.config.variant;
        impl->locales.push_back(std::move(l));
      }
    }
  }
  std::sort(impl->locales.begin(), impl->locales.end(),
            [](const ResConfig& a, const ResConfig& b) { return a.LocaleTag() < b.LocaleTag(); });
  ResourceTable table;
  table.impl_ = std::move(impl);
  return table;
}

Result<std::vector<ConfigValue>> ResourceTable::Lookup(uint32_t res_id) const {
  std::vector<ConfigValue> out;
  if (!impl_) return out;
  ASSIGN_OR_RETURN(std::vector<Impl::Found> found, impl_->FindEntries(res_id));
  for (const Impl::Found& f : found) {
    ASSIGN_OR_RETURN(ConfigValue cv, impl_->ReadEntry(*f.chunk, f.entry));
    out.push_back(std::move(cv));
  }
  return out;
}

Result<std::vector<ConfigValue>> ResourceTable::Resolve(uint32_t res_id) const {
  ASSIGN_OR_RETURN(std::vector<ConfigValue> values, Lookup(res_id));
  for (ConfigValue& cv : values) {
    if (!cv.is_bag) cv.value = impl_->Follow(std::move(cv.value), cv.config);
  }
  return values;
}

std::optional<Value> ResourceTable::ResolveForLocale(uint32_t res_id,
                                                     const ResConfig& locale) const {
  if (!impl_) return std::nullopt;
  // The device `aapt dump badging` pretends to be: portrait, mdpi, sdk 10000, normal screen.
  ResConfig want = locale;
  want.orientation = 1;
  want.density = 160;
  want.sdk_version = 10000;
  std::optional<ConfigValue> cv = impl_->Best(res_id, want);
  if (!cv || cv->is_bag) return std::nullopt;
  return impl_->Follow(std::move(cv->value), want);
}

std::optional<std::string> ResourceTable::ResourceName(uint32_t res_id) const {
  if (!impl_) return std::nullopt;
  const Impl::PackageIndex* p = impl_->FindPackage(res_id >> 24);
  uint32_t type = (res_id >> 16) & 0xff;
  if (p == nullptr || type == 0 || type > p->types.size() || !p->has_key_strings ||
      !p->has_type_strings) {
    return std::nullopt;
  }
  Result<std::vector<Impl::Found>> found = impl_->FindEntries(res_id);
  if (!found.ok() || found->empty()) return std::nullopt;
  const Impl::Found& f = found->front();
  uint16_t flags = *impl_->bytes.U16At(f.entry + 2);
  uint32_t key =
      (flags & FLAG_COMPACT) ? *impl_->bytes.U16At(f.entry) : *impl_->bytes.U32At(f.entry + 4);
  if (type - 1 < p->type_id_offset) return std::nullopt;
  Result<std::string> tname = p->type_strings.Get(type - 1 - p->type_id_offset);
  Result<std::string> kname = p->key_strings.Get(key);
  if (!tname.ok() || !kname.ok()) return std::nullopt;
  std::string pkg;
  for (size_t i = 0; i < impl_->packages.size(); ++i) {
    if (impl_->index[i].id == p->id) pkg = impl_->packages[i].name;
  }
  return fmt::format("{}:{}/{}", pkg, *tname, *kname);
}

std::vector<uint32_t> ResourceTable::EntryIdsOfType(std::string_view type_name) const {
  std::vector<uint32_t> ids;
  if (!impl_) return ids;
  for (const Impl::PackageIndex& p : impl_->index) {
    if (!p.has_type_strings) continue;
    for (size_t t = p.type_id_offset; t < p.types.size(); ++t) {
      Result<std::string> name = p.type_strings.Get(static_cast<uint32_t>(t - p.type_id_offset));
      if (!name.ok() || *name != type_name) continue;
      const uint32_t base = (p.id << 24) | (static_cast<uint32_t>(t + 1) << 16);
      for (const Impl::TypeChunk& chunk : p.types[t].chunks) {
        if (chunk.flags & FLAG_SPARSE) {
          for (uint32_t i = 0; i < chunk.entry_count; ++i) {
            ids.push_back(base | *impl_->bytes.U16At(chunk.offsets_pos + 4ull * i));
          }
          continue;
        }
        for (uint32_t e = 0; e < chunk.entry_count && e <= 0xffff; ++e) {
          Result<std::optional<uint64_t>> off = impl_->EntryOffset(chunk, e);
          if (off.ok() && off->has_value()) ids.push_back(base | e);
        }
      }
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::vector<ResConfig> ResourceTable::Locales() const {
  return impl_ ? impl_->locales : std::vector<ResConfig>();
}

const std::vector<ResPackage>& ResourceTable::packages() const {
  static const std::vector<ResPackage> kNone;
  return impl_ ? impl_->packages : kNone;
}

bool ResConfig::IsDefault() const { return *this == ResConfig(); }

std::string ResConfig::LocaleTag() const {
  // ResTable_config::getBcp47Locale: language[-Script][-REGION][-variant].
  std::string s = language;
  if (!script.empty()) s += (s.empty() ? "" : "-") + script;
  if (!region.empty()) s += (s.empty() ? "" : "-") + region;
  if (!variant.empty()) s += (s.empty() ? "" : "-") + variant;
  return s;
}

std::string ResConfig::Qualifiers() const {
  std::vector<std::string> q;
  if (mcc) q.push_back(fmt::format("mcc{}", mcc));
  if (mnc) q.push_back(fmt::format("mnc{}", mnc));
  if (!language.empty() || !region.empty()) {
    if (!script.empty() || !variant.empty() || language.size() == 3 || region.size() == 3) {
      std::string b = "b+" + language;
      if (!script.empty()) b += "+" + script;
      if (!region.empty()) b += "+" + region;
      if (!variant.empty()) b += "+" + variant;
      q.push_back(b);
    } else {
      q.push_back(language);
      if (!region.empty()) q.back() += "-r" + region;
    }
  }
  switch (screen_layout & 0xc0) {
    case 0x40:
      q.push_back("ldltr");
      break;
    case 0x80:
      q.push_back("ldrtl");
      break;
  }
  if (smallest_screen_width_dp) q.push_back(fmt::format("sw{}dp", smallest_screen_width_dp));
  if (screen_width_dp) q.push_back(fmt::format("w{}dp", screen_width_dp));
  if (screen_height_dp) q.push_back(fmt::format("h{}dp", screen_height_dp));
  static constexpr const char* kSizes[] = {"", "small", "normal", "large", "xlarge"};
  if ((screen_layout & 0x0f) && (screen_layout & 0x0f) <= 4) {
    q.push_back(kSizes[screen_layout & 0x0f]);
  }
  if ((screen_layout & 0x30) == 0x10) q.push_back("notlong");
  if ((screen_layout & 0x30) == 0x20) q.push_back("long");
  if ((screen_layout2 & 3) == 1) q.push_back("notround");
  if ((screen_layout2 & 3) == 2) q.push_back("round");
  if ((color_mode & 3) == 1) q.push_back("nowidecg");
  if ((color_mode & 3) == 2) q.push_back("widecg");
  if ((color_mode & 0xc) == 4) q.push_back("lowdr");
  if ((color_mode & 0xc) == 8) q.push_back("highdr");
  static constexpr const char* kOrient[] = {"", "port", "land", "square"};
  if (orientation && orientation <= 3) q.push_back(kOrient[orientation]);
  static constexpr const char* kUi[] = {"",           "",          "desk",  "car",
                                        "television", "appliance", "watch", "vrheadset"};
  if ((ui_mode & 0x0f) >= 2 && (ui_mode & 0x0f) <= 7) q.push_back(kUi[ui_mode & 0x0f]);
  if ((ui_mode & 0x30) == 0x10) q.push_back("notnight");
  if ((ui_mode & 0x30) == 0x20) q.push_back("night");
  switch (density) {
    case 0:
      break;
    case 120:
      q.push_back("ldpi");
      break;
    case 160:
      q.push_back("mdpi");
      break;
    case 213:
      q.push_back("tvdpi");
      break;
    case 240:
      q.push_back("hdpi");
      break;
    case 320:
      q.push_back("xhdpi");
      break;
    case 480:
      q.push_back("xxhdpi");
      break;
    case 640:
      q.push_back("xxxhdpi");
      break;
    case 0xfffe:
      q.push_back("anydpi");
      break;
    case 0xffff:
      q.push_back("nodpi");
      break;
    default:
      q.push_back(fmt::format("{}dpi", density));
  }
  static constexpr const char* kTouch[] = {"", "notouch", "stylus", "finger"};
  if (touchscreen && touchscreen <= 3) q.push_back(kTouch[touchscreen]);
  static constexpr const char* kKeysHidden[] = {"", "keysexposed", "keyshidden", "keyssoft"};
  if (input_flags & 3) q.push_back(kKeysHidden[input_flags & 3]);
  static constexpr const char* kKeyboard[] = {"", "nokeys", "qwerty", "12key"};
  if (keyboard && keyboard <= 3) q.push_back(kKeyboard[keyboard]);
  if ((input_flags & 0xc) == 4) q.push_back("navexposed");
  if ((input_flags & 0xc) == 8) q.push_back("navhidden");
  static constexpr const char* kNav[] = {"", "nonav", "dpad", "trackball", "wheel"};
  if (navigation && navigation <= 4) q.push_back(kNav[navigation]);
  if (screen_width || screen_height) {
    q.push_back(fmt::format("{}x{}", std::max(screen_width, screen_height),
                            std::min(screen_width, screen_height)));
  }
  if (sdk_version) q.push_back(fmt::format("v{}", sdk_version));
  std::string s;
  for (const std::string& part : q) {
    if (!s.empty()) s += "-";
    s += part;
  }
  return s;
}

}  // namespace piaudit::android
