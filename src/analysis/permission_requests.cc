#include "analysis/permission_requests.h"

#include <algorithm>
#include <string_view>

#include "dex/dex_walk.h"

namespace piaudit::analysis {
namespace {

// Names of methods that show the system permission prompt: the framework's and AndroidX's
// requestPermissions, and the request() entry points of the wrappers Chinese apps use most
// (PermissionX, RxPermissions, XXPermissions, EasyPermissions).
bool IsRequestMethod(std::string_view name) {
  return name == "requestPermissions" || name == "requestEach" || name == "requestEachCombined" ||
         name == "request";
}

bool IsRequestClass(std::string_view cls) {
  for (std::string_view known :
       {"Landroid/app/Activity;", "Landroid/app/Fragment;", "Landroidx/core/app/ActivityCompat;",
        "Landroid/support/v4/app/ActivityCompat;", "Landroidx/fragment/app/Fragment;",
        "Landroid/support/v4/app/Fragment;", "Lcom/permissionx/", "Lcom/tbruyelle/rxpermissions",
        "Lcom/hjq/permissions/", "Lpub/devrel/easypermissions/"}) {
    if (cls.rfind(known, 0) == 0) return true;
  }
  return false;
}

constexpr std::string_view kPermissionPrefix = "android.permission.";

}  // namespace

std::vector<PermissionRequestSite> FindPermissionRequests(const dex::DexFile& dex,
                                                          Diagnostics* diags, size_t max_sites) {
  std::vector<PermissionRequestSite> sites;
  std::vector<std::string> loaded;  // permission constants of the current method
  const dex::EncodedMethod* current = nullptr;
  std::string scratch, class_scratch;
  dex::ForEachInstruction(
      dex, diags, [&](const dex::MethodView& view, const dex::Instruction& insn) {
        if (view.method != current) {
          current = view.method;
          loaded.clear();
        }
        if ((insn.opcode == dex::Opcode::kConstString ||
             insn.opcode == dex::Opcode::kConstStringJumbo) &&
            insn.index < dex.num_strings()) {
          std::string_view s = dex.GetStringView(insn.index, &scratch);
          if (s.rfind(kPermissionPrefix, 0) == 0 &&
              std::find(loaded.begin(), loaded.end(), s) == loaded.end()) {
            loaded.emplace_back(s);
          }
          return;
        }
        if (!insn.is_invoke() || insn.index >= dex.num_methods() || sites.size() >= max_sites)
          return;
        dex::MethodId id = dex.GetMethodId(insn.index);
        std::string_view name = dex.GetStringView(id.name, &scratch);
        if (!IsRequestMethod(name)) return;
        std::string cls(dex.TypeDescriptor(id.class_type, &class_scratch));
        if (!IsRequestClass(cls) && name != "requestPermissions") return;
        PermissionRequestSite site;
        site.dex_file = dex.name();
        site.caller = dex.MethodRefString(view.method->method_idx);
        site.caller_class = site.caller.substr(0, site.caller.find("->"));
        site.api = dex.MethodRefString(insn.index);
        site.file_offset = view.code->insns_offset + 2ull * insn.dex_pc;
        site.permissions = loaded;
        sites.push_back(std::move(site));
      });
  return sites;
}

}  // namespace piaudit::analysis
