#include "trace/reader.h"

#include <algorithm>

#include "trace/internal/readers.h"

namespace piaudit::trace {

std::string_view TraceFormatName(TraceFormat f) {
  switch (f) {
    case TraceFormat::kPiauditJsonl:
      return "piaudit.trace/1";
    case TraceFormat::kHar:
      return "har";
    case TraceFormat::kPcap:
      return "pcap";
    case TraceFormat::kLogcat:
      return "logcat";
    case TraceFormat::kMobsfApiMonitor:
      return "mobsf_api_monitor";
    case TraceFormat::kCamilleXlsx:
      return "camille_xlsx";
    case TraceFormat::kUiautomatorXml:
      return "uiautomator_xml";
    case TraceFormat::kUnknown:
      break;
  }
  return "unknown";
}

TraceFormat DetectFormat(ByteSpan data, std::string_view name) {
  // Every sniffer decides from the start of the file; 8 KiB holds a HAR's opening object, a
  // logcat's first lines and an xlsx's first local headers.
  std::string_view head(reinterpret_cast<const char*>(data.data()),
                        std::min<size_t>(data.size(), 8192));
  // Binary formats first (their magic is exact), then the text formats from the most specific.
  if (internal::LooksLikePcap(head)) return TraceFormat::kPcap;
  if (internal::LooksLikeCamilleXlsx(head)) return TraceFormat::kCamilleXlsx;
  if (internal::LooksLikePiauditJsonl(head)) return TraceFormat::kPiauditJsonl;
  if (internal::LooksLikeHar(head)) return TraceFormat::kHar;
  if (internal::LooksLikeUiautomatorXml(head)) return TraceFormat::kUiautomatorXml;
  if (internal::LooksLikeMobsfApiMonitor(head)) return TraceFormat::kMobsfApiMonitor;
  if (internal::LooksLikeLogcat(head)) return TraceFormat::kLogcat;
  return TraceFormat::kUnknown;
}

Status ReadTrace(TraceFormat format, std::string_view file, ByteSpan data,
                 const ReadOptions& options, EventSink& sink, ReadStats* stats) {
  ReadStats local;
  ReadStats& s = stats ? *stats : local;
  if (data.size() > options.limits.max_file_bytes) {
    return LimitExceeded("trace file of " + std::to_string(data.size()) +
                         " bytes is over max_file_bytes")
        .InFile(file);
  }
  switch (format) {
    case TraceFormat::kPiauditJsonl:
      return internal::ReadPiauditJsonl(file, data, options, sink, s);
    case TraceFormat::kHar:
      return internal::ReadHar(file, data, options, sink, s);
    case TraceFormat::kPcap:
      return internal::ReadPcap(file, data, options, sink, s);
    case TraceFormat::kLogcat:
      return internal::ReadLogcat(file, data, options, sink, s);
    case TraceFormat::kMobsfApiMonitor:
      return internal::ReadMobsfApiMonitor(file, data, options, sink, s);
    case TraceFormat::kCamilleXlsx:
      return internal::ReadCamilleXlsx(file, data, options, sink, s);
    case TraceFormat::kUiautomatorXml:
      return internal::ReadUiautomatorXml(file, data, options, sink, s);
    case TraceFormat::kUnknown:
      break;
  }
  return InvalidInput(
             "not a recording piaudit reads (piaudit.trace/1, HAR, pcap/pcapng, logcat, MobSF "
             "api_monitor, Camille xlsx, uiautomator XML)")
      .InFile(file);
}

}  // namespace piaudit::trace
