// A read-only memory map of a whole file: the APK is mapped once and every stored entry is a
// ByteSpan into it (zero-copy). Empty files map to an empty span without calling mmap.
#ifndef PIAUDIT_BASE_MAPPED_FILE_H_
#define PIAUDIT_BASE_MAPPED_FILE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "base/byte_span.h"
#include "base/status.h"

namespace piaudit {

class MappedFile {
 public:
  // Maps `path` read-only. Fails with kIo naming the path, or kLimitExceeded when the file is
  // larger than max_bytes.
  static Result<std::unique_ptr<MappedFile>> Open(const std::string& path, uint64_t max_bytes);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  ByteSpan bytes() const { return ByteSpan(static_cast<const uint8_t*>(addr_), size_); }
  // Drops the resident pages wholly inside `span` (a part of bytes()) after a one-pass read such
  // as hashing the whole APK, so the peak memory of a scan does not grow with the APK's size. The
  // bytes stay readable: the mapping is private and never written, so a later read re-faults the
  // same data from the file. Spans outside the mapping are ignored.
  void Release(ByteSpan span) const;
  const std::string& path() const { return path_; }

 private:
  MappedFile(std::string path, void* addr, size_t size)
      : path_(std::move(path)), addr_(addr), size_(size) {}
  std::string path_;
  void* addr_;
  size_t size_;
};

// Reads a whole (small) file into a string, bounded by max_bytes. For policy text, data files.
Result<std::string> ReadFileToString(const std::string& path, uint64_t max_bytes);

}  // namespace piaudit

#endif  // PIAUDIT_BASE_MAPPED_FILE_H_
