// libFuzzer target for the mobsf trace reader: any input is read to the end or refused, never
// a crash, a hang or a view into freed storage (the sink reads every byte it is handed).
#include <cstddef>
#include <cstdint>

#include "trace/reader.h"
#include "trace/trace_fuzz_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit::trace;
  ReadOptions options;
  options.limits.max_line_bytes = 1u << 16;
  TouchingSink sink;
  ReadStats stats;
  (void)ReadTrace(TraceFormat::kMobsfApiMonitor, "fuzz", piaudit::ByteSpan(data, size), options,
                  sink, &stats);
  (void)DetectFormat(piaudit::ByteSpan(data, size < 4096 ? size : 4096), "fuzz");
  return 0;
}
