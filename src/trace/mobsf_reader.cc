// MobSF's dynamic analyzer API monitor (docs/schemas/trace-ui-formats.md).
//
// MobSF's Frida script (DynamicAnalyzer/tools/frida_scripts/.../api_monitor.js) sends
// "MobSF-API-Monitor: " + JSON.stringify({name, class, method, arguments, result, calledFrom,
// returnValue}) + ","; its Python side (frida_core.py) strips the prefix and appends the rest to
// mobsf_api_monitor.txt with no newline, and its views read the file as '[' + text[:-1] + ']'.
// So the file is a run of `{...},` records. The reader takes any run of JSON objects: that file,
// a JSON array of the same objects, or log lines that keep the "MobSF-API-Monitor: " or
// "[API Monitor] " prefix; other text between records is reported as malformed and skipped.
//
// Each record becomes one `api` event: api = class + "." + method, args = the `arguments` JSON,
// result = `result` (else `returnValue`), stack = `calledFrom` split into frames (MobSF keeps one
// frame, the caller). MobSF records no time: t_ms stays unset, so these events show what was
// called but cannot be placed before or after consent. A record that carries a `timestamp`
// (milliseconds since the epoch, or RFC 3339 text; an extension some forks add) is timed.
#include <simdjson.h>

#include <string>
#include <vector>

#include "trace/internal/readers.h"
#include "trace/time.h"

