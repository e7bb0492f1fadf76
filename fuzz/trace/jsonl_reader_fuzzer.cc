// libFuzzer target for the piaudit.trace/1 reader: detection, then every line read into a sink
// that touches every event's views (simdjson padding at the file's end included).
#include <cstddef>
#include <cstdint>

#include "trace/reader.h"
#include "trace_fuzz_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;  // NOLINT
  ByteSpan bytes(data, size);
  (void)trace::DetectFormat(bytes, "fuzz.jsonl");
  trace::TouchingSink sink;
  trace::ReadStats stats;
  trace::ReadOptions options;
  options.limits.max_line_bytes = 1 << 16;
  (void)trace::ReadTrace(trace::TraceFormat::kPiauditJsonl, "fuzz.jsonl", bytes, options, sink,
                         &stats);
  return 0;
}
