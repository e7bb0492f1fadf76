#include "base/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace piaudit {
namespace {

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

Result<uint64_t> OpenAndSize(const std::string& path, uint64_t max_bytes, int* fd_out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(std::string("cannot open: ") + std::strerror(errno)).InFile(path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return IoError(std::string("cannot stat: ") + std::strerror(errno)).InFile(path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return IoError("not a regular file").InFile(path);
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) {
    ::close(fd);
    return LimitExceeded("file is " + std::to_string(size) + " bytes, limit " +
                         std::to_string(max_bytes))
        .InFile(path);
  }
  *fd_out = fd;
  return size;
}

}  // namespace

Result<std::unique_ptr<MappedFile>> MappedFile::Open(const std::string& path, uint64_t max_bytes) {
  int fd = -1;
  ASSIGN_OR_RETURN(uint64_t size, OpenAndSize(path, max_bytes, &fd));
  FdCloser closer{fd};
  void* addr = nullptr;
  if (size > 0) {
    addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (addr == MAP_FAILED) {
      return IoError(std::string("cannot map: ") + std::strerror(errno)).InFile(path);
    }
  }
  return std::unique_ptr<MappedFile>(new MappedFile(path, addr, size));
}

void MappedFile::Release(ByteSpan span) const {
  const auto* base = static_cast<const uint8_t*>(addr_);
  if (base == nullptr || span.data() < base || span.size() > size_ ||
      static_cast<size_t>(span.data() - base) > size_ - span.size()) {
    return;
  }
  const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  uintptr_t begin = reinterpret_cast<uintptr_t>(span.data());
  uintptr_t end = begin + span.size();
  begin = (begin + page - 1) & ~(page - 1);  // only pages wholly inside the span
  end &= ~(page - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

MappedFile::~MappedFile() {
  if (addr_ != nullptr && size_ > 0) ::munmap(addr_, size_);
}

Result<std::string> ReadFileToString(const std::string& path, uint64_t max_bytes) {
  int fd = -1;
  ASSIGN_OR_RETURN(uint64_t size, OpenAndSize(path, max_bytes, &fd));
  FdCloser closer{fd};
  std::string out;
  out.resize(size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, out.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(std::string("read failed: ") + std::strerror(errno)).InFile(path);
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

}  // namespace piaudit
