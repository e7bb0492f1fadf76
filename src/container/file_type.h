// Classifies an entry's bytes by content, not by name: an APK can hide a DEX as "assets/a.png" or a
// jar as "res/raw/x.dat" (packers and hot-fix SDKs do), so the auditor looks at magic numbers.
//
// Only a short prefix is needed (kFileTypeSniffBytes); callers with a deflated entry can inflate
// just that much with ZipArchive::ReadPrefix. Text detection (HTML/JSON/text) is a heuristic over
// the prefix: valid UTF-8 without control bytes; it never claims a binary format.
#ifndef PIAUDIT_CONTAINER_FILE_TYPE_H_
#define PIAUDIT_CONTAINER_FILE_TYPE_H_

#include <cstddef>
#include <string_view>

#include "base/byte_span.h"

namespace piaudit::container {

enum class FileType : uint8_t {
  kEmpty,
  kDex,   // "dex\n0xx\0" (also compact dex "cdex")
  kOdex,  // "dey\n" optimized dex
  kZip,   // zip / jar / apk / aar (local header, empty-archive EOCD, or spanned marker)
  kElf,   // "\x7fELF"
  kAxml,  // binary XML: RES_XML_TYPE chunk 0x0003, header size 8
  kArsc,  // resource table: RES_TABLE_TYPE chunk 0x0002, header size 12
  kPng,
  kJpeg,
  kWebp,
  kGif,
  kClass,  // Java class file 0xCAFEBABE (also Mach-O fat, rare in APKs)
  kGzip,
  kHtml,
  kJson,
  kXmlText,  // textual XML (<?xml or <tag)
  kText,
  kOther,
};

// Bytes of prefix DetectFileType looks at; more are ignored.
inline constexpr size_t kFileTypeSniffBytes = 512;

FileType DetectFileType(ByteSpan prefix);
// Stable lowercase name for reports: "dex", "zip", "elf", "axml", "png", "text", ...
std::string_view FileTypeName(FileType type);
// True for types that carry executable code the app may load at run time (dex, odex, zip/jar/apk,
// class files, ELF).
bool IsCodePayload(FileType type);

}  // namespace piaudit::container

#endif  // PIAUDIT_CONTAINER_FILE_TYPE_H_
