// Zip reader that follows Android's libziparchive (system/libziparchive/zip_archive.cc) check for
// check, over a memory-mapped APK. Spec: PKWARE APPNOTE.TXT 6.3; traps: docs/formats/zip.md.
//
// Why not link Debian's android-libziparchive: it CHECK()s (aborts the process) on some inputs a
// batch auditor must survive, inflates without any budget (a 10 KB entry declaring 4 GB is
// allocated as asked), and logs anomalies to stderr instead of giving them to us, so a scan could
// neither bound its memory nor report tampering. The checks below are the same ones, in the same
// order where the order changes the verdict (EOCD search from the end, comment length must reach
// the end of the file, duplicates, Janus prefix, local header name match); tests/container compare
// our verdicts with the documented libziparchive behaviour case by case.
//
// Where we deliberately differ (each documented at the check):
//  * Android checks an entry's local header only when that entry is looked up (FindEntry), so one
//    bad local header never stops the rest of the APK from installing or loading. We check every
//    local header once at Open (the pass that also finds overlaps and bogus methods), report each
//    entry-level problem as a Diagnostic, and fail only Read of that entry, so one bad entry does
//    not hide the rest of the app from the auditor. This includes a local name that differs from
//    the central one: Android's FindEntry refuses that entry (kInconsistentInformation), nothing
//    else.
//  * An EOCD record count smaller than the records present: libziparchive reads only the declared
//    count (the rest are invisible to Android but visible to other tools); we reject it, since two
//    readers seeing two different apps is the point of such a file.
//  * Unknown compression methods are read as stored, as androidfw's asset provider (the path that
//    reads AndroidManifest.xml and resources at install) does; libziparchive's extraction API
//    refuses them. Malware (SoumniBot, 2024) sets bogus methods on the manifest to break analysers.
//  * A wrong CRC is a Diagnostic, not an error: stored entries are mmapped by Android without a
//    CRC check; for deflated ones libziparchive's extraction would refuse, which we report as an
//    error-severity diagnostic but still return the bytes, since they are what is in the file.
#include "container/zip_archive.h"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace piaudit::container {
namespace {

// On-disk record signatures and fixed sizes (APPNOTE 4.3.7, 4.3.12, 4.3.14-16).
constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr uint32_t kCentralRecordSignature = 0x02014b50;
constexpr uint32_t kEocdSignature = 0x06054b50;
constexpr uint32_t kZip64EocdSignature = 0x06064b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint64_t kLocalHeaderSize = 30;
constexpr uint64_t kCentralRecordSize = 46;
constexpr uint64_t kEocdSize = 22;
constexpr uint64_t kZip64LocatorSize = 20;
constexpr uint64_t kZip64EocdSize = 56;
constexpr uint64_t kMaxCommentLength = 0xffff;
constexpr uint16_t kZip64ExtraId = 0x0001;
constexpr uint16_t kFlagEncrypted = 0x0001;
constexpr uint16_t kFlagDataDescriptor = 0x0008;
constexpr uint16_t kMethodStored = 0;
constexpr uint16_t kMethodDeflated = 8;
// Entries whose declared or actual size is below this are never called bombs: tiny, highly
// repetitive files (an all-zero 64 KiB table) legitimately compress past 1000:1.
constexpr uint64_t kBombMinBytes = 1 << 20;

std::string Hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// Android's IsValidEntryName: valid UTF-8 (no overlongs checks beyond the lead byte ranges, as
// libziparchive) and no NUL.
bool IsValidEntryName(ByteSpan name) {
  size_t i = 0;
  while (i < name.size()) {
    uint8_t b = name[i];
    if (b == 0) return false;
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t extra;
    if ((b & 0xe0) == 0xc0) {
      extra = 1;
    } else if ((b & 0xf0) == 0xe0) {
      extra = 2;
    } else if ((b & 0xf8) == 0xf0) {
      extra = 3;
    } else {
      return false;
    }
    if (extra > name.size() - i - 1) return false;
    for (size_t k = 1; k <= extra; ++k)
      if ((name[i + k] & 0xc0) != 0x80) return false;
    i += extra + 1;
  }
  return true;
}

struct Zip64Fields {
  std::optional<uint64_t> uncompressed;
  std::optional<uint64_t> compressed;
  std::optional<uint64_t> local_offset;
};

// libziparchive's ParseZip64ExtendedInfoInExtraField: walk the extra field's (id, size) records,
// take the 0x0001 one, read the 8-byte fields for the 32-bit fields that are 0xffffffff (or all
// three when golang's writer emitted them all).
Result<Zip64Fields> ParseZip64Extra(ByteSpan extra, uint32_t u32, uint32_t c32,
                                    std::optional<uint32_t> off32) {
  size_t pos = 0;
  while (extra.size() >= 4 && pos < extra.size() - 4) {
    uint16_t id = *extra.U16At(pos);
    uint16_t size = *extra.U16At(pos + 2);
    pos += 4;
    if (size > extra.size() - pos) {
      return InvalidInput("extra field record size " + std::to_string(size) +
                          " runs past the extra field")
          .AtOffset("zip64 extra", pos);
    }
    if (id != kZip64ExtraId) {
      pos += size;
      continue;
    }
    uint16_t data_size = size == 28 ? 24 : size;  // a disk-start number is ignored, as Android
    bool complete = data_size == 24;
    Reader r(*extra.Slice(pos, data_size));
    Zip64Fields f;
    uint64_t v;
    if (u32 == 0xffffffffu || complete) {
      if (!r.ReadU64(&v)) return InvalidInput("zip64 extra lacks uncompressed size");
      f.uncompressed = v;
    }
    if (c32 == 0xffffffffu || complete) {
      if (!r.ReadU64(&v)) return InvalidInput("zip64 extra lacks compressed size");
      f.compressed = v;
    }
    if ((off32 && *off32 == 0xffffffffu) || complete) {
      if (!r.ReadU64(&v)) return InvalidInput("zip64 extra lacks local header offset");
      f.local_offset = v;
    }
    if (r.offset() == 0 || r.offset() != data_size) {
      return InvalidInput("zip64 extra size " + std::to_string(data_size) + " != fields read " +
                          std::to_string(r.offset()));
    }
    return f;
  }
  return InvalidInput("zip64 extended info not found in the extra field");
}

struct CdInfo {
  uint64_t num_records = 0;
  uint64_t cd_size = 0;
  uint64_t cd_offset = 0;
  uint64_t eocd_offset = 0;
};

Result<CdInfo> FindCentralDirectory(ByteSpan file, Diagnostics* diags, const std::string& name) {
  const uint64_t size = file.size();
  if (size < kEocdSize) {
    return InvalidInput("file of " + std::to_string(size) + " bytes is too small to be a zip")
        .AtOffset("eocd", 0);
  }
  // Bounded search: the EOCD is 22 bytes plus at most a 64 KiB comment from the end.
  const uint64_t read_amount = std::min<uint64_t>(size, kMaxCommentLength + kEocdSize);
  const uint64_t search_start = size - read_amount;
  int64_t i = static_cast<int64_t>(read_amount - kEocdSize);
  for (; i >= 0; --i) {
    if (file[search_start + i] == 0x50 && *file.U32At(search_start + i) == kEocdSignature) break;
  }
  if (i < 0) {
    return InvalidInput("end of central directory signature not found in the last " +
                        std::to_string(read_amount) + " bytes")
        .AtOffset("eocd", search_start);
  }
  CdInfo info;
  info.eocd_offset = search_start + static_cast<uint64_t>(i);
  const uint64_t eo = info.eocd_offset;
  const uint16_t disk_records = *file.U16At(eo + 8);
  const uint16_t records = *file.U16At(eo + 10);
  const uint32_t cd_size = *file.U32At(eo + 12);
  const uint32_t cd_offset = *file.U32At(eo + 16);
  const uint16_t comment_length = *file.U16At(eo + 20);
  // Android: the comment must end exactly at the end of the file. This also rejects a fake EOCD
  // planted inside a real one's comment (the backward search finds the fake one first).
  const uint64_t calculated = eo + kEocdSize + comment_length;
  if (calculated != size) {
    return InvalidInput("EOCD comment length " + std::to_string(comment_length) +
                        " does not reach the end of the file (" +
                        std::to_string(static_cast<int64_t>(size - calculated)) +
                        " extraneous bytes)")
        .AtOffset("eocd", eo);
  }
  if (disk_records != records && diags) {
    diags->Add(Severity::kWarning, "zip.eocd_disk_records", name, "eocd", eo,
               "records on this disk " + std::to_string(disk_records) + " != total records " +
                   std::to_string(records));
  }
  if (cd_size == 0xffffffffu || cd_offset == 0xffffffffu) {
    // Zip64: the locator sits right before the EOCD.
    if (eo < kZip64LocatorSize) {
      return InvalidInput("zip64 EOCD locator would start before the file").AtOffset("eocd", eo);
    }
    const uint64_t loc = eo - kZip64LocatorSize;
    if (*file.U32At(loc) != kZip64LocatorSignature) {
      return InvalidInput("zip64 EOCD locator signature not found").AtOffset("zip64 locator", loc);
    }
    const uint64_t z64_offset = *file.U64At(loc + 8);
    if (loc <= kZip64EocdSize || z64_offset > loc - kZip64EocdSize) {
      return InvalidInput("zip64 EOCD offset " + Hex(z64_offset) + " is past its locator at " +
                          Hex(loc))
          .AtOffset("zip64 locator", loc);
    }
    if (*file.U32At(z64_offset) != kZip64EocdSignature) {
      return InvalidInput("zip64 EOCD record signature not found")
          .AtOffset("zip64 eocd", z64_offset);
    }
    info.num_records = *file.U64At(z64_offset + 32);
    info.cd_size = *file.U64At(z64_offset + 40);
    info.cd_offset = *file.U64At(z64_offset + 48);
    if (z64_offset <= info.cd_size || info.cd_offset > z64_offset - info.cd_size) {
      return InvalidInput("zip64 central directory [" + Hex(info.cd_offset) + ", +" +
                          Hex(info.cd_size) + ") overlaps the zip64 EOCD at " + Hex(z64_offset))
          .AtOffset("zip64 eocd", z64_offset);
    }
    return info;
  }
  info.num_records = records;
  info.cd_size = cd_size;
  info.cd_offset = cd_offset;
  if (info.cd_size > eo || info.cd_offset > eo - info.cd_size) {
    return InvalidInput("central directory [" + Hex(info.cd_offset) + ", +" + Hex(info.cd_size) +
                        ") runs past the EOCD at " + Hex(eo))
        .AtOffset("eocd", eo);
  }
  return info;
}

// Aggregates one kind of anomaly so a hostile archive with 100k bad entries yields one
// diagnostic per kind (with the first location and a count), not 100k. It reports from its
// destructor, after Open has moved the archive (and its name) into the result, so it keeps its own
// copy of the file name.
class AnomalyCounter {
 public:
  AnomalyCounter(Diagnostics* d, std::string file) : diags_(d), file_(std::move(file)) {}
  void Note(Severity sev, const char* code, const std::string& structure, uint64_t offset,
            std::string message) {
    for (auto& k : kinds_) {
      if (k.code == code) {
        ++k.count;
        return;
      }
    }
    kinds_.push_back(Kind{sev, code, structure, offset, std::move(message), 1});
  }
  ~AnomalyCounter() {
    if (!diags_) return;
    for (auto& k : kinds_) {
      std::string msg = k.message;
      if (k.count > 1) msg += " (and " + std::to_string(k.count - 1) + " more entries)";
      diags_->Add(k.sev, k.code, file_, k.structure, k.offset, msg);
    }
  }

