// MobSF's API monitor records, written from the fields api_monitor.js sends (name, class, method,
// arguments, result, calledFrom, returnValue), in the forms MobSF stores and shows them.
#include <gtest/gtest.h>

#include <string>

#include "trace/collecting_sink.h"
#include "trace/internal/readers.h"

namespace piaudit::trace {
namespace {

constexpr char kRecord1[] =
    R"j({"name":"Device Info","class":"android.telephony.TelephonyManager","method":"getDeviceId",)j"
    R"j("arguments":[],"result":"867686022684176",)j"
    R"j("calledFrom":"com.umeng.commonsdk.utils.DeviceConfig.getImei(DeviceConfig.java:120)",)j"
    R"j("returnValue":"867686022684176"})j";
constexpr char kRecord2[] =
    R"j({"name":"Device Data","class":"android.location.Location","method":"getLatitude",)j"
    R"j("arguments":[{"k":[1,2]}],"returnValue":31.2304})j";

TEST(MobsfReaderTest, StoredFileOfCommaTerminatedRecords) {
  const std::string text = std::string(kRecord1) + "," + kRecord2 + ",";
  CollectingSink sink;
  TraceFormat format;
  ASSERT_TRUE(ReadText(text, "mobsf_api_monitor.txt", sink, &format).ok());
  EXPECT_EQ(format, TraceFormat::kMobsfApiMonitor);
  ASSERT_EQ(sink.events.size(), 2u);
  const CopiedEvent& a = sink.events[0];
  EXPECT_EQ(a.type, EventType::kApi);
  EXPECT_EQ(a.api, "android.telephony.TelephonyManager.getDeviceId");
  EXPECT_EQ(a.args, "[]");
  EXPECT_EQ(a.result, "867686022684176");
  ASSERT_EQ(a.stack.size(), 1u);
  EXPECT_EQ(a.stack[0], "com.umeng.commonsdk.utils.DeviceConfig.getImei(DeviceConfig.java:120)");
  EXPECT_EQ(a.name, "Device Info");
  EXPECT_FALSE(a.t_ms);  // MobSF records no time
  EXPECT_EQ(a.entry, 0u);
  const CopiedEvent& b = sink.events[1];
  EXPECT_EQ(b.api, "android.location.Location.getLatitude");
  EXPECT_EQ(b.args, R"j([{"k":[1,2]}])j");
  EXPECT_EQ(b.result, "31.2304");  // no `result`: returnValue, as JSON text
  EXPECT_EQ(b.entry, 1u);
  EXPECT_TRUE(sink.malformed.empty());
}

TEST(MobsfReaderTest, JsonArrayAndPrefixedLines) {
  for (const std::string& text :
       {"[" + std::string(kRecord1) + ",\n " + kRecord2 + "]",
        "MobSF-API-Monitor: " + std::string(kRecord1) + ",\nMobSF-API-Monitor: " + kRecord2 + ",\n",
        "[API Monitor] " + std::string(kRecord1) + "\n[API Monitor] " + kRecord2 + "\n"}) {
    CollectingSink sink;
    TraceFormat format;
    ASSERT_TRUE(ReadText(text, "api.json", sink, &format).ok()) << text;
    EXPECT_EQ(format, TraceFormat::kMobsfApiMonitor) << text;
    EXPECT_EQ(sink.events.size(), 2u) << text;
    EXPECT_TRUE(sink.malformed.empty()) << text;
  }
}

TEST(MobsfReaderTest, MultiFrameStackAndTimestampExtension) {
  const std::string text =
      R"j({"class":"a.B","method":"m","calledFrom":"at x.Y.f(Y.java:1)\n\tat x.Z.g(Z.java:2), p.Q.r(Q.java:3)",)j"
      R"j("timestamp":1733472062345})j";
  CollectingSink sink;
  ReadOptions options;
  options.clock_offset_ms = 5;
  ASSERT_TRUE(
      ReadTrace(TraceFormat::kMobsfApiMonitor, "m.txt", ByteSpan(text), options, sink, nullptr)
          .ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].stack,
            (std::vector<std::string>{"x.Y.f(Y.java:1)", "x.Z.g(Z.java:2)", "p.Q.r(Q.java:3)"}));
  EXPECT_EQ(sink.events[0].t_ms, 1733472062350);
}

TEST(MobsfReaderTest, BadRecordsAreMalformedAndReadingGoesOn) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  const std::string text = "[API Monitor] Cannot find android.foo.Bar.baz\n" +
                           std::string(R"j({"class":"a.B"},)j") +  // no method
                           R"j({"class":"a.B","method":"m","arguments":)j" + deep + "}," +
                           R"j({"class":"a.B","method":"m","arguments":[1,]},)j" +  // not JSON
                           kRecord1 + "," + R"j({"class":"unterminated)j";
  CollectingSink sink;
  ASSERT_TRUE(
      ReadTrace(TraceFormat::kMobsfApiMonitor, "m.txt", ByteSpan(text), {}, sink, nullptr).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].api, "android.telephony.TelephonyManager.getDeviceId");
  EXPECT_EQ(sink.events[0].entry, 3u);
  EXPECT_EQ(sink.malformed.size(), 5u);
}

TEST(MobsfReaderTest, HugeRecordIsSkipped) {
  const std::string text = R"j({"class":"a.B","method":"m","result":")j" +
                           std::string(8u << 20, 'x') + "\"}," + kRecord1;
  CollectingSink sink;
  ASSERT_TRUE(
      ReadTrace(TraceFormat::kMobsfApiMonitor, "m.txt", ByteSpan(text), {}, sink, nullptr).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  ASSERT_EQ(sink.malformed.size(), 1u);
  EXPECT_NE(sink.malformed[0].second.find("max_line_bytes"), std::string::npos);
}

TEST(MobsfReaderTest, Sniffing) {
  using internal::LooksLikeMobsfApiMonitor;
  EXPECT_TRUE(LooksLikeMobsfApiMonitor(kRecord1));
  EXPECT_TRUE(LooksLikeMobsfApiMonitor(std::string("[") + kRecord1));
  EXPECT_FALSE(LooksLikeMobsfApiMonitor(R"j({"log":{"version":"1.2","entries":[]}})j"));
  EXPECT_FALSE(LooksLikeMobsfApiMonitor("12-06 16:01:02.345  1  2 I A: x"));
}

TEST(MobsfReaderTest, InvalidUtf8RecordIsMalformed) {
  const std::string text = "{\"class\":\"a.B\",\"method\":\"m\",\"result\":\"\xC3\x28\xFF\"},";
  CollectingSink sink;
  ASSERT_TRUE(
      ReadTrace(TraceFormat::kMobsfApiMonitor, "m.txt", ByteSpan(text), {}, sink, nullptr).ok());
  EXPECT_TRUE(sink.events.empty());
  EXPECT_EQ(sink.malformed.size(), 1u);
}

}  // namespace
}  // namespace piaudit::trace
