// URL recognition and collection; see strings_urls.h for what counts as a URL or host and why.
#include "analysis/strings_urls.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

#include "base/ascii.h"

namespace piaudit::analysis {
namespace {

// Schemes of network endpoints. content://, file://, android.resource:// are local and excluded.
constexpr std::array<std::string_view, 14> kNetworkSchemes = {"http", "https", "ws",   "wss", "ftp",
                                                              "rtmp", "rtmps", "rtsp", "tcp", "udp",
                                                              "mqtt", "mqtts", "tls",  "ssl"};

// TLDs accepted for bare hosts. Deliberately short: file extensions that are also ccTLDs ("so",
// "md", "sh", "py", "rs", "mk") are left out, since "libjcore.so" is far more common in an APK
// than a .so domain.
constexpr std::array<std::string_view, 44> kTlds = {
    "com", "cn",  "net", "org", "io",  "co",   "me",    "info",   "biz",  "cc",   "tv",
    "app", "dev", "xyz", "top", "vip", "club", "site",  "online", "tech", "ai",   "mobi",
    "pro", "hk",  "tw",  "jp",  "kr",  "us",   "uk",    "de",     "fr",   "ru",   "in",
    "sg",  "eu",  "gov", "edu", "int", "link", "cloud", "live",   "fun",  "shop", "ltd"};
// TLDs strong enough that a two-label bare host ("jpush.cn") is accepted.
constexpr std::array<std::string_view, 5> kCoreTlds = {"com", "cn", "net", "org", "io"};
// First labels that mark a Java package name rather than a host.
constexpr std::array<std::string_view, 10> kPackageRoots = {
    "android", "androidx", "java", "javax", "kotlin", "kotlinx", "dalvik", "sun", "junit", "www_"};

// Hosts of XML namespace and schema identifiers: they name a vocabulary, no request is ever made
// to them, and every app's dex and binary XML carries them.
constexpr std::array<std::string_view, 8> kNamespaceHosts = {"schemas.android.com",
                                                             "www.w3.org",
                                                             "ns.adobe.com",
                                                             "xmlpull.org",
                                                             "xml.org",
                                                             "purl.org",
                                                             "schemas.xmlsoap.org",
                                                             "schemas.microsoft.com"};

template <size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSchemeChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '+' || c == '.' || c == '-'; }
// Characters that may appear in a URL as written in code or text (RFC 3986 plus '%').
bool IsUrlChar(char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  switch (c) {
    case '"':
    case '\'':
    case '<':
    case '>':
    case '`':
    case '{':
    case '}':
    case '|':
    case '\\':
    case '^':
    case ')':
    case '(':
    case ',':
    case ';':
    case '[':
    case ']':
      return false;
    default:
      return true;
  }
}

std::vector<std::string_view> SplitLabels(std::string_view host) {
  std::vector<std::string_view> labels;
  size_t start = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    if (dot == std::string_view::npos) dot = host.size();
    labels.push_back(host.substr(start, dot - start));
    start = dot + 1;
  }
  return labels;
}

bool IsIpv4(const std::vector<std::string_view>& labels) {
  if (labels.size() != 4) return false;
  for (std::string_view l : labels) {
    if (l.empty() || l.size() > 3) return false;
    for (char c : l)
      if (!IsDigit(c)) return false;
  }
  return true;
}

// A syntactically valid DNS name with a letter TLD, or an IPv4 address. `host` is lower case.
bool IsValidHost(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::vector<std::string_view> labels = SplitLabels(host);
  if (IsIpv4(labels)) return true;
  if (labels.size() < 2) return host == "localhost";
  for (std::string_view l : labels) {
    if (l.empty() || l.size() > 63 || l.front() == '-' || l.back() == '-') return false;
    for (char c : l)
      if (!(IsAlpha(c) || IsDigit(c) || c == '-' || c == '_')) return false;
  }
  std::string_view tld = labels.back();
  if (tld.size() < 2) return false;
  for (char c : tld)
    if (!IsAlpha(c)) return false;
  return true;
}

