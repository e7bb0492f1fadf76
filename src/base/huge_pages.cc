#include "base/huge_pages.h"

#include <malloc.h>
#include <unistd.h>

#include <array>
#include <cstdlib>

namespace piaudit {

void KeepHeapMemoryForOneLargeInput() {
  // glibc gives each block above its mmap threshold (128 KiB, raised dynamically up to 32 MiB)
  // its own mapping, unmapped on free: every growth of a large vector then faults its new copy
  // in page by page. Here blocks up to the 32 MiB maximum come from the heap and the heap is
  // never trimmed, so freed memory is re-used already faulted in.
  constexpr size_t kBlock = 30 << 20;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  // The heap is grown once to 480 MiB of address space (blocks taken and given back, nothing
  // written but their headers: no memory is used until touched) and that range advised as huge
  // pages: a later brk() extension would be a new, unadvised mapping.
  std::array<void*, 16> blocks{};
  for (void*& b : blocks) b = std::malloc(kBlock);
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t begin = reinterpret_cast<uintptr_t>(blocks[0]) & ~(page - 1);
  for (void* b : blocks) std::free(b);
  const uintptr_t end = reinterpret_cast<uintptr_t>(sbrk(0));
  if (blocks[0] != nullptr && end > begin)
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace piaudit
