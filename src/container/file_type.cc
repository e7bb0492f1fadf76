// Content sniffing for APK entries. Magic numbers come from each format's spec (DEX: dex_file.h
// kDexMagic; AXML/ARSC: ResourceTypes.h ResChunk_header; ELF: elf(5); PNG/JPEG/WebP/GIF: their
// specs). Chunk headers are checked for their fixed header size too, so a text file starting with
// "\x03\x00" is not an AXML document.
#include "container/file_type.h"

#include <cstring>

namespace piaudit::container {
namespace {

bool StartsWith(ByteSpan b, const char* magic, size_t n) {
  return b.size() >= n && std::memcmp(b.data(), magic, n) == 0;
}

// Valid UTF-8 without C0 controls other than tab/CR/LF/FF; a truncated last sequence (the prefix
// may cut one) is accepted.
bool LooksLikeText(ByteSpan b) {
  size_t i = 0;
  if (StartsWith(b, "\xef\xbb\xbf", 3)) i = 3;
  while (i < b.size()) {
    uint8_t c = b[i];
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
      if (c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t extra = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : 9;
    if (extra == 9) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if (i + k >= b.size()) return true;  // cut by the prefix
      if ((b[i + k] & 0xc0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

size_t SkipSpace(ByteSpan b, size_t i) {
  while (i < b.size() && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) ++i;
  return i;
}

bool ContainsCaseless(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t k = 0;
    while (k < needle.size()) {
      char c = hay[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != needle[k]) break;
      ++k;
    }
    if (k == needle.size()) return true;
  }
  return false;
}

}  // namespace

FileType DetectFileType(ByteSpan prefix) {
  ByteSpan b = prefix.size() > kFileTypeSniffBytes ? *prefix.Slice(0, kFileTypeSniffBytes) : prefix;
  if (b.empty()) return FileType::kEmpty;
  if (StartsWith(b, "dex\n", 4) || StartsWith(b, "cdex", 4)) return FileType::kDex;
  if (StartsWith(b, "dey\n", 4)) return FileType::kOdex;
  if (StartsWith(b, "PK\x03\x04", 4) || StartsWith(b, "PK\x05\x06", 4) ||
      StartsWith(b, "PK\x07\x08", 4)) {
    return FileType::kZip;
  }
  if (StartsWith(b,
                 "\x7f"
                 "ELF",
                 4))
    return FileType::kElf;
  if (b.size() >= 8) {
    uint16_t type = *b.U16At(0);
    uint16_t header_size = *b.U16At(2);
    if (type == 0x0003 && header_size == 8) return FileType::kAxml;
    if (type == 0x0002 && header_size == 12) return FileType::kArsc;
  }
  if (StartsWith(b, "\x89PNG\r\n\x1a\n", 8)) return FileType::kPng;
  if (StartsWith(b, "\xff\xd8\xff", 3)) return FileType::kJpeg;
  if (b.size() >= 12 && StartsWith(b, "RIFF", 4) && std::memcmp(b.data() + 8, "WEBP", 4) == 0)
    return FileType::kWebp;
  if (StartsWith(b, "GIF87a", 6) || StartsWith(b, "GIF89a", 6)) return FileType::kGif;
  if (StartsWith(b, "\xca\xfe\xba\xbe", 4)) return FileType::kClass;
  if (StartsWith(b, "\x1f\x8b", 2)) return FileType::kGzip;
  if (!LooksLikeText(b)) return FileType::kOther;
  size_t i = SkipSpace(b, StartsWith(b, "\xef\xbb\xbf", 3) ? 3 : 0);
  std::string_view s = b.From(i).AsStringView();
  if (ContainsCaseless(s.substr(0, 64), "<!doctype html") || ContainsCaseless(s, "<html"))
    return FileType::kHtml;
  if (!s.empty() && s[0] == '<') return FileType::kXmlText;
  if (!s.empty() && (s[0] == '{' || s[0] == '[')) return FileType::kJson;
  return FileType::kText;
}

std::string_view FileTypeName(FileType type) {
  switch (type) {
    case FileType::kEmpty:
      return "empty";
    case FileType::kDex:
      return "dex";
    case FileType::kOdex:
      return "odex";
    case FileType::kZip:
      return "zip";
    case FileType::kElf:
      return "elf";
    case FileType::kAxml:
      return "axml";
    case FileType::kArsc:
      return "arsc";
    case FileType::kPng:
      return "png";
    case FileType::kJpeg:
      return "jpeg";
    case FileType::kWebp:
      return "webp";
    case FileType::kGif:
      return "gif";
    case FileType::kClass:
      return "class";
    case FileType::kGzip:
      return "gzip";
    case FileType::kHtml:
      return "html";
    case FileType::kJson:
      return "json";
    case FileType::kXmlText:
      return "xml";
    case FileType::kText:
      return "text";
    case FileType::kOther:
      return "other";
  }
  return "other";
}

bool IsCodePayload(FileType type) {
  return type == FileType::kDex || type == FileType::kOdex || type == FileType::kZip ||
         type == FileType::kClass || type == FileType::kElf;
}

}  // namespace piaudit::container
