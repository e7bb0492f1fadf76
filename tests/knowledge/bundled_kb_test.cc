// The knowledge tree shipped in data/ loads cleanly and has the contents the rules rely on.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "knowledge/knowledge_base.h"

namespace piaudit::knowledge {
namespace {

class BundledKbTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Diagnostics diags;
    auto kb = KnowledgeBase::Load(PIAUDIT_DATA_DIR, &diags);
    if (!kb.ok()) {
      for (const Diagnostic& d : diags.items()) ADD_FAILURE() << d.ToString();
      FAIL() << kb.status().ToString();
    }
    kb_ = new KnowledgeBase(std::move(kb).value());
  }
  static void TearDownTestSuite() {
    delete kb_;
    kb_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(kb_, nullptr) << "bundled knowledge base failed to load"; }
  static KnowledgeBase* kb_;
};
KnowledgeBase* BundledKbTest::kb_ = nullptr;

TEST_F(BundledKbTest, VersionIsNamed) {
  EXPECT_FALSE(kb_->version().id.empty());
  EXPECT_FALSE(kb_->version().version.empty());
}

TEST_F(BundledKbTest, Counts) {
  EXPECT_GE(kb_->sdks().size(), 120u);
  EXPECT_EQ(kb_->app_types().size(), 39u);
  EXPECT_EQ(kb_->items().size(), 31u);
  EXPECT_GE(kb_->apis().size(), 120u);
  EXPECT_GE(kb_->pi_types().size(), 40u);
  EXPECT_GE(kb_->permissions().size(), 40u);
  EXPECT_GE(kb_->packers().size(), 10u);
  // T1..T26 of timing-rules.md, the four IM-2.4 readability calibrations, the four
  // targetSdkVersion levels at which permissions change (issue 14, unit api_level) and the three
  // runtime ones (issue 18: IM-4.2/4.4/4.6).
  EXPECT_EQ(kb_->thresholds().size(), 37u);
  EXPECT_NE(kb_->FindThreshold("runtime_pi_calls_per_hour_foreground"), nullptr);
  EXPECT_NE(kb_->FindThreshold("runtime_stop_after_refusal_seconds"), nullptr);
  for (int i = 1; i <= 26; ++i) {
    EXPECT_NE(kb_->FindThreshold("T" + std::to_string(i)), nullptr) << i;
  }
  EXPECT_NE(kb_->FindThreshold("readability_mean_sentence_chars"), nullptr);
}

TEST_F(BundledKbTest, EveryItemIdPresentOnce) {
  const int per_category[] = {4, 4, 9, 6, 3, 5};  // identification-method.md tables
  std::set<std::string> seen;
  for (const Item& it : kb_->items()) EXPECT_TRUE(seen.insert(it.id).second) << it.id;
  for (int c = 1; c <= 6; ++c) {
    for (int i = 1; i <= per_category[c - 1]; ++i) {
      const std::string id = "IM-" + std::to_string(c) + "." + std::to_string(i);
      const Item* item = kb_->FindItem(id);
      ASSERT_NE(item, nullptr) << id;
      EXPECT_EQ(item->category, "IM-" + std::to_string(c));
      EXPECT_FALSE(item->zh.empty());
      EXPECT_FALSE(item->evidence.empty());
    }
  }
  EXPECT_EQ(kb_->FindItem("IM-7.1"), nullptr);
}

