// piaudit-dump-axml: prints a binary XML file in `aapt dump xmltree` format, for parity checks.
//   piaudit-dump-axml APP.apk [ENTRY]   (ENTRY defaults to AndroidManifest.xml)
//   piaudit-dump-axml --raw FILE.xml    (a binary XML file on disk)
// Exit codes follow piaudit's: 0 ok, 2 usage, 3 bad input.
#include <cstdio>
#include <string>

#include "android/axml.h"
#include "base/mapped_file.h"
#include "container/zip_archive.h"

int main(int argc, char** argv) {
  using namespace piaudit;
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s APP.apk [ENTRY] | --raw FILE\n", argv[0]);
    return 2;
  }
  Limits limits;
  Diagnostics diagnostics(limits.max_diagnostics);
  std::string arg1 = argv[1];
  bool raw = arg1 == "--raw";
  if (raw && argc != 3) {
    std::fprintf(stderr, "usage: %s --raw FILE\n", argv[0]);
    return 2;
  }
  std::string path = raw ? argv[2] : arg1;
  auto file = MappedFile::Open(path, limits.max_archive_bytes);
  if (!file.ok()) {
    std::fprintf(stderr, "%s\n", file.status().ToString().c_str());
    return 3;
  }
  ByteSpan bytes = (*file)->bytes();
  container::EntryData data;
  std::string entry_name = raw ? path : (argc == 3 ? argv[2] : "AndroidManifest.xml");
  if (!raw) {
    auto zip = container::ZipArchive::Open(bytes, path, limits, &diagnostics);
    if (!zip.ok()) {
      std::fprintf(stderr, "%s\n", zip.status().ToString().c_str());
      return 3;
    }
    const container::ZipEntry* e = zip->Find(entry_name);
    if (e == nullptr) {
      std::fprintf(stderr, "%s: no entry %s\n", path.c_str(), entry_name.c_str());
      return 3;
    }
    auto d = zip->Read(*e);
    if (!d.ok()) {
      std::fprintf(stderr, "%s\n", d.status().ToString().c_str());
      return 3;
    }
    data = *d;
    bytes = data.bytes();
  }
  auto doc = android::ParseAxml(bytes, limits, &diagnostics, entry_name);
  if (!doc.ok()) {
    std::fprintf(stderr, "%s\n", Status(doc.status()).InFile(path).ToString().c_str());
    return 3;
  }
  std::string out = android::FormatXmlTree(*doc);
  std::fwrite(out.data(), 1, out.size(), stdout);
  for (const Diagnostic& d : diagnostics.items())
    std::fprintf(stderr, "%s\n", d.ToString().c_str());
  return 0;
}