 private:
  struct Kind {
    Severity sev;
    std::string code;
    std::string structure;
    uint64_t offset;
    std::string message;
    uint64_t count;
  };
  Diagnostics* diags_;
  std::string file_;
  std::vector<Kind> kinds_;
};

}  // namespace

// Checks the local header of one entry as libziparchive's FindEntry does and returns the data
// offset. A failure makes only this entry unreadable, as in Android: a local name that differs from
// the central one (`name_mismatch` set: a reader trusting local headers would see another file
// there), a bad signature, or data running into the central directory. Disagreements Android's
// resource loader tolerates (sizes, CRC, data-descriptor flag) are described in *mismatch_note and
// the central values are used.
static Result<uint64_t> CheckLocalHeader(ByteSpan file, uint64_t cd_offset, const ZipEntry& e,
                                         bool* name_mismatch, std::string* mismatch_note) {
  *name_mismatch = false;
  const std::string where = "local header of '" + e.name + "'";
  const uint64_t lho = e.local_header_offset;
  // ">=": the name that follows cannot be empty.
  if (lho >= cd_offset || cd_offset - lho <= kLocalHeaderSize) {
    return InvalidInput("local header offset " + Hex(lho) +
                        " leaves no room before the central "
                        "directory at " +
                        Hex(cd_offset))
        .AtOffset(where, lho);
  }
  if (*file.U32At(lho) != kLocalHeaderSignature) {
    return InvalidInput("bad local header signature " + Hex(*file.U32At(lho))).AtOffset(where, lho);
  }
  const uint16_t flags = *file.U16At(lho + 6);
  const uint32_t crc = *file.U32At(lho + 14);
  uint64_t csize = *file.U32At(lho + 18);
  uint64_t usize = *file.U32At(lho + 22);
  const uint16_t name_len = *file.U16At(lho + 26);
  const uint16_t extra_len = *file.U16At(lho + 28);
  const uint64_t name_off = lho + kLocalHeaderSize;
  if (name_len != e.name.size()) {
    *name_mismatch = true;
    return InvalidInput("local header name length " + std::to_string(name_len) +
                        " != central directory name length " + std::to_string(e.name.size()) +
                        " (Android's FindEntry refuses this entry)")
        .AtOffset(where, lho);
  }
  if (name_len > cd_offset - name_off) {
    return InvalidInput("local header name runs into the central directory").AtOffset(where, lho);
  }
  if (file.Slice(name_off, name_len)->AsStringView() != e.name) {
    *name_mismatch = true;
    return InvalidInput(
               "local header name differs from the central directory name (Android's FindEntry "
               "refuses this entry)")
        .AtOffset(where, lho);
  }
  const uint64_t extra_off = name_off + name_len;
  if (extra_len > cd_offset - extra_off) {
    return InvalidInput("local header extra field runs into the central directory")
        .AtOffset(where, lho);
  }
  if (csize == 0xffffffffu || usize == 0xffffffffu) {
    if (csize != usize) {
      return InvalidInput("zip64 local header must set both sizes to 0xffffffff")
          .AtOffset(where, lho);
    }
    auto z = ParseZip64Extra(*file.Slice(extra_off, extra_len), usize, csize, std::nullopt);
    if (!z.ok()) return std::move(z).TakeStatus().AtOffset(where, lho);
    usize = z->uncompressed.value_or(usize);
    csize = z->compressed.value_or(csize);
  }
  if ((flags & kFlagDataDescriptor) != (e.flags & kFlagDataDescriptor)) {
    *mismatch_note = "data-descriptor flag differs between local header and central directory";
  }
  if ((flags & kFlagDataDescriptor) == 0 &&
      (csize != e.compressed_size || usize != e.uncompressed_size || crc != e.crc32)) {
    // libziparchive refuses to extract such an entry (kInconsistentInformation). We read what the
    // central directory says (what Android's lookup uses) and report the disagreement.
    *mismatch_note = "local header {csize " + std::to_string(csize) + ", usize " +
                     std::to_string(usize) + ", crc " + Hex(crc) +
                     "} disagrees with the central directory {" +
                     std::to_string(e.compressed_size) + ", " +
                     std::to_string(e.uncompressed_size) + ", " + Hex(e.crc32) + "}";
  }
  const uint64_t data_off = extra_off + extra_len;
  if (e.compressed_size > cd_offset - data_off) {
    return InvalidInput("compressed size " + std::to_string(e.compressed_size) +
                        " runs past the central directory at " + Hex(cd_offset))
        .AtOffset(where, lho);
  }
  // Stored (and unknown methods, read as stored) are read with their uncompressed length.
  if (e.method != kMethodDeflated && e.uncompressed_size > cd_offset - data_off) {
    return InvalidInput("stored size " + std::to_string(e.uncompressed_size) +
                        " runs past the central directory at " + Hex(cd_offset))
        .AtOffset(where, lho);
  }
  return data_off;
}

