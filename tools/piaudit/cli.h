// What the `piaudit` launcher (main.cc) and the full command line (cli_plugin.cc) share: the top
// level of the CLI and how a parse ends. Header-only so both binaries compile it themselves and no
// C++ object crosses the dlopen boundary.
#ifndef PIAUDIT_TOOLS_PIAUDIT_CLI_H_
#define PIAUDIT_TOOLS_PIAUDIT_CLI_H_

#include <CLI/CLI.hpp>

#include "app/commands.h"
#include "base/version.h"

namespace piaudit::tool {

inline constexpr char kDescription[] =
    "piaudit: personal-information compliance audit of Android apps";
inline const std::string kVersion = std::string("piaudit ") + piaudit::kToolVersion;

// Parses argv with `register_commands` (which adds subcommands writing the exit code) and returns
// the process exit code.
template <typename RegisterCommands>
int RunCli(int argc, char** argv, RegisterCommands register_commands) {
  CLI::App cli{kDescription};
  cli.set_version_flag("--version", kVersion);
  cli.require_subcommand(1);
  int exit_code = piaudit::app::kExitOk;
  register_commands(cli, &exit_code);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = cli.exit(e);
    return rc == 0 ? 0 : piaudit::app::kExitUsage;
  }
  return exit_code;
}

}  // namespace piaudit::tool

#endif  // PIAUDIT_TOOLS_PIAUDIT_CLI_H_
