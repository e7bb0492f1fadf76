// Transparent huge pages for large tables read at random.
//
// Two uses: large tables read at random (the lexicon automaton, the 4 MB weight tables of the
// sentence and span models: with 4 KiB pages most reads also miss the TLB), and the per-text
// buffers of a large policy (the decoded text, its code points, the normalised copy), whose
// first touch costs a page fault per 4 KiB (expensive under virtualisation). Debian's kernel
// gives 2 MiB pages only to memory advised MADV_HUGEPAGE ("madvise" mode), and only to memory
// advised before it is first written. Measured in docs/policy.md "Speed".
#ifndef PIAUDIT_BASE_HUGE_PAGES_H_
#define PIAUDIT_BASE_HUGE_PAGES_H_

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace piaudit {

// Below this size a buffer is left alone (one syscall would cost more than it saves).
inline constexpr size_t kHugePageAdviceMinBytes = size_t{4} << 20;

// Advises the whole 2 MiB pages inside [data, data + bytes) as huge pages. Call it on memory that
// was allocated but not yet written (a reserve()d string or vector, new[] without initialisation):
// large per-text buffers then take one page fault per 2 MiB instead of 512, which on the 32 MB
// bench was a tenth of the command's CPU time. A hint only: without THP support nothing changes.
inline void AdviseHugePages(const void* data, size_t bytes) {
  if (bytes < kHugePageAdviceMinBytes) return;
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// Gives *v (emptied) capacity for n elements, advised as above; the caller then fills it
// (assign/resize within the capacity does not move it).
template <typename T>
void ReserveOnHugePages(std::vector<T>* v, size_t n) {
  v->clear();
  v->shrink_to_fit();
  v->reserve(n);
  AdviseHugePages(v->data(), v->capacity() * sizeof(T));
}

// For a command that runs once over one large input (`piaudit policy FILE`): the allocator
// keeps the memory it is given back instead of returning it to the kernel (large blocks from the
// heap, not from their own mmap; no trimming), so that the growth of vectors and strings re-uses
// memory already faulted in. Not for long-running servers: their heap would keep its largest
// size.
void KeepHeapMemoryForOneLargeInput();

}  // namespace piaudit

#endif  // PIAUDIT_BASE_HUGE_PAGES_H_
