// libFuzzer target for the native-library reader: ELF header, program/section headers, dynamic
// table, symbol tables found through DT_HASH / DT_GNU_HASH, and the notable-string scan.
#include <cstddef>
#include <cstdint>

#include "native/elf_facts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;
  Limits limits;
  limits.max_elf_symbols = 10'000;
  Diagnostics diagnostics(64);
  auto facts = native::ReadElfFacts(ByteSpan(data, size), "fuzz.so", limits, &diagnostics);
  if (facts.ok() && facts->exported.size() + facts->imported.size() > limits.max_elf_symbols) {
    __builtin_trap();  // the symbol budget was not enforced
  }
  return 0;
}
