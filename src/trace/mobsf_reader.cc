// PLACEHOLDER until the MobsfApiMonitor reader lands: recognises nothing, reads nothing.
#include "trace/internal/readers.h"

namespace piaudit::trace::internal {

bool LooksLikeMobsfApiMonitor(std::string_view head) { return false; }

Status ReadMobsfApiMonitor(std::string_view file, ByteSpan data, const ReadOptions& options, EventSink& sink,
                ReadStats& stats) {
  return Unsupported("MobsfApiMonitor reader not built yet").InFile(file);
}

}  // namespace piaudit::trace::internal
