// libcurl fetch under Limits; see policy_fetch.h.
//
// libcurl is loaded with dlopen on the first fetch, not linked: it pulls in some twenty shared
// libraries (TLS, Kerberos, LDAP, SSH ...) whose relocation would cost every piaudit command
// several milliseconds at start-up, although only --policy-url needs them. Only curl's header is
// used at build time (types and constants).
#include "policy/policy_fetch.h"

#include <curl/curl.h>
#include <dlfcn.h>

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

// The libcurl entry points piaudit uses, resolved once.
struct CurlApi {
  CURLcode (*global_init)(long) = nullptr;
  CURL* (*easy_init)() = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  const char* (*easy_strerror)(CURLcode) = nullptr;
  std::string error;  // why loading failed; empty when every symbol resolved
};

template <typename Fn>
bool Resolve(void* lib, const char* name, Fn* fn, std::string* error) {
  *fn = reinterpret_cast<Fn>(dlsym(lib, name));
  if (*fn == nullptr && error->empty()) *error = std::string("libcurl lacks ") + name;
  return *fn != nullptr;
}

const CurlApi& Curl() {
  static const CurlApi api = [] {
    CurlApi a;
    void* lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
      const char* e = dlerror();
      a.error = std::string("cannot load libcurl.so.4: ") + (e ? e : "unknown error");
      return a;
    }
    Resolve(lib, "curl_global_init", &a.global_init, &a.error);
    Resolve(lib, "curl_easy_init", &a.easy_init, &a.error);
    Resolve(lib, "curl_easy_cleanup", &a.easy_cleanup, &a.error);
    Resolve(lib, "curl_easy_setopt", &a.easy_setopt, &a.error);
    Resolve(lib, "curl_easy_perform", &a.easy_perform, &a.error);
    Resolve(lib, "curl_easy_getinfo", &a.easy_getinfo, &a.error);
    Resolve(lib, "curl_easy_strerror", &a.easy_strerror, &a.error);
    if (a.error.empty()) a.global_init(CURL_GLOBAL_DEFAULT);
    return a;
  }();
  return api;
}

}  // namespace

Result<FetchedPolicy> FetchPolicy(const std::string& url, const Limits& limits) {
  std::string lower = url.substr(0, 8);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0)
    return InvalidInput("only http:// and https:// URLs are fetched: " + url).At(url, "url", 0);
  const CurlApi& curl = Curl();
  if (!curl.error.empty())
    return Unsupported("fetching needs libcurl: " + curl.error).At(url, "http", 0);
  std::unique_ptr<CURL, void (*)(CURL*)> h(curl.easy_init(), curl.easy_cleanup);
  if (!h) return InternalError("curl_easy_init failed");
  FetchedPolicy out;
  Sink sink{&out.body, limits.max_download_bytes};
  char err[CURL_ERROR_SIZE] = {0};
  curl.easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl.easy_setopt(h.get(), CURLOPT_ERRORBUFFER, err);
  curl.easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, &Write);
  curl.easy_setopt(h.get(), CURLOPT_WRITEDATA, &sink);
  curl.easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl.easy_setopt(h.get(), CURLOPT_MAXREDIRS, static_cast<long>(limits.max_redirects));
#if LIBCURL_VERSION_NUM >= 0x075500
  curl.easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl.easy_setopt(h.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  curl.easy_setopt(h.get(), CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
  curl.easy_setopt(h.get(), CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
  curl.easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.http_timeout_ms));
  curl.easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(limits.http_timeout_ms));
  curl.easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(h.get(), CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(limits.max_download_bytes));
  curl.easy_setopt(h.get(), CURLOPT_ACCEPT_ENCODING, "");  // gzip etc., still capped after decoding
  curl.easy_setopt(h.get(), CURLOPT_USERAGENT, "piaudit-policy/1");
  CURLcode rc = curl.easy_perform(h.get());
  if (sink.over || rc == CURLE_FILESIZE_EXCEEDED)
    return LimitExceeded("download larger than max_download_bytes " +
                         std::to_string(limits.max_download_bytes))
        .At(url, "http body", out.body.size());
  if (rc == CURLE_TOO_MANY_REDIRECTS)
    return LimitExceeded("more than " + std::to_string(limits.max_redirects) + " redirects")
        .At(url, "http", 0);
  if (rc != CURLE_OK)
    return IoError(std::string("fetch failed: ") + (err[0] ? err : curl.easy_strerror(rc)))
        .At(url, "http", 0);
  long status = 0;
  curl.easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300)
    return IoError("HTTP status " + std::to_string(status)).At(url, "http", 0);
  char* ct = nullptr;
  curl.easy_getinfo(h.get(), CURLINFO_CONTENT_TYPE, &ct);
  if (ct) out.content_type = ct;
  for (char& c : out.content_type)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  char* eff = nullptr;
  curl.easy_getinfo(h.get(), CURLINFO_EFFECTIVE_URL, &eff);
  if (eff) out.final_url = eff;
  if (out.content_type.find("pdf") != std::string::npos)
    out.hint = PolicyFormatHint::kPdf;
  else if (out.content_type.find("html") != std::string::npos)
    out.hint = PolicyFormatHint::kHtml;
  return out;
}

}  // namespace piaudit::policy
