// AnalyzeCode under a StopCondition and on a given Executor, on a generated app of ~20k methods
// (two dex files, one class defined twice): a deadline already past and a cancellation set from
// another thread in the middle of each parallel phase end the analysis with the stop status and
// leave nothing in the caller's diagnostics; the later phases (call graph, reachability, consent
// gate) give up on a stop too; and neither a stop that never fires nor the executor changes the
// result.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <initializer_list>
#include <mutex>
#include <sstream>
#include <string>

#include "analysis/android_framework.h"
#include "analysis/call_graph.h"
#include "analysis/class_hierarchy.h"
#include "analysis/code_model.h"
#include "analysis/consent_gate.h"
#include "analysis/method_scan.h"
#include "analysis/reachability.h"
#include "analysis_test_util.h"
#include "base/concurrency.h"
#include "base/stop.h"

namespace piaudit::analysis::test {
namespace {

using testing::DexBuilder;
using testing::kAccPublic;
using testing::kAccStatic;

constexpr int kClasses = 2560;       // more than one code-model unit (2048 classes)
constexpr int kStaticsPerClass = 7;  // + run() + <init>: ~23k methods, several scan units

std::string Cls(int k) { return "Lcom/gen/C" + std::to_string(k) + ";"; }
std::string Static(int k, int j) { return Cls(k) + "->m" + std::to_string(j) + "()V"; }

// Application.onCreate -> C0.m0 -> C0.m1 -> ... -> C0.m6 -> C1.m0 -> ...: one long static chain,
// every class also allocated and its run() called (through Base in every 256th class: CHA edges to
// every override, a few of which shorten the chain), and a sensitive call in every 16th class.
void BuildApp(BuiltApp* app) {
  DexBuilder b;
  auto& base = b.AddClass("Lcom/gen/Base;");
  base.AddConstructor("()V", 1).InvokeDirect("Ljava/lang/Object;-><init>()V", {0}).ReturnVoid();
  base.AddMethod("run", "()V", kAccPublic, 1).ReturnVoid();
  for (int k = 0; k < kClasses; ++k) {
    auto& c = b.AddClass(Cls(k), "Lcom/gen/Base;");
    c.AddConstructor("()V", 1).InvokeDirect("Lcom/gen/Base;-><init>()V", {0}).ReturnVoid();
    c.AddMethod("run", "()V", kAccPublic, 1).InvokeStatic(Static(k, 0), {}).ReturnVoid();
    for (int j = 0; j < kStaticsPerClass; ++j) {
      auto& m = c.AddMethod("m" + std::to_string(j), "()V", kAccPublic | kAccStatic, 2);
      if (j + 1 < kStaticsPerClass) {
        m.InvokeStatic(Static(k, j + 1), {});
      } else if (k + 1 < kClasses) {
        m.InvokeStatic(Static(k + 1, 0), {})
            .NewInstance(0, Cls(k + 1))
            .InvokeDirect(Cls(k + 1) + "-><init>()V", {0})
            .InvokeVirtual(k % 256 == 0 ? "Lcom/gen/Base;->run()V" : Cls(k + 1) + "->run()V", {0});
      }
      if (j == 3 && k % 16 == 0) {
        m.Const4(0, 0).InvokeVirtual(kGetDeviceId, {0}).MoveResultObject(1);
      }
      m.ReturnVoid();
    }
  }
  auto& application = b.AddClass("Lcom/gen/App;", "Landroid/app/Application;");
  application.AddConstructor("()V", 1)
      .InvokeDirect("Landroid/app/Application;-><init>()V", {0})
      .ReturnVoid();
  application.AddMethod("onCreate", "()V", kAccPublic, 1)
      .InvokeSuper("Landroid/app/Application;->onCreate()V", {0})
      .InvokeStatic(Static(0, 0), {})
      .ReturnVoid();
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", app));
  // classes2.dex defines C1 again: a duplicate_class diagnostic from the code model's merge.
  DexBuilder b2;
  b2.AddClass(Cls(1), "Lcom/gen/Base;").AddMethod("run", "()V", kAccPublic, 1).ReturnVoid();
  ASSERT_NO_FATAL_FAILURE(AddDex(b2, "classes2.dex", app));
}

AppComponents Components() {
  AppComponents c;
  c.package = "com.gen";
  c.application_class = "com.gen.App";
  return c;
}

// Everything AnalyzeCode reports, and the diagnostics, as text: two runs are the same when these
// are equal.
std::string Describe(const CodeAnalysis& a, const Diagnostics& d) {
  std::ostringstream o;
  for (const DexCounts& c : a.dex) {
    o << c.name << ' ' << c.class_defs << ' ' << c.classes << ' ' << c.classes_shadowed << ' '
      << c.methods_defined << ' ' << c.code_items << ' ' << c.instructions << ' ' << c.errors
      << '\n';
  }
  const CallGraphStats& g = a.call_graph;
  o << g.classes << ' ' << g.app_classes << ' ' << g.methods << ' ' << g.app_methods << ' '
    << g.edges << ' ' << g.invoke_edges << ' ' << g.cha_edges << ' ' << g.implicit_edges << ' '
    << g.lifecycle_edges << ' ' << g.clinit_edges << ' ' << g.partial << '\n';
  for (const EntryPoint& e : a.entry_points) o << e.method << ' ' << e.kind << e.startup << '\n';
  for (const std::string& m : a.startup_methods) o << m << '\n';
  o << a.startup_reachable_methods << ' ' << a.reachable_methods << '\n';
  for (const SensitiveCall& s : a.sensitive_calls) {
    o << s.api << ' ' << s.caller << ' ' << s.dex_pc << ' ' << s.file_offset << ' ' << s.reachable
      << s.startup_reachable << ' ' << BeforeConsentName(s.before_consent) << ' ' << s.reason
      << '\n'
      << ChainString(s) << '\n';
  }
  o << a.sensitive_calls_truncated << ' ' << a.consent_gate.found << ' ' << a.consent_gate.note
    << '\n';
  o << a.partial;
  for (const std::string& r : a.partial_reasons) o << ' ' << r;
  o << '\n';
  for (const Diagnostic& dg : d.items()) o << dg.ToString() << '\n';
  o << d.dropped() << '\n';
  return o.str();
}

class StopAnalysisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Built once per test binary (the dexdump check of ~23k methods takes a few seconds).
    if (app_ == nullptr) {
      app_ = new BuiltApp;
      ASSERT_NO_FATAL_FAILURE(BuildApp(app_));
    }
  }
  static Result<CodeAnalysis> Run(const AnalysisOptions& base, Diagnostics* diags) {
    AnalysisOptions o = base;
    return AnalyzeCode(app_->inputs, Components(), {}, TestKb(), TestCatalog(), Limits(), o, diags);
  }
  static BuiltApp* app_;
};
BuiltApp* StopAnalysisTest::app_ = nullptr;