Result<ZipArchive> ZipArchive::Open(ByteSpan bytes, std::string name, const Limits& limits,
                                    Diagnostics* diagnostics) {
  if (bytes.size() > limits.max_archive_bytes) {
    return LimitExceeded("archive of " + std::to_string(bytes.size()) + " bytes exceeds " +
                         std::to_string(limits.max_archive_bytes))
        .At(name, "archive", 0);
  }
  auto info_or = FindCentralDirectory(bytes, diagnostics, name);
  if (!info_or.ok()) return std::move(info_or).TakeStatus().InFile(name);
  const CdInfo info = *info_or;
  if (info.num_records == 0) {
    return InvalidInput("empty archive (no central directory records)")
        .At(name, "eocd", info.eocd_offset);
  }
  if (info.num_records > limits.max_entries) {
    return LimitExceeded("EOCD declares " + std::to_string(info.num_records) + " entries, limit " +
                         std::to_string(limits.max_entries))
        .At(name, "eocd", info.eocd_offset);
  }
  // Each record is at least 46 bytes: a count the directory cannot hold is a lie (checked by
  // division so the product cannot overflow).
  if (info.num_records > info.cd_size / kCentralRecordSize) {
    return InvalidInput("EOCD declares " + std::to_string(info.num_records) +
                        " entries but the central directory of " + std::to_string(info.cd_size) +
                        " bytes holds at most " + std::to_string(info.cd_size / kCentralRecordSize))
        .At(name, "eocd", info.eocd_offset);
  }

  ZipArchive zip;
  zip.name_ = std::move(name);
  zip.bytes_ = bytes;
  zip.limits_ = limits;
  zip.cd_offset_ = info.cd_offset;
  zip.cd_size_ = info.cd_size;
  zip.eocd_offset_ = info.eocd_offset;
  zip.inflated_total_ = std::make_shared<uint64_t>(0);
  zip.pending_diagnostics_ = std::make_shared<std::vector<Diagnostic>>();
  zip.entries_.reserve(info.num_records);

  const ByteSpan cd = *bytes.Slice(info.cd_offset, info.cd_size);
  size_t pos = 0;
  for (uint64_t i = 0; i < info.num_records; ++i) {
    const std::string where = "central_directory[" + std::to_string(i) + "]";
    const uint64_t abs = info.cd_offset + pos;
    if (cd.size() - pos < kCentralRecordSize) {
      return InvalidInput("ran off the end of the central directory at record " +
                          std::to_string(i) + " of " + std::to_string(info.num_records))
          .At(zip.name_, where, abs);
    }
    if (*cd.U32At(pos) != kCentralRecordSignature) {
      return InvalidInput("bad central directory record signature " + Hex(*cd.U32At(pos)))
          .At(zip.name_, where, abs);
    }
    ZipEntry e;
    e.flags = *cd.U16At(pos + 8);
    e.method = *cd.U16At(pos + 10);
    e.crc32 = *cd.U32At(pos + 16);
    const uint32_t c32 = *cd.U32At(pos + 20);
    const uint32_t u32 = *cd.U32At(pos + 24);
    const uint16_t name_len = *cd.U16At(pos + 28);
    const uint16_t extra_len = *cd.U16At(pos + 30);
    const uint16_t comment_len = *cd.U16At(pos + 32);
    const uint32_t off32 = *cd.U32At(pos + 42);
    const size_t after_fixed = pos + kCentralRecordSize;
    const uint64_t var_len = uint64_t{name_len} + extra_len + comment_len;
    if (var_len > cd.size() - after_fixed) {
      return InvalidInput("name/extra/comment (" + std::to_string(var_len) +
                          " bytes) run past the central directory end")
          .At(zip.name_, where, abs);
    }
    if (name_len > limits.max_entry_name_bytes) {
      return LimitExceeded("entry name of " + std::to_string(name_len) + " bytes")
          .At(zip.name_, where, abs);
    }
    ByteSpan name_bytes = *cd.Slice(after_fixed, name_len);
    if (!IsValidEntryName(name_bytes)) {
      return InvalidInput("entry name is not valid UTF-8 or contains NUL")
          .At(zip.name_, where, abs);
    }
    e.name = std::string(name_bytes.AsStringView());
    e.compressed_size = c32;
    e.uncompressed_size = u32;
    e.local_header_offset = off32;
    if (c32 == 0xffffffffu || u32 == 0xffffffffu || off32 == 0xffffffffu) {
      auto z = ParseZip64Extra(*cd.Slice(after_fixed + name_len, extra_len), u32, c32, off32);
      if (!z.ok()) return std::move(z).TakeStatus().At(zip.name_, where, abs);
      e.compressed_size = z->compressed.value_or(c32);
      e.uncompressed_size = z->uncompressed.value_or(u32);
      e.local_header_offset = z->local_offset.value_or(off32);
    }
    if (e.local_header_offset >= info.cd_offset) {
      return InvalidInput("local header offset " + Hex(e.local_header_offset) +
                          " is not before the central directory at " + Hex(info.cd_offset))
          .At(zip.name_, where, abs);
    }
    e.central_offset = abs;
    zip.entries_.push_back(std::move(e));
    pos = after_fixed + var_len;
  }
  if (pos != cd.size()) {
    // libziparchive ignores records past the declared count; a reader that walks the whole
    // directory (Java's ZipFile, many analysers) would see more files than Android. Reject.
    if (cd.size() - pos >= 4 && *cd.U32At(pos) == kCentralRecordSignature) {
      return InvalidInput("EOCD declares " + std::to_string(info.num_records) +
                          " entries but the central directory holds more records")
          .At(zip.name_, "central_directory", info.cd_offset + pos);
    }
    if (diagnostics) {
      diagnostics->Add(
          Severity::kWarning, "zip.cd_trailing_bytes", zip.name_, "central_directory",
          info.cd_offset + pos,
          std::to_string(cd.size() - pos) + " bytes after the last central directory record");
    }
  }

  // Duplicate names: Android refuses the archive (kDuplicateEntry), because which copy a reader
  // picks differs between tools (the "master key" bug 8219321).
  zip.sorted_index_.resize(zip.entries_.size());
  for (uint32_t i = 0; i < zip.sorted_index_.size(); ++i) zip.sorted_index_[i] = i;
  std::sort(zip.sorted_index_.begin(), zip.sorted_index_.end(),
            [&](uint32_t a, uint32_t b) { return zip.entries_[a].name < zip.entries_[b].name; });
  for (size_t i = 1; i < zip.sorted_index_.size(); ++i) {
    const ZipEntry& a = zip.entries_[zip.sorted_index_[i - 1]];
    const ZipEntry& b = zip.entries_[zip.sorted_index_[i]];
    if (a.name == b.name) {
      return InvalidInput("duplicate entry name '" + b.name + "'")
          .At(zip.name_, "central_directory", std::max(a.central_offset, b.central_offset));
    }
  }

  // Janus (CVE-2017-13156): bytes (a DEX) before the first local header make the file both a
  // valid DEX and a valid APK. Android requires a local header at offset 0.
  if (bytes.size() < 4 || *bytes.U32At(0) != kLocalHeaderSignature) {
    return InvalidInput("no local file header at offset 0 (data prepended to the archive)")
        .At(zip.name_, "local header", 0);
  }

  AnomalyCounter anomalies(diagnostics, zip.name_);
  for (ZipEntry& e : zip.entries_) {
    bool name_mismatch = false;
    std::string note;
    auto data_off = CheckLocalHeader(bytes, info.cd_offset, e, &name_mismatch, &note);
    if (!data_off.ok()) {
      // Only this entry is lost (Read fails with the same Status); see the file comment. A name
      // disagreement has its own code: two readers would see two different files at this offset.
      anomalies.Note(
          Severity::kError, name_mismatch ? "zip.local_name_mismatch" : "zip.unreadable_entry",
          "local header", e.local_header_offset,
          "entry '" + e.name + "' cannot be read: " + std::string(data_off.status().message()));
      e.data_offset = 0;
      continue;
    }
    e.data_offset = *data_off;
    if (!note.empty()) {
      anomalies.Note(Severity::kWarning, "zip.local_header_mismatch", "local header",
                     e.local_header_offset, "entry '" + e.name + "': " + note);
    }
    if (e.flags & kFlagEncrypted) {
      // Android ignores the flag (the data is not encrypted); old analysers refuse the file.
      anomalies.Note(Severity::kWarning, "zip.encryption_flag", "central directory",
                     e.central_offset,
                     "entry '" + e.name +
                         "' has the encryption flag set; read as plain data, "
                         "as Android does");
    }
    if (e.method != kMethodStored && e.method != kMethodDeflated) {
      anomalies.Note(Severity::kWarning, "zip.unknown_method", "central directory",
                     e.central_offset,
                     "entry '" + e.name + "' has compression method " + std::to_string(e.method) +
                         "; read as stored, as Android's resource loader does");
    }
  }

  // Overlapping entries (Fifield's non-recursive zip bomb shares one deflate stream among many
  // headers). Android does not check; we note it, and the total inflation budget bounds the cost.
  std::vector<const ZipEntry*> by_offset;
  by_offset.reserve(zip.entries_.size());
  for (const ZipEntry& e : zip.entries_)
    if (e.data_offset != 0) by_offset.push_back(&e);
  std::sort(by_offset.begin(), by_offset.end(), [](const ZipEntry* a, const ZipEntry* b) {
    return a->local_header_offset < b->local_header_offset;
  });
  for (size_t i = 1; i < by_offset.size(); ++i) {
    const ZipEntry* prev = by_offset[i - 1];
    const uint64_t prev_len = prev->method == kMethodDeflated
                                  ? prev->compressed_size
                                  : std::max(prev->compressed_size, prev->uncompressed_size);
    const uint64_t prev_end = prev->data_offset + prev_len;  // both < cd_offset: no overflow
    if (prev_end > by_offset[i]->local_header_offset) {
      anomalies.Note(
          Severity::kWarning, "zip.overlapping_entries", "local header",
          by_offset[i]->local_header_offset,
          "entry '" + by_offset[i]->name + "' overlaps the data of '" + prev->name + "'");
    }
  }
  return zip;
}

