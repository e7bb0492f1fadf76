// pcap and pcapng captures (tcpdump, PCAPdroid, Wireshark), read with libpcap from the mapped
// bytes, decoded here down to what shows which hosts the app talks to and what it sends in the
// clear:
//   - DNS over UDP port 53: the name asked for, and each A/AAAA address answered;
//   - TLS ClientHello: the server name (SNI); the rest of the connection stays unknown;
//   - HTTP/1.x requests, after reassembling each TCP direction in sequence order.
// IP fragments are not reassembled (apps' DNS and HTTP requests do not fragment on a phone's MTU).
//
// HTTP requests are parsed by hand rather than with Debian's libhttp-parser: that library is
// unmaintained upstream (its successor llhttp is not in Debian 12), and a callback parser would
// still leave the buffering, the limits and the tolerance for bare-LF requests to us; a request
// line, headers, Content-Length and chunked bodies are all there is to read.
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <pcap/sll.h>
#include <stdio.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "trace/internal/readers.h"

namespace piaudit::trace::internal {
namespace {

// One request head (request line and headers): real ones are a few KiB; cookies can reach 16 KiB.
constexpr size_t kMaxRequestHead = 64 << 10;
// A ClientHello is 0.5-2 KiB (post-quantum key shares included); 64 KiB is the handshake's own
// bound.
constexpr size_t kMaxClientHello = 64 << 10;
// TCP directions followed at once: a phone keeps a few hundred connections at most.
constexpr size_t kMaxStreams = 65536;
// Out-of-order segments held per direction before the gap is declared lost.
constexpr size_t kMaxPendingSegments = 4096;
// IPv6 extension headers walked before the transport header (real packets have 0-2).
constexpr int kMaxExtensionHeaders = 8;
// DNS: compression pointers followed in one name, and records read per message.
constexpr int kMaxDnsJumps = 64;
constexpr uint32_t kMaxDnsRecords = 256;

uint16_t Be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t Be32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | p[3];
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

struct Address {
  uint8_t family = 0;  // 4 or 6
  std::array<uint8_t, 16> bytes{};
  bool operator==(const Address&) const = default;
};

std::string AddressText(const Address& a) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(a.family == 4 ? AF_INET : AF_INET6, a.bytes.data(), text, sizeof text);
  return text;
}

struct StreamKey {
  Address src, dst;
  uint16_t src_port = 0, dst_port = 0;
  bool operator==(const StreamKey&) const = default;
};

struct StreamKeyHash {
  size_t operator()(const StreamKey& k) const {
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](const uint8_t* p, size_t n) {
      for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
    };
    mix(k.src.bytes.data(), 16);
    mix(k.dst.bytes.data(), 16);
    uint8_t rest[5] = {static_cast<uint8_t>(k.src_port), static_cast<uint8_t>(k.src_port >> 8),
                       static_cast<uint8_t>(k.dst_port), static_cast<uint8_t>(k.dst_port >> 8),
                       k.src.family};
    mix(rest, sizeof rest);
    return static_cast<size_t>(h);
  }
};

// Where stream bytes came from: the packet carrying the byte at `offset` and after.
struct Origin {
  uint64_t offset;
  uint64_t packet;
  std::optional<int64_t> t_ms;
};

struct Segment {
  std::string data;
  uint64_t packet;
  std::optional<int64_t> t_ms;
};

// One direction of a TCP connection.
struct Stream {
  enum class Mode : uint8_t { kDetect, kHttp, kTls, kResync, kIgnore };
  Mode mode = Mode::kDetect;
  uint64_t first_packet = 0;
  uint32_t isn = 0;   // sequence number of stream offset 0
  uint64_t next = 0;  // stream offset of the next byte expected
  // buf[consumed..] are the bytes not parsed yet; buf[0] is at stream offset buf_start.
  std::string buf;
  size_t consumed = 0;
  uint64_t buf_start = 0;
  uint64_t skip = 0;  // body bytes past max_body_bytes still to drop
  // Unparsed bytes needed before the pending request is tried again: a body arriving in thousands
  // of segments is not re-parsed (or, chunked, re-decoded) from its start for each one.
  size_t retry_at = 0;
  std::deque<Origin> origins;
  std::map<uint64_t, Segment> pending;  // out of order, by stream offset
  uint64_t pending_bytes = 0;
};

struct Transport {
  Address src, dst;
  uint16_t src_port = 0, dst_port = 0;
  const uint8_t* payload = nullptr;
  size_t payload_size = 0;
  uint32_t seq = 0;
  uint8_t tcp_flags = 0;
  bool tcp = false;
};

constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04;

constexpr std::string_view kMethods[] = {"GET",     "POST",  "PUT",     "DELETE", "HEAD",
                                         "OPTIONS", "PATCH", "CONNECT", "TRACE"};

// 1: starts with a method and a space; 0: cannot; -1: too short to tell.
int StartsWithMethod(std::string_view s) {
  bool maybe = false;
  for (std::string_view m : kMethods) {
    if (s.size() > m.size()) {
      if (s.substr(0, m.size()) == m && s[m.size()] == ' ') return 1;
    } else if (m.substr(0, s.size()) == s) {
      maybe = true;
    }
  }
  return maybe ? -1 : 0;
}

