// piaudit.trace/1: JSON Lines, one object per line (docs/schemas/trace.md).
//
// simdjson's on-demand parser reads each line in place: the file is mapped, every line but the
// last has the rest of the file after it as the padding simdjson may read past its end, and only
// the fields piaudit knows are looked at (their strings unescaped into the parser's buffer, which
// the Event's views point into until the next line). One pass over the fields, whatever their
// order: the names of the fields of different event types do not clash, so a line is read before
// its type is known. A repeated field: the last one wins, as in JSON.parse.
#include <simdjson.h>

#include <cstring>
#include <string>
#include <vector>

#include "trace/base64.h"
#include "trace/internal/readers.h"
#include "trace/time.h"

namespace piaudit::trace::internal {
namespace {

namespace od = simdjson::ondemand;

std::string_view StripBom(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

std::string_view FirstLine(std::string_view head) {
  head = StripBom(head);
  size_t start = head.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  head.remove_prefix(start);
  return head.substr(0, head.find('\n'));
}

// Why a line was not read, for OnMalformed.
std::string Why(std::string_view field, simdjson::error_code error) {
  std::string why(field);
  why += ": ";
  why += simdjson::error_message(error);
  return why;
}

class LineReader {
 public:
  LineReader(std::string_view file, const ReadOptions& options, EventSink& sink, ReadStats& stats)
      : file_(file), options_(options), sink_(sink), stats_(stats) {
    stack_.reserve(64);
    permissions_.reserve(16);
    headers_.reserve(32);
  }

  // One line (without its newline); `readable` bytes from line.data() may be read.
  void Read(uint64_t line_no, std::string_view line, size_t readable) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) return;  // blank line
    if (line.size() > options_.limits.max_line_bytes) {
      Malformed(line_no,
                "line of " + std::to_string(line.size()) + " bytes is over max_line_bytes");
      return;
    }
    simdjson::padded_string_view view;
    if (readable >= line.size() + simdjson::SIMDJSON_PADDING) {
      view = simdjson::padded_string_view(line.data(), line.size(), readable);
    } else {  // the last line: copy it where the padding is ours
      padded_.assign(line.data(), line.size());
      padded_.resize(line.size() + simdjson::SIMDJSON_PADDING, ' ');
      view = simdjson::padded_string_view(padded_.data(), line.size(), padded_.size());
    }
    Clear();
    event_.line = line_no;
    od::document doc;
    if (auto error = parser_.iterate(view).get(doc)) {
      Malformed(line_no, Why("line", error));
      return;
    }
    od::object object;
    if (auto error = doc.get_object().get(object)) {
      Malformed(line_no, Why("line (not a JSON object)", error));
      return;
    }
    std::string error_field;
    simdjson::error_code error = ReadFields(object, &error_field);
    if (!error && !doc.current_location().error()) {  // something after the object
      error = simdjson::TRAILING_CONTENT;
      error_field = "line";
    }
    if (error) {
      Malformed(line_no, Why(error_field, error));
      return;
    }
    if (is_session_) {
      session_.line = line_no;
      session_offset_ms_ = session_.clock_offset_ms;
      sink_.OnSession(session_);
      return;
    }
    if (!type_seen_) {
      Malformed(line_no, "no \"type\"");
      return;
    }
    if (!time_text_.empty() || time_seen_) {
      auto t = ParseRfc3339Ms(time_text_);
      if (!t) {
        Malformed(line_no,
                  "t: not an RFC 3339 time: \"" + std::string(time_text_.substr(0, 40)) + "\"");
        return;
      }
      event_.t_ms = *t + options_.clock_offset_ms + session_offset_ms_;
    }
    if (++stats_.events > options_.limits.max_events) {
      over_limit_ = true;
      return;
    }
    if (event_.type == EventType::kOther) ++stats_.other_types;
    event_.stack = stack_;
    event_.permissions = permissions_;
    event_.headers = headers_;
    sink_.OnEvent(event_);
  }

  bool over_limit() const { return over_limit_; }

 private:
  void Clear() {
    event_ = Event{};
    stack_.clear();
    permissions_.clear();
    headers_.clear();
    body_.clear();
    time_text_ = {};
    time_seen_ = false;
    type_seen_ = false;
    is_session_ = false;
  }

  void Malformed(uint64_t line_no, std::string why) {
    ++stats_.malformed;
    sink_.OnMalformed(line_no, why);
  }

