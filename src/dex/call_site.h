// Call sites (dex 038+): what an invoke-custom instruction links to. For the lambdas D8 leaves as
// invoke-custom (minSdk >= 26) the bootstrap is LambdaMetafactory.metafactory and extra_args are
// (samMethodType, implMethod, instantiatedMethodType): implMethod is a method handle to the lambda
// body, which a call graph should treat as called from the invoke-custom site.
#ifndef PIAUDIT_DEX_CALL_SITE_H_
#define PIAUDIT_DEX_CALL_SITE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "dex/dex_file.h"
#include "dex/encoded_value.h"

namespace piaudit::dex {

struct CallSite {
  uint32_t bootstrap = kNoIndex;    // method_handles index of the bootstrap linker method
  uint32_t method_name = kNoIndex;  // string index
  uint32_t method_type = kNoIndex;  // proto index
  std::vector<EncodedValue> extra_args;
};

// Decodes call_site_ids[idx] and checks its indices. REQUIRES: idx < dex.num_call_sites()
Result<CallSite> ReadCallSite(const DexFile& dex, uint32_t idx);

// The method a call site's method-handle arguments point at, first one wins (for
// LambdaMetafactory: the implementation method). nullopt when no argument is an invoke handle.
std::optional<uint32_t> CallSiteTargetMethod(const DexFile& dex, const CallSite& site);

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_CALL_SITE_H_
