// libFuzzer target: resources.arsc bytes -> ResourceTable::Parse, then lookups, reference
// resolution, names and locales over the first entries of every type of every package (ids come
// from the table itself, so the fuzzer reaches entry decoding).
#include <cstddef>
#include <cstdint>

#include "android/arsc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  piaudit::Limits limits;
  limits.max_arsc_entries = 200'000;
  limits.max_string_pool_strings = 100'000;
  limits.max_string_bytes = 64 << 10;
  piaudit::Diagnostics diagnostics(100);
  auto table =
      piaudit::android::ResourceTable::Parse(piaudit::ByteSpan(data, size), limits, &diagnostics);
  if (!table.ok()) return 0;
  piaudit::android::ResConfig zh;
  zh.language = "zh";
  zh.region = "CN";
  for (const auto& pkg : table->packages()) {
    for (uint32_t type = 1; type <= 16; ++type) {
      for (uint32_t entry = 0; entry < 8; ++entry) {
        uint32_t id = (pkg.id << 24) | (type << 16) | entry;
        (void)table->Resolve(id);
        (void)table->ResolveForLocale(id, zh);
        (void)table->ResourceName(id);
      }
    }
  }
  (void)table->Locales();
  return 0;
}