class Decoder {
 public:
  Decoder(const ReadOptions& options, EventSink& sink, ReadStats& stats)
      : limits_(options.limits), sink_(sink), stats_(stats) {}

  Status Packet(uint64_t index, std::optional<int64_t> t_ms, int link_type, const uint8_t* data,
                size_t size) {
    index_ = index;
    t_ms_ = t_ms;
    DecodeLink(link_type, data, size);
    return std::move(status_);
  }

  Status Finish() {
    std::vector<std::pair<uint64_t, StreamKey>> order;
    for (const auto& [key, stream] : streams_) order.emplace_back(stream.first_packet, key);
    std::sort(order.begin(), order.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [first, key] : order) {
      auto it = streams_.find(key);
      Stream& s = it->second;
      while (!s.pending.empty() && status_.ok()) SkipGap(key, s);
      Close(key, s);
      if (!status_.ok()) break;
    }
    streams_.clear();
    return std::move(status_);
  }

 private:
  void Malformed(std::string_view why) { MalformedAt(index_, why); }
  void MalformedAt(uint64_t packet, std::string_view why) {
    sink_.OnMalformed(packet, why);
    if (++stats_.malformed > limits_.max_malformed && status_.ok()) {
      status_ =
          InvalidInput("more than " + std::to_string(limits_.max_malformed) + " malformed packets");
    }
  }

  void Emit(Event& event) {
    if (!status_.ok()) return;
    if (stats_.events >= limits_.max_events) {
      status_ =
          LimitExceeded("more than " + std::to_string(limits_.max_events) + " events (max_events)");
      return;
    }
    event.type = EventType::kNetwork;
    event.type_name = EventTypeName(EventType::kNetwork);
    ++stats_.events;
    sink_.OnEvent(event);
  }

  // ---- link and network layers ----

  void DecodeLink(int link_type, const uint8_t* p, size_t n) {
    uint16_t ethertype = 0;
    switch (link_type) {
      case DLT_EN10MB: {
        if (n < 14) return Malformed("Ethernet header cut short");
        ethertype = Be16(p + 12);
        size_t offset = 14;
        for (int tags = 0;
             tags < 2 && (ethertype == 0x8100 || ethertype == 0x88a8 || ethertype == 0x9100);
             ++tags) {
          if (n < offset + 4) return Malformed("VLAN tag cut short");
          ethertype = Be16(p + offset + 2);
          offset += 4;
        }
        p += offset;
        n -= offset;
        break;
      }
      case DLT_LINUX_SLL: {
        if (n < 16) return Malformed("Linux cooked header cut short");
        // On the "any" device loopback traffic is seen going out and coming in; keep one copy.
        if (Be16(p) == 4 && Be16(p + 2) == 772) return;
        ethertype = Be16(p + 14);
        p += 16;
        n -= 16;
        break;
      }
      case DLT_LINUX_SLL2: {
        if (n < 20) return Malformed("Linux cooked v2 header cut short");
        if (p[10] == 4 && Be16(p + 8) == 772) return;
        ethertype = Be16(p);
        p += 20;
        n -= 20;
        break;
      }
      case DLT_NULL:
      case DLT_LOOP: {
        if (n < 4) return Malformed("loopback header cut short");
        // DLT_NULL's family is in the capturing host's byte order; AF_INET6 differs by OS.
        uint32_t be = Be32(p);
        uint32_t le = p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24;
        uint32_t family = link_type == DLT_LOOP ? be : (be < 256 ? be : le);
        p += 4;
        n -= 4;
        if (family == 2)
          ethertype = 0x0800;
        else if (family == 10 || family == 24 || family == 28 || family == 30)
          ethertype = 0x86dd;
        else
          return;
        break;
      }
      default:  // raw IP (DLT_RAW, DLT_IPV4, DLT_IPV6): the version says which
        if (n < 1) return Malformed("empty packet");
        ethertype = (p[0] >> 4) == 6 ? 0x86dd : 0x0800;
        break;
    }
    if (ethertype == 0x0800) return DecodeIpv4(p, n);
    if (ethertype == 0x86dd) return DecodeIpv6(p, n);
    // ARP and the rest carry nothing of the app's.
  }

  void DecodeIpv4(const uint8_t* p, size_t n) {
    if (n < 20 || (p[0] >> 4) != 4) return Malformed("IPv4 header cut short or wrong version");
    size_t header = static_cast<size_t>(p[0] & 15) * 4;
    size_t total = Be16(p + 2);
    if (header < 20 || header > n || total < header) return Malformed("IPv4 header length invalid");
    n = std::min(n, total);  // drops Ethernet padding; a cut capture keeps what it has
    uint16_t fragment = Be16(p + 6);
    if ((fragment & 0x3fff) != 0) {
      // Counted once per datagram (at its first fragment); its content is unknown.
      if ((fragment & 0x1fff) == 0) Malformed("IPv4 fragment: not reassembled, content unknown");
      return;
    }
    Transport t;
    t.src.family = t.dst.family = 4;
    std::memcpy(t.src.bytes.data(), p + 12, 4);
    std::memcpy(t.dst.bytes.data(), p + 16, 4);
    DecodeTransport(p[9], p + header, n - header, t);
  }

