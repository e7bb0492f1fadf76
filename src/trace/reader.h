// Reading recordings: which format a file is, and one entry point that reads any of them.
//
// Formats are recognised by content, never by file name alone (a HAR saved as .json is still a
// HAR). Every reader takes the whole file as bytes (mapped), the file's name for messages, the
// options, and a sink; it returns a Status only for a fatal error (not that format at all, a limit
// hit), and reports a bad line or entry to EventSink::OnMalformed and goes on.
#ifndef PIAUDIT_TRACE_READER_H_
#define PIAUDIT_TRACE_READER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/byte_span.h"
#include "base/status.h"
#include "trace/event.h"

namespace piaudit::trace {

enum class TraceFormat : uint8_t {
  kUnknown,
  kPiauditJsonl,  // piaudit.trace/1
  kHar,           // HAR 1.2 (mitmproxy, Charles, browsers)
  kPcap,          // pcap or pcapng (libpcap)
  kLogcat,        // logcat -v threadtime or -v epoch
  kMobsfApiMonitor,
  kCamilleXlsx,
  kUiautomatorXml,  // one `uiautomator dump` file: one ui event
};
// "piaudit.trace/1", "har", "pcap", "logcat", "mobsf_api_monitor", "camille_xlsx",
// "uiautomator_xml", "unknown".
std::string_view TraceFormatName(TraceFormat f);

// Bounds for untrusted recordings. Defaults fit real recordings (a day of hooks is a few GB of
// JSONL at most; one line is a stack and a few arguments) with a wide margin.
struct TraceLimits {
  uint64_t max_file_bytes = 8ull << 30;
  // One line of JSONL or logcat: real lines are under 64 KiB (a stack of 200 frames, a dumped
  // hierarchy); a longer line is malformed (counted, skipped), not a reason to stop.
  uint64_t max_line_bytes = 4u << 20;
  uint32_t max_stack_frames = 512;      // frames kept per event (innermost first)
  uint32_t max_permissions = 256;       // permissions per request
  uint32_t max_headers = 512;           // headers per network event
  uint64_t max_body_bytes = 16u << 20;  // decoded body kept per network event
  uint64_t max_events = 100'000'000;    // per file
  uint32_t max_nesting_depth = 64;      // JSON nesting of one line
  uint64_t max_malformed = 1'000'000;   // past this the file is refused as not a trace
};

struct ReadOptions {
  TraceLimits limits;
  // Added to every time read from the file (clock offset of the device or capture host).
  int64_t clock_offset_ms = 0;
  // Called by streaming readers with each stretch of the file they are done with (a few MiB at a
  // time), so the caller can drop its mapped pages (MappedFile::Release): the memory of reading a
  // multi-GB recording then does not grow with it. May be empty.
  std::function<void(ByteSpan done)> release;
};

struct ReadStats {
  uint64_t events = 0;
  uint64_t malformed = 0;
  uint64_t other_types = 0;  // events of a type piaudit does not know
};

// Looks at the first 8 KiB of `data` (the whole file or its start) and the name.
TraceFormat DetectFormat(ByteSpan data, std::string_view name);

// Reads one file of a known format into `sink`. `file` names it in messages.
Status ReadTrace(TraceFormat format, std::string_view file, ByteSpan data,
                 const ReadOptions& options, EventSink& sink, ReadStats* stats);

}  // namespace piaudit::trace

#endif  // PIAUDIT_TRACE_READER_H_
