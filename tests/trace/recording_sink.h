// A sink that copies what a reader hands on, so tests can look at events after reading.
#ifndef PIAUDIT_TESTS_TRACE_RECORDING_SINK_H_
#define PIAUDIT_TESTS_TRACE_RECORDING_SINK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trace/event.h"

namespace piaudit::trace {

struct CopiedEvent {
  EventType type = EventType::kOther;
  std::optional<int64_t> t_ms;
  std::optional<uint64_t> entry;
  std::string method, url, host, ip, body;
  std::optional<uint16_t> port;
  std::vector<std::pair<std::string, std::string>> headers;
  bool encrypted = false;

  std::string Header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return {};
  }
};

class RecordingSink : public EventSink {
 public:
  void OnSession(const Session& session) override { sessions.push_back(session); }
  void OnEvent(const Event& e) override {
    CopiedEvent c;
    c.type = e.type;
    c.t_ms = e.t_ms;
    c.entry = e.entry;
    c.method = e.method;
    c.url = e.url;
    c.host = e.host;
    c.ip = e.ip;
    c.body = e.body;
    c.port = e.port;
    c.encrypted = e.encrypted;
    for (const Header& h : e.headers) c.headers.emplace_back(h.name, h.value);
    events.push_back(std::move(c));
  }
  void OnMalformed(uint64_t index, std::string_view why) override {
    malformed.emplace_back(index, std::string(why));
  }

  std::vector<Session> sessions;
  std::vector<CopiedEvent> events;
  std::vector<std::pair<uint64_t, std::string>> malformed;
};

}  // namespace piaudit::trace

#endif  // PIAUDIT_TESTS_TRACE_RECORDING_SINK_H_
