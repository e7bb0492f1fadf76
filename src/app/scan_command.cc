// `piaudit scan APP.apk [--policy FILE | --policy-url URL] [--app-type TYPE_ID] [-o DIR]
//  [--format json,sarif,html] [--fail-on confirmed|likely|never] [--kb DIR]`
// Judges all 31 items, writes the reports, prints a one-screen summary and the report paths, and
// exits by --fail-on so CI can gate a release (see commands.h for the exit codes).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

#include "app/commands.h"
#include "app/kb_location.h"
#include "app/scan_pipeline.h"
#include "report/html_report.h"
#include "report/report_json.h"
#include "report/sarif.h"
#include "report/write_reports.h"
#include "rules/evaluate.h"

namespace piaudit::app {
namespace {

struct ScanFlags {
  std::string apk;
  std::string policy;
  std::string policy_url;
  std::string app_type;
  std::string out_dir = "piaudit-report";
  std::string formats = "json,sarif,html";
  std::string fail_on = "likely";
  std::string kb_dir;
  bool fetch_found_url = false;
  bool timings = false;
};

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::set<std::string> SplitFormats(const std::string& s) {
  std::set<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.insert(item);
  }
  return out;
}

// A short verdict cell: "VIOLATION (likely)", "compliant", "needs-dynamic".
std::string VerdictCell(const rules::ItemResult& r) {
  if (r.verdict == rules::Verdict::kViolation) {
    return fmt::format("VIOLATION ({})", rules::StrengthName(r.strength));
  }
  return std::string(rules::VerdictName(r.verdict));
}

// Truncates UTF-8 text to at most `max` code points, on a code-point boundary.
std::string Clip(const std::string& s, size_t max) {
  size_t cps = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80 && cps++ == max) {
      return s.substr(0, i) + "…";
    }
  }
  return s;
}

void PrintSummary(const ScanResult& r, const std::vector<std::string>& written) {
  const evidence::AppEvidence& e = r.evidence;
  std::printf("%s\n", fmt::format("piaudit scan: {} {} (versionCode {}), target SDK {}",
                                  e.app.package.empty() ? e.app.apk_file : e.app.package,
                                  e.app.version_name, e.app.version_code, e.app.target_sdk)
                          .c_str());
  std::printf("policy: %s%s%s\n", std::string(evidence::PolicySourceName(e.policy.source)).c_str(),
              e.policy.file.empty() ? "" : " ", e.policy.file.c_str());
  std::printf("app type: %s%s\n", e.app_type.id.empty() ? "unknown" : e.app_type.id.c_str(),
              e.app_type.given
                  ? " (given)"
                  : fmt::format(" (inferred, confidence {:.2f})", e.app_type.confidence).c_str());
  std::printf("sdks: %zu, sensitive calls: %zu%s\n\n", e.sdks.size(), e.sensitive_calls.size(),
              e.packer ? fmt::format(", PACKED by {}: code unknown", e.packer->name).c_str() : "");
  for (const rules::ItemResult& item : r.items) {
    std::printf("  %-7s %-22s %2zu  %s\n", item.id.c_str(), VerdictCell(item).c_str(),
                item.findings.size(), Clip(item.title_en, 60).c_str());
  }
  rules::VerdictCounts c = rules::CountVerdicts(r.items);
  std::printf(
      "\nviolations: %d confirmed, %d likely; compliant %d; needs-dynamic %d; "
      "needs-manual %d; not-applicable %d\n",
      c.violation_confirmed, c.violation_likely, c.compliant, c.needs_dynamic, c.needs_manual,
      c.not_applicable);
  for (const std::string& path : written) std::printf("report: %s\n", path.c_str());
}

