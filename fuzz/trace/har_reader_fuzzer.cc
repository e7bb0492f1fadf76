// libFuzzer target for the HAR reader: detection, then the whole document read into a sink that
// touches every event's views.
#include <cstddef>
#include <cstdint>

#include "trace/reader.h"
#include "trace_fuzz_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;  // NOLINT
  ByteSpan bytes(data, size);
  (void)trace::DetectFormat(bytes, "fuzz.har");
  trace::TouchingSink sink;
  trace::ReadStats stats;
  (void)trace::ReadTrace(trace::TraceFormat::kHar, "fuzz.har", bytes, {}, sink, &stats);
  return 0;
}
