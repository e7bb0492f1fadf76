// See screen_evidence.h.
#include "report/internal/screen_evidence.h"

#include <openssl/sha.h>

#include <filesystem>

#include "base/mapped_file.h"
#include "runtime/screen_facts.h"

namespace piaudit::report::internal {

namespace {

namespace fs = std::filesystem;

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) |
                       uint32_t(uint8_t(in[i + 2]));
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (i < in.size()) {
    uint32_t v = uint32_t(uint8_t(in[i])) << 16;
    if (i + 1 < in.size()) v |= uint32_t(uint8_t(in[i + 1])) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace

const evidence::RuntimeEventFact* ScreenOf(const evidence::AppEvidence& ev,
                                           const evidence::EvidenceRef& ref) {
  if (!ev.runtime || ref.kind != evidence::SourceKind::kTrace || ref.time.empty()) return nullptr;
  const evidence::RuntimeEventFact* screen = nullptr;
  for (const evidence::RuntimeEventFact& e : ev.runtime->timeline) {
    if (e.type != "ui" || e.ref.file != ref.file) continue;
    if (e.ref.location == ref.location && !ref.location.empty()) return &e;
    // Times are RFC 3339 UTC with milliseconds, one format: their text sorts as the time does.
    if (e.ref.time.empty() || e.ref.time > ref.time) continue;
    if (screen == nullptr || screen->ref.time <= e.ref.time) screen = &e;
  }
  return screen;
}

std::string ScreenshotDataUri(const evidence::RuntimeEventFact& screen, uint64_t* budget) {
  if (screen.screenshot.empty() || screen.screenshot_sha256.empty()) return "";
  // Only a file inside the recording's folder, as when it was read (runtime/recordings.cc).
  const fs::path folder = fs::path(screen.ref.file).parent_path();
  const fs::path rel = fs::path(screen.screenshot).lexically_relative(folder);
  if (rel.empty() || !runtime::PathInsideFolder(folder.string(), rel.string())) return "";
  const uint64_t limit = std::min<uint64_t>(runtime::kMaxScreenshotBytes, *budget);
  auto bytes = ReadFileToString(screen.screenshot, limit);
  if (!bytes.ok()) return "";
  const std::string_view mime = runtime::ScreenshotMimeType(*bytes);
  if (mime.empty()) return "";
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes->data()), bytes->size(), digest);
  if (Hex(digest, sizeof digest) != screen.screenshot_sha256) return "";
  *budget -= bytes->size();
  return "data:" + std::string(mime) + ";base64," + Base64(*bytes);
}

}  // namespace piaudit::report::internal
