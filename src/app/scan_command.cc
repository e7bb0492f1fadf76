// `piaudit scan APP.apk [--policy FILE | --policy-url URL] [--app-type TYPE_ID] [-o DIR]
//  [--format json,sarif,html] [--fail-on LEVEL[,ITEM=LEVEL...]] [--baseline FILE]
//  [--write-baseline FILE] [--kb DIR]`
// Judges all 31 items, writes the reports, prints a one-screen summary and the report paths, and
// exits by --fail-on so CI can gate a release (see commands.h for the exit codes).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "app/commands.h"
#include "app/kb_location.h"
#include "app/verdict_summary.h"
#include "app/version_pair.h"
#include "base/concurrency.h"
#include "base/stop.h"
#include "base/version.h"
#include "report/html_report.h"
#include "report/report_json.h"
#include "report/sarif.h"
#include "report/write_reports.h"
#include "rules/evaluate.h"
#include "runtime/recordings.h"
#include "scan/scanner.h"

namespace piaudit::app {
namespace {

struct ScanFlags {
  std::string apk;
  std::string policy;
  std::string policy_url;
  std::string app_type;
  ReportFlags report;
  bool fetch_found_url = false;
  std::vector<std::string> traces;
  int64_t trace_clock_offset_ms = 0;
  bool timings = false;
  double timeout_seconds = 0;  // 0: no deadline
  int threads = 3;             // --threads: the scanning thread and a pool of threads - 1
  // --previous OLD.apk [--previous-policy FILE] [--force] (issue 14): judge the update.
  VersionPairRequest previous;
};

// --previous: the previous version scanned and compared; its changes go into the evidence (so
// evidence.json carries them for `judge`) and the items are judged again with them. kExitOk, or
// the exit code of a previous version that cannot be read or is another app (without --force).
// `stop` is the command's deadline (the previous scan runs under it too); the previous scan's
// phases go to *timings as "previous: PHASE", then the comparison.
int JudgeAgainstPrevious(const scan::Scanner& scanner, const ScanFlags& flags,
                         const StopCondition* stop, scan::ScanResult* result,
                         std::vector<report::InputFile>* inputs,
                         std::vector<scan::PhaseTiming>* timings) {
  if (flags.previous.previous_apk.empty()) return kExitOk;
  const auto start = std::chrono::steady_clock::now();
  VersionPairRequest pair = flags.previous;
  pair.stop = stop;
  VersionPairOutcome outcome =
      CompareWithPrevious(scanner, pair, flags.apk, result->evidence, "scan");
  double scanned_ms = 0;
  for (const scan::PhaseTiming& p : outcome.previous.timings) {
    timings->push_back({"previous: " + p.phase, p.ms});
    scanned_ms += p.ms;
  }
  const double total_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  timings->push_back({"previous: compare", std::max(0.0, total_ms - scanned_ms)});
  if (outcome.exit_code != kExitOk) return outcome.exit_code;
  result->evidence.previous = std::move(outcome.changes);
  result->items = rules::EvaluateAll(result->evidence, scanner.kb());
  inputs->push_back(
      {"previous_apk", flags.previous.previous_apk, outcome.previous.evidence.app.apk_sha256});
  if (!flags.previous.previous_policy.empty()) {
    inputs->push_back(DescribeInput("previous_policy", flags.previous.previous_policy));
  }
  return kExitOk;
}

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// `prebuilt`: a scanner already loaded (a batch child forked from its worker); null: load one.
int RunScan(const ScanFlags& flags, const scan::Scanner* prebuilt) {
  ReportGate gate;
  if (int rc = PrepareReportGate("scan", flags.report, &gate); rc != kExitOk) {
    return rc;
  }
  Limits limits;
  const Clock::time_point start = Clock::now();
  Result<std::unique_ptr<scan::Scanner>> loaded = std::unique_ptr<scan::Scanner>();
  if (prebuilt == nullptr) {
    loaded = scan::Scanner::Create(
        flags.report.kb_dir.empty() ? DefaultKbDir() : flags.report.kb_dir, limits);
    if (!loaded.ok()) {
      std::fprintf(stderr, "piaudit scan: knowledge base: %s\n",
                   loaded.status().ToString().c_str());
      return kExitBadInput;
    }
  }
  const scan::Scanner* scanner = prebuilt ? prebuilt : loaded->get();
  scan::ScanRequest request;
  request.apk_path = flags.apk;
  request.policy_file = flags.policy;
  request.policy_url = flags.policy_url;
  request.app_type = flags.app_type;
  request.fetch_found_policy_url = flags.fetch_found_url;
  request.trace_files = runtime::ExpandTracePaths(flags.traces);
  request.trace_clock_offset_ms = flags.trace_clock_offset_ms;
  if (!request.app_type.empty() && scanner->kb().FindAppType(request.app_type) == nullptr) {
    std::fprintf(stderr, "piaudit scan: unknown --app-type '%s' (see piaudit kb show type ...)\n",
                 request.app_type.c_str());
    return kExitUsage;
  }
  const double kb_ms = MsSince(start);
  // One thread: everything on this one (a batch running one scan per core); more: a pool beside.
  std::optional<ThreadPool> pool;
  InlineExecutor inline_executor;
  if (flags.threads > 1) {
    request.executor = &pool.emplace(static_cast<size_t>(flags.threads - 1));
  } else {
    request.executor = &inline_executor;
  }
  std::optional<StopCondition> deadline;
  if (flags.timeout_seconds > 0) {
    deadline.emplace(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(flags.timeout_seconds)));
    request.stop = &*deadline;
  }
  // Long work shows where it is on a terminal (a store-size APK takes seconds); pipes, logs and
  // CI get nothing extra. One line, rewritten in place, cleared before the summary.
  const bool progress = !flags.timings && isatty(fileno(stderr));
  if (progress) {
    std::fprintf(stderr, "piaudit scan: %s: reading...", flags.apk.c_str());
    request.on_phase = [&](const std::string& phase, double ms) {
      std::fprintf(stderr, "\r\033[Kpiaudit scan: %s: %s done (%.1f s)...", flags.apk.c_str(),
                   phase.c_str(), ms / 1000.0);
    };
  }
  scan::ScanResult result = scanner->Scan(request);
  if (progress) std::fprintf(stderr, "\r\033[K");
  if (!result.status.ok()) {
    std::fprintf(stderr, "piaudit scan: %s: %s (--timeout %g s); no report written\n",
                 flags.apk.c_str(), result.status.ToString().c_str(), flags.timeout_seconds);
    return kExitStopped;
  }
  // An input the user named that cannot be read is an error, not a judgement: no verdicts are
  // written for an APK that is not one, nor as if a --policy that cannot be read were absent.
  if (!result.apk_status.ok()) {
    std::fprintf(stderr, "piaudit scan: %s\n", result.apk_status.ToString().c_str());
    return kExitBadInput;
  }
  if (!result.policy_status.ok() && (!flags.policy.empty() || !flags.policy_url.empty())) {
    std::fprintf(stderr, "piaudit scan: policy: %s\n", result.policy_status.ToString().c_str());
    return kExitBadInput;
  }
  std::vector<report::InputFile> previous_inputs;
  std::vector<scan::PhaseTiming> previous_timings;
  const int previous_rc = JudgeAgainstPrevious(*scanner, flags, request.stop, &result,
                                               &previous_inputs, &previous_timings);
  if (flags.timings && previous_rc != kExitOk) {
    for (const scan::PhaseTiming& p : previous_timings) {
      std::fprintf(stderr, "timing: %-28s %8.1f ms\n", p.phase.c_str(), p.ms);
    }
  }
  if (previous_rc != kExitOk) return previous_rc;
  const Clock::time_point reports_start = Clock::now();