// Splits "host[:port][/path][?query][#fragment]" (after the scheme) into parts.
bool SplitAuthority(std::string_view rest, UrlParts* out) {
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? "" : rest.substr(end);
  // Drop userinfo (user:pass@host).
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  size_t colon = authority.find(':');
  std::string_view host = authority.substr(0, colon);
  if (colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5) return false;
    uint32_t p = 0;
    for (char c : port) {
      if (!IsDigit(c)) return false;
      p = p * 10 + static_cast<uint32_t>(c - '0');
    }
    if (p > 65535) return false;
    out->port = p;
  }
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  out->host = AsciiLower(host);
  if (!IsValidHost(out->host)) return false;
  if (!tail.empty() && tail.front() == '/') {
    size_t q = tail.find_first_of("?#");
    out->path = std::string(tail.substr(0, q));
  }
  if ((out->scheme == "http" && out->port == 80) || (out->scheme == "https" && out->port == 443) ||
      (out->scheme == "ws" && out->port == 80) || (out->scheme == "wss" && out->port == 443)) {
    out->port = 0;
  }
  return true;
}

}  // namespace

std::string UrlParts::Normalized() const {
  std::string s;
  if (!scheme.empty()) s = scheme + "://";
  s += host;
  if (port != 0) s += ":" + std::to_string(port);
  s += path;
  return s;
}

bool LooksLikeBareHost(std::string_view s) {
  if (s.size() < 4 || s.size() > 300) return false;
  if (s.find('.') == std::string_view::npos) return false;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') return false;  // hosts in code are lower case; "R.string.app" is not
    if (!IsUrlChar(c)) return false;
  }
  size_t end = s.find_first_of(":/");
  std::string_view host = s.substr(0, end);
  std::vector<std::string_view> labels = SplitLabels(host);
  if (IsIpv4(labels)) return end != std::string_view::npos;  // "1.2.3.4" alone is a version
  if (labels.size() < 2 || !IsValidHost(host)) return false;
  if (!In(kTlds, labels.back())) return false;
  if (In(kTlds, labels.front()) || In(kPackageRoots, labels.front())) return false;
  if (labels.size() == 2 && !In(kCoreTlds, labels.back())) return false;
  return true;
}

std::optional<UrlParts> ParseUrl(std::string_view text) {
  UrlParts parts;
  size_t sep = text.find("://");
  if (sep != std::string_view::npos) {
    std::string scheme = AsciiLower(text.substr(0, sep));
    if (!In(kNetworkSchemes, scheme)) return std::nullopt;
    parts.scheme = scheme;
    if (!SplitAuthority(text.substr(sep + 3), &parts)) return std::nullopt;
    return parts;
  }
  if (!LooksLikeBareHost(text)) return std::nullopt;
  if (!SplitAuthority(text, &parts)) return std::nullopt;
  return parts;
}

std::vector<std::string_view> FindUrlsInText(std::string_view text, size_t max) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (out.size() < max) {
    size_t sep = text.find("://", pos);
    if (sep == std::string_view::npos) break;
    size_t start = sep;
    while (start > 0 && sep - start < 10 && IsSchemeChar(text[start - 1])) --start;
    while (start < sep && !IsAlpha(text[start])) ++start;  // scheme starts with a letter
    size_t end = sep + 3;
    while (end < text.size() && IsUrlChar(text[end])) ++end;
    // Trailing punctuation belongs to the sentence, not the URL.
    while (end > sep + 3 && (text[end - 1] == '.' || text[end - 1] == ':')) --end;
    if (start < sep && end > sep + 3) {
      std::string scheme = AsciiLower(text.substr(start, sep - start));
      if (In(kNetworkSchemes, scheme)) out.push_back(text.substr(start, end - start));
    }
    pos = end > sep + 3 ? end : sep + 3;
  }
  return out;
}

namespace {

// Appends code point `cp` as UTF-8.
void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

constexpr size_t kContextBack = 96;     // bytes (UTF-8) or code units (UTF-16) before a URL
constexpr size_t kMaxUrlScan = 2048;    // longest URL we follow
constexpr size_t kContextForward = 64;  // after the URL

}  // namespace

