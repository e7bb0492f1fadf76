// Google Benchmark for the whole `piaudit info` pipeline in-process (ReadApkFacts + JSON), per
// corpus APK, without process start-up: compare with `aapt dump badging` per APK (see
// bench/info_vs_reference.sh for the whole-command comparison).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "apk/apk_facts.h"
#include "report/info_json.h"

namespace {

std::vector<std::string> CorpusApks() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(
           std::filesystem::path(PIAUDIT_CORPUS_DIR) / "apks", ec)) {
    if (e.path().extension() == ".apk") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void BM_InfoAllCorpus(benchmark::State& state) {
  const std::vector<std::string> apks = CorpusApks();
  if (apks.empty()) {
    state.SkipWithError("corpus not found");
    return;
  }
  piaudit::apk::ApkFactsOptions options;
  options.read_signatures = state.range(0) & 1;
  options.read_native_libs = state.range(0) & 2;
  for (auto _ : state) {
    for (const std::string& apk : apks) {
      auto facts = piaudit::apk::ReadApkFacts(apk, options);
      if (facts.ok()) benchmark::DoNotOptimize(piaudit::report::InfoToJson(*facts).dump().size());
    }
  }
  state.counters["apks"] = static_cast<double>(apks.size());
  state.counters["s_per_apk"] = benchmark::Counter(
      static_cast<double>(apks.size()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
// Arg bits: 1 = signatures, 2 = native libraries.
BENCHMARK(BM_InfoAllCorpus)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
