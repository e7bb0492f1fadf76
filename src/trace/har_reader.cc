// PLACEHOLDER until the Har reader lands: recognises nothing, reads nothing.
#include "trace/internal/readers.h"

namespace piaudit::trace::internal {

bool LooksLikeHar(std::string_view head) { return false; }

Status ReadHar(std::string_view file, ByteSpan data, const ReadOptions& options, EventSink& sink,
                ReadStats& stats) {
  return Unsupported("Har reader not built yet").InFile(file);
}

}  // namespace piaudit::trace::internal
