// The readers behind ReadTrace, one per format (each in its own file), and their content sniffers.
// `head` is the start of the file (a few KiB, may be cut anywhere).
#ifndef PIAUDIT_TRACE_INTERNAL_READERS_H_
#define PIAUDIT_TRACE_INTERNAL_READERS_H_

#include <string_view>

#include "base/byte_span.h"
#include "base/status.h"
#include "trace/event.h"
#include "trace/reader.h"

namespace piaudit::trace::internal {

#define PIAUDIT_TRACE_READER(Name)                                                    \
  bool LooksLike##Name(std::string_view head);                                        \
  Status Read##Name(std::string_view file, ByteSpan data, const ReadOptions& options, \
                    EventSink& sink, ReadStats& stats)

PIAUDIT_TRACE_READER(PiauditJsonl);     // jsonl_reader.cc
PIAUDIT_TRACE_READER(Har);              // har_reader.cc
PIAUDIT_TRACE_READER(Pcap);             // pcap_reader.cc
PIAUDIT_TRACE_READER(Logcat);           // logcat_reader.cc
PIAUDIT_TRACE_READER(MobsfApiMonitor);  // mobsf_reader.cc
PIAUDIT_TRACE_READER(CamilleXlsx);      // camille_reader.cc
PIAUDIT_TRACE_READER(UiautomatorXml);   // uiautomator_reader.cc

#undef PIAUDIT_TRACE_READER

}  // namespace piaudit::trace::internal

#endif  // PIAUDIT_TRACE_INTERNAL_READERS_H_
