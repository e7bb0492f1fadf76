// PLACEHOLDER until the Logcat reader lands: recognises nothing, reads nothing.
#include "trace/internal/readers.h"

namespace piaudit::trace::internal {

bool LooksLikeLogcat(std::string_view head) { return false; }

Status ReadLogcat(std::string_view file, ByteSpan data, const ReadOptions& options, EventSink& sink,
                ReadStats& stats) {
  return Unsupported("Logcat reader not built yet").InFile(file);
}

}  // namespace piaudit::trace::internal
