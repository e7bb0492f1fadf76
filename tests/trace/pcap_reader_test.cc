// Captures built byte by byte here (a small pcap and pcapng writer), so every case says exactly
// which packets it holds.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "trace/reader.h"
#include "trace/recording_sink.h"

namespace piaudit::trace {
namespace {

void Put16(std::string& s, uint16_t v) {  // big-endian, as on the wire
  s.push_back(static_cast<char>(v >> 8));
  s.push_back(static_cast<char>(v));
}
void Put32(std::string& s, uint32_t v) {
  Put16(s, static_cast<uint16_t>(v >> 16));
  Put16(s, static_cast<uint16_t>(v));
}
void Le16(std::string& s, uint16_t v) {
  s.push_back(static_cast<char>(v));
  s.push_back(static_cast<char>(v >> 8));
}
void Le32(std::string& s, uint32_t v) {
  Le16(s, static_cast<uint16_t>(v));
  Le16(s, static_cast<uint16_t>(v >> 16));
}

constexpr uint32_t kClient = 0x0a000002;  // 10.0.0.2
constexpr uint32_t kServer = 0x7f000001;  // 127.0.0.1
constexpr uint32_t kResolver = 0x08080808;
constexpr uint8_t kSyn = 0x02, kAck = 0x10, kPsh = 0x08, kFin = 0x01;

std::string Ipv4(uint32_t src, uint32_t dst, uint8_t protocol, const std::string& payload,
                 uint16_t fragment = 0) {
  std::string p;
  p.push_back(0x45);
  p.push_back(0);
  Put16(p, static_cast<uint16_t>(20 + payload.size()));
  Put16(p, 1);
  Put16(p, fragment);
  p.push_back(64);
  p.push_back(static_cast<char>(protocol));
  Put16(p, 0);
  Put32(p, src);
  Put32(p, dst);
  return p + payload;
}

std::string Ipv6(uint8_t last_src, uint8_t last_dst, uint8_t next, const std::string& payload) {
  std::string p;
  Put32(p, 0x60000000);
  Put16(p, static_cast<uint16_t>(payload.size()));
  p.push_back(static_cast<char>(next));
  p.push_back(64);
  std::string src(16, '\0'), dst(16, '\0');
  src[0] = dst[0] = '\x20';
  src[1] = dst[1] = '\x01';
  src[15] = static_cast<char>(last_src);
  dst[15] = static_cast<char>(last_dst);
  return p + src + dst + payload;
}

std::string Tcp(uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags,
                const std::string& payload = "") {
  std::string t;
  Put16(t, sport);
  Put16(t, dport);
  Put32(t, seq);
  Put32(t, 0);
  t.push_back(0x50);
  t.push_back(static_cast<char>(flags));
  Put16(t, 65535);
  Put32(t, 0);
  return t + payload;
}

std::string Udp(uint16_t sport, uint16_t dport, const std::string& payload) {
  std::string u;
  Put16(u, sport);
  Put16(u, dport);
  Put16(u, static_cast<uint16_t>(8 + payload.size()));
  Put16(u, 0);
  return u + payload;
}

std::string Ethernet(const std::string& packet, uint16_t ethertype = 0x0800) {
  std::string e(12, '\x02');
  Put16(e, ethertype);
  return e + packet;
}

std::string DnsName(std::string_view name) {
  std::string out;
  while (!name.empty()) {
    size_t dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    out.push_back(static_cast<char>(label.size()));
    out.append(label);
    name = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  }
  out.push_back(0);
  return out;
}

std::string DnsQuery(std::string_view name) {
  std::string d;
  Put16(d, 0x1234);
  Put16(d, 0x0100);
  Put16(d, 1);
  Put16(d, 0);
  Put32(d, 0);
  d += DnsName(name);
  Put16(d, 1);
  Put16(d, 1);
  return d;
}

// A CNAME then two A records, every owner name a compression pointer.
std::string DnsResponse(std::string_view name) {
  std::string d;
  Put16(d, 0x1234);
  Put16(d, 0x8180);
  Put16(d, 1);
  Put16(d, 3);
  Put32(d, 0);
  d += DnsName(name);
  Put16(d, 1);
  Put16(d, 1);
  // CNAME: owner -> "cdn" + pointer to the question name
  Put16(d, 0xc00c);
  Put16(d, 5);
  Put16(d, 1);
  Put32(d, 60);
  size_t cname_at = d.size() + 2;
  std::string cname =
      "\x03"
      "cdn\xc0\x0c";
  Put16(d, static_cast<uint16_t>(cname.size()));
  d += cname;
  for (uint32_t address : {0x01020304u, 0x05060708u}) {
    Put16(d, static_cast<uint16_t>(0xc000 | cname_at));
    Put16(d, 1);
    Put16(d, 1);
    Put32(d, 60);
    Put16(d, 4);
    Put32(d, address);
  }
  return d;
}

std::string ClientHello(std::string_view sni) {
  std::string ext;
  std::string server_name;
  Put16(server_name, static_cast<uint16_t>(sni.size() + 3));
  server_name.push_back(0);
  Put16(server_name, static_cast<uint16_t>(sni.size()));
  server_name += sni;
  Put16(ext, 0x000a);  // supported_groups first, so SNI is not the first extension
  Put16(ext, 4);
  Put16(ext, 2);
  Put16(ext, 0x001d);
  Put16(ext, 0);
  Put16(ext, static_cast<uint16_t>(server_name.size()));
  ext += server_name;
  std::string body;
  Put16(body, 0x0303);
  body += std::string(32, '\x11');
  body.push_back(0);  // session id
  Put16(body, 2);
  Put16(body, 0x1301);
  body.push_back(1);
  body.push_back(0);
  Put16(body, static_cast<uint16_t>(ext.size()));
  body += ext;
  std::string handshake;
  handshake.push_back(1);
  handshake.push_back(0);
  Put16(handshake, static_cast<uint16_t>(body.size()));
  handshake += body;
  std::string record = "\x16\x03\x01";
  Put16(record, static_cast<uint16_t>(handshake.size()));
  return record + handshake;
}

class Pcap {
 public:
  explicit Pcap(uint32_t link_type = 1) {
    Le32(bytes_, 0xa1b2c3d4);
    Le16(bytes_, 2);
    Le16(bytes_, 4);
    Le32(bytes_, 0);
    Le32(bytes_, 0);
    Le32(bytes_, 65535);
    Le32(bytes_, link_type);
  }
  // Packet n is at 1796544000 s + n * 10 ms.
  Pcap& Add(const std::string& frame, std::optional<uint32_t> caplen = std::nullopt) {
    uint32_t n = count_++;
    Le32(bytes_, 1796544000);
    Le32(bytes_, n * 10000);
    uint32_t captured = caplen.value_or(static_cast<uint32_t>(frame.size()));
    Le32(bytes_, captured);
    Le32(bytes_, static_cast<uint32_t>(frame.size()));
    bytes_ += frame.substr(0, captured);
    return *this;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
  uint32_t count_ = 0;
};

int64_t PacketMs(uint32_t n) { return int64_t{1796544000} * 1000 + n * 10; }

Status Read(const std::string& capture, RecordingSink& sink, ReadOptions options = {},
            ReadStats* stats = nullptr) {
  EXPECT_EQ(DetectFormat(ByteSpan(std::string_view(capture)), "x.bin"), TraceFormat::kPcap);
  return ReadTrace(TraceFormat::kPcap, "t.pcap", ByteSpan(std::string_view(capture)), options, sink,
                   stats);
}

std::string Describe(const RecordingSink& sink) {
  std::string out;
  for (const auto& e : sink.events) {
    out += e.method + " " + e.host + " " + e.url + " ip=" + e.ip +
           " entry=" + std::to_string(e.entry.value_or(99)) + "\n";
  }
  for (const auto& [i, why] : sink.malformed)
    out += "malformed " + std::to_string(i) + ": " + why + "\n";
  return out;
}

TEST(PcapReaderTest, DetectsEveryMagic) {
  for (uint32_t magic : {0xa1b2c3d4u, 0xd4c3b2a1u, 0xa1b23c4du, 0x4d3cb2a1u}) {
    std::string head;
    Put32(head, magic);
    head += std::string(20, '\0');
    EXPECT_EQ(DetectFormat(ByteSpan(std::string_view(head)), "x"), TraceFormat::kPcap) << magic;
  }
  std::string pcapng = "\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a";
  EXPECT_EQ(DetectFormat(ByteSpan(std::string_view(pcapng)), "x"), TraceFormat::kPcap);
  EXPECT_NE(DetectFormat(ByteSpan(std::string_view("GET / HTTP/1.1\r\n")), "x.pcap"),
            TraceFormat::kPcap);
}

TEST(PcapReaderTest, HttpRequestSplitOutOfOrderThenKeepAlive) {
  std::string post =
      "POST /mistats/v3?imei=861234567890123 HTTP/1.1\r\nHost: data.mistat.xiaomi.com\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 22\r\n\r\n"
      "mac=3c%3A5a%3Ab4&x=yz";
  post += "!";  // 22 bytes of body
  std::string get = "GET /next HTTP/1.1\r\nHost: data.mistat.xiaomi.com:8080\r\n\r\n";
  std::string first = post.substr(0, 40), second = post.substr(40);
  Pcap pcap;
  pcap.Add(Ethernet(Ipv4(kClient, kServer, 6, Tcp(40000, 80, 1000, kSyn))))               // 0
      .Add(Ethernet(Ipv4(kClient, kServer, 6, Tcp(40000, 80, 1001 + 40, kAck, second))))  // 1
      .Add(Ethernet(Ipv4(kClient, kServer, 6, Tcp(40000, 80, 1001, kAck, first))))        // 2
      .Add(Ethernet(Ipv4(kServer, kClient, 6,
                         Tcp(80, 40000, 5000, kAck | kPsh, "HTTP/1.1 200 OK\r\n\r\n"))))  // 3
      .Add(Ethernet(Ipv4(kClient, kServer, 6,
                         Tcp(40000, 80, 1001 + static_cast<uint32_t>(post.size()), kAck | kPsh,
                             get))))  // 4
      .Add(Ethernet(Ipv4(kClient, kServer, 6,
                         Tcp(40000, 80, 1001 + static_cast<uint32_t>(post.size() + get.size()),
                             kFin))));  // 5
  RecordingSink sink;
  ReadStats stats;
  ASSERT_TRUE(Read(pcap.bytes(), sink, {}, &stats).ok());
  ASSERT_EQ(sink.events.size(), 2u) << Describe(sink);
  EXPECT_TRUE(sink.malformed.empty()) << Describe(sink);
  const CopiedEvent& e = sink.events[0];
  EXPECT_EQ(e.type, EventType::kNetwork);
  EXPECT_EQ(e.method, "POST");
  EXPECT_EQ(e.url, "http://data.mistat.xiaomi.com/mistats/v3?imei=861234567890123");
  EXPECT_EQ(e.host, "data.mistat.xiaomi.com");
  EXPECT_EQ(e.ip, "127.0.0.1");
  EXPECT_EQ(e.port, 80);
  EXPECT_EQ(e.body, "mac=3c%3A5a%3Ab4&x=yz!");
  EXPECT_EQ(e.Header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(e.entry, 2u);  // the packet carrying the request's first byte
  EXPECT_EQ(e.t_ms, PacketMs(2));
  EXPECT_FALSE(e.encrypted);
  EXPECT_EQ(sink.events[1].method, "GET");
  EXPECT_EQ(sink.events[1].url, "http://data.mistat.xiaomi.com:8080/next");
  EXPECT_EQ(sink.events[1].host, "data.mistat.xiaomi.com");
  EXPECT_EQ(sink.events[1].entry, 4u);
  EXPECT_EQ(stats.events, 2u);
}

TEST(PcapReaderTest, DnsQueryAndResponseWithCompression) {
  Pcap pcap;
  pcap.Add(Ethernet(Ipv4(kClient, kResolver, 17, Udp(5353, 53, DnsQuery("Android.Bugly.qq.com")))))
      .Add(Ethernet(
          Ipv4(kResolver, kClient, 17, Udp(53, 5353, DnsResponse("android.bugly.qq.com")))));
  RecordingSink sink;
  ASSERT_TRUE(Read(pcap.bytes(), sink).ok());
  ASSERT_EQ(sink.events.size(), 3u) << Describe(sink);
  EXPECT_EQ(sink.events[0].method, "DNS");
  EXPECT_EQ(sink.events[0].host, "android.bugly.qq.com");
  EXPECT_EQ(sink.events[0].ip, "");
  EXPECT_EQ(sink.events[0].port, 53);
  EXPECT_EQ(sink.events[1].host, "android.bugly.qq.com");
  EXPECT_EQ(sink.events[1].ip, "1.2.3.4");
  EXPECT_EQ(sink.events[1].entry, 1u);
  EXPECT_EQ(sink.events[2].ip, "5.6.7.8");
  EXPECT_TRUE(sink.malformed.empty()) << Describe(sink);
}

TEST(PcapReaderTest, DnsPointerLoopsAndCutNamesAreMalformed) {
  std::string looping;
  Put16(looping, 1);
  Put16(looping, 0x0100);
  Put16(looping, 1);
  Put16(looping, 0);
  Put32(looping, 0);
  Put16(looping, 0xc00c);  // points at itself
  Put32(looping, 0x00010001);
  std::string forward = looping;
  forward[12] = '\xc0';
  forward[13] = '\x20';  // points past itself
  Pcap pcap;
  pcap.Add(Ethernet(Ipv4(kClient, kResolver, 17, Udp(5353, 53, looping))))
      .Add(Ethernet(Ipv4(kClient, kResolver, 17, Udp(5353, 53, forward))))
      .Add(Ethernet(
          Ipv4(kClient, kResolver, 17, Udp(5353, 53, DnsQuery("a.example").substr(0, 16)))));
  RecordingSink sink;
  ASSERT_TRUE(Read(pcap.bytes(), sink).ok());
  EXPECT_TRUE(sink.events.empty()) << Describe(sink);
  EXPECT_EQ(sink.malformed.size(), 3u) << Describe(sink);
}

TEST(PcapReaderTest, TlsClientHelloGivesTheServerName) {
  std::string hello = ClientHello("Alog.Umeng.com");
  Pcap pcap;
  pcap.Add(Ethernet(Ipv4(kClient, kServer, 6, Tcp(40001, 443, 7, kSyn))))
      .Add(Ethernet(Ipv4(kClient, kServer, 6, Tcp(40001, 443, 8, kAck, hello.substr(0, 30)))))
      .Add(Ethernet(Ipv4(kClient, kServer, 6, Tcp(40001, 443, 38, kAck, hello.substr(30)))))
      .Add(Ethernet(Ipv4(kClient, kServer, 6,
                         Tcp(40001, 443, 8 + static_cast<uint32_t>(hello.size()), kAck,
                             "\x17\x03\x03\x00\x05hello"))));
  RecordingSink sink;
  ASSERT_TRUE(Read(pcap.bytes(), sink).ok());
  ASSERT_EQ(sink.events.size(), 1u) << Describe(sink);
  const CopiedEvent& e = sink.events[0];
  EXPECT_EQ(e.method, "TLS");
  EXPECT_EQ(e.host, "alog.umeng.com");
  EXPECT_EQ(e.ip, "127.0.0.1");
  EXPECT_EQ(e.port, 443);
  EXPECT_TRUE(e.encrypted);
  EXPECT_EQ(e.entry, 1u);
  EXPECT_TRUE(e.body.empty());
}

TEST(PcapReaderTest, PcapngCapture) {
  std::string frame = Ethernet(
      Ipv4(kClient, kServer, 6,
           Tcp(40002, 80, 1, kAck | kPsh, "GET /a?x=1 HTTP/1.1\r\nHost: sdk.example\r\n\r\n")));
  std::string ng;
  // Section header block
  Le32(ng, 0x0a0d0d0a);
  Le32(ng, 28);
  Le32(ng, 0x1a2b3c4d);
  Le16(ng, 1);
  Le16(ng, 0);
  Le32(ng, 0xffffffff);
  Le32(ng, 0xffffffff);
  Le32(ng, 28);
  // Interface description block: Ethernet, default microsecond timestamps
  Le32(ng, 1);
  Le32(ng, 20);
  Le16(ng, 1);
  Le16(ng, 0);
  Le32(ng, 65535);
  Le32(ng, 20);
  // Enhanced packet block
  uint32_t padded = (static_cast<uint32_t>(frame.size()) + 3) & ~3u;
  uint64_t us = uint64_t{1796544000} * 1000000 + 5000;
  Le32(ng, 6);
  Le32(ng, 32 + padded);
  Le32(ng, 0);
  Le32(ng, static_cast<uint32_t>(us >> 32));
  Le32(ng, static_cast<uint32_t>(us));
  Le32(ng, static_cast<uint32_t>(frame.size()));
  Le32(ng, static_cast<uint32_t>(frame.size()));
  ng += frame + std::string(padded - frame.size(), '\0');
  Le32(ng, 32 + padded);
  RecordingSink sink;
  ASSERT_TRUE(Read(ng, sink).ok()) << Describe(sink);
  ASSERT_EQ(sink.events.size(), 1u) << Describe(sink);
  EXPECT_EQ(sink.events[0].url, "http://sdk.example/a?x=1");
  EXPECT_EQ(sink.events[0].t_ms, int64_t{1796544000} * 1000 + 5);
  EXPECT_EQ(sink.events[0].entry, 0u);
}

TEST(PcapReaderTest, TruncatedAndGarbagePacketsAreMalformed) {
  std::string good = Ethernet(Ipv4(kClient, kResolver, 17, Udp(5353, 53, DnsQuery("ok.example"))));
  Pcap pcap;
  pcap.Add(good, 20)                                                                // IPv4 cut
      .Add(Ethernet(Ipv4(kClient, kServer, 6, Tcp(1, 80, 1, kAck))), 14 + 20 + 10)  // TCP cut
      .Add(std::string(5, '\xff'))                                                  // Ethernet cut
      .Add(Ethernet(std::string(40, '\x4f')))                                       // IPv4 garbage
      .Add(Ethernet(Ipv4(kClient, kResolver, 17, Udp(1, 53, "xx")), 0x0800))        // DNS cut
      .Add(Ethernet(Ipv4(kClient, kResolver, 17, Udp(1, 53, DnsQuery("frag.example")), 0x2000)))
      .Add(good);
  std::string capture = pcap.bytes();
  RecordingSink sink;
  ReadStats stats;
  ASSERT_TRUE(Read(capture, sink, {}, &stats).ok());
  ASSERT_EQ(sink.events.size(), 1u) << Describe(sink);
  EXPECT_EQ(sink.events[0].host, "ok.example");
  EXPECT_EQ(sink.events[0].entry, 6u);
  EXPECT_EQ(sink.malformed.size(), 6u) << Describe(sink);
  EXPECT_EQ(stats.malformed, 6u);

  // A capture stopped mid-write: what came before is read, the cut packet is malformed.
  RecordingSink cut;
  ASSERT_TRUE(Read(capture.substr(0, capture.size() - 10), cut).ok());
  EXPECT_TRUE(cut.events.empty());
  EXPECT_EQ(cut.malformed.size(), 7u) << Describe(cut);
  EXPECT_NE(cut.malformed.back().second.find("ends inside"), std::string::npos);
}

TEST(PcapReaderTest, ChunkedBodyIsDecoded) {
  std::string request =
      "POST /c HTTP/1.1\r\nHost: h.example\r\nTransfer-Encoding: chunked\r\n\r\n"
      "4\r\nimei\r\n6;ext=1\r\n=86123\r\n0\r\nX-Trailer: 1\r\n\r\n";
  Pcap pcap;
  pcap.Add(Ethernet(Ipv4(kClient, kServer, 6, Tcp(40003, 8080, 1, kAck, request.substr(0, 70)))))
      .Add(Ethernet(Ipv4(kClient, kServer, 6, Tcp(40003, 8080, 71, kAck, request.substr(70)))));
  RecordingSink sink;
  ASSERT_TRUE(Read(pcap.bytes(), sink).ok());
  ASSERT_EQ(sink.events.size(), 1u) << Describe(sink);
  EXPECT_EQ(sink.events[0].body, "imei=86123");
  EXPECT_EQ(sink.events[0].port, 8080);
}

TEST(PcapReaderTest, BodyOverTheLimitIsCutAndTheNextRequestStillRead) {
  std::string body(3000, 'b');
  std::string post = "POST /big HTTP/1.1\r\nHost: h.example\r\nContent-Length: 3000\r\n\r\n" + body;
  std::string get = "GET /after HTTP/1.1\r\nHost: h.example\r\n\r\n";
  std::string stream = post + get;
  Pcap pcap;
  for (size_t at = 0; at < stream.size(); at += 500) {
    pcap.Add(Ethernet(
        Ipv4(kClient, kServer, 6,
             Tcp(40004, 80, 1 + static_cast<uint32_t>(at), kAck, stream.substr(at, 500)))));
  }
  ReadOptions options;
  options.limits.max_body_bytes = 1000;
  RecordingSink sink;
  ASSERT_TRUE(Read(pcap.bytes(), sink, options).ok());
  ASSERT_EQ(sink.events.size(), 2u) << Describe(sink);
  EXPECT_EQ(sink.events[0].body.size(), 1000u);
  EXPECT_EQ(sink.events[1].url, "http://h.example/after");
}

TEST(PcapReaderTest, LargeBodiesInManySegmentsAreReadInLinearTime) {
  std::string chunked = "POST /c HTTP/1.1\r\nHost: h.example\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4096; ++i) chunked += "400\r\n" + std::string(1024, 'c') + "\r\n";
  chunked += "0\r\n\r\n";
  std::string sized = "POST /s HTTP/1.1\r\nHost: h.example\r\nContent-Length: 4194304\r\n\r\n" +
                      std::string(4 << 20, 's');
  std::string stream = chunked + sized;
  Pcap pcap;
  for (size_t at = 0; at < stream.size(); at += 1400) {
    pcap.Add(Ethernet(
        Ipv4(kClient, kServer, 6,
             Tcp(40007, 80, 1 + static_cast<uint32_t>(at), kAck, stream.substr(at, 1400)))));
  }
  auto start = std::chrono::steady_clock::now();
  RecordingSink sink;
  ASSERT_TRUE(Read(pcap.bytes(), sink).ok());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(sink.events.size(), 2u) << Describe(sink);
  EXPECT_EQ(sink.events[0].body.size(), 4u << 20);
  EXPECT_EQ(sink.events[1].body.size(), 4u << 20);
  // Re-decoding from the start on each of the ~6000 segments would be quadratic (tens of seconds).
  EXPECT_LT(seconds, 5.0);
}

TEST(PcapReaderTest, AGapNeverFilledIsReportedAndParsingResumes) {
  std::string a = "GET /a HTTP/1.1\r\nHost: h.example\r\nContent-Length: 10\r\n\r\n01234";
  std::string b = "GET /b HTTP/1.1\r\nHost: h.example\r\n\r\n";
  Pcap pcap;
  pcap.Add(Ethernet(Ipv4(kClient, kServer, 6, Tcp(40005, 80, 100, kSyn))))
      .Add(Ethernet(Ipv4(kClient, kServer, 6, Tcp(40005, 80, 101, kAck, a))))
      // 5 body bytes were never captured
      .Add(Ethernet(Ipv4(kClient, kServer, 6,
                         Tcp(40005, 80, 101 + static_cast<uint32_t>(a.size()) + 5, kAck, b))));
  RecordingSink sink;
  ASSERT_TRUE(Read(pcap.bytes(), sink).ok());
  ASSERT_EQ(sink.events.size(), 2u) << Describe(sink);
  EXPECT_EQ(sink.events[0].url, "http://h.example/a");
  EXPECT_EQ(sink.events[0].body, "01234");
  EXPECT_EQ(sink.events[1].url, "http://h.example/b");
  ASSERT_EQ(sink.malformed.size(), 1u) << Describe(sink);
  EXPECT_EQ(sink.malformed[0].first, 2u);
}

TEST(PcapReaderTest, OtherLinkTypesAndIpv6) {
  std::string query = Ipv4(kClient, kResolver, 17, Udp(5353, 53, DnsQuery("raw.example")));
  Pcap raw(101);  // LINKTYPE_RAW
  raw.Add(query);
  RecordingSink raw_sink;
  ASSERT_TRUE(Read(raw.bytes(), raw_sink).ok());
  ASSERT_EQ(raw_sink.events.size(), 1u) << Describe(raw_sink);
  EXPECT_EQ(raw_sink.events[0].host, "raw.example");

  Pcap sll2(276);  // LINKTYPE_LINUX_SLL2
  std::string cooked;
  Put16(cooked, 0x0800);
  Put16(cooked, 0);
  Put32(cooked, 1);
  Put16(cooked, 1);  // ARPHRD_ETHER
  cooked.push_back(0);
  cooked.push_back(6);
  cooked += std::string(8, '\0');
  sll2.Add(cooked + query);
  RecordingSink sll2_sink;
  ASSERT_TRUE(Read(sll2.bytes(), sll2_sink).ok());
  ASSERT_EQ(sll2_sink.events.size(), 1u) << Describe(sll2_sink);

  Pcap null_loop(0);  // DLT_NULL, family in little-endian order
  std::string family;
  Le32(family, 2);
  null_loop.Add(family + query);
  RecordingSink null_sink;
  ASSERT_TRUE(Read(null_loop.bytes(), null_sink).ok());
  ASSERT_EQ(null_sink.events.size(), 1u) << Describe(null_sink);

  Pcap v6;
  v6.Add(Ethernet(
      Ipv6(2, 1, 6, Tcp(40006, 80, 1, kAck, "GET /six HTTP/1.1\r\nHost: [2001:1::1]:80\r\n\r\n")),
      0x86dd));
  RecordingSink v6_sink;
  ASSERT_TRUE(Read(v6.bytes(), v6_sink).ok());
  ASSERT_EQ(v6_sink.events.size(), 1u) << Describe(v6_sink);
  EXPECT_EQ(v6_sink.events[0].host, "2001:1::1");
  EXPECT_EQ(v6_sink.events[0].ip, "2001::1");
}

TEST(PcapReaderTest, NotACaptureIsAStatus) {
  RecordingSink sink;
  std::string junk = "\xd4\xc3\xb2\xa1garbage";
  EXPECT_FALSE(
      ReadTrace(TraceFormat::kPcap, "t.pcap", ByteSpan(std::string_view(junk)), {}, sink, nullptr)
          .ok());
  EXPECT_FALSE(
      ReadTrace(TraceFormat::kPcap, "t.pcap", ByteSpan(std::string_view("ab")), {}, sink, nullptr)
          .ok());
  Pcap unsupported(105);  // 802.11
  Status status = ReadTrace(TraceFormat::kPcap, "t.pcap",
                            ByteSpan(std::string_view(unsupported.bytes())), {}, sink, nullptr);
  EXPECT_EQ(status.code(), StatusCode::kUnsupported);
  EXPECT_EQ(status.file(), "t.pcap");
}

}  // namespace
}  // namespace piaudit::trace
