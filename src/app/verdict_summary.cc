#include "app/verdict_summary.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "app/commands.h"
#include "base/limits.h"
#include "base/mapped_file.h"
#include "report/pdf_report.h"
#include "report/write_reports.h"
#include "rules/evaluate.h"

namespace piaudit::app {
namespace {

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

std::optional<FailLevel> ParseFailLevel(std::string_view s) {
  if (s == "confirmed") return FailLevel::kConfirmed;
  if (s == "likely") return FailLevel::kLikely;
  if (s == "never") return FailLevel::kNever;
  return std::nullopt;
}

bool Fails(const rules::Finding& f, FailLevel level) {
  if (f.verdict != rules::Verdict::kViolation || f.suppression) return false;
  switch (level) {
    case FailLevel::kConfirmed:
      return f.strength == rules::Strength::kConfirmed;
    case FailLevel::kLikely:
      return f.strength == rules::Strength::kConfirmed || f.strength == rules::Strength::kLikely;
    case FailLevel::kNever:
      return false;
  }
  return false;
}

void PrintEntry(const char* state, const rules::BaselineEntry& e) {
  std::printf("  %s: line %d: %s%s\n", state, e.line, e.id.c_str(),
              e.item.empty()
                  ? ""
                  : fmt::format(" ({}|{}|{})", e.item, e.owner.empty() ? "app" : e.owner, e.subject)
                        .c_str());
}

}  // namespace

void PrintVerdictSummary(const evidence::AppEvidence& e, std::span<const rules::ItemResult> items,
                         const std::vector<std::string>& written,
                         const rules::BaselineOutcome* baseline, knowledge::Lang lang) {
  const bool zh = lang == knowledge::Lang::kZh;
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
  for (const rules::ItemResult& item : items) {
    const auto suppressed = std::count_if(item.findings.begin(), item.findings.end(),
                                          [](const rules::Finding& f) { return f.suppression; });
    std::printf(
        "  %-7s %-22s %2zu  %s%s\n", item.id.c_str(), VerdictCell(item).c_str(),
        item.findings.size(),
        // A Chinese character takes two columns of a terminal.
        (zh && !item.title_zh.empty() ? Clip(item.title_zh, 32) : Clip(item.title_en, 60)).c_str(),
        suppressed > 0 ? fmt::format(" [{} suppressed]", suppressed).c_str() : "");
  }
  rules::VerdictCounts c = rules::CountVerdicts(items);
  std::printf(
      "\nviolations: %d confirmed, %d likely; compliant %d; needs-dynamic %d; "
      "needs-manual %d; not-applicable %d\n",
      c.violation_confirmed, c.violation_likely, c.compliant, c.needs_dynamic, c.needs_manual,
      c.not_applicable);
  if (baseline != nullptr) {
    std::printf("baseline %s: %d findings suppressed, %zu stale entries, %zu expired entries\n",
                baseline->file.c_str(), baseline->suppressed, baseline->stale.size(),
                baseline->expired.size());
    for (const rules::BaselineEntry& entry : baseline->stale) PrintEntry("stale", entry);
    for (const rules::BaselineEntry& entry : baseline->expired) PrintEntry("expired", entry);
  }
  for (const std::string& path : written) std::printf("report: %s\n", path.c_str());
}

Result<FailOn> ParseFailOn(std::string_view spec) {
  FailOn out;
  bool first = true;
  for (bool more = true; more;) {
    const size_t comma = spec.find(',');
    const std::string_view part = spec.substr(0, comma);
    more = comma != std::string_view::npos;  // "likely," has an empty last part: refused
    spec = more ? spec.substr(comma + 1) : std::string_view();
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      // The level for all items comes first, once.
      std::optional<FailLevel> level = ParseFailLevel(part);
      if (!first || !level) {
        return InvalidInput("--fail-on: '" + std::string(part) +
                            "' is not confirmed, likely, never or ITEM=LEVEL" +
                            (first ? "" : " (the level for all items comes first)"));
      }
      out.all = *level;
    } else {
      const std::string_view item = part.substr(0, eq);
      const auto ids = rules::ItemIds();
      if (std::find(ids.begin(), ids.end(), item) == ids.end()) {
        return InvalidInput("--fail-on: unknown item '" + std::string(item) +
                            "' (IM-1.1 ... IM-6.5)");
      }
      std::optional<FailLevel> level = ParseFailLevel(part.substr(eq + 1));
      if (!level) {
        return InvalidInput("--fail-on: " + std::string(item) + "='" +
                            std::string(part.substr(eq + 1)) +
                            "' is not confirmed, likely or never");
      }
      if (!out.items.emplace(std::string(item), *level).second) {
        return InvalidInput("--fail-on: " + std::string(item) + " is given twice");
      }
    }
    first = false;
  }
  return out;
}

int ExitCodeForFindings(std::span<const rules::ItemResult> items, const FailOn& fail_on) {
  for (const rules::ItemResult& item : items) {
    auto it = fail_on.items.find(item.id);
    const FailLevel level = it == fail_on.items.end() ? fail_on.all : it->second;
    for (const rules::Finding& f : item.findings) {
      if (Fails(f, level)) return kExitFindings;
    }
  }
  return kExitOk;
}