  static simdjson::error_code String(od::value value, std::string_view* out) {
    return value.get_string().get(*out);
  }

  // A JSON string unquoted, any other value as its raw JSON text.
  static simdjson::error_code Text(od::value value, std::string_view* out) {
    od::json_type type;
    if (auto error = value.type().get(type)) return error;
    switch (type) {
      case od::json_type::string:
        return value.get_string().get(*out);
      case od::json_type::object: {
        od::object o;
        if (auto error = value.get_object().get(o)) return error;
        return o.raw_json().get(*out);
      }
      case od::json_type::array: {
        od::array a;
        if (auto error = value.get_array().get(a)) return error;
        return a.raw_json().get(*out);
      }
      default: {
        *out = value.raw_json_token();
        while (!out->empty() && (out->back() == ' ' || out->back() == '\t')) out->remove_suffix(1);
        // A number is checked, so NaN, 1e999 and other non-JSON tokens are refused.
        if (type == od::json_type::number) {
          double d;
          return value.get_double().get(d);
        }
        if (type == od::json_type::boolean) {
          bool b;
          return value.get_bool().get(b);
        }
        // is_null() is a result: read as a bool it would throw on a token that is no JSON at all.
        bool null = false;
        if (auto error = value.is_null().get(null)) return error;
        return null ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
      }
    }
  }