  void DecodeIpv6(const uint8_t* p, size_t n) {
    if (n < 40 || (p[0] >> 4) != 6) return Malformed("IPv6 header cut short or wrong version");
    size_t payload = Be16(p + 4);
    Transport t;
    t.src.family = t.dst.family = 6;
    std::memcpy(t.src.bytes.data(), p + 8, 16);
    std::memcpy(t.dst.bytes.data(), p + 24, 16);
    uint8_t next = p[6];
    p += 40;
    n -= 40;
    if (payload != 0) n = std::min(n, payload);  // 0: a jumbogram, take what was captured
    for (int i = 0; i < kMaxExtensionHeaders; ++i) {
      if (next == 0 || next == 43 || next == 60 || next == 51 || next == 44) {
        if (n < 8) return Malformed("IPv6 extension header cut short");
        size_t length = next == 44   ? 8
                        : next == 51 ? (static_cast<size_t>(p[1]) + 2) * 4
                                     : (static_cast<size_t>(p[1]) + 1) * 8;
        if (length > n) return Malformed("IPv6 extension header cut short");
        if (next == 44) {
          uint16_t offset_flags = Be16(p + 2);
          if ((offset_flags & 0xfff9) != 0) {  // not an atomic fragment
            if ((offset_flags & 0xfff8) == 0) {
              Malformed("IPv6 fragment: not reassembled, content unknown");
            }
            return;
          }
        }
        next = p[0];
        p += length;
        n -= length;
        continue;
      }
      return DecodeTransport(next, p, n, t);
    }
    Malformed("too many IPv6 extension headers");
  }

  void DecodeTransport(uint8_t protocol, const uint8_t* p, size_t n, Transport& t) {
    if (protocol == 17) {
      if (n < 8) return Malformed("UDP header cut short");
      t.src_port = Be16(p);
      t.dst_port = Be16(p + 2);
      size_t length = Be16(p + 4);
      if (length < 8) return Malformed("UDP length under its header");
      t.payload = p + 8;
      t.payload_size = std::min(n, length) - 8;
      if (t.src_port == 53 || t.dst_port == 53) DecodeDns(t);
    } else if (protocol == 6) {
      if (n < 20) return Malformed("TCP header cut short");
      size_t header = static_cast<size_t>(p[12] >> 4) * 4;
      if (header < 20 || header > n) return Malformed("TCP header length invalid");
      t.tcp = true;
      t.src_port = Be16(p);
      t.dst_port = Be16(p + 2);
      t.seq = Be32(p + 4);
      t.tcp_flags = p[13];
      t.payload = p + header;
      t.payload_size = n - header;
      OnTcp(t);
    }
  }

  // ---- DNS ----

  // Reads the name at `offset`; `after` is where the record goes on. Labels are printable ASCII
  // (what resolvers send for host names); anything else is malformed.
  static bool DnsName(const uint8_t* msg, size_t size, size_t offset, std::string* name,
                      size_t* after) {
    name->clear();
    size_t pos = offset;
    bool jumped = false;
    for (int jumps = 0;;) {
      if (pos >= size) return false;
      uint8_t length = msg[pos];
      if ((length & 0xc0) == 0xc0) {
        if (pos + 1 >= size || ++jumps > kMaxDnsJumps) return false;
        size_t target = static_cast<size_t>(length & 0x3f) << 8 | msg[pos + 1];
        if (!jumped) *after = pos + 2;
        jumped = true;
        if (target >= pos) return false;  // only backwards: no loop can form
        pos = target;
        continue;
      }
      if (length & 0xc0) return false;  // extended label types are obsolete
      if (length == 0) {
        if (!jumped) *after = pos + 1;
        return true;
      }
      if (size - pos - 1 < length || name->size() + length + 1 > 255) return false;
      if (!name->empty()) name->push_back('.');
      for (size_t i = 0; i < length; ++i) {
        char c = static_cast<char>(msg[pos + 1 + i]);
        if (c <= ' ' || c > '~' || c == '.') return false;
        name->push_back(AsciiLower(c));
      }
      pos += 1 + length;
    }
  }