const ZipEntry* ZipArchive::Find(std::string_view name) const {
  auto it = std::lower_bound(sorted_index_.begin(), sorted_index_.end(), name,
                             [&](uint32_t i, std::string_view n) { return entries_[i].name < n; });
  if (it == sorted_index_.end() || entries_[*it].name != name) return nullptr;
  return &entries_[*it];
}

namespace {

// Re-validates an entry handed to Read (it may come from another archive or be a copy the caller
// edited) and returns its data region.
Result<ByteSpan> EntryRegion(ByteSpan file, uint64_t cd_offset, const ZipEntry& e,
                             const std::string& zip_name) {
  bool name_mismatch = false;
  std::string note;
  auto data_off = CheckLocalHeader(file, cd_offset, e, &name_mismatch, &note);
  if (!data_off.ok()) return std::move(data_off).TakeStatus().InFile(zip_name);
  const uint64_t len = e.method == kMethodDeflated ? e.compressed_size : e.uncompressed_size;
  // CheckLocalHeader bounded len by cd_offset - data_off.
  return *file.Slice(*data_off, len);
}

}  // namespace

void ZipArchive::ReportReadAnomaly(Diagnostics* diagnostics, Severity severity, const char* code,
                                   const std::string& structure, uint64_t offset,
                                   std::string message) const {
  if (diagnostics != nullptr) {
    diagnostics->Add(severity, code, name_, structure, offset, std::move(message));
  } else if (pending_diagnostics_->size() < limits_.max_diagnostics) {
    pending_diagnostics_->push_back(
        Diagnostic{severity, code, name_, structure, offset, true, std::move(message)});
  }
}