TEST_F(BundledKbTest, AppTypesMatchTheRegulation) {
  int none = 0;
  std::set<int> numbers;
  for (const AppType& t : kb_->app_types()) {
    none += t.none ? 1 : 0;
    numbers.insert(t.number);
    for (const std::string& pi : t.necessary_pi) EXPECT_NE(kb_->FindPiType(pi), nullptr) << pi;
  }
  EXPECT_EQ(none, 13);  // necessary-pi.md: 13 types need no PI
  EXPECT_EQ(numbers.size(), 39u);
  const AppType* map = kb_->FindAppType("map-navigation");
  ASSERT_NE(map, nullptr);
  EXPECT_TRUE(std::find(map->necessary_pi.begin(), map->necessary_pi.end(), "location") !=
              map->necessary_pi.end());
  // No type lists device identifiers as necessary (necessary-pi.md notes).
  for (const AppType& t : kb_->app_types()) {
    for (const std::string& pi : t.necessary_pi) {
      EXPECT_FALSE(kb_->PiTypeIsA(pi, "device_id")) << t.id << " " << pi;
    }
  }
}

TEST_F(BundledKbTest, HolidayYearsCovered) {
  const WorkCalendar& cal = kb_->calendar();
  EXPECT_EQ(cal.first(), (Date{2018, 12, 29}));
  EXPECT_EQ(cal.last(), (Date{2026, 12, 31}));
  std::set<int> years;
  for (const HolidayEntry& e : cal.entries()) years.insert(e.notice_year);
  EXPECT_EQ(years.size(), 8u);
}

TEST_F(BundledKbTest, EverySdkPrefixResolvesToItsSdk) {
  for (const Sdk& s : kb_->sdks()) {
    for (const SdkPrefix& p : s.prefixes) {
      for (const std::string& name : {p.prefix, p.prefix + ".Foo", p.prefix + "$Inner"}) {
        const SdkKeyOwners* o = kb_->MatchClassPrefix(name);
        ASSERT_NE(o, nullptr) << s.id << " " << name;
        EXPECT_EQ(o->key, p.prefix) << s.id << " " << name;
        EXPECT_NE(std::find(o->sdks.begin(), o->sdks.end(), &s), o->sdks.end())
            << s.id << " " << name;
      }
      // Slash and L...; forms resolve the same way.
      std::string slash = p.prefix;
      std::replace(slash.begin(), slash.end(), '.', '/');
      const SdkKeyOwners* o = kb_->MatchClassPrefix("L" + slash + "/Foo;");
      ASSERT_NE(o, nullptr) << s.id;
      EXPECT_EQ(o->key, p.prefix);
    }
  }
}

TEST_F(BundledKbTest, PrefixBoundaries) {
  // jmlink-demo's package is under cn.jiguang (shared) but not under cn.jiguang.jmlink.
  const SdkKeyOwners* o = kb_->MatchClassPrefix("cn.jiguang.jmlinkdemo.MainActivity");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->key, "cn.jiguang");
  EXPECT_EQ(o->quality, PrefixQuality::kShared);
  EXPECT_EQ(kb_->MatchClassPrefix("cn.jiguangx.Foo"), nullptr);
  EXPECT_EQ(kb_->MatchClassPrefix("android.support.v4.app.Fragment"), nullptr);
  EXPECT_EQ(kb_->MatchClassPrefix("Landroidx/core/app/ActivityCompat;"), nullptr);
  EXPECT_EQ(kb_->MatchClassPrefix(""), nullptr);
  // Longest prefix wins over the shared vendor prefix.
  o = kb_->MatchClassPrefix("Lcn/jpush/android/service/PushService;");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->key, "cn.jpush.android");
  ASSERT_EQ(o->sdks.size(), 1u);
  EXPECT_EQ(o->sdks[0]->id, "jpush");
}

