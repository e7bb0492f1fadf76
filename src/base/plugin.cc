#include "base/plugin.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace piaudit {

Result<void*> OpenPlugin(const std::string& file_name, const char* env_var,
                         const char* build_path) {
  std::vector<std::string> candidates;
  if (const char* env = env_var ? std::getenv(env_var) : nullptr; env && *env) {
    candidates.push_back(env);
  }
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    std::string dir(self, static_cast<size_t>(n));
    dir.resize(dir.rfind('/') + 1);
    candidates.push_back(dir + file_name);
  }
  if (build_path != nullptr && *build_path) candidates.push_back(build_path);
  std::string errors;
  for (const std::string& path : candidates) {
    if (void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) return lib;
    const char* e = dlerror();
    errors += (errors.empty() ? "" : "; ") + std::string(e ? e : path);
  }
  return NotFound("cannot load plugin " + file_name + ": " + errors);
}

}  // namespace piaudit