  void DecodeDns(const Transport& t) {
    const uint8_t* msg = t.payload;
    size_t size = t.payload_size;
    if (size < 12) return Malformed("DNS header cut short");
    bool response = msg[2] & 0x80;
    uint32_t questions = Be16(msg + 4);
    uint32_t answers = Be16(msg + 6);
    if (questions == 0) return;  // nothing asked: nothing to name
    size_t pos = 12;
    if (!DnsName(msg, size, pos, &dns_name_, &pos) || size - pos < 4) {
      return Malformed("DNS question name invalid or cut short");
    }
    pos += 4;
    std::string asked = dns_name_;
    Event event;
    event.entry = index_;
    event.t_ms = t_ms_;
    event.method = "DNS";
    event.host = asked;
    event.port = 53;
    if (!response) return Emit(event);

    for (uint32_t q = 1; q < std::min(questions, kMaxDnsRecords); ++q) {
      if (!DnsName(msg, size, pos, &dns_name_, &pos) || size - pos < 4) {
        return Malformed("DNS question name invalid or cut short");
      }
      pos += 4;
    }
    bool any = false;
    for (uint32_t a = 0; a < std::min(answers, kMaxDnsRecords); ++a) {
      if (!DnsName(msg, size, pos, &dns_name_, &pos) || size - pos < 10) {
        Malformed("DNS answer cut short");
        break;
      }
      uint16_t type = Be16(msg + pos);
      size_t rdlength = Be16(msg + pos + 8);
      pos += 10;
      if (size - pos < rdlength) {
        Malformed("DNS answer data cut short");
        break;
      }
      Address address;
      if (type == 1 && rdlength == 4) {
        address.family = 4;
        std::memcpy(address.bytes.data(), msg + pos, 4);
      } else if (type == 28 && rdlength == 16) {
        address.family = 6;
        std::memcpy(address.bytes.data(), msg + pos, 16);
      }
      pos += rdlength;
      if (address.family == 0) continue;  // CNAME and the rest: the addresses follow
      ip_ = AddressText(address);
      event.ip = ip_;
      any = true;
      Emit(event);
    }
    if (!any) Emit(event);  // an answer without addresses (NXDOMAIN, CNAME only) still names it
  }

  // ---- TCP ----

  void OnTcp(const Transport& t) {
    StreamKey key{t.src, t.dst, t.src_port, t.dst_port};
    auto it = streams_.find(key);
    if (t.tcp_flags & kSyn) {
      if (it != streams_.end()) {  // the 4-tuple is reused: the old connection is over
        Close(key, it->second);
        streams_.erase(it);
      }
      if (!Admit()) return;
      it = streams_.emplace(key, Stream{}).first;
      it->second.first_packet = index_;
      it->second.isn = t.seq + 1;
      return;
    }
    if (it == streams_.end()) {
      if (t.payload_size == 0) return;
      if (!Admit()) return;
      // The capture began inside this connection: the stream starts with its first data seen.
      it = streams_.emplace(key, Stream{}).first;
      it->second.first_packet = index_;
      it->second.isn = t.seq;
    }
    Stream& s = it->second;
    if (t.payload_size > 0 && s.mode != Stream::Mode::kIgnore) {
      AddSegment(key, s, t.seq, t.payload, t.payload_size);
    }
    if (t.tcp_flags & (kFin | kRst)) {
      Close(key, s);
      streams_.erase(key);
    }
  }

  bool Admit() {
    if (streams_.size() < kMaxStreams) return true;
    if (!streams_full_reported_) {
      Malformed("over 65536 TCP streams open at once: later ones are not read");
      streams_full_reported_ = true;
    }
    return false;
  }

  void AddSegment(const StreamKey& key, Stream& s, uint32_t seq, const uint8_t* data, size_t n) {
    // Sequence numbers wrap at 2^32; the signed distance from the next expected byte does not.
    int64_t offset = static_cast<int64_t>(s.next) +
                     static_cast<int32_t>(seq - (s.isn + static_cast<uint32_t>(s.next)));
    if (offset < static_cast<int64_t>(s.next)) {  // a retransmission, maybe with new bytes
      uint64_t old = s.next - static_cast<uint64_t>(std::max<int64_t>(offset, 0));
      if (offset < 0 || old >= n) return;
      data += old;
      n -= old;
      offset = static_cast<int64_t>(s.next);
    }
    if (static_cast<uint64_t>(offset) == s.next) {
      Append(key, s, data, n, index_, t_ms_);
      Drain(key, s);
      return;
    }
    // Ahead of a gap: held until the gap fills, within bounds.
    uint64_t at = static_cast<uint64_t>(offset);
    if (s.pending.count(at) == 0) {
      s.pending.emplace(
          at, Segment{std::string(reinterpret_cast<const char*>(data), n), index_, t_ms_});
      s.pending_bytes += n;
    }
    uint64_t bound = std::min<uint64_t>(limits_.max_body_bytes, 16u << 20) + kMaxRequestHead;
    while ((s.pending_bytes > bound || s.pending.size() > kMaxPendingSegments) && status_.ok()) {
      SkipGap(key, s);
    }
  }

  void Drain(const StreamKey& key, Stream& s) {
    while (!s.pending.empty() && s.mode != Stream::Mode::kIgnore) {
      auto first = s.pending.begin();
      if (first->first > s.next) return;
      Segment segment = std::move(first->second);
      uint64_t at = first->first;
      s.pending_bytes -= segment.data.size();
      s.pending.erase(first);
      uint64_t old = s.next - at;
      if (old >= segment.data.size()) continue;
      Append(key, s, reinterpret_cast<const uint8_t*>(segment.data.data()) + old,
             segment.data.size() - old, segment.packet, segment.t_ms);
    }
    if (s.mode == Stream::Mode::kIgnore) {
      s.pending.clear();
      s.pending_bytes = 0;
    }
  }

