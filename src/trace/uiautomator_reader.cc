// PLACEHOLDER until the UiautomatorXml reader lands: recognises nothing, reads nothing.
#include "trace/internal/readers.h"

namespace piaudit::trace::internal {

bool LooksLikeUiautomatorXml(std::string_view head) { return false; }

Status ReadUiautomatorXml(std::string_view file, ByteSpan data, const ReadOptions& options, EventSink& sink,
                ReadStats& stats) {
  return Unsupported("UiautomatorXml reader not built yet").InFile(file);
}

}  // namespace piaudit::trace::internal
