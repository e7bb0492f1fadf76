// The facts pipeline: APK bytes -> manifest, resources, signatures, layout, native libraries.
// See apk_facts.h for ownership and the failure policy.
#include "apk/apk_facts.h"

#include <fmt/format.h>

#include <string>
#include <utility>

#include "android/axml.h"
#include "container/digest.h"

namespace piaudit::apk {
namespace {

// Names the APK in a failure from an inner layer, unless the layer already did.
Status InApk(Status s, const std::string& path) {
  if (s.file().empty()) return std::move(s).InFile(path);
  if (s.file() == path || s.file().starts_with(path + "!")) return s;
  return std::move(s).InFile(path);
}

}  // namespace

Result<ApkFacts> ReadApkFacts(const std::string& path, const ApkFactsOptions& options) {
  const Limits& limits = options.limits;
  ApkFacts f;
  f.path = path;
  f.diagnostics = Diagnostics(limits.max_diagnostics);

  auto mapped = MappedFile::Open(path, limits.max_archive_bytes);
  if (!mapped.ok()) return InApk(std::move(mapped).TakeStatus(), path);
  f.file = std::move(mapped).value();
  f.file_size = f.file->bytes().size();
  if (options.hash_file) f.sha256 = container::Sha256Hex(f.file->bytes());

  auto zip = container::ZipArchive::Open(f.file->bytes(), path, limits, &f.diagnostics);
  if (!zip.ok()) return InApk(std::move(zip).TakeStatus(), path);
  f.zip.emplace(std::move(zip).value());
  // The map outlives the zip view (both owned by f; MappedFile stays put when f moves).
  f.zip->SetReleaseHint([file = f.file.get()](ByteSpan span) { file->Release(span); });

  // The manifest is the one entry an APK cannot do without (PackageManager rejects the install).
  const container::ZipEntry* manifest_entry = f.zip->Find("AndroidManifest.xml");
  if (manifest_entry == nullptr) {
    return NotFound("no AndroidManifest.xml entry (not an installable APK)")
        .At(path, "zip central directory", f.zip->central_directory_offset());
  }
  auto manifest_data = f.zip->Read(*manifest_entry);
  if (!manifest_data.ok()) return InApk(std::move(manifest_data).TakeStatus(), path);
  f.manifest_bytes = std::move(manifest_data).value();
  auto doc =
      android::ParseAxml(f.manifest_bytes.bytes(), limits, &f.diagnostics, "AndroidManifest.xml");
  if (!doc.ok()) return InApk(std::move(doc).TakeStatus(), path);

  // resources.arsc is optional (resource-less APKs exist); a broken one is evidence, not fatal.
  if (const container::ZipEntry* arsc = f.zip->Find("resources.arsc")) {
    auto data = f.zip->Read(*arsc);
    if (!data.ok()) {
      f.diagnostics.AddStatus("apk.resources_unreadable", data.status());
    } else {
      f.arsc_bytes = std::move(data).value();
      auto table = android::ResourceTable::Parse(f.arsc_bytes.bytes(), limits, &f.diagnostics);
      if (!table.ok()) {
        f.diagnostics.AddStatus("apk.resources_invalid", InApk(table.status(), path));
      } else {
        f.resources.emplace(std::move(table).value());
      }
    }
  }

  auto manifest =
      android::BuildManifest(*doc, f.resources ? &*f.resources : nullptr, &f.diagnostics);
  if (!manifest.ok()) return InApk(std::move(manifest).TakeStatus(), path);
  f.manifest = std::move(manifest).value();
  f.labels = f.manifest.application.label.by_locale;
  // A stored resources.arsc is read in place from the mapped APK; its pages are not needed again
  // for the facts (labels are resolved), and a later lookup simply reads them back.
  f.zip->ReleaseHint(f.arsc_bytes.bytes());

  if (options.read_signatures) {
    auto sig = container::ReadApkSignatures(*f.zip, limits, &f.diagnostics,
                                            options.verify_v1_entries, options.executor);
    if (!sig.ok()) {
      f.diagnostics.AddStatus("apk.signatures_unreadable", InApk(sig.status(), path));
    } else {
      f.signatures = std::move(sig).value();
    }
  }

  auto layout = container::ReadApkLayout(*f.zip, limits, &f.diagnostics);
  if (!layout.ok()) {
    f.diagnostics.AddStatus("apk.layout_unreadable", InApk(layout.status(), path));
  } else {
    f.layout = std::move(layout).value();
  }

  if (options.read_native_libs) {
    for (const auto& [abi, names] : f.layout.native_libs) {
      for (const std::string& name : names) {
        NativeLibFacts lib;
        lib.path = name;
        lib.abi = abi;
        const container::ZipEntry* e = f.zip->Find(name);
        if (e == nullptr) continue;
        lib.size = e->uncompressed_size;
        auto data = f.zip->Read(*e);
        if (!data.ok()) {
          f.diagnostics.AddStatus("apk.native_lib_unreadable", data.status());
        } else {
          auto elf = native::ReadElfFacts(data->bytes(), name, limits, &f.diagnostics);
          if (!elf.ok()) {
            f.diagnostics.AddStatus("apk.native_lib_invalid", elf.status());
          } else {
            lib.elf = std::move(elf).value();
          }
        }
        f.native_libs.push_back(std::move(lib));
      }
    }
  }
  return f;
}

}  // namespace piaudit::apk
