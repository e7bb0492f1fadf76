// libcurl fetch under Limits; see policy_fetch.h.
//
// libcurl is loaded with dlopen on the first fetch, not linked: it pulls in some twenty shared
// libraries (TLS, Kerberos, LDAP, SSH ...) whose relocation would cost every piaudit command
// several milliseconds at start-up, although only --policy-url needs them. Only curl's header is
// used at build time (types and constants).
#include "policy/policy_fetch.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <sys/socket.h>

#include <cctype>
#include <chrono>
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

// The guard's view of one fetch: checked in curl's open-socket callback, before connect().
struct SocketGate {
  const AddressPolicy* policy;
  std::string refusal;  // the first refused connection, for the error
};

curl_socket_t OpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  SocketGate* gate = static_cast<SocketGate*>(user);
  IpAddress ip;
  uint16_t port = 0;
  if (purpose != CURLSOCKTYPE_IPCXN ||
      !FromSockaddr(&address->addr, static_cast<socklen_t>(address->addrlen), &ip, &port)) {
    if (gate->refusal.empty()) gate->refusal = "refused a connection that is not IPv4/IPv6 TCP";
    return CURL_SOCKET_BAD;
  }
  if (std::string why = gate->policy->Refusal(ip, port); !why.empty()) {
    if (gate->refusal.empty()) gate->refusal = std::move(why);
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool IsHttpUrl(const std::string& url) {
  const std::string lower = Lower(url.substr(0, 8));
  return lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
}

// user:password@ in the authority (before the first / ? or # after "://").
bool HasUserInfo(const std::string& url) {
  const size_t start = url.find("://");
  if (start == std::string::npos) return false;
  const size_t end = url.find_first_of("/?#\\", start + 3);
  return url.substr(start + 3, end == std::string::npos ? std::string::npos : end - start - 3)
             .find('@') != std::string::npos;
}

Status CheckUrl(const std::string& url, const FetchGuard& guard, const char* what) {
  if (!IsHttpUrl(url)) {
    return InvalidInput(std::string("only http:// and https:// URLs are fetched (") + what +
                        "): " + url)
        .At(url, "url", 0);
  }
  if (guard.public_only && HasUserInfo(url)) {
    return InvalidInput(std::string("fetch guard: user:password@ in the URL (") + what + ")")
        .At(url, "url", 0);
  }
  return Status::Ok();
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

Result<FetchedPolicy> FetchPolicy(const std::string& url, const Limits& limits,
                                  const FetchGuard& guard) {
  if (Status s = CheckUrl(url, guard, "the URL"); !s.ok()) return s;
  Result<AddressPolicy> policy = AddressPolicy::Make(guard);
  if (!policy.ok()) return policy.status();
  const CurlApi& curl = Curl();
  if (!curl.error.empty())
    return Unsupported("fetching needs libcurl: " + curl.error).At(url, "http", 0);
  std::unique_ptr<CURL, void (*)(CURL*)> h(curl.easy_init(), curl.easy_cleanup);
  if (!h) return InternalError("curl_easy_init failed");
  FetchedPolicy out;
  Sink sink{&out.body, limits.max_download_bytes};
  SocketGate gate{&*policy, ""};
  char err[CURL_ERROR_SIZE] = {0};
  curl.easy_setopt(h.get(), CURLOPT_ERRORBUFFER, err);
  curl.easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, &Write);
  curl.easy_setopt(h.get(), CURLOPT_WRITEDATA, &sink);
  // Redirects are followed below, one request at a time, so each new URL is checked (scheme,
  // credentials) before it is requested; each new connection passes OpenSocket.
  curl.easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl.easy_setopt(h.get(), CURLOPT_OPENSOCKETFUNCTION, &OpenSocket);
  curl.easy_setopt(h.get(), CURLOPT_OPENSOCKETDATA, &gate);
  if (guard.public_only) {
    curl.easy_setopt(h.get(), CURLOPT_PROXY, "");
    curl.easy_setopt(h.get(), CURLOPT_NOPROXY, "*");
  }
#if LIBCURL_VERSION_NUM >= 0x075500
  curl.easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl.easy_setopt(h.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  curl.easy_setopt(h.get(), CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
  curl.easy_setopt(h.get(), CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
  curl.easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.http_timeout_ms));
  // The total time-out covers the whole fetch, redirects included: the budget shrinks per hop.
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(limits.http_timeout_ms));
  curl.easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(h.get(), CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(limits.max_download_bytes));
  curl.easy_setopt(h.get(), CURLOPT_ACCEPT_ENCODING, "");  // gzip etc., still capped after decoding
  curl.easy_setopt(h.get(), CURLOPT_USERAGENT, "piaudit-policy/1");
  std::string current = url;
  long status = 0;
  for (uint64_t hops = 0;; ++hops) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return IoError("fetch failed: timed out").At(url, "http", 0);
    curl.easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(left));
    curl.easy_setopt(h.get(), CURLOPT_URL, current.c_str());
    out.body.clear();
    err[0] = 0;
    CURLcode rc = curl.easy_perform(h.get());
    if (!gate.refusal.empty())
      return InvalidInput("fetch guard: " + gate.refusal).At(current, "http", 0);
    if (sink.over || rc == CURLE_FILESIZE_EXCEEDED)
      return LimitExceeded("download larger than max_download_bytes " +
                           std::to_string(limits.max_download_bytes))
          .At(current, "http body", out.body.size());
    if (rc != CURLE_OK)
      return IoError(std::string("fetch failed: ") + (err[0] ? err : curl.easy_strerror(rc)))
          .At(current, "http", 0);
    curl.easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
    char* next = nullptr;
    curl.easy_getinfo(h.get(), CURLINFO_REDIRECT_URL, &next);
    if (!IsRedirect(status) || next == nullptr) break;
    if (hops >= limits.max_redirects)
      return LimitExceeded("more than " + std::to_string(limits.max_redirects) + " redirects")
          .At(url, "http", 0);
    const std::string target = next;
    if (Status s = CheckUrl(target, guard, "a redirect"); !s.ok()) return s;
    current = target;
  }
  if (status < 200 || status >= 300)
    return IoError("HTTP status " + std::to_string(status)).At(current, "http", 0);
  char* ct = nullptr;
  curl.easy_getinfo(h.get(), CURLINFO_CONTENT_TYPE, &ct);
  if (ct) out.content_type = Lower(ct);
  out.final_url = current;
  if (out.content_type.find("pdf") != std::string::npos)
    out.hint = PolicyFormatHint::kPdf;
  else if (out.content_type.find("html") != std::string::npos)
    out.hint = PolicyFormatHint::kHtml;
  return out;
}

}  // namespace piaudit::policy
