// Finding and opening piaudit's own plugins (shared objects loaded with dlopen).
//
// Heavy dependencies live in plugins so that a command maps only what it uses: poppler for PDF
// policies (libpiaudit_pdf.so), and ICU, OpenCC, gumbo and libyaml with every command except
// `info` (libpiaudit_cli.so). A plugin is looked for, in order: in the file named by the
// environment variable `env_var` (when set), beside the running executable, then at the path the
// build put it (`build_path`, may be null).
#ifndef PIAUDIT_BASE_PLUGIN_H_
#define PIAUDIT_BASE_PLUGIN_H_

#include <string>

#include "base/status.h"

// Marks a plugin's extern "C" entry points (everything else is built with hidden visibility).
#define PIAUDIT_PLUGIN_EXPORT __attribute__((visibility("default")))

namespace piaudit {

// Returns the dlopen handle (never closed: plugins live as long as the process), or an error that
// lists every place tried and why each failed.
Result<void*> OpenPlugin(const std::string& file_name, const char* env_var, const char* build_path);

}  // namespace piaudit

#endif  // PIAUDIT_BASE_PLUGIN_H_