std::vector<BytesUrlHit> FindUrlsInBytes(ByteSpan bytes, size_t max) {
  std::vector<BytesUrlHit> hits;
  std::string_view text = bytes.AsStringView();
  // UTF-8 / ASCII strings.
  size_t pos = 0;
  while (hits.size() < max) {
    size_t sep = text.find("://", pos);
    if (sep == std::string_view::npos) break;
    size_t lo = sep;
    while (lo > 0 && sep - lo < kContextBack && static_cast<uint8_t>(text[lo - 1]) >= 0x20) --lo;
    while (lo < sep && (static_cast<uint8_t>(text[lo]) & 0xc0) == 0x80) ++lo;  // char boundary
    size_t hi = sep;
    while (hi < text.size() && hi - sep < kMaxUrlScan && static_cast<uint8_t>(text[hi]) >= 0x20)
      ++hi;
    std::string_view window = text.substr(lo, hi - lo);
    std::vector<std::string_view> urls = FindUrlsInText(window, 1);
    size_t next = sep + 3;
    for (std::string_view u : urls) {
      size_t url_off = static_cast<size_t>(u.data() - text.data());
      if (url_off > sep) continue;  // belongs to a later "://"
      BytesUrlHit hit;
      hit.url = std::string(u);
      hit.offset = url_off;
      size_t ctx_end = std::min(text.size(), url_off + u.size() + kContextForward);
      size_t c = url_off + u.size();
      while (c < ctx_end && static_cast<uint8_t>(text[c]) >= 0x20) ++c;
      hit.context = std::string(text.substr(lo, c - lo));
      hits.push_back(std::move(hit));
      next = std::max(next, url_off + u.size());
    }
    pos = next;
  }
  // UTF-16LE strings (resources.arsc pools, binary XML): ":\0/\0/\0".
  static constexpr char kSep16[] = {':', 0, '/', 0, '/', 0};
  std::string_view sep16(kSep16, sizeof(kSep16));
  pos = 0;
  while (hits.size() < max) {
    size_t sep = text.find(sep16, pos);
    if (sep == std::string_view::npos) break;
    auto unit = [&](size_t i) {
      return static_cast<uint32_t>(static_cast<uint8_t>(text[i])) |
             (static_cast<uint32_t>(static_cast<uint8_t>(text[i + 1])) << 8);
    };
    size_t lo = sep;
    while (lo >= 2 && (sep - lo) / 2 < kContextBack && unit(lo - 2) >= 0x20 &&
           !(unit(lo - 2) >= 0xd800 && unit(lo - 2) < 0xe000))
      lo -= 2;
    size_t hi = sep;
    while (hi + 1 < text.size() && (hi - sep) / 2 < kMaxUrlScan && unit(hi) >= 0x20 &&
           !(unit(hi) >= 0xd800 && unit(hi) < 0xe000))
      hi += 2;
    std::string narrowed;
    for (size_t i = lo; i < hi; i += 2) AppendUtf8(unit(i), &narrowed);
    for (std::string_view u : FindUrlsInText(narrowed, 4)) {
      BytesUrlHit hit;
      hit.url = std::string(u);
      hit.offset = sep;  // approximate: the separator of the UTF-16 URL
      hit.context = narrowed.substr(0, std::min(narrowed.size(), kContextBack * 3 + u.size()));
      hits.push_back(std::move(hit));
      if (hits.size() >= max) break;
    }
    pos = hi > sep ? hi : sep + sep16.size();
  }
  return hits;
}

