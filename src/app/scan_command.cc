// Placeholder until the scan command lands; keeps the CLI complete.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "app/commands.h"

namespace piaudit::app {

void RegisterScanCommand(CLI::App& cli, int* exit_code) {
  auto* cmd = cli.add_subcommand("scan", "(not available in this build)");
  cmd->allow_extras();
  cmd->callback([exit_code] {
    std::fprintf(stderr, "piaudit scan: not available in this build\n");
    *exit_code = kExitInternal;
  });
}

}  // namespace piaudit::app