namespace piaudit::trace::internal {
namespace {

constexpr std::string_view kPrefixes[] = {"MobSF-API-Monitor:", "[API Monitor]"};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The end (one past the closing brace) of the JSON object starting at `begin`, or npos when the
// text ends first. Linear, no recursion: strings and escapes are skipped, braces counted.
size_t ObjectEnd(std::string_view s, size_t begin) {
  uint64_t depth = 0;
  bool in_string = false;
  for (size_t i = begin; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

// Skips white space, separators and known prefixes between records; returns the position of the
// next '{' (or s.size()), and sets *junk to the first other text skipped (empty when none).
size_t NextRecord(std::string_view s, size_t i, std::string_view* junk) {
  *junk = {};
  while (i < s.size()) {
    const char c = s[i];
    if (c == '{') return i;
    bool prefix = false;  // before the separators: "[API Monitor]" starts with '['
    for (std::string_view p : kPrefixes) {
      if (s.substr(i, p.size()) == p) {
        i += p.size();
        prefix = true;
        break;
      }
    }
    if (prefix) continue;
    if (IsSpace(c) || c == ',' || c == '[' || c == ']') {
      ++i;
      continue;
    }
    // Other text: up to the end of its line or the next '{', whichever is first.
    const size_t stop = s.find_first_of("{\n", i);
    const size_t end = stop == std::string_view::npos ? s.size() : stop;
    if (junk->empty()) *junk = s.substr(i, std::min<size_t>(end - i, 80));
    i = end;
  }
  return i;
}

std::string_view StringField(simdjson::dom::object o, std::string_view key) {
  std::string_view v;
  if (o[key].get_string().get(v) != simdjson::SUCCESS) return {};
  return v;
}

}  // namespace

bool LooksLikeMobsfApiMonitor(std::string_view head) {
  std::string_view junk;
  const size_t at = NextRecord(head, 0, &junk);
  if (!junk.empty() || at >= head.size()) return false;
  const std::string_view first = head.substr(at, 4096);
  return first.find("\"class\"") != std::string_view::npos &&
         first.find("\"method\"") != std::string_view::npos;
}

Status ReadMobsfApiMonitor(std::string_view file, ByteSpan data, const ReadOptions& options,
                           EventSink& sink, ReadStats& stats) {
  const TraceLimits& limits = options.limits;
  const std::string_view text = data.AsStringView();
  simdjson::dom::parser parser;
  if (parser.allocate(1u << 16, limits.max_nesting_depth) != simdjson::SUCCESS) {
    return InternalError("simdjson could not allocate its parser").InFile(file);
  }
  std::string api;
  std::string args;
  std::string result_text;
  std::vector<std::string_view> frames;
  uint64_t entry = 0;
  size_t pos = 0;
  auto malformed = [&](uint64_t where, std::string why) -> Status {
    ++stats.malformed;
    sink.OnMalformed(where, why);
    if (stats.malformed > limits.max_malformed) {
      return InvalidInput("more than max_malformed " + std::to_string(limits.max_malformed) +
                          " bad records: not a MobSF API monitor file")
          .At(file, "record " + std::to_string(where), pos);
    }
    return Status::Ok();
  };
  for (;;) {
    std::string_view junk;
    pos = NextRecord(text, pos, &junk);
    if (!junk.empty()) {
      RETURN_IF_ERROR(malformed(entry, "text outside a record: '" + std::string(junk) + "'"));
    }
    if (pos >= text.size()) break;
    const uint64_t index = entry++;
    const size_t end = ObjectEnd(text, pos);
    if (end == std::string_view::npos) {
      RETURN_IF_ERROR(malformed(index, "record not closed before the end of the file"));
      break;
    }
    const std::string_view record = text.substr(pos, end - pos);
    pos = end;
    if (record.size() > limits.max_line_bytes) {
      RETURN_IF_ERROR(malformed(
          index, "record of " + std::to_string(record.size()) + " bytes is over max_line_bytes"));
      continue;
    }
    simdjson::dom::element root;
    if (auto err = parser.parse(record.data(), record.size(), true).get(root); err) {
      RETURN_IF_ERROR(malformed(index, std::string("not JSON: ") + simdjson::error_message(err)));
      continue;
    }
    simdjson::dom::object o;
    if (root.get_object().get(o) != simdjson::SUCCESS) continue;  // cannot happen: starts with {
    const std::string_view cls = StringField(o, "class");
    const std::string_view method = StringField(o, "method");
    if (cls.empty() || method.empty()) {
      RETURN_IF_ERROR(malformed(index, "record without \"class\" and \"method\""));
      continue;
    }
    Event e;
    e.type = EventType::kApi;
    e.type_name = EventTypeName(EventType::kApi);
    e.entry = index;
    api.assign(cls).append(".").append(method);
    e.api = api;
    args.clear();
    if (simdjson::dom::element a; o["arguments"].get(a) == simdjson::SUCCESS) {
      args = simdjson::minify(a);
    }
    e.args = args;
    for (std::string_view key : {"result", "returnValue"}) {
      simdjson::dom::element r;
      if (o[key].get(r) != simdjson::SUCCESS || r.is_null()) continue;
      std::string_view s;
      if (r.get_string().get(s) == simdjson::SUCCESS) {
        e.result = s;
      } else {
        result_text = simdjson::minify(r);  // a number or object: its JSON text
        e.result = result_text;
      }
      break;
    }
    frames.clear();
    std::string_view called_from = StringField(o, "calledFrom");
    while (!called_from.empty() && frames.size() < limits.max_stack_frames) {
      const size_t cut = called_from.find_first_of(",\n");
      std::string_view frame = called_from.substr(0, cut);
      called_from =
          cut == std::string_view::npos ? std::string_view() : called_from.substr(cut + 1);
      while (!frame.empty() && IsSpace(frame.front())) frame.remove_prefix(1);
      while (!frame.empty() && IsSpace(frame.back())) frame.remove_suffix(1);
      if (frame.substr(0, 3) == "at ") frame.remove_prefix(3);
      if (!frame.empty()) frames.push_back(frame);
    }
    e.stack = frames;
    e.name = StringField(o, "name");  // MobSF's category ("Device Info")
    if (simdjson::dom::element t; o["timestamp"].get(t) == simdjson::SUCCESS) {
      int64_t ms = 0;
      double d = 0;
      std::string_view s;
      // Years 0..9999 in milliseconds: keeps the clock offset's addition from overflowing.
      constexpr int64_t kMaxMs = 253'402'300'800'000;
      if (t.get_int64().get(ms) == simdjson::SUCCESS && ms >= 0 && ms < kMaxMs) {
        e.t_ms = ms + options.clock_offset_ms;
      } else if (t.get_double().get(d) == simdjson::SUCCESS && d >= 0 &&
                 d < static_cast<double>(kMaxMs)) {
        e.t_ms = static_cast<int64_t>(d) + options.clock_offset_ms;
      } else if (t.get_string().get(s) == simdjson::SUCCESS) {
        if (auto parsed = ParseRfc3339Ms(s)) e.t_ms = *parsed + options.clock_offset_ms;
      }
    }
    if (stats.events >= limits.max_events) {
      return LimitExceeded("more than max_events " + std::to_string(limits.max_events) + " events")
          .At(file, "record " + std::to_string(index), pos);
    }
    sink.OnEvent(e);
    ++stats.events;
  }
  return Status::Ok();
}

}  // namespace piaudit::trace::internal
