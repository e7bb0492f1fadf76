// `piaudit info APP.apk [--format text|json]`: the static facts of one APK (manifest, labels,
// signers, native libraries, secondary code) without code analysis. Output goes to stdout only;
// a bad APK gives exit 3 and one line on stderr naming the file, structure and byte offset.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "apk/apk_facts.h"
#include "app/commands.h"
#include "report/info_json.h"

namespace piaudit::app {

void RegisterInfoCommand(CLI::App& cli, int* exit_code) {
  struct Options {
    std::string apk;
    std::string format = "text";
    bool no_signatures = false;
    bool no_native = false;
    bool verify_entries = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd =
      cli.add_subcommand("info", "Print the static facts of an APK (manifest, signers, ...)");
  cmd->footer(std::string("Examples:\n  piaudit info app.apk\n  piaudit info app.apk --format json "
                          "--verify-entries\n\n") +
              kExitCodesHelp);
  cmd->add_option("apk", opts->apk, "APK file")->required();
  cmd->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("--no-signatures", opts->no_signatures, "Skip reading/verifying signatures");
  cmd->add_flag("--no-native", opts->no_native, "Skip reading native libraries");
  cmd->add_flag("--verify-entries", opts->verify_entries,
                "Also hash every entry the v1 (JAR) manifest names, as Android does for an APK "
                "signed with v1 only (inflates the whole APK)");
  cmd->callback([opts, exit_code] {
    apk::ApkFactsOptions options;
    options.read_signatures = !opts->no_signatures;
    options.read_native_libs = !opts->no_native;
    options.verify_v1_entries = opts->verify_entries;
    Result<apk::ApkFacts> facts = apk::ReadApkFacts(opts->apk, options);
    if (!facts.ok()) {
      std::fprintf(stderr, "piaudit info: %s\n", facts.status().ToString().c_str());
      *exit_code = facts.status().code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
      return;
    }
    std::string out = opts->format == "json"
                          ? report::InfoToJson(*facts).dump(
                                2, ' ', false, nlohmann::json::error_handler_t::replace) +
                                "\n"
                          : report::InfoToText(*facts);
    std::fwrite(out.data(), 1, out.size(), stdout);
    *exit_code = kExitOk;
  });
}

}  // namespace piaudit::app
