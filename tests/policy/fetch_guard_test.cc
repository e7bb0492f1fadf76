// The address rules of the fetch guard (policy/fetch_guard.h): every special-purpose range in its
// IPv4 and IPv6 spellings, the strict parsers, and the allow list.
#include "policy/fetch_guard.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>

namespace piaudit::policy {
namespace {

struct Case {
  const char* address;
  const char* reason;  // a part of NonPublicReason; "" = public
};

// One address inside each refused range, both families, and the IPv6 spellings of IPv4 ones.
const Case kCases[] = {
    // IPv4
    {"0.0.0.0", "this network"},
    {"0.1.2.3", "this network"},
    {"10.0.0.1", "private (10.0.0.0/8)"},
    {"10.255.255.255", "private"},
    {"100.64.0.1", "carrier-grade NAT"},
    {"100.127.255.254", "carrier-grade NAT"},
    {"127.0.0.1", "loopback (127.0.0.0/8)"},
    {"127.255.0.9", "loopback"},
    {"169.254.169.254", "link-local (cloud metadata)"},
    {"172.16.0.1", "private (172.16.0.0/12)"},
    {"172.31.255.255", "private"},
    {"192.0.0.8", "IETF protocol"},
    {"192.0.2.1", "documentation"},
    {"192.88.99.1", "6to4 relay"},
    {"192.168.1.1", "private (192.168.0.0/16)"},
    {"198.18.0.1", "benchmarking"},
    {"198.19.255.255", "benchmarking"},
    {"198.51.100.7", "documentation"},
    {"203.0.113.9", "documentation"},
    {"224.0.0.1", "multicast"},
    {"239.255.255.250", "multicast"},
    {"240.0.0.1", "reserved"},
    {"255.255.255.255", "broadcast"},
    // IPv4 neighbours of the ranges: public
    {"8.8.8.8", ""},
    {"1.1.1.1", ""},
    {"9.255.255.255", ""},
    {"11.0.0.0", ""},
    {"100.63.255.255", ""},
    {"100.128.0.0", ""},
    {"126.255.255.255", ""},
    {"128.0.0.0", ""},
    {"169.253.255.255", ""},
    {"172.15.255.255", ""},
    {"172.32.0.0", ""},
    {"192.167.255.255", ""},
    {"198.17.255.255", ""},
    {"198.20.0.0", ""},
    {"223.255.255.255", ""},
    // IPv6
    {"::", "unspecified"},
    {"::1", "loopback (::1/128)"},
    {"::127.0.0.1", "IPv4-compatible"},
    {"::8.8.8.8", "IPv4-compatible"},
    {"64:ff9b:1::1", "local-use NAT64"},
    {"100::1", "discard-only"},
    {"2001::1", "IETF protocol assignments"},
    {"2001:2::1", "IETF protocol assignments"},
    {"2001:db8::1", "documentation"},
    {"3fff::1", "documentation"},
    {"fc00::1", "unique local"},
    {"fd12:3456::1", "unique local"},
    {"fe80::1", "link-local"},
    {"febf::1", "link-local"},
    {"fec0::1", "site-local"},
    {"ff02::1", "multicast"},
    {"::ffff:0:0:1", "not global unicast"},
    {"4000::1", "not global unicast"},
    // IPv6 spellings of refused IPv4 addresses
    {"::ffff:127.0.0.1", "IPv4-mapped loopback"},
    {"::ffff:7f00:1", "IPv4-mapped loopback"},
    {"::ffff:10.1.2.3", "IPv4-mapped private"},
    {"::ffff:169.254.169.254", "IPv4-mapped link-local"},
    {"::ffff:100.64.0.1", "IPv4-mapped carrier-grade NAT"},
    {"::ffff:0.0.0.0", "IPv4-mapped"},
    {"::ffff:255.255.255.255", "IPv4-mapped broadcast"},
    {"64:ff9b::127.0.0.1", "NAT64 (64:ff9b::/96) of loopback"},
    {"64:ff9b::a9fe:a9fe", "NAT64 (64:ff9b::/96) of link-local"},
    {"64:ff9b::192.168.0.1", "NAT64 (64:ff9b::/96) of private"},
    {"2002:7f00:1::1", "6to4 (2002::/16) of loopback"},
    {"2002:c0a8:101::", "6to4 (2002::/16) of private"},
    // public IPv6, and the public IPv4 addresses in IPv6 spellings
    {"2400:3200::1", ""},
    {"2606:4700:4700::1111", ""},
    {"::ffff:8.8.8.8", ""},
    {"64:ff9b::8.8.8.8", ""},
    {"2002:808:808::1", ""},
};

TEST(FetchGuardTest, EveryRangeInBothFamilies) {
  for (const Case& c : kCases) {
    Result<IpAddress> a = ParseIpAddress(c.address);
    ASSERT_TRUE(a.ok()) << c.address << ": " << a.status().ToString();
    const std::string why = NonPublicReason(*a);
    if (*c.reason == 0) {
      EXPECT_EQ(why, "") << c.address;
      EXPECT_TRUE(IsPublicAddress(c.address)) << c.address;
    } else {
      EXPECT_NE(why.find(c.reason), std::string::npos) << c.address << " -> '" << why << "'";
      EXPECT_FALSE(IsPublicAddress(c.address)) << c.address;
    }
  }
}

TEST(FetchGuardTest, ParserIsStrict) {
  for (const char* bad : {"", "2130706433", "0x7f.1", "0x7f000001", "0177.0.0.1", "127.1",
                          "127.0.0.1.", "127.0.0.256", " 127.0.0.1", "127.0.0.1 ", "[::1]",
                          "fe80::1%eth0", "::1::1", "localhost", "1.2.3.4/8"}) {
    EXPECT_FALSE(ParseIpAddress(bad).ok()) << bad;
    EXPECT_FALSE(IsPublicAddress(std::string_view(bad))) << bad;
  }
  EXPECT_FALSE(ParseIpAddress(std::string(65, '1')).ok());
  Result<IpAddress> a = ParseIpAddress("::ffff:127.0.0.1");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(FormatIpAddress(*a), "::ffff:127.0.0.1");
}

TEST(FetchGuardTest, Cidrs) {
  Result<Cidr> c = ParseCidr("127.0.0.2/32");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(CidrContains(*c, *ParseIpAddress("127.0.0.2")));
  EXPECT_FALSE(CidrContains(*c, *ParseIpAddress("127.0.0.1")));
  EXPECT_TRUE(CidrContains(*c, *ParseIpAddress("::ffff:127.0.0.2")));  // mapped form, same host
  EXPECT_FALSE(CidrContains(*c, *ParseIpAddress("::1")));
  Result<Cidr> host_bits = ParseCidr("10.9.8.7/8");  // host bits ignored
  ASSERT_TRUE(host_bits.ok());
  EXPECT_EQ(FormatIpAddress(host_bits->base), "10.0.0.0");
  EXPECT_TRUE(CidrContains(*host_bits, *ParseIpAddress("10.200.1.1")));
  Result<Cidr> odd = ParseCidr("100.64.0.0/10");
  ASSERT_TRUE(odd.ok());
  EXPECT_TRUE(CidrContains(*odd, *ParseIpAddress("100.127.0.1")));
  EXPECT_FALSE(CidrContains(*odd, *ParseIpAddress("100.128.0.1")));
  Result<Cidr> all = ParseCidr("::/0");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(CidrContains(*all, *ParseIpAddress("2400::1")));
  EXPECT_FALSE(CidrContains(*all, *ParseIpAddress("8.8.8.8")));
  Result<Cidr> single = ParseCidr("fd00::5");
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->prefix, 128);
  for (const char* bad : {"127.0.0.1/33", "::1/129", "127.0.0.1/", "127.0.0.1/-1", "127.0.0.1/+8",
                          "127.0.0.1/0x8", "127.0.0.1/1000", "/8", "localhost/32"}) {
    EXPECT_FALSE(ParseCidr(bad).ok()) << bad;
  }
}

TEST(FetchGuardTest, SockaddrBothFamilies) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(8080);
  inet_pton(AF_INET, "169.254.169.254", &in.sin_addr);
  IpAddress a;
  uint16_t port = 0;
  ASSERT_TRUE(FromSockaddr(reinterpret_cast<sockaddr*>(&in), sizeof(in), &a, &port));
  EXPECT_EQ(FormatIpAddress(a), "169.254.169.254");
  EXPECT_EQ(port, 8080);
  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(443);
  inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
  ASSERT_TRUE(FromSockaddr(reinterpret_cast<sockaddr*>(&in6), sizeof(in6), &a, &port));
  EXPECT_FALSE(IsPublicAddress(a));
  EXPECT_EQ(port, 443);
  EXPECT_FALSE(FromSockaddr(reinterpret_cast<sockaddr*>(&in6), 8, &a, &port));  // too short
}

