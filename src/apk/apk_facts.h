// The facts pipeline shared by `piaudit info` and `piaudit scan`: open an APK once (mapped,
// read-only), read its central directory, manifest, resources.arsc, signatures, layout (dex,
// assets, secondary code) and native libraries, and keep everything a later stage needs.
//
// Ownership: ApkFacts owns the mapped file, the zip view over it and the inflated resources.arsc
// buffer, so `zip` and `resources` stay valid exactly as long as the ApkFacts object (it is
// move-only). Later stages (dex, analysis) read further entries through `zip`.
//
// Failure policy: a file that is not a readable APK (no zip, no or unparseable
// AndroidManifest.xml) fails with one Status naming the file, structure and offset. Everything
// optional (resources.arsc, signatures, a native library) that fails is recorded in `diagnostics`
// and the rest of the facts are still returned.
#ifndef PIAUDIT_APK_APK_FACTS_H_
#define PIAUDIT_APK_APK_FACTS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "android/arsc.h"
#include "android/manifest.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/mapped_file.h"
#include "base/status.h"
#include "container/apk_layout.h"
#include "container/apk_signature.h"
#include "container/zip_archive.h"
#include "native/elf_facts.h"

namespace piaudit::apk {

struct NativeLibFacts {
  std::string path;  // "lib/arm64-v8a/libfoo.so"
  std::string abi;   // "arm64-v8a"
  uint64_t size = 0;
  std::optional<native::ElfFacts> elf;  // nullopt when the entry could not be read/parsed
};

struct ApkFactsOptions {
  Limits limits;
  bool read_signatures = true;
  bool verify_v1_entries = false;  // hash every entry for v1 (slow on big APKs)
  bool read_native_libs = true;
  bool hash_file = false;  // SHA-256 of the whole APK (what reports and batch stores key on)
  // Runs the signature digests; nullptr: ReadApkSignatures starts a small pool for the call.
  Executor* executor = nullptr;
};

struct ApkFacts {
  std::string path;
  uint64_t file_size = 0;
  std::string sha256;  // lowercase hex of the whole file; empty unless options.hash_file

  android::Manifest manifest;
  std::map<std::string, std::string> labels;        // LocaleTag ("" default) -> application label
  std::optional<android::ResourceTable> resources;  // absent when there is no resources.arsc
  std::optional<container::ApkSignatures> signatures;
  container::ApkLayout layout;
  std::vector<NativeLibFacts> native_libs;
  Diagnostics diagnostics;

  // Owned storage the views above point into; declared last so views die first.
  std::unique_ptr<MappedFile> file;
  std::optional<container::ZipArchive> zip;
  container::EntryData manifest_bytes;
  container::EntryData arsc_bytes;

  ApkFacts() = default;
  ApkFacts(ApkFacts&&) = default;
  ApkFacts& operator=(ApkFacts&&) = default;
  ApkFacts(const ApkFacts&) = delete;
  ApkFacts& operator=(const ApkFacts&) = delete;
};

// Reads every fact of the APK at `path`. See the failure policy above.
Result<ApkFacts> ReadApkFacts(const std::string& path, const ApkFactsOptions& options);

}  // namespace piaudit::apk

#endif  // PIAUDIT_APK_APK_FACTS_H_
