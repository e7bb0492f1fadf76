// Google Benchmark for the Android formats on the shared corpus: AndroidManifest.xml parse (and
// manifest model), resources.arsc load, and per-locale label resolution. Entries are inflated
// once up front so only our parsers are timed. Without the corpus every benchmark reports an
// error and exits.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "android/arsc.h"
#include "android/axml.h"
#include "android/manifest.h"
#include "base/mapped_file.h"
#include "container/zip_archive.h"

namespace {

using namespace piaudit;

struct Sample {
  std::string name;
  std::vector<uint8_t> manifest;
  std::vector<uint8_t> arsc;
};

const std::vector<Sample>& Samples() {
  static const std::vector<Sample>* samples = [] {
    auto* out = new std::vector<Sample>;
    std::filesystem::path dir = std::filesystem::path(PIAUDIT_CORPUS_DIR) / "apks";
    std::error_code ec;
    std::vector<std::filesystem::path> apks;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      if (e.path().extension() == ".apk") apks.push_back(e.path());
    }
    std::sort(apks.begin(), apks.end());
    Limits limits;
    for (const auto& p : apks) {
      auto file = MappedFile::Open(p.string(), limits.max_archive_bytes);
      if (!file.ok()) continue;
      Diagnostics d;
      auto zip = container::ZipArchive::Open((*file)->bytes(), p.string(), limits, &d);
      if (!zip.ok()) continue;
      Sample s;
      s.name = p.filename().string();
      auto copy = [&](const char* entry, std::vector<uint8_t>* to) {
        if (const container::ZipEntry* e = zip->Find(entry)) {
          auto data = zip->Read(*e);
          if (data.ok()) to->assign(data->bytes().begin(), data->bytes().end());
        }
      };
      copy("AndroidManifest.xml", &s.manifest);
      copy("resources.arsc", &s.arsc);
      if (!s.manifest.empty()) out->push_back(std::move(s));
    }
    return out;
  }();
  return *samples;
}

void BM_ParseManifests(benchmark::State& state) {
  if (Samples().empty()) {
    state.SkipWithError("corpus not found");
    return;
  }
  Limits limits;
  size_t bytes = 0;
  for (auto _ : state) {
    for (const Sample& s : Samples()) {
      Diagnostics d;
      auto doc = android::ParseAxml(ByteSpan(s.manifest.data(), s.manifest.size()), limits, &d);
      benchmark::DoNotOptimize(doc.ok());
      bytes += s.manifest.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["files"] = static_cast<double>(Samples().size());
}
BENCHMARK(BM_ParseManifests);

void BM_LoadArsc(benchmark::State& state) {
  Limits limits;
  size_t bytes = 0;
  for (auto _ : state) {
    for (const Sample& s : Samples()) {
      if (s.arsc.empty()) continue;
      Diagnostics d;
      auto t = android::ResourceTable::Parse(ByteSpan(s.arsc.data(), s.arsc.size()), limits, &d);
      benchmark::DoNotOptimize(t.ok());
      bytes += s.arsc.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_LoadArsc);

// Manifest model with every label resolved per locale: what `piaudit info` does after the zip.
void BM_ManifestModelWithLabels(benchmark::State& state) {
  Limits limits;
  struct Parsed {
    android::XmlDocument doc;
    std::optional<android::ResourceTable> table;
  };
  std::vector<Parsed> parsed;
  for (const Sample& s : Samples()) {
    Diagnostics d;
    auto doc = android::ParseAxml(ByteSpan(s.manifest.data(), s.manifest.size()), limits, &d);
    if (!doc.ok()) continue;
    Parsed p{std::move(doc).value(), std::nullopt};
    if (!s.arsc.empty()) {
      auto t = android::ResourceTable::Parse(ByteSpan(s.arsc.data(), s.arsc.size()), limits, &d);
      if (t.ok()) p.table = std::move(t).value();
    }
    parsed.push_back(std::move(p));
  }
  size_t labels = 0;
  for (auto _ : state) {
    for (const Parsed& p : parsed) {
      Diagnostics d;
      auto m = android::BuildManifest(p.doc, p.table ? &*p.table : nullptr, &d);
      if (m.ok()) labels += m->application.label.by_locale.size();
    }
  }
  state.counters["labels_per_iter"] =
      benchmark::Counter(static_cast<double>(labels), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_ManifestModelWithLabels);

}  // namespace

BENCHMARK_MAIN();
