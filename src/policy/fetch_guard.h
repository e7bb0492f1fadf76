// Where a fetch may connect: the address rules of the SSRF guard of FetchPolicy (policy_fetch.h).
//
// A server that fetches a URL it was handed (a policy URL typed into a form, or found inside an
// uploaded APK) must not become a way into its own network: loopback services, the cloud
// metadata endpoint at 169.254.169.254, private and carrier-grade NAT ranges, or the same ranges
// spelt as IPv4-mapped, 6to4 or NAT64 IPv6 addresses. These functions are pure (no DNS, no
// sockets): the fetcher applies them to every address it is about to connect to, after name
// resolution and on every redirect, so neither DNS rebinding nor a redirect slips past them.
#ifndef PIAUDIT_POLICY_FETCH_GUARD_H_
#define PIAUDIT_POLICY_FETCH_GUARD_H_

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace piaudit::policy {

// An IPv4 or IPv6 address; IPv4 uses the first 4 bytes.
struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// Strict text forms only: dotted-quad IPv4 of four decimal parts (no octal, hex or short forms)
// and RFC 4291 IPv6 text (no brackets, no zone "%eth0"). At most 64 characters.
Result<IpAddress> ParseIpAddress(std::string_view text);
std::string FormatIpAddress(const IpAddress& address);  // 127.0.0.1, ::ffff:127.0.0.1

// A range: "ADDRESS/PREFIX" or a bare ADDRESS (one address). Host bits below the prefix are
// ignored ("127.0.0.1/8" is 127.0.0.0/8).
struct Cidr {
  IpAddress base;
  int prefix = 0;
};
Result<Cidr> ParseCidr(std::string_view text);
// An IPv4 range never contains a native IPv6 address nor the reverse; an IPv4-mapped IPv6
// address (::ffff:a.b.c.d) is matched against IPv4 ranges through the address it carries.
bool CidrContains(const Cidr& range, const IpAddress& address);

// Why `address` is not a public unicast address ("loopback (127.0.0.0/8)"); empty when it is.
// IPv6 forms that carry an IPv4 address (::ffff:a.b.c.d mapped, 64:ff9b::/96 NAT64,
// 2002::/16 6to4) are judged by the IPv4 address they carry.
std::string NonPublicReason(const IpAddress& address);
inline bool IsPublicAddress(const IpAddress& address) { return NonPublicReason(address).empty(); }
// The same for a text address; a text that is not a strict address is not public.
bool IsPublicAddress(std::string_view text);

// A socket address (AF_INET or AF_INET6) as IpAddress and port; false for other families.
bool FromSockaddr(const sockaddr* sa, socklen_t len, IpAddress* address, uint16_t* port);

// Who may be connected to under FetchOptions::public_only (see FetchPolicy).
struct FetchGuard {
  // Off: any address and port (the CLI on the user's own machine, policy_fetch.h says why).
  bool public_only = false;
  // Ranges allowed although not public (a test's 127.0.0.2/32, an operator's internal host).
  std::vector<std::string> allow_cidrs;
  // Ports allowed besides 80 and 443.
  std::vector<uint16_t> allow_ports;
};

// The guard with its ranges parsed, to be checked per connection.
class AddressPolicy {
 public:
  static Result<AddressPolicy> Make(const FetchGuard& guard);
  // Empty when the connection may be made; else why not, naming the address and port:
  // "refused 127.0.0.1 port 80: loopback (127.0.0.0/8)".
  std::string Refusal(const IpAddress& address, uint16_t port) const;

 private:
  bool public_only_ = false;
  std::vector<Cidr> allowed_;
  std::vector<uint16_t> ports_;
};

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_FETCH_GUARD_H_
