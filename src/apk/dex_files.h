// The code an APK carries, opened once: every classes*.dex of the APK (bounded by
// Limits::max_dex_files), then secondary payloads found by content (a dex in assets/, a jar or
// apk holding classes*.dex, one level deep), each parsed as a dex::DexFile view.
//
// Ownership: ApkDexFiles owns the inflated bytes every DexFile views (deques, so views stay put
// when more are added); it reads through `facts.zip`, so the ApkFacts must outlive the call, not
// the result. A dex that cannot be opened is a summary with an error and a diagnostic, never a
// failure of the whole APK.
#ifndef PIAUDIT_APK_DEX_FILES_H_
#define PIAUDIT_APK_DEX_FILES_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "apk/apk_facts.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "container/zip_archive.h"
#include "dex/dex_file.h"

namespace piaudit::apk {

struct DexFileSummary {
  std::string name;    // "classes2.dex", or "assets/plugin.apk!classes.dex"
  std::string origin;  // "primary" or "secondary"
  uint64_t classes = 0;
  uint64_t methods = 0;  // defined: direct + virtual
  uint64_t method_ids = 0;
  uint64_t fields = 0;  // field_ids
  uint64_t instructions = 0;
  uint64_t errors = 0;
  std::string error;  // set when the file could not be opened at all
};

struct SecondaryCode {
  std::string entry;  // "assets/plugin.apk"
  std::string type;   // "dex", "zip", "elf", ...
  uint64_t size = 0;
  bool analysed = false;
  std::vector<std::string> dex_files;  // names in dex_files of what was analysed from it
  std::string note;                    // why it was not analysed, or the parse error
};

// One opened dex with the storage its view needs.
struct OpenedDex {
  container::EntryData bytes;
  std::optional<dex::DexFile> file;
  std::string origin;
  size_t summary = 0;  // index in ApkDexFiles::summaries
};

struct ApkDexFiles {
  std::vector<DexFileSummary> summaries;  // every dex looked at, opened or not, in order
  std::vector<SecondaryCode> secondary_code;
  // Declared before `opened`: nested archives' stored entries are views into these bytes.
  std::deque<container::EntryData> nested_storage;
  std::deque<OpenedDex> opened;
};

// Opens the APK's primary dex files, then its secondary code (at most `limits.max_secondary_dex`).
// Problems go to `diags` in the order they are met.
ApkDexFiles OpenDexFiles(const ApkFacts& facts, const Limits& limits, Diagnostics* diags);

}  // namespace piaudit::apk

#endif  // PIAUDIT_APK_DEX_FILES_H_
