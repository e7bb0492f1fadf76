// Google Benchmark of AnalyzeCode (the whole code layer: model, scan, call graph, entry points,
// consent gate, verdicts) on the corpus APKs' dex files, largest first, and on synthetic apps
// made of the corpus's dex files together (growing prefixes of the union, up to every dex file
// of every corpus APK as one "largest app we can assemble"). The counter s_per_Minsn (wall
// seconds per million instructions scanned; real time because the analysis runs 2 threads)
// should stay flat as the input grows if the analysis is linear.
//
// Dex files are extracted with `unzip -p` at start-up (the corpus is read-only and never copied
// into the repository). Run: analysis_code_analysis_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "analysis/code_analysis.h"
#include "dex/dex_file.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::analysis {
namespace {

namespace fs = std::filesystem;

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

struct DexBlob {
  std::string apk;
  std::string name;
  std::string bytes;
};

struct Corpus {
  std::vector<std::unique_ptr<DexBlob>> blobs;  // stable addresses
  std::vector<std::unique_ptr<dex::DexFile>> files;
  std::unique_ptr<knowledge::KnowledgeBase> kb;
};

Corpus* LoadCorpus() {
  static Corpus* corpus = [] {
    auto* c = new Corpus;
    Diagnostics d;
    Result<knowledge::KnowledgeBase> kb = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, &d);
    if (!kb.ok()) {
      std::fprintf(stderr, "knowledge base: %s\n", kb.status().ToString().c_str());
      return c;
    }
    c->kb = std::make_unique<knowledge::KnowledgeBase>(std::move(*kb));
    const fs::path dir = fs::path(PIAUDIT_CORPUS_DIR) / "apks";
    if (!fs::exists(dir)) return c;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".apk") continue;
      const std::string apk = e.path().string();
      for (int i = 1; i < 100; ++i) {
        const std::string n = i == 1 ? "classes.dex" : "classes" + std::to_string(i) + ".dex";
        auto blob = std::make_unique<DexBlob>();
        blob->apk = e.path().filename().string();
        blob->name = n;
        blob->bytes = Shell("unzip -p '" + apk + "' " + n + " 2>/dev/null");
        if (blob->bytes.empty()) break;
        Result<dex::DexFile> f = dex::DexFile::Open(ByteSpan(blob->bytes), n, Limits());
        if (!f.ok()) continue;  // e.g. Invalid.apk
        c->files.push_back(std::make_unique<dex::DexFile>(std::move(*f)));
        c->blobs.push_back(std::move(blob));
      }
    }
    return c;
  }();
  return corpus;
}

void RunAnalysis(benchmark::State& state, std::vector<DexInput> inputs) {
  Corpus* c = LoadCorpus();
  if (!c->kb) {
    state.SkipWithError("knowledge base did not load");
    return;
  }
  AnalysisOptions o;
  uint64_t insns = 0, edges = 0, calls = 0;
  for (auto _ : state) {
    Diagnostics diags;
    Result<CodeAnalysis> a = AnalyzeCode(inputs, AppComponents(), {}, *c->kb, Limits(), o, &diags);
    if (!a.ok()) {
      state.SkipWithError(a.status().ToString().c_str());
      return;
    }
    insns = 0;
    for (const DexCounts& d : a->dex) insns += d.instructions;
    edges = a->call_graph.edges;
    calls = a->sensitive_calls.size();
    benchmark::DoNotOptimize(a->sensitive_calls.data());
  }
  state.counters["dex_files"] = static_cast<double>(inputs.size());
  state.counters["Minsn"] = static_cast<double>(insns) / 1e6;
  state.counters["edges"] = static_cast<double>(edges);
  state.counters["sensitive_calls"] = static_cast<double>(calls);
  state.counters["s_per_Minsn"] = benchmark::Counter(
      static_cast<double>(insns) / 1e6,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void RegisterAll() {
  Corpus* c = LoadCorpus();
  if (c->files.empty()) {
    std::fprintf(stderr, "no corpus dex files under %s/apks; nothing to benchmark\n",
                 PIAUDIT_CORPUS_DIR);
    return;
  }
  // Per APK, largest (sum of dex bytes) first.
  std::vector<std::pair<std::string, std::vector<size_t>>> apks;
  for (size_t i = 0; i < c->blobs.size(); ++i) {
    auto it = std::find_if(apks.begin(), apks.end(),
                           [&](const auto& a) { return a.first == c->blobs[i]->apk; });
    if (it == apks.end()) {
      apks.push_back({c->blobs[i]->apk, {}});
      it = apks.end() - 1;
    }
    it->second.push_back(i);
  }
  auto bytes_of = [&](const std::vector<size_t>& idx) {
    size_t n = 0;
    for (size_t i : idx) n += c->blobs[i]->bytes.size();
    return n;
  };
  std::sort(apks.begin(), apks.end(),
            [&](const auto& a, const auto& b) { return bytes_of(a.second) > bytes_of(b.second); });
  for (const auto& [apk, idx] : apks) {
    std::vector<DexInput> inputs;
    for (size_t i : idx) inputs.push_back({c->files[i].get()});
    benchmark::RegisterBenchmark(("AnalyzeCode/" + apk).c_str(),
                                 [inputs](benchmark::State& s) { RunAnalysis(s, inputs); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  // Synthetic apps: growing prefixes of every corpus dex file (largest APKs first), the last one
  // being all of them as one app. Class names repeat across APKs (support libraries): the first
  // definition wins as on a device, so shadowed copies are counted but not scanned.
  std::vector<DexInput> all;
  for (const auto& [apk, idx] : apks) {
    for (size_t i : idx) all.push_back({c->files[i].get()});
  }
  for (size_t parts : {size_t{1}, size_t{2}, size_t{4}}) {
    const size_t n = std::max<size_t>(1, all.size() * parts / 4);
    std::vector<DexInput> prefix(all.begin(), all.begin() + n);
    benchmark::RegisterBenchmark(("AnalyzeCode/synthetic_" + std::to_string(n) + "_dex").c_str(),
                                 [prefix](benchmark::State& s) { RunAnalysis(s, prefix); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
}

}  // namespace
}  // namespace piaudit::analysis

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  piaudit::analysis::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
