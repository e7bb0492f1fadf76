// piaudit.trace/1 (JSON Lines): every field of every event type, the session, and what a hostile
// file gets: each bad line counted with its line number and skipped, the rest read.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "trace/base64.h"
#include "trace/reader.h"
#include "trace/time.h"

namespace piaudit::trace {
namespace {

struct Copy {
  EventType type = EventType::kOther;
  std::optional<int64_t> t_ms;
  uint64_t line = 0;
  std::string api, args, result, thread, permission, action, via, text, activity, hierarchy, dump,
      screenshot, method, url, host, ip, body, name, log_line, resource_id, type_name;
  std::vector<std::string> stack, permissions;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<bool> granted;
  std::optional<uint16_t> port;
  std::optional<double> x, y;
  AppState app_state = AppState::kUnknown;
};

class CopySink : public EventSink {
 public:
  void OnSession(const Session& s) override { sessions.push_back(s); }
  void OnEvent(const Event& e) override {
    Copy c;
    c.type = e.type, c.t_ms = e.t_ms, c.line = e.line;
    c.api = e.api, c.args = e.args, c.result = e.result, c.thread = e.thread;
    c.permission = e.permission, c.action = e.action, c.via = e.via, c.text = e.text;
    c.activity = e.activity, c.hierarchy = e.hierarchy, c.dump = e.dump, c.method = e.method;
    c.screenshot = e.screenshot;
    c.url = e.url, c.host = e.host, c.ip = e.ip, c.body = e.body, c.name = e.name;
    c.log_line = e.log_line, c.resource_id = e.resource_id, c.type_name = e.type_name;
    for (auto f : e.stack) c.stack.emplace_back(f);
    for (auto p : e.permissions) c.permissions.emplace_back(p);
    for (const Header& h : e.headers) c.headers.emplace_back(h.name, h.value);
    c.granted = e.granted, c.port = e.port, c.x = e.x, c.y = e.y, c.app_state = e.app_state;
    events.push_back(std::move(c));
  }
  void OnMalformed(uint64_t line, std::string_view why) override {
    malformed.emplace_back(line, std::string(why));
  }
  std::vector<Session> sessions;
  std::vector<Copy> events;
  std::vector<std::pair<uint64_t, std::string>> malformed;
};

struct Read {
  Status status;
  ReadStats stats;
  CopySink sink;
};

Read ReadText(const std::string& text, ReadOptions options = {}) {
  Read r;
  ByteSpan bytes(text);
  EXPECT_EQ(DetectFormat(bytes, "t.jsonl"), TraceFormat::kPiauditJsonl) << text.substr(0, 80);
  r.status = ReadTrace(TraceFormat::kPiauditJsonl, "t.jsonl", bytes, options, r.sink, &r.stats);
  return r;
}

const char* kSession =
    R"J({"type":"session","schema":"piaudit.trace/1","package":"com.example.app","version_code":42,)J"
    R"J("apk_sha256":"ab","device":{"model":"Pixel 6","android_api":33},)J"
    R"J("recorder":{"tool":"frida-rec","version":"1.2"},)J"
    R"J("hooks":{"installed":["a.B.c"],"failed":["d.E.f"]},)J"
    R"J("identifiers":{"imei":["861234567890123"],"android_id":"9774d56d682e549c",)J"
    R"J("mac":"02:1a:11:f0:aa:bb","oaid":"oaid-1","location":{"lat":39.9042,"lon":116.4074}},)J"
    R"J("started_at":"2026-12-06T16:00:00+08:00"})J";

TEST(JsonlReaderTest, ReadsTheSessionAndEveryEventType) {
  std::string text =
      std::string(kSession) + "\n" +
      R"J({"t":"2026-12-06T08:00:01.250Z","type":"api","api":"android.telephony.TelephonyManager.getDeviceId","args":[0,"x"],"result":"861234567890123","stack":["a.B.c(B.java:1)","com.x.Y.m(Y.java:2)"],"thread":7,"app_state":"background"})J"
      "\n"
      R"J({"t":"2026-12-06T08:00:02Z","type":"permission_request","permissions":["android.permission.CAMERA","android.permission.READ_CONTACTS"],"stack":["com.x.A.b"]})J"
      "\n"
      R"J({"t":"2026-12-06T08:00:03Z","type":"permission_result","permission":"android.permission.CAMERA","granted":false})J"
      "\n"
      R"J({"type":"consent","t":"2026-12-06T08:00:04Z","action":"accepted","via":"dialog","text":"我已阅读并同意《隐私政策》"})J"
      "\n"
      R"J({"t":"2026-12-06T08:00:05Z","type":"ui","activity":"com.x.Main","hierarchy":"<hierarchy/>","dump":"d/1.xml","screenshot":"shots/1.png"})J"
      "\n"
      R"J({"t":"2026-12-06T08:00:06Z","type":"tap","x":10.5,"y":20,"text":"我的","resource_id":"tab_me"})J"
      "\n"
      R"J({"t":"2026-12-06T08:00:07Z","type":"network","method":"POST","url":"https://h.example/p?a=1","host":"h.example","ip":"127.0.0.1","port":443,"headers":{"User-Agent":"ua","X-N":5},"body_b64":"aGVsbG8="})J"
      "\n"
      R"J({"t":"2026-12-06T08:00:08Z","type":"lifecycle","event":"background"})J"
      "\n"
      R"J({"t":"2026-12-06T08:00:09Z","type":"marker","name":"refuse_all"})J"
      "\n"
      R"J({"t":"2026-12-06T08:00:10Z","type":"log","line":"I/Tag: hello"})J"
      "\n"
      R"J({"t":"2026-12-06T08:00:11Z","type":"future_kind","whatever":{"deep":[1,2]}})J"
      "\n";
  Read r = ReadText(text);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.sink.malformed.empty());
  ASSERT_EQ(r.sink.sessions.size(), 1u);
  const Session& s = r.sink.sessions[0];
  EXPECT_EQ(s.package, "com.example.app");
  EXPECT_EQ(s.version_code, 42);
  EXPECT_EQ(s.device_model, "Pixel 6");
  EXPECT_EQ(s.android_api, 33);
  EXPECT_EQ(s.recorder_tool, "frida-rec");
  EXPECT_EQ(s.hooks_failed, std::vector<std::string>{"d.E.f"});
  EXPECT_EQ(s.identifiers.imei, std::vector<std::string>{"861234567890123"});
  EXPECT_EQ(s.identifiers.mac, "02:1a:11:f0:aa:bb");
  ASSERT_TRUE(s.identifiers.lat.has_value());
  EXPECT_DOUBLE_EQ(*s.identifiers.lon, 116.4074);
  EXPECT_EQ(s.started_at_ms, ParseRfc3339Ms("2026-12-06T08:00:00Z"));

