// What an APK carries besides its manifest: the primary classesN.dex files, native libraries per
// ABI, assets, and secondary code payloads (dex/jar/apk/ELF files anywhere else, e.g.
// assets/plugin.apk or res/raw/x.dat holding a dex) with their type detected by content.
//
// Secondary code is what dynamic loading (DexClassLoader, plugin frameworks, packers) runs; an
// auditor needs it listed even when it is not analysed. Only a prefix of each candidate entry is
// inflated (ZipArchive::ReadPrefix), so listing costs little even for large APKs.
#ifndef PIAUDIT_CONTAINER_APK_LAYOUT_H_
#define PIAUDIT_CONTAINER_APK_LAYOUT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/status.h"
#include "container/file_type.h"
#include "container/zip_archive.h"

namespace piaudit::container {

struct LayoutEntry {
  std::string name;
  FileType type = FileType::kOther;  // by content
  uint64_t uncompressed_size = 0;    // as declared by the central directory
  uint64_t compressed_size = 0;
};

struct ApkLayout {
  // "classes.dex", "classes2.dex", ... in load order (classes.dex, then classes2..N contiguous as
  // ART loads them; a gap stops ART, the rest are listed in secondary_code).
  std::vector<std::string> primary_dex;
  // "lib/<abi>/<name>.so" grouped by ABI ("arm64-v8a" -> names of the entries).
  std::map<std::string, std::vector<std::string>> native_libs;
  // Every entry under assets/ with its detected type.
  std::vector<LayoutEntry> assets;
  // Code payloads outside primary_dex and lib/<abi>/*.so (any directory, any extension, detected by
  // content), e.g. assets/jiagu.dex, assets/plugin.apk, res/raw/a.jar, lib/x/payload.so.dat.
  std::vector<LayoutEntry> secondary_code;
  // Entries whose prefix could not be read (truncated, bomb, unsupported method).
  uint32_t unreadable_entries = 0;
};

// Lists the layout of `zip`. Failures to read one entry go to diagnostics ("apk.unreadable_entry")
// and the listing goes on.
Result<ApkLayout> ReadApkLayout(const ZipArchive& zip, const Limits& limits,
                                Diagnostics* diagnostics);

}  // namespace piaudit::container

#endif  // PIAUDIT_CONTAINER_APK_LAYOUT_H_
