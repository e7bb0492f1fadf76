// piaudit: checks whether an Android app collects and uses personal information as China's rules
// require, with evidence. This file only parses argv; every command lives in src/app.
//
// `piaudit info` is what app stores run on every upload, so it is kept light: this executable
// links only the APK readers (C libraries and a static C++ runtime) and runs `info` itself. Every
// other command, and the top-level help, is in libpiaudit_cli.so, loaded here with its ICU,
// OpenCC, gumbo and libyaml. Measured on the corpus: peak memory of `info` falls by a third.
#include <dlfcn.h>

#include <cstdio>
#include <cstring>

#include "base/plugin.h"
#include "container/apk_signature.h"
#include "tools/piaudit/cli.h"

namespace {

bool IsLightCommand(int argc, char** argv) {
  return argc >= 2 && (std::strcmp(argv[1], "info") == 0 || std::strcmp(argv[1], "--version") == 0);
}

}  // namespace

int main(int argc, char** argv) {
  if (IsLightCommand(argc, argv)) {
    // `info` makes no TLS connection (the policy fetch is in the plugin's commands).
    piaudit::container::InitCryptoForVerificationOnly();
    return piaudit::tool::RunCli(argc, argv, [](CLI::App& cli, int* exit_code) {
      piaudit::app::RegisterInfoCommand(cli, exit_code);
    });
  }
  auto lib =
      piaudit::OpenPlugin("libpiaudit_cli.so", "PIAUDIT_CLI_PLUGIN", PIAUDIT_CLI_PLUGIN_PATH);
  if (!lib.ok()) {
    std::fprintf(stderr, "piaudit: %s\n", lib.status().ToString().c_str());
    return piaudit::app::kExitInternal;
  }
  using CliMain = int (*)(int, char**);
  auto cli_main = reinterpret_cast<CliMain>(dlsym(*lib, "piaudit_cli_main"));
  if (cli_main == nullptr) {
    std::fprintf(stderr, "piaudit: libpiaudit_cli.so lacks piaudit_cli_main\n");
    return piaudit::app::kExitInternal;
  }
  return cli_main(argc, argv);
}
