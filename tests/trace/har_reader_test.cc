#include <gtest/gtest.h>

#include <string>

#include "trace/reader.h"
#include "trace/recording_sink.h"

namespace piaudit::trace {
namespace {

Status Read(std::string_view har, RecordingSink& sink, ReadOptions options = {},
            ReadStats* stats = nullptr) {
  return ReadTrace(TraceFormat::kHar, "t.har", ByteSpan(har), options, sink, stats);
}

constexpr std::string_view kMitmproxyHar = R"({
  "log": {
    "version": "1.2",
    "creator": {"name": "mitmproxy har_dump", "version": "0.1"},
    "entries": [
      {
        "startedDateTime": "2026-12-06T08:01:02.345000+00:00",
        "time": 12,
        "request": {
          "method": "GET",
          "url": "https://Android.Bugly.QQ.com/rqd/async?aid=9774d56d&imei=861234567890123",
          "httpVersion": "HTTP/1.1",
          "headers": [{"name": "Host", "value": "android.bugly.qq.com"},
                      {"name": "X-Device", "value": "abc"}],
          "queryString": [{"name": "imei", "value": "861234567890123"}]
        },
        "response": {"status": 200, "content": {"size": 2, "text": "ok"}},
        "serverIPAddress": "127.0.0.1"
      },
      {
        "startedDateTime": "2026-12-06T16:01:03+08:00",
        "request": {
          "method": "POST",
          "url": "http://data.mistat.xiaomi.com:8080/mistats/v3",
          "headers": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
          "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "mac=02%3A11"}
        },
        "serverIPAddress": "[::1]"
      }
    ]
  }
})";

TEST(HarReaderTest, DetectsHarByContent) {
  EXPECT_EQ(DetectFormat(ByteSpan(kMitmproxyHar), "capture.json"), TraceFormat::kHar);
  EXPECT_EQ(
      DetectFormat(ByteSpan(std::string_view("\xEF\xBB\xBF{\"log\":{\"version\":\"1.2\"")), "x"),
      TraceFormat::kHar);
  EXPECT_EQ(
      DetectFormat(ByteSpan(std::string_view("{\"comment\": \"x\", \"log\" : {\n\"entries\": [")),
                   "x"),
      TraceFormat::kHar);
  EXPECT_NE(DetectFormat(ByteSpan(std::string_view("{\"log\": \"entries\"}")), "x.har"),
            TraceFormat::kHar);
  EXPECT_NE(DetectFormat(ByteSpan(std::string_view("{\"logs\": {\"entries\": []}}")), "x.har"),
            TraceFormat::kHar);
  EXPECT_NE(DetectFormat(ByteSpan(std::string_view("[{\"log\": {}}]")), "x.har"),
            TraceFormat::kHar);
}

TEST(HarReaderTest, OneNetworkEventPerEntry) {
  RecordingSink sink;
  ReadStats stats;
  ReadOptions options;
  options.clock_offset_ms = 1000;
  ASSERT_TRUE(Read(kMitmproxyHar, sink, options, &stats).ok());
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(stats.events, 2u);
  EXPECT_EQ(stats.malformed, 0u);
  ASSERT_EQ(sink.sessions.size(), 1u);
  EXPECT_EQ(sink.sessions[0].recorder_tool, "mitmproxy har_dump");

  const CopiedEvent& get = sink.events[0];
  EXPECT_EQ(get.type, EventType::kNetwork);
  EXPECT_EQ(get.entry, 0u);
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.url, "https://Android.Bugly.QQ.com/rqd/async?aid=9774d56d&imei=861234567890123");
  EXPECT_EQ(get.host, "android.bugly.qq.com");
  EXPECT_EQ(get.port, 443);
  EXPECT_EQ(get.ip, "127.0.0.1");
  EXPECT_EQ(get.Header("X-Device"), "abc");
  EXPECT_EQ(get.body, "");
  EXPECT_FALSE(get.encrypted);
  // 2026-12-06T08:01:02.345Z plus the clock offset.
  EXPECT_EQ(get.t_ms, int64_t{1796544062345} + 1000);

  const CopiedEvent& post = sink.events[1];
  EXPECT_EQ(post.entry, 1u);
  EXPECT_EQ(post.host, "data.mistat.xiaomi.com");
  EXPECT_EQ(post.port, 8080);
  EXPECT_EQ(post.ip, "::1");
  EXPECT_EQ(post.body, "mac=02%3A11");
  EXPECT_EQ(post.t_ms, int64_t{1796544063000} + 1000);
}

TEST(HarReaderTest, BadEntriesAreMalformedAndReadingGoesOn) {
  constexpr std::string_view kHar = R"({"log": {"entries": [
    42,
    {"startedDateTime": "2026-12-06T08:00:00Z"},
    {"request": {"method": 7, "url": "http://a.example/"}},
    {"request": {"method": "GET"}},
    {"request": {"method": "GET", "url": "http://ok.example/x"}},
    {"request": {"method": "GET", "url": ""}}
  ]}})";
  RecordingSink sink;
  ReadStats stats;
  ASSERT_TRUE(Read(kHar, sink, {}, &stats).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].entry, 4u);
  EXPECT_EQ(sink.events[0].host, "ok.example");
  EXPECT_EQ(sink.events[0].port, 80);
  EXPECT_FALSE(sink.events[0].t_ms.has_value());  // no startedDateTime: an event without a time
  ASSERT_EQ(sink.malformed.size(), 5u);
  EXPECT_EQ(stats.malformed, 5u);
  EXPECT_EQ(sink.malformed[0].first, 0u);
  EXPECT_EQ(sink.malformed[1].first, 1u);
  EXPECT_EQ(sink.malformed[2].first, 2u);
  EXPECT_EQ(sink.malformed[3].first, 3u);
  EXPECT_EQ(sink.malformed[4].first, 5u);
  EXPECT_NE(sink.malformed[2].second.find("method"), std::string::npos);
}