  // The bytes before the first held segment were not captured: parsing starts again after them.
  void SkipGap(const StreamKey& key, Stream& s) {
    auto first = s.pending.begin();
    if (first == s.pending.end()) return;
    if (s.mode != Stream::Mode::kIgnore) {
      MalformedAt(first->second.packet,
                  "TCP: " + std::to_string(first->first - s.next) +
                      " bytes before this segment are missing from the capture");
    }
    if (s.mode == Stream::Mode::kHttp) FlushPartial(key, s);
    s.buf.clear();
    s.consumed = 0;
    s.origins.clear();
    s.skip = 0;
    s.retry_at = 0;
    s.next = first->first;
    s.buf_start = s.next;
    if (s.mode != Stream::Mode::kIgnore) s.mode = Stream::Mode::kResync;
    Drain(key, s);
  }

  void Append(const StreamKey& key, Stream& s, const uint8_t* data, size_t n, uint64_t packet,
              std::optional<int64_t> t_ms) {
    s.next += n;
    if (s.skip > 0) {
      size_t dropped = static_cast<size_t>(std::min<uint64_t>(s.skip, n));
      s.skip -= dropped;
      data += dropped;
      n -= dropped;
      s.buf_start += dropped;
    }
    if (n == 0 || s.mode == Stream::Mode::kIgnore) {
      if (s.mode == Stream::Mode::kIgnore) s.buf_start = s.next;
      return;
    }
    s.origins.push_back({s.buf_start + s.buf.size(), packet, t_ms});
    s.buf.append(reinterpret_cast<const char*>(data), n);
    Parse(key, s);
  }

  std::string_view Unparsed(const Stream& s) const {
    return std::string_view(s.buf).substr(s.consumed);
  }

  void Consume(Stream& s, size_t n) {
    s.retry_at = 0;
    s.consumed += n;
    if (s.consumed == s.buf.size()) {
      s.buf_start += s.buf.size();
      s.buf.clear();
      s.consumed = 0;
    } else if (s.consumed > (64u << 10) && s.consumed * 2 > s.buf.size()) {
      s.buf.erase(0, s.consumed);
      s.buf_start += s.consumed;
      s.consumed = 0;
    }
    uint64_t start = s.buf_start + s.consumed;
    while (s.origins.size() > 1 && s.origins[1].offset <= start) s.origins.pop_front();
  }

  void Ignore(Stream& s) {
    s.mode = Stream::Mode::kIgnore;
    s.buf_start = s.next;
    s.buf.clear();
    s.buf.shrink_to_fit();
    s.consumed = 0;
    s.origins.clear();
  }

  void Parse(const StreamKey& key, Stream& s) {
    while (status_.ok()) {
      std::string_view data = Unparsed(s);
      if (data.empty()) return;
      switch (s.mode) {
        case Stream::Mode::kDetect:
        case Stream::Mode::kResync: {
          if (static_cast<uint8_t>(data[0]) == 0x16) {
            if (data.size() < 6) return;
            if (static_cast<uint8_t>(data[1]) == 3 && data[5] == 1) {
              s.mode = Stream::Mode::kTls;
              continue;
            }
          } else {
            int method = StartsWithMethod(data);
            if (method < 0) return;
            if (method > 0) {
              s.mode = Stream::Mode::kHttp;
              continue;
            }
          }
          // Neither HTTP nor a ClientHello (a server's side, another protocol): after a gap,
          // wait for a segment that starts a request; otherwise the stream is not ours to read.
          if (s.mode == Stream::Mode::kResync) {
            Consume(s, data.size());
            return;
          }
          return Ignore(s);
        }
        case Stream::Mode::kTls:
          return ParseClientHello(key, s);
        case Stream::Mode::kHttp:
          if (data.size() < s.retry_at || !ParseRequest(key, s, /*at_end=*/false)) return;
          continue;
        case Stream::Mode::kIgnore:
          return;
      }
    }
  }

  Origin OriginOf(const Stream& s) const {
    uint64_t start = s.buf_start + s.consumed;
    Origin found = s.origins.empty() ? Origin{start, index_, t_ms_} : s.origins.front();
    for (const Origin& o : s.origins) {
      if (o.offset > start) break;
      found = o;
    }
    return found;
  }

  // ---- TLS ClientHello ----

  void ParseClientHello(const StreamKey& key, Stream& s) {
    std::string_view data = Unparsed(s);
    // The handshake message may span records: gather their fragments first.
    handshake_.clear();
    size_t pos = 0;
    while (true) {
      if (data.size() - pos < 5) break;
      const uint8_t* record = reinterpret_cast<const uint8_t*>(data.data()) + pos;
      if (record[0] != 0x16 || record[1] != 3) {
        Malformed("TLS: a ClientHello record is followed by something else");
        return Ignore(s);
      }
      size_t length = Be16(record + 3);
      if (data.size() - pos - 5 < length) break;
      handshake_.append(data.substr(pos + 5, length));
      pos += 5 + length;
      if (handshake_.size() >= 4) {
        size_t needed = 4 + (static_cast<size_t>(static_cast<uint8_t>(handshake_[1])) << 16 |
                             static_cast<size_t>(static_cast<uint8_t>(handshake_[2])) << 8 |
                             static_cast<uint8_t>(handshake_[3]));
        if (handshake_.size() >= needed) {
          EmitClientHello(key, s, std::string_view(handshake_).substr(0, needed));
          return Ignore(s);  // the rest of the connection is encrypted
        }
      }
    }
    if (data.size() > kMaxClientHello) {
      Malformed("TLS: ClientHello over 64 KiB");
      Ignore(s);
    }
  }

