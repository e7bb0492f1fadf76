// Finding the device's identifiers in what the app sent: the values a recording declares
// (trace::Identifiers) searched for in URLs, headers and bodies, raw and in the encodings SDKs use
// to hide them (percent-encoding, base64, hex, MD5/SHA-1/SHA-256 digests).
//
// Every encoding of every value is precomputed into one Aho-Corasick automaton, so a haystack is
// scanned once whatever the number of identifiers (a 1 MB body takes about a millisecond).
// Matching is ASCII case-insensitive except for base64, whose letters are data.
//
// base64 inside a larger base64 blob depends on where the value falls modulo 3 bytes; each value
// is searched as the three "inner" substrings that stay the same whatever bytes surround it (the
// characters fully inside the value for a shift of 0, 1 and 2 bytes), in the standard and the
// URL-safe alphabet. Padding never matters because the inner substrings end before it.
#ifndef PIAUDIT_RUNTIME_IDENTIFIER_MATCH_H_
#define PIAUDIT_RUNTIME_IDENTIFIER_MATCH_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trace/event.h"

namespace piaudit::runtime {

struct IdentifierMatch {
  // "imei", "android_id", "mac", "oaid", "imsi", "iccid", "serial", "phone_number", "location"
  std::string_view kind;
  // "raw", "url", "base64", "hex", "md5", "sha1", "sha256"
  std::string_view encoding;
  // "url", "query", "header:<name>", "body" (FindInNetworkEvent), or what the caller passed.
  std::string where;
  // Byte offset of the match in the text searched (the URL, the header value, the body); for a
  // match found after decoding, the offset in that text where the decoded match begins.
  uint64_t offset = 0;
  // Found only once percent-escapes (and JSON string escapes in a JSON body) were decoded.
  bool after_decoding = false;
  // The declared value that matched (for location: the decimal prefix searched); a view into the
  // IdentifierSet, valid while it lives.
  std::string_view value;
};

// A declared identifier left out of the search, and why (too short to be told from noise, or a
// placeholder every device reports).
struct SkippedIdentifier {
  std::string_view kind;
  std::string value;
  std::string_view why;
};

class IdentifierSet {
 public:
  explicit IdentifierSet(const trace::Identifiers& identifiers);
  ~IdentifierSet();
  IdentifierSet(IdentifierSet&&) noexcept;
  IdentifierSet& operator=(IdentifierSet&&) noexcept;

  bool empty() const;
  size_t pattern_count() const;
  const std::vector<SkippedIdentifier>& skipped() const { return skipped_; }

  // Every match in `haystack`, in order of offset; each carries `where`.
  std::vector<IdentifierMatch> FindIdentifiers(std::string_view haystack,
                                               std::string_view where) const;

  // A network event's URL ("url" before '?', "query" after), each header value
  // ("header:<name>") and body ("body"); each also after percent-decoding (and, for a JSON body,
  // string unescaping) when that changes it, keeping only what the raw text did not show.
  std::vector<IdentifierMatch> FindInNetworkEvent(const trace::Event& event) const;

 private:
  struct Automaton;
  std::vector<std::string> values_;  // owned storage the matches' `value` views point into
  std::vector<SkippedIdentifier> skipped_;
  std::unique_ptr<Automaton> automaton_;
};

}  // namespace piaudit::runtime

#endif  // PIAUDIT_RUNTIME_IDENTIFIER_MATCH_H_