  simdjson::error_code Strings(od::value value, std::vector<std::string_view>* out, uint32_t cap) {
    od::array array;
    if (auto error = value.get_array().get(array)) return error;
    for (auto element : array) {
      std::string_view s;
      if (auto error = element.get_string().get(s)) return error;
      if (out->size() < cap) out->push_back(s);
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code Headers(od::value value) {
    od::object object;
    if (auto error = value.get_object().get(object)) return error;
    for (auto field : object) {
      std::string_view name, text;
      if (auto error = field.unescaped_key().get(name)) return error;
      if (auto error = Text(field.value(), &text)) return error;
      if (headers_.size() < options_.limits.max_headers) headers_.push_back({name, text});
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code Number(od::value value, double* out) { return value.get_double().get(*out); }

  simdjson::error_code ReadFields(od::object object, std::string* error_field) {
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) {
        *error_field = "key";
        return error;
      }
      simdjson::error_code error = ReadField(key, field.value());
      if (error) {
        *error_field = key;
        return error;
      }
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code ReadField(std::string_view key, od::value value) {
    Event& e = event_;
    const TraceLimits& limits = options_.limits;
    switch (key.empty() ? '\0' : key[0]) {
      case 'a':
        if (key == "api") return String(value, &e.api);
        if (key == "args") return Text(value, &e.args);
        if (key == "app_state") {
          std::string_view s;
          if (auto error = String(value, &s)) return error;
          e.app_state = ParseAppState(s);
          return simdjson::SUCCESS;
        }
        if (key == "action") return String(value, &e.action);
        if (key == "activity") return String(value, &e.activity);
        if (key == "apk_sha256") return SessionString(value, &session_.apk_sha256);
        break;
      case 'b':
        if (key == "body_b64") {
          std::string_view text;
          if (auto error = String(value, &text)) return error;
          if (!DecodeBase64(text, &body_)) return simdjson::INCORRECT_TYPE;
          if (body_.size() > limits.max_body_bytes) body_.resize(limits.max_body_bytes);
          e.body = body_;
          return simdjson::SUCCESS;
        }
        break;
      case 'c':
        if (key == "clock_offset_ms") {
          int64_t offset;
          if (auto error = value.get_int64().get(offset)) return error;
          // A day either way is far beyond any clock error; more is a corrupt header.
          if (offset < -86'400'000 || offset > 86'400'000) return simdjson::NUMBER_OUT_OF_RANGE;
          session_.clock_offset_ms = offset;
          return simdjson::SUCCESS;
        }
        break;
      case 'd':
        if (key == "dump") return String(value, &e.dump);
        if (key == "device") return Device(value);
        break;
      case 'e':
        if (key == "event") return String(value, &e.name);
        break;
      case 'g':
        if (key == "granted") {
          bool granted;
          if (auto error = value.get_bool().get(granted)) return error;
          e.granted = granted;
          return simdjson::SUCCESS;
        }
        break;
      case 'h':
        if (key == "host") return String(value, &e.host);
        if (key == "headers") return Headers(value);
        if (key == "hierarchy") return String(value, &e.hierarchy);
        if (key == "hooks") return Hooks(value);
        break;
      case 'i':
        if (key == "ip") return String(value, &e.ip);
        if (key == "identifiers") return IdentifiersField(value);
        break;
      case 'l':
        if (key == "line") return String(value, &e.log_line);
        break;
      case 'm':
        if (key == "method") return String(value, &e.method);
        break;
      case 'n':
        if (key == "name") return String(value, &e.name);
        break;
      case 'p':
        if (key == "permissions") return Strings(value, &permissions_, limits.max_permissions);
        if (key == "permission") return String(value, &e.permission);
        if (key == "port") {
          uint64_t port;
          if (auto error = value.get_uint64().get(port)) return error;
          if (port > 65535) return simdjson::NUMBER_OUT_OF_RANGE;
          e.port = static_cast<uint16_t>(port);
          return simdjson::SUCCESS;
        }
        if (key == "package") return SessionString(value, &session_.package);
        break;
      case 'r':
        if (key == "result") return Text(value, &e.result);
        if (key == "resource_id") return String(value, &e.resource_id);
        if (key == "recorder") return Recorder(value);
        break;
      case 's':
        if (key == "stack") return Strings(value, &stack_, limits.max_stack_frames);
        if (key == "screenshot") return String(value, &e.screenshot);
        if (key == "schema") return SessionString(value, &session_.schema);
        if (key == "started_at") {
          std::string_view s;
          if (auto error = String(value, &s)) return error;
          auto t = ParseRfc3339Ms(s);
          if (!t) return simdjson::INCORRECT_TYPE;
          session_.started_at_ms = *t + options_.clock_offset_ms;
          return simdjson::SUCCESS;
        }
        break;
      case 't':
        if (key == "t") {
          time_seen_ = true;
          return String(value, &time_text_);
        }
        if (key == "type") {
          std::string_view type;
          if (auto error = String(value, &type)) return error;
          type_seen_ = true;
          e.type_name = type;
          is_session_ = type == "session";
          e.type = ParseEventType(type).value_or(EventType::kOther);
          return simdjson::SUCCESS;
        }
        if (key == "thread") return Text(value, &e.thread);
        if (key == "text") return String(value, &e.text);
        break;
      case 'u':
        if (key == "url") return String(value, &e.url);
        break;
      case 'v':
        if (key == "via") return String(value, &e.via);
        if (key == "version_code") return value.get_int64().get(session_.version_code);
        break;
      case 'x':
        if (key == "x") return Coordinate(value, &e.x);
        break;
      case 'y':
        if (key == "y") return Coordinate(value, &e.y);
        break;
      default:
        break;
    }
    return simdjson::SUCCESS;  // unknown fields are kept out, never an error
  }

  simdjson::error_code Coordinate(od::value value, std::optional<double>* out) {
    double d;
    if (auto error = Number(value, &d)) return error;
    *out = d;
    return simdjson::SUCCESS;
  }

  // Session fields are copied (the session outlives the line).
  static simdjson::error_code SessionString(od::value value, std::string* out) {
    std::string_view s;
    if (auto error = value.get_string().get(s)) return error;
    out->assign(s.substr(0, 4096));
    return simdjson::SUCCESS;
  }

  simdjson::error_code Device(od::value value) {
    od::object object;
    if (auto error = value.get_object().get(object)) return error;
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return error;
      if (key == "model") {
        if (auto error = SessionString(field.value(), &session_.device_model)) return error;
      } else if (key == "android_api") {
        int64_t api;
        if (auto error = field.value().get_int64().get(api)) return error;
        if (api < 0 || api > 1000) return simdjson::NUMBER_OUT_OF_RANGE;
        session_.android_api = static_cast<int32_t>(api);
      }
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code Recorder(od::value value) {
    od::object object;
    if (auto error = value.get_object().get(object)) return error;
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return error;
      if (key == "tool") {
        if (auto error = SessionString(field.value(), &session_.recorder_tool)) return error;
      } else if (key == "version") {
        if (auto error = SessionString(field.value(), &session_.recorder_version)) return error;
      }
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code CopyStrings(od::value value, std::vector<std::string>* out) {
    std::vector<std::string_view> views;
    if (auto error = Strings(value, &views, 100'000)) return error;
    for (std::string_view v : views) out->emplace_back(v.substr(0, 1024));
    return simdjson::SUCCESS;
  }

  simdjson::error_code Hooks(od::value value) {
    od::object object;
    if (auto error = value.get_object().get(object)) return error;
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return error;
      if (key == "installed") {
        if (auto error = CopyStrings(field.value(), &session_.hooks_installed)) return error;
      } else if (key == "failed") {
        if (auto error = CopyStrings(field.value(), &session_.hooks_failed)) return error;
      }
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code IdentifiersField(od::value value) {
    od::object object;
    if (auto error = value.get_object().get(object)) return error;
    Identifiers& ids = session_.identifiers;
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return error;
      od::value v = field.value();
      simdjson::error_code error = simdjson::SUCCESS;
      if (key == "imei") {
        od::json_type type;
        if (auto e = v.type().get(type)) return e;
        if (type == od::json_type::array) {
          error = CopyStrings(v, &ids.imei);
        } else {
          ids.imei.emplace_back();
          error = SessionString(v, &ids.imei.back());
        }
      } else if (key == "android_id") {
        error = SessionString(v, &ids.android_id);
      } else if (key == "mac") {
        error = SessionString(v, &ids.mac);
      } else if (key == "oaid") {
        error = SessionString(v, &ids.oaid);
      } else if (key == "imsi") {
        error = SessionString(v, &ids.imsi);
      } else if (key == "iccid") {
        error = SessionString(v, &ids.iccid);
      } else if (key == "serial") {
        error = SessionString(v, &ids.serial);
      } else if (key == "phone_number") {
        error = SessionString(v, &ids.phone_number);
      } else if (key == "location") {
        od::object location;
        if (auto e = v.get_object().get(location)) return e;
        for (auto coordinate : location) {
          std::string_view name;
          if (auto e = coordinate.unescaped_key().get(name)) return e;
          double d;
          if (name == "lat" || name == "lon") {
            if (auto e = coordinate.value().get_double().get(d)) return e;
            (name == "lat" ? ids.lat : ids.lon) = d;
          }
        }
      }
      if (error) return error;
    }
    return simdjson::SUCCESS;
  }

  std::string_view file_;
  const ReadOptions& options_;
  EventSink& sink_;
  ReadStats& stats_;
  od::parser parser_;
  std::string padded_;
  Event event_;
  Session session_;
  std::vector<std::string_view> stack_;
  std::vector<std::string_view> permissions_;
  std::vector<Header> headers_;
  std::string body_;
  std::string_view time_text_;
  bool time_seen_ = false;
  bool type_seen_ = false;
  bool is_session_ = false;
  bool over_limit_ = false;
  int64_t session_offset_ms_ = 0;  // the session line's clock_offset_ms
};

}  // namespace

bool LooksLikePiauditJsonl(std::string_view head) {
  std::string_view first = FirstLine(head);
  if (first.empty() || first[0] != '{') return false;
  if (first.find("piaudit.trace/") != std::string_view::npos) return true;
  // A trace without its session line: one-line objects with a type and a time.
  return first.find("\"type\"") != std::string_view::npos &&
         first.find("\"t\"") != std::string_view::npos;
}

Status ReadPiauditJsonl(std::string_view file, ByteSpan data, const ReadOptions& options,
                        EventSink& sink, ReadStats& stats) {
  std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  LineReader reader(file, options, sink, stats);
  uint64_t line_no = 0;
  size_t pos = bom;
  // Stretches handed back to options.release: big enough that the madvise calls cost nothing.
  constexpr size_t kReleaseBytes = 8u << 20;
  size_t released = 0;
  while (pos < text.size()) {
    if (options.release && pos - released >= kReleaseBytes) {
      options.release(ByteSpan(data.data() + released, pos - released));
      released = pos;
    }
    ++line_no;
    const char* start = text.data() + pos;
    const void* newline = std::memchr(start, '\n', text.size() - pos);
    size_t end = newline ? static_cast<size_t>(static_cast<const char*>(newline) - text.data())
                         : text.size();
    reader.Read(line_no, text.substr(pos, end - pos), text.size() - pos);
    if (reader.over_limit()) {
      return LimitExceeded("more than max_events (" + std::to_string(options.limits.max_events) +
                           ") events")
          .At(file, "line " + std::to_string(line_no), pos);
    }
    if (stats.malformed > options.limits.max_malformed) {
      return InvalidInput("more than " + std::to_string(options.limits.max_malformed) +
                          " malformed lines: not a piaudit.trace/1 file")
          .At(file, "line " + std::to_string(line_no), pos);
    }
    pos = end + 1;
  }
  return Status::Ok();
}

}  // namespace piaudit::trace::internal
