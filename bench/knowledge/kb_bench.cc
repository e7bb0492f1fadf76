// Knowledge-base speed: load time of the bundled tree, class-name -> SDK prefix lookups over a
// million class names (a large app has ~100k classes; a batch scans many apps), and lexicon
// matching throughput over privacy-policy-like text and over the CAPP-130 policies (with the
// knowledge-base lexicon alone, and with the policy analyser's automaton: its cues and the
// knowledge-base terms in one).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "base/mapped_file.h"
#include "knowledge/knowledge_base.h"
#include "policy/policy_lexicons.h"
#include "policy/text_decoder.h"

namespace piaudit::knowledge {
namespace {

const KnowledgeBase& Kb() {
  static const KnowledgeBase* kb = [] {
    auto r = KnowledgeBase::Load(PIAUDIT_DATA_DIR, nullptr);
    if (!r.ok()) {
      std::fprintf(stderr, "cannot load %s: %s\n", PIAUDIT_DATA_DIR, r.status().ToString().c_str());
      std::abort();
    }
    return new KnowledgeBase(std::move(r).value());
  }();
  return *kb;
}

// A million class names shaped like a real app: ~70% framework/library classes (android.*,
// androidx.*, kotlin.*, okhttp, the app's own package, obfuscated a.b.c), ~30% under SDK
// prefixes, with nested and inner classes.
std::vector<std::string> ClassNames(bool descriptor_form) {
  std::vector<std::string> prefixes;
  for (const SdkKeyOwners& o : Kb().sdk_prefixes()) prefixes.push_back(o.key);
  const char* other[] = {"android.support.v4.app",  "androidx.appcompat.widget",
                         "kotlin.collections",      "okhttp3.internal.http",
                         "com.example.shop.ui",     "a.b",
                         "com.google.gson",         "io.reactivex.internal.operators",
                         "org.apache.commons.lang3"};
  std::mt19937 rng(42);
  std::vector<std::string> out;
  out.reserve(1'000'000);
  for (int i = 0; i < 1'000'000; ++i) {
    std::string name;
    if (rng() % 10 < 3) {
      name = prefixes[rng() % prefixes.size()];
    } else {
      name = other[rng() % (sizeof other / sizeof other[0])];
    }
    name += ".sub" + std::to_string(rng() % 50) + ".Class" + std::to_string(rng() % 1000);
    if (rng() % 4 == 0) name += "$" + std::to_string(rng() % 5);
    if (descriptor_form) {
      for (char& c : name) {
        if (c == '.') c = '/';
      }
      name = "L" + name + ";";
    }
    out.push_back(std::move(name));
  }
  return out;
}

void BM_Load(benchmark::State& state) {
  for (auto _ : state) {
    auto kb = KnowledgeBase::Load(PIAUDIT_DATA_DIR, nullptr);
    if (!kb.ok()) state.SkipWithError("load failed");
    benchmark::DoNotOptimize(kb);
  }
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond);

void PrefixLookup(benchmark::State& state, bool descriptor_form) {
  const KnowledgeBase& kb = Kb();
  const std::vector<std::string> names = ClassNames(descriptor_form);
  size_t hits = 0;
  for (auto _ : state) {
    for (const std::string& n : names) hits += kb.MatchClassPrefix(n) != nullptr;
  }
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * names.size()));
  state.counters["hit_rate"] =
      static_cast<double>(hits) / static_cast<double>(state.iterations() * names.size());
}
void BM_PrefixLookupDotForm(benchmark::State& state) { PrefixLookup(state, false); }
void BM_PrefixLookupDescriptorForm(benchmark::State& state) { PrefixLookup(state, true); }
BENCHMARK(BM_PrefixLookupDotForm)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PrefixLookupDescriptorForm)->Unit(benchmark::kMillisecond);

void BM_ApiLookup(benchmark::State& state) {
  const KnowledgeBase& kb = Kb();
  std::vector<std::string> refs;
  for (const SensitiveApi& a : kb.apis()) refs.push_back(a.descriptor);
  for (int i = 0; i < 2000; ++i) {
    refs.push_back("Lcom/example/C" + std::to_string(i) + ";->m()V");
  }
  size_t hits = 0;
  for (auto _ : state) {
    for (const std::string& r : refs) hits += kb.FindApi(r) != nullptr;
  }
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * refs.size()));
}
BENCHMARK(BM_ApiLookup);

