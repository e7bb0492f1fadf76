// The streaming JSON writer must print exactly what nlohmann::json::dump(2, ' ', false,
// error_handler_t::replace) printed before it (reports stay byte-identical): layout, string
// escaping, invalid UTF-8, numbers. nlohmann is the reference here.
#include "report/internal/json_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace piaudit::report::internal {
namespace {

using nlohmann::json;

std::string NlohmannDump(const json& j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

std::string WriterString(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

TEST(JsonWriterTest, EscapesLikeNlohmann) {
  const std::vector<std::string> cases = {
      "",
      "plain ascii",
      "quote \" backslash \\ slash /",
      std::string("nul \0 end", 9),
      "\x01\x07\b\t\n\v\f\r\x1b\x1f \x7f",
      "隐私政策 emoji \xF0\x9F\x98\x80",
      "bad\xff\xfe label",
      "truncated \xE4\xB8",
      "\xE4\xB8",
      "\xE4\xB8"
      "a",
      "\xE0\x80\x80 overlong",
      "\xC0\xAF overlong slash",
      "\xED\xA0\x80 surrogate",
      "\xF4\x90\x80\x80 above U+10FFFF",
      "\xF0\x9F\x98 truncated emoji",
      "\xF0\x9F\x98",
      "\x80\xBF lone continuations",
      "\xC2",
      "\xE0\xA0\xC2\xA9 broken then valid",
  };
  for (const std::string& s : cases) {
    EXPECT_EQ(WriterString(s), NlohmannDump(json(s)))
        << json(s).dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

TEST(JsonWriterTest, RandomByteStringsEscapeLikeNlohmann) {
  // Bytes chosen around every boundary of the UTF-8 decoder and of the escaping rules.
  const unsigned char alphabet[] = {0x00, 0x01, 0x08, 0x09, 0x0a, 0x1f, 0x20, '"',  '\\',
                                    'a',  0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
                                    0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef,
                                    0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<size_t> pick(0, sizeof alphabet - 1);
  std::uniform_int_distribution<int> length(0, 12);
  for (int n = 0; n < 200000; ++n) {
    std::string s;
    for (int i = length(rng); i > 0; --i) s.push_back(static_cast<char>(alphabet[pick(rng)]));
    ASSERT_EQ(WriterString(s), NlohmannDump(json(s)))
        << json(s).dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

TEST(JsonWriterTest, NumbersPrintLikeNlohmann) {
  auto number = [](auto n) {
    std::string out;
    JsonWriter w(&out);
    w.Number(n);
    return out;
  };
  EXPECT_EQ(number(0), "0");
  EXPECT_EQ(number(-7), "-7");
  EXPECT_EQ(number(std::numeric_limits<int64_t>::min()),
            json(std::numeric_limits<int64_t>::min()).dump());
  EXPECT_EQ(number(std::numeric_limits<uint64_t>::max()),
            json(std::numeric_limits<uint64_t>::max()).dump());
  EXPECT_EQ(number(uint32_t{4200}), "4200");

  auto dbl = [](double d) {
    std::string out;
    JsonWriter w(&out);
    w.Double(d);
    return out;
  };
  EXPECT_EQ(dbl(0.0), "0.0");
  EXPECT_EQ(dbl(-0.0), "-0.0");
  EXPECT_EQ(dbl(0.85), "0.85");
  EXPECT_EQ(dbl(1.0), "1.0");
  EXPECT_EQ(dbl(1e20), "1e+20");
  EXPECT_EQ(dbl(std::numeric_limits<double>::quiet_NaN()), "null");
  std::mt19937_64 rng(7);
  for (int n = 0; n < 100000; ++n) {
    uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    ASSERT_EQ(dbl(d), json(d).dump()) << bits;
  }
}

TEST(JsonWriterTest, LayoutMatchesNlohmannPrettyPrint) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("a").BeginArray().EndArray();
  w.Key("b").BeginObject().EndObject();
  w.Key("c").BeginArray();
  w.Number(1).String("x").Null().Bool(true).Bool(false);
  w.BeginArray().BeginArray().EndArray().EndArray();
  w.BeginObject().Key("k").StringArray(std::vector<std::string>{"p", "q"}).EndObject();
  w.EndArray();
  w.Key("d").Double(0.5);
  w.EndObject();
  w.EndDocument();

  json expected = {
      {"a", json::array()},
      {"b", json::object()},
      {"c", {1, "x", nullptr, true, false, json::array({json::array()}), {{"k", {"p", "q"}}}}},
      {"d", 0.5}};
  EXPECT_EQ(out, NlohmannDump(expected) + "\n");

  std::string scalar;
  JsonWriter s(&scalar);
  s.String("top");
  s.EndDocument();
  EXPECT_EQ(scalar, "\"top\"\n");
}

}  // namespace
}  // namespace piaudit::report::internal
