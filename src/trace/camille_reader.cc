// PLACEHOLDER until the CamilleXlsx reader lands: recognises nothing, reads nothing.
#include "trace/internal/readers.h"

namespace piaudit::trace::internal {

bool LooksLikeCamilleXlsx(std::string_view head) { return false; }

Status ReadCamilleXlsx(std::string_view file, ByteSpan data, const ReadOptions& options, EventSink& sink,
                ReadStats& stats) {
  return Unsupported("CamilleXlsx reader not built yet").InFile(file);
}

}  // namespace piaudit::trace::internal
