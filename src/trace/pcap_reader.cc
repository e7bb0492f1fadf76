// PLACEHOLDER until the Pcap reader lands: recognises nothing, reads nothing.
#include "trace/internal/readers.h"

namespace piaudit::trace::internal {

bool LooksLikePcap(std::string_view head) { return false; }

Status ReadPcap(std::string_view file, ByteSpan data, const ReadOptions& options, EventSink& sink,
                ReadStats& stats) {
  return Unsupported("Pcap reader not built yet").InFile(file);
}

}  // namespace piaudit::trace::internal