  ASSERT_EQ(r.sink.events.size(), 11u);
  EXPECT_EQ(r.stats.events, 11u);
  EXPECT_EQ(r.stats.other_types, 1u);
  const Copy& api = r.sink.events[0];
  EXPECT_EQ(api.type, EventType::kApi);
  EXPECT_EQ(api.line, 2u);
  EXPECT_EQ(api.t_ms, int64_t{1796544001250});
  EXPECT_EQ(api.api, "android.telephony.TelephonyManager.getDeviceId");
  EXPECT_EQ(api.args, R"J([0,"x"])J");
  EXPECT_EQ(api.result, "861234567890123");
  EXPECT_EQ(api.stack, (std::vector<std::string>{"a.B.c(B.java:1)", "com.x.Y.m(Y.java:2)"}));
  EXPECT_EQ(api.thread, "7");
  EXPECT_EQ(api.app_state, AppState::kBackground);
  EXPECT_EQ(r.sink.events[1].permissions.size(), 2u);
  EXPECT_EQ(r.sink.events[2].permission, "android.permission.CAMERA");
  EXPECT_EQ(r.sink.events[2].granted, false);
  EXPECT_EQ(r.sink.events[3].action, "accepted");
  EXPECT_EQ(r.sink.events[3].text, "我已阅读并同意《隐私政策》");
  EXPECT_EQ(r.sink.events[4].hierarchy, "<hierarchy/>");
  EXPECT_EQ(r.sink.events[4].dump, "d/1.xml");
  EXPECT_EQ(r.sink.events[4].screenshot, "shots/1.png");
  EXPECT_EQ(r.sink.events[5].x, 10.5);
  EXPECT_EQ(r.sink.events[5].resource_id, "tab_me");
  const Copy& net = r.sink.events[6];
  EXPECT_EQ(net.body, "hello");
  EXPECT_EQ(net.port, 443);
  EXPECT_EQ(net.headers,
            (std::vector<std::pair<std::string, std::string>>{{"User-Agent", "ua"}, {"X-N", "5"}}));
  EXPECT_EQ(r.sink.events[7].name, "background");
  EXPECT_EQ(r.sink.events[8].name, "refuse_all");
  EXPECT_EQ(r.sink.events[9].log_line, "I/Tag: hello");
  EXPECT_EQ(r.sink.events[10].type, EventType::kOther);
  EXPECT_EQ(r.sink.events[10].type_name, "future_kind");
}

TEST(JsonlReaderTest, ClockOffsetShiftsEveryTime) {
  ReadOptions options;
  options.clock_offset_ms = -1500;
  Read r = ReadText(R"J({"t":"2026-12-06T08:00:01.500Z","type":"marker","name":"a"})J");
  Read shifted =
      ReadText(R"J({"t":"2026-12-06T08:00:01.500Z","type":"marker","name":"a"})J", options);
  ASSERT_EQ(shifted.sink.events.size(), 1u);
  EXPECT_EQ(*shifted.sink.events[0].t_ms, *r.sink.events[0].t_ms - 1500);
}

// Each hostile line is counted with its line number and why; the good lines around it are read.
TEST(JsonlReaderTest, BadLinesAreCountedAndSkipped) {
  const std::string good = R"J({"t":"2026-12-06T08:00:00Z","type":"marker","name":"ok"})J";
  std::vector<std::pair<std::string, std::string>> bad = {
      {"not json", "line"},
      {R"J({"t":"2026-12-06T08:00:00Z","type":"tap","x":NaN})J", "x"},
      {R"J({"t":"2026-12-06T08:00:00Z","type":"tap","x":1e999})J", "x"},
      {R"J({"t":"yesterday","type":"marker"})J", "t:"},
      {R"J({"t":"2026-13-06T08:00:00Z","type":"marker"})J", "t:"},
      {R"J(["an","array"])J", "not a JSON object"},
      {R"J({"t":"2026-12-06T08:00:00Z","type":"api","result":nul})J", "result"},
      {R"J({"t":"2026-12-06T08:00:00Z","type":"marker"} trailing)J", "line"},
      {R"J({"t":"2026-12-06T08:00:00Z","name":"no type"})J", "no \"type\""},
      {R"J({"t":"2026-12-06T08:00:00Z","type":"network","port":70000})J", "port"},
      {R"J({"t":"2026-12-06T08:00:00Z","type":"network","body_b64":"%%%"})J", "body_b64"},
      {R"J({"t":"2026-12-06T08:00:00Z","type":"marker","name":"\ud800"})J", "name"},
      {"{\"t\":\"2026-12-06T08:00:00Z\",\"type\":\"marker\",\"name\":\"\xff\xfe\"}", "line"},
      {R"J({"t":"2026-12-06T08:00:00Z","type":"api","stack":[)J" + std::string(200000, '[') +
           std::string(200000, ']') + "]}",
       ""},
      {R"J({"t":"2026-12-06T08:00:00Z","type":"log","line":")J" + std::string(8u << 20, 'a') +
           "\"}",
       "max_line_bytes"},
  };
  std::string text = good + "\n";
  for (const auto& [line, why] : bad) text += line + "\n" + good + "\n";
  Read r = ReadText(text);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.sink.events.size(), bad.size() + 1);
  ASSERT_EQ(r.sink.malformed.size(), bad.size());
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(r.sink.malformed[i].first, 2 * i + 2) << i;
    EXPECT_NE(r.sink.malformed[i].second.find(bad[i].second), std::string::npos)
        << i << ": " << r.sink.malformed[i].second;
  }
}

