// A sink for the trace fuzzers: reads every byte of every view it is handed, so a view into
// storage the reader has already freed or reused is an ASan report, not a silent pass.
#ifndef PIAUDIT_FUZZ_TRACE_TRACE_FUZZ_SINK_H_
#define PIAUDIT_FUZZ_TRACE_TRACE_FUZZ_SINK_H_

#include <cstdint>
#include <string_view>

#include "trace/event.h"

namespace piaudit::trace {

class TouchingSink : public EventSink {
 public:
  void OnEvent(const Event& e) override {
    for (std::string_view v : {e.api, e.args, e.result, e.thread, e.action, e.via, e.text,
                               e.activity, e.hierarchy, e.name, e.log_line}) {
      Touch(v);
    }
    for (std::string_view f : e.stack) Touch(f);
  }
  void OnMalformed(uint64_t, std::string_view why) override { Touch(why); }
  uint64_t sum = 0;

 private:
  void Touch(std::string_view v) {
    for (char c : v) sum += static_cast<unsigned char>(c);
  }
};

}  // namespace piaudit::trace

#endif  // PIAUDIT_FUZZ_TRACE_TRACE_FUZZ_SINK_H_