void BM_LexiconMatch(benchmark::State& state) {
  const KnowledgeBase& kb = Kb();
  const std::string paragraph =
      "为了向您提供推送服务，我们接入了极光推送SDK，该SDK会收集您的设备信息（包括IMEI、"
      "Android ID、OAID、MAC地址）、网络信息以及位置信息。我们还使用友盟+统计分析应用的使用"
      "情况。When you use the app we may collect your IP address, device model and operating "
      "system version for security purposes. 您可以通过设置页面撤回同意。";
  std::string text;
  while (text.size() < (1u << 20)) text += paragraph;
  std::vector<LexiconMatch> matches;
  for (auto _ : state) {
    matches.clear();
    kb.lexicon().FindAll(text, &matches);
    benchmark::DoNotOptimize(matches.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["matches"] = static_cast<double>(matches.size());
}
BENCHMARK(BM_LexiconMatch)->Unit(benchmark::kMillisecond);

// The CAPP-130 originals decoded (about 40 kB each, mostly Chinese), as
// bench/policy/policy_bench.cc loads them; empty when the corpus is absent.
const std::vector<std::string>& PolicyFiles() {
  static const std::vector<std::string>* files = [] {
    auto* out = new std::vector<std::string>;
    const std::string dir =
        PIAUDIT_CORPUS_DIR "/policies/capp130/CAPP_130_Corpus/Original_policies";
    if (!std::filesystem::exists(dir)) return out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      auto s = ReadFileToString(e.path().string(), 64 << 20);
      if (!s.ok()) continue;
      auto d = policy::DecodeText(ByteSpan(*s));
      if (d.ok()) out->push_back(d->utf8 + "\n");
    }
    return out;
  }();
  return *files;
}

// All of them concatenated (about 5.2 MB), as policy_bench analyses them.
const std::string& PolicyCorpus() {
  static const std::string* corpus = [] {
    auto* all = new std::string;
    for (const std::string& f : PolicyFiles()) *all += f;
    return all;
  }();
  return *corpus;
}

// Scans the corpus with a handler as light as a real one can be (it reads every field the
// analyser reads), so the figure is the automaton's.
void ScanCorpus(benchmark::State& state, const Lexicon& lexicon) {
  const std::string& text = PolicyCorpus();
  if (text.empty()) {
    state.SkipWithError("CAPP-130 corpus not found (../shared/corpus/policies/capp130)");
    return;
  }
  size_t matches = 0, sum = 0;
  for (auto _ : state) {
    matches = 0;
    lexicon.Scan(text, [&](const LexiconMatch& m) {
      ++matches;
      sum += m.begin + m.end + m.group + m.id.size() + m.term.size();
    });
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["matches"] = static_cast<double>(matches);
  state.counters["states"] = static_cast<double>(lexicon.state_count());
  state.counters["classes"] = static_cast<double>(lexicon.class_count());
  state.counters["table_bytes"] = static_cast<double>(lexicon.table_bytes());
}

void BM_LexiconScanCorpus(benchmark::State& state) { ScanCorpus(state, Kb().lexicon()); }
BENCHMARK(BM_LexiconScanCorpus)->Unit(benchmark::kMillisecond);

// The policy analyser's automaton: its cues and the knowledge-base terms.
const policy::PolicyLexicons& PolicyTerms() {
  static const policy::PolicyLexicons* lex = [] {
    auto r = policy::LoadPolicyLexicons(&Kb(), PIAUDIT_DATA_DIR);
    if (!r.ok()) {
      std::fprintf(stderr, "policy lexicons: %s\n", r.status().ToString().c_str());
      std::abort();
    }
    return new policy::PolicyLexicons(std::move(r).value());
  }();
  return *lex;
}

void BM_PolicyTermsScanCorpus(benchmark::State& state) { ScanCorpus(state, PolicyTerms().terms); }
BENCHMARK(BM_PolicyTermsScanCorpus)->Unit(benchmark::kMillisecond);

// The same automaton over each policy on its own (`piaudit policy FILE`: most are 10-80 kB).
void BM_PolicyTermsScanFiles(benchmark::State& state) {
  const std::vector<std::string>& files = PolicyFiles();
  if (files.empty()) {
    state.SkipWithError("CAPP-130 corpus not found (../shared/corpus/policies/capp130)");
    return;
  }
  const Lexicon& lexicon = PolicyTerms().terms;
  size_t bytes = 0, matches = 0, sum = 0;
  for (const std::string& f : files) bytes += f.size();
  for (auto _ : state) {
    matches = 0;
    for (const std::string& f : files) {
      lexicon.Scan(f, [&](const LexiconMatch& m) {
        ++matches;
        sum += m.begin + m.end + m.group + m.id.size() + m.term.size();
      });
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["matches"] = static_cast<double>(matches);
}
BENCHMARK(BM_PolicyTermsScanFiles)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace piaudit::knowledge

BENCHMARK_MAIN();
