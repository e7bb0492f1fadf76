// One Scanner serves many scans: the evidence record round-trips to the same reports (what
// `piaudit judge` relies on), and 200 scans on 4 threads in one process give each APK the report
// of its single scan, with memory flat across the run.
#include <gtest/gtest.h>
#include <malloc.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "base/concurrency.h"
#include "base/stop.h"
#include "evidence/evidence_json.h"
#include "report/html_report.h"
#include "report/report_json.h"
#include "report/sarif.h"
#include "rules/evaluate.h"
#include "scan_fixture.h"

namespace piaudit::testing {
namespace {

struct Rendered {
  std::string json, sarif, html;
};

Rendered Render(const evidence::AppEvidence& e, std::span<const rules::ItemResult> items) {
  report::ReportInput in;
  in.evidence = &e;
  in.items = items;
  in.kb = &SharedScanner().kb();
  in.tool_version = "test";
  in.kb_version = SharedScanner().kb().version().version;
  return {report::RenderReportJson(in), report::RenderSarif(in), report::RenderHtml(in)};
}

// The readable corpus APKs (CertChain.apk has no manifest).
std::vector<std::string> ReadableCorpusApks() {
  std::vector<std::string> out;
  for (const std::string& apk : CorpusApks()) {
    scan::ScanRequest request;
    request.apk_path = apk;
    if (SharedScanner().Scan(request).apk_status.ok()) out.push_back(apk);
  }
  return out;
}

uint64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

void ExpectRoundTrip(const scan::ScanResult& r) {
  const std::string record = evidence::WriteEvidenceJson(r.evidence, {"test", "kb", ""});
  evidence::EvidenceRecordInfo info;
  Result<evidence::AppEvidence> back =
      evidence::ReadEvidenceJson(record, "evidence.json", Limits{}, &info);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == r.evidence);
  const std::vector<rules::ItemResult> items = rules::EvaluateAll(*back, SharedScanner().kb());
  const Rendered scanned = Render(r.evidence, r.items);
  const Rendered judged = Render(*back, items);
  EXPECT_EQ(judged.json, scanned.json);
  EXPECT_EQ(judged.sarif, scanned.sarif);
  EXPECT_EQ(judged.html, scanned.html);
}

Result<std::string> StartupApp() {
  DexBuilder dex;
  AddStartupCall(dex, "Lcom/example/dl/App;", "Lcom/sdk/Probe;",
                 "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;");
  ApkSpec spec;
  spec.manifest_xml =
      Manifest("com.example.dl", Permission("READ_PHONE_STATE"), "", "com.example.dl.App");
  return BuildApp("deadline", spec, &dex);
}

TEST(ScannerReuseTest, EvidenceRecordJudgesToTheSameReportsOnAFixture) {
  auto apk = StartupApp();
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  scan::ScanRequest request;
  request.apk_path = *apk;
  const scan::ScanResult r = SharedScanner().Scan(request);
  ASSERT_TRUE(r.apk_status.ok());
  ASSERT_FALSE(r.evidence.sensitive_calls.empty());
  ExpectRoundTrip(r);
}

TEST(ScannerReuseTest, EvidenceRecordJudgesToTheSameReportsOnTheCorpus) {
  const std::vector<std::string> apks = ReadableCorpusApks();
  if (apks.empty()) GTEST_SKIP() << "corpus not found at " << PIAUDIT_CORPUS_DIR;
  for (const std::string& apk : apks) {
    SCOPED_TRACE(apk);
    scan::ScanRequest request;
    request.apk_path = apk;
    ExpectRoundTrip(SharedScanner().Scan(request));
  }
}

TEST(ScannerReuseTest, TwoHundredScansOnFourThreadsMatchSingleScansWithFlatMemory) {
  const std::vector<std::string> apks = ReadableCorpusApks();
  if (apks.empty()) GTEST_SKIP() << "corpus not found at " << PIAUDIT_CORPUS_DIR;
  std::map<std::string, std::string> single;
  for (const std::string& apk : apks) {
    scan::ScanRequest request;
    request.apk_path = apk;
    const scan::ScanResult r = SharedScanner().Scan(request);
    single[apk] = Render(r.evidence, r.items).json;
  }
  constexpr int kScans = 200;
  constexpr int kThreads = 4;
  constexpr int kWarmUp = 40;  // allocator arenas and the policy analyzer settle first
  std::atomic<int> next{0};
  std::atomic<int> mismatches{0};
  std::atomic<uint64_t> rss_after_warm_up{0};
  auto worker = [&] {
    for (int i; (i = next.fetch_add(1)) < kScans;) {
      const std::string& apk = apks[static_cast<size_t>(i) % apks.size()];
      scan::ScanRequest request;
      request.apk_path = apk;
      const scan::ScanResult r = SharedScanner().Scan(request);
      if (Render(r.evidence, r.items).json != single[apk]) {
        ++mismatches;
        ADD_FAILURE() << "scan " << i << " of " << apk << " differs from its single scan";
      }
      if (i == kWarmUp) {
        malloc_trim(0);
        rss_after_warm_up = ResidentBytes();
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
  malloc_trim(0);
  const uint64_t rss_end = ResidentBytes();
  EXPECT_EQ(mismatches.load(), 0);
  // 160 scans after the warm-up: a leak of even 200 KB per scan would pass 32 MB.
  EXPECT_LT(rss_end, rss_after_warm_up.load() + (32ull << 20))
      << "resident memory grew from " << rss_after_warm_up.load() << " to " << rss_end;
}

TEST(ScannerDeadlineTest, APassedDeadlineEndsTheScanWithNothingBehind) {
  auto apk = StartupApp();
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  StopCondition stop(StopCondition::Clock::now() - std::chrono::seconds(1));
  scan::ScanRequest request;
  request.apk_path = *apk;
  request.stop = &stop;
  const scan::ScanResult r = SharedScanner().Scan(request);
  EXPECT_EQ(r.status.code(), StatusCode::kDeadlineExceeded) << r.status.ToString();
  EXPECT_TRUE(r.items.empty());
  EXPECT_TRUE(r.evidence == evidence::AppEvidence()) << "a stopped scan keeps no evidence";
  // Without a stop condition the same scan completes.
  request.stop = nullptr;
  const scan::ScanResult full = SharedScanner().Scan(request);
  EXPECT_TRUE(full.status.ok());
  EXPECT_EQ(full.items.size(), 31u);
}

TEST(ScannerDeadlineTest, ACancelledScanSaysSo) {
  auto apk = StartupApp();
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  std::atomic<bool> cancel{true};
  StopCondition stop(&cancel);
  scan::ScanRequest request;
  request.apk_path = *apk;
  request.stop = &stop;
  ThreadPool pool(2);
  request.executor = &pool;
  const scan::ScanResult r = SharedScanner().Scan(request);
  EXPECT_EQ(r.status.code(), StatusCode::kCancelled) << r.status.ToString();
  EXPECT_TRUE(r.items.empty());
}

TEST(ScannerDeadlineTest, TheCommandStopsWithExitFiveAndWritesNoReport) {
  auto apk = StartupApp();
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  const std::string bin = PIAUDIT_BINARY_DIR "/tools/piaudit/piaudit";
  if (!std::filesystem::exists(bin)) GTEST_SKIP() << "piaudit not built at " << bin;
  const std::string out = MakeTempDir("deadline-out") + "/reports";
  auto r = RunCommand(bin + " scan " + ShellQuote(*apk) + " -o " + ShellQuote(out) +
                      " --timeout 0.000001 2>&1");
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("deadline"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(out)) << "a stopped scan must leave nothing behind";
}

}  // namespace
}  // namespace piaudit::testing
