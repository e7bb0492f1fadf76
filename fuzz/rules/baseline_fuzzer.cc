// libFuzzer target for the baseline reader (src/rules/baseline.cc): raw bytes as an untrusted
// piaudit.baseline/1 file given to `scan --baseline`. It must return a value or an error naming
// the file, never throw (yaml-cpp throws on malformed YAML) or crash; an accepted baseline is then
// applied to a small set of findings and rendered back, which must not crash either.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "rules/baseline.h"
#include "rules/verdict.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;  // NOLINT
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<rules::Baseline> baseline = rules::ParseBaseline(text, "fuzz.yaml");
  if (!baseline.ok()) return 0;
  std::vector<rules::ItemResult> items(1);
  items[0].id = "IM-3.1";
  rules::Finding finding;
  finding.item_id = "IM-3.1";
  finding.verdict = rules::Verdict::kViolation;
  finding.strength = rules::Strength::kLikely;
  items[0].findings.push_back(finding);
  (void)rules::ApplyBaseline(*baseline, "2026-12-06", items);
  (void)rules::RenderBaselineYaml(items, "2026-12-06");
  return 0;
}
