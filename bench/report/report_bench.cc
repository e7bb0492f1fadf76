// Google Benchmark of the report renderers on real scan results: the evidence and item results of
// corpus APKs (scanned once at start-up, with and without a given policy text) rendered as
// report.json, report.sarif, report.html and the two disclose outputs. The counter MB_per_s is the
// rendered output size per second of CPU time, so a renderer's cost can be compared with the
// size of what it writes.
//
// Run: report_bench [--benchmark_filter=Sarif]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "report/disclose.h"
#include "report/html_report.h"
#include "report/report_input.h"
#include "report/report_json.h"
#include "report/sarif.h"
#include "scan/scanner.h"

namespace piaudit::report {
namespace {

constexpr char kPolicy[] = "/policies/capp130/CAPP_130_Corpus/Original_policies/QQ.txt";

struct ScannedApp {
  scan::ScanResult result;
  ReportInput input;
};

const scan::Scanner* SharedScanner() {
  static std::unique_ptr<scan::Scanner> scanner = [] {
    auto s = scan::Scanner::Create(PIAUDIT_DATA_DIR, Limits());
    if (!s.ok()) {
      std::fprintf(stderr, "knowledge base: %s\n", s.status().ToString().c_str());
      return std::unique_ptr<scan::Scanner>();
    }
    return std::move(*s);
  }();
  return scanner.get();
}

// Scans `apk` (under the corpus apks/ folder) once and keeps the result for every benchmark.
const ScannedApp* Scanned(const std::string& apk, bool with_policy) {
  static std::map<std::string, std::unique_ptr<ScannedApp>> cache;
  std::string key = apk + (with_policy ? "+policy" : "");
  auto it = cache.find(key);
  if (it != cache.end()) return it->second.get();
  const scan::Scanner* scanner = SharedScanner();
  std::string path = std::string(PIAUDIT_CORPUS_DIR) + "/apks/" + apk;
  if (scanner == nullptr || !std::filesystem::exists(path)) return nullptr;
  auto scanned = std::make_unique<ScannedApp>();
  scan::ScanRequest request;
  request.apk_path = path;
  if (with_policy) request.policy_file = std::string(PIAUDIT_CORPUS_DIR) + kPolicy;
  scanned->result = scanner->Scan(request);
  ReportInput& in = scanned->input;
  in.evidence = &scanned->result.evidence;
  in.items = scanned->result.items;
  in.kb = &scanner->kb();
  in.tool_version = "0.1.0";
  in.kb_version = scanner->kb().version().version;
  return cache.emplace(key, std::move(scanned)).first->second.get();
}

template <typename Render>
void RunRenderer(benchmark::State& state, const std::string& apk, bool with_policy, Render render) {
  const ScannedApp* scanned = Scanned(apk, with_policy);
  if (scanned == nullptr) {
    state.SkipWithError(("cannot scan " + apk).c_str());
    return;
  }
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out = render(*scanned);
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["out_KB"] = static_cast<double>(bytes) / 1024;
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
}

void BM_ReportJson(benchmark::State& state, const std::string& apk, bool with_policy) {
  RunRenderer(state, apk, with_policy,
              [](const ScannedApp& s) { return RenderReportJson(s.input); });
}
void BM_Sarif(benchmark::State& state, const std::string& apk, bool with_policy) {
  RunRenderer(state, apk, with_policy, [](const ScannedApp& s) { return RenderSarif(s.input); });
}
void BM_Html(benchmark::State& state, const std::string& apk, bool with_policy) {
  RunRenderer(state, apk, with_policy, [](const ScannedApp& s) { return RenderHtml(s.input); });
}
void BM_DiscloseJson(benchmark::State& state, const std::string& apk, bool with_policy) {
  RunRenderer(state, apk, with_policy, [](const ScannedApp& s) {
    return RenderDiscloseJson(s.result.evidence, s.input.kb);
  });
}
void BM_DiscloseHtml(benchmark::State& state, const std::string& apk, bool with_policy) {
  RunRenderer(state, apk, with_policy, [](const ScannedApp& s) {
    return RenderDiscloseHtml(s.result.evidence, s.input.kb);
  });
}

// instapaper.apk has the largest report of the corpus (1.6 MB of SARIF); cnzz-demo.apk a small one.
BENCHMARK_CAPTURE(BM_ReportJson, instapaper_policy, "instapaper.apk", true);
BENCHMARK_CAPTURE(BM_Sarif, instapaper_policy, "instapaper.apk", true);
BENCHMARK_CAPTURE(BM_Html, instapaper_policy, "instapaper.apk", true);
BENCHMARK_CAPTURE(BM_DiscloseJson, instapaper_policy, "instapaper.apk", true);
BENCHMARK_CAPTURE(BM_DiscloseHtml, instapaper_policy, "instapaper.apk", true);
BENCHMARK_CAPTURE(BM_ReportJson, instapaper, "instapaper.apk", false);
BENCHMARK_CAPTURE(BM_Sarif, instapaper, "instapaper.apk", false);
BENCHMARK_CAPTURE(BM_Html, instapaper, "instapaper.apk", false);
BENCHMARK_CAPTURE(BM_ReportJson, cnzz_demo, "cnzz-demo.apk", false);
BENCHMARK_CAPTURE(BM_Sarif, cnzz_demo, "cnzz-demo.apk", false);
BENCHMARK_CAPTURE(BM_Html, cnzz_demo, "cnzz-demo.apk", false);

}  // namespace
}  // namespace piaudit::report

BENCHMARK_MAIN();
