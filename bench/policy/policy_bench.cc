// Throughput of the policy analyser on real policies: all CAPP-130 originals concatenated (about
// 5.2 MB of UTF-8, mostly Chinese) analysed as one document, with the bundled knowledge base.
// Reports bytes/second (Google Benchmark's bytes_per_second); the goal is >= 20 MB/s per core.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/cpu_features.h"
#include "base/diagnostics.h"
#include "base/mapped_file.h"
#include "knowledge/knowledge_base.h"
#include "policy/policy_analyzer.h"
#include "policy/segmenter.h"
#include "policy/sentence_classifier.h"
#include "policy/span_labeller.h"
#include "policy/text_decoder.h"

namespace {

// The CAPP-130 originals, each decoded to UTF-8 (empty when the corpus is absent).
std::vector<std::string> LoadPolicies() {
  std::vector<std::string> out;
  std::string dir = PIAUDIT_CORPUS_DIR "/policies/capp130/CAPP_130_Corpus/Original_policies";
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    auto s = piaudit::ReadFileToString(e.path().string(), 64 << 20);
    if (!s.ok()) continue;
    auto d = piaudit::policy::DecodeText(piaudit::ByteSpan(*s));
    if (d.ok()) out.push_back(std::move(d->utf8));
  }
  return out;
}

// All of them concatenated, one per line.
std::string LoadCorpus() {
  std::string all;
  for (const std::string& p : LoadPolicies()) all += p + "\n";
  return all;
}

void BM_AnalyzeCorpus(benchmark::State& state, bool with_kb) {
  static const std::string corpus = LoadCorpus();
  if (corpus.empty()) {
    state.SkipWithError("CAPP-130 corpus not found");
    return;
  }
  piaudit::Diagnostics diags;
  auto kb = piaudit::knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, &diags);
  auto analyzer = with_kb && kb.ok()
                      ? piaudit::policy::PolicyAnalyzer::Create(*kb, PIAUDIT_DATA_DIR)
                      : piaudit::policy::PolicyAnalyzer::CreateWithoutKnowledge(PIAUDIT_DATA_DIR);
  if (!analyzer.ok()) {
    state.SkipWithError("analyzer did not load");
    return;
  }
  for (auto _ : state) {
    auto r = (*analyzer)->Analyze(piaudit::ByteSpan(corpus),
                                  piaudit::policy::PolicyFormatHint::kText, piaudit::Limits());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * corpus.size());
}
BENCHMARK_CAPTURE(BM_AnalyzeCorpus, with_kb, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_AnalyzeCorpus, without_kb, false)->Unit(benchmark::kMillisecond);

// The same policies analysed one by one, as a batch worker or the service meets them (10-80 kB
// each): what a core does per second of store-scale work. Bytes are the policies' UTF-8 bytes.
void BM_AnalyzeEachPolicy(benchmark::State& state) {
  static const std::vector<std::string> policies = LoadPolicies();
  piaudit::Diagnostics diags;
  auto kb = piaudit::knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, &diags);
  if (policies.empty() || !kb.ok()) {
    state.SkipWithError("CAPP-130 corpus or knowledge base not found");
    return;
  }
  auto analyzer = piaudit::policy::PolicyAnalyzer::Create(*kb, PIAUDIT_DATA_DIR);
  if (!analyzer.ok()) {
    state.SkipWithError("analyzer did not load");
    return;
  }
  int64_t bytes = 0;
  for (const std::string& p : policies) bytes += static_cast<int64_t>(p.size());
  for (auto _ : state) {
    for (const std::string& p : policies) {
      auto r = (*analyzer)->Analyze(piaudit::ByteSpan(p), piaudit::policy::PolicyFormatHint::kText,
                                    piaudit::Limits());
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * bytes);
}
BENCHMARK(BM_AnalyzeEachPolicy)->Unit(benchmark::kMillisecond);

// The sentence classifier alone over the same corpus (segmented once, outside the loop), with the
// heading and previous-sentence context the analyser passes; bytes are the corpus' UTF-8 bytes.
void BM_ClassifySentences(benchmark::State& state) {
  static const std::string corpus = LoadCorpus();
  auto model =
      piaudit::policy::SentenceClassifier::Load(PIAUDIT_DATA_DIR "/policy/sentence_model.bin");
  if (corpus.empty() || !model.ok()) {
    state.SkipWithError("CAPP-130 corpus or model not found");
    return;
  }
  const std::u32string t = piaudit::policy::ToU32(corpus);
  std::vector<piaudit::policy::Sentence> sentences;
  std::vector<piaudit::policy::Section> sections;
  piaudit::policy::Segment(t, {}, {}, &sentences, &sections);
  piaudit::policy::SentenceClassifier::Scratch scratch;
  for (auto _ : state) {
    double total = 0;
    std::u32string_view heading, prev;
    for (const auto& s : sentences) {
      std::u32string_view cur =
          std::u32string_view(t).substr(s.range.start, s.range.end - s.range.start);
      auto d = model->ScoreExact(cur, heading, prev, &scratch);
      total += d[0];
      if (piaudit::policy::HeadingLevel(cur) > 0) heading = cur;
      prev = cur;
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * corpus.size());
}
BENCHMARK(BM_ClassifySentences)->Unit(benchmark::kMillisecond);

// The span labeller alone over the corpus' relevant sentences (text, sentences and marks from the
// analyser's training hook, outside the loop), with the vector decoder (`Label`, AVX2) and the
// portable one (`LabelReference`); bytes are the corpus' UTF-8 bytes.
void BM_LabelSpans(benchmark::State& state, bool vector_decoder) {
  static const std::string corpus = LoadCorpus();
  piaudit::Diagnostics diags;
  auto kb = piaudit::knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, &diags);
  auto labeller = piaudit::policy::SpanLabeller::Load(PIAUDIT_DATA_DIR "/policy/span_model.bin");
  if (corpus.empty() || !kb.ok() || !labeller.ok()) {
    state.SkipWithError("CAPP-130 corpus, knowledge base or span model not found");
    return;
  }
  if (vector_decoder && !piaudit::CpuHasAvx2()) {
    state.SkipWithError("this CPU has no AVX2");
    return;
  }
  auto analyzer = piaudit::policy::PolicyAnalyzer::Create(*kb, PIAUDIT_DATA_DIR);
  if (!analyzer.ok()) {
    state.SkipWithError("analyzer did not load");
    return;
  }
  auto in = (*analyzer)->SpanInputs(corpus, piaudit::Limits());
  if (!in.ok()) {
    state.SkipWithError("analyser failed");
    return;
  }
  piaudit::policy::SpanLabeller::Scratch scratch;
  std::vector<piaudit::policy::LabelledSpan> out;
  for (auto _ : state) {
    out.clear();
    for (const piaudit::policy::Sentence& s : in->sentences) {
      const uint8_t* marks = in->marks.data() + s.range.start;
      const size_t n = s.range.end - s.range.start;
      if (!piaudit::policy::SpanLabeller::Relevant(s.categories, marks, n)) continue;
      const std::u32string_view text = std::u32string_view(in->text).substr(s.range.start, n);
      if (vector_decoder)
        labeller->Label(text, marks, s.categories, &scratch, &out);
      else
        labeller->LabelReference(text, marks, s.categories, &scratch, &out);
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * corpus.size());
}
BENCHMARK_CAPTURE(BM_LabelSpans, vector, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LabelSpans, reference, false)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
