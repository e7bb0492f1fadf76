// libpiaudit_cli.so: the whole piaudit command line (every command, `info` included), loaded by
// the launcher for every command but `info` (see main.cc for why).
#include <string>

#include "base/plugin.h"
#include "tools/piaudit/cli.h"

extern "C" PIAUDIT_PLUGIN_EXPORT int piaudit_cli_main(int argc, char** argv) {
  return piaudit::tool::RunCli(argc, argv, [](CLI::App& cli, int* exit_code) {
    cli.footer(std::string("Run 'piaudit COMMAND --help' for its options and examples.\n\n") +
               piaudit::app::kExitCodesHelp);
    piaudit::app::RegisterInfoCommand(cli, exit_code);
    piaudit::app::RegisterCodeCommand(cli, exit_code);
    piaudit::app::RegisterKbCommand(cli, exit_code);
    piaudit::app::RegisterPolicyCommand(cli, exit_code);
    piaudit::app::RegisterScanCommand(cli, exit_code);
    piaudit::app::RegisterDiscloseCommand(cli, exit_code);
    piaudit::app::RegisterJudgeCommand(cli, exit_code);
    piaudit::app::RegisterTraceCommand(cli, exit_code);
    piaudit::app::RegisterDiffCommand(cli, exit_code);
    piaudit::app::RegisterBatchCommand(cli, exit_code);
    piaudit::app::RegisterAuditCommand(cli, exit_code);
    piaudit::app::RegisterServeCommand(cli, exit_code);
    piaudit::app::RegisterUserCommand(cli, exit_code);
  });
}
