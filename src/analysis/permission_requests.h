// Where the code asks for runtime permissions (Activity/Fragment/ActivityCompat.requestPermissions
// and the common wrappers, listed in data/permission_requests.yaml), with the permission names
// loaded as constants in the same method: the static half of IM-4.6 ("several permissions demanded
// at once").
//
// Approximation, said in reports: permission names are the android.permission.* const-strings of
// the requesting method (arrays are usually built right there); a request whose names come from a
// field or another method has an empty list.
#ifndef PIAUDIT_ANALYSIS_PERMISSION_REQUESTS_H_
#define PIAUDIT_ANALYSIS_PERMISSION_REQUESTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/diagnostics.h"
#include "dex/dex_file.h"
#include "knowledge/word_lists.h"

namespace piaudit::analysis {

struct PermissionRequestSite {
  std::string dex_file;
  std::string caller;                    // "Lcom/foo/Main;->onCreate(Landroid/os/Bundle;)V"
  std::string caller_class;              // "Lcom/foo/Main;"
  std::string api;                       // the invoked request method
  uint64_t file_offset = 0;              // of the invoke instruction
  std::vector<std::string> permissions;  // distinct, in load order
};

// Every permission-request call site of `dex` (bounded by `max_sites`): calls of the methods and
// classes of data/permission_requests.yaml (KnowledgeBase::permission_requests()).
std::vector<PermissionRequestSite> FindPermissionRequests(
    const dex::DexFile& dex, const knowledge::PermissionRequestApis& apis, Diagnostics* diags,
    size_t max_sites = 10'000);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_PERMISSION_REQUESTS_H_