  void EmitClientHello(const StreamKey& key, const Stream& s, std::string_view hello) {
    const auto* p = reinterpret_cast<const uint8_t*>(hello.data());
    size_t n = hello.size();
    std::string_view sni;
    // type(1) length(3) version(2) random(32) session_id(1+) suites(2+) compression(1+) ext(2+)
    size_t pos = 4 + 2 + 32;
    auto skip = [&](size_t length_bytes) {
      if (n < pos + length_bytes) return false;
      size_t length = length_bytes == 1 ? p[pos] : Be16(p + pos);
      if (n - pos - length_bytes < length) return false;
      pos += length_bytes + length;
      return true;
    };
    bool ok = skip(1) && skip(2) && skip(1);
    if (ok && n >= pos + 2) {
      size_t end = std::min(n, pos + 2 + Be16(p + pos));
      pos += 2;
      while (end - pos >= 4) {
        uint16_t type = Be16(p + pos);
        size_t length = Be16(p + pos + 2);
        pos += 4;
        if (end - pos < length) break;
        if (type == 0 && length >= 5) {  // server_name: list length, type 0 host_name, name
          size_t name_length = Be16(p + pos + 3);
          if (p[pos + 2] == 0 && name_length <= length - 5) {
            sni = std::string_view(reinterpret_cast<const char*>(p + pos + 5), name_length);
          }
          break;
        }
        pos += length;
      }
    } else if (!ok) {
      Malformed("TLS: ClientHello cut short");
    }
    host_.assign(sni);
    std::transform(host_.begin(), host_.end(), host_.begin(), AsciiLower);
    ip_ = AddressText(key.dst);
    Origin origin = OriginOf(s);
    Event event;
    event.entry = origin.packet;
    event.t_ms = origin.t_ms;
    event.method = "TLS";
    event.host = host_;
    event.ip = ip_;
    event.port = key.dst_port;
    event.encrypted = true;
    Emit(event);
  }

  // ---- HTTP/1.x requests ----

  struct Head {
    std::string_view method, target;
    size_t size = 0;  // bytes of the request line and headers, blank line included
    std::optional<uint64_t> content_length;
    bool chunked = false;
    std::string_view host;
  };

