// The APK container: a zip archive read the way Android's libziparchive reads it.
//
// The archive is a view over bytes the caller owns (usually a MappedFile); stored entries are
// returned as spans into those bytes (zero-copy), deflated entries are inflated into buffers owned
// by the returned EntryData, under the caps of Limits. Entry names are data, never paths: nothing
// here writes files.
//
// What Android accepts, this accepts (the encryption flag on entries that are not encrypted, wrong
// CRCs on stored entries); what Android rejects, this rejects with a Status naming the structure
// and offset (duplicate names, bytes before the first local header, entry-count lies). What Android
// rejects for one entry only (a bad local header) fails Read of that entry, never Open. Anomalies
// that Android tolerates are recorded in Diagnostics. See docs/formats/zip.md.
#ifndef PIAUDIT_CONTAINER_ZIP_ARCHIVE_H_
#define PIAUDIT_CONTAINER_ZIP_ARCHIVE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/byte_span.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/status.h"

namespace piaudit::container {

struct ZipEntry {
  std::string name;     // as stored (validated UTF-8, no NUL)
  uint16_t method = 0;  // 0 stored, 8 deflated (others are read as stored, as Android does)
  uint16_t flags = 0;   // general-purpose bit flags from the central directory
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  uint64_t local_header_offset = 0;
  uint64_t data_offset = 0;     // first byte of the entry's data in the archive
  uint64_t central_offset = 0;  // offset of its central-directory record
};

// The bytes of one entry: either a view into the archive (stored) or an owned buffer (inflated).
class EntryData {
 public:
  EntryData() = default;
  static EntryData View(ByteSpan span) {
    EntryData d;
    d.span_ = span;
    return d;
  }
  static EntryData Own(std::vector<uint8_t> bytes) {
    EntryData d;
    d.owned_ = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
    d.span_ = ByteSpan(d.owned_->data(), d.owned_->size());
    return d;
  }
  ByteSpan bytes() const { return span_; }

 private:
  std::shared_ptr<std::vector<uint8_t>> owned_;  // shared so EntryData is cheap to copy
  ByteSpan span_;
};

class ZipArchive {
 public:
  // Parses the central directory of `bytes`. `name` (e.g. the APK path, or "assets/x.jar" for a
  // nested archive) is used in error messages and diagnostics. REQUIRES: bytes outlive the archive.
  // Anomalies found while opening go to `diagnostics` (may be null); the archive keeps no pointer
  // to it, because callers move archives and diagnostic lists independently.
  static Result<ZipArchive> Open(ByteSpan bytes, std::string name, const Limits& limits,
                                 Diagnostics* diagnostics);

  const std::string& name() const { return name_; }
  ByteSpan bytes() const { return bytes_; }
  const std::vector<ZipEntry>& entries() const { return entries_; }
  // The entry with exactly this name, or nullptr.
  const ZipEntry* Find(std::string_view name) const;
  // Inflates (or views) one entry, under the per-entry and per-archive budgets. An entry whose
  // local header is bad (Open recorded zip.unreadable_entry or zip.local_name_mismatch) fails here
  // with a Status naming the archive, "local header of '<entry>'" and its offset; the other entries
  // stay readable, as in Android, which checks a local header only when its entry is read. Not
  // thread-safe with respect to the shared inflation budget unless each thread uses its own
  // archive object. Read-time anomalies (CRC mismatch, stored size mismatch) go to `diagnostics`
  // when given, else they are kept in the archive (see read_diagnostics()).
  Result<EntryData> Read(const ZipEntry& entry, Diagnostics* diagnostics = nullptr) const;
  // The first min(n, uncompressed_size) bytes of an entry (inflating only what is needed), for
  // content sniffing. Counts against the inflation budget only for what it inflates.
  Result<std::vector<uint8_t>> ReadPrefix(const ZipEntry& entry, size_t n) const;
  // Anomalies of Read calls made without a Diagnostics list (at most Limits::max_diagnostics), so
  // a caller can move them into its scan's list at the end.
  const std::vector<Diagnostic>& read_diagnostics() const { return *pending_diagnostics_; }
  // Bytes before the first local header / between the last entry and the central directory
  // (where APK Signing Block lives): offset of the central directory start.
  uint64_t central_directory_offset() const { return cd_offset_; }
  uint64_t central_directory_size() const { return cd_size_; }
  uint64_t eocd_offset() const { return eocd_offset_; }

  // Whoever owns the bytes may say how to drop pages a one-pass reader (the v2/v3 content digest)
  // is done with; for a memory-mapped APK that keeps the peak memory flat. No hint: nothing is
  // released (the bytes may be a buffer the caller still needs).
  void SetReleaseHint(std::function<void(ByteSpan)> release) { release_ = std::move(release); }
  void ReleaseHint(ByteSpan span) const {
    if (release_) release_(span);
  }
  // The entry's bytes as stored (compressed or not), after its local header: what a one-pass
  // reader hands to ReleaseHint once it is done with the entry.
  Result<ByteSpan> StoredBytes(const ZipEntry& entry) const;

 private:
  ZipArchive() = default;
  friend class ZipArchiveBuilder;
  void ReportReadAnomaly(Diagnostics* diagnostics, Severity severity, const char* code,
                         const std::string& structure, uint64_t offset, std::string message) const;

  std::string name_;
  ByteSpan bytes_;
  Limits limits_;
  std::vector<ZipEntry> entries_;
  std::vector<uint32_t> sorted_index_;  // entries_ indices sorted by name, for Find
  uint64_t cd_offset_ = 0;
  uint64_t cd_size_ = 0;
  uint64_t eocd_offset_ = 0;
  std::shared_ptr<uint64_t> inflated_total_;  // bytes inflated so far (budget)
  std::function<void(ByteSpan)> release_;
  std::shared_ptr<std::vector<Diagnostic>> pending_diagnostics_;  // see read_diagnostics()
};

}  // namespace piaudit::container

#endif  // PIAUDIT_CONTAINER_ZIP_ARCHIVE_H_