Result<EntryData> ZipArchive::Read(const ZipEntry& entry, Diagnostics* diagnostics) const {
  const std::string where = "entry '" + entry.name + "'";
  ASSIGN_OR_RETURN(ByteSpan region, EntryRegion(bytes_, cd_offset_, entry, name_));
  if (entry.method != kMethodDeflated) {
    // Stored (or an unknown method read as stored): zero-copy view.
    if (entry.method == kMethodStored && entry.compressed_size != entry.uncompressed_size) {
      ReportReadAnomaly(diagnostics, Severity::kWarning, "zip.stored_size_mismatch", where,
                        entry.local_header_offset,
                        "stored entry: compressed size " + std::to_string(entry.compressed_size) +
                            " != uncompressed size " + std::to_string(entry.uncompressed_size));
    }
    uint32_t crc = libdeflate_crc32(0, region.data(), region.size());
    if (crc != entry.crc32) {
      ReportReadAnomaly(diagnostics, Severity::kWarning, "zip.crc_mismatch", where,
                        entry.local_header_offset,
                        "CRC-32 " + Hex(crc) + " != declared " + Hex(entry.crc32) +
                            " (accepted: Android maps stored entries without checking)");
    }
    return EntryData::View(region);
  }

  // Deflated. Budgets first, from the declared size (which may lie: checked again below).
  const uint64_t declared = entry.uncompressed_size;
  if (declared > limits_.max_entry_inflated_bytes) {
    return LimitExceeded("declared size " + std::to_string(declared) + " exceeds the per-entry " +
                         "budget " + std::to_string(limits_.max_entry_inflated_bytes))
        .At(name_, where, entry.local_header_offset);
  }
  if (declared > kBombMinBytes && limits_.max_compression_ratio != 0 &&
      declared / std::max<uint64_t>(region.size(), 1) > limits_.max_compression_ratio) {
    return LimitExceeded("compression ratio " +
                         std::to_string(declared / std::max<uint64_t>(region.size(), 1)) +
                         ":1 exceeds " + std::to_string(limits_.max_compression_ratio) +
                         ":1 (zip bomb)")
        .At(name_, where, entry.local_header_offset);
  }
  if (declared > limits_.max_total_inflated_bytes -
                     std::min(*inflated_total_, limits_.max_total_inflated_bytes)) {
    return LimitExceeded("archive inflation budget of " +
                         std::to_string(limits_.max_total_inflated_bytes) + " bytes exhausted (" +
                         std::to_string(*inflated_total_) + " used)")
        .At(name_, where, entry.local_header_offset);
  }
  *inflated_total_ += declared;

  // Inflate into exactly the declared size: a stream producing more is a size lie (and possibly a
  // bomb declaring a small size), detected as "insufficient space" without allocating more.
  std::vector<uint8_t> out(declared);
  size_t actual_in = 0, actual_out = 0;
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  if (d == nullptr) return InternalError("libdeflate_alloc_decompressor failed");
  libdeflate_result r = libdeflate_deflate_decompress_ex(
      d, region.data(), region.size(), out.data(), out.size(), &actual_in, &actual_out);
  libdeflate_free_decompressor(d);
  if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
    return InvalidInput("inflates to more than the declared " + std::to_string(declared) + " bytes")
        .At(name_, where, entry.local_header_offset);
  }
  if (r != LIBDEFLATE_SUCCESS) {
    // libdeflate also fails when the input ends mid-stream; zlib (what Android uses) agrees on
    // every such stream, so there is no fallback to try.
    return InvalidInput("corrupt deflate stream").At(name_, where, entry.data_offset);
  }
  if (actual_out != declared) {
    // libziparchive: kInconsistentInformation.
    return InvalidInput("inflated to " + std::to_string(actual_out) + " bytes, declared " +
                        std::to_string(declared))
        .At(name_, where, entry.local_header_offset);
  }
  uint32_t crc = libdeflate_crc32(0, out.data(), out.size());
  if (crc != entry.crc32) {
    ReportReadAnomaly(diagnostics, Severity::kError, "zip.crc_mismatch", where,
                      entry.local_header_offset,
                      "CRC-32 " + Hex(crc) + " != declared " + Hex(entry.crc32) +
                          " (libziparchive would refuse to extract this entry)");
  }
  return EntryData::Own(std::move(out));
}

