// Lists primary dex files, native libraries, assets and secondary code. The primary dex rule is
// ART's (OatFileAssistant / DexFileLoader::GetMultiDexLocation): "classes.dex", then
// "classes2.dex", "classes3.dex", ... until the first missing number. Anything else holding code
// (by content) is secondary: a packer's encrypted payload or a plugin APK loaded at run time.
#include "container/apk_layout.h"

#include <string_view>

namespace piaudit::container {
namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// "lib/<abi>/<file>.so" with no further directory: what the package manager extracts.
bool IsNativeLib(std::string_view name, std::string* abi) {
  if (!StartsWith(name, "lib/")) return false;
  std::string_view rest = name.substr(4);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  std::string_view file = rest.substr(slash + 1);
  if (file.find('/') != std::string_view::npos || !EndsWith(file, ".so")) return false;
  *abi = std::string(rest.substr(0, slash));
  return true;
}

// Extensions worth sniffing even outside assets/: anything else under res/ is resources (already
// typed by aapt) and skipping it keeps listing cheap for apps with 50k resource files.
bool MaySniffOutsideAssets(std::string_view name) {
  if (StartsWith(name, "res/raw/") || StartsWith(name, "lib/") || StartsWith(name, "META-INF/"))
    return true;
  if (StartsWith(name, "res/")) return false;
  return true;  // root-level and unusual directories are rare and suspicious: look at them
}

}  // namespace

Result<ApkLayout> ReadApkLayout(const ZipArchive& zip, const Limits& limits,
                                Diagnostics* diagnostics) {
  (void)limits;  // budgets are enforced by the archive's own Limits
  ApkLayout layout;
  // Primary dex: classes.dex then classes2.dex.. contiguous.
  if (zip.Find("classes.dex")) {
    layout.primary_dex.push_back("classes.dex");
    for (int n = 2; n < 100000; ++n) {
      std::string name = "classes" + std::to_string(n) + ".dex";
      if (!zip.Find(name)) break;
      layout.primary_dex.push_back(std::move(name));
    }
  }
  auto is_primary = [&](const std::string& name) {
    for (const auto& p : layout.primary_dex)
      if (p == name) return true;
    return false;
  };
  for (const ZipEntry& e : zip.entries()) {
    if (!e.name.empty() && e.name.back() == '/') continue;  // directory entry
    std::string abi;
    const bool native = IsNativeLib(e.name, &abi);
    if (native) layout.native_libs[abi].push_back(e.name);
    const bool asset = StartsWith(e.name, "assets/");
    if (is_primary(e.name) || e.name == "AndroidManifest.xml" || e.name == "resources.arsc")
      continue;
    if (!asset && !MaySniffOutsideAssets(e.name)) continue;
    FileType type = FileType::kOther;
    auto prefix = zip.ReadPrefix(e, kFileTypeSniffBytes);
    if (!prefix.ok()) {
      ++layout.unreadable_entries;
      if (diagnostics) diagnostics->AddStatus("apk.unreadable_entry", prefix.status());
    } else {
      type = DetectFileType(ByteSpan(prefix->data(), prefix->size()));
    }
    LayoutEntry le{e.name, type, e.uncompressed_size, e.compressed_size};
    if (asset) layout.assets.push_back(le);
    // A lib/<abi>/*.so that is an ELF is the normal case; everything else with code is secondary.
    if (IsCodePayload(type) && !(native && type == FileType::kElf)) {
      layout.secondary_code.push_back(le);
    }
  }
  return layout;
}

}  // namespace piaudit::container
