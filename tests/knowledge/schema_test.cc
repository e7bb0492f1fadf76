// Schema checks: a small valid tree is written to a temporary directory, then each test breaks
// one thing and checks the loader rejects it with the right file, line and message.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "knowledge/knowledge_base.h"

namespace piaudit::knowledge {
namespace {

namespace fs = std::filesystem;

// " 0 0 ... 0" (n zeros): the integer rows of a span model header.
std::string Zeros(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += " 0";
  return s;
}

// The minimal valid tree. Keys are paths relative to the kb dir.
std::map<std::string, std::string> ValidTree() {
  return {
      {"kb.yaml", "id: test-kb\nversion: 0.0.1\ndate: 2026-11-22\nsources: [unit test]\n"},
      {"messages.yaml",
       "version: 1\nsources: [test]\nmessages:\n"
       "  - id: im3_1.read\n"
       "    zh: \"{who}读取 {pi_type}\"\n"
       "    en: \"{who} reads {pi_type}\"\n"
       "    params: [who, pi_type]\n"
       "    source: test\n"
       "  - id: common.list_more\n"
       "    zh: \"等（另有 {count} 项）\"\n"
       "    en: \" (+{count} more)\"\n"
       "    params: [count]\n"
       "    source: test\n"},
      {"review/process.yaml",
       "version: 1\nsources: [test]\nroles: [admin]\ninitial: new\nstates:\n"
       "  - {id: new, zh: 新建, en: new, source: test}\n"
       "  - {id: done, zh: 结案, en: done, terminal: true, source: test}\n"
       "transitions:\n"
       "  - {action: finish, from: [new], to: done, roles: [admin], basis: common.list_more, "
       "source: test}\n"},
      {"pi_types.yaml",
       "version: 1\n"
       "sources: [test]\n"
       "pi_types:\n"
       "  - id: device_id\n"
       "    zh: 设备标识符\n"
       "    en: device identifier\n"
       "    sensitive: false\n"
       "    gbt35273: DEVICE\n"
       "    group: true\n"
       "    synonyms: [设备标识符]\n"
       "    source: test\n"
       "  - id: imei\n"
       "    zh: IMEI\n"
       "    en: IMEI\n"
       "    sensitive: false\n"
       "    gbt35273: DEVICE\n"
       "    parent: device_id\n"
       "    synonyms: [IMEI, 国际移动设备识别码]\n"
       "    source: test\n"},
      {"permissions.yaml",
       "version: 1\nsources: [test]\npermissions:\n"
       "  - name: READ_PHONE_STATE\n"
       "    dangerous: true\n"
       "    protection: dangerous\n"
       "    pi: [imei]\n"
       "    source: test\n"},
      {"apis.yaml",
       "version: 1\nsources: [test]\napis:\n"
       "  - ref: Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;\n"
       "    pi: [imei]\n"
       "    permissions: [READ_PHONE_STATE]\n"
       "    source: test\n"
       "content_uris:\n"
       "  - uri: content://com.android.contacts\n"
       "    pi: [device_id]\n"
       "    source: test\n"},
      {"sdks/push.yaml",
       "version: 1\nsources: [test]\nsdks:\n"
       "  - id: jpush\n"
       "    zh: 极光推送\n"
       "    en: JPush\n"
       "    provider: 极光\n"
       "    category: push\n"
       "    prefixes: [cn.jpush.android, {prefix: cn.jiguang, quality: shared}]\n"
       "    pi: [imei]\n"
       "    policy_names: [极光推送]\n"
       "    source: test\n"
       "  - id: getui\n"
       "    zh: 个推\n"
       "    en: Getui\n"
       "    provider: 每日互动\n"
       "    category: push\n"
       "    prefixes: [com.igexin]\n"
       "    pi: [imei]\n"
       "    policy_names: [个推]\n"
       "    source: test\n"},
      {"packers.yaml",
       "version: 1\nsources: [test]\npackers:\n"
       "  - id: qihoo-jiagu\n"
       "    zh: 360加固\n"
       "    en: Jiagu\n"
       "    provider: Qihoo\n"
       "    classes: [com.stub.StubApp]\n"
       "    source: test\n"},
      {"app_types.yaml",
       "version: 1\nsources: [test]\napp_types:\n"
       "  - id: news\n"
       "    number: 30\n"
       "    zh: 新闻资讯类\n"
       "    en: news\n"
       "    basic_function: 新闻资讯的浏览、搜索\n"
       "    none: true\n"
       "    source: test\n"
       "category_map:\n"
       "  - type: news\n"
       "    keywords: [news]\n"},
      {"items.yaml",
       "version: 1\nsources: [test]\n"
       "categories:\n"
       "  - {id: IM-1, zh: 未公开收集使用规则, en: rules not public}\n"
       "items:\n"
       "  - id: IM-1.1\n"
       "    zh: 没有隐私政策\n"
       "    en: no privacy policy\n"
       "    evidence: [S, P]\n"
       "    remediation: publish one\n"
       "    source: test\n"},
      {"thresholds.yaml",
       "version: 1\nsources: [test]\nthresholds:\n"
       "  - {id: T5, value: 4, unit: taps, items: [IM-1.1], status: V, applies_to: taps, "
       "source: test}\n"},
      {"holidays/cn-2026.yaml",
       "version: 1\nyear: 2026\nnotice: test notice\nsources: [test]\ndays:\n"
       "  - {date: 2026-01-01, kind: off, name: 元旦}\n"
       "  - {date: 2026-01-04, kind: work, name: 调休上班}\n"},
      {"sdk_categories.yaml",
       "version: 1\nsources: [test]\ncategories:\n"
       "  - {id: push, zh: 推送, en: push, targeting: true, source: test}\n"
       "  - {id: login-share, zh: 登录分享, en: login, third_party_app: true, source: test}\n"},
      {"android_framework.yaml",
       "version: 1\nsource: test\nclasses:\n"
       "  - class: Ljava/lang/Object;\n    source: test\n"},
      {"consent_words.yaml",
       "version: 1\nsources: [test]\nlists:\n"
       "  privacy_text: {source: test, words: [隐私政策, privacy policy]}\n"
       "  agree: {source: test, words: [{word: 同意, unless: 不同意}, agree], veto: [disagree]}\n"
       "  disagree: {source: test, words: [不同意]}\n"
       "  agree_view_ids: {source: test, words: [agree], veto: [disagree]}\n"
       "  consent_keys: {source: test, words: [privacy]}\n"
       "  policy_url_path: {source: test, words: [privacy]}\n"
       "  policy_url_context: {source: test, words: [隐私, Privacy]}\n"
       "  agreement_url_words: {source: test, words: [agreement]}\n"
       "  not_policy_names: {source: test, words: [license]}\n"
       "  consent_text: {source: test, words: [隐私, Terms]}\n"
       "  bundled_policy:\n"
       "    source: test\n"
       "    min_score: 4\n"
       "    file_name: {weight: 2, words: [privacy]}\n"
       "    text: [{weight: 3, words: [隐私政策]}, {weight: 1, words: [personal data]}]\n"
       "  policy_statement: {source: test, words: [更新日期]}\n"
       "  change_notice: {source: test, words: [更新]}\n"},
      {"runtime/runtime_words.yaml",
       "version: 1\nsources: [test]\nlists:\n"
       "  framework_frames: {source: test, words: [android.]}\n"},
      {"runtime/screen_words.yaml",
       "version: 1\nsources: [test]\nlists:\n"
       "  policy_names: {source: test, words: [隐私政策]}\n"
       "  agree_buttons: {source: test, words: [同意]}\n"
       "  refuse_buttons: {source: test, words: [不同意]}\n"
       "  consent_box: {source: test, words: [已阅读]}\n"
       "  purpose: {source: test, words: [用于]}\n"
       "permission_groups:\n  - {group: location, source: test, words: [位置]}\n"
       "numbers:\n  button_max_chars: {value: 12, source: test}\n"
       "  policy_min_chars: {value: 300, source: test}\n"},
      {"permission_requests.yaml",
       "version: 1\nsources: [test]\n"
       "methods:\n  - {name: requestPermissions, any_class: true, source: test}\n"
       "classes:\n  - {prefix: \"Landroid/app/Activity;\", source: test}\n"},
      {"policy/lexicon.yaml",
       "version: 1\nsources: [test]\n"
       "negation: [不会收集]\noptional: [可选]\nrequired: [必要]\nfunction_starts: [在您使用]\n"
       "function_ends: [功能时]\npurpose_starts: [为了]\nright_subjects: [您可以]\n"
       "complaint_cues: [投诉]\nonline_service: [在线客服]\nphone_cues: [电话]\n"
       "address_cues: [地址为]\npath_cues: [设置]\nsdk_cues: [SDK]\nthird_party_cues: [第三方]\n"
       "time_after: [内]\ntime_before: [在]\npersonalization: [个性化推荐]\n"
       "ambiguous_terms: [存储]\nambiguous_followers: [信息]\nsdk_table_markers: [SDK]\n"
       "address_chars: [市, 区]\ncompany_suffixes: [有限公司]\ncompany_lead_words: [由]\n"
       "path_starts: [设置]\nid_card_data_followers: [号]\n"
       "first_party_words: [我们]\ndata_subject_words: [您]\n"
       "right_refusals: [不会响应]\ncondition_mandatory: [需]\ncontact_headings: [联系我们]\n"
       "contact_invitations: [以下方式]\ninquiry_cues: [疑问]\npolicy_link_cues: [政策链接]\n"
       "time_notice: [提前]\ncontact_address_cues: [联系地址]\n"
       "rights: {deletion: [删除]}\nconditions: {fee: [收取费用]}\n"
       "time_subjects: {complaint: [投诉]}\n"
       "permission_groups: {android.permission-group.CAMERA: [相机权限]}\n"
       "table_columns: {link: [链接], purpose: [目的], provider: [公司], data: [信息], "
       "name: [名称]}\n"},
      {"policy/jargon.txt", "# test\nSDK\nIMEI\n"},
      {"policy/sentence_model.bin",
       std::string("PIAUDIT-SENTENCE-MODEL 1\nbuckets 2\nclasses 1\nclass 0 x 0.5 1 0\ndata\n") +
           std::string("\x01\x02", 2)},
      {"policy/sentence_model.eval.json", "{\"macro_f1_all\": 0.5}\n"},
      {"policy/span_model.bin", "PIAUDIT-SPAN-MODEL 1\nbuckets 2\ntags 16\ntrans a" + Zeros(121) +
                                    "\ntrans b" + Zeros(25) + "\nstart a" + Zeros(11) +
                                    "\nstart b" + Zeros(5) + "\ndata\n" + std::string(32, '\1')},
      {"policy/span_model.eval.json", "{\"core_overlap_f1\": 0.5}\n"},
  };
}

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           (std::string("piaudit_kb_") + info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    files_ = ValidTree();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write() {
    for (const auto& [rel, text] : files_) {
      const fs::path p = dir_ / rel;
      fs::create_directories(p.parent_path());
      std::ofstream(p, std::ios::binary) << text;
    }
  }
  // Replaces `from` (must occur once) in file `rel`.
  void Edit(const std::string& rel, const std::string& from, const std::string& to) {
    std::string& t = files_.at(rel);
    const size_t at = t.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    ASSERT_EQ(t.find(from, at + 1), std::string::npos) << "ambiguous: " << from;
    t.replace(at, from.size(), to);
  }
  // 1-based line of the first occurrence of `needle` in file `rel`.
  int LineOf(const std::string& rel, const std::string& needle, int occurrence = 1) {
    const std::string& t = files_.at(rel);
    size_t at = std::string::npos;
    for (int i = 0; i < occurrence; ++i) at = t.find(needle, at == std::string::npos ? 0 : at + 1);
    EXPECT_NE(at, std::string::npos) << needle;
    return 1 + static_cast<int>(std::count(t.begin(), t.begin() + static_cast<long>(at), '\n'));
  }
  std::string Where(const std::string& rel, int line) {
    return (dir_ / rel).string() + ":" + std::to_string(line);
  }
  // Loads and expects success.
  void ExpectLoads() {
    Write();
    Diagnostics diags;
    auto kb = KnowledgeBase::Load(dir_.string(), &diags);
    EXPECT_TRUE(kb.ok()) << kb.status().ToString();
    EXPECT_FALSE(diags.HasErrors());
  }
  // Loads and expects failure; returns every error message ("file: message").
  std::vector<std::string> LoadErrors() {
    Write();
    Diagnostics diags;
    auto kb = KnowledgeBase::Load(dir_.string(), &diags);
    EXPECT_FALSE(kb.ok());
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.items()) out.push_back(d.file + ": " + d.message);
    return out;
  }
  // True when some error is at `where` and contains `text`.
  static bool HasError(const std::vector<std::string>& errors, const std::string& where,
                       const std::string& text) {
    for (const std::string& e : errors) {
      if (e.rfind(where + ": ", 0) == 0 && e.find(text) != std::string::npos) return true;
    }
    return false;
  }
  static std::string Dump(const std::vector<std::string>& errors) {
    std::string s;
    for (const std::string& e : errors) s += "\n  " + e;
    return s;
  }

