// libcurl fetch under Limits; see policy_fetch.h.
#include "policy/policy_fetch.h"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <mutex>

namespace piaudit::policy {
namespace {

struct Sink {
  std::string* body;
  uint64_t max;
  bool over = false;
};

size_t Write(char* data, size_t size, size_t n, void* user) {
  Sink* s = static_cast<Sink*>(user);
  size_t len = size * n;
  if (s->body->size() + len > s->max) {
    s->over = true;
    return 0;  // makes curl fail with CURLE_WRITE_ERROR
  }
  s->body->append(data, len);
  return len;
}

}  // namespace

Result<FetchedPolicy> FetchPolicy(const std::string& url, const Limits& limits) {
  std::string lower = url.substr(0, 8);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0)
    return InvalidInput("only http:// and https:// URLs are fetched: " + url).At(url, "url", 0);
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, void (*)(CURL*)> h(curl_easy_init(), curl_easy_cleanup);
  if (!h) return InternalError("curl_easy_init failed");
  FetchedPolicy out;
  Sink sink{&out.body, limits.max_download_bytes};
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_ERRORBUFFER, err);
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, &Write);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h.get(), CURLOPT_MAXREDIRS, static_cast<long>(limits.max_redirects));
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
  curl_easy_setopt(h.get(), CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
  curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.http_timeout_ms));
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(limits.http_timeout_ms));
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(limits.max_download_bytes));
  curl_easy_setopt(h.get(), CURLOPT_ACCEPT_ENCODING, "");  // gzip etc., still capped after decoding
  curl_easy_setopt(h.get(), CURLOPT_USERAGENT, "piaudit-policy/1");
  CURLcode rc = curl_easy_perform(h.get());
  if (sink.over || rc == CURLE_FILESIZE_EXCEEDED)
    return LimitExceeded("download larger than max_download_bytes " +
                         std::to_string(limits.max_download_bytes))
        .At(url, "http body", out.body.size());
  if (rc == CURLE_TOO_MANY_REDIRECTS)
    return LimitExceeded("more than " + std::to_string(limits.max_redirects) + " redirects")
        .At(url, "http", 0);
  if (rc != CURLE_OK)
    return IoError(std::string("fetch failed: ") + (err[0] ? err : curl_easy_strerror(rc)))
        .At(url, "http", 0);
  long status = 0;
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300)
    return IoError("HTTP status " + std::to_string(status)).At(url, "http", 0);
  char* ct = nullptr;
  curl_easy_getinfo(h.get(), CURLINFO_CONTENT_TYPE, &ct);
  if (ct) out.content_type = ct;
  for (char& c : out.content_type)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  char* eff = nullptr;
  curl_easy_getinfo(h.get(), CURLINFO_EFFECTIVE_URL, &eff);
  if (eff) out.final_url = eff;
  if (out.content_type.find("pdf") != std::string::npos)
    out.hint = PolicyFormatHint::kPdf;
  else if (out.content_type.find("html") != std::string::npos)
    out.hint = PolicyFormatHint::kHtml;
  return out;
}

}  // namespace piaudit::policy
