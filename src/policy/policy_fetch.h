// Fetches a privacy policy over HTTP(S) for `piaudit policy --policy-url`.
//
// libcurl with every budget from Limits: connect and total time-outs (http_timeout_ms), body size
// (max_download_bytes, enforced while receiving, not trusted from Content-Length), redirects
// (max_redirects), and only http/https for the first request and every redirect (a redirect to
// file:// or gopher:// is refused). A non-2xx status is an error.
//
// The SSRF guard (FetchGuard, fetch_guard.h): with public_only, every connection the fetch makes
// (the first request and each redirect, which are followed here one by one) is checked at the
// socket, after name resolution, against the address rules: loopback, private, link-local (cloud
// metadata), CGNAT, reserved, multicast, documentation ranges and their IPv6 spellings are refused,
// as are ports other than 80/443, unless FetchGuard allows them. Checking the resolved address
// (curl's open-socket callback), not the host name, is what defeats DNS rebinding, short or octal
// spellings (http://2130706433/, http://0x7f.1/) and redirects. Guarded fetches also ignore proxy
// variables (a proxy would connect on our behalf, unchecked) and refuse user:password@ in URLs.
//
// Unguarded by default: `piaudit policy --policy-url` and `piaudit scan --policy-url` run on the
// user's own machine for the user, who may well want a policy from an intranet host or a local
// test server; the user can reach those addresses anyway, so nothing is gained by refusing. A
// server fetching URLs from uploads (piaudit serve) is another matter: it must pass public_only.
#ifndef PIAUDIT_POLICY_POLICY_FETCH_H_
#define PIAUDIT_POLICY_POLICY_FETCH_H_

#include <string>

#include "base/limits.h"
#include "base/status.h"
#include "policy/fetch_guard.h"
#include "policy/policy_analysis.h"

namespace piaudit::policy {

struct FetchedPolicy {
  std::string body;
  std::string content_type;  // from the response, lower-cased; may be empty
  std::string final_url;
  PolicyFormatHint hint = PolicyFormatHint::kAuto;  // from content_type
};

//   kInvalidInput  not http(s), credentials in a guarded URL, a redirect elsewhere, or a connection
//                  the guard refused (the message names the address, port and range: "fetch
//                  guard: refused 127.0.0.1 port 80: loopback (127.0.0.0/8)"), or a bad allow_cidrs
//   kLimitExceeded body, redirects;  kIo  network errors and non-2xx statuses
Result<FetchedPolicy> FetchPolicy(const std::string& url, const Limits& limits,
                                  const FetchGuard& guard = {});

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_POLICY_FETCH_H_