  fs::path dir_;
  std::map<std::string, std::string> files_;
};

TEST_F(SchemaTest, ValidTreeLoads) {
  Write();
  Diagnostics diags;
  auto kb = KnowledgeBase::Load(dir_.string(), &diags);
  ASSERT_TRUE(kb.ok()) << kb.status().ToString();
  EXPECT_EQ(kb->version().version, "0.0.1");
  EXPECT_EQ(kb->sdks().size(), 2u);
  EXPECT_EQ(kb->calendar().first(), (Date{2026, 1, 1}));
  EXPECT_FALSE(diags.HasErrors());
}

TEST_F(SchemaTest, MessageMissingALanguageIsNamed) {
  Edit("messages.yaml", "    en: \"{who} reads {pi_type}\"\n", "");
  const auto errors = LoadErrors();
  EXPECT_TRUE(HasError(errors, Where("messages.yaml", LineOf("messages.yaml", "- id: im3_1.read")),
                       "message 'im3_1.read': missing the English text 'en'"))
      << Dump(errors);
}

TEST_F(SchemaTest, MessageParametersMustMatchInBothLanguages) {
  // The translation drops {pi_type} and invents {sdk}: both are errors on the zh line.
  Edit("messages.yaml", "zh: \"{who}读取 {pi_type}\"", "zh: \"{who}读取 {sdk}\"");
  const auto errors = LoadErrors();
  const std::string at = Where("messages.yaml", LineOf("messages.yaml", "zh: \"{who}"));
  EXPECT_TRUE(HasError(errors, at, "zh: uses {sdk}, not declared in params")) << Dump(errors);
  EXPECT_TRUE(HasError(errors, at, "zh: does not use parameter {pi_type}")) << Dump(errors);
}

TEST_F(SchemaTest, MessageRendersArgumentsListsAndNestedMessages) {
  Write();
  auto kb = KnowledgeBase::Load(dir_.string(), nullptr);
  ASSERT_TRUE(kb.ok()) << kb.status().ToString();
  MessageText m =
      Msg("im3_1.read", {MsgArg("who", Msg("im3_1.read", {Arg("who", "A"), Arg("pi_type", "x")})),
                         ListArg("pi_type", {"a", "b", "c"}, 2)});
  EXPECT_EQ(RenderMessage(*kb, m, Lang::kEn), "A reads x reads a, b (+1 more)");
  EXPECT_EQ(RenderMessage(*kb, m, Lang::kZh), "A读取 x读取 a、b等（另有 1 项）");
  // A value the data spells in both languages follows the reader.
  MessageText b =
      Msg("im3_1.read", {Arg("who", "A"), BilingualArg("pi_type", "contacts", "通讯录")});
  EXPECT_EQ(RenderMessage(*kb, b, Lang::kEn), "A reads contacts");
  EXPECT_EQ(RenderMessage(*kb, b, Lang::kZh), "A读取 通讯录");
  // A missing id and a missing argument stay visible, never crash.
  EXPECT_EQ(RenderMessage(*kb, Msg("no.such"), Lang::kZh), "[no.such]");
  EXPECT_EQ(RenderMessage(*kb, Msg("im3_1.read", {Arg("who", "B")}), Lang::kEn),
            "B reads {pi_type}");
}

TEST_F(SchemaTest, MissingDirectory) {
  auto kb = KnowledgeBase::Load((dir_ / "nope").string(), nullptr);
  ASSERT_FALSE(kb.ok());
  EXPECT_EQ(kb.status().code(), StatusCode::kNotFound);
}

TEST_F(SchemaTest, DuplicatePiTypeId) {
  Edit("pi_types.yaml", "  - id: imei\n", "  - id: device_id\n");
  const auto errors = LoadErrors();
  EXPECT_TRUE(HasError(errors, Where("pi_types.yaml", LineOf("pi_types.yaml", "id: device_id", 2)),
                       "duplicate id (first defined at line 4)"))
      << Dump(errors);
}

TEST_F(SchemaTest, UnknownPiTypeInSdk) {
  Edit("sdks/push.yaml", "    pi: [imei]\n    policy_names: [个推]",
       "    pi: [imei2]\n    policy_names: [个推]");
  const auto errors = LoadErrors();
  const int line = LineOf("sdks/push.yaml", "imei2");
  EXPECT_TRUE(
      HasError(errors, Where("sdks/push.yaml", line), "sdk 'getui': pi: unknown PI type 'imei2'"))
      << Dump(errors);
  // The first error returned by Load reads like the regulator-facing example.
  Diagnostics diags;
  auto kb = KnowledgeBase::Load(dir_.string(), &diags);
  ASSERT_FALSE(kb.ok());
  EXPECT_EQ(kb.status().ToString(), Where("sdks/push.yaml", line) +
                                        ": sdk 'getui': pi: unknown PI type 'imei2' (not in "
                                        "pi_types.yaml)");
}

TEST_F(SchemaTest, UnknownPiTypeInApiPermissionAndAppType) {
  Edit("apis.yaml", "    pi: [imei]\n", "    pi: [imei, gps]\n");
  Edit("permissions.yaml", "pi: [imei]", "pi: [imsi]");
  Edit("app_types.yaml", "    none: true\n",
       "    necessary: [手机号]\n    necessary_pi: [phone]\n");
  const auto errors = LoadErrors();
  EXPECT_TRUE(
      HasError(errors, Where("apis.yaml", LineOf("apis.yaml", "gps")), "unknown PI type 'gps'"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where("permissions.yaml", LineOf("permissions.yaml", "imsi")),
                       "unknown PI type 'imsi'"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where("app_types.yaml", LineOf("app_types.yaml", "[phone]")),
                       "unknown PI type 'phone'"))
      << Dump(errors);
}

TEST_F(SchemaTest, MalformedDescriptors) {
  const std::pair<const char*, const char*> cases[] = {
      {"Landroid/telephony/TelephonyManager->getDeviceId()Ljava/lang/String;", "';->'"},
      {"Landroid.telephony.TelephonyManager;->getDeviceId()Ljava/lang/String;", "uses '.'"},
      {"Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String", "return type"},
      {"Landroid/telephony/TelephonyManager;->getDeviceId(Q)Ljava/lang/String;", "parameter"},
      {"Landroid/os/Build;->SERIAL:V", "field type"},
      {"android/os/Build;->SERIAL:Ljava/lang/String;", "must start with 'L'"},
  };
  for (const auto& [bad, why] : cases) {
    files_ = ValidTree();
    Edit("apis.yaml", "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;", bad);
    const auto errors = LoadErrors();
    EXPECT_TRUE(HasError(errors, Where("apis.yaml", 4), "malformed JVM descriptor"))
        << bad << Dump(errors);
    EXPECT_TRUE(HasError(errors, Where("apis.yaml", 4), why)) << bad << Dump(errors);
  }
}

TEST_F(SchemaTest, DuplicateDescriptor) {
  Edit("apis.yaml", "content_uris:\n",
       "  - ref: Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;\n"
       "    pi: [imei]\n    source: test\ncontent_uris:\n");
  const auto errors = LoadErrors();
  EXPECT_TRUE(
      HasError(errors, Where("apis.yaml", 8), "duplicate descriptor (first defined at line 4)"))
      << Dump(errors);
}

// One descriptor per constant argument (SystemProperties.get with two keys) is valid; the same
// constant twice is a duplicate.
TEST_F(SchemaTest, DescriptorRepeatedWithAnotherConstArg) {
  const std::string get =
      "  - ref: Landroid/os/SystemProperties;->get(Ljava/lang/String;)Ljava/lang/String;\n";
  Edit("apis.yaml", "content_uris:\n",
       get + "    pi: [imei]\n    const_arg: {index: 0, value: ro.a}\n    source: test\n" + get +
           "    pi: [imei]\n    const_arg: {index: 0, value: ro.b}\n    source: test\n" +
           "content_uris:\n");
  ExpectLoads();
  Edit("apis.yaml", "value: ro.b", "value: ro.a");
  EXPECT_TRUE(HasError(LoadErrors(), Where("apis.yaml", 12),
                       "duplicate descriptor (first defined at line 8)"))
      << Dump(LoadErrors());
}

// uri_arg: the URI decides the type, so the entry takes no pi of its own.
TEST_F(SchemaTest, UriArgEntryTakesNoPi) {
  const std::string query =
      "  - ref: Landroid/content/ContentResolver;->query(Landroid/net/Uri;)Landroid/database/"
      "Cursor;\n    uri_arg: 0\n";
  Edit("apis.yaml", "content_uris:\n", query + "    source: test\ncontent_uris:\n");
  ExpectLoads();
  Edit("apis.yaml", "    uri_arg: 0\n", "    uri_arg: 0\n    pi: [imei]\n");
  EXPECT_TRUE(
      HasError(LoadErrors(), Where("apis.yaml", 10), "takes its PI types from content_uris"))
      << Dump(LoadErrors());
}

TEST_F(SchemaTest, OverlappingPrefixesNeedRelated) {
  Edit("sdks/push.yaml", "prefixes: [com.igexin]", "prefixes: [com.igexin, cn.jiguang.verifysdk]");
  auto errors = LoadErrors();
  const int getui_line = LineOf("sdks/push.yaml", "id: getui");
  EXPECT_TRUE(HasError(errors, Where("sdks/push.yaml", getui_line),
                       "'cn.jiguang.verifysdk' overlaps 'cn.jiguang' of sdk 'jpush'"))
      << Dump(errors);
  // Declaring the relation makes it valid.
  Edit("sdks/push.yaml", "    policy_names: [个推]\n",
       "    policy_names: [个推]\n    related: [jpush]\n");
  Write();
  auto kb = KnowledgeBase::Load(dir_.string(), nullptr);
  EXPECT_TRUE(kb.ok()) << kb.status().ToString();
  // Same prefix in two SDKs is an overlap too.
  files_ = ValidTree();
  Edit("sdks/push.yaml", "prefixes: [com.igexin]", "prefixes: [cn.jpush.android]");
  errors = LoadErrors();
  EXPECT_TRUE(HasError(errors, Where("sdks/push.yaml", getui_line), "overlaps 'cn.jpush.android'"))
      << Dump(errors);
}

TEST_F(SchemaTest, MalformedPrefixAndUnknownRelated) {
  Edit("sdks/push.yaml", "prefixes: [com.igexin]", "prefixes: [com..igexin, igexin]");
  Edit("sdks/push.yaml", "    policy_names: [个推]\n",
       "    policy_names: [个推]\n    related: [nobody]\n");
  const auto errors = LoadErrors();
  const int line = LineOf("sdks/push.yaml", "com..igexin");
  EXPECT_TRUE(
      HasError(errors, Where("sdks/push.yaml", line), "malformed package prefix 'com..igexin'"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where("sdks/push.yaml", line), "at least two parts"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where("sdks/push.yaml", LineOf("sdks/push.yaml", "id: getui")),
                       "related: unknown SDK id 'nobody'"))
      << Dump(errors);
}

TEST_F(SchemaTest, MissingRequiredFieldAndUnknownKey) {
  Edit("sdks/push.yaml", "    provider: 每日互动\n", "    vendor: 每日互动\n");
  const auto errors = LoadErrors();
  const int line = LineOf("sdks/push.yaml", "id: getui");
  EXPECT_TRUE(HasError(errors, Where("sdks/push.yaml", line),
                       "sdk 'getui': missing required field 'provider'"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where("sdks/push.yaml", LineOf("sdks/push.yaml", "vendor")),
                       "unknown key 'vendor'"))
      << Dump(errors);
}

// Issue 17: an SDK of a category that collects PI must say what it takes; a category that does
// not collect (a hot-fix library) may list none.
TEST_F(SchemaTest, CollectingCategoryNeedsPi) {
  Edit("sdk_categories.yaml", "targeting: true, source: test}",
       "targeting: true, collects_pi: true, source: test}");
  ExpectLoads();  // both push entries list pi
  Edit("sdks/push.yaml", "    pi: [imei]\n    policy_names: [个推]\n",
       "    policy_names: [个推]\n");
  auto errors = LoadErrors();
  EXPECT_TRUE(HasError(errors, Where("sdks/push.yaml", LineOf("sdks/push.yaml", "category", 2)),
                       "sdk 'getui': pi: missing; category 'push' collects personal information"))
      << Dump(errors);
  // Without the flag the same entry loads: the check follows the category, not the SDK.
  Edit("sdk_categories.yaml", "collects_pi: true, ", "");
  ExpectLoads();
  // A non-boolean flag is an error, not "false".
  Edit("sdk_categories.yaml", "targeting: true, source: test}",
       "targeting: true, collects_pi: yes, source: test}");
  errors = LoadErrors();
  EXPECT_FALSE(errors.empty());
}

TEST_F(SchemaTest, ClassPatternsAndWebsite) {
  Edit("sdks/push.yaml", "    prefixes: [com.igexin]\n",
       "    prefixes: [com.igexin]\n    class_patterns: [.igexinx., .LigatusManager]\n"
       "    website: https://www.getui.com\n");
  Write();
  auto kb = KnowledgeBase::Load(dir_.string(), nullptr);
  ASSERT_TRUE(kb.ok()) << kb.status().ToString();
  const Sdk* getui = kb->FindSdk("getui");
  ASSERT_NE(getui, nullptr);
  EXPECT_EQ(getui->class_patterns, (std::vector<std::string>{".igexinx.", ".LigatusManager"}));
  EXPECT_EQ(getui->website, "https://www.getui.com");
  // A pattern that would match nearly every class, a regex character, a non-URL website.
  Edit("sdks/push.yaml", "class_patterns: [.igexinx., .LigatusManager]",
       "class_patterns: [.a.b., com.(x)]");
  Edit("sdks/push.yaml", "website: https://www.getui.com", "website: www.getui.com");
  const auto errors = LoadErrors();
  const int line = LineOf("sdks/push.yaml", "class_patterns");
  EXPECT_TRUE(HasError(errors, Where("sdks/push.yaml", line), "fewer than 4 non-dot characters"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where("sdks/push.yaml", line), "class pattern 'com.(x)'"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where("sdks/push.yaml", LineOf("sdks/push.yaml", "website")),
                       "website must be an http(s) URL"))
      << Dump(errors);
}

TEST_F(SchemaTest, SdkVersionLocations) {
  Edit(
      "sdks/push.yaml", "    prefixes: [com.igexin]\n",
      "    prefixes: [com.igexin]\n    version:\n"
      "      - {ref: \"Lcom/igexin/sdk/PushBuildConfig;->sdk_conf_version:Ljava/lang/String;\", "
      "source: test}\n"
      "      - {ref: \"Lcom/igexin/sdk/PushManager;->getVersion()Ljava/lang/String;\", source: t}\n"
      "      - {meta_inf: \"com.igexin_sdk*.version\", source: test}\n");
  Write();
  auto kb = KnowledgeBase::Load(dir_.string(), nullptr);
  ASSERT_TRUE(kb.ok()) << kb.status().ToString();
  const Sdk* getui = kb->FindSdk("getui");
  ASSERT_NE(getui, nullptr);
  ASSERT_EQ(getui->version.size(), 3u);
  EXPECT_EQ(getui->version[0].ref,
            "Lcom/igexin/sdk/PushBuildConfig;->sdk_conf_version:Ljava/lang/String;");
  EXPECT_EQ(getui->version[2].meta_inf, "com.igexin_sdk*.version");
  // Not a String, a method with arguments, a file that is not *.version, both keys, no source.
  Edit("sdks/push.yaml", "sdk_conf_version:Ljava/lang/String;", "sdk_conf_version:I");
  Edit("sdks/push.yaml", "getVersion()Ljava/lang/String;", "getVersion(I)Ljava/lang/String;");
  Edit("sdks/push.yaml", "com.igexin_sdk*.version\", source: test}",
       "com.igexin_sdk*.txt\", source: test}\n      - {meta_inf: x.version, ref: \"La/B;->c:I\", "
       "source: test}\n      - {meta_inf: y.version}");
  const auto errors = LoadErrors();
  const std::string f = "sdks/push.yaml";
  EXPECT_TRUE(HasError(errors, Where(f, LineOf(f, "sdk_conf_version:I")),
                       "must be a String field or a method returning String"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where(f, LineOf(f, "getVersion(I)")), "must take no arguments"))
      << Dump(errors);
  EXPECT_TRUE(
      HasError(errors, Where(f, LineOf(f, "com.igexin_sdk*.txt")), "must name a *.version file"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where(f, LineOf(f, "x.version")), "give exactly one of ref"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where(f, LineOf(f, "y.version")), "missing required field 'source'"))
      << Dump(errors);
}

TEST_F(SchemaTest, DuplicateSdkIdAcrossFiles) {
  files_["sdks/zz.yaml"] =
      "version: 1\nsources: [test]\nsdks:\n"
      "  - id: jpush\n    zh: x\n    en: x\n    provider: x\n    category: push\n"
      "    prefixes: [com.other]\n    policy_names: [x]\n    source: test\n";
  const auto errors = LoadErrors();
  EXPECT_TRUE(HasError(errors, Where("sdks/zz.yaml", 4),
                       "duplicate id (first defined at " + Where("sdks/push.yaml", 4)))
      << Dump(errors);
}

TEST_F(SchemaTest, WorkDayOnAWednesday) {
  // 2026-01-07 is a Wednesday: a 调休 working day can only be a Saturday or Sunday.
  Edit("holidays/cn-2026.yaml", "2026-01-04, kind: work", "2026-01-07, kind: work");
  const auto errors = LoadErrors();
  EXPECT_TRUE(
      HasError(errors, Where("holidays/cn-2026.yaml", 7), "'work' day 2026-01-07 is a Wednesday"))
      << Dump(errors);
}

TEST_F(SchemaTest, BadAndDuplicateDates) {
  Edit("holidays/cn-2026.yaml", "2026-01-04, kind: work", "2026-02-30, kind: work");
  auto errors = LoadErrors();
  EXPECT_TRUE(HasError(errors, Where("holidays/cn-2026.yaml", 7), "bad date '2026-02-30'"))
      << Dump(errors);
  files_ = ValidTree();
  Edit("holidays/cn-2026.yaml", "2026-01-04, kind: work, name: 调休上班",
       "2026-01-01, kind: off, name: again");
  errors = LoadErrors();
  EXPECT_TRUE(
      HasError(errors, Where("holidays/cn-2026.yaml", 7),
               "date 2026-01-01 listed twice (first at " + Where("holidays/cn-2026.yaml", 6)))
      << Dump(errors);
  files_ = ValidTree();
  Edit("holidays/cn-2026.yaml", "kind: off", "kind: holiday");
  errors = LoadErrors();
  EXPECT_TRUE(
      HasError(errors, Where("holidays/cn-2026.yaml", 6), "'holiday' is not one of off, work"))
      << Dump(errors);
}

TEST_F(SchemaTest, HolidayYearsMustBeContiguous) {
  files_["holidays/cn-2024.yaml"] =
      "version: 1\nyear: 2024\nnotice: n\nsources: [t]\ndays:\n"
      "  - {date: 2024-01-01, kind: off, name: 元旦}\n";
  const auto errors = LoadErrors();
  bool found = false;
  for (const std::string& e : errors)
    found |= e.find("notice for 2025 missing") != std::string::npos;
  EXPECT_TRUE(found) << Dump(errors);
}

TEST_F(SchemaTest, YamlSyntaxErrorNamesTheLine) {
  Edit("items.yaml", "    en: no privacy policy\n", "    en: [no privacy policy\n");
  const auto errors = LoadErrors();
  bool found = false;
  for (const std::string& e : errors) {
    found |= e.rfind((dir_ / "items.yaml").string() + ":", 0) == 0 &&
             e.find("YAML syntax error") != std::string::npos;
  }
  EXPECT_TRUE(found) << Dump(errors);
}

TEST_F(SchemaTest, BadEnumsAndItemIds) {
  Edit("pi_types.yaml", "gbt35273: DEVICE\n    parent", "gbt35273: GADGET\n    parent");
  Edit("sdks/push.yaml", "category: push\n    prefixes: [com",
       "category: pushing\n    prefixes: [com");
  Edit("items.yaml", "evidence: [S, P]", "evidence: [S, X]");
  Edit("thresholds.yaml", "unit: taps", "unit: clicks");
  const auto errors = LoadErrors();
  EXPECT_TRUE(HasError(errors, Where("pi_types.yaml", LineOf("pi_types.yaml", "GADGET")),
                       "'GADGET' is not one of"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where("sdks/push.yaml", LineOf("sdks/push.yaml", "pushing")),
                       "'pushing' is not one of"))
      << Dump(errors);
  EXPECT_TRUE(
      HasError(errors, Where("items.yaml", LineOf("items.yaml", "[S, X]")), "'X' is not one of"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, Where("thresholds.yaml", 4), "'clicks' is not one of"))
      << Dump(errors);
}

TEST_F(SchemaTest, ParentCycleRejected) {
  Edit("pi_types.yaml", "    group: true\n", "    group: true\n    parent: imei\n");
  const auto errors = LoadErrors();
  EXPECT_TRUE(HasError(errors, Where("pi_types.yaml", 4), "loops back")) << Dump(errors);
}

TEST_F(SchemaTest, MissingFileIsAnError) {
  files_.erase("packers.yaml");
  Write();
  auto kb = KnowledgeBase::Load(dir_.string(), nullptr);
  ASSERT_FALSE(kb.ok());
  EXPECT_NE(kb.status().ToString().find("packers.yaml"), std::string::npos)
      << kb.status().ToString();
}

TEST_F(SchemaTest, HostileFilesAreErrorsNotCrashes) {
  const std::string cases[] = {
      "",                                                                     // empty file
      std::string("\x00\xff\xfe garbage", 12),                                // binary
      "pi_types: " + std::string(5000, '[') + std::string(5000, ']') + "\n",  // deep nesting
      "version: 1\nsources: [t]\npi_types: {a: b}\n",                         // map, not list
      "version: 1\nsources: [t]\npi_types:\n  - just a string\n",             // entry not a map
      "version: [1]\nsources: [t]\npi_types: []\n",                           // list where scalar
  };
  for (const std::string& text : cases) {
    files_ = ValidTree();
    files_["pi_types.yaml"] = text;
    Write();
    Diagnostics diags;
    auto kb = KnowledgeBase::Load(dir_.string(), &diags);
    ASSERT_FALSE(kb.ok());
    EXPECT_NE(kb.status().ToString().find("pi_types.yaml"), std::string::npos)
        << kb.status().ToString();
  }
}

TEST_F(SchemaTest, EveryErrorIsCollected) {
  Edit("pi_types.yaml", "    zh: IMEI\n", "");
  Edit("permissions.yaml", "    protection: dangerous\n", "");
  Diagnostics diags;
  Write();
  auto kb = KnowledgeBase::Load(dir_.string(), &diags);
  ASSERT_FALSE(kb.ok());
  EXPECT_GE(diags.items().size(), 2u);
  EXPECT_TRUE(diags.HasErrors());
}

}  // namespace
}  // namespace piaudit::knowledge
