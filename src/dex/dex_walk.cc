// Out-of-line part of dex_walk.h: turning a per-class/per-method Status into a Diagnostic.
#include "dex/dex_walk.h"

namespace piaudit::dex::internal {

void RecordWalkError(Diagnostics* diags, const char* code, const Status& s, DexWalkStats* stats) {
  ++stats->errors;
  if (diags != nullptr) diags->AddStatus(code, s);
}

}  // namespace piaudit::dex::internal
