// Tests for src/dex/encoded_value.cc (raw encoded arrays) and src/dex/call_site.cc (a call site,
// method handles and a map list grafted onto a dexdump-checked builder dex).
#include "dex/call_site.h"

#include <gtest/gtest.h>

#include <cstring>

#include "dex/dex_test_util.h"
#include "dex/encoded_value.h"

namespace piaudit::dex {
namespace {

Status Read(const std::vector<uint8_t>& b, std::vector<EncodedValue>* out, uint32_t max = 100) {
  return ReadEncodedArray(ByteSpan(b.data(), b.size()), 0, max, out);
}

TEST(EncodedValueTest, ScalarsAreExtendedByType) {
  std::vector<EncodedValue> v;
  ASSERT_TRUE(Read({6, 0x00, 0xff,           // byte -1
                    0x22, 0x34, 0x92,        // short 0x9234 -> negative
                    0x23, 0xff, 0xff,        // char 0xffff, zero-extended
                    0x44, 0x01, 0x80, 0x00,  // int with 3 bytes 0x008001
                    0x30, 0x80, 0x3f,        // float, 2 high bytes: 0x3f800000 = 1.0f
                    0x3f},                   // boolean true
                   &v)
                  .ok());
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(static_cast<int64_t>(v[0].bits), -1);
  EXPECT_EQ(static_cast<int64_t>(v[1].bits), static_cast<int16_t>(0x9234));
  EXPECT_EQ(v[2].bits, 0xffffu);
  EXPECT_EQ(v[3].bits, 0x8001u);
  float f;
  const uint32_t fbits = static_cast<uint32_t>(v[4].bits);
  std::memcpy(&f, &fbits, 4);
  EXPECT_EQ(f, 1.0f);
  EXPECT_EQ(v[5].type, ValueType::kBoolean);
  EXPECT_EQ(v[5].bits, 1u);
}

TEST(EncodedValueTest, NestedValuesAreSkippedWithoutRecursion) {
  // [ [1, [2]], annotation{type 5, x: "s"@7}, 9 ]
  std::vector<EncodedValue> v;
  ASSERT_TRUE(Read({3, 0x1c, 2, 0x04, 1, 0x1c, 1, 0x04, 2,  //
                    0x1d, 5, 1, 0, 0x17, 7,                 //
                    0x04, 9},
                   &v)
                  .ok());
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].type, ValueType::kArray);
  EXPECT_EQ(v[0].bits, 2u);
  EXPECT_EQ(v[1].type, ValueType::kAnnotation);
  EXPECT_EQ(v[2].bits, 9u);
}

TEST(EncodedValueTest, HostileArrays) {
  std::vector<EncodedValue> v;
  EXPECT_EQ(Read({1, 0x04}, &v).code(), StatusCode::kTruncated);     // int bytes missing
  EXPECT_EQ(Read({2, 0x04}, &v).code(), StatusCode::kInvalidInput);  // 2 values in 1 byte
  EXPECT_EQ(Read({1, 0x20}, &v).code(), StatusCode::kInvalidInput);  // byte with width 2
  EXPECT_EQ(Read({1, 0x05}, &v).code(), StatusCode::kInvalidInput);  // unknown type 5
  EXPECT_EQ(Read({0xff, 0xff, 0xff, 0xff, 0x0f}, &v).code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Read({1, 0x1c, 0xff, 0xff, 0x03}, &v).code(), StatusCode::kTruncated);
  EXPECT_EQ(Read({3, 0x1e, 0x1e, 0x1e}, &v, 2).code(), StatusCode::kInvalidInput);  // max_values
  // 100 nested single-element arrays: deeper than kMaxEncodedValueDepth.
  std::vector<uint8_t> deep = {1};
  for (int i = 0; i < 100; ++i) deep.insert(deep.end(), {0x1c, 1});
  deep.push_back(0x1e);
  Status s = Read(deep, &v);
  EXPECT_EQ(s.code(), StatusCode::kLimitExceeded);
  EXPECT_TRUE(s.offset().has_value());
}

TEST(EncodedValueTest, AnnotationItemElements) {
  // visibility system, type 3, 2 elements: name@1 = int 4104, name@2 = array[null] (skipped).
  std::vector<uint8_t> b = {2, 3, 2, 1, 0x24, 0x08, 0x10, 2, 0x1c, 1, 0x1e};
  Annotation a;
  ASSERT_TRUE(ReadAnnotationItem(ByteSpan(b.data(), b.size()), 0, 16, &a).ok());
  EXPECT_EQ(a.visibility, 2);
  EXPECT_EQ(a.type, 3u);
  ASSERT_EQ(a.elements.size(), 2u);
  EXPECT_EQ(a.elements[0].name, 1u);
  EXPECT_EQ(a.elements[0].value.bits, 4104u);
  EXPECT_EQ(a.elements[1].value.type, ValueType::kArray);
  b.pop_back();  // the nested null is missing
  EXPECT_EQ(ReadAnnotationItem(ByteSpan(b.data(), b.size()), 0, 16, &a).code(),
            StatusCode::kTruncated);
  EXPECT_EQ(ReadAnnotationItem(ByteSpan(b.data(), b.size()), 0, 1, &a).code(),
            StatusCode::kInvalidInput);  // over max_elements
}

