// HAR 1.2 (mitmproxy's har_dump/savehar, Charles, browsers): one network event per entry, from
// the request side only, because identifiers leave the phone in requests. The document is parsed
// whole with simdjson's DOM: a HAR is one JSON value, and the DOM's strings live in the parser,
// so events point into it without a copy.
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "trace/internal/readers.h"
#include "trace/time.h"

namespace piaudit::trace::internal {
namespace {

std::string_view SkipSpace(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  return s.substr(i);
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// Standard or URL-safe alphabet, padding optional, whitespace ignored (tools wrap long lines).
bool DecodeBase64(std::string_view in, std::string* out) {
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  bool padding = false;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=') {
      padding = true;
      continue;
    } else if (c == ' ' || c == '\r' || c == '\n' || c == '\t')
      continue;
    else
      return false;
    if (padding) return false;  // data after '='
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return bits < 6;  // one leftover sextet cannot end a valid encoding
}

std::string_view StringField(simdjson::dom::object o, std::string_view key) {
  std::string_view s;
  if (o[key].get_string().get(s) != simdjson::SUCCESS) return {};
  return s;
}

struct UrlParts {
  std::string_view host;  // as written, without brackets or port
  std::optional<uint16_t> port;
  bool ok = false;
};

// "scheme://user@host:port/path?q" and the authority form "host:port" of CONNECT.
UrlParts SplitUrl(std::string_view url) {
  UrlParts parts;
  std::string_view scheme;
  std::string_view rest = url;
  if (size_t p = url.find("://"); p != std::string_view::npos) {
    scheme = url.substr(0, p);
    rest = url.substr(p + 3);
  } else if (!url.empty() && url[0] == '/') {
    return parts;  // origin form: no host in the URL
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return parts;
    parts.host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after[0] == ':') port_text = after.substr(1);
  } else {
    size_t colon = authority.rfind(':');
    parts.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (!port_text.empty()) {
    uint32_t port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) return parts;
      port = port * 10 + static_cast<uint32_t>(c - '0');
    }
    if (port > 65535) return parts;
    parts.port = static_cast<uint16_t>(port);
  } else if (EqualsIgnoreCase(scheme, "https") || EqualsIgnoreCase(scheme, "wss")) {
    parts.port = 443;
  } else if (EqualsIgnoreCase(scheme, "http") || EqualsIgnoreCase(scheme, "ws")) {
    parts.port = 80;
  }
  parts.ok = !parts.host.empty();
  return parts;
}

Status JsonFailure(simdjson::error_code error, std::string_view file, const TraceLimits& limits) {
  std::string why = simdjson::error_message(error);
  switch (error) {
    case simdjson::DEPTH_ERROR:
      return LimitExceeded("HAR document nested deeper than " +
                           std::to_string(std::max<uint32_t>(limits.max_nesting_depth, 16)) +
                           " (max_nesting_depth): " + why)
          .InFile(file);
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC:
      return LimitExceeded("HAR document too large for the JSON parser: " + why).InFile(file);
    case simdjson::UNCLOSED_STRING:
    case simdjson::EMPTY:
      return Truncated("not a whole HAR document: " + why).InFile(file);
    default:
      return InvalidInput("not a HAR document: " + why).InFile(file);
  }
}

// The storage one event points into, reused from entry to entry.
struct EntryScratch {
  std::vector<Header> headers;
  std::string host;
  std::string body;
  std::string ip;
};

