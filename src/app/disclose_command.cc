// `piaudit disclose APP.apk [--policy FILE | --policy-url URL] [--format json|html] [-o DIR]`
// The permission list and personal-information list an app store must show on the app's page
// (draft Interim Provisions art. 9(2)). Prints the chosen format to standard output; with -o it
// writes disclose.json and disclose.html there instead.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "app/commands.h"
#include "app/kb_location.h"
#include "report/disclose.h"
#include "report/write_reports.h"
#include "scan/scanner.h"

namespace piaudit::app {
namespace {

struct DiscloseFlags {
  std::string apk;
  std::string policy;
  std::string policy_url;
  std::string format = "json";
  std::string out_dir;
  std::string kb_dir;
  std::string lang = "zh";
};

int RunDisclose(const DiscloseFlags& flags) {
  auto scanner =
      scan::Scanner::Create(flags.kb_dir.empty() ? DefaultKbDir() : flags.kb_dir, Limits());
  if (!scanner.ok()) {
    std::fprintf(stderr, "piaudit disclose: knowledge base: %s\n",
                 scanner.status().ToString().c_str());
    return kExitBadInput;
  }
  scan::ScanRequest request;
  request.apk_path = flags.apk;
  request.policy_file = flags.policy;
  request.policy_url = flags.policy_url;
  scan::ScanResult result = (*scanner)->Scan(request);
  if (!result.apk_status.ok()) {
    std::fprintf(stderr, "piaudit disclose: %s\n", result.apk_status.ToString().c_str());
    return kExitBadInput;
  }
  const knowledge::KnowledgeBase* kb = &(*scanner)->kb();
  const knowledge::Lang lang = knowledge::ParseLang(flags.lang).value_or(knowledge::Lang::kZh);
  if (!flags.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(flags.out_dir, ec);
    for (const auto& [name, content] :
         {std::pair<std::string, std::string>{"disclose.json",
                                              report::RenderDiscloseJson(result.evidence, kb)},
          {"disclose.html", report::RenderDiscloseHtml(result.evidence, kb, lang)}}) {
      std::string path = (std::filesystem::path(flags.out_dir) / name).string();
      Status s = report::WriteTextFile(path, content);
      if (!s.ok()) {
        std::fprintf(stderr, "piaudit disclose: %s\n", s.ToString().c_str());
        return kExitInternal;
      }
      std::printf("wrote %s\n", path.c_str());
    }
    return kExitOk;
  }
  std::string out = flags.format == "html" ? report::RenderDiscloseHtml(result.evidence, kb, lang)
                                           : report::RenderDiscloseJson(result.evidence, kb);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (out.empty() || out.back() != '\n') std::fputc('\n', stdout);
  return kExitOk;
}

}  // namespace

void RegisterDiscloseCommand(CLI::App& cli, int* exit_code) {
  auto flags = std::make_shared<DiscloseFlags>();
  auto* cmd = cli.add_subcommand(
      "disclose", "the permission and personal-information lists an app store must show");
  cmd->footer(std::string("Examples:\n  piaudit disclose app.apk --policy privacy.html\n"
                          "  piaudit disclose app.apk --format html --lang en > lists.html\n\n") +
              kExitCodesHelp);
  cmd->add_option("apk", flags->apk, "the APK")->required();
  auto* policy = cmd->add_option("--policy", flags->policy, "privacy policy file");
  cmd->add_option("--policy-url", flags->policy_url, "privacy policy URL")->excludes(policy);
  cmd->add_option("--format", flags->format, "json or html (standard output)")
      ->check(CLI::IsMember({"json", "html"}))
      ->capture_default_str();
  cmd->add_option("-o,--out", flags->out_dir, "write disclose.json and disclose.html here");
  cmd->add_option("--kb", flags->kb_dir, "knowledge-base directory");
  cmd->add_option("--lang", flags->lang, "language of disclose.html (zh or en; the JSON has both)")
      ->check(CLI::IsMember({"zh", "en"}))
      ->capture_default_str();
  cmd->callback([flags, exit_code] { *exit_code = RunDisclose(*flags); });
}

}  // namespace piaudit::app
