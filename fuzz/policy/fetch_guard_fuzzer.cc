// libFuzzer target: the fetch guard's address and range parsers (policy/fetch_guard.h), which read
// operator configuration (allow_cidrs) and sockets' addresses. Checks, besides "no crash": a parsed
// address prints and parses back to itself, a range contains its own base, and the judgement of
// an address does not depend on how it was spelt.
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "policy/fetch_guard.h"

using namespace piaudit::policy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto a = ParseIpAddress(text); a.ok()) {
    auto again = ParseIpAddress(FormatIpAddress(*a));
    if (!again.ok() || !(*again == *a)) std::abort();
    if (NonPublicReason(*a) != NonPublicReason(*again)) std::abort();
  }
  if (auto c = ParseCidr(text); c.ok()) {
    if (!CidrContains(*c, c->base)) std::abort();
    FetchGuard guard;
    guard.public_only = true;
    guard.allow_cidrs = {std::string(text)};
    auto policy = AddressPolicy::Make(guard);
    if (!policy.ok()) std::abort();
    if (!policy->Refusal(c->base, 443).empty()) std::abort();  // an allowed range is allowed
  }
  // The same bytes as a socket address of either family.
  IpAddress address;
  uint16_t port = 0;
  if (size >= sizeof(sockaddr)) {
    if (FromSockaddr(reinterpret_cast<const sockaddr*>(data), static_cast<socklen_t>(size),
                     &address, &port)) {
      (void)IsPublicAddress(address);
    }
  }
  return 0;
}