  const std::string generated_at = GeneratedAt();
  const std::string today = generated_at.substr(0, 10);
  report::ReportInput in;
  in.baseline = gate.baseline.Apply(result.items, today);
  in.evidence = &result.evidence;
  in.items = result.items;
  in.kb = &scanner->kb();
  in.tool_version = kToolVersion;
  in.kb_version = scanner->kb().version().version;
  in.generated_at = generated_at;
  in.lang = gate.lang;
  // The scan hashed the APK already (apk_sha256); hash it again only when it did not.
  if (result.evidence.app.apk_sha256.empty()) {
    in.inputs.push_back(DescribeInput("apk", flags.apk));
  } else {
    in.inputs.push_back({"apk", flags.apk, result.evidence.app.apk_sha256});
  }
  if (!flags.policy.empty()) in.inputs.push_back(DescribeInput("policy", flags.policy));
  for (const std::string& trace : request.trace_files) {
    in.inputs.push_back(DescribeInput("trace", trace));
  }
  if (!flags.report.baseline.empty()) {
    in.inputs.push_back(DescribeInput("baseline", flags.report.baseline));
  }
  in.inputs.insert(in.inputs.end(), previous_inputs.begin(), previous_inputs.end());
  Result<std::vector<std::string>> written =
      report::WriteReportFiles(flags.report.out_dir, gate.formats, in);
  PrintVerdictSummary(result.evidence, result.items,
                      written.ok() ? *written : std::vector<std::string>(), in.baseline, in.lang);
  if (flags.timings) {
    std::vector<scan::PhaseTiming> phases = {{"knowledge base", kb_ms}};
    phases.insert(phases.end(), result.timings.begin(), result.timings.end());
    phases.insert(phases.end(), previous_timings.begin(), previous_timings.end());
    phases.push_back({"reports", MsSince(reports_start)});
    for (const scan::PhaseTiming& p : phases) {
      std::fprintf(stderr, "timing: %-28s %8.1f ms\n", p.phase.c_str(), p.ms);
    }
    std::fprintf(stderr, "timing: %-28s %8.1f ms\n", "total", MsSince(start));
  }
  if (!written.ok()) {
    std::fprintf(stderr, "piaudit scan: %s\n", written.status().ToString().c_str());
    return kExitInternal;
  }
  if (int rc = gate.baseline.Write("scan", flags.report.write_baseline, result.items, today);
      rc != kExitOk) {
    return rc;
  }
  return ExitCodeForFindings(result.items, gate.fail_on);
}

// The scan command's options and its run, on `cli`; `prebuilt` as in RunScan.
void AddScanCommand(CLI::App& cli, int* exit_code, const scan::Scanner* prebuilt) {
  auto flags = std::make_shared<ScanFlags>();
  auto* cmd = cli.add_subcommand("scan", "judge all 31 items of the identification method");
  cmd->add_option("apk", flags->apk, "the APK to scan")->required();
  auto* policy = cmd->add_option("--policy", flags->policy, "privacy policy file (text/HTML/PDF)");
  cmd->add_option("--policy-url", flags->policy_url, "fetch the privacy policy from this URL")
      ->excludes(policy);
  cmd->add_option("--app-type", flags->app_type, "app type id (piaudit kb show type ...)");
  AddReportFlags(cmd,
                 "comma-separated: json, sarif, html, pdf (report.html printed by Chromium), "
                 "evidence (evidence.json for piaudit judge)",
                 &flags->report);
  cmd->add_option("--trace", flags->traces,
                  "a recording of the app running (piaudit.trace/1, HAR, pcap, logcat, MobSF, "
                  "Camille, uiautomator XML) or a directory of them; repeatable")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--trace-clock-offset-ms", flags->trace_clock_offset_ms,
                  "milliseconds added to every time in the recordings");
  cmd->add_flag("--fetch-found-url", flags->fetch_found_url,
                "fetch a policy URL found in the APK when it bundles no policy text");
  cmd->add_option("--timeout", flags->timeout_seconds,
                  "stop a scan that takes longer than this many seconds (exit 5, nothing written)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--threads", flags->threads,
                  "threads one scan uses (default 3; 1: all on one thread, as `piaudit batch` "
                  "runs one scan per core)")
      ->check(CLI::Range(1, 64));
  cmd->add_flag("--timings", flags->timings,
                "print the wall-clock time of each phase of the scan to standard error");
  auto* previous = cmd->add_option("--previous", flags->previous.previous_apk,
                                   "the version before this one: judge the update against it "
                                   "(IM-2.2, IM-3.5, IM-4.3) and report what changed");
  cmd->add_option("--previous-policy", flags->previous.previous_policy,
                  "the previous version's privacy policy (text/HTML/PDF)")
      ->needs(previous);
  cmd->add_option("--previous-trace", flags->previous.previous_traces,
                  "with --previous: a recording of the previous version (file or directory); "
                  "repeatable. With --trace, the permission states the user set are compared "
                  "(IM-3.5)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->needs(previous);
  cmd->add_flag("--force", flags->previous.force,
                "with --previous: compare even when the package or signing certificates differ")
      ->needs(previous);
  cmd->footer(std::string("Examples:\n  piaudit scan app.apk --policy privacy.html -o out/\n      "
                          "(report.json, report.sarif and a Chinese report.html in out/)\n  "
                          "piaudit scan app.apk --format html,pdf --lang en -o out/\n  piaudit "
                          "scan app.apk --format json,evidence --fail-on confirmed,IM-1.4=never\n  "
                          "piaudit scan app.apk --baseline accepted.yaml --timeout 300\n\n") +
              kExitCodesHelp);
  cmd->callback([flags, exit_code, prebuilt] { *exit_code = RunScan(*flags, prebuilt); });
}

}  // namespace

void RegisterScanCommand(CLI::App& cli, int* exit_code) { AddScanCommand(cli, exit_code, nullptr); }

int RunScanWithScanner(const scan::Scanner& scanner, const std::vector<std::string>& args) {
  CLI::App cli("piaudit");
  int exit_code = kExitOk;
  AddScanCommand(cli, &exit_code, &scanner);
  std::vector<std::string> reversed = {args.rbegin(), args.rend()};
  reversed.push_back("scan");
  try {
    cli.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  return exit_code;
}

}  // namespace piaudit::app
