// The subcommands of the `piaudit` tool. Each Register* adds one subcommand (with its options) to
// the CLI; when that subcommand runs it stores the process exit code in *exit_code. The commands
// live here, in the app library, so that tests drive them without a process; tools/piaudit only
// parses argv.
//
// Exit codes, for every command: 0 success; 1 the command worked and found what --fail-on asks to
// fail on; 2 usage error; 3 the input could not be read (message on stderr names file, structure
// and offset); 4 internal error; 5 stopped by --timeout, nothing written.
#ifndef PIAUDIT_APP_COMMANDS_H_
#define PIAUDIT_APP_COMMANDS_H_

#include <string>
#include <vector>

namespace CLI {
class App;
}
namespace piaudit::scan {
class Scanner;
}

namespace piaudit::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitBadInput = 3;
inline constexpr int kExitInternal = 4;
// The scan passed its --timeout (or was cancelled) and wrote nothing.
inline constexpr int kExitStopped = 5;

// The exit-code table every command's --help ends with (the same table as README.md).
inline constexpr char kExitCodesHelp[] =
    "Exit codes:\n"
    "  0  success\n"
    "  1  violations not accepted by --baseline at or above --fail-on (scan, judge); a broken\n"
    "     audit chain (audit verify)\n"
    "  2  usage error: unknown option, format, level or language; pdf without Chromium\n"
    "  3  unreadable input: one line on standard error names the file, the structure and the\n"
    "     byte offset; fix or replace that file\n"
    "  4  internal error (e.g. a report could not be written: check the -o directory)\n"
    "  5  the scan passed its --timeout and wrote nothing (raise --timeout)\n";

void RegisterInfoCommand(CLI::App& cli, int* exit_code);      // piaudit info
void RegisterCodeCommand(CLI::App& cli, int* exit_code);      // piaudit code
void RegisterKbCommand(CLI::App& cli, int* exit_code);        // piaudit kb ...
void RegisterPolicyCommand(CLI::App& cli, int* exit_code);    // piaudit policy
void RegisterScanCommand(CLI::App& cli, int* exit_code);      // piaudit scan
void RegisterDiscloseCommand(CLI::App& cli, int* exit_code);  // piaudit disclose
void RegisterJudgeCommand(CLI::App& cli, int* exit_code);     // piaudit judge
void RegisterTraceCommand(CLI::App& cli, int* exit_code);     // piaudit trace check|show
void RegisterDiffCommand(CLI::App& cli, int* exit_code);      // piaudit diff
void RegisterBatchCommand(CLI::App& cli, int* exit_code);     // piaudit batch ...
void RegisterAuditCommand(CLI::App& cli, int* exit_code);     // piaudit audit verify
// `piaudit scan ARGS...` (args without "piaudit scan") with a scanner already loaded: what a batch
// child forked from its worker runs. Returns the exit code.
int RunScanWithScanner(const scan::Scanner& scanner, const std::vector<std::string>& args);
void RegisterServeCommand(CLI::App& cli, int* exit_code);  // piaudit serve
void RegisterUserCommand(CLI::App& cli, int* exit_code);   // piaudit user add
// piaudit kb fingerprint (registered by RegisterKbCommand under `kb`)
void RegisterKbFingerprintCommand(CLI::App& kb, int* exit_code);

}  // namespace piaudit::app

#endif  // PIAUDIT_APP_COMMANDS_H_
