// Address rules of the fetch guard; see fetch_guard.h. The ranges are the IANA special-purpose
// registries (IPv4: RFC 6890 and successors; IPv6: the same registry plus RFC 9637), kept here
// rather than in data/: they are protocol facts a deployment must not weaken by editing a file;
// an operator widens the guard with FetchGuard::allow_cidrs instead.
#include "policy/fetch_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace piaudit::policy {
namespace {

constexpr size_t kMaxAddressText = 64;

struct NamedRange {
  const char* cidr;
  const char* why;
};

// First match wins: the broadcast address before the reserved 240/4 that holds it.
constexpr NamedRange kIpv4Ranges[] = {
    {"0.0.0.0/8", "\"this network\""},
    {"10.0.0.0/8", "private"},
    {"100.64.0.0/10", "carrier-grade NAT"},
    {"127.0.0.0/8", "loopback"},
    {"169.254.0.0/16", "link-local (cloud metadata)"},
    {"172.16.0.0/12", "private"},
    {"192.0.0.0/24", "IETF protocol assignments"},
    {"192.0.2.0/24", "documentation"},
    {"192.88.99.0/24", "6to4 relay anycast"},
    {"192.168.0.0/16", "private"},
    {"198.18.0.0/15", "benchmarking"},
    {"198.51.100.0/24", "documentation"},
    {"203.0.113.0/24", "documentation"},
    {"224.0.0.0/4", "multicast"},
    {"255.255.255.255/32", "broadcast"},
    {"240.0.0.0/4", "reserved"},
};

// The IPv6 forms that carry an IPv4 address are unwrapped before this table (see NonPublicReason).
constexpr NamedRange kIpv6Ranges[] = {
    {"::/128", "unspecified"},
    {"::1/128", "loopback"},
    {"::/96", "IPv4-compatible (deprecated)"},
    {"64:ff9b:1::/48", "local-use NAT64"},
    {"100::/64", "discard-only"},
    {"2001::/23", "IETF protocol assignments (Teredo, benchmarking, ORCHID)"},
    {"2001:db8::/32", "documentation"},
    {"3fff::/20", "documentation"},
    {"fc00::/7", "unique local"},
    {"fe80::/10", "link-local"},
    {"fec0::/10", "site-local (deprecated)"},
    {"ff00::/8", "multicast"},
};

struct ParsedRange {
  Cidr cidr;
  std::string reason;
};

std::vector<ParsedRange> ParseTable(const NamedRange* begin, const NamedRange* end) {
  std::vector<ParsedRange> out;
  for (const NamedRange* r = begin; r != end; ++r) {
    Result<Cidr> c = ParseCidr(r->cidr);
    if (c.ok()) out.push_back({*c, std::string(r->why) + " (" + r->cidr + ")"});
  }
  return out;
}

const std::vector<ParsedRange>& Ipv4Ranges() {
  static const std::vector<ParsedRange> ranges =
      ParseTable(std::begin(kIpv4Ranges), std::end(kIpv4Ranges));
  return ranges;
}

const std::vector<ParsedRange>& Ipv6Ranges() {
  static const std::vector<ParsedRange> ranges =
      ParseTable(std::begin(kIpv6Ranges), std::end(kIpv6Ranges));
  return ranges;
}

IpAddress Ipv4At(const IpAddress& v6, size_t offset) {
  IpAddress v4;
  std::copy_n(v6.bytes.begin() + static_cast<std::ptrdiff_t>(offset), 4, v4.bytes.begin());
  return v4;
}

bool HasPrefix(const IpAddress& a, std::initializer_list<uint8_t> prefix) {
  return std::equal(prefix.begin(), prefix.end(), a.bytes.begin());
}

bool IsIpv4Mapped(const IpAddress& a) {
  return a.v6 && HasPrefix(a, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff});
}

std::string Ipv4Reason(const IpAddress& v4) {
  for (const ParsedRange& r : Ipv4Ranges()) {
    if (CidrContains(r.cidr, v4)) return r.reason;
  }
  return "";
}

}  // namespace

Result<IpAddress> ParseIpAddress(std::string_view text) {
  if (text.empty() || text.size() > kMaxAddressText) {
    return InvalidInput("not an IP address (empty or longer than 64 characters)");
  }
  const std::string z(text);
  IpAddress a;
  a.v6 = z.find(':') != std::string::npos;
  if (inet_pton(a.v6 ? AF_INET6 : AF_INET, z.c_str(), a.bytes.data()) != 1) {
    return InvalidInput("not an IP address: " + z);
  }
  return a;
}

std::string FormatIpAddress(const IpAddress& address) {
  char text[INET6_ADDRSTRLEN] = {0};
  inet_ntop(address.v6 ? AF_INET6 : AF_INET, address.bytes.data(), text, sizeof(text));
  return text;
}

