#include "app/verdict_summary.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "app/commands.h"
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

}  // namespace

void PrintVerdictSummary(const evidence::AppEvidence& e, std::span<const rules::ItemResult> items,
                         const std::vector<std::string>& written) {
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
    std::printf("  %-7s %-22s %2zu  %s\n", item.id.c_str(), VerdictCell(item).c_str(),
                item.findings.size(), Clip(item.title_en, 60).c_str());
  }
  rules::VerdictCounts c = rules::CountVerdicts(items);
  std::printf(
      "\nviolations: %d confirmed, %d likely; compliant %d; needs-dynamic %d; "
      "needs-manual %d; not-applicable %d\n",
      c.violation_confirmed, c.violation_likely, c.compliant, c.needs_dynamic, c.needs_manual,
      c.not_applicable);
  for (const std::string& path : written) std::printf("report: %s\n", path.c_str());
}

int ExitCodeForFindings(std::span<const rules::ItemResult> items, const std::string& fail_on) {
  const rules::VerdictCounts c = rules::CountVerdicts(items);
  if (fail_on == "confirmed" && c.violation_confirmed > 0) return kExitFindings;
  if (fail_on == "likely" && c.violation_confirmed + c.violation_likely > 0) return kExitFindings;
  return kExitOk;
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