namespace {

// The first word of `list` that occurs in `text`, or "". `text` is lower case when the list is
// caseless.
std::string FirstWord(const knowledge::WordList& list, std::string_view text) {
  for (const std::string& w : list.words)
    if (text.find(w) != std::string_view::npos) return w;
  return "";
}

// Package labels that say nothing about who owns an app.
constexpr std::array<std::string_view, 8> kGenericLabels = {"app",    "apps", "android", "mobile",
                                                            "client", "demo", "main",    "www"};

// The label of a host that names its owner: "example" in m.example.com and www.example.com.cn.
std::string_view OwnerLabel(std::string_view host) {
  std::vector<std::string_view> labels = SplitLabels(host);
  if (labels.size() < 2 || IsIpv4(labels)) return "";
  size_t i = labels.size() - 2;
  // Second-level registries: example.com.cn, example.co.uk.
  if (labels.size() >= 3 && (In(kTlds, labels[i]) || labels[i] == "ac" || labels[i] == "gov")) --i;
  return labels[i];
}

// True when the host's owner label is a label of one of the app's packages, or one holds the
// other and the shorter has at least 5 letters ("instapaper" in com.x.leaninstapaper). `why`
// gets "example.com ~ com.example.app".
bool HostOfApp(std::string_view host, const std::vector<std::string>& packages, std::string* why) {
  std::string_view owner = OwnerLabel(host);
  if (owner.size() < 3) return false;
  for (const std::string& pkg : packages) {
    for (std::string_view label : SplitLabels(pkg)) {
      if (label.size() < 3 || In(kTlds, label) || In(kGenericLabels, label)) continue;
      const bool same = label == owner;
      const std::string_view shorter = label.size() < owner.size() ? label : owner;
      const std::string_view longer = label.size() < owner.size() ? owner : label;
      if (same || (shorter.size() >= 5 && longer.find(shorter) != std::string_view::npos)) {
        *why = std::string(host) + " ~ " + pkg;
        return true;
      }
    }
  }
  return false;
}

std::string Quoted(std::string_view w) { return "'" + std::string(w) + "'"; }

// Judges one record; see strings_urls.h.
void JudgePolicyUrl(const PolicyUrlSite& site, UrlRecord* rec) {
  const PolicyUrlWords& w = rec->policy_words;
  rec->policy_listed = false;
  rec->policy_candidate = false;
  rec->policy_score = 0;
  rec->policy_reasons.clear();
  rec->policy_rejected.clear();
  if (!w.Any()) return;
  // Reasons for it, whatever the outcome: a listed URL shows what made it look like a policy.
  int score = 0;
  if (!w.privacy_in_url.empty()) {
    score += 2;
    rec->policy_reasons.push_back(Quoted(w.privacy_in_url) + " in the URL");
  }
  if (!w.privacy_in_text.empty()) {
    score += 2;
    rec->policy_reasons.push_back(Quoted(w.privacy_in_text) + " in the text around it");
  }
  std::string why_host;
  if (HostOfApp(rec->parts.host, site.app_packages, &why_host)) {
    score += 1;
    rec->policy_reasons.push_back("host of the app (" + why_host + ")");
  }
  const bool app_code =
      std::find(rec->owners.begin(), rec->owners.end(), "app") != rec->owners.end();
  if (app_code) {
    score += 1;
    rec->policy_reasons.push_back("in the app's own code (" + rec->first.detail + ")");
  } else if (rec->first.source == "resources" || rec->first.source == "manifest") {
    score += 1;
    rec->policy_reasons.push_back("in the app's " + rec->first.source + " (" + rec->first.file +
                                  ")");
  }
  rec->policy_score = score;
  rec->policy_listed = true;
  // Never a candidate, in this order: what the URL is matters more than how it is written.
  std::string sdk = site.sdk_of_host ? site.sdk_of_host(rec->parts.host) : "";
  if (!w.licence.empty()) {
    rec->policy_rejected =
        "a licence or open-source notice (" + Quoted(w.licence) + " in the path)";
  } else if (!sdk.empty()) {
    rec->policy_rejected = "the host belongs to SDK " + sdk + " (its endpoint or its own policy)";
  } else if (!rec->owners.empty() && !app_code) {
    std::string owners;
    for (const std::string& o : rec->owners) owners += (owners.empty() ? "" : ", ") + o;
    rec->policy_rejected = "used only by SDK code (" + owners + ")";
  } else if (w.privacy_in_url.empty() && !w.agreement_in_url.empty()) {
    // The URL's own words outrank the text near it: in "《隐私政策》URL1 《用户协议》URL2" the
    // text around URL2 may well hold 隐私.
    rec->policy_rejected = "a user agreement or terms link (" + Quoted(w.agreement_in_url) +
                           " in the URL), not a privacy policy";
  } else if (w.privacy_in_url.empty() && w.privacy_in_text.empty()) {
    rec->policy_rejected = "a user agreement or terms link (" + Quoted(w.agreement_in_text) +
                           " in the text around it), not a privacy policy";
  } else if (score < kPolicyUrlMinScore) {
    rec->policy_rejected = "too little evidence (" + std::to_string(score) + " of " +
                           std::to_string(kPolicyUrlMinScore) +
                           " points: nothing ties it to the app)";
  } else {
    rec->policy_candidate = true;
  }
}

}  // namespace