  // Reads the request line and headers at the start of `data` into headers_; false: not a
  // request (malformed) or, with *incomplete, not all there yet.
  bool ReadHead(std::string_view data, Head& head, bool* incomplete) {
    *incomplete = false;
    size_t end = data.find("\r\n\r\n");
    size_t blank = 4;
    size_t bare = data.find("\n\n");
    if (bare != std::string_view::npos && (end == std::string_view::npos || bare < end)) {
      end = bare;
      blank = 2;
    }
    if (end == std::string_view::npos) {
      *incomplete = data.size() <= kMaxRequestHead;
      return false;
    }
    if (end > kMaxRequestHead) return false;
    head.size = end + blank;
    std::string_view text = data.substr(0, end + 1);
    size_t line_end = text.find('\n');
    std::string_view line = Trim(text.substr(0, line_end));
    size_t sp1 = line.find(' ');
    size_t sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1 || line.substr(sp2 + 1, 7) != "HTTP/1.") {
      return false;
    }
    head.method = line.substr(0, sp1);
    head.target = Trim(line.substr(sp1 + 1, sp2 - sp1 - 1));
    headers_.clear();
    size_t pos = line_end == std::string_view::npos ? text.size() : line_end + 1;
    while (pos < text.size()) {
      size_t next = text.find('\n', pos);
      if (next == std::string_view::npos) next = text.size();
      std::string_view header = Trim(text.substr(pos, next - pos));
      pos = next + 1;
      size_t colon = header.find(':');
      if (colon == std::string_view::npos || colon == 0) continue;
      Header h{Trim(header.substr(0, colon)), Trim(header.substr(colon + 1))};
      if (EqualsIgnoreCase(h.name, "content-length")) {
        uint64_t length = 0;
        bool digits = !h.value.empty();
        for (char c : h.value) {
          if (c < '0' || c > '9' || length > (1ull << 50))
            digits = false;
          else
            length = length * 10 + static_cast<uint64_t>(c - '0');
        }
        if (digits && !head.content_length) head.content_length = length;
      } else if (EqualsIgnoreCase(h.name, "transfer-encoding")) {
        head.chunked =
            h.value.size() >= 7 && EqualsIgnoreCase(h.value.substr(h.value.size() - 7), "chunked");
      } else if (EqualsIgnoreCase(h.name, "host") && head.host.empty()) {
        head.host = h.value;
      }
      if (headers_.size() < limits_.max_headers) headers_.push_back(h);
    }
    return true;
  }

  // Decodes a chunked body from `data`; returns the bytes it spans, 0 when not complete yet.
  size_t DecodeChunked(std::string_view data, bool* bad) {
    body_.clear();
    *bad = false;
    size_t pos = 0;
    while (true) {
      size_t line_end = data.find('\n', pos);
      if (line_end == std::string_view::npos) return 0;
      std::string_view line = Trim(data.substr(pos, line_end - pos));
      line = line.substr(0, line.find(';'));
      uint64_t size = 0;
      if (line.empty()) return *bad = true, 0;
      for (char c : line) {
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (v < 0 || size > (1ull << 40)) return *bad = true, 0;
        size = size * 16 + static_cast<uint64_t>(v);
      }
      pos = line_end + 1;
      if (size == 0) {  // trailers up to a blank line
        while (true) {
          size_t trailer_end = data.find('\n', pos);
          if (trailer_end == std::string_view::npos) return 0;
          bool blank_line = Trim(data.substr(pos, trailer_end - pos)).empty();
          pos = trailer_end + 1;
          if (blank_line) return pos;
        }
      }
      if (data.size() - pos < size) return 0;
      size_t keep = static_cast<size_t>(std::min<uint64_t>(
          size, limits_.max_body_bytes - std::min<uint64_t>(body_.size(), limits_.max_body_bytes)));
      body_.append(data.substr(pos, keep));
      pos += static_cast<size_t>(size);
      size_t crlf = data.find('\n', pos);
      if (crlf == std::string_view::npos) return 0;
      if (!Trim(data.substr(pos, crlf - pos)).empty()) return *bad = true, 0;
      pos = crlf + 1;
    }
  }

  // One request from the start of the unparsed bytes; false when it must wait for more.
  bool ParseRequest(const StreamKey& key, Stream& s, bool at_end) {
    std::string_view data = Unparsed(s);
    Head head;
    bool incomplete = false;
    if (!ReadHead(data, head, &incomplete)) {
      if (incomplete && !at_end) return false;
      MalformedAt(OriginOf(s).packet, incomplete ? "HTTP request head cut short"
                                                 : "HTTP: not an HTTP/1.x request head");
      s.mode = Stream::Mode::kResync;
      Consume(s, data.size());
      return false;
    }
    std::string_view after = data.substr(head.size);
    std::string_view body;
    size_t used = head.size;
    uint64_t skip = 0;
    if (head.chunked) {
      bool bad = false;
      size_t spanned = DecodeChunked(after, &bad);
      if (spanned == 0 && !bad && !at_end &&
          after.size() <= limits_.max_body_bytes + kMaxRequestHead) {
        // Decoded again from the start only once it doubled, or passed the bound.
        s.retry_at =
            std::min<size_t>(data.size() * 2, head.size + kMaxRequestHead + 1 +
                                                  static_cast<size_t>(limits_.max_body_bytes));
        return false;
      }
      if (spanned == 0) {
        MalformedAt(OriginOf(s).packet, bad ? "HTTP: chunked body invalid, kept as sent"
                                            : "HTTP: chunked body cut short");
        body_.assign(after.substr(0, std::min<size_t>(after.size(), limits_.max_body_bytes)));
        used = data.size();
        s.mode = Stream::Mode::kResync;
      } else {
        used += spanned;
      }
      body = body_;
    } else if (head.content_length && *head.content_length > 0) {
      uint64_t length = *head.content_length;
      uint64_t kept = std::min<uint64_t>(length, limits_.max_body_bytes);
      if (after.size() < kept && !at_end) {
        s.retry_at = head.size + static_cast<size_t>(kept);
        return false;
      }
      body = after.substr(0, static_cast<size_t>(std::min<uint64_t>(kept, after.size())));
      uint64_t present = std::min<uint64_t>(length, after.size());
      used += static_cast<size_t>(present);
      skip = length - present;
      if (at_end && skip > 0) skip = 0;
    }
    EmitRequest(key, s, head, body);
    Consume(s, used);
    s.skip = skip;
    if (skip > 0) {
      // Whatever is buffered belongs to the body being dropped.
      Consume(s, Unparsed(s).size());
    }
    return true;
  }

  void EmitRequest(const StreamKey& key, const Stream& s, const Head& head, std::string_view body) {
    ip_ = AddressText(key.dst);
    std::string_view host = head.host;
    // "Host: name:port" and "[v6]:port": the name alone.
    if (!host.empty() && host.front() == '[') {
      host = host.substr(1, host.find(']') - 1);
    } else if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
      host = host.substr(0, colon);
    }
    host_.assign(host.empty() ? std::string_view(ip_) : host);
    std::transform(host_.begin(), host_.end(), host_.begin(), AsciiLower);
    if (head.target.starts_with("http://") || head.target.starts_with("https://")) {
      url_.assign(head.target);  // the absolute form a proxy receives
    } else {
      url_ = "http://";
      url_.append(head.host.empty() ? std::string_view(ip_) : head.host);
      if (!head.target.starts_with("/")) url_.push_back('/');
      url_.append(head.target);
    }
    Origin origin = OriginOf(s);
    Event event;
    event.entry = origin.packet;
    event.t_ms = origin.t_ms;
    event.method = head.method;
    event.url = url_;
    event.host = host_;
    event.ip = ip_;
    event.port = key.dst_port;
    event.headers = headers_;
    event.body = body;
    Emit(event);
  }

  // The connection ends: a request still waiting for its body is reported with what came.
  void FlushPartial(const StreamKey& key, Stream& s) {
    while (s.mode == Stream::Mode::kHttp && !Unparsed(s).empty() && status_.ok()) {
      if (!ParseRequest(key, s, /*at_end=*/true)) break;
    }
  }

  void Close(const StreamKey& key, Stream& s) {
    if (s.mode == Stream::Mode::kHttp) FlushPartial(key, s);
  }

  const TraceLimits& limits_;
  EventSink& sink_;
  ReadStats& stats_;
  Status status_;
  uint64_t index_ = 0;
  std::optional<int64_t> t_ms_;
  std::unordered_map<StreamKey, Stream, StreamKeyHash> streams_;
  bool streams_full_reported_ = false;
  // Storage the current event points into.
  std::string dns_name_, host_, ip_, url_, body_, handshake_;
  std::vector<Header> headers_;
};

