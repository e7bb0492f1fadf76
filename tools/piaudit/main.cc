// piaudit: checks whether an Android app collects and uses personal information as China's rules
// require, with evidence. This file only parses argv; every command lives in src/app.
#include <CLI/CLI.hpp>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App cli{"piaudit: personal-information compliance audit of Android apps"};
  cli.set_version_flag("--version", "piaudit 0.1.0");
  cli.require_subcommand(1);
  int exit_code = piaudit::app::kExitOk;
  piaudit::app::RegisterInfoCommand(cli, &exit_code);
  piaudit::app::RegisterCodeCommand(cli, &exit_code);
  piaudit::app::RegisterKbCommand(cli, &exit_code);
  piaudit::app::RegisterPolicyCommand(cli, &exit_code);
  piaudit::app::RegisterScanCommand(cli, &exit_code);
  piaudit::app::RegisterDiscloseCommand(cli, &exit_code);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = cli.exit(e);
    return rc == 0 ? 0 : piaudit::app::kExitUsage;
  }
  return exit_code;
}
