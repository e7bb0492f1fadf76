// resources.arsc entry encodings that the corpus (old aapt) does not contain, built in code:
// dense, FLAG_OFFSET16 and FLAG_SPARSE offset arrays, compact entries, bags, packed 3-letter
// languages, explicit scripts, reference chains and cycles.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "android/arsc.h"
#include "android/axml_writer.h"  // tests/android: PutU16/PutU32, StringPoolChunk

namespace piaudit::android {
namespace {

using piaudit::testing::PutU16;
using piaudit::testing::PutU32;
using piaudit::testing::SetU32;
using piaudit::testing::StringPoolChunk;

constexpr uint8_t kSparse = 0x01, kOffset16 = 0x02;

std::string Config(const std::string& lang, const std::string& region = "",
                   const std::string& script = "") {
  std::string c(64, '\0');
  SetU32(&c, 0, 64);
  if (lang.size() == 3) {
    uint8_t first = lang[0] - 'a', second = lang[1] - 'a', third = lang[2] - 'a';
    c[8] = static_cast<char>(0x80 | (third << 2) | (second >> 3));
    c[9] = static_cast<char>(((second & 7) << 5) | first);
  } else if (lang.size() == 2) {
    c[8] = lang[0];
    c[9] = lang[1];
  }
  if (region.size() == 2) {
    c[10] = region[0];
    c[11] = region[1];
  }
  for (size_t i = 0; i < script.size() && i < 4; ++i) c[36 + i] = script[i];
  return c;
}

std::string SimpleEntry(uint32_t key, uint8_t type, uint32_t data) {
  std::string e;
  PutU16(&e, 8);
  PutU16(&e, 0);
  PutU32(&e, key);
  PutU16(&e, 8);
  e.push_back('\0');
  e.push_back(static_cast<char>(type));
  PutU32(&e, data);
  return e;
}
std::string CompactEntry(uint16_t key, uint8_t type, uint32_t data) {
  std::string e;
  PutU16(&e, key);
  PutU16(&e, static_cast<uint16_t>((type << 8) | 0x8));
  PutU32(&e, data);
  return e;
}
std::string BagEntry(uint32_t key, const std::vector<std::pair<uint32_t, uint32_t>>& ints) {
  std::string e;
  PutU16(&e, 16);
  PutU16(&e, 1);
  PutU32(&e, key);
  PutU32(&e, 0);  // parent
  PutU32(&e, static_cast<uint32_t>(ints.size()));
  for (const auto& [name, v] : ints) {
    PutU32(&e, name);
    PutU16(&e, 8);
    e.push_back('\0');
    e.push_back(0x10);
    PutU32(&e, v);
  }
  return e;
}

std::string TypeChunk(uint8_t id, uint8_t flags, const std::string& config,
                      const std::vector<std::optional<std::string>>& entries) {
  std::string offsets, data;
  uint32_t count = static_cast<uint32_t>(entries.size());
  uint32_t sparse_count = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (flags & kSparse) {
      if (!entries[i]) continue;
      PutU16(&offsets, static_cast<uint16_t>(i));
      PutU16(&offsets, static_cast<uint16_t>(data.size() / 4));
      ++sparse_count;
    } else if (flags & kOffset16) {
      PutU16(&offsets, entries[i] ? static_cast<uint16_t>(data.size() / 4) : 0xffff);
    } else {
      PutU32(&offsets, entries[i] ? static_cast<uint32_t>(data.size()) : 0xffffffff);
    }
    if (entries[i]) data += *entries[i];
  }
  while (offsets.size() % 4) offsets.push_back('\0');
  if (flags & kSparse) count = sparse_count;
  const uint32_t header = 20 + static_cast<uint32_t>(config.size());
  std::string t;
  PutU16(&t, 0x0201);
  PutU16(&t, static_cast<uint16_t>(header));
  PutU32(&t, 0);
  t.push_back(static_cast<char>(id));
  t.push_back(static_cast<char>(flags));
  PutU16(&t, 0);
  PutU32(&t, count);
  PutU32(&t, header + static_cast<uint32_t>(offsets.size()));
  t += config + offsets + data;
  SetU32(&t, 4, static_cast<uint32_t>(t.size()));
  return t;
}

std::string Table(const std::vector<std::string>& global, const std::vector<std::string>& keys,
                  const std::vector<std::string>& type_chunks) {
  std::string types = StringPoolChunk({"string", "array"}, true);
  std::string keypool = StringPoolChunk(keys, false);
  std::string pkg;
  PutU16(&pkg, 0x0200);
  PutU16(&pkg, 288);
  PutU32(&pkg, 0);
  PutU32(&pkg, 0x7f);
  std::string name(256, '\0');
  const std::string pname = "com.t";
  for (size_t i = 0; i < pname.size(); ++i) name[2 * i] = pname[i];
  pkg += name;
  PutU32(&pkg, 288);
  PutU32(&pkg, 0);
  PutU32(&pkg, 288 + static_cast<uint32_t>(types.size()));
  PutU32(&pkg, 0);
  PutU32(&pkg, 0);
  pkg += types + keypool;
  for (const std::string& t : type_chunks) pkg += t;
  SetU32(&pkg, 4, static_cast<uint32_t>(pkg.size()));
  std::string table;
  PutU16(&table, 0x0002);
  PutU16(&table, 12);
  PutU32(&table, 0);
  PutU32(&table, 1);
  table += StringPoolChunk(global, true) + pkg;
  SetU32(&table, 4, static_cast<uint32_t>(table.size()));
  return table;
}

constexpr uint32_t kAppName = 0x7f010000, kOther = 0x7f010001, kLoop = 0x7f010002,
                   kBag = 0x7f020000;

class ArscEncodingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Global strings: 0 Hello, 1 Bonjour, 2 NiHao, 3 Kumusta, 4 Zdravo
    bytes_ = Table(
        {"Hello", "Bonjour", "NiHao", "Kumusta", "Zdravo"}, {"app_name", "other", "loop", "bag"},
        {
            TypeChunk(1, 0, Config(""),
                      {SimpleEntry(0, 0x03, 0), SimpleEntry(1, 0x01, kAppName),
                       SimpleEntry(2, 0x01, kLoop)}),
            TypeChunk(1, kOffset16, Config("fr"),
                      {SimpleEntry(0, 0x03, 1), std::nullopt, std::nullopt}),
            TypeChunk(1, kSparse, Config("zh", "CN"),
                      {SimpleEntry(0, 0x03, 2), std::nullopt, std::nullopt}),
            TypeChunk(1, 0, Config("fil"), {CompactEntry(0, 0x03, 3)}),
            TypeChunk(1, 0, Config("sr", "", "Latn"), {SimpleEntry(0, 0x03, 4)}),
            TypeChunk(2, 0, Config(""), {BagEntry(3, {{0x01010000, 7}, {0x01010001, 9}})}),
        });
    Diagnostics d;
    auto t = ResourceTable::Parse(ByteSpan(bytes_), limits_, &d);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_TRUE(d.items().empty()) << d.items().front().ToString();
    table_.emplace(std::move(t).value());
  }
  std::string bytes_;
  Limits limits_;
  std::optional<ResourceTable> table_;
};