int BaselineStep::Load(const char* command, const std::string& path) {
  if (path.empty()) return kExitOk;
  Result<rules::Baseline> b = rules::ReadBaseline(path, Limits());
  if (!b.ok()) {
    std::fprintf(stderr, "piaudit %s: baseline: %s\n", command, b.status().ToString().c_str());
    return kExitBadInput;
  }
  baseline_ = std::move(*b);
  return kExitOk;
}

const rules::BaselineOutcome* BaselineStep::Apply(std::span<rules::ItemResult> items,
                                                  std::string_view today) {
  if (!baseline_) return nullptr;
  outcome_ = rules::ApplyBaseline(*baseline_, today, items);
  return &*outcome_;
}

int BaselineStep::Write(const char* command, const std::string& path,
                        std::span<const rules::ItemResult> items, std::string_view today) const {
  if (path.empty()) return kExitOk;
  Status s = report::WriteTextFile(path, rules::RenderBaselineYaml(items, today));
  if (!s.ok()) {
    std::fprintf(stderr, "piaudit %s: --write-baseline: %s\n", command, s.ToString().c_str());
    return kExitInternal;
  }
  std::printf("baseline written: %s (replace each TODO with a reason before using it)\n",
              path.c_str());
  return kExitOk;
}

void AddReportFlags(CLI::App* cmd, const char* format_help, ReportFlags* flags) {
  cmd->add_option("-o,--out", flags->out_dir, "directory for the reports")->capture_default_str();
  cmd->add_option("--format", flags->formats, format_help)->capture_default_str();
  cmd->add_option("--fail-on", flags->fail_on, kFailOnHelp)->capture_default_str();
  cmd->add_option("--baseline", flags->baseline,
                  "accepted findings (piaudit.baseline/1, docs/baseline.md): reported as "
                  "suppressed, not counted for --fail-on");
  cmd->add_option("--write-baseline", flags->write_baseline,
                  "write every open finding to this baseline file, with TODO reasons to fill in");
  cmd->add_option("--kb", flags->kb_dir, "knowledge-base directory (default: bundled data/)");
  cmd->add_option("--lang", flags->lang,
                  "language of report.html and report.pdf: zh (Simplified Chinese) or en; "
                  "report.json always carries both")
      ->capture_default_str();
}

report::InputFile DescribeInput(std::string role, const std::string& path) {
  report::InputFile f;
  f.role = std::move(role);
  f.path = path;
  // The inputs were read already under their own limits; the archive limit bounds them all.
  auto m = MappedFile::Open(path, Limits().max_archive_bytes);
  if (!m.ok()) return f;
  // Hashed in stretches whose pages are dropped behind it, so a multi-GB input (a recording)
  // costs a few MiB of memory, not its size.
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  const ByteSpan bytes = (*m)->bytes();
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return f;
  constexpr size_t kStretch = 8u << 20;
  for (size_t pos = 0; pos < bytes.size(); pos += kStretch) {
    const ByteSpan part(bytes.data() + pos, std::min(kStretch, bytes.size() - pos));
    EVP_DigestUpdate(ctx.get(), part.data(), part.size());
    (*m)->Release(part);
  }
  if (EVP_DigestFinal_ex(ctx.get(), digest, &digest_size) != 1) return f;
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < digest_size; ++i) {
    const unsigned char b = digest[i];
    f.sha256.push_back(kHex[b >> 4]);
    f.sha256.push_back(kHex[b & 0xf]);
  }
  return f;
}

int PrepareReportGate(const char* command, const ReportFlags& flags, ReportGate* out) {
  Result<std::set<std::string>> parsed_formats =
      report::ParseReportFormats(flags.formats, report::kAllReportFormats);
  if (!parsed_formats.ok()) {
    std::fprintf(stderr, "piaudit %s: %s\n", command,
                 std::string(parsed_formats.status().message()).c_str());
    return kExitUsage;
  }
  Result<FailOn> parsed_fail_on = ParseFailOn(flags.fail_on);
  if (!parsed_fail_on.ok()) {
    std::fprintf(stderr, "piaudit %s: %s\n", command,
                 std::string(parsed_fail_on.status().message()).c_str());
    return kExitUsage;
  }
  std::optional<knowledge::Lang> lang = knowledge::ParseLang(flags.lang);
  if (!lang) {
    std::fprintf(stderr, "piaudit %s: unknown --lang '%s' (zh or en)\n", command,
                 flags.lang.c_str());
    return kExitUsage;
  }
  out->lang = *lang;
  // Checked before the work, so a scan does not run for minutes and then fail to print.
  if (parsed_formats->count("pdf")) {
    if (Status s = report::CheckPdfPrinter(); !s.ok()) {
      std::fprintf(stderr, "piaudit %s: %s\n", command, std::string(s.message()).c_str());
      return kExitUsage;
    }
  }
  out->formats = std::move(parsed_formats).value();
  out->fail_on = std::move(parsed_fail_on).value();
  return out->baseline.Load(command, flags.baseline);
}

std::string GeneratedAt() {
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    char* end = nullptr;
    const long long v = std::strtoll(epoch, &end, 10);
    if (end != nullptr && *end == '\0' && v >= 0) t = static_cast<std::time_t>(v);
  }
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace piaudit::app
