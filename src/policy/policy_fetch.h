// Fetches a privacy policy over HTTP(S) for `piaudit policy --policy-url`.
//
// libcurl with every budget from Limits: connect and total time-outs (http_timeout_ms), body size
// (max_download_bytes, enforced while receiving, not trusted from Content-Length), redirects
// (max_redirects), and only http/https for the first request and every redirect (a redirect to
// file:// or gopher:// is refused). A non-2xx status is an error.
#ifndef PIAUDIT_POLICY_POLICY_FETCH_H_
#define PIAUDIT_POLICY_POLICY_FETCH_H_

#include <string>

#include "base/limits.h"
#include "base/status.h"
#include "policy/policy_analysis.h"

namespace piaudit::policy {

struct FetchedPolicy {
  std::string body;
  std::string content_type;  // from the response, lower-cased; may be empty
  std::string final_url;
  PolicyFormatHint hint = PolicyFormatHint::kAuto;  // from content_type
};

Result<FetchedPolicy> FetchPolicy(const std::string& url, const Limits& limits);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_POLICY_FETCH_H_
