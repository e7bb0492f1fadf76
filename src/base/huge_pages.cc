#include "base/huge_pages.h"

#include <malloc.h>

namespace piaudit {

void KeepHeapMemoryForOneLargeInput() {
  // glibc gives each block above its mmap threshold (128 KiB, raised dynamically up to 32 MiB)
  // its own mapping, unmapped on free: every growth of a large vector then faults its new copy
  // in page by page. Here blocks up to the 32 MiB maximum come from the heap and the heap is
  // never trimmed, so freed memory is re-used already faulted in.
  // The heap itself is not advised as huge pages (it was, in issue 19's fifth round): side by side,
  // policies above 32 MiB then took 0.2-0.4 s more system time (2 MiB pages zeroed whole on first
  // touch), 13-18% more CPU in all, 8% at 16 MB, and 2-8 MB policies gained nothing measurable
  // (docs/policy.md "Speed", sixth round).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

}  // namespace piaudit