// Appends method_handles, call_site_ids, the call site's encoded array and a new map list (the old
// one plus two entries) to a builder dex.
std::vector<uint8_t> WithCallSite(std::vector<uint8_t> b, uint32_t bootstrap_method,
                                  uint32_t impl_method, uint32_t name_string, uint32_t proto) {
  auto put16 = [&](uint16_t v) { b.push_back(v & 0xff), b.push_back(v >> 8); };
  auto put32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  auto get32 = [&](size_t off) {
    return b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) |
           (static_cast<uint32_t>(b[off + 3]) << 24);
  };
  while (b.size() % 4) b.push_back(0);
  const uint32_t handles_off = static_cast<uint32_t>(b.size());
  put16(4), put16(0), put16(static_cast<uint16_t>(bootstrap_method)), put16(0);  // invoke-static
  put16(7), put16(0), put16(static_cast<uint16_t>(impl_method)), put16(0);       // invoke-direct
  const uint32_t ids_off = static_cast<uint32_t>(b.size());
  put32(ids_off + 4);
  // encoded_array: 6 values; indices written with 2 bytes (value_arg 1).
  b.push_back(6);
  for (auto [type, value] : std::vector<std::pair<uint8_t, uint16_t>>{{0x16, 0},
                                                                      {0x17, name_string},
                                                                      {0x15, proto},
                                                                      {0x15, proto},
                                                                      {0x16, 1},
                                                                      {0x15, proto}}) {
    b.push_back(static_cast<uint8_t>(type | (1 << 5)));
    put16(value);
  }
  while (b.size() % 4) b.push_back(0);
  const uint32_t old_map = get32(52);
  const uint32_t count = get32(old_map);
  const uint32_t new_map = static_cast<uint32_t>(b.size());
  put32(count + 2);
  for (uint32_t i = 0; i < count * 12; ++i) b.push_back(b[old_map + 4 + i]);
  put16(0x0007), put16(0), put32(1), put32(ids_off);
  put16(0x0008), put16(0), put32(2), put32(handles_off);
  for (int i = 0; i < 4; ++i) b[52 + i] = static_cast<uint8_t>(new_map >> (8 * i));
  const uint32_t size = static_cast<uint32_t>(b.size());
  for (int i = 0; i < 4; ++i) b[32 + i] = static_cast<uint8_t>(size >> (8 * i));
  return b;
}

TEST(CallSiteTest, DecodesBootstrapAndLambdaTarget) {
  std::vector<uint8_t> base = BuildVerified(SampleApp(), "call_site_base");
  ASSERT_FALSE(base.empty());
  Result<DexFile> plain = DexFile::Open(ByteSpan(base.data(), base.size()), "c.dex", Limits());
  ASSERT_TRUE(plain.ok());
  uint32_t helper = kNoIndex, secret = kNoIndex, name = kNoIndex;
  for (uint32_t i = 0; i < plain->num_methods(); ++i) {
    const std::string ref = plain->MethodRefString(i);
    if (ref == "Lcom/example/App;->helper(IIIIII)V") helper = i;
    if (ref == "Lcom/example/App;->secret()V") secret = i;
  }
  for (uint32_t i = 0; i < plain->num_strings(); ++i) {
    if (plain->GetString(i) == "run") name = i;
  }
  ASSERT_NE(helper, kNoIndex);
  ASSERT_NE(secret, kNoIndex);
  ASSERT_NE(name, kNoIndex);
  const uint32_t proto = plain->GetMethodId(secret).proto;

  std::vector<uint8_t> b = WithCallSite(base, helper, secret, name, proto);
  Result<DexFile> dex = DexFile::Open(ByteSpan(b.data(), b.size()), "c.dex", Limits());
  ASSERT_TRUE(dex.ok()) << dex.status().ToString();
  ASSERT_EQ(dex->num_call_sites(), 1u);
  ASSERT_EQ(dex->num_method_handles(), 2u);
  EXPECT_EQ(dex->GetMethodHandle(1).target, secret);
  Result<CallSite> site = ReadCallSite(*dex, 0);
  ASSERT_TRUE(site.ok()) << site.status().ToString();
  EXPECT_EQ(site->bootstrap, 0u);
  EXPECT_EQ(dex->GetString(site->method_name), "run");
  EXPECT_EQ(dex->ProtoString(site->method_type), "()V");
  ASSERT_EQ(site->extra_args.size(), 3u);
  std::optional<uint32_t> target = CallSiteTargetMethod(*dex, *site);
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(dex->MethodRefString(*target), "Lcom/example/App;->secret()V");

  // A method handle pointing past method_ids is refused by Open.
  std::vector<uint8_t> bad = WithCallSite(base, helper, 0xfff0, name, proto);
  Result<DexFile> refused = DexFile::Open(ByteSpan(bad.data(), bad.size()), "c.dex", Limits());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().structure(), "method_handles[1]");
}

}  // namespace
}  // namespace piaudit::dex
