// The evidence record (src/evidence/evidence_json.cc): a record with every field set survives
// write -> read -> write unchanged, invalid UTF-8 is replaced instead of aborting, and every way
// a hostile record can be wrong gives an error that names the file and the JSON path or offset.
#include "evidence/evidence_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "evidence/internal/field_count.h"

namespace piaudit::evidence {
namespace {

using nlohmann::json;

// A field added to one of these structs must be set in FillEverything below (and serialised:
// evidence_json.cc does not compile until it is). Then update the count here.
template <typename T>
constexpr std::size_t kFields = internal::AggregateFieldCount<T>();
static_assert(kFields<PolicySpan> == 3, "update FillEverything");
static_assert(kFields<EvidenceRef> == 8, "update FillEverything");
static_assert(kFields<AppFacts> == 10, "update FillEverything");
static_assert(kFields<SignerFact> == 6, "update FillEverything");
static_assert(kFields<PermissionFact> == 4, "update FillEverything");
static_assert(kFields<SdkFact> == 10, "update FillEverything");
static_assert(kFields<PackerFact> == 3, "update FillEverything");
static_assert(kFields<CodeReadStatus> == 6, "update FillEverything");
static_assert(kFields<SensitiveCall> == 10, "update FillEverything");
static_assert(kFields<StartupPermissionRequest> == 6, "update FillEverything");
static_assert(kFields<ConsentGate> == 4, "update FillEverything");
static_assert(kFields<PrecheckedConsent> == 4, "update FillEverything");
static_assert(kFields<HostFact> == 3, "update FillEverything");
static_assert(kFields<PolicyDataType> == 7, "update FillEverything");
static_assert(kFields<PolicyPermission> == 4, "update FillEverything");
static_assert(kFields<PolicyThirdParty> == 8, "update FillEverything");
static_assert(kFields<PolicyRight> == 5, "update FillEverything");
static_assert(kFields<PolicyChannel> == 4, "update FillEverything");
static_assert(kFields<PolicyTimeLimit> == 5, "update FillEverything");
static_assert(kFields<PolicyScript> == 5, "update FillEverything");
static_assert(kFields<PolicyReadability> == 7, "update FillEverything");
static_assert(kFields<PolicyPractice> == 9, "update FillEverything");
static_assert(kFields<PolicyFacts> == 18, "update FillEverything");
static_assert(kFields<AppTypeFact> == 4, "update FillEverything");
static_assert(kFields<Diagnostic> == 7, "update FillEverything");
static_assert(kFields<AppEvidence> == 20, "update FillEverything");
static_assert(kFields<RuntimeFileFact> == 11, "update FillEverything");
static_assert(kFields<RuntimeEventFact> == 16, "update FillEverything");
static_assert(kFields<RuntimeApiFact> == 9, "update FillEverything");
static_assert(kFields<RuntimeRateFact> == 5, "update FillEverything");
static_assert(kFields<RuntimeLeakFact> == 8, "update FillEverything");
static_assert(kFields<RuntimeHostFact> == 6, "update FillEverything");
static_assert(kFields<RuntimeFacts> == 14, "update FillEverything");
static_assert(kFields<VersionChange> == 10, "update FillEverything");
static_assert(kFields<PreviousVersion> == 9, "update FillEverything");
static_assert(kFields<VersionChanges> == 10, "update FillEverything");
static_assert(kFields<EvidenceRecordInfo> == 3, "update Info");

constexpr std::string_view kFile = "evidence.json";

std::string N(std::string_view prefix, int n) { return std::string(prefix) + std::to_string(n); }

PolicySpan Span(int n) {
  return PolicySpan{static_cast<uint32_t>(10 * n + 1), static_cast<uint32_t>(10 * n + 7),
                    N("我们会收集您的手机号码 ", n)};
}

EvidenceRef Ref(int n) {
  EvidenceRef r;
  r.kind = static_cast<SourceKind>(n % 10);  // every kind appears across the record
  r.file = N("classes", n) + ".dex";
  r.location = N("com.example.C.m", n);
  r.chain = {N("com.example.App.onCreate#", n), N("com.example.C.m", n)};
  r.span = Span(n);
  r.offset = 0x1a2c + n;
  r.detail = N("detail ", n);
  r.time = "2026-12-06T08:00:0" + std::to_string(n % 10) + ".123Z";
  return r;
}

// Every field of every struct set to something other than its default (checked below by
// NoDefaultsLeft on the written record, and field counts by the static_asserts above).
AppEvidence FillEverything() {
  AppEvidence e;
  e.app.package = "com.example.app";
  e.app.label = "示例";
  e.app.labels_by_locale = {{"zh-CN", "示例"}, {"en", "Example"}};
  e.app.version_name = "1.2.3";
  e.app.version_code = -(int64_t{1} << 40);  // negative and beyond 32 bits
  e.app.min_sdk = 21;
  e.app.target_sdk = 34;
  e.app.apk_file = "/data/apks/example.apk";
  e.app.apk_sha256 = std::string(64, 'a');
  for (int i = 0; i < 2; ++i) {
    SignerFact signer;
    signer.sha256 = std::string(64, static_cast<char>('b' + i));
    signer.subject = N("CN=Signer ", i);
    signer.schemes = {"v2", N("v", 3 + i)};
    signer.verified = true;
    signer.lineage = {std::string(64, 'f'), signer.sha256};
    signer.lineage_verified = true;
    e.app.signers.push_back(signer);
  }

  for (int i = 0; i < 2; ++i) {
    PermissionFact p;
    p.name = N("android.permission.P", i);
    p.dangerous = true;
    p.pi_types = {N("pi_", i)};
    p.ref = Ref(i);
    e.permissions.push_back(p);
  }
  PermissionFact implied;
  implied.name = "android.permission.READ_PHONE_STATE";
  implied.dangerous = true;
  implied.pi_types = {"device_id"};
  implied.ref = Ref(3);
  e.implied_permissions.push_back(implied);
  SdkFact sdk;
  sdk.id = "jpush";
  sdk.name = "极光推送";
  sdk.category = "push";
  sdk.provider = "JiGuang";
  sdk.strength = DetectionStrength::kWeak;
  sdk.presence = "referenced";
  sdk.pi_types = {"device_id", "location"};
  sdk.refs = {Ref(2), Ref(3)};
  sdk.version = "5.2.0";
  sdk.version_ref = Ref(5);
  e.sdks.push_back(sdk);
  e.packer = PackerFact{"jiagu360", "360加固", {Ref(4)}};

  e.code.attempted = false;
  e.code.dex_files = 3;
  e.code.dex_files_read = 2;
  e.code.failed_dex = {"classes3.dex: bad magic"};
  e.code.limits_hit = {"max_call_graph_edges"};
  e.code.dynamic_loading = true;

  const BeforeConsent consent[] = {BeforeConsent::kLikely, BeforeConsent::kNo,
                                   BeforeConsent::kUnknown, BeforeConsent::kLikely};
  for (int i = 0; i < 4; ++i) {
    SensitiveCall c;
    c.api = N("Landroid/telephony/TelephonyManager;->getDeviceId", i);
    c.pi_type = "device_id";
    c.caller = N("com.example.Init.run", i);
    c.owner = i % 2 ? "app" : "umeng";
    c.startup = true;
    c.launcher = true;
    c.fan_out = true;
    c.before_consent = consent[i];
    c.chain = {"com.example.App.onCreate", c.caller};
    c.ref = Ref(5 + i);
    e.sensitive_calls.push_back(c);
  }
  StartupPermissionRequest req;
  req.permissions = {"android.permission.CAMERA", "android.permission.READ_CONTACTS"};
  req.caller = "com.example.Main.onCreate";
  req.owner = "sdk.x";
  req.before_consent = BeforeConsent::kLikely;
  req.chain = {"com.example.Main.onCreate"};
  req.ref = Ref(9);
  e.startup_permission_requests.push_back(req);

  e.consent_gate.found = true;
  e.consent_gate.dialog = {Ref(10), Ref(11)};
  e.consent_gate.agree_handler = Ref(12);
  e.consent_gate.flag = Ref(13);
  e.prechecked_consents.push_back(
      PrecheckedConsent{"res/layout/activity_login.xml", "cb_agree", "我已阅读并同意", Ref(14)});

  PolicyFacts& p = e.policy;
  p.source = PolicySource::kBundledAsset;
  p.file = "assets/privacy.html";
  p.urls_found = {"https://example.com/privacy"};
  p.refs = {Ref(15)};
  p.analysed = true;
  p.text_code_points = 12345;
  p.collection_sentences = 17;
  PolicyDataType dt;
  dt.type_id = "phone_number";
  dt.collected = true;
  dt.not_collected = true;
  dt.optional = true;
  dt.required = true;
  dt.functions = {"注册"};
  dt.spans = {Span(1), Span(2)};
  p.data_types.push_back(dt);
  p.permissions.push_back(PolicyPermission{"android.permission.CAMERA", true, "扫码", Span(3)});
  PolicyThirdParty tp;
  tp.is_sdk = true;
  tp.sdk_id = "jpush";
  tp.name = "极光";
  tp.provider = "深圳市和讯华谷";
  tp.purpose = "推送";
  tp.data_types = {"device_id"};
  tp.contact = "support@jiguang.cn";
  tp.span = Span(4);
  p.third_parties.push_back(tp);
  for (int k = 0; k <= static_cast<int>(RightKind::kComplaint); ++k) {
    p.rights.push_back(
        PolicyRight{static_cast<RightKind>(k), {"id_card", "fee"}, "我的>设置", Span(5 + k), true});
  }
  p.channels.push_back(PolicyChannel{"email", "privacy@example.com", true, Span(20)});
  for (int u = 0; u <= static_cast<int>(TimeUnit::kMonths); ++u) {
    p.time_limits.push_back(
        PolicyTimeLimit{15u + u, static_cast<TimeUnit>(u), "request", Span(21 + u), true});
  }
  p.personalization_mentions = {Span(30)};
  p.script = PolicyScript{"zh", 9000, 0.1, true, true};
  p.readability = PolicyReadability{20000, 300, 1.0 / 3.0, 250, 12, 0.6000000000000001, {"SDK"}};
  p.warnings = {"policy truncated"};
  p.practices.push_back(PolicyPractice{{"location", "gps"},
                                       Span(31),
                                       "share",
                                       Span(32),
                                       Span(33),
                                       "first_party",
                                       Span(34),
                                       {Span(35), Span(36)},
                                       Span(37)});

  e.app_type = AppTypeFact{"map_navigation", true, 0.87, "keyword '地图' in label"};
  e.hosts.push_back(HostFact{"api.example.com", "app", Ref(31)});
  e.urls = {"https://api.example.com/v1"};
  e.diagnostics.push_back(Diagnostic{Severity::kError, "zip.duplicate_name", "example.apk",
                                     "central_directory[3]", 0xffffffffffffffffull, true,
                                     "duplicate entry name"});
  e.diagnostics.push_back(Diagnostic{Severity::kInfo, "dex.x", "classes.dex", "s", 1, true, "m"});
  e.diagnostics_dropped = 7;
  e.dynamic_trace = true;
  RuntimeFacts& r = e.runtime.emplace();
  r.files.push_back(RuntimeFileFact{"run1.jsonl", "piaudit.trace/1", "com.example.app", 7,
                                    std::string(64, 'c'), "frida-recorder 1.0", 1200, 3,
                                    "2026-12-06T08:00:00.000Z", "2026-12-06T09:00:00.000Z",
                                    "line 9: over max_line_bytes"});
  r.package = "com.example.app";
  r.hooks_installed = {"android.telephony.TelephonyManager.getDeviceId"};
  r.hooks_failed = {"android.telephony.TelephonyManager.getImei"};
  r.identifiers_known = {"imei", "oaid"};
  r.timeline.push_back(RuntimeEventFact{"permission_result",
                                        int64_t{1765008000123},
                                        "accepted",
                                        {"android.permission.CAMERA"},
                                        true,
                                        "com.umeng",
                                        "同意",
                                        true,
                                        true,
                                        true,
                                        true,
                                        true,
                                        "screens/consent.png",
                                        std::string(64, 'a'),
                                        {"我已阅读并同意", "同意"},
                                        Ref(40)});
  r.api_calls.push_back(RuntimeApiFact{"android.telephony.TelephonyManager.getDeviceId",
                                       {"imei"},
                                       "umeng",
                                       "before_consent",
                                       "background",
                                       "android.permission.READ_PHONE_STATE",
                                       12,
                                       {"com.umeng.X.a(X.java:1)"},
                                       Ref(41)});
  r.rates.push_back(RuntimeRateFact{
      "android.telephony.TelephonyManager.getDeviceId", {"imei"}, "background", 720, Ref(42)});
  r.leaks.push_back(RuntimeLeakFact{"ulogs.umeng.com", "umeng", "imei", "md5", "body",
                                    "before_consent", 2, Ref(43)});
  r.hosts.push_back(
      RuntimeHostFact{"ulogs.umeng.com", "umeng", "before_consent", 5, true, Ref(44)});
  r.api_events = 100;
  r.network_events = 20;
  r.untimed_events = 1;
  r.dropped = 2;
  // What changed since the previous version (version_changes.h): every field set.
  VersionChanges changes;
  changes.previous = PreviousVersion{"com.example.app", "1.0", 1, 29, "old.apk", "ab12", {"cd34"},
                                     "old_policy.html", true};
  changes.same_package = true;
  changes.same_lineage = true;
  changes.lineage = "rotated";
  changes.lineage_from = "cd34";
  changes.lineage_to = "ef56";
  changes.forced = true;
  changes.policies_compared = true;
  changes.policy_unchanged = true;
  VersionChange change;
  change.area = "permission";
  change.kind = ChangeKind::kChanged;
  change.subject = "android.permission.CAMERA";
  change.before = "28";
  change.after = "33";
  change.widens = true;
  change.dangerous = true;
  change.previous_refs = {Ref(40)};
  change.current_refs = {Ref(41), Ref(42)};
  change.version_change = "upgraded";
  changes.changes.push_back(change);
  e.previous = changes;
  e.apk_unreadable = "not a zip";
  return e;
}

EvidenceRecordInfo Info() { return {"0.1.0", "kb-2024.05", "2024-05-01T12:00:00Z"}; }

// Walks a written record and lists every place that still holds what a default-constructed
// struct would: null (an optional left empty), [] (a vector left empty), "" or 0 or false (the
// one bool whose default is true, `attempted`, must be false instead).
void NoDefaultsLeft(const json& j, const std::string& path, std::vector<std::string>* found) {
  if (j.is_null() || (j.is_array() && j.empty()) ||
      (j.is_string() && j.get<std::string>().empty()) || (j.is_number() && j.get<double>() == 0)) {
    found->push_back(path);
  } else if (j.is_boolean()) {
    const bool default_true = path.size() >= 10 && path.ends_with(".attempted");
    if (j.get<bool>() == default_true) found->push_back(path);
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) NoDefaultsLeft(v, path + "." + k, found);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i)
      NoDefaultsLeft(j[i], path + "[" + std::to_string(i) + "]", found);
  }
}

