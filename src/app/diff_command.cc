// `piaudit diff OLD.apk NEW.apk [--old-policy FILE] [--policy FILE] [--format text|json]
//  [--force] [--kb DIR]`
// What changed between two versions of one app (issue 14): manifest, code and policy, each
// change with its evidence on both sides, as text or the piaudit.diff/1 record
// (docs/schemas/diff.md). Both versions are scanned with one Scanner; the package and a signing
// certificate must match unless --force.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/kb_location.h"
#include "app/verdict_summary.h"
#include "app/version_pair.h"
#include "base/version.h"
#include "report/diff_json.h"
#include "scan/scanner.h"

namespace piaudit::app {
namespace {

struct DiffFlags {
  std::string old_apk;
  std::string new_apk;
  std::string old_policy;
  std::string new_policy;
  std::string format = "text";
  std::string kb_dir;
  bool force = false;
};

int RunDiff(const DiffFlags& flags) {
  if (flags.format != "text" && flags.format != "json") {
    std::fprintf(stderr, "piaudit diff: unknown --format '%s' (text or json)\n",
                 flags.format.c_str());
    return kExitUsage;
  }
  auto scanner =
      scan::Scanner::Create(flags.kb_dir.empty() ? DefaultKbDir() : flags.kb_dir, Limits());
  if (!scanner.ok()) {
    std::fprintf(stderr, "piaudit diff: knowledge base: %s\n", scanner.status().ToString().c_str());
    return kExitBadInput;
  }
  scan::ScanRequest request;
  request.apk_path = flags.new_apk;
  request.policy_file = flags.new_policy;
  scan::ScanResult current = (*scanner)->Scan(request);
  if (!current.apk_status.ok()) {
    std::fprintf(stderr, "piaudit diff: %s\n", current.apk_status.ToString().c_str());
    return kExitBadInput;
  }
  if (!current.policy_status.ok() && !flags.new_policy.empty()) {
    std::fprintf(stderr, "piaudit diff: policy: %s\n", current.policy_status.ToString().c_str());
    return kExitBadInput;
  }
  VersionPairRequest pair;
  pair.previous_apk = flags.old_apk;
  pair.previous_policy = flags.old_policy;
  pair.force = flags.force;
  VersionPairOutcome outcome =
      CompareWithPrevious(**scanner, pair, flags.new_apk, current.evidence, "diff");
  if (outcome.exit_code != kExitOk) return outcome.exit_code;
  report::DiffInput in;
  in.previous = &outcome.previous.evidence;
  in.current = &current.evidence;
  in.changes = &outcome.changes;
  in.tool_version = kToolVersion;
  in.kb_version = (*scanner)->kb().version().version;
  in.generated_at = GeneratedAt();
  const std::string text =
      flags.format == "json" ? report::RenderDiffJson(in) : report::RenderDiffText(in);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

}  // namespace

void RegisterDiffCommand(CLI::App& cli, int* exit_code) {
  auto flags = std::make_shared<DiffFlags>();
  auto* cmd = cli.add_subcommand("diff", "what changed between two versions of one app");
  cmd->add_option("old", flags->old_apk, "the previous version's APK")->required();
  cmd->add_option("new", flags->new_apk, "the new version's APK")->required();
  cmd->add_option("--old-policy,--previous-policy", flags->old_policy,
                  "the previous version's privacy policy (text/HTML/PDF)");
  cmd->add_option("--policy", flags->new_policy, "the new version's privacy policy");
  cmd->add_option("--format", flags->format, "text (default) or json (piaudit.diff/1)");
  cmd->add_flag("--force", flags->force,
                "compare even when the package or the signing certificates differ");
  cmd->add_option("--kb", flags->kb_dir, "knowledge-base directory (default: the bundled one)");
  cmd->footer(std::string("Examples:\n  piaudit diff app-1.0.apk app-1.1.apk\n  piaudit diff "
                          "old.apk new.apk --old-policy old.html --policy new.html --format "
                          "json\n\nA different package or signer is a usage error (exit 2) "
                          "unless --force.\n\n") +
              kExitCodesHelp);
  cmd->callback([flags, exit_code] { *exit_code = RunDiff(*flags); });
}

}  // namespace piaudit::app