TEST_F(BundledKbTest, ApiLookups) {
  const SensitiveApi* a =
      kb_->FindApi("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;");
  ASSERT_NE(a, nullptr);
  EXPECT_NE(std::find(a->pi.begin(), a->pi.end(), "imei"), a->pi.end());
  EXPECT_FALSE(a->is_field);
  const SensitiveApi* serial = kb_->FindApi("Landroid/os/Build;->SERIAL:Ljava/lang/String;");
  ASSERT_NE(serial, nullptr);
  EXPECT_TRUE(serial->is_field);
  const SensitiveApi* aid = kb_->FindApi(
      "Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;"
      "Ljava/lang/String;)Ljava/lang/String;");
  ASSERT_NE(aid, nullptr);
  ASSERT_TRUE(aid->const_arg.has_value());
  EXPECT_EQ(aid->const_arg->value, "android_id");
  EXPECT_GE(kb_->ApisOfClass("Landroid/telephony/TelephonyManager;").size(), 10u);
  EXPECT_TRUE(kb_->ApisOfClass("Lcom/example/Nothing;").empty());
  // Every API's PI types and permissions resolve.
  for (const SensitiveApi& api : kb_->apis()) {
    for (const std::string& pi : api.pi) EXPECT_NE(kb_->FindPiType(pi), nullptr) << pi;
    for (const std::string& p : api.permissions) EXPECT_NE(kb_->FindPermission(p), nullptr) << p;
  }
  const ContentUri* c = kb_->MatchContentUri("content://com.android.contacts/data/phones");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->pi.front(), "contacts");
  c = kb_->MatchContentUri("content://media/external/images/media/12");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->uri, "content://media/external/images");
  EXPECT_EQ(kb_->MatchContentUri("content://smsx/inbox"), nullptr);
}

TEST_F(BundledKbTest, ManifestAndNativeLookups) {
  const SdkKeyOwners* m = kb_->FindSdksByMetaData("JPUSH_APPKEY");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->sdks.front()->id, "jpush");
  ASSERT_NE(kb_->FindSdksByMetaData("com.amap.api.v2.apikey"), nullptr);
  EXPECT_EQ(kb_->FindSdksByMetaData("com.amap.api.v2.apikey")->sdks.front()->id, "amap");
  auto libs = kb_->MatchNativeLib("lib/armeabi/libBugly.so");
  ASSERT_FALSE(libs.empty());
  ASSERT_NE(libs.front().sdk, nullptr);
  EXPECT_EQ(libs.front().sdk->id, "bugly");
  libs = kb_->MatchNativeLib("libjiagu_x86.so");
  bool packer = false;
  for (const NativeLibMatch& l : libs) packer |= l.packer && l.packer->id == "qihoo-jiagu";
  EXPECT_TRUE(packer);
  const Packer* p = kb_->MatchPackerClass("com.stub.StubApp");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->id, "qihoo-jiagu");
  const SdkKeyOwners* h = kb_->MatchHost("Stats.JPush.cn");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->sdks.front()->id, "jpush");
  EXPECT_EQ(kb_->MatchHost("notjpush.cn"), nullptr);
  ASSERT_NE(kb_->MatchHost("collector.mobile.cnzz.com"), nullptr);
  ASSERT_NE(kb_->FindPermission("READ_PHONE_STATE"), nullptr);
  EXPECT_TRUE(kb_->FindPermission("android.permission.CAMERA")->dangerous);
  EXPECT_FALSE(kb_->FindPermission("QUERY_ALL_PACKAGES")->dangerous);
}