int RunScan(const ScanFlags& flags) {
  std::set<std::string> formats = SplitFormats(flags.formats);
  for (const std::string& f : formats) {
    if (f != "json" && f != "sarif" && f != "html") {
      std::fprintf(stderr, "piaudit scan: unknown format '%s' (json, sarif, html)\n", f.c_str());
      return kExitUsage;
    }
  }
  Limits limits;
  const Clock::time_point start = Clock::now();
  auto scanner = Scanner::Create(flags.kb_dir.empty() ? DefaultKbDir() : flags.kb_dir, limits);
  if (!scanner.ok()) {
    std::fprintf(stderr, "piaudit scan: knowledge base: %s\n", scanner.status().ToString().c_str());
    return kExitBadInput;
  }
  ScanRequest request;
  request.apk_path = flags.apk;
  request.policy_file = flags.policy;
  request.policy_url = flags.policy_url;
  request.app_type = flags.app_type;
  request.fetch_found_policy_url = flags.fetch_found_url;
  if (!request.app_type.empty() && (*scanner)->kb().FindAppType(request.app_type) == nullptr) {
    std::fprintf(stderr, "piaudit scan: unknown --app-type '%s' (see piaudit kb show type ...)\n",
                 request.app_type.c_str());
    return kExitUsage;
  }
  const double kb_ms = MsSince(start);
  ScanResult result = (*scanner)->Scan(request);
  const Clock::time_point reports_start = Clock::now();

  report::ReportInput in;
  in.evidence = &result.evidence;
  in.items = result.items;
  in.kb = &(*scanner)->kb();
  in.tool_version = "0.1.0";
  in.kb_version = (*scanner)->kb().version().version;
  std::error_code ec;
  std::filesystem::create_directories(flags.out_dir, ec);
  std::vector<std::string> written;
  auto write = [&](const char* name, const std::string& content) -> bool {
    std::string path = (std::filesystem::path(flags.out_dir) / name).string();
    Status s = report::WriteTextFile(path, content);
    if (!s.ok()) {
      std::fprintf(stderr, "piaudit scan: %s\n", s.ToString().c_str());
      return false;
    }
    written.push_back(path);
    return true;
  };
  bool ok = true;
  if (formats.count("json")) ok &= write("report.json", report::RenderReportJson(in));
  if (formats.count("sarif")) ok &= write("report.sarif", report::RenderSarif(in));
  if (formats.count("html")) ok &= write("report.html", report::RenderHtml(in));
  PrintSummary(result, written);
  if (flags.timings) {
    std::vector<PhaseTiming> phases = {{"knowledge base", kb_ms}};
    phases.insert(phases.end(), result.timings.begin(), result.timings.end());
    phases.push_back({"reports", MsSince(reports_start)});
    for (const PhaseTiming& p : phases) {
      std::fprintf(stderr, "timing: %-28s %8.1f ms\n", p.phase.c_str(), p.ms);
    }
    std::fprintf(stderr, "timing: %-28s %8.1f ms\n", "total", MsSince(start));
  }
  if (!ok) return kExitInternal;
  if (!result.apk_status.ok()) {
    std::fprintf(stderr, "piaudit scan: %s\n", result.apk_status.ToString().c_str());
    return kExitBadInput;
  }
  rules::VerdictCounts c = rules::CountVerdicts(result.items);
  if (flags.fail_on == "confirmed" && c.violation_confirmed > 0) return kExitFindings;
  if (flags.fail_on == "likely" && c.violation_confirmed + c.violation_likely > 0)
    return kExitFindings;
  return kExitOk;
}

}  // namespace

void RegisterScanCommand(CLI::App& cli, int* exit_code) {
  auto flags = std::make_shared<ScanFlags>();
  auto* cmd = cli.add_subcommand("scan", "judge all 31 items of the identification method");
  cmd->add_option("apk", flags->apk, "the APK to scan")->required();
  auto* policy = cmd->add_option("--policy", flags->policy, "privacy policy file (text/HTML/PDF)");
  cmd->add_option("--policy-url", flags->policy_url, "fetch the privacy policy from this URL")
      ->excludes(policy);
  cmd->add_option("--app-type", flags->app_type, "app type id (piaudit kb show type ...)");
  cmd->add_option("-o,--out", flags->out_dir, "directory for the reports")->capture_default_str();
  cmd->add_option("--format", flags->formats, "comma-separated: json, sarif, html")
      ->capture_default_str();
  cmd->add_option("--fail-on", flags->fail_on, "exit 1 when violations of this strength exist")
      ->check(CLI::IsMember({"confirmed", "likely", "never"}))
      ->capture_default_str();
  cmd->add_option("--kb", flags->kb_dir, "knowledge-base directory (default: bundled data/)");
  cmd->add_flag("--fetch-found-url", flags->fetch_found_url,
                "fetch a policy URL found in the APK when it bundles no policy text");
  cmd->add_flag("--timings", flags->timings,
                "print the wall-clock time of each phase of the scan to standard error");
  cmd->callback([flags, exit_code] { *exit_code = RunScan(*flags); });
}

}  // namespace piaudit::app