// Sets the cancellation flag from a pool thread when the `at`-th task is submitted (every
// parallel phase of AnalyzeCode submits one helper with threads = 2), and waits until it is set,
// so the phase that submits it is the one the stop lands in.
class CancelAtSubmit final : public Executor {
 public:
  CancelAtSubmit(Executor& inner, int at, std::atomic<bool>* flag)
      : inner_(inner), at_(at), flag_(flag) {}
  void Submit(std::function<void()> task) override {
    if (++submits_ == at_) {
      std::mutex mu;
      std::condition_variable cv;
      bool set = false;
      inner_.Submit([&] {
        flag_->store(true);
        std::lock_guard<std::mutex> lock(mu);
        set = true;
        cv.notify_all();
      });
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return set; });
    }
    inner_.Submit(std::move(task));
  }
  size_t threads() const override { return inner_.threads(); }
  int submits() const { return submits_; }

 private:
  Executor& inner_;
  const int at_;
  std::atomic<bool>* flag_;
  int submits_ = 0;
};

TEST_F(StopAnalysisTest, NoStopAndAnyExecutorGiveTheSameResult) {
  AnalysisOptions o;
  Diagnostics plain_diags;
  Result<CodeAnalysis> plain = Run(o, &plain_diags);  // no executor, no stop: the old behaviour
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  const std::string want = Describe(*plain, plain_diags);
  EXPECT_GE(plain->sensitive_calls.size(), static_cast<size_t>(kClasses / 16));
  EXPECT_EQ(plain->dex[0].methods_defined, 2u + kClasses * (kStaticsPerClass + 2u) + 2u);
  EXPECT_EQ(plain->dex[1].classes_shadowed, 1u);
  EXPECT_GT(plain->call_graph.cha_edges, static_cast<uint64_t>(kClasses));

  std::atomic<bool> cancel{false};
  const StopCondition far(StopCondition::Clock::now() + std::chrono::hours(1), &cancel);
  ThreadPool pool(3);
  ThreadPool none(0);
  InlineExecutor inline_executor;
  for (Executor* e : std::initializer_list<Executor*>{&pool, &none, &inline_executor}) {
    for (uint32_t threads : {1u, 2u, 4u}) {
      AnalysisOptions w;
      w.executor = e;
      w.threads = threads;
      w.stop = &far;
      Diagnostics diags;
      Result<CodeAnalysis> watched = Run(w, &diags);
      ASSERT_TRUE(watched.ok()) << watched.status().ToString();
      EXPECT_EQ(Describe(*watched, diags), want) << "threads " << threads;
    }
  }
}