TEST(HarReaderTest, HostFromHostHeaderWhenTheUrlHasNone) {
  constexpr std::string_view kHar = R"({"log": {"entries": [
    {"startedDateTime": "bad time", "request": {"method": "GET", "url": "/path?q=1",
     "headers": [{"name": "host", "value": "SDK.Example.com:8443"}, {"name": 3, "value": "x"}, 7]}},
    {"request": {"method": "GET", "url": "https://[2001:db8::1]:444/x",
     "headers": [{"name": ":authority", "value": "ignored.example"}]}},
    {"request": {"method": "CONNECT", "url": "tunnel.example:443"}},
    {"request": {"method": "GET", "url": "https://user:pw@u.example/"}}
  ]}})";
  RecordingSink sink;
  ASSERT_TRUE(Read(kHar, sink).ok());
  ASSERT_EQ(sink.events.size(), 4u);
  EXPECT_EQ(sink.events[0].host, "sdk.example.com");
  EXPECT_EQ(sink.events[0].port, 8443);
  EXPECT_FALSE(sink.events[0].t_ms.has_value());
  EXPECT_EQ(sink.events[0].headers.size(), 1u);  // the malformed header items are skipped
  EXPECT_EQ(sink.events[1].host, "2001:db8::1");
  EXPECT_EQ(sink.events[1].port, 444);
  EXPECT_EQ(sink.events[2].host, "tunnel.example");
  EXPECT_EQ(sink.events[2].port, 443);
  EXPECT_EQ(sink.events[3].host, "u.example");
}

TEST(HarReaderTest, Base64PostDataIsDecoded) {
  constexpr std::string_view kHar = R"({"log": {"entries": [
    {"request": {"method": "POST", "url": "http://a.example/",
      "postData": {"mimeType": "application/octet-stream", "encoding": "base64",
                   "text": "aW1laT04NjEyMzQ1Njc4OTAxMjM="}}},
    {"request": {"method": "POST", "url": "http://a.example/",
      "postData": {"encoding": "base64", "text": "not base64 at all!"}}}
  ]}})";
  RecordingSink sink;
  ASSERT_TRUE(Read(kHar, sink).ok());
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0].body, "imei=861234567890123");
  EXPECT_EQ(sink.events[1].body, "not base64 at all!");  // kept as written
}

TEST(HarReaderTest, DuplicateKeysTakeTheFirst) {
  constexpr std::string_view kHar = R"({"log": {"entries": [
    {"request": {"method": "GET", "method": "POST", "url": "http://first.example/",
                 "url": "http://second.example/"}}
  ], "entries": []}})";
  RecordingSink sink;
  ASSERT_TRUE(Read(kHar, sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].method, "GET");
  EXPECT_EQ(sink.events[0].host, "first.example");
}

TEST(HarReaderTest, LimitsBoundHeadersBodiesAndMalformedEntries) {
  std::string headers;
  for (int i = 0; i < 20; ++i) {
    headers +=
        std::string(i ? "," : "") + R"({"name": "h)" + std::to_string(i) + R"(", "value": "v"})";
  }
  std::string har =
      R"({"log": {"entries": [{"request": {"method": "POST", "url": "http://a.example/", "headers": [)" +
      headers + R"(], "postData": {"text": ")" + std::string(5000, 'x') + R"("}}}, 1, 2, 3]}})";
  ReadOptions options;
  options.limits.max_headers = 5;
  options.limits.max_body_bytes = 100;
  options.limits.max_malformed = 2;
  RecordingSink sink;
  Status status = Read(har, sink, options);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidInput);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].headers.size(), 5u);
  EXPECT_EQ(sink.events[0].body.size(), 100u);
}

TEST(HarReaderTest, ManyEntriesAndTheEventLimit) {
  std::string har = R"({"log": {"entries": [)";
  for (int i = 0; i < 20000; ++i) {
    har +=
        std::string(i ? "," : "") +
        R"({"startedDateTime": "2026-12-06T08:00:00Z", "request": {"method": "GET", "url": "http://h)" +
        std::to_string(i) + R"(.example/"}})";
  }
  har += "]}}";
  RecordingSink sink;
  ReadStats stats;
  ASSERT_TRUE(Read(har, sink, {}, &stats).ok());
  EXPECT_EQ(stats.events, 20000u);
  EXPECT_EQ(sink.events.back().host, "h19999.example");
  EXPECT_EQ(sink.events.back().entry, 19999u);

  ReadOptions options;
  options.limits.max_events = 10;
  RecordingSink limited;
  EXPECT_EQ(Read(har, limited, options).code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(limited.events.size(), 10u);
}

TEST(HarReaderTest, WholeDocumentFailuresAreStatuses) {
  RecordingSink sink;
  EXPECT_EQ(Read("", sink).code(), StatusCode::kTruncated);
  EXPECT_FALSE(Read("{\"log\": {\"entries\": [", sink).ok());
  EXPECT_EQ(Read("not json", sink).code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Read("{\"log\": {\"version\": \"1.2\"}}", sink).code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Read("{\"log\": []}", sink).code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Read("[1,2]", sink).code(), StatusCode::kInvalidInput);
  Status deep = Read("{\"log\": {\"entries\": [], \"_x\": " + std::string(5000, '[') +
                         std::string(5000, ']') + "}}",
                     sink);
  EXPECT_EQ(deep.code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(deep.file(), "t.har");
  EXPECT_TRUE(sink.events.empty());
}

}  // namespace
}  // namespace piaudit::trace