bool SupportedLinkType(int link_type) {
  switch (link_type) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
    case DLT_NULL:
    case DLT_LOOP:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool LooksLikePcap(std::string_view head) {
  if (head.size() < 4) return false;
  uint32_t magic = Be32(reinterpret_cast<const uint8_t*>(head.data()));
  switch (magic) {
    case 0xa1b2c3d4:  // microseconds, big- and little-endian
    case 0xd4c3b2a1:
    case 0xa1b23c4d:  // nanoseconds
    case 0x4d3cb2a1:
      return true;
    case 0x0a0d0d0a:  // pcapng section header block; its byte-order magic follows the length
      if (head.size() < 12) return true;
      magic = Be32(reinterpret_cast<const uint8_t*>(head.data()) + 8);
      return magic == 0x1a2b3c4d || magic == 0x4d3c2b1a;
    default:
      return false;
  }
}

Status ReadPcap(std::string_view file, ByteSpan data, const ReadOptions& options, EventSink& sink,
                ReadStats& stats) {
  if (data.size() < 4)
    return Truncated("capture shorter than its magic number").At(file, "header", 0);
  // libpcap reads from a FILE*; fmemopen gives it the mapped bytes without a copy (mode "r" never
  // writes through the pointer).
  FILE* stream = fmemopen(const_cast<uint8_t*>(data.data()), data.size(), "r");
  if (stream == nullptr) return IoError("fmemopen failed").InFile(file);
  char error[PCAP_ERRBUF_SIZE] = {};
  pcap_t* opened =
      pcap_fopen_offline_with_tstamp_precision(stream, PCAP_TSTAMP_PRECISION_MICRO, error);
  if (opened == nullptr) {
    fclose(stream);
    return InvalidInput(std::string("not a pcap/pcapng capture: ") + error).At(file, "header", 0);
  }
  std::unique_ptr<pcap_t, void (*)(pcap_t*)> pcap(opened, pcap_close);  // closes the FILE too
  int link_type = pcap_datalink(pcap.get());
  if (!SupportedLinkType(link_type)) {
    const char* name = pcap_datalink_val_to_name(link_type);
    return Unsupported("link-layer type " + std::to_string(link_type) + " (" +
                       (name ? name : "unknown") +
                       ") not read: capture on Ethernet, Linux cooked, raw IP or loopback")
        .At(file, "header", 0);
  }

  Decoder decoder(options, sink, stats);
  for (uint64_t index = 0;; ++index) {
    pcap_pkthdr* header = nullptr;
    const u_char* bytes = nullptr;
    int rc = pcap_next_ex(pcap.get(), &header, &bytes);
    if (rc == PCAP_ERROR_BREAK) break;  // end of the capture
    if (rc != 1) {
      // A capture stopped mid-write (tcpdump killed) ends inside its last packet.
      sink.OnMalformed(index,
                       std::string("capture ends inside a packet: ") + pcap_geterr(pcap.get()));
      ++stats.malformed;
      break;
    }
    std::optional<int64_t> t_ms;
    int64_t ms = 0;
    if (!__builtin_mul_overflow(static_cast<int64_t>(header->ts.tv_sec), 1000, &ms) &&
        !__builtin_add_overflow(ms, static_cast<int64_t>(header->ts.tv_usec) / 1000, &ms) &&
        !__builtin_add_overflow(ms, options.clock_offset_ms, &ms)) {
      t_ms = ms;
    }
    Status status = decoder.Packet(index, t_ms, link_type, bytes, header->caplen);
    if (!status.ok()) return std::move(status).InFile(file);
  }
  Status status = decoder.Finish();
  if (!status.ok()) return std::move(status).InFile(file);
  return Status::Ok();
}

}  // namespace piaudit::trace::internal
