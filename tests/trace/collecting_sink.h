// A sink that copies what a reader hands it (events are views valid only during OnEvent).
#ifndef PIAUDIT_TESTS_TRACE_COLLECTING_SINK_H_
#define PIAUDIT_TESTS_TRACE_COLLECTING_SINK_H_

#include <optional>
#include <string>
#include <vector>

#include "trace/event.h"
#include "trace/reader.h"

namespace piaudit::trace {

struct CopiedEvent {
  EventType type = EventType::kOther;
  std::optional<int64_t> t_ms;
  uint64_t line = 0;
  std::optional<uint64_t> entry;
  std::string api, args, result, thread, action, via, text, activity, hierarchy, name, log_line;
  std::vector<std::string> stack;
};

class CollectingSink : public EventSink {
 public:
  void OnEvent(const Event& e) override {
    CopiedEvent c;
    c.type = e.type;
    c.t_ms = e.t_ms;
    c.line = e.line;
    c.entry = e.entry;
    c.api = e.api;
    c.args = e.args;
    c.result = e.result;
    c.thread = e.thread;
    c.action = e.action;
    c.via = e.via;
    c.text = e.text;
    c.activity = e.activity;
    c.hierarchy = e.hierarchy;
    c.name = e.name;
    c.log_line = e.log_line;
    for (std::string_view f : e.stack) c.stack.emplace_back(f);
    events.push_back(std::move(c));
  }
  void OnMalformed(uint64_t where, std::string_view why) override {
    malformed.push_back({where, std::string(why)});
  }
  std::vector<CopiedEvent> events;
  std::vector<std::pair<uint64_t, std::string>> malformed;
};

// Detects the format from the first 4 KiB and reads the whole text.
inline Status ReadText(std::string_view text, std::string_view name, CollectingSink& sink,
                       TraceFormat* format = nullptr, ReadOptions options = {}) {
  const ByteSpan data(text);
  const TraceFormat f = DetectFormat(ByteSpan(text.substr(0, 4096)), name);
  if (format) *format = f;
  return ReadTrace(f, name, data, options, sink, nullptr);
}

}  // namespace piaudit::trace

#endif  // PIAUDIT_TESTS_TRACE_COLLECTING_SINK_H_