TEST_F(StopAnalysisTest, PastDeadlineReturnsDeadlineExceededAndLeavesNothing) {
  const StopCondition past(StopCondition::Clock::now() - std::chrono::seconds(1));
  ThreadPool pool(2);
  AnalysisOptions o;
  o.executor = &pool;
  o.stop = &past;
  Diagnostics diags;
  Result<CodeAnalysis> a = Run(o, &diags);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kDeadlineExceeded) << a.status().ToString();
  EXPECT_TRUE(diags.items().empty());
}

TEST_F(StopAnalysisTest, CancellationFromAnotherThreadStopsEachParallelPhase) {
  const std::pair<int, const char*> kPhases[] = {
      {1, "code model: class definitions"},
      {2, "code analysis: scan tables"},
      {3, "code analysis: method scan"},
  };
  ThreadPool pool(1);
  for (const auto& [at, phase] : kPhases) {
    std::atomic<bool> cancel{false};
    const StopCondition stop(&cancel);
    CancelAtSubmit executor(pool, at, &cancel);
    AnalysisOptions o;
    o.executor = &executor;
    o.threads = 2;
    o.stop = &stop;
    Diagnostics diags;
    Result<CodeAnalysis> a = Run(o, &diags);
    ASSERT_FALSE(a.ok()) << phase;
    EXPECT_EQ(a.status().code(), StatusCode::kCancelled);
    EXPECT_NE(a.status().message().find(std::string("during ") + phase), std::string_view::npos)
        << a.status().ToString();
    EXPECT_EQ(executor.submits(), at);  // nothing of the later phases ran
    // The duplicate_class warning of the code model's merge (before phases 2 and 3) stays inside.
    EXPECT_TRUE(diags.items().empty()) << diags.items()[0].ToString();
  }
}

// The serial phases after the scan, driven directly with a condition that has already fired.
TEST_F(StopAnalysisTest, CallGraphReachabilityAndConsentGateGiveUpOnAStop) {
  Result<AndroidFramework> fw =
      AndroidFramework::Load(std::string(PIAUDIT_DATA_DIR) + "/android_framework.yaml");
  ASSERT_TRUE(fw.ok()) << fw.status().ToString();
  InlineExecutor inline_executor;
  Result<CodeModel> model =
      BuildCodeModel(app_->inputs, Limits(), inline_executor, 1, nullptr, nullptr);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const ClassHierarchy h(*model, *fw);
  const ApiCatalog apis = TestCatalog();
  const ScanTables tables = BuildScanTables(h, apis, inline_executor, 1, nullptr);
  ScanFacts facts;
  ScanInput in{&h, &apis, &tables, nullptr, nullptr};
  for (uint32_t d = 0; d < model->dex().size(); ++d) {
    ScanMethods(in, d, 0, model->dex()[d].defined_methods.size(), &facts);
  }
  const CallGraph graph = BuildCallGraph(h, facts, Limits(), nullptr, nullptr);
  ASSERT_GT(graph.stats.edges, static_cast<uint64_t>(kClasses));

  const StopCondition past(StopCondition::Clock::now() - std::chrono::seconds(1));
  const CallGraph stopped_graph = BuildCallGraph(h, facts, Limits(), nullptr, nullptr, &past);
  EXPECT_EQ(stopped_graph.num_nodes(), 0u);
  EXPECT_EQ(stopped_graph.stats.edges, 0u);

  const uint32_t start = model->FindMethod("Lcom/gen/App;", "onCreate()V");
  ASSERT_NE(start, kNoId);
  BfsOptions bo;
  bo.max_depth = 1u << 20;
  const Reach all = Bfs(graph, {start}, bo);
  EXPECT_FALSE(all.stopped);
  EXPECT_GT(all.count, static_cast<uint32_t>(kClasses));
  bo.stop = &past;
  const Reach cut = Bfs(graph, {start}, bo);
  EXPECT_TRUE(cut.stopped);
  EXPECT_LT(cut.count, all.count);

  Result<CodeModel> stopped_model =
      BuildCodeModel(app_->inputs, Limits(), inline_executor, 1, &past, nullptr);
  ASSERT_FALSE(stopped_model.ok());
  EXPECT_EQ(stopped_model.status().code(), StatusCode::kDeadlineExceeded);

  // The consent gate: privacy text without an agree listener is reported with a note at the end;
  // a stopped search returns before reaching it.
  ResourceStrings res;
  res.strings.push_back({0x7f010001, "privacy", "请阅读隐私政策并同意用户协议"});
  const ConsentText consent(TestKb().consent_words());
  const GateAnalysis gate =
      FindConsentGate(h, graph, facts, res, consent, Limits{}.max_consent_handlers);
  EXPECT_FALSE(gate.report.note.empty());
  const GateAnalysis stopped_gate =
      FindConsentGate(h, graph, facts, res, consent, Limits{}.max_consent_handlers, &past);
  EXPECT_TRUE(stopped_gate.report.note.empty());
}

}  // namespace
}  // namespace piaudit::analysis::test
