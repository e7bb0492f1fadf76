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
// Privacy-policy candidates: a URL is the app's privacy policy only with evidence that it is one
// (JudgePolicyUrls), never because it was found. Evidence is scored: a privacy word in the URL
// (privacy, yszc, 隐私) or in the text around it (《隐私政策》) 2 points each, a host that is the
// app's own (example.com for com.example.app) 1, a site that is the app's own (its code, its
// resources) 1; 3 points make a candidate. Never a candidate, whatever the words: a licence or
// open-source notice (jquery's http://benalman.com/about/license/, apache.org/licenses/
// LICENSE-2.0), a host of an SDK or of an SDK's own published policy, a URL only SDK code uses, a
// user agreement or terms link without a privacy word. URLs that looked like any of these are
// listed with why they are not trusted; the rest are just URLs. Schema namespaces never get this
// far (UrlCollector::Add drops them).
#ifndef PIAUDIT_ANALYSIS_STRINGS_URLS_H_
#define PIAUDIT_ANALYSIS_STRINGS_URLS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
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

// What the words say about one URL as a privacy-policy link (data/consent_words.yaml); see the
// file comment. Filled by UrlCollector::Add over every occurrence.
struct PolicyUrlWords {
  std::string privacy_in_url;     // the policy_url_path word in host + path, or ""
  std::string privacy_in_text;    // the policy_url_context word in the text around it, or ""
  std::string agreement_in_url;   // an agreement_url_words word in host + path, or ""
  std::string agreement_in_text;  // one in the text around it, or ""
  std::string licence;            // a not_policy_names word in the path, or ""
  bool Any() const {
    return !privacy_in_url.empty() || !privacy_in_text.empty() || !agreement_in_url.empty() ||
           !agreement_in_text.empty() || !licence.empty();
  }
};

// The text around the first occurrence of `url` in `context`, without the URL and without
// anything beyond a neighbouring URL (whose link text is its own); `context` when `url` is not
// in it.
std::string TextAround(std::string_view context, std::string_view url);

// Adds to `out` what `words` finds in `url` (host and path) and in `context` (the text around
// one occurrence, without the URL itself); words already found are kept.
void MatchPolicyUrlWords(const knowledge::ConsentWords& words, const UrlParts& url,
                         std::string_view context, PolicyUrlWords* out);

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
  PolicyUrlWords policy_words;
  // Set by JudgePolicyUrls. A candidate is the app's privacy policy with evidence (url_found);
  // a listed URL looked like a policy, agreement or licence link but is not trusted.
  bool policy_candidate = false;
  bool policy_listed = false;
  int policy_score = 0;
  std::vector<std::string> policy_reasons;  // the evidence, for a candidate or a listed URL
  std::string policy_rejected;              // why a listed URL is not a candidate
};

// What the app is, for JudgePolicyUrls.
struct PolicyUrlSite {
  // The manifest package first, then further packages of the app's own code.
  std::vector<std::string> app_packages;
  // The SDK a host belongs to (a catalogue host, or the host of an SDK's published privacy
  // policy), or "" for none. May be empty (no SDK knowledge).
  std::function<std::string(std::string_view host)> sdk_of_host;
};

// Points a candidate needs (see the file comment).
inline constexpr int kPolicyUrlMinScore = 3;

// Decides, for each URL, whether it is a privacy-policy candidate, listed, or neither, with the
// reasons; see the file comment.
void JudgePolicyUrls(const PolicyUrlSite& site, std::vector<UrlRecord>* urls);

struct HostRecord {
  std::string host;
  uint32_t count = 0;  // sites over all URLs with this host
  SiteLocation first;
  std::vector<std::string> owners;
  std::vector<std::string> sources;  // distinct SiteLocation::source values
};

// Collects URLs with counts and first locations, bounded by `max_urls` distinct URLs (later new
// URLs are counted in dropped()). Not thread-safe; one per scan. `words` (for policy_words) must
// outlive it.
class UrlCollector {
 public:
  explicit UrlCollector(const knowledge::ConsentWords& words, size_t max_urls = 50'000)
      : words_(words), max_urls_(max_urls) {}

  // Adds one occurrence. `text` is a URL or a bare host; `context` the surrounding text (for
  // policy words; may be empty); `owner` "app", an SDK id, or "" when unknown. Returns false when
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