std::string Write(const AppEvidence& e) { return WriteEvidenceJson(e, Info()); }

Result<AppEvidence> Read(std::string_view text, EvidenceRecordInfo* info = nullptr) {
  return ReadEvidenceJson(text, kFile, Limits{}, info);
}

// The written record of FillEverything() as a tree, to break in one place.
json Tree() { return json::parse(Write(FillEverything())); }

// Reads a changed tree; expects failure and returns the message.
std::string ErrorOf(const json& tree, StatusCode code = StatusCode::kInvalidInput) {
  Result<AppEvidence> r = Read(tree.dump(2));
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), code) << r.status().ToString();
  EXPECT_EQ(r.status().file(), kFile);
  return r.status().ToString();
}

TEST(EvidenceJsonTest, EveryFieldRoundTrips) {
  const AppEvidence e = FillEverything();
  const std::string text = Write(e);
  std::vector<std::string> defaults;
  NoDefaultsLeft(json::parse(text)["evidence"], "evidence", &defaults);
  EXPECT_TRUE(defaults.empty()) << "FillEverything leaves defaults at: "
                                << ::testing::PrintToString(defaults);

  EvidenceRecordInfo info;
  Result<AppEvidence> back = Read(text, &info);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == e);  // every field, member-wise
  EXPECT_EQ(info, Info());
  EXPECT_EQ(WriteEvidenceJson(*back, info), text);
}

