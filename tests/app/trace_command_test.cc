// `piaudit trace check|show` and `piaudit scan --trace` through the real binary: exit codes,
// what is printed, and the recording's evidence in report.json (kind, file, line, time).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "support/apk_fixture.h"

namespace piaudit::testing {
namespace {

constexpr char kBinary[] = PIAUDIT_BINARY_DIR "/tools/piaudit/piaudit";
constexpr char kSampleApk[] = PIAUDIT_BINARY_DIR "/samples/sample_app/sample.apk";

const char kRecording[] =
    R"J({"type":"session","schema":"piaudit.trace/1","package":"com.piaudit.sample.torch","version_code":3,"hooks":{"installed":[],"failed":["android.net.wifi.WifiInfo.getMacAddress"]},"identifiers":{"imei":["861234567890123"]}})J"
    "\n"
    R"J({"t":"2026-12-06T08:00:00Z","type":"lifecycle","event":"first_start"})J"
    "\n"
    R"J({"t":"2026-12-06T08:00:01Z","type":"api","api":"android.telephony.TelephonyManager.getDeviceId","result":"861234567890123","stack":["android.telephony.TelephonyManager.getDeviceId(TelephonyManager.java:1)","com.piaudit.sample.torch.TorchApp.onCreate(TorchApp.java:9)"]})J"
    "\n"
    R"J({"t":"2026-12-06T08:00:02Z","type":"network","method":"GET","url":"https://ulogs.umeng.com/u?imei=861234567890123"})J"
    "\n"
    "this line is not JSON\n"
    R"J({"t":"2026-12-06T08:00:04Z","type":"consent","action":"accepted"})J"
    "\n";

class TraceCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kBinary)) GTEST_SKIP() << "piaudit not built at " << kBinary;
    dir_ = MakeTempDir("trace-cmd");
    trace_ = dir_ + "/run.jsonl";
    ASSERT_TRUE(WriteFile(trace_, kRecording).ok());
  }
  std::string dir_, trace_;
};

TEST_F(TraceCommandTest, CheckSummarisesAndWarnsWithTheLine) {
  CommandResult r = RunCommand(std::string(kBinary) + " trace check " + ShellQuote(trace_));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("piaudit.trace/1, 4 events, 1 malformed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("failed: android.net.wifi.WifiInfo.getMacAddress"), std::string::npos);
  EXPECT_NE(r.out.find("consent: accepted at 2026-12-06T08:00:04.000Z"), std::string::npos);
  EXPECT_NE(r.out.find("line 5:"), std::string::npos) << r.out;
}

TEST_F(TraceCommandTest, CheckRefusesWhatIsNoRecordingWithExit3) {
  std::string junk = dir_ + "/junk.bin";
  ASSERT_TRUE(WriteFile(junk, std::string("\x01\x02\x03 junk", 9)).ok());
  CommandResult r = RunCommand(std::string(kBinary) + " trace check " + ShellQuote(junk));
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find(junk), std::string::npos) << r.out;
}

TEST_F(TraceCommandTest, ShowGivesEveryEventWithItsOwner) {
  CommandResult r = RunCommand(std::string(kBinary) + " trace show " + ShellQuote(trace_) +
                               " --format json --package com.piaudit.sample.torch 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema"], "piaudit.timeline/1");
  ASSERT_EQ(j["events"].size(), 4u);
  EXPECT_EQ(j["events"][1]["owner"], "app");
  EXPECT_EQ(j["events"][1]["line"], 3);
  EXPECT_EQ(j["events"][2]["owner"], "umeng");  // the host is one of Umeng's
}

TEST_F(TraceCommandTest, ScanWithARecordingConfirmsAndCitesIt) {
  if (!std::filesystem::exists(kSampleApk)) GTEST_SKIP() << "sample not built";
  std::string out = dir_ + "/out";
  CommandResult r = RunCommand(std::string(kBinary) + " scan " + kSampleApk + " --trace " +
                               ShellQuote(trace_) + " --format json,evidence -o " + out);
  ASSERT_LE(r.exit_code, 1) << r.out;
  auto report = ReadFile(out + "/report.json");
  ASSERT_TRUE(report.ok());
  nlohmann::json j = nlohmann::json::parse(*report);
  bool confirmed_with_trace = false;
  for (const auto& item : j["items"]) {
    if (item["id"] != "IM-3.1") continue;
    EXPECT_EQ(item["strength"], "confirmed");
    for (const auto& f : item["findings"]) {
      for (const auto& ref : f["evidence"]) {
        if (ref["kind"] == "trace" && ref["file"] == trace_ && ref["location"] == "line 3" &&
            ref["time"] == "2026-12-06T08:00:01.000Z") {
          confirmed_with_trace = true;
        }
      }
    }
  }
  EXPECT_TRUE(confirmed_with_trace) << *report;
  auto evidence = ReadFile(out + "/evidence.json");
  ASSERT_TRUE(evidence.ok());
  nlohmann::json e = nlohmann::json::parse(*evidence);
  EXPECT_EQ(e["evidence"]["runtime"]["files"][0]["malformed"], 1);
  EXPECT_EQ(e["evidence"]["runtime"]["leaks"][0]["owner"], "umeng");
  // The recording survives `piaudit judge`: the same verdict from the record alone.
  CommandResult judged = RunCommand(std::string(kBinary) + " judge " + out +
                                    "/evidence.json --format json -o " + out + "/judged");
  ASSERT_LE(judged.exit_code, 1) << judged.out;
  auto again = ReadFile(out + "/judged/report.json");
  ASSERT_TRUE(again.ok());
  for (const auto& item : nlohmann::json::parse(*again)["items"]) {
    if (item["id"] == "IM-3.1") EXPECT_EQ(item["strength"], "confirmed");
  }
}

}  // namespace
}  // namespace piaudit::testing
