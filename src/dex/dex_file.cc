// DexFile::Open (header, map list, id tables) and the accessors that trust what Open checked.
//
// Every size check is written as "count <= (end - off) / item_size" after checking off <= end, so
// no product or sum can overflow (ART's CheckListSize does the same). Offsets are checked against
// file_size, never against the buffer, so trailing bytes after file_size are never read.
#include "dex/dex_file.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "dex/checksum.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/internal/dex_structs.h"
#include "dex/mutf8.h"

namespace piaudit::dex {
namespace {

using namespace internal;  // NOLINT: the on-disk constants

std::string Fmt(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string Fmt(const char* format, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, format);
  vsnprintf(buf, sizeof(buf), format, ap);
  va_end(ap);
  return buf;
}

std::string Indexed(const char* table, uint32_t i) { return Fmt("%s[%u]", table, i); }

// Little-endian loads from a span already known to contain the bytes (checked by the caller).
inline uint32_t U32(ByteSpan b, size_t off) {
  const uint8_t* p = b.data() + off;
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
inline uint16_t U16(ByteSpan b, size_t off) {
  const uint8_t* p = b.data() + off;
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}

}  // namespace

std::string MethodRef::ToString() const { return class_descriptor + "->" + name + proto; }
std::string FieldRef::ToString() const { return class_descriptor + "->" + name + ":" + type; }

Status DexFile::Error(Status s, std::string_view structure, uint64_t offset) const {
  return std::move(s.At(name_, structure, offset));
}

Result<DexFile> DexFile::Open(ByteSpan bytes, std::string name, const Limits& limits,
                              Diagnostics* diagnostics) {
  DexFile f;
  f.name_ = std::move(name);
  if (bytes.size() < kHeaderSize) {
    return f.Error(
        Truncated(Fmt("file is %zu bytes, a dex header needs %u", bytes.size(), kHeaderSize)),
        "header", 0);
  }
  const uint8_t* m = bytes.data();
  if (std::memcmp(m, "dex\n", 4) != 0 || m[7] != 0) {
    return f.Error(InvalidInput("bad magic (not a dex file)"), "header.magic", 0);
  }
  if (m[4] < '0' || m[4] > '9' || m[5] < '0' || m[5] > '9' || m[6] < '0' || m[6] > '9') {
    return f.Error(InvalidInput("bad version digits in magic"), "header.magic", 4);
  }
  uint32_t version = (m[4] - '0') * 100 + (m[5] - '0') * 10 + (m[6] - '0');
  if (version < 35 || version > 41 || version == 36) {
    // 036 was never used (it collided with a pre-release format); 042+ does not exist yet.
    return f.Error(Unsupported(Fmt("dex version %03u, supported 035 and 037-041", version)),
                   "header.magic", 4);
  }
  f.header_.version = version;
  uint32_t endian = U32(bytes, kOffEndianTag);
  if (endian == kReverseEndianConstant) {
    return f.Error(Unsupported("big-endian dex (endian_tag 0x78563412)"), "header.endian_tag",
                   kOffEndianTag);
  }
  if (endian != kEndianConstant) {
    return f.Error(InvalidInput(Fmt("endian_tag 0x%08x, expected 0x12345678", endian)),
                   "header.endian_tag", kOffEndianTag);
  }
  f.header_.checksum = U32(bytes, kOffChecksum);
  std::memcpy(f.header_.signature.data(), m + kOffSignature, 20);
  f.header_.file_size = U32(bytes, kOffFileSize);
  f.header_.header_size = U32(bytes, kOffHeaderSize);
  uint32_t expected_header = version >= 41 ? kHeaderSizeV41 : kHeaderSize;
  if (f.header_.header_size != expected_header) {
    return f.Error(InvalidInput(Fmt("header_size 0x%x, expected 0x%x for version %03u",
                                    f.header_.header_size, expected_header, version)),
                   "header.header_size", kOffHeaderSize);
  }
  if (f.header_.file_size < expected_header) {
    return f.Error(InvalidInput(Fmt("file_size %u is smaller than the header (%u)",
                                    f.header_.file_size, expected_header)),
                   "header.file_size", kOffFileSize);
  }
  if (f.header_.file_size > bytes.size()) {
    return f.Error(Truncated(Fmt("file_size %u but only %zu bytes present", f.header_.file_size,
                                 bytes.size())),
                   "header.file_size", kOffFileSize);
  }
  if (version >= 41) {
    // DEX 041 may pack several dex files in one container with a shared data section. We read
    // the common single-dex case (header_offset 0, container_size == file_size).
    uint32_t container_size = U32(bytes, kOffContainerSize);
    uint32_t header_offset = U32(bytes, kOffHeaderOffset);
    if (header_offset != 0 || container_size != f.header_.file_size) {
      return f.Error(Unsupported(Fmt("multi-dex container (container_size %u, header_offset %u)",
                                     container_size, header_offset)),
                     "header.container_size", kOffContainerSize);
    }
  }
  // Every later check is linear in file_size, so the size is the one budget that matters here.
  if (f.header_.file_size > limits.max_entry_inflated_bytes) {
    return f.Error(
        LimitExceeded(Fmt("file_size %u > limit %llu", f.header_.file_size,
                          static_cast<unsigned long long>(limits.max_entry_inflated_bytes))),
        "header.file_size", kOffFileSize);
  }
  // Everything after file_size is ignored (ART refuses such files; a scanner need not).
  f.bytes_ = ByteSpan(bytes.data(), f.header_.file_size);
  f.header_.map_off = U32(bytes, kOffMapOff);
  f.header_.data_size = U32(bytes, kOffDataSize);
  f.header_.data_off = U32(bytes, kOffDataOff);
  const uint32_t file_size = f.header_.file_size;

  struct TableSpec {
    Table* table;
    const char* name;
    uint32_t size_field;
    uint32_t item_size;
  };
  const TableSpec specs[] = {
      {&f.string_ids_, "string_ids", kOffStringIdsSize, kStringIdItemSize},
      {&f.type_ids_, "type_ids", kOffTypeIdsSize, kTypeIdItemSize},
      {&f.proto_ids_, "proto_ids", kOffProtoIdsSize, kProtoIdItemSize},
      {&f.field_ids_, "field_ids", kOffFieldIdsSize, kFieldIdItemSize},
      {&f.method_ids_, "method_ids", kOffMethodIdsSize, kMethodIdItemSize},
      {&f.class_defs_, "class_defs", kOffClassDefsSize, kClassDefItemSize},
  };
  for (const TableSpec& s : specs) {
    uint32_t size = U32(bytes, s.size_field);
    uint32_t off = U32(bytes, s.size_field + 4);
    if (size == 0) continue;  // the offset of an empty table is meaningless (should be 0)
    if (off % 4 != 0) {
      return f.Error(InvalidInput(Fmt("%s_off 0x%x is not 4-byte aligned", s.name, off)), "header",
                     s.size_field + 4);
    }
    if (off < expected_header || off > file_size || size > (file_size - off) / s.item_size) {
      return f.Error(InvalidInput(Fmt("%s_size %u at %s_off 0x%x does not fit in file_size %u",
                                      s.name, size, s.name, off, file_size)),
                     "header", s.size_field);
    }
    *s.table = Table{size, off};
  }
  // type and proto indices are 16-bit in field_ids/method_ids; larger tables are unusable.
  if (f.type_ids_.size > 65536) {
    return f.Error(InvalidInput(Fmt("type_ids_size %u > 65536", f.type_ids_.size)), "header",
                   kOffTypeIdsSize);
  }
  if (f.proto_ids_.size > 65536) {
    return f.Error(InvalidInput(Fmt("proto_ids_size %u > 65536", f.proto_ids_.size)), "header",
                   kOffProtoIdsSize);
  }
  if (f.header_.data_size != 0 &&
      (f.header_.data_off > file_size || f.header_.data_size > file_size - f.header_.data_off)) {
    return f.Error(InvalidInput(Fmt("data section [0x%x, +0x%x) outside file_size %u",
                                    f.header_.data_off, f.header_.data_size, file_size)),
                   "header.data_off", kOffDataOff);
  }
  RETURN_IF_ERROR(f.CheckMapList());
  Diagnostic invalid_string;  // the first one; reported only if the file opens
  RETURN_IF_ERROR(f.CheckStringIds(&invalid_string));
  RETURN_IF_ERROR(f.CheckTypeIds());
  RETURN_IF_ERROR(f.CheckProtoIds());
  RETURN_IF_ERROR(f.CheckFieldIds());
  RETURN_IF_ERROR(f.CheckMethodIds());
  RETURN_IF_ERROR(f.CheckCallSites());
  RETURN_IF_ERROR(f.CheckMethodHandles());
  if (f.invalid_strings_ != 0 && diagnostics != nullptr) {
    diagnostics->Add(std::move(invalid_string));
  }
  return f;
}

Status DexFile::CheckMapList() {
  const uint32_t file_size = header_.file_size;
  const uint32_t off = header_.map_off;
  if (off == 0) return Status();  // tolerated: only call sites and method handles need the map
  if (off % 4 != 0 || off > file_size || file_size - off < 4) {
    return Error(
        InvalidInput(Fmt("map_off 0x%x is unaligned or outside file_size %u", off, file_size)),
        "header.map_off", kOffMapOff);
  }
  uint32_t count = U32(bytes_, off);
  if (count > (file_size - off - 4) / kMapItemSize) {
    return Error(Truncated(Fmt("map_list size %u does not fit in the %u bytes left", count,
                               file_size - off - 4)),
                 "map_list", off);
  }
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t item = off + 4 + i * kMapItemSize;
    const uint16_t type = U16(bytes_, item);
    const uint32_t size = U32(bytes_, item + 4);
    const uint32_t item_off = U32(bytes_, item + 8);
    if (size != 0 && item_off > file_size) {
      return Error(InvalidInput(Fmt("type 0x%04x offset 0x%x outside file_size %u", type, item_off,
                                    file_size)),
                   Indexed("map_list", i), item);
    }
    const Table* header_table = nullptr;
    const char* table_name = "";
    switch (type) {
      case kDexTypeStringIdItem:
        header_table = &string_ids_;
        table_name = "string_ids";
        break;
      case kDexTypeTypeIdItem:
        header_table = &type_ids_;
        table_name = "type_ids";
        break;
      case kDexTypeProtoIdItem:
        header_table = &proto_ids_;
        table_name = "proto_ids";
        break;
      case kDexTypeFieldIdItem:
        header_table = &field_ids_;
        table_name = "field_ids";
        break;
      case kDexTypeMethodIdItem:
        header_table = &method_ids_;
        table_name = "method_ids";
        break;
      case kDexTypeClassDefItem:
        header_table = &class_defs_;
        table_name = "class_defs";
        break;
      case kDexTypeCallSiteIdItem:
      case kDexTypeMethodHandleItem: {
        const uint32_t item_size =
            type == kDexTypeCallSiteIdItem ? kCallSiteIdItemSize : kMethodHandleItemSize;
        if (item_off % 4 != 0 || size > (file_size - item_off) / item_size) {
          return Error(
              InvalidInput(Fmt("%s: %u items at 0x%x do not fit in file_size %u",
                               type == kDexTypeCallSiteIdItem ? "call_site_ids" : "method_handles",
                               size, item_off, file_size)),
              Indexed("map_list", i), item);
        }
        Table& t = type == kDexTypeCallSiteIdItem ? call_site_ids_ : method_handles_;
        t = Table{size, size == 0 ? 0 : item_off};
        break;
      }
      default:
        break;  // data items are checked where they are used
    }
    // The id tables appear in both the header and the map; ART rejects a disagreement, and so do
    // we: a reader trusting one and a tool trusting the other would see different code.
    if (header_table != nullptr && size != 0 &&
        (header_table->size != size || header_table->off != item_off)) {
      return Error(
          InvalidInput(Fmt("map says %s has %u items at 0x%x, header says %u at 0x%x", table_name,
                           size, item_off, header_table->size, header_table->off)),
          Indexed("map_list", i), item);
    }
  }
  return Status();
}

Status DexFile::CheckStringIds(Diagnostic* first_invalid) {
  const uint32_t file_size = header_.file_size;
  // Finding each string's NUL is linear in the string data when strings do not overlap, as in
  // every real file. Overlapping ids (a million ids pointing at one long run of non-NUL bytes)
  // would make it quadratic, so the total scanned is capped at twice the file size. The MUTF-8
  // check below reads the same bytes again, so it is under the same cap.
  uint64_t scan_budget = 2ull * file_size + 4096;
  for (uint32_t i = 0; i < string_ids_.size; ++i) {
    const uint32_t id_off = string_ids_.off + i * kStringIdItemSize;
    const uint32_t data_off = U32(bytes_, id_off);
    if (data_off >= file_size) {
      return Error(
          InvalidInput(Fmt("string_data_off 0x%x outside file_size %u", data_off, file_size)),
          Indexed("string_ids", i), id_off);
    }
    Reader r(bytes_, data_off);
    uint32_t utf16_size;
    if (!r.ReadUleb128(&utf16_size)) {
      return Error(Truncated("utf16_size is not a valid ULEB128"), Indexed("string_data", i),
                   data_off);
    }
    const uint8_t* start = bytes_.data() + r.offset();
    const void* nul = std::memchr(start, 0, r.remaining());
    if (nul == nullptr) {
      return Error(Truncated("string data has no terminating NUL before the end of the file"),
                   Indexed("string_data", i), data_off);
    }
    const uint64_t scanned = static_cast<const uint8_t*>(nul) - start + 1;
    if (scanned > scan_budget) {
      return Error(LimitExceeded("string data items overlap: scanned more than twice the file"),
                   Indexed("string_data", i), data_off);
    }
    scan_budget -= scanned;
    // ART's DexFileVerifier::CheckIntraStringDataItem rejects the whole file when a string is not
    // exactly utf16_size units of MUTF-8 (mutf8.h). We keep the file, since the rest of its code
    // is what an auditor needs, and report an error: a device refuses this dex, so either the app
    // does not run as shipped or this is not the code that runs (a decoy for analysers).
    const std::string_view data(reinterpret_cast<const char*>(start), scanned - 1);
    if (std::optional<Mutf8Error> bad = CheckMutf8(data, utf16_size)) {
      if (invalid_strings_++ == 0) {
        *first_invalid = Diagnostic{Severity::kError,
                                    "dex.invalid_mutf8",
                                    name_,
                                    Indexed("string_ids", i),
                                    r.offset() + bad->offset,
                                    /*has_offset=*/true,
                                    Fmt("string_data_off 0x%x: ", data_off) + bad->message};
      }
    }
  }
  if (invalid_strings_ != 0) {
    // One diagnostic for all of them: a hostile file may have millions, which would crowd every
    // other anomaly out of the report.
    if (invalid_strings_ > 1) {
      first_invalid->message += Fmt(" (and %u more strings)", invalid_strings_ - 1);
    }
    first_invalid->message +=
        "; ART's verifier rejects this file (CheckIntraStringDataItem); read anyway, with U+FFFD "
        "for the bad bytes";
  }
  return Status();
}

Status DexFile::CheckTypeIds() {
  for (uint32_t i = 0; i < type_ids_.size; ++i) {
    const uint32_t off = type_ids_.off + i * kTypeIdItemSize;
    const uint32_t s = U32(bytes_, off);
    if (s >= string_ids_.size) {
      return Error(
          InvalidInput(Fmt("descriptor_idx %u >= string_ids_size %u", s, string_ids_.size)),
          Indexed("type_ids", i), off);
    }
  }
  return Status();
}

Result<TypeList> DexFile::ReadTypeList(uint32_t off, std::string_view structure,
                                       uint32_t max_size) const {
  const uint32_t file_size = header_.file_size;
  if (off % 4 != 0 || off > file_size || file_size - off < 4) {
    return Error(InvalidInput(Fmt("type_list offset 0x%x unaligned or outside file_size %u", off,
                                  file_size)),
                 structure, off);
  }
  const uint32_t size = U32(bytes_, off);
  if (size > max_size) {
    return Error(InvalidInput(Fmt("type_list size %u > %u", size, max_size)), structure, off);
  }
  if (size > (file_size - off - 4) / 2) {
    return Error(Truncated(Fmt("type_list size %u does not fit in the %u bytes left", size,
                               file_size - off - 4)),
                 structure, off);
  }
  for (uint32_t i = 0; i < size; ++i) {
    const uint32_t t = U16(bytes_, off + 4 + 2 * i);
    if (t >= type_ids_.size) {
      return Error(
          InvalidInput(Fmt("type_list[%u] type_idx %u >= type_ids_size %u", i, t, type_ids_.size)),
          structure, off + 4 + 2 * i);
    }
  }
  return TypeList(ByteSpan(bytes_.data() + off + 4, size * 2), size);
}

Status DexFile::CheckProtoIds() {
  for (uint32_t i = 0; i < proto_ids_.size; ++i) {
    const uint32_t off = proto_ids_.off + i * kProtoIdItemSize;
    const uint32_t shorty = U32(bytes_, off);
    const uint32_t ret = U32(bytes_, off + 4);
    const uint32_t params = U32(bytes_, off + 8);
    if (shorty >= string_ids_.size) {
      return Error(
          InvalidInput(Fmt("shorty_idx %u >= string_ids_size %u", shorty, string_ids_.size)),
          Indexed("proto_ids", i), off);
    }
    if (ret >= type_ids_.size) {
      return Error(InvalidInput(Fmt("return_type_idx %u >= type_ids_size %u", ret, type_ids_.size)),
                   Indexed("proto_ids", i), off + 4);
    }
    if (params != 0) {
      // The JVM allows at most 255 parameter slots; the cap also keeps this loop linear when many
      // protos share one (hostile, huge) list.
      Result<TypeList> list = ReadTypeList(params, Indexed("proto_ids", i) + ".parameters", 255);
      if (!list.ok()) return std::move(list).TakeStatus();
    }
  }
  return Status();
}

Status DexFile::CheckFieldIds() {
  for (uint32_t i = 0; i < field_ids_.size; ++i) {
    const uint32_t off = field_ids_.off + i * kFieldIdItemSize;
    const uint32_t cls = U16(bytes_, off);
    const uint32_t type = U16(bytes_, off + 2);
    const uint32_t name = U32(bytes_, off + 4);
    if (cls >= type_ids_.size || type >= type_ids_.size) {
      return Error(InvalidInput(Fmt("class_idx %u / type_idx %u >= type_ids_size %u", cls, type,
                                    type_ids_.size)),
                   Indexed("field_ids", i), off);
    }
    if (name >= string_ids_.size) {
      return Error(InvalidInput(Fmt("name_idx %u >= string_ids_size %u", name, string_ids_.size)),
                   Indexed("field_ids", i), off + 4);
    }
  }
  return Status();
}

Status DexFile::CheckMethodIds() {
  for (uint32_t i = 0; i < method_ids_.size; ++i) {
    const uint32_t off = method_ids_.off + i * kMethodIdItemSize;
    const uint32_t cls = U16(bytes_, off);
    const uint32_t proto = U16(bytes_, off + 2);
    const uint32_t name = U32(bytes_, off + 4);
    if (cls >= type_ids_.size) {
      return Error(InvalidInput(Fmt("class_idx %u >= type_ids_size %u", cls, type_ids_.size)),
                   Indexed("method_ids", i), off);
    }
    if (proto >= proto_ids_.size) {
      return Error(InvalidInput(Fmt("proto_idx %u >= proto_ids_size %u", proto, proto_ids_.size)),
                   Indexed("method_ids", i), off + 2);
    }
    if (name >= string_ids_.size) {
      return Error(InvalidInput(Fmt("name_idx %u >= string_ids_size %u", name, string_ids_.size)),
                   Indexed("method_ids", i), off + 4);
    }
  }
  return Status();
}

Status DexFile::CheckCallSites() {
  for (uint32_t i = 0; i < call_site_ids_.size; ++i) {
    const uint32_t off = call_site_ids_.off + i * kCallSiteIdItemSize;
    const uint32_t data = U32(bytes_, off);
    if (data >= header_.file_size) {
      return Error(
          InvalidInput(Fmt("call_site_off 0x%x outside file_size %u", data, header_.file_size)),
          Indexed("call_site_ids", i), off);
    }
  }
  return Status();
}

Status DexFile::CheckMethodHandles() {
  for (uint32_t i = 0; i < method_handles_.size; ++i) {
    const uint32_t off = method_handles_.off + i * kMethodHandleItemSize;
    const uint32_t type = U16(bytes_, off);
    const uint32_t target = U16(bytes_, off + 4);
    if (type > 8) {
      return Error(InvalidInput(Fmt("method_handle_type %u > 8", type)),
                   Indexed("method_handles", i), off);
    }
    const uint32_t limit = type <= 3 ? field_ids_.size : method_ids_.size;
    if (target >= limit) {
      return Error(InvalidInput(Fmt("%s %u >= %s_size %u", type <= 3 ? "field_idx" : "method_idx",
                                    target, type <= 3 ? "field_ids" : "method_ids", limit)),
                   Indexed("method_handles", i), off + 4);
    }
  }
  return Status();
}

Status DexFile::VerifyChecksum() const {
  const uint32_t actual = Adler32(bytes_.From(kOffSignature));
  if (actual != header_.checksum) {
    return Error(
        InvalidInput(Fmt("adler32 checksum 0x%08x, header says 0x%08x", actual, header_.checksum)),
        "header.checksum", kOffChecksum);
  }
  return Status();
}

Status DexFile::VerifySignature() const {
  const std::array<uint8_t, 20> actual = Sha1(bytes_.From(kOffFileSize));
  if (actual != header_.signature) {
    return Error(InvalidInput("SHA-1 signature does not match the file"), "header.signature",
                 kOffSignature);
  }
  return Status();
}

// Precondition for all accessors below: Open checked the table and the index ranges they read.

std::string_view DexFile::StringData(uint32_t idx) const {
  const uint32_t data_off = U32(bytes_, string_ids_.off + idx * kStringIdItemSize);
  Reader r(bytes_, data_off);
  uint32_t utf16_size;
  (void)r.ReadUleb128(&utf16_size);  // checked by CheckStringIds
  const char* start = reinterpret_cast<const char*>(bytes_.data() + r.offset());
  const void* nul = std::memchr(start, 0, r.remaining());
  return std::string_view(start, static_cast<const char*>(nul) - start);
}

std::string_view DexFile::GetStringView(uint32_t idx, std::string* scratch) const {
  std::string_view raw = StringData(idx);
  if (IsAscii(raw)) return raw;
  scratch->clear();
  AppendMutf8AsUtf8(raw, scratch);
  return *scratch;
}

std::string DexFile::GetString(uint32_t idx) const {
  std::string scratch;
  std::string_view v = GetStringView(idx, &scratch);
  return std::string(v);
}

uint32_t DexFile::TypeStringIndex(uint32_t type_idx) const {
  return U32(bytes_, type_ids_.off + type_idx * kTypeIdItemSize);
}

std::string_view DexFile::TypeDescriptor(uint32_t type_idx, std::string* scratch) const {
  return GetStringView(TypeStringIndex(type_idx), scratch);
}

std::string DexFile::TypeName(uint32_t type_idx) const {
  return GetString(TypeStringIndex(type_idx));
}

ProtoId DexFile::GetProtoId(uint32_t idx) const {
  const uint32_t off = proto_ids_.off + idx * kProtoIdItemSize;
  return ProtoId{U32(bytes_, off), U32(bytes_, off + 4), U32(bytes_, off + 8)};
}

TypeList DexFile::ProtoParameters(uint32_t proto_idx) const {
  const uint32_t params = GetProtoId(proto_idx).parameters_off;
  if (params == 0) return TypeList();
  const uint32_t size = U32(bytes_, params);
  return TypeList(ByteSpan(bytes_.data() + params + 4, size * 2), size);
}

std::string DexFile::ProtoString(uint32_t proto_idx) const {
  std::string out = "(";
  std::string scratch;
  TypeList params = ProtoParameters(proto_idx);
  for (uint32_t i = 0; i < params.size(); ++i) out += TypeDescriptor(params[i], &scratch);
  out += ')';
  out += TypeDescriptor(GetProtoId(proto_idx).return_type, &scratch);
  return out;
}

FieldId DexFile::GetFieldId(uint32_t idx) const {
  const uint32_t off = field_ids_.off + idx * kFieldIdItemSize;
  return FieldId{U16(bytes_, off), U16(bytes_, off + 2), U32(bytes_, off + 4)};
}

MethodId DexFile::GetMethodId(uint32_t idx) const {
  const uint32_t off = method_ids_.off + idx * kMethodIdItemSize;
  return MethodId{U16(bytes_, off), U16(bytes_, off + 2), U32(bytes_, off + 4)};
}

MethodRef DexFile::GetMethodRef(uint32_t method_idx) const {
  const MethodId id = GetMethodId(method_idx);
  return MethodRef{TypeName(id.class_type), GetString(id.name), ProtoString(id.proto)};
}

FieldRef DexFile::GetFieldRef(uint32_t field_idx) const {
  const FieldId id = GetFieldId(field_idx);
  return FieldRef{TypeName(id.class_type), GetString(id.name), TypeName(id.type)};
}

void DexFile::AppendMethodRef(uint32_t method_idx, std::string* out) const {
  const MethodId id = GetMethodId(method_idx);
  std::string scratch;
  out->append(TypeDescriptor(id.class_type, &scratch));
  out->append("->");
  out->append(GetStringView(id.name, &scratch));
  out->push_back('(');
  TypeList params = ProtoParameters(id.proto);
  for (uint32_t i = 0; i < params.size(); ++i) out->append(TypeDescriptor(params[i], &scratch));
  out->push_back(')');
  out->append(TypeDescriptor(GetProtoId(id.proto).return_type, &scratch));
}

void DexFile::AppendFieldRef(uint32_t field_idx, std::string* out) const {
  const FieldId id = GetFieldId(field_idx);
  std::string scratch;
  out->append(TypeDescriptor(id.class_type, &scratch));
  out->append("->");
  out->append(GetStringView(id.name, &scratch));
  out->push_back(':');
  out->append(TypeDescriptor(id.type, &scratch));
}

std::string DexFile::MethodRefString(uint32_t method_idx) const {
  std::string out;
  AppendMethodRef(method_idx, &out);
  return out;
}

std::string DexFile::FieldRefString(uint32_t field_idx) const {
  std::string out;
  AppendFieldRef(field_idx, &out);
  return out;
}

MethodHandle DexFile::GetMethodHandle(uint32_t idx) const {
  const uint32_t off = method_handles_.off + idx * kMethodHandleItemSize;
  return MethodHandle{U16(bytes_, off), U16(bytes_, off + 4)};
}

uint32_t DexFile::CallSiteOffset(uint32_t idx) const {
  return U32(bytes_, call_site_ids_.off + idx * kCallSiteIdItemSize);
}

Result<ClassDef> DexFile::GetClassDef(uint32_t idx) const {
  const uint32_t off = class_defs_.off + idx * kClassDefItemSize;
  const std::string structure = Indexed("class_defs", idx);
  const uint32_t file_size = header_.file_size;
  ClassDef def;
  def.index = idx;
  def.class_type = U32(bytes_, off);
  def.access_flags = U32(bytes_, off + 4);
  def.superclass = U32(bytes_, off + 8);
  const uint32_t interfaces_off = U32(bytes_, off + 12);
  def.source_file = U32(bytes_, off + 16);
  def.annotations_off = U32(bytes_, off + 20);
  def.class_data_off = U32(bytes_, off + 24);
  def.static_values_off = U32(bytes_, off + 28);
  if (def.class_type >= type_ids_.size) {
    return Error(
        InvalidInput(Fmt("class_idx %u >= type_ids_size %u", def.class_type, type_ids_.size)),
        structure, off);
  }
  if (def.superclass != kNoIndex && def.superclass >= type_ids_.size) {
    return Error(
        InvalidInput(Fmt("superclass_idx %u >= type_ids_size %u", def.superclass, type_ids_.size)),
        structure, off + 8);
  }
  if (interfaces_off != 0) {
    // interfaces_count is a u2 in class files, so 65535 bounds the work per class.
    Result<TypeList> list = ReadTypeList(interfaces_off, structure + ".interfaces", 65535);
    if (!list.ok()) return std::move(list).TakeStatus();
    def.interfaces = *list;
  }
  if (def.source_file != kNoIndex && def.source_file >= string_ids_.size) {
    return Error(InvalidInput(Fmt("source_file_idx %u >= string_ids_size %u", def.source_file,
                                  string_ids_.size)),
                 structure, off + 16);
  }
  const struct {
    uint32_t value;
    const char* name;
    uint32_t field;
  } offs[] = {{def.annotations_off, "annotations_off", 20},
              {def.class_data_off, "class_data_off", 24},
              {def.static_values_off, "static_values_off", 28}};
  for (const auto& o : offs) {
    if (o.value != 0 && (o.value < header_.header_size || o.value >= file_size)) {
      return Error(InvalidInput(Fmt("%s 0x%x outside [header_size, file_size %u)", o.name, o.value,
                                    file_size)),
                   structure, off + o.field);
    }
  }
  return def;
}

Status DexFile::ReadClassData(const ClassDef& def, ClassData* out) const {
  out->Clear();
  if (def.class_data_off == 0) return Status();
  const std::string structure = Indexed("class_defs", def.index) + ".class_data";
  // Precondition: GetClassDef checked class_data_off < file_size.
  Reader r(bytes_, def.class_data_off);
  uint32_t sizes[4];
  for (uint32_t& s : sizes) {
    if (!r.ReadUleb128(&s)) {
      return Error(Truncated("class_data header is not four valid ULEB128 values"), structure,
                   r.offset());
    }
  }
  // Each field entry takes at least 2 bytes, each method at least 3: bound the counts by what is
  // left before reserving memory for them.
  const uint64_t fields = static_cast<uint64_t>(sizes[0]) + sizes[1];
  const uint64_t methods = static_cast<uint64_t>(sizes[2]) + sizes[3];
  if (fields * 2 + methods * 3 > r.remaining()) {
    return Error(Truncated(Fmt("%u+%u fields and %u+%u methods cannot fit in the %zu bytes left",
                               sizes[0], sizes[1], sizes[2], sizes[3], r.remaining())),
                 structure, def.class_data_off);
  }
  out->static_fields.reserve(sizes[0]);
  out->instance_fields.reserve(sizes[1]);
  out->direct_methods.reserve(sizes[2]);
  out->virtual_methods.reserve(sizes[3]);
  for (int list = 0; list < 2; ++list) {
    std::vector<EncodedField>& v = list == 0 ? out->static_fields : out->instance_fields;
    uint32_t idx = 0;
    for (uint32_t i = 0; i < sizes[list]; ++i) {
      const size_t at = r.offset();
      uint32_t diff, flags;
      if (!r.ReadUleb128(&diff) || !r.ReadUleb128(&flags)) {
        return Error(Truncated("encoded_field is not valid ULEB128"), structure, at);
      }
      if (diff > UINT32_MAX - idx || idx + diff >= field_ids_.size) {
        return Error(
            InvalidInput(Fmt("%s_fields[%u]: field_idx %u + diff %u >= field_ids_size %u",
                             list == 0 ? "static" : "instance", i, idx, diff, field_ids_.size)),
            structure, at);
      }
      idx += diff;
      v.push_back(EncodedField{idx, flags});
    }
  }
  for (int list = 0; list < 2; ++list) {
    std::vector<EncodedMethod>& v = list == 0 ? out->direct_methods : out->virtual_methods;
    uint32_t idx = 0;
    for (uint32_t i = 0; i < sizes[2 + list]; ++i) {
      const size_t at = r.offset();
      uint32_t diff, flags, code_off;
      if (!r.ReadUleb128(&diff) || !r.ReadUleb128(&flags) || !r.ReadUleb128(&code_off)) {
        return Error(Truncated("encoded_method is not valid ULEB128"), structure, at);
      }
      if (diff > UINT32_MAX - idx || idx + diff >= method_ids_.size) {
        return Error(
            InvalidInput(Fmt("%s_methods[%u]: method_idx %u + diff %u >= method_ids_size %u",
                             list == 0 ? "direct" : "virtual", i, idx, diff, method_ids_.size)),
            structure, at);
      }
      idx += diff;
      v.push_back(EncodedMethod{idx, flags, code_off, list == 1});
    }
  }
  return Status();
}

Result<CodeItem> DexFile::GetCodeItem(uint32_t code_off) const {
  const uint32_t file_size = header_.file_size;
  const char* structure = "code_item";
  // code_items are 4-byte aligned and live after the header; one pointing into the header or the
  // id tables is a classic way to make a tool decode different bytes than the runtime.
  if (code_off % 4 != 0 || code_off < header_.header_size || code_off > file_size ||
      file_size - code_off < kCodeItemHeaderSize) {
    return Error(InvalidInput(Fmt("code_off 0x%x unaligned, inside the header, or past "
                                  "file_size %u",
                                  code_off, file_size)),
                 structure, code_off);
  }
  CodeItem c;
  c.offset = code_off;
  c.registers_size = U16(bytes_, code_off);
  c.ins_size = U16(bytes_, code_off + 2);
  c.outs_size = U16(bytes_, code_off + 4);
  c.tries_size = U16(bytes_, code_off + 6);
  c.debug_info_off = U32(bytes_, code_off + 8);
  c.insns_size = U32(bytes_, code_off + 12);
  if (c.ins_size > c.registers_size) {
    return Error(InvalidInput(Fmt("ins_size %u > registers_size %u", c.ins_size, c.registers_size)),
                 structure, code_off + 2);
  }
  const uint32_t insns_off = code_off + kCodeItemHeaderSize;
  const uint32_t left = file_size - insns_off;
  if (c.insns_size > left / 2) {
    return Error(Truncated(Fmt("insns_size %u code units does not fit in the %u bytes left",
                               c.insns_size, left)),
                 structure, code_off + 12);
  }
  c.insns_offset = insns_off;
  c.insns = ByteSpan(bytes_.data() + insns_off, c.insns_size * 2);
  if (c.tries_size != 0) {
    uint32_t tries_off = insns_off + c.insns_size * 2;
    if (c.insns_size % 2 != 0) tries_off += 2;  // padding to 4-byte alignment
    if (tries_off > file_size || c.tries_size > (file_size - tries_off) / kTryItemSize) {
      return Error(Truncated(Fmt("tries_size %u does not fit after insns", c.tries_size)),
                   structure, code_off + 6);
    }
    c.tries = ByteSpan(bytes_.data() + tries_off, c.tries_size * kTryItemSize);
  }
  return c;
}

}  // namespace piaudit::dex