TEST(EvidenceJsonTest, DefaultEvidenceRoundTrips) {
  const std::string text = Write(AppEvidence{});
  Result<AppEvidence> back = Read(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == AppEvidence{});
  EXPECT_EQ(Write(*back), text);
}

TEST(EvidenceJsonTest, HeaderFirstTwoSpaceIndentStableBytes) {
  const std::string text = Write(FillEverything());
  EXPECT_EQ(text.rfind(
                "{\n  \"schema\": \"piaudit.evidence/1\",\n  \"tool_version\": \"0.1.0\",\n"
                "  \"kb_version\": \"kb-2024.05\",\n  \"generated_at\": \"2024-05-01T12:00:00Z\",\n"
                "  \"evidence\": {\n    \"app\": {\n      \"package\": \"com.example.app\",\n",
                0),
            0u)
      << text.substr(0, 300);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(Write(FillEverything()), text);  // no clock, no addresses, no hash order
  // Enums by name, optionals as null, pairs as two-element arrays.
  const json tree = json::parse(text);
  EXPECT_EQ(tree["evidence"]["sensitive_calls"][1]["before_consent"], "no");
  EXPECT_EQ(tree["evidence"]["diagnostics"][0]["severity"], "error");
  EXPECT_EQ(tree["evidence"]["app"]["labels_by_locale"][1], json::array({"en", "Example"}));
  EXPECT_TRUE(json::parse(Write(AppEvidence{}))["evidence"]["packer"].is_null());
}

