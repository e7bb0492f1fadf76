// libFuzzer target for the zip reader and everything built on it that takes an archive: Open, Read
// and ReadPrefix of each entry, the APK layout listing, and signature parsing/verification. Caps
// its own work (entry count, inflation budget) so a slow input is a real finding, not a big one.
#include <cstddef>
#include <cstdint>

#include "container/apk_layout.h"
#include "container/apk_signature.h"
#include "container/zip_archive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;
  Limits limits;
  limits.max_entries = 4096;
  limits.max_entry_inflated_bytes = 8 << 20;
  limits.max_total_inflated_bytes = 32 << 20;
  Diagnostics diagnostics(64);
  auto zip = container::ZipArchive::Open(ByteSpan(data, size), "fuzz.zip", limits, &diagnostics);
  if (!zip.ok()) return 0;
  size_t n = 0;
  for (const auto& e : zip->entries()) {
    if (++n > 64) break;
    auto r = zip->Read(e);
    if (r.ok() && r->bytes().size() > limits.max_entry_inflated_bytes && e.method == 8) {
      __builtin_trap();  // an inflated entry broke its budget
    }
    (void)zip->ReadPrefix(e, 64);
  }
  (void)container::ReadApkLayout(*zip, limits, &diagnostics);
  (void)container::ReadApkSignatures(*zip, limits, &diagnostics, /*verify_v1_entries=*/true);
  return 0;
}
