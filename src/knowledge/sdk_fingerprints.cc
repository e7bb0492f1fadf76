#include "knowledge/sdk_fingerprints.h"

#include <charconv>
#include <cstdio>
#include <utility>

namespace piaudit::knowledge {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

Status LineError(const std::string& path, size_t line, const std::string& msg) {
  return InvalidInput(msg).InFile(path + ":" + std::to_string(line));
}

bool ParseHash(std::string_view s, uint64_t* out) {
  if (s.size() != 16) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out, 16);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Status SdkFingerprints::Add(SdkFingerprintSet set) {
  const uint32_t set_index = static_cast<uint32_t>(sets_.size());
  for (uint32_t c = 0; c < set.classes.size(); ++c) {
    for (uint64_t h : set.classes[c]) {
      auto [it, inserted] = index_.emplace(h, FingerprintHit{set_index, c});
      if (inserted) continue;
      if (it->second.set == set_index) continue;  // a class repeated within one reference
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
      return InvalidInput(std::string("method hash ") + hex + " is also in the reference of '" +
                          sets_[it->second.set].sdk + "': a hash must be distinctive of one SDK")
          .InFile(set.where.file + ":" + std::to_string(set.where.line));
    }
  }
  sets_.push_back(std::move(set));
  return Status();
}

Result<SdkFingerprintSet> ParseSdkFingerprints(std::string_view text, const std::string& path) {
  SdkFingerprintSet set;
  set.where = {path, 1};
  bool have_format = false, have_classes = false;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return LineError(path, line_no, "expected 'key: value'");
    std::string_view key = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (!have_format) {
      if (key != "format" || value != kFingerprintFormat)
        return LineError(
            path, line_no,
            "the first line must be 'format: " + std::string(kFingerprintFormat) + "'");
      have_format = true;
      continue;
    }
    if (key == "class") {
      if (set.classes.size() >= kMaxFingerprintClasses)
        return LineError(path, line_no,
                         "more than " + std::to_string(kMaxFingerprintClasses) + " class lines");
      std::vector<uint64_t>& hashes = set.classes.emplace_back();
      while (!value.empty()) {
        size_t sp = value.find(' ');
        std::string_view tok = value.substr(0, sp);
        value = sp == std::string_view::npos ? std::string_view() : Trim(value.substr(sp + 1));
        uint64_t h = 0;
        if (!ParseHash(tok, &h))
          return LineError(path, line_no,
                           "'" + std::string(tok.substr(0, 40)) + "' is not 16 hex digits");
        if (hashes.size() >= kMaxHashesPerClass)
          return LineError(
              path, line_no,
              "more than " + std::to_string(kMaxHashesPerClass) + " hashes in one class");
        hashes.push_back(h);
      }
      if (hashes.empty()) return LineError(path, line_no, "class line without hashes");
      have_classes = true;
      continue;
    }
    if (have_classes)
      return LineError(path, line_no, "'" + std::string(key) + "' after the class lines");
    if (key == "sdk") {
      set.sdk = value;
    } else if (key == "source") {
      set.source = value;
    } else if (key == "sdk_version") {
      set.sdk_version = value;
    } else if (key == "reference_classes") {
      auto [p, ec] =
          std::from_chars(value.data(), value.data() + value.size(), set.reference_classes);
      if (ec != std::errc() || p != value.data() + value.size())
        return LineError(path, line_no, "reference_classes: not a count");
    } else {
      return LineError(path, line_no, "unknown key '" + std::string(key.substr(0, 40)) + "'");
    }
  }
  if (!have_format) return LineError(path, 1, "empty file (no 'format:' line)");
  if (set.sdk.empty()) return LineError(path, line_no, "missing 'sdk:'");
  if (set.source.empty()) return LineError(path, line_no, "missing 'source:'");
  if (set.sdk_version.empty()) set.sdk_version = "unknown";
  if (set.classes.empty()) return LineError(path, line_no, "no class lines");
  if (set.reference_classes < set.classes.size())
    return LineError(path, line_no,
                     "reference_classes (" + std::to_string(set.reference_classes) +
                         ") is smaller than the " + std::to_string(set.classes.size()) +
                         " class lines");
  return set;
}

std::string FormatSdkFingerprints(const SdkFingerprintSet& set, std::string_view header_comment) {
  std::string out;
  size_t start = 0;
  while (start < header_comment.size()) {
    size_t nl = header_comment.find('\n', start);
    if (nl == std::string_view::npos) nl = header_comment.size();
    out += "# ";
    out += header_comment.substr(start, nl - start);
    out += '\n';
    start = nl + 1;
  }
  out += "format: ";
  out += kFingerprintFormat;
  out += "\nsdk: " + set.sdk + "\nsource: " + set.source +
         "\nsdk_version: " + (set.sdk_version.empty() ? std::string("unknown") : set.sdk_version) +
         "\nreference_classes: " + std::to_string(set.reference_classes) + "\n";
  char hex[18];
  for (const std::vector<uint64_t>& c : set.classes) {
    out += "class:";
    for (uint64_t h : c) {
      std::snprintf(hex, sizeof hex, " %016llx", static_cast<unsigned long long>(h));
      out += hex;
    }
    out += '\n';
  }
  return out;
}

}  // namespace piaudit::knowledge
