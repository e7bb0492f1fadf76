// libFuzzer target: raw bytes as a HTML policy (gumbo walk, depth guard, tag-stripping fallback,
// tables) then the text pipeline. The analyzer is built once from the bundled data without the
// knowledge base.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "policy/policy_analyzer.h"

using piaudit::ByteSpan;
using piaudit::Limits;
using piaudit::policy::PolicyAnalyzer;
using piaudit::policy::PolicyFormatHint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static PolicyAnalyzer* analyzer = [] {
    auto a = PolicyAnalyzer::CreateWithoutKnowledge(PIAUDIT_DATA_DIR);
    if (!a.ok()) std::abort();
    return std::move(a).value().release();
  }();
  Limits limits;
  limits.max_policy_bytes = 1 << 20;  // the fuzzer caps its own work
  auto r = analyzer->Analyze(ByteSpan(data, size), PolicyFormatHint::kHtml, limits);
  (void)r;
  return 0;
}
