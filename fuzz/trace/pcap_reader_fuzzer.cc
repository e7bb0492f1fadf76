// libFuzzer target for the pcap/pcapng reader: libpcap's record parsing, then the link, IP, UDP/TCP
// decoding, DNS names, TLS ClientHello and HTTP requests over reassembled TCP.
#include <cstddef>
#include <cstdint>

#include "trace/reader.h"
#include "trace_fuzz_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;  // NOLINT
  ByteSpan bytes(data, size);
  (void)trace::DetectFormat(bytes, "fuzz.pcap");
  trace::TouchingSink sink;
  trace::ReadStats stats;
  trace::ReadOptions options;
  options.limits.max_body_bytes = 64 << 10;  // keeps the gap and body bounds within reach
  (void)trace::ReadTrace(trace::TraceFormat::kPcap, "fuzz.pcap", bytes, options, sink, &stats);
  return 0;
}
