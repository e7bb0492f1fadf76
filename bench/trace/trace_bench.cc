// Recordings read and judged: piaudit.trace/1 JSONL read alone (MB/s per core), and a whole
// recording read into runtime facts (two passes, placed on the consent timeline, owners, rates).
// Goal (issue #18): 100 MB/s of JSONL per core; 1,000,000 events judged in a few seconds with
// memory that does not grow with the trace (bench/trace/trace_memory.sh measures the memory).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/diagnostics.h"
#include "knowledge/knowledge_base.h"
#include "runtime/recordings.h"
#include "trace/reader.h"
#include "trace/time.h"

namespace piaudit {
namespace {

// A realistic mix: hooked identifier reads from an SDK and the app, network requests, a consent in
// the middle, permission prompts, lifecycle changes.
std::string MakeTrace(int events) {
  std::string out =
      R"J({"type":"session","schema":"piaudit.trace/1","package":"com.example.app","version_code":1,)J"
      R"J("identifiers":{"imei":["861234567890123"],"android_id":"9774d56d682e549c"}})J"
      "\n";
  const int64_t start = *trace::ParseRfc3339Ms("2026-12-06T08:00:00Z");
  for (int i = 0; i < events; ++i) {
    std::string t = trace::FormatRfc3339Ms(start + int64_t{i} * 37);
    if (i == events / 2) {
      out += R"J({"t":")J" + t +
             R"J(","type":"consent","action":"accepted","via":"dialog"})J"
             "\n";
    } else if (i % 50 == 7) {
      out +=
          R"J({"t":")J" + t +
          R"J(","type":"network","method":"POST","url":"https://ulogs.umeng.com/unify_logs?x=)J" +
          std::to_string(i) +
          R"J(","host":"ulogs.umeng.com","headers":{"User-Agent":"okhttp/4.9","Content-Type":"application/json"},"body_b64":"eyJhIjoxLCJiIjoiaGVsbG8gd29ybGQifQ=="})J"
          "\n";
    } else if (i % 1000 == 3) {
      out += R"J({"t":")J" + t +
             R"J(","type":"lifecycle","event":"background"})J"
             "\n";
    } else {
      out +=
          R"J({"t":")J" + t +
          R"J(","type":"api","api":"android.telephony.TelephonyManager.getDeviceId","args":[],)J"
          R"J("result":"861234567890123","stack":["android.telephony.TelephonyManager.getDeviceId(TelephonyManager.java:1)",)J"
          R"J("com.umeng.commonsdk.statistics.common.DeviceConfig.getImei(Unknown Source)",)J"
          R"J("com.example.app.App.onCreate(App.java:20)","android.app.Instrumentation.callApplicationOnCreate(Instrumentation.java:1)"],)J"
          R"J("thread":"main","app_state":"foreground"})J"
          "\n";
    }
  }
  return out;
}

class CountingSink : public trace::EventSink {
 public:
  void OnEvent(const trace::Event& e) override { n += e.stack.size() + 1; }
  uint64_t n = 0;
};

void BM_JsonlRead(benchmark::State& state) {
  const std::string text = MakeTrace(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    CountingSink sink;
    trace::ReadStats stats;
    Status s = trace::ReadTrace(trace::TraceFormat::kPiauditJsonl, "bench.jsonl", ByteSpan(text),
                                {}, sink, &stats);
    benchmark::DoNotOptimize(sink.n);
    if (!s.ok() || stats.malformed) state.SkipWithError("read failed");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["events"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_JsonlRead)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_RecordingJudged(benchmark::State& state) {
  static knowledge::KnowledgeBase* kb = [] {
    auto loaded = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, nullptr);
    return loaded.ok() ? new knowledge::KnowledgeBase(std::move(loaded).value()) : nullptr;
  }();
  if (!kb) {
    state.SkipWithError("knowledge base did not load");
    return;
  }
  const std::string path =
      (std::filesystem::temp_directory_path() / "piaudit_trace_bench.jsonl").string();
  const std::string text = MakeTrace(static_cast<int>(state.range(0)));
  std::ofstream(path, std::ios::binary) << text;
  runtime::Attribution attribution;
  attribution.app_package = "com.example.app";
  attribution.framework_prefixes = kb->runtime_words().framework_frames.words;
  for (auto _ : state) {
    Diagnostics diags;
    evidence::RuntimeFacts facts =
        runtime::ReadRecordings(std::vector<std::string>{path}, *kb, attribution, {}, diags);
    benchmark::DoNotOptimize(facts.api_events);
    if (facts.api_calls.empty()) state.SkipWithError("no calls read");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  std::filesystem::remove(path);
}
BENCHMARK(BM_RecordingJudged)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace piaudit
BENCHMARK_MAIN();