TEST(JsonlReaderTest, SessionClockOffsetShiftsTheLaterEvents) {
  Read r = ReadText(R"J({"t":"2026-12-06T08:00:01.000Z","type":"marker","name":"before"})J"
                    "\n"
                    R"J({"type":"session","schema":"piaudit.trace/1","clock_offset_ms":-2500})J"
                    "\n"
                    R"J({"t":"2026-12-06T08:00:01.000Z","type":"marker","name":"after"})J"
                    "\n");
  ASSERT_EQ(r.sink.events.size(), 2u);
  EXPECT_EQ(*r.sink.events[1].t_ms, *r.sink.events[0].t_ms - 2500);
  ASSERT_EQ(r.sink.sessions.size(), 1u);
  EXPECT_EQ(r.sink.sessions[0].clock_offset_ms, -2500);
}

TEST(JsonlReaderTest, DuplicateKeysLastWins) {
  Read r = ReadText(R"J({"t":"2026-12-06T08:00:00Z","type":"marker","name":"a","name":"b"})J");
  ASSERT_EQ(r.sink.events.size(), 1u);
  EXPECT_EQ(r.sink.events[0].name, "b");
}

TEST(JsonlReaderTest, CrlfBomAndBlankLines) {
  Read r = ReadText("\xEF\xBB\xBF" + std::string(kSession) +
                    "\r\n\r\n{\"t\":\"2026-12-06T08:00:00Z\",\"type\":\"marker\",\"name\":\"a\"}"
                    "\r\n");
  EXPECT_EQ(r.sink.sessions.size(), 1u);
  ASSERT_EQ(r.sink.events.size(), 1u);
  EXPECT_EQ(r.sink.events[0].line, 3u);
  EXPECT_TRUE(r.sink.malformed.empty());
}