TEST_F(ArscEncodingsTest, EveryOffsetEncodingIsRead) {
  auto v = table_->Lookup(kAppName);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  std::map<std::string, std::string> got;
  for (const ConfigValue& cv : *v) got[cv.config.Qualifiers()] = cv.value.string;
  EXPECT_EQ(got, (std::map<std::string, std::string>{{"", "Hello"},
                                                     {"fr", "Bonjour"},
                                                     {"zh-rCN", "NiHao"},
                                                     {"b+fil", "Kumusta"},
                                                     {"b+sr+Latn", "Zdravo"}}));
  // Absent in the offset16 and sparse configs: only the default has "other".
  auto other = table_->Lookup(kOther);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->size(), 1u);
  EXPECT_EQ(table_->ResourceName(kAppName), "com.t:string/app_name");
  EXPECT_EQ(table_->ResourceName(kBag), "com.t:array/bag");
}

TEST_F(ArscEncodingsTest, LocalesAndLocaleResolution) {
  std::vector<std::string> tags;
  for (const ResConfig& c : table_->Locales()) tags.push_back(c.LocaleTag());
  EXPECT_EQ(tags, (std::vector<std::string>{"fil", "fr", "sr-Latn", "zh-CN"}));
  ResConfig zh_tw;
  zh_tw.language = "zh";
  zh_tw.region = "TW";
  auto v = table_->ResolveForLocale(kAppName, zh_tw);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->string, "Hello");  // zh-rCN does not match zh-TW: falls back to default
  ResConfig zh_cn = zh_tw;
  zh_cn.region = "CN";
  EXPECT_EQ(table_->ResolveForLocale(kAppName, zh_cn)->string, "NiHao");
  EXPECT_EQ(table_->ResolveForLocale(kOther, zh_cn)->string, "NiHao");  // reference followed
}

TEST_F(ArscEncodingsTest, BagsAndReferenceCycles) {
  auto bag = table_->Lookup(kBag);
  ASSERT_TRUE(bag.ok());
  ASSERT_EQ(bag->size(), 1u);
  EXPECT_TRUE((*bag)[0].is_bag);
  ASSERT_EQ((*bag)[0].bag.size(), 2u);
  EXPECT_EQ((*bag)[0].bag[1].first, 0x01010001u);
  EXPECT_EQ((*bag)[0].bag[1].second.data, 9u);
  auto loop = table_->Resolve(kLoop);  // @loop -> @loop: bounded, keeps the reference
  ASSERT_TRUE(loop.ok());
  ASSERT_EQ(loop->size(), 1u);
  EXPECT_TRUE((*loop)[0].value.IsReference());
  auto other = table_->Resolve(kOther);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*other)[0].value.string, "Hello");
}

TEST_F(ArscEncodingsTest, HostileVariantsNeverCrash) {
  for (size_t at = 0; at + 4 <= bytes_.size(); ++at) {
    for (uint32_t v : {0xffffffffu, 0x7fffffffu, 0x10000u, 0u}) {
      std::string m = bytes_;
      SetU32(&m, at, v);
      Diagnostics d;
      auto t = ResourceTable::Parse(ByteSpan(m), limits_, &d);
      if (!t.ok()) {
        EXPECT_TRUE(t.status().offset().has_value()) << t.status().ToString();
        continue;
      }
      for (uint32_t id : {kAppName, kOther, kLoop, kBag}) {
        (void)t->Resolve(id);
        (void)t->ResourceName(id);
      }
      (void)t->Locales();
    }
  }
}

}  // namespace
}  // namespace piaudit::android