TEST_F(BundledKbTest, ComponentsAssetsAndAppTypes) {
  auto sdks = kb_->FindSdksByComponent("com.example.app.wxapi.WXEntryActivity", "com.example.app");
  ASSERT_EQ(sdks.size(), 1u);
  EXPECT_EQ(sdks[0]->id, "wechat-open");
  EXPECT_TRUE(
      kb_->FindSdksByComponent("com.other.wxapi.WXEntryActivity", "com.example.app").empty());
  sdks = kb_->FindSdksByComponent("cn.jpush.android.service.PushService", "com.example.app");
  ASSERT_EQ(sdks.size(), 1u);
  EXPECT_EQ(sdks[0]->id, "jpush");
  bool ijiami = false;
  for (const NativeLibMatch& m : kb_->MatchAsset("assets/ijiami.dat")) {
    ijiami |= m.packer != nullptr && m.packer->id == "ijiami";
  }
  EXPECT_TRUE(ijiami);
  ASSERT_NE(kb_->FindPackerByApplication("com.stub.StubApp"), nullptr);
  EXPECT_EQ(kb_->FindPackerByApplication("com.example.App"), nullptr);
  auto types = kb_->GuessAppTypes("com.example.taxi", {}, "");
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.front().type->id, "ride-hailing");
  EXPECT_EQ(types.front().score, 1);
  EXPECT_NE(types.front().reasons.front().find("package name"), std::string::npos);
  const std::vector<std::string> map_label = {"某某地图"};
  types = kb_->GuessAppTypes("com.example.x", map_label, "");
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.front().type->id, "map-navigation");
  EXPECT_EQ(types.front().score, 2);  // a label counts twice a package segment
  types = kb_->GuessAppTypes("com.example.x", {}, "news_and_magazines");
  ASSERT_EQ(types.size(), 1u);
  EXPECT_EQ(types.front().type->id, "news");
  // Keywords match at the start of a package segment only: "map" is not in "bitmap".
  for (const auto& g : kb_->GuessAppTypes("com.example.bitmaptool", {}, "")) {
    EXPECT_NE(g.type->id, "map-navigation");
  }
  EXPECT_TRUE(kb_->GuessAppTypes("com.example.x", {}, "").empty());
}

TEST_F(BundledKbTest, LexiconFindsPolicyWords) {
  const std::string text =
      "我们会收集您的设备信息（包括IMEI、Android ID、MAC地址）以及剪贴板内容；"
      "我们接入了极光推送SDK和友盟+统计。";
  auto matches = kb_->lexicon().FindAll(text);
  auto has = [&](LexiconKind kind, std::string_view id) {
    for (const LexiconMatch& m : matches) {
      if (m.kind == kind && m.id == id) {
        EXPECT_EQ(text.substr(m.begin, m.end - m.begin).size(), m.term.size());
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(has(LexiconKind::kPiType, "device_info"));
  EXPECT_TRUE(has(LexiconKind::kPiType, "imei"));
  EXPECT_TRUE(has(LexiconKind::kPiType, "android_id"));
  EXPECT_TRUE(has(LexiconKind::kPiType, "mac"));
  EXPECT_TRUE(has(LexiconKind::kPiType, "clipboard"));
  EXPECT_TRUE(has(LexiconKind::kSdk, "jpush"));
  EXPECT_TRUE(has(LexiconKind::kSdk, "umeng"));
  EXPECT_FALSE(has(LexiconKind::kPiType, "contacts"));
  // Every SDK has at least one policy name in the lexicon.
  for (const Sdk& s : kb_->sdks()) {
    ASSERT_FALSE(s.policy_names.empty()) << s.id;
    bool found = false;
    for (const LexiconMatch& m : kb_->lexicon().FindAll(s.policy_names.front())) {
      found |= m.kind == LexiconKind::kSdk && m.id == s.id;
    }
    EXPECT_TRUE(found) << s.id << " " << s.policy_names.front();
  }
}

TEST_F(BundledKbTest, PiTaxonomyParents) {
  EXPECT_TRUE(kb_->PiTypeIsA("imei", "device_id"));
  EXPECT_TRUE(kb_->PiTypeIsA("imei", "device_info"));
  EXPECT_TRUE(kb_->PiTypeIsA("location_precise", "location"));
  EXPECT_FALSE(kb_->PiTypeIsA("contacts", "device_info"));
  EXPECT_FALSE(kb_->PiTypeIsA("no_such_type", "device_info"));
  for (const PiType& t : kb_->pi_types()) {
    EXPECT_FALSE(t.synonyms.empty()) << t.id;
    if (!t.parent.empty()) {
      EXPECT_NE(kb_->FindPiType(t.parent), nullptr) << t.id;
    }
  }
}

}  // namespace
}  // namespace piaudit::knowledge