Result<Cidr> ParseCidr(std::string_view text) {
  const size_t slash = text.find('/');
  Result<IpAddress> base = ParseIpAddress(text.substr(0, slash));
  if (!base.ok()) return base.status();
  const int bits = base->v6 ? 128 : 32;
  int prefix = bits;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return InvalidInput("not a prefix length: " + std::string(text));
    }
    prefix = 0;
    for (char c : digits) prefix = prefix * 10 + (c - '0');
    if (prefix > bits) return InvalidInput("prefix longer than the address: " + std::string(text));
  }
  Cidr out{*base, prefix};
  for (int i = prefix; i < bits; ++i) {
    out.base.bytes[static_cast<size_t>(i / 8)] &= static_cast<uint8_t>(~(0x80u >> (i % 8)));
  }
  return out;
}

bool CidrContains(const Cidr& range, const IpAddress& address) {
  IpAddress a = address;
  if (!range.base.v6 && IsIpv4Mapped(a)) a = Ipv4At(address, 12);
  if (a.v6 != range.base.v6) return false;
  const int whole = range.prefix / 8;
  if (!std::equal(range.base.bytes.begin(), range.base.bytes.begin() + whole, a.bytes.begin())) {
    return false;
  }
  const int rest = range.prefix % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff00u >> rest);
  return (range.base.bytes[static_cast<size_t>(whole)] & mask) ==
         (a.bytes[static_cast<size_t>(whole)] & mask);
}

std::string NonPublicReason(const IpAddress& address) {
  if (!address.v6) return Ipv4Reason(address);
  // The forms that carry an IPv4 address reach (or pretend to reach) that address.
  if (IsIpv4Mapped(address)) {
    std::string why = Ipv4Reason(Ipv4At(address, 12));
    return why.empty() ? why : "IPv4-mapped " + why;
  }
  if (HasPrefix(address, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {
    std::string why = Ipv4Reason(Ipv4At(address, 12));
    return why.empty() ? why : "NAT64 (64:ff9b::/96) of " + why;
  }
  if (HasPrefix(address, {0x20, 0x02})) {
    std::string why = Ipv4Reason(Ipv4At(address, 2));
    return why.empty() ? why : "6to4 (2002::/16) of " + why;
  }
  for (const ParsedRange& r : Ipv6Ranges()) {
    if (CidrContains(r.cidr, address)) return r.reason;
  }
  // Everything else outside 2000::/3 is unassigned or reserved: nothing public lives there.
  if ((address.bytes[0] & 0xe0) != 0x20) return "not global unicast (outside 2000::/3)";
  return "";
}

bool IsPublicAddress(std::string_view text) {
  Result<IpAddress> a = ParseIpAddress(text);
  return a.ok() && IsPublicAddress(*a);
}

bool FromSockaddr(const sockaddr* sa, socklen_t len, IpAddress* address, uint16_t* port) {
  if (sa == nullptr) return false;
  if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in in;
    std::memcpy(&in, sa, sizeof(in));
    *address = IpAddress{};
    std::memcpy(address->bytes.data(), &in.sin_addr, 4);
    *port = ntohs(in.sin_port);
    return true;
  }
  if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 in6;
    std::memcpy(&in6, sa, sizeof(in6));
    *address = IpAddress{};
    address->v6 = true;
    std::memcpy(address->bytes.data(), &in6.sin6_addr, 16);
    *port = ntohs(in6.sin6_port);
    return true;
  }
  return false;
}

Result<AddressPolicy> AddressPolicy::Make(const FetchGuard& guard) {
  AddressPolicy p;
  p.public_only_ = guard.public_only;
  for (const std::string& text : guard.allow_cidrs) {
    Result<Cidr> c = ParseCidr(text);
    if (!c.ok()) {
      Status s = c.status();
      return std::move(s).At("allow_cidrs", text, 0);
    }
    p.allowed_.push_back(*c);
  }
  p.ports_ = {80, 443};
  p.ports_.insert(p.ports_.end(), guard.allow_ports.begin(), guard.allow_ports.end());
  return p;
}

std::string AddressPolicy::Refusal(const IpAddress& address, uint16_t port) const {
  if (!public_only_) return "";
  const std::string where = "refused " + FormatIpAddress(address) + " port " + std::to_string(port);
  if (std::find(ports_.begin(), ports_.end(), port) == ports_.end()) {
    return where + ": port not 80 or 443 (nor an allowed port)";
  }
  for (const Cidr& c : allowed_) {
    if (CidrContains(c, address)) return "";
  }
  std::string why = NonPublicReason(address);
  return why.empty() ? "" : where + ": " + why;
}

}  // namespace piaudit::policy
