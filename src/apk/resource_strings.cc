#include "apk/resource_strings.h"

namespace piaudit::apk {

ResourceStrings CollectResourceStrings(const android::ResourceTable& table, size_t max_strings) {
  ResourceStrings out;
  for (uint32_t id : table.EntryIdsOfType("string")) {
    if (out.strings.size() >= max_strings) break;
    const uint32_t package = id >> 24;
    if (package == 0 || package == 1) continue;  // shared libraries and the framework
    std::optional<android::Value> v = table.ResolveForLocale(id, android::ResConfig{});
    if (!v || v->string.empty()) continue;
    std::optional<std::string> name = table.ResourceName(id);
    if (!name) continue;
    const size_t slash = name->rfind('/');
    out.strings.push_back(
        {id, slash == std::string::npos ? *name : name->substr(slash + 1), v->string});
  }
  return out;
}

}  // namespace piaudit::apk