Result<ByteSpan> ZipArchive::StoredBytes(const ZipEntry& entry) const {
  return EntryRegion(bytes_, cd_offset_, entry, name_);
}

Result<std::vector<uint8_t>> ZipArchive::ReadPrefix(const ZipEntry& entry, size_t n) const {
  const std::string where = "entry '" + entry.name + "'";
  ASSIGN_OR_RETURN(ByteSpan region, EntryRegion(bytes_, cd_offset_, entry, name_));
  if (entry.method != kMethodDeflated) {
    ByteSpan p = *region.Slice(0, std::min<size_t>(n, region.size()));
    return std::vector<uint8_t>(p.begin(), p.end());
  }
  const size_t want = static_cast<size_t>(std::min<uint64_t>(n, entry.uncompressed_size));
  if (want > limits_.max_total_inflated_bytes -
                 std::min(*inflated_total_, limits_.max_total_inflated_bytes)) {
    return LimitExceeded("archive inflation budget exhausted")
        .At(name_, where, entry.local_header_offset);
  }
  std::vector<uint8_t> out(want);
  if (want == 0) return out;
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return InternalError("inflateInit2 failed");
  // Feed at most 4 GiB - 1 at a time (avail_in is 32-bit); a prefix never needs more.
  zs.next_in = const_cast<Bytef*>(region.data());
  zs.avail_in = static_cast<uInt>(std::min<size_t>(region.size(), 0xffffffffu));
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(want);
  int rc = inflate(&zs, Z_SYNC_FLUSH);
  size_t got = want - zs.avail_out;
  inflateEnd(&zs);
  if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && got > 0)) {
    return InvalidInput("corrupt deflate stream").At(name_, where, entry.data_offset);
  }
  *inflated_total_ += got;
  out.resize(got);
  return out;
}

}  // namespace piaudit::container