// Fills `event` from one entry; returns why it cannot be read, or empty when it can.
std::string_view ReadEntry(simdjson::dom::element entry_value, const ReadOptions& options,
                           EntryScratch& scratch, Event& event) {
  simdjson::dom::object entry;
  if (entry_value.get_object().get(entry) != simdjson::SUCCESS) return "entry is not an object";
  simdjson::dom::object request;
  if (entry["request"].get_object().get(request) != simdjson::SUCCESS) {
    return "entry has no request object";
  }
  if (request["method"].get_string().get(event.method) != simdjson::SUCCESS ||
      event.method.empty()) {
    return "request.method is missing or not a string";
  }
  if (request["url"].get_string().get(event.url) != simdjson::SUCCESS || event.url.empty()) {
    return "request.url is missing or not a string";
  }

  // A HAR without a parseable time still shows what left the phone; the event just has no time.
  std::string_view started = StringField(entry, "startedDateTime");
  if (std::optional<int64_t> t = ParseRfc3339Ms(started)) event.t_ms = *t + options.clock_offset_ms;

  scratch.headers.clear();
  std::string_view host_header;
  simdjson::dom::array headers;
  if (request["headers"].get_array().get(headers) == simdjson::SUCCESS) {
    for (simdjson::dom::element h : headers) {
      if (scratch.headers.size() >= options.limits.max_headers) break;
      simdjson::dom::object header;
      if (h.get_object().get(header) != simdjson::SUCCESS) continue;
      Header out;
      if (header["name"].get_string().get(out.name) != simdjson::SUCCESS) continue;
      if (header["value"].get_string().get(out.value) != simdjson::SUCCESS) continue;
      // HTTP/2 entries of browsers carry ":authority" instead of Host.
      if (host_header.empty() && (EqualsIgnoreCase(out.name, "host") || out.name == ":authority")) {
        host_header = out.value;
      }
      scratch.headers.push_back(out);
    }
  }
  event.headers = scratch.headers;

  UrlParts parts = SplitUrl(event.url);
  std::string_view host = parts.host;
  if (!parts.ok && !host_header.empty()) {
    UrlParts from_header = SplitUrl(host_header);
    host = from_header.host;
    if (from_header.port && host_header.find(':') != std::string_view::npos) {
      parts.port = from_header.port;
    }
  }
  scratch.host.assign(host);
  std::transform(scratch.host.begin(), scratch.host.end(), scratch.host.begin(), AsciiLower);
  event.host = scratch.host;
  event.port = parts.port;

  std::string_view ip = StringField(entry, "serverIPAddress");
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  scratch.ip.assign(ip);
  event.ip = scratch.ip;

  simdjson::dom::object post;
  if (request["postData"].get_object().get(post) == simdjson::SUCCESS) {
    std::string_view text = StringField(post, "text");
    // Not in HAR 1.2 for requests, but some exporters mark binary bodies as the response side does.
    if (StringField(post, "encoding") == "base64" && DecodeBase64(text, &scratch.body)) {
      text = scratch.body;
    }
    if (text.size() > options.limits.max_body_bytes)
      text = text.substr(0, options.limits.max_body_bytes);
    event.body = text;
  }
  return {};
}

}  // namespace

bool LooksLikeHar(std::string_view head) {
  if (head.size() >= 3 && head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  head = SkipSpace(head);
  if (head.empty() || head[0] != '{') return false;
  // A "log" member holding an object (exporters write it first; a leading "comment" is allowed),
  // and, even in a head cut short, one of the members every HAR log starts with.
  for (size_t at = head.find("\"log\""); at != std::string_view::npos;
       at = head.find("\"log\"", at + 1)) {
    std::string_view after = SkipSpace(head.substr(at + 5));
    if (after.empty() || after[0] != ':') continue;
    after = SkipSpace(after.substr(1));
    if (after.empty() || after[0] != '{') continue;
    return after.find("\"entries\"") != std::string_view::npos ||
           after.find("\"creator\"") != std::string_view::npos ||
           after.find("\"version\"") != std::string_view::npos ||
           after.find("\"pages\"") != std::string_view::npos;
  }
  return false;
}

Status ReadHar(std::string_view file, ByteSpan data, const ReadOptions& options, EventSink& sink,
               ReadStats& stats) {
  simdjson::dom::parser parser;
  // HAR's own structure is 8 deep; the limit leaves room for exporters' custom "_" members.
  if (auto error = parser.allocate(std::max<size_t>(data.size(), 64),
                                   std::max<uint32_t>(options.limits.max_nesting_depth, 16));
      error != simdjson::SUCCESS) {
    return JsonFailure(error, file, options.limits);
  }
  simdjson::dom::element root;
  if (auto error = parser.parse(reinterpret_cast<const char*>(data.data()), data.size()).get(root);
      error != simdjson::SUCCESS) {
    return JsonFailure(error, file, options.limits);
  }
  simdjson::dom::object log;
  if (root["log"].get_object().get(log) != simdjson::SUCCESS) {
    return InvalidInput("not a HAR document: no \"log\" object").InFile(file);
  }
  simdjson::dom::array entries;
  if (log["entries"].get_array().get(entries) != simdjson::SUCCESS) {
    return InvalidInput("not a HAR document: no \"log.entries\" array").InFile(file);
  }

  simdjson::dom::object creator;
  if (log["creator"].get_object().get(creator) == simdjson::SUCCESS) {
    Session session;
    session.recorder_tool = std::string(StringField(creator, "name"));
    session.recorder_version = std::string(StringField(creator, "version"));
    session.line = 0;
    sink.OnSession(session);
  }

  EntryScratch scratch;
  uint64_t index = 0;
  for (simdjson::dom::element entry : entries) {
    Event event;
    event.type = EventType::kNetwork;
    event.type_name = EventTypeName(EventType::kNetwork);
    event.entry = index;
    std::string_view why = ReadEntry(entry, options, scratch, event);
    if (!why.empty()) {
      sink.OnMalformed(index, why);
      if (++stats.malformed > options.limits.max_malformed) {
        return InvalidInput("more than " + std::to_string(options.limits.max_malformed) +
                            " malformed entries in log.entries")
            .InFile(file);
      }
    } else {
      if (stats.events >= options.limits.max_events) {
        return LimitExceeded("more than " + std::to_string(options.limits.max_events) +
                             " events (max_events)")
            .InFile(file);
      }
      ++stats.events;
      sink.OnEvent(event);
    }
    ++index;
  }
  return Status::Ok();
}

}  // namespace piaudit::trace::internal
