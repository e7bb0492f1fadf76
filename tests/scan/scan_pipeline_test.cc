// The README's sample app (built from source by the build) gets the verdicts it was written to
// get; unreadable input still yields a report that says what could not be read.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "scan_fixture.h"

namespace piaudit::testing {
namespace {

using rules::Verdict;

constexpr char kSampleApk[] = PIAUDIT_BINARY_DIR "/samples/sample_app/sample.apk";

TEST(SampleAppTest, BreaksTheItemsItWasWrittenToBreak) {
  if (!std::filesystem::exists(kSampleApk)) GTEST_SKIP() << "sample not built at " << kSampleApk;
  scan::ScanRequest request;
  request.apk_path = kSampleApk;
  scan::ScanResult r = SharedScanner().Scan(request);
  ASSERT_TRUE(r.apk_status.ok()) << r.apk_status.ToString();
  ASSERT_EQ(r.items.size(), 31u);
  EXPECT_EQ(r.evidence.policy.source, evidence::PolicySource::kBundledAsset);
  EXPECT_EQ(r.evidence.policy.file, "assets/privacy_policy.html");
  EXPECT_EQ(r.evidence.app_type.id, "utility-tools") << r.evidence.app_type.reason;
  // See samples/sample_app/README.md for why each of these is broken.
  for (const char* id : {"IM-2.1", "IM-3.1", "IM-3.4", "IM-3.6", "IM-3.8", "IM-3.9", "IM-4.1",
                         "IM-4.6", "IM-5.1", "IM-6.1"}) {
    EXPECT_EQ(Item(r, id).verdict, Verdict::kViolation) << id;
  }
  EXPECT_TRUE(Item(r, "IM-6.3").verdict == Verdict::kViolation ||
              Item(r, "IM-6.5").verdict == Verdict::kViolation);
  // Items the sample keeps: it has a policy with collection rules, in Simplified Chinese.
  EXPECT_NE(Item(r, "IM-1.1").verdict, Verdict::kViolation);
  EXPECT_NE(Item(r, "IM-1.4").verdict, Verdict::kViolation);
  // Static evidence never confirms behaviour.
  EXPECT_EQ(Item(r, "IM-3.1").strength, rules::Strength::kLikely);
}

TEST(ScanPipelineTest, UnreadableApkStillGetsAReportSayingWhy) {
  std::string dir = MakeTempDir("bad");
  std::string apk = dir + "/not-an-apk.apk";
  ASSERT_TRUE(WriteFile(apk, std::string(4096, 'x')).ok());
  scan::ScanRequest request;
  request.apk_path = apk;
  scan::ScanResult r = SharedScanner().Scan(request);
  EXPECT_FALSE(r.apk_status.ok());
  EXPECT_NE(r.apk_status.ToString().find(apk), std::string::npos) << r.apk_status.ToString();
  EXPECT_EQ(r.items.size(), 31u);
  EXPECT_FALSE(r.evidence.diagnostics.empty());
  for (const auto& item : r.items) {
    EXPECT_NE(item.verdict, Verdict::kCompliant) << item.id << " cannot be compliant unread";
    EXPECT_NE(item.verdict, Verdict::kViolation) << item.id << " cannot be violated unread";
  }
}

// A zip that is not an APK (CertChain.apk in the corpus: a signed JAR with no AndroidManifest.xml)
// gets no verdict from its contents: every item is needs-manual and says the APK could not be
// read. Before, the missing policy it could not look for made eight policy items violations.
TEST(ScanPipelineTest, ZipWithoutManifestGetsNoVerdicts) {
  std::string dir = MakeTempDir("jar");
  ASSERT_TRUE(WriteFile(dir + "/META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n").ok());
  auto zipped = RunCommand("cd " + ShellQuote(dir) + " && zip -q -r CertChain.apk META-INF");
  if (zipped.exit_code != 0) GTEST_SKIP() << "zip not available: " << zipped.out;
  scan::ScanRequest request;
  request.apk_path = dir + "/CertChain.apk";
  scan::ScanResult r = SharedScanner().Scan(request);
  EXPECT_FALSE(r.apk_status.ok());
  ASSERT_EQ(r.items.size(), 31u);
  for (const auto& item : r.items) {
    EXPECT_EQ(item.verdict, Verdict::kNeedsManual) << item.id;
    bool says_why = false;
    for (const auto& f : item.findings) {
      says_why |= f.message.find("The APK could not be read") != std::string::npos;
    }
    EXPECT_TRUE(says_why) << item.id;
  }
}

TEST(ScanPipelineTest, AGivenPolicyIsReadEvenWhenTheApkIsNot) {
  std::string dir = MakeTempDir("bad-with-policy");
  std::string apk = dir + "/not-an-apk.apk";
  std::string policy = dir + "/policy.txt";
  ASSERT_TRUE(WriteFile(apk, std::string(4096, 'x')).ok());
  ASSERT_TRUE(WriteFile(policy,
                        "隐私政策\n我们会收集您的设备信息（IMEI）和位置信息，用于提供服务。\n"
                        "您可以在设置-账号与安全-注销账号中注销账号。\n")
                  .ok());
  scan::ScanRequest request;
  request.apk_path = apk;
  request.policy_file = policy;
  scan::ScanResult r = SharedScanner().Scan(request);
  EXPECT_FALSE(r.apk_status.ok());
  EXPECT_TRUE(r.policy_status.ok()) << r.policy_status.ToString();
  EXPECT_EQ(r.evidence.policy.source, evidence::PolicySource::kGivenFile);
  EXPECT_EQ(r.evidence.policy.file, policy);
  // The phases a scan reports for --timings, in order, whatever the input.
  std::vector<std::string> phases;
  for (const auto& t : r.timings) {
    phases.push_back(t.phase);
    EXPECT_GE(t.ms, 0.0) << t.phase;
  }
  EXPECT_EQ(phases.front(), "read apk");
  EXPECT_EQ(phases.back(), "rules");

  request.policy_file = dir + "/missing.txt";
  scan::ScanResult missing = SharedScanner().Scan(request);
  EXPECT_FALSE(missing.policy_status.ok());
  EXPECT_EQ(missing.evidence.policy.source, evidence::PolicySource::kNone);
}

TEST(ScanPipelineTest, ScanCommandWritesReportsAndGatesOnFailOn) {
  if (!std::filesystem::exists(kSampleApk)) GTEST_SKIP() << "sample not built at " << kSampleApk;
  const std::string bin = PIAUDIT_BINARY_DIR "/tools/piaudit/piaudit";
  std::string out = MakeTempDir("scan-out");
  auto never = RunCommand(bin + " scan " + ShellQuote(kSampleApk) + " -o " + ShellQuote(out) +
                          " --fail-on never");
  EXPECT_EQ(never.exit_code, 0) << never.out;
  EXPECT_NE(never.out.find("IM-3.1"), std::string::npos) << never.out;
  for (const char* f : {"report.json", "report.sarif", "report.html"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
  }
  auto json = ReadFile(out + "/report.json");
  ASSERT_TRUE(json.ok());
  auto doc = nlohmann::json::parse(*json);
  EXPECT_EQ(doc["schema"], "piaudit.report/1");
  EXPECT_EQ(doc["items"].size(), 31u);
  auto likely = RunCommand(bin + " scan " + ShellQuote(kSampleApk) + " -o " + ShellQuote(out) +
                           " --fail-on likely");
  EXPECT_EQ(likely.exit_code, 1) << likely.out;
  auto timed = RunCommand(bin + " scan " + ShellQuote(kSampleApk) + " -o " + ShellQuote(out) +
                          " --fail-on never --timings 2>&1");
  EXPECT_EQ(timed.exit_code, 0) << timed.out;
  for (const char* phase :
       {"timing: knowledge base", "timing: code", "timing: reports", "timing: total"}) {
    EXPECT_NE(timed.out.find(phase), std::string::npos) << phase << "\n" << timed.out;
  }
  EXPECT_EQ(never.out.find("timing:"), std::string::npos) << "timings only when asked";
  auto bad_format = RunCommand(bin + " scan " + ShellQuote(kSampleApk) + " -o " + ShellQuote(out) +
                               " --format docx");
  EXPECT_EQ(bad_format.exit_code, 2) << bad_format.out;
}

}  // namespace
}  // namespace piaudit::testing
