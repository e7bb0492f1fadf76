#include "runtime/identifier_match.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

namespace piaudit::runtime {
namespace {

trace::Identifiers Device() {
  trace::Identifiers ids;
  ids.imei = {"861234567890123"};
  ids.android_id = "a1b2c3d4e5f60718";
  ids.mac = "3C:5A:B4:12:34:56";
  ids.oaid = "f1e2d3c4-b5a6-4789-9abc-def012345678";
  ids.imsi = "460001234567890";
  ids.iccid = "89860012345678901234";
  ids.serial = "R58M12ABCDE";
  ids.phone_number = "+8613812345678";
  ids.lat = 39.904211;
  ids.lon = 116.407395;
  return ids;
}

std::string Base64(std::string_view bytes, bool url_safe = false) {
  const char* alphabet = url_safe
                             ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out.push_back(alphabet[(v >> k) & 63]);
  }
  if (i < bytes.size()) {
    uint32_t v = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= uint8_t(bytes[i + 1]) << 8;
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

bool Has(const std::vector<IdentifierMatch>& matches, std::string_view kind,
         std::string_view encoding, std::string_view where = {}) {
  for (const IdentifierMatch& m : matches) {
    if (m.kind == kind && m.encoding == encoding && (where.empty() || m.where == where))
      return true;
  }
  return false;
}

std::string Describe(const std::vector<IdentifierMatch>& matches) {
  std::string out;
  for (const IdentifierMatch& m : matches) {
    out += std::string(m.kind) + "/" + std::string(m.encoding) + "@" + m.where + "+" +
           std::to_string(m.offset) + (m.after_decoding ? "(decoded)" : "") + " ";
  }
  return out;
}

class IdentifierMatchTest : public testing::Test {
 protected:
  IdentifierSet set_{Device()};
};

TEST_F(IdentifierMatchTest, RawValuesOfEveryKind) {
  std::string text =
      "imei=861234567890123&aid=A1B2C3D4E5F60718&mac=3c:5a:b4:12:34:56&oaid="
      "F1E2D3C4-B5A6-4789-9ABC-DEF012345678&imsi=460001234567890&iccid=89860012345678901234&sn="
      "r58m12abcde&tel=13812345678";
  auto m = set_.FindIdentifiers(text, "body");
  for (std::string_view kind :
       {"imei", "android_id", "mac", "oaid", "imsi", "iccid", "serial", "phone_number"}) {
    EXPECT_TRUE(Has(m, kind, "raw", "body")) << kind << ": " << Describe(m);
  }
  auto imei = std::find_if(m.begin(), m.end(), [](auto& x) { return x.kind == "imei"; });
  EXPECT_EQ(imei->offset, 5u);
  EXPECT_EQ(imei->value, "861234567890123");
}

TEST_F(IdentifierMatchTest, MacWithoutSeparatorsEitherCase) {
  EXPECT_TRUE(Has(set_.FindIdentifiers("m=3C5AB4123456", "q"), "mac", "raw"));
  EXPECT_TRUE(Has(set_.FindIdentifiers("m=3c-5a-b4-12-34-56", "q"), "mac", "raw"));
}

TEST_F(IdentifierMatchTest, PercentEncoded) {
  EXPECT_TRUE(Has(set_.FindIdentifiers("mac=3C%3A5A%3AB4%3A12%3A34%3A56", "q"), "mac", "url"));
  EXPECT_TRUE(Has(set_.FindIdentifiers("mac=3c%3a5a%3ab4%3a12%3a34%3a56", "q"), "mac", "url"));
  EXPECT_TRUE(Has(set_.FindIdentifiers("p=%2B8613812345678", "q"), "phone_number", "raw"));
}

TEST_F(IdentifierMatchTest, Base64AtEveryAlignmentBothAlphabets) {
  for (int shift = 0; shift < 3; ++shift) {
    for (bool url_safe : {false, true}) {
      std::string plain = std::string(static_cast<size_t>(shift), '\xfb') +
                          "{\"i\":\"861234567890123\",\"m\":\"3c:5a:b4:12:34:56\"}";
      std::string blob = Base64(plain, url_safe);
      auto m = set_.FindIdentifiers("d=" + blob, "body");
      EXPECT_TRUE(Has(m, "imei", "base64")) << shift << url_safe << " " << blob;
      EXPECT_TRUE(Has(m, "mac", "base64")) << shift << url_safe << " " << blob;
    }
  }
  // Unpadded and padded: the value alone.
  EXPECT_TRUE(Has(set_.FindIdentifiers("ODYxMjM0NTY3ODkwMTIz", "h"), "imei", "base64"));
  // base64 letters are data: the case-swapped text is not the value.
  EXPECT_FALSE(Has(set_.FindIdentifiers("odyXmjm0ntY3odKWmTiZ", "h"), "imei", "base64"));
}

TEST_F(IdentifierMatchTest, HexOfTheBytes) {
  EXPECT_TRUE(Has(set_.FindIdentifiers("x=383631323334353637383930313233", "q"), "imei", "hex"));
  // hex of the lower-case MAC text, upper-case digits
  EXPECT_TRUE(Has(set_.FindIdentifiers("33633A35613A62343A31323A33343A3536", "q"), "mac", "hex"));
}

TEST_F(IdentifierMatchTest, Digests) {
  auto m = set_.FindIdentifiers(
      "a=EE7312E93D57ADEFE4B880DCF13AB6B5&b=6166365e8c184c5de7c88b4932a77978274c9470&c="
      "70f3c7e8f72479bd8058820539719bbcd5daa9a4127b10c8bb310d8905ecc6ad",
      "q");
  EXPECT_TRUE(Has(m, "imei", "md5")) << Describe(m);
  EXPECT_TRUE(Has(m, "imei", "sha1")) << Describe(m);
  EXPECT_TRUE(Has(m, "imei", "sha256")) << Describe(m);
  // md5 of the bare upper-case MAC; md5 of the phone number with +86; sha1 of the upper-case OAID
  EXPECT_TRUE(Has(set_.FindIdentifiers("1c6b01c44b6d38a6c0f9efd608cc898e", "h"), "mac", "md5"));
  EXPECT_TRUE(
      Has(set_.FindIdentifiers("5A8D6399ECF50C4F4C720D904EF6DF49", "h"), "phone_number", "md5"));
  EXPECT_TRUE(
      Has(set_.FindIdentifiers("7e4744026d633e4291aa73238210aca6bd6d6580", "h"), "oaid", "sha1"));
}

TEST_F(IdentifierMatchTest, LocationAsADecimalPrefix) {
  auto m = set_.FindIdentifiers("{\"lat\":39.9042113,\"lng\":116.4074}", "body");
  int locations = 0;
  for (auto& x : m) locations += x.kind == "location";
  EXPECT_EQ(locations, 2) << Describe(m);
  // Not the start of the number: 139.904... is another place.
  EXPECT_FALSE(Has(set_.FindIdentifiers("x=139.9042&y=0", "q"), "location", "raw"));
  // Fewer than 3 decimals is a city, not the phone's position.
  EXPECT_FALSE(Has(set_.FindIdentifiers("lat=39.90&lng=116.40", "q"), "location", "raw"));
  // Rounded to 3 decimals rather than cut.
  trace::Identifiers ids;
  ids.lat = 31.23456;
  IdentifierSet rounded(ids);
  EXPECT_TRUE(Has(rounded.FindIdentifiers("lat=31.235", "q"), "location", "raw"));
  EXPECT_TRUE(Has(rounded.FindIdentifiers("lat=31.2345", "q"), "location", "raw"));
  // Cut on the decimal text: 39.9 is not 39.899 however binary floating point holds it.
  trace::Identifiers exact;
  exact.lat = 39.9;
  EXPECT_TRUE(Has(IdentifierSet(exact).FindIdentifiers("lat=39.90012", "q"), "location", "raw"));
}

TEST(IdentifierMatchNegativeTest, ShortAndPlaceholderValuesAreSkipped) {
  trace::Identifiers ids;
  ids.imei = {"000000000000000", "12345"};
  ids.mac = "02:00:00:00:00:00";
  ids.serial = "unknown";
  ids.oaid = "00000000-0000-0000-0000-000000000000";
  ids.android_id = "9774d56d682e549c";
  ids.lat = 0.0;
  ids.lon = 0.0;
  IdentifierSet set(ids);
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set.skipped().size(), 8u);
  EXPECT_TRUE(
      set.FindIdentifiers("000000000000000 02:00:00:00:00:00 unknown 12345 0.000", "b").empty());
}

TEST_F(IdentifierMatchTest, NoMatchForANearMiss) {
  EXPECT_TRUE(set_.FindIdentifiers("imei=861234567890124&imei=86123456789012", "q").empty());
  EXPECT_TRUE(set_.FindIdentifiers("", "q").empty());
}

TEST_F(IdentifierMatchTest, NetworkEventPartsAndDecodedForms) {
  // Every character escaped (some SDKs do), and a JSON body with \u escapes: found after decoding.
  std::string url =
      "http://android.bugly.qq.com/r/"
      "861234567890123?d=%34%36%30%30%30%31%32%33%34%35%36%37%38%39%30";
  std::string body = "{\"m\":\"3c\\u003a5a\\u003ab4\\u003a12\\u003a34\\u003a56\"}";
  std::vector<trace::Header> headers = {{"User-Agent", "okhttp"},
                                        {"X-Oaid", "f1e2d3c4-b5a6-4789-9abc-def012345678"}};
  trace::Event event;
  event.type = trace::EventType::kNetwork;
  event.url = url;
  event.headers = headers;
  event.body = body;
  auto m = set_.FindInNetworkEvent(event);
  EXPECT_EQ(m.size(), 4u) << Describe(m);
  EXPECT_TRUE(Has(m, "imei", "raw", "url")) << Describe(m);
  EXPECT_TRUE(Has(m, "imsi", "raw", "query")) << Describe(m);
  EXPECT_TRUE(Has(m, "oaid", "raw", "header:X-Oaid")) << Describe(m);
  EXPECT_TRUE(Has(m, "mac", "raw", "body")) << Describe(m);
  for (auto& x : m) {
    EXPECT_EQ(x.after_decoding, x.where == "body" || x.where == "query") << Describe(m);
  }
  // Escapes before the '?' do not move a decoded match out of the query; offsets are the URL's.
  std::string escaped_path =
      "http://h/%61%62%63%64%65%66?d=%34%36%30%30%30%31%32%33%34%35%36%37%38%39%30";
  trace::Event escaped;
  escaped.url = escaped_path;
  auto q = set_.FindInNetworkEvent(escaped);
  ASSERT_EQ(q.size(), 1u) << Describe(q);
  EXPECT_EQ(q[0].where, "query");
  EXPECT_EQ(q[0].offset, escaped_path.find("%34"));
  EXPECT_EQ(m[3].offset, body.find("3c"));  // the body match, mapped back through the \u escapes
  // A form body: the percent-encoded MAC is found once, as "url", not again as decoded "raw".
  trace::Event form;
  form.body = "mac=3c%3A5a%3Ab4%3A12%3A34%3A56";
  auto f = set_.FindInNetworkEvent(form);
  ASSERT_EQ(f.size(), 1u) << Describe(f);
  EXPECT_EQ(f[0].encoding, "url");
}

TEST_F(IdentifierMatchTest, AMegabyteBodyIsScannedInMilliseconds) {
  std::mt19937 random(7);
  std::string body(1 << 20, ' ');
  const char* alphabet = "0123456789abcdefABCDEF:=&%+/";
  for (char& c : body) c = alphabet[random() % 28];
  body.replace(700000, 15, "861234567890123");
  auto start = std::chrono::steady_clock::now();
  auto m = set_.FindIdentifiers(body, "body");
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  EXPECT_TRUE(Has(m, "imei", "raw"));
  EXPECT_LT(ms.count(), 100.0);  // ~2 ms measured; loose for a loaded CI machine
  std::printf("1 MiB scanned in %.2f ms (%zu patterns)\n", ms.count(), set_.pattern_count());
}

}  // namespace
}  // namespace piaudit::runtime