std::string TextAround(std::string_view context, std::string_view url) {
  const size_t at = url.empty() ? std::string_view::npos : context.find(url);
  if (at == std::string_view::npos) return std::string(context);
  std::string_view before = context.substr(0, at);
  std::string_view after = context.substr(at + url.size());
  // Not past a neighbouring URL: its text is its own.
  if (size_t sep = before.rfind("://"); sep != std::string_view::npos) {
    size_t end = sep + 3;
    while (end < before.size() && IsUrlChar(before[end])) ++end;
    before = before.substr(end);
  }
  if (size_t sep = after.find("://"); sep != std::string_view::npos) {
    size_t start = sep;
    while (start > 0 && IsSchemeChar(after[start - 1])) --start;
    after = after.substr(0, start);
  }
  return std::string(before) + " " + std::string(after);
}

void MatchPolicyUrlWords(const knowledge::ConsentWords& words, const UrlParts& url,
                         std::string_view context, PolicyUrlWords* out) {
  // The URL lists are caseless (lower-case words against the lowered URL); policy_url_context is
  // exact; agreement words are caseless in the text too.
  if (!url.host.empty()) {
    const std::string host_path = AsciiLower(url.host + url.path);
    if (out->privacy_in_url.empty())
      out->privacy_in_url = FirstWord(words.policy_url_path, host_path);
    if (out->agreement_in_url.empty())
      out->agreement_in_url = FirstWord(words.agreement_url_words, host_path);
    if (out->licence.empty())
      out->licence = FirstWord(words.not_policy_names, AsciiLower(url.path));
  }
  if (context.empty()) return;
  if (out->privacy_in_text.empty())
    out->privacy_in_text = FirstWord(words.policy_url_context, context);
  if (out->agreement_in_text.empty())
    out->agreement_in_text = FirstWord(words.agreement_url_words, AsciiLower(context));
}

void JudgePolicyUrls(const PolicyUrlSite& site, std::vector<UrlRecord>* urls) {
  for (UrlRecord& rec : *urls) JudgePolicyUrl(site, &rec);
}

bool UrlCollector::Add(std::string_view text, std::string_view context, const SiteLocation& where,
                       std::string_view owner, uint32_t occurrences) {
  std::optional<UrlParts> parts = ParseUrl(text);
  if (!parts || In(kNamespaceHosts, parts->host)) return false;
  std::string key = parts->Normalized();
  auto it = records_.find(key);
  const bool inserted = it == records_.end();
  if (inserted) {
    if (records_.size() >= max_urls_) {
      dropped_ += occurrences;
      return true;
    }
    UrlRecord rec;
    rec.url = key;
    rec.parts = std::move(*parts);
    rec.first = where;
    it = records_.emplace(key, std::move(rec)).first;
  }
  UrlRecord& rec = it->second;
  rec.count += occurrences;
  // The URL's own words once, the text around it at every occurrence.
  static const UrlParts kNoUrl;
  MatchPolicyUrlWords(words_, inserted ? rec.parts : kNoUrl, TextAround(context, text),
                      &rec.policy_words);
  // Owners are few per URL (the app and a handful of SDKs); 16 bounds a hostile case.
  if (!owner.empty() && rec.owners.size() < 16 &&
      std::find(rec.owners.begin(), rec.owners.end(), owner) == rec.owners.end()) {
    rec.owners.emplace_back(owner);
  }
  return true;
}

std::vector<UrlRecord> UrlCollector::Urls() const {
  std::vector<UrlRecord> out;
  out.reserve(records_.size());
  for (const auto& [key, rec] : records_) out.push_back(rec);
  return out;
}

std::vector<HostRecord> UrlCollector::Hosts() const {
  std::map<std::string, HostRecord, std::less<>> hosts;
  for (const auto& [key, rec] : records_) {
    auto [it, inserted] = hosts.try_emplace(rec.parts.host);
    HostRecord& h = it->second;
    if (inserted) {
      h.host = rec.parts.host;
      h.first = rec.first;
    }
    h.count += rec.count;
    for (const std::string& o : rec.owners)
      if (std::find(h.owners.begin(), h.owners.end(), o) == h.owners.end()) h.owners.push_back(o);
    if (std::find(h.sources.begin(), h.sources.end(), rec.first.source) == h.sources.end())
      h.sources.push_back(rec.first.source);
  }
  std::vector<HostRecord> out;
  out.reserve(hosts.size());
  for (auto& [k, h] : hosts) out.push_back(std::move(h));
  return out;
}

}  // namespace piaudit::analysis