TEST(JsonlReaderTest, ManyMalformedLinesRefuseTheFile) {
  ReadOptions options;
  options.limits.max_malformed = 100;
  std::string text = R"J({"t":"2026-12-06T08:00:00Z","type":"marker","name":"ok"})J"
                     "\n";
  for (int i = 0; i < 200; ++i) text += "garbage\n";
  Read r = ReadText(text, options);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.ToString().find("t.jsonl"), std::string::npos) << r.status.ToString();
  EXPECT_NE(r.status.ToString().find("line 102"), std::string::npos) << r.status.ToString();
}

TEST(JsonlReaderTest, HundredThousandLines) {
  std::string text;
  for (int i = 0; i < 100000; ++i) {
    text += R"J({"t":"2026-12-06T08:00:00Z","type":"api","api":"a.B.c","stack":["x.Y.z"]})J"
            "\n";
  }
  Read r = ReadText(text);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.stats.events, 100000u);
  EXPECT_EQ(r.sink.events.back().line, 100000u);
}

TEST(TraceTimeTest, Rfc3339) {
  EXPECT_EQ(ParseRfc3339Ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339Ms("2026-12-06T16:00:00.5+08:00"),
            ParseRfc3339Ms("2026-12-06T08:00:00.500Z"));
  EXPECT_EQ(ParseRfc3339Ms("2024-02-29T00:00:00Z").value() -
                ParseRfc3339Ms("2024-02-28T00:00:00Z").value(),
            86'400'000);
  EXPECT_FALSE(ParseRfc3339Ms("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339Ms("2026-12-06T24:00:00Z"));
  EXPECT_FALSE(ParseRfc3339Ms("2026-12-06T08:00:00Zjunk"));
  EXPECT_FALSE(ParseRfc3339Ms("2026-12-06"));
  EXPECT_EQ(FormatRfc3339Ms(*ParseRfc3339Ms("2026-12-06T08:01:02.345Z")),
            "2026-12-06T08:01:02.345Z");
}

TEST(TraceBase64Test, BothAlphabetsAndPadding) {
  std::string out;
  EXPECT_TRUE(DecodeBase64("aGVsbG8=", &out));
  EXPECT_EQ(out, "hello");
  out.clear();
  EXPECT_TRUE(DecodeBase64("-_8", &out));  // URL-safe, no padding
  EXPECT_EQ(out, "\xfb\xff");
  out.clear();
  EXPECT_FALSE(DecodeBase64("a", &out));
  EXPECT_FALSE(DecodeBase64("ab$=", &out));
}

}  // namespace
}  // namespace piaudit::trace
