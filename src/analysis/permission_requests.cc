#include "analysis/permission_requests.h"

#include <algorithm>
#include <string_view>

#include "dex/dex_walk.h"

namespace piaudit::analysis {
namespace {

// The listed method of this name that shows the system permission prompt (the framework's and
// AndroidX's requestPermissions, the request() entry points of the wrappers Chinese apps use most:
// PermissionX, RxPermissions, XXPermissions, EasyPermissions), or null.
const knowledge::PermissionRequestMethod* RequestMethod(
    const knowledge::PermissionRequestApis& apis, std::string_view name) {
  for (const knowledge::PermissionRequestMethod& m : apis.methods) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

bool IsRequestClass(const knowledge::PermissionRequestApis& apis, std::string_view cls) {
  for (const knowledge::PermissionRequestClass& c : apis.classes) {
    if (cls.rfind(c.prefix, 0) == 0) return true;
  }
  return false;
}

constexpr std::string_view kPermissionPrefix = "android.permission.";

}  // namespace

std::vector<PermissionRequestSite> FindPermissionRequests(
    const dex::DexFile& dex, const knowledge::PermissionRequestApis& apis, Diagnostics* diags,
    size_t max_sites) {
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
        const knowledge::PermissionRequestMethod* method = RequestMethod(apis, name);
        if (method == nullptr) return;
        std::string cls(dex.TypeDescriptor(id.class_type, &class_scratch));
        if (!method->any_class && !IsRequestClass(apis, cls)) return;
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
