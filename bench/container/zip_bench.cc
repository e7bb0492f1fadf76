// Zip and signature costs on the shared corpus APKs: Open (central directory + local header
// checks), listing, reading every entry (inflation), and full signature verification (v1 with
// every entry digest, v2/v3 chunked digests). Run: build/bench/container/zip_bench.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/mapped_file.h"
#include "container/apk_signature.h"
#include "container/zip_archive.h"
#include "native/elf_facts.h"

namespace piaudit::container {
namespace {

std::vector<std::unique_ptr<MappedFile>>& CorpusFiles() {
  static auto* files = [] {
    auto* v = new std::vector<std::unique_ptr<MappedFile>>();
    std::vector<std::string> paths;
    std::error_code ec;
    for (const auto& e :
         std::filesystem::directory_iterator(std::string(PIAUDIT_CORPUS_DIR) + "/apks", ec)) {
      if (e.path().extension() == ".apk") paths.push_back(e.path().string());
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
      auto f = MappedFile::Open(p, Limits().max_archive_bytes);
      if (f.ok()) v->push_back(std::move(*f));
    }
    return v;
  }();
  return *files;
}

uint64_t CorpusBytes() {
  uint64_t n = 0;
  for (const auto& f : CorpusFiles()) n += f->bytes().size();
  return n;
}

void BM_OpenAndList(benchmark::State& state) {
  if (CorpusFiles().empty()) {
    state.SkipWithError("corpus not found");
    return;
  }
  for (auto _ : state) {
    size_t entries = 0;
    for (const auto& f : CorpusFiles()) {
      auto zip = ZipArchive::Open(f->bytes(), f->path(), Limits(), nullptr);
      if (zip.ok()) entries += zip->entries().size();
    }
    benchmark::DoNotOptimize(entries);
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_OpenAndList)->Unit(benchmark::kMillisecond);

void BM_ReadAllEntries(benchmark::State& state) {
  if (CorpusFiles().empty()) {
    state.SkipWithError("corpus not found");
    return;
  }
  uint64_t inflated = 0;
  for (auto _ : state) {
    inflated = 0;
    for (const auto& f : CorpusFiles()) {
      auto zip = ZipArchive::Open(f->bytes(), f->path(), Limits(), nullptr);
      if (!zip.ok()) continue;
      for (const auto& e : zip->entries()) {
        auto r = zip->Read(e);
        if (r.ok()) inflated += r->bytes().size();
      }
    }
  }
  state.SetBytesProcessed(state.iterations() * inflated);
  state.counters["inflated_MB"] = static_cast<double>(inflated) / (1 << 20);
}
BENCHMARK(BM_ReadAllEntries)->Unit(benchmark::kMillisecond);

void BM_VerifySignatures(benchmark::State& state) {
  if (CorpusFiles().empty()) {
    state.SkipWithError("corpus not found");
    return;
  }
  const bool v1_entries = state.range(0) != 0;
  for (auto _ : state) {
    int verified = 0;
    for (const auto& f : CorpusFiles()) {
      auto zip = ZipArchive::Open(f->bytes(), f->path(), Limits(), nullptr);
      if (!zip.ok()) continue;
      auto s = ReadApkSignatures(*zip, Limits(), nullptr, v1_entries);
      if (s.ok()) verified += s->v1.verified + s->v2.verified + s->v3.verified;
    }
    benchmark::DoNotOptimize(verified);
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_VerifySignatures)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_NativeLibraryFacts(benchmark::State& state) {
  std::vector<std::pair<std::unique_ptr<ZipArchive>, EntryData>> libs;
  for (const auto& f : CorpusFiles()) {
    auto zip = ZipArchive::Open(f->bytes(), f->path(), Limits(), nullptr);
    if (!zip.ok()) continue;
    auto owned = std::make_unique<ZipArchive>(std::move(*zip));
    for (const auto& e : owned->entries()) {
      if (e.name.size() > 3 && e.name.compare(e.name.size() - 3, 3, ".so") == 0) {
        auto r = owned->Read(e);
        if (r.ok()) libs.emplace_back(nullptr, *r);
      }
    }
    libs.emplace_back(std::move(owned), EntryData());
  }
  uint64_t bytes = 0;
  for (auto& [z, d] : libs) bytes += d.bytes().size();
  if (bytes == 0) {
    state.SkipWithError("no native libraries in the corpus");
    return;
  }
  for (auto _ : state) {
    for (auto& [z, d] : libs) {
      if (d.bytes().empty()) continue;
      auto facts = native::ReadElfFacts(d.bytes(), "lib.so", Limits(), nullptr);
      benchmark::DoNotOptimize(facts);
    }
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_NativeLibraryFacts)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace piaudit::container

BENCHMARK_MAIN();