TEST(FetchGuardTest, PolicyAllowsListedRangesAndPorts) {
  FetchGuard guard;
  guard.public_only = true;
  guard.allow_cidrs = {"127.0.0.2/32", "fd00::/8"};
  guard.allow_ports = {8080};
  Result<AddressPolicy> p = AddressPolicy::Make(guard);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Refusal(*ParseIpAddress("8.8.8.8"), 443), "");
  EXPECT_EQ(p->Refusal(*ParseIpAddress("8.8.8.8"), 80), "");
  EXPECT_EQ(p->Refusal(*ParseIpAddress("127.0.0.2"), 8080), "");
  EXPECT_EQ(p->Refusal(*ParseIpAddress("fd00::1"), 80), "");
  EXPECT_EQ(p->Refusal(*ParseIpAddress("127.0.0.1"), 8080),
            "refused 127.0.0.1 port 8080: loopback (127.0.0.0/8)");
  EXPECT_NE(p->Refusal(*ParseIpAddress("8.8.8.8"), 22).find("port 22: port not 80 or 443"),
            std::string::npos);
  EXPECT_NE(p->Refusal(*ParseIpAddress("127.0.0.2"), 25), "");  // allowed host, not that port
  guard.allow_cidrs = {"127.0.0.2/40"};
  EXPECT_FALSE(AddressPolicy::Make(guard).ok());
  Result<AddressPolicy> open = AddressPolicy::Make(FetchGuard{});
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->Refusal(*ParseIpAddress("127.0.0.1"), 22), "");  // unguarded: anything
}

}  // namespace
}  // namespace piaudit::policy
