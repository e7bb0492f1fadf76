// Facts about one native library (.so) from its bytes: ELF class and machine, dynamic symbols
// (exported / imported), JNI entry points (JNI_OnLoad, Java_* exports), DT_NEEDED libraries, and
// notable strings (URLs, hosts, Java class names such as "com/tencent/mm/Foo" passed to FindClass).
//
// The reader is our own and bounded (see elf_facts.cc for why not libelf): every table is checked
// against the file before it is read, counts are capped by Limits::max_elf_symbols and
// Limits::max_elf_strings, and truncation of a list is reported, not silent. It takes bytes only
// (no zip code), so it has its own fuzzer; grouping lib/<abi>/*.so belongs to the caller.
#ifndef PIAUDIT_NATIVE_ELF_FACTS_H_
#define PIAUDIT_NATIVE_ELF_FACTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/byte_span.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/status.h"

namespace piaudit::native {

struct ElfFacts {
  int elf_class = 0;  // 32 or 64
  bool little_endian = true;
  uint16_t machine = 0;      // e_machine
  std::string machine_name;  // "arm", "aarch64", "x86", "x86_64", "mips", "riscv", "unknown(N)"
  std::string abi;           // Android ABI dir it belongs in: "armeabi-v7a", "arm64-v8a", ...
  uint16_t type = 0;         // e_type (3 = ET_DYN for shared objects)
  std::string soname;        // DT_SONAME, if any
  std::vector<std::string> needed;    // DT_NEEDED, in order
  std::vector<std::string> exported;  // defined global/weak dynamic symbols (functions, objects)
  std::vector<std::string> imported;  // undefined dynamic symbols
  bool has_jni_onload = false;
  std::vector<std::string> jni_exports;   // exported "Java_*" symbols
  std::vector<std::string> urls;          // "http://...", "https://...", "ws(s)://..."
  std::vector<std::string> hosts;         // distinct hosts of those URLs
  std::vector<std::string> java_classes;  // "com/example/Foo" style internal names
  bool symbols_truncated = false;         // more than Limits::max_elf_symbols
  bool strings_truncated = false;         // more than Limits::max_elf_strings notable strings
  bool has_section_headers = false;
};

// Parses `bytes` as an ELF shared object. `file` names it in errors ("lib/arm64-v8a/libx.so").
// Fails with InvalidInput/Truncated (naming the structure and offset) when the ELF header or the
// dynamic tables are malformed; anomalies that let parsing continue go to diagnostics.
Result<ElfFacts> ReadElfFacts(ByteSpan bytes, std::string_view file, const Limits& limits,
                              Diagnostics* diagnostics);

std::string_view ElfMachineName(uint16_t machine);

}  // namespace piaudit::native

#endif  // PIAUDIT_NATIVE_ELF_FACTS_H_
