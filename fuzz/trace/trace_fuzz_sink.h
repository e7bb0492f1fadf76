// The sink every trace fuzzer reads events into: it touches every byte every view points at, so
// AddressSanitizer reports a view into storage the reader has already reused or freed.
#ifndef PIAUDIT_FUZZ_TRACE_TRACE_FUZZ_SINK_H_
#define PIAUDIT_FUZZ_TRACE_TRACE_FUZZ_SINK_H_

#include <cstdint>
#include <string_view>

#include "trace/event.h"

namespace piaudit::trace {

class TouchingSink : public EventSink {
 public:
  void OnEvent(const Event& e) override {
    for (std::string_view s :
         {e.type_name, e.api,  e.args,     e.result,    e.thread, e.permission, e.action,
          e.via,       e.text, e.activity, e.hierarchy, e.dump,   e.screenshot, e.resource_id,
          e.method,    e.url,  e.host,     e.ip,        e.body,   e.name,       e.log_line}) {
      Touch(s);
    }
    for (std::string_view f : e.stack) Touch(f);
    for (std::string_view p : e.permissions) Touch(p);
    for (const Header& h : e.headers) {
      Touch(h.name);
      Touch(h.value);
    }
    sum_ += e.t_ms.value_or(0) + e.entry.value_or(0) + e.port.value_or(0) + e.encrypted + e.line;
  }
  void OnMalformed(uint64_t index, std::string_view why) override {
    Touch(why);
    sum_ += index;
  }
  uint64_t sum() const { return sum_; }

 private:
  void Touch(std::string_view s) {
    for (char c : s) sum_ += static_cast<uint8_t>(c);
  }
  uint64_t sum_ = 0;
};

}  // namespace piaudit::trace

#endif  // PIAUDIT_FUZZ_TRACE_TRACE_FUZZ_SINK_H_
