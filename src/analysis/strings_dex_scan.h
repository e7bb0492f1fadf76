// One pass over a dex for the facts attribution needs: the defined classes, per-file counts, and
// the const-string sites of "interesting" strings (URLs, hosts, SDK feature strings) with the
// method that uses each one first, so a URL can be attributed to the owner of the code using it.
//
// The string pool is filtered once (a predicate per string); the instruction walk then only looks
// up const-string indices in a bitmap, so the cost is one decode of each instruction. Bad classes
// and code items are reported through dex_walk's Diagnostics and skipped.
#ifndef PIAUDIT_ANALYSIS_STRINGS_DEX_SCAN_H_
#define PIAUDIT_ANALYSIS_STRINGS_DEX_SCAN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostics.h"
#include "dex/dex_file.h"

namespace piaudit::analysis {

struct DexStringUse {
  std::string text;  // the whole string constant (UTF-8)
  uint32_t string_idx = 0;
  uint32_t sites = 0;        // const-string / const-string/jumbo instructions loading it
  std::string first_method;  // "Lcom/foo/Bar;->baz()V" of the first site, "" when unused
  std::string first_class;   // "Lcom/foo/Bar;" of the first site, "" when unused
};

struct DexScan {
  std::string name;      // "classes2.dex"
  uint64_t classes = 0;  // class_defs read successfully
  uint64_t methods = 0;  // defined: direct + virtual
  uint64_t method_ids = 0;
  uint64_t field_ids = 0;
  uint64_t string_ids = 0;
  uint64_t instructions = 0;
  uint64_t errors = 0;                   // diagnostics added by this scan
  std::vector<std::string> class_names;  // descriptors of the defined classes
  // Defined classes none of whose methods has code (interfaces, abstract or stub classes): they
  // show an SDK's API, not that its code runs (SDK presence, sdk_detect.h).
  std::vector<std::string> codeless_classes;
  // Class types the dex refers to (type_ids, array element types included) but does not define:
  // an SDK named only here is "referenced", its code is elsewhere or absent.
  std::vector<std::string> referenced_types;
  std::vector<DexStringUse> strings;  // interesting strings, by string index
};

// Scans `dex`. `interesting` sees every string of the pool once (bounded: strings longer than
// `max_string_bytes` are skipped). Unused interesting strings are kept with sites == 0.
DexScan ScanDex(const dex::DexFile& dex, const std::function<bool(std::string_view)>& interesting,
                Diagnostics* diagnostics, uint32_t max_string_bytes = 1u << 16);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_STRINGS_DEX_SCAN_H_
