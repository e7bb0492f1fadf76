// Test-only writer of zip archives in memory, with every field overridable so hostile variants
// (lying counts, mismatched local headers, prefixes, bombs) can be generated in code instead of
// committed as binaries.
#ifndef PIAUDIT_TESTS_CONTAINER_ZIP_BUILDER_H_
#define PIAUDIT_TESTS_CONTAINER_ZIP_BUILDER_H_

#include <zlib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace piaudit::testing {

struct ZipBuilderEntry {
  std::string name;
  std::string data;     // uncompressed contents
  uint16_t method = 8;  // 0 stored, 8 deflated, anything else written as stored bytes
  uint16_t flags = 0;
  std::optional<std::string> local_name;         // name written in the local header
  std::optional<uint32_t> crc_override;          // both headers
  std::optional<uint32_t> cd_usize_override;     // uncompressed size in the central directory
  std::optional<uint32_t> local_usize_override;  // uncompressed size in the local header
  std::optional<uint32_t> cd_offset_override;    // local header offset in the central directory
};

inline void PutU16(std::string* s, uint32_t v) {
  s->push_back(static_cast<char>(v & 0xff));
  s->push_back(static_cast<char>((v >> 8) & 0xff));
}
inline void PutU32(std::string* s, uint32_t v) {
  PutU16(s, v & 0xffff);
  PutU16(s, v >> 16);
}
inline void SetU16(std::string* s, size_t off, uint32_t v) {
  (*s)[off] = static_cast<char>(v & 0xff);
  (*s)[off + 1] = static_cast<char>((v >> 8) & 0xff);
}
inline void SetU32(std::string* s, size_t off, uint32_t v) {
  SetU16(s, off, v & 0xffff);
  SetU16(s, off + 2, v >> 16);
}

// Raw deflate (no zlib header), as zip stores it.
inline std::string Deflate(const std::string& in, int level = 9) {
  z_stream zs{};
  deflateInit2(&zs, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct ZipLayout {
  std::string bytes;
  std::vector<size_t> local_offsets;
  std::vector<size_t> central_offsets;
  size_t cd_offset = 0;
  size_t eocd_offset = 0;
};

struct ZipBuildOptions {
  std::string prefix;   // bytes before the first local header
  std::string between;  // bytes between the last entry and the CD
  std::string comment;
  std::optional<uint16_t> count_override;  // EOCD total entry count
  std::optional<uint32_t> comment_len_override;
  std::string trailing;  // bytes after the EOCD comment
};

inline ZipLayout BuildZip(const std::vector<ZipBuilderEntry>& entries,
                          const ZipBuildOptions& opt = {}) {
  ZipLayout z;
  std::string& s = z.bytes;
  s = opt.prefix;
  std::vector<std::string> payloads;
  for (const auto& e : entries) {
    std::string payload = e.method == 8 ? Deflate(e.data) : e.data;
    uint32_t crc = e.crc_override.value_or(static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size()))));
    std::string lname = e.local_name.value_or(e.name);
    z.local_offsets.push_back(s.size());
    PutU32(&s, 0x04034b50);
    PutU16(&s, 20);
    PutU16(&s, e.flags);
    PutU16(&s, e.method);
    PutU16(&s, 0);
    PutU16(&s, 0x21);
    PutU32(&s, crc);
    PutU32(&s, static_cast<uint32_t>(payload.size()));
    PutU32(&s, e.local_usize_override.value_or(static_cast<uint32_t>(e.data.size())));
    PutU16(&s, static_cast<uint32_t>(lname.size()));
    PutU16(&s, 0);
    s += lname;
    s += payload;
    payloads.push_back(std::move(payload));
  }
  s += opt.between;
  z.cd_offset = s.size();
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    uint32_t crc = e.crc_override.value_or(static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size()))));
    z.central_offsets.push_back(s.size());
    PutU32(&s, 0x02014b50);
    PutU16(&s, 20);
    PutU16(&s, 20);
    PutU16(&s, e.flags);
    PutU16(&s, e.method);
    PutU16(&s, 0);
    PutU16(&s, 0x21);
    PutU32(&s, crc);
    PutU32(&s, static_cast<uint32_t>(payloads[i].size()));
    PutU32(&s, e.cd_usize_override.value_or(static_cast<uint32_t>(e.data.size())));
    PutU16(&s, static_cast<uint32_t>(e.name.size()));
    PutU16(&s, 0);
    PutU16(&s, 0);
    PutU16(&s, 0);
    PutU16(&s, 0);
    PutU32(&s, 0);
    PutU32(&s, e.cd_offset_override.value_or(static_cast<uint32_t>(z.local_offsets[i])));
    s += e.name;
  }
  const size_t cd_size = s.size() - z.cd_offset;
  z.eocd_offset = s.size();
  const uint16_t count = opt.count_override.value_or(static_cast<uint16_t>(entries.size()));
  PutU32(&s, 0x06054b50);
  PutU16(&s, 0);
  PutU16(&s, 0);
  PutU16(&s, count);
  PutU16(&s, count);
  PutU32(&s, static_cast<uint32_t>(cd_size));
  PutU32(&s, static_cast<uint32_t>(z.cd_offset));
  PutU16(&s, opt.comment_len_override.value_or(static_cast<uint32_t>(opt.comment.size())));
  s += opt.comment;
  s += opt.trailing;
  return z;
}

}  // namespace piaudit::testing

#endif  // PIAUDIT_TESTS_CONTAINER_ZIP_BUILDER_H_
