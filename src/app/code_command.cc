// `piaudit code APP.apk [--format text|json] [--callgraph dot|json] [--kb DIR]`: who owns the
// code (SDKs, obfuscated SDKs, packer), hosts and URLs, sensitive calls with their owners and the
// consent gate. Output goes to stdout only. With --callgraph the call-graph slice is printed
// instead of the report (docs/schemas/code.md). A bad APK gives exit 3 and one line on stderr
// naming the file, structure and byte offset; a broken knowledge base gives exit 4.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/kb_location.h"
#include "knowledge/knowledge_base.h"
#include "report/code_json.h"

namespace piaudit::app {

void RegisterCodeCommand(CLI::App& cli, int* exit_code) {
  struct Options {
    std::string apk;
    std::string format = "text";
    std::string callgraph;
    std::string kb_dir;
    bool no_calls = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = cli.add_subcommand(
      "code", "Attribute an APK's code: SDKs, packer, hosts/URLs, sensitive calls, consent gate");
  cmd->footer(std::string("Examples:\n  piaudit code app.apk\n  piaudit code app.apk --format json "
                          "--callgraph dot > graph.dot\n\n") +
              kExitCodesHelp);
  cmd->add_option("apk", opts->apk, "APK file")->required();
  cmd->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--callgraph", opts->callgraph,
                  "Print the call-graph slice (sensitive-call chains) instead of the report")
      ->check(CLI::IsMember({"dot", "json"}));
  cmd->add_option("--kb", opts->kb_dir, "Knowledge base directory (default: bundled data/)");
  cmd->add_flag("--no-calls", opts->no_calls,
                "Skip the call-graph analysis (SDKs, packer and hosts only)");
  cmd->callback([opts, exit_code] {
    analysis::CodeOptions options;
    options.analyze_calls = !opts->no_calls;
    // The APK is read before the knowledge base so that a bad APK always gives exit 3.
    Result<apk::ApkFacts> facts = apk::ReadApkFacts(opts->apk, analysis::CodeFactsOptions(options));
    if (!facts.ok()) {
      std::fprintf(stderr, "piaudit code: %s\n", facts.status().ToString().c_str());
      *exit_code = facts.status().code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
      return;
    }
    std::string kb_dir = opts->kb_dir.empty() ? DefaultKbDir() : opts->kb_dir;
    Result<knowledge::KnowledgeBase> kb = knowledge::KnowledgeBase::Load(kb_dir, nullptr);
    if (!kb.ok()) {
      std::fprintf(stderr, "piaudit code: knowledge base %s: %s\n", kb_dir.c_str(),
                   kb.status().ToString().c_str());
      *exit_code = kExitInternal;
      return;
    }
    Result<analysis::CodeReport> report =
        analysis::BuildCodeReportFromFacts(std::move(facts).value(), *kb, options);
    if (!report.ok()) {
      std::fprintf(stderr, "piaudit code: %s\n", report.status().ToString().c_str());
      *exit_code = report.status().code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
      return;
    }
    std::string out;
    if (opts->callgraph == "dot") {
      out = report::CallGraphToDot(*report);
    } else if (opts->callgraph == "json") {
      out = report::CallGraphToJson(*report).dump(2, ' ', false,
                                                  nlohmann::json::error_handler_t::replace) +
            "\n";
    } else if (opts->format == "json") {
      out = report::CodeReportToJson(*report).dump(2, ' ', false,
                                                   nlohmann::json::error_handler_t::replace) +
            "\n";
    } else {
      out = report::CodeReportToText(*report);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    *exit_code = kExitOk;
  });
}

}  // namespace piaudit::app
