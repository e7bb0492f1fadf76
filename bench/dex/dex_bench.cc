// Dex reader speed on the shared corpus: for each classes*.dex, Open alone, and Open + decode every
// instruction of every method (the scan's hot loop). Reports instructions/s and bytes/s.
// Dex files are extracted in memory with `unzip -p` (corpus APKs are not copied anywhere).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "base/diagnostics.h"
#include "dex/dex_file.h"
#include "dex/dex_walk.h"

namespace {

namespace fs = std::filesystem;
using namespace piaudit;       // NOLINT
using namespace piaudit::dex;  // NOLINT

std::string Run(const std::string& cmd) {
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
  std::string name;
  std::vector<uint8_t> bytes;
};

std::vector<DexBlob>& Blobs() {
  static std::vector<DexBlob> blobs;
  return blobs;
}

void LoadCorpus() {
  const fs::path apks = fs::path(PIAUDIT_CORPUS_DIR) / "apks";
  if (!fs::is_directory(apks)) return;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(apks)) {
    if (e.path().extension() == ".apk") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& apk : files) {
    std::string list = Run("unzip -Z1 '" + apk.string() + "' 2>/dev/null");
    size_t pos = 0;
    while (pos < list.size()) {
      size_t end = list.find('\n', pos);
      if (end == std::string::npos) end = list.size();
      std::string entry = list.substr(pos, end - pos);
      pos = end + 1;
      if (entry.rfind("classes", 0) != 0 || entry.size() < 5 ||
          entry.substr(entry.size() - 4) != ".dex" || entry.find('/') != std::string::npos) {
        continue;
      }
      std::string data = Run("unzip -p '" + apk.string() + "' '" + entry + "' 2>/dev/null");
      if (data.empty()) continue;
      Blobs().push_back(
          {apk.stem().string() + "/" + entry, std::vector<uint8_t>(data.begin(), data.end())});
    }
  }
}

void BM_Open(benchmark::State& state, const DexBlob* blob) {
  for (auto _ : state) {
    Result<DexFile> dex =
        DexFile::Open(ByteSpan(blob->bytes.data(), blob->bytes.size()), blob->name, Limits());
    benchmark::DoNotOptimize(dex.ok());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * blob->bytes.size()));
}

void BM_OpenAndWalk(benchmark::State& state, const DexBlob* blob) {
  uint64_t insns = 0;
  for (auto _ : state) {
    Result<DexFile> dex =
        DexFile::Open(ByteSpan(blob->bytes.data(), blob->bytes.size()), blob->name, Limits());
    if (!dex.ok()) {
      state.SkipWithError(dex.status().ToString().c_str());
      return;
    }
    Diagnostics diags;
    uint64_t invokes = 0;
    DexWalkStats stats = ForEachInstruction(
        *dex, &diags, [&](const MethodView&, const Instruction& i) { invokes += i.is_invoke(); });
    benchmark::DoNotOptimize(invokes);
    insns += stats.instructions;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * blob->bytes.size()));
  state.counters["insns_per_s"] =
      benchmark::Counter(static_cast<double>(insns), benchmark::Counter::kIsRate);
  state.counters["insns"] = static_cast<double>(insns / std::max<uint64_t>(1, state.iterations()));
}

}  // namespace

int main(int argc, char** argv) {
  LoadCorpus();
  for (const DexBlob& b : Blobs()) {
    benchmark::RegisterBenchmark(("BM_Open/" + b.name).c_str(), BM_Open, &b)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_OpenAndWalk/" + b.name).c_str(), BM_OpenAndWalk, &b)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  if (Blobs().empty()) fprintf(stderr, "corpus not found at %s\n", PIAUDIT_CORPUS_DIR);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
