// URLs and hosts in an app's strings: recognising them inside arbitrary text, normalising them
// (scheme, host, port, path), and collecting them with counts and first locations.
//
// Sources differ in what they give: a dex const-string is one Java string (it may be a bare host
// such as "stats.jpush.cn" or a URL inside a longer message), resources.arsc and assets are raw
// bytes (UTF-8 or UTF-16LE string pools), native libraries arrive as ElfFacts::urls. Everything is
// reduced to "scheme://host[:port]/path" with the host lower-cased and the default port dropped,
// so one endpoint written several ways is counted once.
//
// Tricky: Java package names look like reversed host names ("com.tencent.mm" ends in the real TLD
// "mm"). A bare string counts as a host only when its last label is a known TLD and its first
// label is not a TLD-like package root (com, org, cn, ...); URLs with a scheme need no such guess.
// Privacy-policy candidates are links whose path or surrounding text names a policy (隐私, 协议,
// 条款, privacy, policy, agreement, terms); that is a hint for the policy stage, not a verdict.
#ifndef PIAUDIT_ANALYSIS_STRINGS_URLS_H_
#define PIAUDIT_ANALYSIS_STRINGS_URLS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/byte_span.h"
#include "knowledge/word_lists.h"

namespace piaudit::analysis {

struct UrlParts {
  std::string scheme;  // lower case; "" for a bare host
  std::string host;    // lower case, no trailing dot
  uint32_t port = 0;   // 0 when absent or the scheme's default
  std::string path;    // from the first '/', query and fragment dropped; "" when none
  // "scheme://host[:port]path", or "host[:port]path" for a bare host.
  std::string Normalized() const;
};

// Parses one URL ("https://Stats.JPush.cn:443/v1?x=1") or bare host ("stats.jpush.cn/path").
// nullopt when `text` is neither (a Java package name, a file name, a sentence).
std::optional<UrlParts> ParseUrl(std::string_view text);

// True when the whole of `s` is a host name (optionally ":port" and "/path") that is not a Java
// package name; see the file comment.
bool LooksLikeBareHost(std::string_view s);

// Every "scheme://..." run inside `text` (http, https, ws, wss, ftp, rtmp, tcp, udp, mqtt ...),
// as views into `text`, at most `max` of them.
std::vector<std::string_view> FindUrlsInText(std::string_view text, size_t max);

// Like FindUrlsInText over raw bytes holding UTF-8 and UTF-16LE strings (resources.arsc, assets,
// binary XML). UTF-16 URLs are narrowed to ASCII, so results are owned strings. `context_out`,
// when not null, receives ~80 bytes of text around each hit (ASCII-narrowed) for policy hints.
struct BytesUrlHit {
  std::string url;
  uint64_t offset = 0;
  std::string context;
};
std::vector<BytesUrlHit> FindUrlsInBytes(ByteSpan bytes, size_t max);

// True when the URL (or the text around it) suggests a privacy policy or user agreement: its host
// and path have a policy_url_path word, or `context` a policy_url_context word
// (data/consent_words.yaml).
bool IsPolicyCandidate(const knowledge::ConsentWords& words, const UrlParts& url,
                       std::string_view context);

// Where a URL was seen.
struct SiteLocation {
  std::string source;  // "dex", "resources", "asset", "native", "manifest"
  std::string file;    // "classes2.dex", "resources.arsc", "assets/x.json", "lib/arm64-v8a/a.so"
  std::string detail;  // "Lcom/foo/Bar;->baz()V", or "+0x1a2c", or ""
};

struct UrlRecord {
  UrlParts parts;
  std::string url;  // parts.Normalized()
  uint32_t count = 0;
  SiteLocation first;
  std::vector<std::string> owners;  // "app" or SDK ids of the code that uses it (dex only)
  bool policy_candidate = false;
};

struct HostRecord {
  std::string host;
  uint32_t count = 0;  // sites over all URLs with this host
  SiteLocation first;
  std::vector<std::string> owners;
  std::vector<std::string> sources;  // distinct SiteLocation::source values
};

// Collects URLs with counts and first locations, bounded by `max_urls` distinct URLs (later new
// URLs are counted in dropped()). Not thread-safe; one per scan. `words` (for policy_candidate)
// must outlive it.
class UrlCollector {
 public:
  explicit UrlCollector(const knowledge::ConsentWords& words, size_t max_urls = 50'000)
      : words_(words), max_urls_(max_urls) {}

  // Adds one occurrence. `text` is a URL or a bare host; `context` the surrounding text (for
  // policy hints; may be empty); `owner` "app", an SDK id, or "" when unknown. Returns false when
  // `text` is not a URL/host, or names an XML namespace (schemas.android.com, www.w3.org, ...).
  bool Add(std::string_view text, std::string_view context, const SiteLocation& where,
           std::string_view owner, uint32_t occurrences = 1);

  // Sorted by URL.
  std::vector<UrlRecord> Urls() const;
  // Sorted by host; aggregated over URLs.
  std::vector<HostRecord> Hosts() const;
  uint64_t dropped() const { return dropped_; }
  size_t size() const { return records_.size(); }

 private:
  const knowledge::ConsentWords& words_;
  size_t max_urls_;
  std::map<std::string, UrlRecord, std::less<>> records_;
  uint64_t dropped_ = 0;
};

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_STRINGS_URLS_H_