TEST(EvidenceJsonTest, InvalidUtf8IsReplacedNotFatal) {
  AppEvidence e = FillEverything();
  e.app.label = "ab\xff\xfe";                         // not UTF-8 at all
  e.diagnostics[0].message = "cut \xe6\x89";          // a 3-byte sequence cut short
  e.policy.data_types[0].spans[0].text = "\xc0\xaf";  // overlong '/'
  e.sensitive_calls[0].chain[0] = "\xed\xa0\x80";     // a UTF-16 surrogate
  const std::string text = Write(e);
  ASSERT_FALSE(text.empty());
  EXPECT_TRUE(json::accept(text));  // what was written is valid UTF-8 JSON

  Result<AppEvidence> back = Read(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const std::string kFffd = "\xef\xbf\xbd";
  EXPECT_EQ(back->app.label, "ab" + kFffd + kFffd);
  EXPECT_EQ(back->diagnostics[0].message.rfind("cut " + kFffd, 0), 0u);
  EXPECT_EQ(back->policy.data_types[0].spans[0].text.find('\xc0'), std::string::npos);
  EXPECT_EQ(back->sensitive_calls[0].chain[0].find('\xed'), std::string::npos);
  EXPECT_EQ(Write(*back), text);  // stable after the one replacement
  back->app.label = e.app.label;  // everything else came back exactly
  back->diagnostics[0].message = e.diagnostics[0].message;
  back->policy.data_types[0].spans[0].text = e.policy.data_types[0].spans[0].text;
  back->sensitive_calls[0].chain[0] = e.sensitive_calls[0].chain[0];
  EXPECT_TRUE(*back == e);
}

TEST(EvidenceJsonTest, NonFiniteDoublesAreNullAndReadAsNan) {
  AppEvidence e;
  e.app_type.confidence = std::numeric_limits<double>::infinity();
  e.policy.script.traditional_ratio = std::nan("");
  const std::string text = Write(e);
  const json tree = json::parse(text);
  EXPECT_TRUE(tree["evidence"]["app_type"]["confidence"].is_null());
  Result<AppEvidence> back = Read(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(std::isnan(back->app_type.confidence));
  EXPECT_TRUE(std::isnan(back->policy.script.traditional_ratio));
  EXPECT_EQ(Write(*back), text);
}

TEST(EvidenceJsonTest, UnknownFieldsAreIgnored) {
  json tree = Tree();
  tree["future_header"] = "x";
  tree["evidence"]["future_facts"] = json::array({1, 2, {{"deep", json::object()}}});
  tree["evidence"]["sensitive_calls"][2]["ref"]["span"]["future"] = true;
  Result<AppEvidence> back = Read(tree.dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == FillEverything());
}

// `previous` (issue 14) was added within /1: a record written before it reads as "no previous
// version"; any other missing field is still an error.
TEST(EvidenceJsonTest, FieldsAddedLaterMayBeAbsent) {
  json tree = Tree();
  tree["evidence"].erase("previous");
  Result<AppEvidence> back = Read(tree.dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_FALSE(back->previous.has_value());
  AppEvidence expected = FillEverything();
  expected.previous.reset();
  EXPECT_TRUE(*back == expected);
  tree["evidence"]["policy"].erase("practices");
  back = Read(tree.dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  expected.policy.practices.clear();
  EXPECT_TRUE(*back == expected);
  tree["evidence"].erase("apk_unreadable");
  EXPECT_EQ(ErrorOf(tree), "evidence.json: evidence.apk_unreadable: missing field");
}

// A signer's proof-of-rotation and the pair's lineage kind were added within /1 (key rotation).
TEST(EvidenceJsonTest, LineageFieldsMayBeAbsent) {
  json tree = Tree();
  for (json& signer : tree["evidence"]["app"]["signers"]) {
    signer.erase("lineage");
    signer.erase("lineage_verified");
  }
  for (const char* key : {"lineage", "lineage_from", "lineage_to"})
    tree["evidence"]["previous"].erase(key);
  Result<AppEvidence> back = Read(tree.dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  AppEvidence expected = FillEverything();
  for (SignerFact& signer : expected.app.signers) {
    signer.lineage.clear();
    signer.lineage_verified = false;
  }
  expected.previous->lineage.clear();
  expected.previous->lineage_from.clear();
  expected.previous->lineage_to.clear();
  EXPECT_TRUE(*back == expected);
}

TEST(EvidenceJsonTest, SdkVersionMayBeAbsent) {
  json tree = Tree();
  tree["evidence"]["sdks"][0].erase("version");
  tree["evidence"]["sdks"][0].erase("version_ref");
  Result<AppEvidence> back = Read(tree.dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->sdks[0].version, "");
  EXPECT_FALSE(back->sdks[0].version_ref.has_value());
  EXPECT_EQ(FillEverything().sdks[0].version, "5.2.0");
}

TEST(EvidenceJsonTest, SchemaIdAndVersion) {
  json tree = Tree();
  tree["schema"] = "piaudit.evidence/2";
  EXPECT_EQ(ErrorOf(tree, StatusCode::kUnsupported),
            "evidence.json: schema: \"piaudit.evidence/2\" is another major version of the "
            "evidence record; this piaudit reads piaudit.evidence/1");
  tree["schema"] = "piaudit.report/1";
  EXPECT_EQ(ErrorOf(tree),
            "evidence.json: schema: \"piaudit.report/1\" is not a piaudit evidence record "
            "(expected piaudit.evidence/1)");
  tree["schema"] = 1;
  EXPECT_EQ(ErrorOf(tree), "evidence.json: schema: expected a string, found an integer");
  tree.erase("schema");
  EXPECT_NE(ErrorOf(tree).find("evidence.json: schema: missing: not a piaudit evidence record"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(json::array({1})),
            "evidence.json: expected an object (a piaudit evidence record), found array");
}

TEST(EvidenceJsonTest, UnknownEnumNameNamesFilePathAndAllowedValues) {
  json tree = Tree();
  tree["evidence"]["sensitive_calls"][3]["before_consent"] = "maybe";
  EXPECT_EQ(ErrorOf(tree),
            "evidence.json: evidence.sensitive_calls[3].before_consent: unknown value \"maybe\" "
            "(allowed: likely, no, unknown)");
  tree = Tree();
  tree["evidence"]["policy"]["rights"][1]["kind"] = "Correction";  // names are case-sensitive
  EXPECT_NE(ErrorOf(tree).find("evidence.policy.rights[1].kind: unknown value \"Correction\""),
            std::string::npos);
  tree = Tree();
  tree["evidence"]["diagnostics"][1]["severity"] = "";
  EXPECT_NE(ErrorOf(tree).find("diagnostics[1].severity: unknown value \"\" (allowed: info, "
                               "warning, error)"),
            std::string::npos);
  tree = Tree();
  tree["evidence"]["sdks"][0]["refs"][1]["kind"] = "unknown";  // printed for bad values only
  EXPECT_NE(ErrorOf(tree).find("sdks[0].refs[1].kind: unknown value \"unknown\""),
            std::string::npos);
  // Hostile values are quoted, escaped and shortened in the message.
  tree["evidence"]["sdks"][0]["refs"][1]["kind"] = "\n" + std::string(1000, 'x');
  const std::string msg = ErrorOf(tree);
  EXPECT_LT(msg.size(), 300u);
  EXPECT_EQ(msg.find('\n'), std::string::npos);
  EXPECT_NE(msg.find("unknown value \"\\nxxx"), std::string::npos) << msg;
  EXPECT_NE(msg.find("xxx\"... (allowed: "), std::string::npos) << msg;
}

TEST(EvidenceJsonTest, WrongTypesAndRanges) {
  struct Case {
    std::vector<std::string> path;  // inside "evidence"
    json value;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"app", "min_sdk"}, "21", "evidence.app.min_sdk: expected an integer, found a string"},
      {{"app", "min_sdk"}, 4294967296u, "evidence.app.min_sdk: value 4294967296 out of range"},
      {{"app", "min_sdk"}, 21.5, "evidence.app.min_sdk: expected an integer, found a floating"},
      {{"code", "dex_files"}, -1, "evidence.code.dex_files: value -1 out of range [0, 4294967295]"},
      {{"code", "attempted"},
       1,
       "evidence.code.attempted: expected true or false, found an integer"},
      {{"app", "version_code"}, 9223372036854775808u, "evidence.app.version_code: value"},
      {{"app", "labels_by_locale"},
       json::array({json::array({"en"})}),
       "evidence.app.labels_by_locale[0]: expected an array of two elements, found an array"},
      {{"app", "labels_by_locale"},
       json::array({json::array({"en", 1})}),
       "evidence.app.labels_by_locale[0][1]: expected a string, found an integer"},
      {{"urls"}, "https://x", "evidence.urls: expected an array, found a string"},
      {{"packer"}, json::array(), "evidence.packer: expected an object, found an array"},
      {{"app_type", "confidence"},
       "high",
       "evidence.app_type.confidence: expected a number, found a string"},
      {{"policy", "script"}, nullptr, "evidence.policy.script: expected an object, found null"},
      {{"diagnostics_dropped"}, -3, "evidence.diagnostics_dropped: value -3 out of range"},
  };
  for (const Case& c : cases) {
    json tree = Tree();
    json* at = &tree["evidence"];
    for (const std::string& k : c.path) at = &(*at)[k];
    *at = c.value;
    EXPECT_NE(ErrorOf(tree).find(c.expected), std::string::npos) << c.expected;
  }
  // Missing fields are errors (every field of /1 is required).
  json tree = Tree();
  tree["evidence"]["policy"]["script"].erase("language");
  EXPECT_EQ(ErrorOf(tree), "evidence.json: evidence.policy.script.language: missing field");
  tree = Tree();
  tree.erase("kb_version");
  EXPECT_EQ(ErrorOf(tree), "evidence.json: kb_version: missing field");
  tree = Tree();
  tree["evidence"]["sensitive_calls"][0]["ref"].erase("offset");
  EXPECT_EQ(ErrorOf(tree), "evidence.json: evidence.sensitive_calls[0].ref.offset: missing field");
}

TEST(EvidenceJsonTest, SyntaxErrorsNameTheByteOffset) {
  const std::string good = Write(FillEverything());
  // A ':' turned into ';' at a known place.
  const size_t colon = good.find("\"package\":") + 9;
  std::string bad = good;
  bad[colon] = ';';
  Result<AppEvidence> r = Read(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().offset(), colon);
  EXPECT_EQ(r.status().file(), kFile);
  EXPECT_NE(r.status().ToString().find("evidence.json+0x"), std::string::npos);

  // Invalid UTF-8 in the record itself (a writer never produces it): an error at its byte.
  bad = good;
  const size_t label = good.find("\"label\": \"") + 10;
  bad[label] = '\xff';
  r = Read(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().offset(), label);
  EXPECT_NE(r.status().message().find("UTF-8"), std::string::npos);

  // Comments and trailing garbage are not JSON.
  EXPECT_FALSE(Read("// c\n" + good).ok());
  r = Read(good + "x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().offset(), good.size());
  EXPECT_FALSE(Read("").ok());
}

// Every cut of `good` (every `step`-th) fails at the cut: kTruncated there, or kInvalidInput when
// the cut splits a multi-byte character.
void ExpectEveryTruncationFails(const std::string& good, size_t step) {
  EXPECT_TRUE(Read(good.substr(0, good.size() - 1)).ok());  // only the final newline gone
  for (size_t n = 0; n + 1 < good.size(); n += step) {
    Result<AppEvidence> r = Read(std::string_view(good).substr(0, n));
    ASSERT_FALSE(r.ok()) << n;
    ASSERT_TRUE(r.status().offset().has_value()) << n;
    if (r.status().code() != StatusCode::kTruncated) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << n;
      EXPECT_GE(static_cast<unsigned char>(good[n - 1]), 0x80u) << n;
      EXPECT_LE(*r.status().offset(), n);
    } else {
      EXPECT_EQ(*r.status().offset(), n);
    }
  }
}

TEST(EvidenceJsonTest, EveryTruncationIsAnErrorAtTheEnd) {
  AppEvidence small;  // one of each kind of value, so every cut position is cheap to try
  small.app.label = "示例";
  small.app.labels_by_locale = {{"zh", "示例"}};
  small.packer = PackerFact{"p", "加固", {Ref(1)}};
  small.app_type.confidence = 0.25;
  small.diagnostics.push_back(Diagnostic{});
  ExpectEveryTruncationFails(Write(small), 1);
  const std::string good = Write(FillEverything());
  ExpectEveryTruncationFails(good, 7);
  Result<AppEvidence> r = Read(std::string_view(good).substr(0, good.size() - 2));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTruncated);
  EXPECT_NE(r.status().message().find("unexpected end of input"), std::string::npos);
}

TEST(EvidenceJsonTest, NestingIsBounded) {
  // 64 containers deep in all (the root counts) is allowed inside an unknown field; 65 is not.
  auto with_depth = [](int extra) {
    json tree = Tree();
    std::string text = tree.dump();
    std::string nested = std::string(extra, '[') + std::string(extra, ']');
    text.insert(1, "\"future\":" + nested + ",");
    return text;
  };
  EXPECT_TRUE(Read(with_depth(63)).ok());
  Result<AppEvidence> r = Read(with_depth(64));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(r.status().ToString().find("evidence.json: future[0][0][0]"), std::string::npos)
      << r.status().ToString();
  EXPECT_NE(r.status().message().find("nesting deeper than 64 levels"), std::string::npos);

  // A million levels: rejected at level 65, no recursion, no stack overflow.
  r = Read(std::string(1'000'000, '['));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
  r = Read(std::string(500'000, '{').insert(1, "\"a\":"));
  ASSERT_FALSE(r.ok());
}

TEST(EvidenceJsonTest, HugeArraysAndValueCountsAreBounded) {
  std::string big = "[";
  for (uint32_t i = 0; i <= Limits{}.max_evidence_json_elements; ++i) big += i ? ",0" : "0";
  big += "]";
  json tree = Tree();
  std::string text = tree.dump();
  const size_t urls = text.find("\"urls\":") + 7;
  const size_t urls_end = text.find(']', urls) + 1;
  text.replace(urls, urls_end - urls, big);
  Result<AppEvidence> r = Read(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(r.status().ToString(),
            "evidence.json: evidence.urls: array has more than 1000000 elements");

  // Many arrays, each under the limit, over the total number of values.
  std::string many = "{\"schema\":\"piaudit.evidence/1\"";
  std::string block = "[";
  for (uint32_t i = 0; i < 900'000; ++i) block += i ? ",0" : "0";
  block += "]";
  for (int i = 0; i < 5; ++i) many += ",\"f" + std::to_string(i) + "\":" + block;
  many += "}";
  r = Read(many);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(r.status().ToString().find("more than 4000000 JSON values"), std::string::npos)
      << r.status().ToString();
}

// nlohmann's callback parser rescans the enclosing container at the end of every object, so a
// million small objects took hours; the reader builds its tree itself and stays linear.
TEST(EvidenceJsonTest, AMillionObjectsReadInLinearTime) {
  std::string objects = "[";
  for (uint32_t i = 0; i + 1 < Limits{}.max_evidence_json_elements; ++i)
    objects += i ? ",{}" : "{}";
  objects += "]";
  std::string text = Tree().dump();
  text.insert(1, "\"future\":" + objects + ",");
  Result<AppEvidence> r = Read(text);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // The same array where the schema wants strings: rejected at its first element.
  const size_t urls = text.find("\"urls\":") + 7;
  text.replace(urls, text.find(']', urls) + 1 - urls, objects);
  EXPECT_EQ(Read(text).status().ToString(),
            "evidence.json: evidence.urls[0]: expected a string, found an object");
}

TEST(EvidenceJsonTest, DuplicateKeysAreRejected) {
  std::string text = Write(FillEverything());
  const size_t at = text.find("\"package\":");
  text.insert(at, "\"package\": \"com.evil\",\n");
  EXPECT_EQ(Read(text).status().ToString(), "evidence.json: evidence.app.package: duplicate key");
  // Odd keys are quoted in the path.
  Result<AppEvidence> r = Read("{\"a b\":{\"x\\\"\":1,\"x\\\"\":2}}");
  EXPECT_EQ(r.status().ToString(), "evidence.json: [\"a b\"][\"x\\\"\"]: duplicate key");
}

TEST(EvidenceJsonTest, NoExceptionEscapesOnMangledRecords) {
  const std::string good = Write(FillEverything());
  for (size_t i = 0; i < good.size(); i += 13) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    EXPECT_NO_THROW((void)Read(bad));
    bad.erase(i, 1);
    EXPECT_NO_THROW((void)Read(bad));
  }
}

}  // namespace
}  // namespace piaudit::evidence
