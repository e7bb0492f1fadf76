// PLACEHOLDER until the PiauditJsonl reader lands: recognises nothing, reads nothing.
#include "trace/internal/readers.h"

namespace piaudit::trace::internal {

bool LooksLikePiauditJsonl(std::string_view head) { return false; }

Status ReadPiauditJsonl(std::string_view file, ByteSpan data, const ReadOptions& options, EventSink& sink,
                ReadStats& stats) {
  return Unsupported("PiauditJsonl reader not built yet").InFile(file);
}

}  // namespace piaudit::trace::internal
