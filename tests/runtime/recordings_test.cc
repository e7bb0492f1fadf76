// Recordings read into runtime facts (runtime/recordings.h) and the items judged from them
// (rules/internal/items_runtime.cc): each item positive and negative, from traces written here.
#include "runtime/recordings.h"

#include <gtest/gtest.h>
#include <openssl/md5.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rules/evaluate.h"
#include "rules/test_evidence.h"
#include "trace/time.h"

namespace piaudit::runtime {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const knowledge::KnowledgeBase& Kb() {
  std::string error;
  const knowledge::KnowledgeBase* kb = testing::BundledKb(&error);
  if (!kb) {
    ADD_FAILURE() << error;
    std::abort();
  }
  return *kb;
}

constexpr char kImei[] = "861234567890123";

std::string T(int seconds) {
  return trace::FormatRfc3339Ms(*trace::ParseRfc3339Ms("2026-12-06T08:00:00Z") +
                                int64_t{seconds} * 1000);
}

std::string Screen(const std::string& name) {
  std::ifstream in(std::string(PIAUDIT_SOURCE_DIR) + "/tests/runtime/screens/" + name);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

json Session() {
  return {{"type", "session"},
          {"schema", "piaudit.trace/1"},
          {"package", "com.example.app"},
          {"identifiers", {{"imei", {kImei}}, {"android_id", "9774d56d682e549c"}}}};
}
json Api(int t, std::string api, std::vector<std::string> stack, json extra = json::object()) {
  json e = {{"t", T(t)}, {"type", "api"}, {"api", api}, {"stack", stack}};
  e.update(extra);
  return e;
}
json Event(int t, std::string type, json fields) {
  json e = {{"t", T(t)}, {"type", type}};
  e.update(fields);
  return e;
}
const std::vector<std::string> kUmengStack = {
    "android.telephony.TelephonyManager.getDeviceId(TelephonyManager.java:1)",
    "com.umeng.commonsdk.statistics.a.b(Unknown Source)",
    "com.example.app.App.onCreate(App.java:9)"};
const std::vector<std::string> kAppStack = {
    "android.telephony.TelephonyManager.getDeviceId(TelephonyManager.java:1)",
    "com.example.app.Main.onClick(Main.java:30)", "android.view.View.performClick(View.java:1)"};
constexpr char kGetDeviceId[] = "android.telephony.TelephonyManager.getDeviceId";

class RecordingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("piaudit-rec-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::vector<json>& lines) {
    std::string path = (dir_ / name).string();
    std::ofstream out(path);
    for (const json& j : lines) out << j.dump() << "\n";
    return path;
  }

  evidence::RuntimeFacts Read(const std::vector<std::string>& files) {
    Attribution attribution;
    attribution.app_package = "com.example.app";
    attribution.framework_prefixes = Kb().runtime_words().framework_frames.words;
    Diagnostics diags;
    evidence::RuntimeFacts facts = ReadRecordings(files, Kb(), attribution, {}, diags);
    diagnostics_ = diags.items();
    return facts;
  }

  // The item's result over the clean app plus these recordings.
  rules::ItemResult Judge(const std::string& item, const std::vector<json>& lines) {
    evidence::AppEvidence ev = testing::CleanEvidence();
    ev.runtime = Read({Write("judge.jsonl", lines)});
    ev.dynamic_trace = true;
    for (rules::ItemResult& r : rules::EvaluateAll(ev, Kb())) {
      if (r.id == item) return r;
    }
    ADD_FAILURE() << item;
    return {};
  }

  fs::path dir_;
  std::vector<Diagnostic> diagnostics_;
};

const evidence::RuntimeApiFact* Group(const evidence::RuntimeFacts& f, const std::string& owner,
                                      const std::string& phase) {
  for (const auto& g : f.api_calls) {
    if (g.owner == owner && g.phase == phase) return &g;
  }
  return nullptr;
}

TEST_F(RecordingsTest, CallsArePlacedOnTheConsentTimelineWithTheirOwner) {
  evidence::RuntimeFacts f = Read({Write(
      "a.jsonl", {Session(), Api(1, kGetDeviceId, kUmengStack), Api(2, kGetDeviceId, kUmengStack),
                  Event(3, "consent", {{"action", "accepted"}}), Api(4, kGetDeviceId, kAppStack),
                  Api(5, "com.example.NotAnApi.m", kAppStack)})});
  ASSERT_EQ(f.files.size(), 1u);
  EXPECT_EQ(f.files[0].format, "piaudit.trace/1");
  EXPECT_EQ(f.files[0].package, "com.example.app");
  EXPECT_EQ(f.api_events, 4u);
  const auto* before = Group(f, "umeng", "before_consent");
  ASSERT_NE(before, nullptr);
  EXPECT_EQ(before->count, 2u);
  EXPECT_EQ(before->pi_types, std::vector<std::string>{"imei"});
  EXPECT_EQ(before->ref.location, "line 2");
  EXPECT_EQ(before->ref.time, T(1));
  EXPECT_EQ(before->stack.size(), 3u);
  ASSERT_NE(Group(f, "app", "after_consent"), nullptr);
  EXPECT_EQ(f.api_calls.size(), 2u);  // the unknown API is no PI read
}

TEST_F(RecordingsTest, FilesMergeOnOneTimelineWhateverTheirOrder) {
  // The second file read holds the earlier call: it becomes the group's first call, with its stack.
  std::string later = Write("later.jsonl", {Session(), Api(50, kGetDeviceId, kAppStack)});
  std::vector<std::string> early_stack = kAppStack;
  early_stack[1] = "com.example.app.Splash.onCreate(Splash.java:5)";
  std::string earlier = Write("earlier.jsonl", {Api(10, kGetDeviceId, early_stack),
                                                Event(30, "consent", {{"action", "accepted"}})});
  evidence::RuntimeFacts f = Read({later, earlier});
  const auto* before = Group(f, "app", "before_consent");
  ASSERT_NE(before, nullptr);
  EXPECT_EQ(before->ref.file, earlier);
  EXPECT_EQ(before->ref.time, T(10));
  EXPECT_EQ(before->stack[1], early_stack[1]);
  const auto* after = Group(f, "app", "after_consent");
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->ref.file, later);
}

TEST_F(RecordingsTest, NoConsentEventAtAllIsSaidSo) {
  evidence::RuntimeFacts f = Read({Write("a.jsonl", {Session(), Api(1, kGetDeviceId, kAppStack)})});
  ASSERT_EQ(f.api_calls.size(), 1u);
  EXPECT_EQ(f.api_calls[0].phase, "no_consent_recorded");
}

TEST_F(RecordingsTest, ConstantArgumentDecidesWhetherACallReadsPi) {
  const std::string get = "android.provider.Settings$Secure.getString";
  evidence::RuntimeFacts f = Read(
      {Write("a.jsonl", {Session(), Api(1, get, kAppStack, {{"args", {"resolver", "android_id"}}}),
                         Api(2, get, kAppStack, {{"args", {"resolver", "screen_brightness"}}})})});
  ASSERT_EQ(f.api_calls.size(), 1u);
  EXPECT_EQ(f.api_calls[0].ref.time, T(1));
}

TEST_F(RecordingsTest, ReadThroughADeniedPermissionOnlyWhenSomethingCameBack) {
  evidence::RuntimeFacts f = Read({Write(
      "a.jsonl",
      {Session(),
       Event(1, "permission_result",
             {{"permission", "android.permission.READ_PHONE_STATE"}, {"granted", false}}),
       Api(2, kGetDeviceId, kAppStack, {{"result", kImei}}),
       Api(3, kGetDeviceId, kUmengStack, {{"result", "java.lang.SecurityException: denied"}})})});
  ASSERT_EQ(f.api_calls.size(), 2u);
  EXPECT_EQ(Group(f, "app", "no_consent_recorded")->denied_permission,
            "android.permission.READ_PHONE_STATE");
  EXPECT_EQ(Group(f, "umeng", "no_consent_recorded")->denied_permission, "");
}

TEST_F(RecordingsTest, BusiestHourPerApiAndState) {
  std::vector<json> lines = {Session()};
  for (int i = 0; i < 400; ++i) {
    lines.push_back(Api(i * 5, kGetDeviceId, kAppStack, {{"app_state", "foreground"}}));
  }
  for (int i = 0; i < 30; ++i) {
    lines.push_back(Api(7200 + i * 60, kGetDeviceId, kAppStack, {{"app_state", "background"}}));
  }
  evidence::RuntimeFacts f = Read({Write("a.jsonl", lines)});
  ASSERT_EQ(f.rates.size(), 2u);
  EXPECT_EQ(f.rates[0].app_state, "foreground");
  EXPECT_EQ(f.rates[0].max_per_hour, 400u);
  EXPECT_EQ(f.rates[1].max_per_hour, 30u);
}

std::string Md5Hex(const std::string& s) {
  unsigned char d[MD5_DIGEST_LENGTH];
  MD5(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  std::string hex;
  for (unsigned char c : d) {
    static const char* k = "0123456789abcdef";
    hex += k[c >> 4];
    hex += k[c & 15];
  }
  return hex;
}

TEST_F(RecordingsTest, IdentifiersInTrafficWithTheirHostOwner) {
  std::string body = R"({"did":")" + Md5Hex(kImei) + R"("})";
  std::string b64;
  {
    static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < body.size(); i += 3) {
      uint32_t n = static_cast<uint8_t>(body[i]) << 16;
      if (i + 1 < body.size()) n |= static_cast<uint8_t>(body[i + 1]) << 8;
      if (i + 2 < body.size()) n |= static_cast<uint8_t>(body[i + 2]);
      b64 += k[n >> 18 & 63];
      b64 += k[n >> 12 & 63];
      b64 += i + 1 < body.size() ? k[n >> 6 & 63] : '=';
      b64 += i + 2 < body.size() ? k[n & 63] : '=';
    }
  }
  evidence::RuntimeFacts f = Read({Write(
      "a.jsonl",
      {Session(),
       Event(
           1, "network",
           {{"method", "POST"}, {"url", "https://ulogs.umeng.com/unify_logs"}, {"body_b64", b64}}),
       Event(2, "network", {{"method", "GET"}, {"url", "https://api.example.com/x?q=1"}}),
       Event(3, "network", {{"method", "TLS"}, {"host", "tls.example.net"}})})});
  ASSERT_EQ(f.leaks.size(), 1u);
  EXPECT_EQ(f.leaks[0].host, "ulogs.umeng.com");
  EXPECT_EQ(f.leaks[0].owner, "umeng");
  EXPECT_EQ(f.leaks[0].identifier, "imei");
  EXPECT_EQ(f.leaks[0].encoding, "md5");
  EXPECT_EQ(f.leaks[0].phase, "no_consent_recorded");
  EXPECT_EQ(f.leaks[0].ref.kind, evidence::SourceKind::kNetwork);
  ASSERT_EQ(f.hosts.size(), 3u);
  EXPECT_EQ(f.hosts[1].owner, "app");  // example.com is the app's own domain
  EXPECT_TRUE(f.hosts[2].content_unknown);
}

TEST_F(RecordingsTest, ScreensFromInlineHierarchiesAndDumps) {
  fs::create_directories(dir_ / "dumps");
  std::ofstream(dir_ / "dumps" / "c.xml") << Screen("consent_prechecked.xml");
  evidence::RuntimeFacts f = Read({Write(
      "a.jsonl",
      {Session(), Event(1, "ui", {{"activity", "A"}, {"hierarchy", Screen("consent_dialog.xml")}}),
       Event(2, "ui", {{"activity", "B"}, {"dump", "dumps/c.xml"}}),
       Event(3, "ui", {{"activity", "C"}, {"dump", "../../etc/passwd"}})})});
  ASSERT_EQ(f.timeline.size(), 3u);
  EXPECT_TRUE(f.timeline[0].consent_screen);
  EXPECT_FALSE(f.timeline[0].prechecked_consent);
  EXPECT_TRUE(f.timeline[1].prechecked_consent);
  EXPECT_FALSE(f.timeline[2].consent_screen);
  bool refused = false;
  for (const Diagnostic& d : diagnostics_)
    refused |= d.message.find("not inside") != std::string::npos;
  EXPECT_TRUE(refused);
}

TEST_F(RecordingsTest, AnUnreadableFileIsNamedAndTheOthersAreRead) {
  std::string bad = (dir_ / "bad.bin").string();
  std::ofstream(bad) << "\x01\x02 this is no recording";
  evidence::RuntimeFacts f =
      Read({bad, (dir_ / "missing.jsonl").string(),
            Write("good.jsonl", {Session(), Api(1, kGetDeviceId, kAppStack)})});
  ASSERT_EQ(f.files.size(), 3u);
  EXPECT_NE(f.files[0].error.find("bad.bin"), std::string::npos) << f.files[0].error;
  EXPECT_FALSE(f.files[1].error.empty());
  EXPECT_TRUE(f.files[2].error.empty());
  EXPECT_EQ(f.api_calls.size(), 1u);
}

// --- the items ---

bool HasFinding(const rules::ItemResult& r, rules::Verdict v, rules::Strength s) {
  for (const auto& f : r.findings) {
    if (f.verdict == v && f.strength == s) return true;
  }
  return false;
}

TEST_F(RecordingsTest, Im3_1ConfirmedBeforeConsentOnly) {
  auto r = Judge("IM-3.1", {Session(), Api(1, kGetDeviceId, kUmengStack),
                            Event(2, "consent", {{"action", "accepted"}})});
  EXPECT_EQ(r.verdict, rules::Verdict::kViolation);
  EXPECT_EQ(r.strength, rules::Strength::kConfirmed);
  auto after = Judge("IM-3.1", {Session(), Event(1, "consent", {{"action", "accepted"}}),
                                Api(2, kGetDeviceId, kUmengStack)});
  EXPECT_FALSE(HasFinding(after, rules::Verdict::kViolation, rules::Strength::kConfirmed));
}

TEST_F(RecordingsTest, Im3_2ReadAfterRefusalAndReaskWithinT1) {
  auto read = Judge("IM-3.2", {Session(), Event(1, "consent", {{"action", "refused"}}),
                               Api(2, kGetDeviceId, kAppStack)});
  EXPECT_EQ(read.strength, rules::Strength::kConfirmed);
  const json denied = {{"permission", "android.permission.CAMERA"}, {"granted", false}};
  const json ask = {{"permissions", {"android.permission.CAMERA"}}};
  auto reask = Judge("IM-3.2", {Session(), Event(1, "permission_result", denied),
                                Event(600, "permission_request", ask)});
  EXPECT_EQ(reask.verdict, rules::Verdict::kViolation);
  EXPECT_EQ(reask.strength, rules::Strength::kConfirmed);
  auto later = Judge("IM-3.2", {Session(), Event(1, "permission_result", denied),
                                Event(49 * 3600, "permission_request", ask)});
  EXPECT_NE(later.verdict, rules::Verdict::kViolation);
}

TEST_F(RecordingsTest, Im3_3ReadThroughDeniedPermission) {
  const json denied = {{"permission", "android.permission.READ_PHONE_STATE"}, {"granted", false}};
  auto r = Judge("IM-3.3", {Session(), Event(1, "permission_result", denied),
                            Api(2, kGetDeviceId, kAppStack, {{"result", kImei}})});
  EXPECT_EQ(r.strength, rules::Strength::kConfirmed);
  auto none = Judge("IM-3.3", {Session(), Api(2, kGetDeviceId, kAppStack, {{"result", kImei}})});
  EXPECT_NE(none.verdict, rules::Verdict::kViolation);
}

TEST_F(RecordingsTest, Im3_4PrecheckedAndUnchecked) {
  auto checked = Judge(
      "IM-3.4", {Session(), Event(1, "ui", {{"hierarchy", Screen("consent_prechecked.xml")}})});
  EXPECT_EQ(checked.verdict, rules::Verdict::kViolation);
  EXPECT_EQ(checked.strength, rules::Strength::kConfirmed);
  auto unchecked = Judge(
      "IM-3.4", {Session(), Event(1, "ui", {{"hierarchy", Screen("consent_unchecked.xml")}})});
  EXPECT_NE(unchecked.verdict, rules::Verdict::kViolation);
}

TEST_F(RecordingsTest, Im1_2PromptAtFirstStart) {
  auto none = Judge("IM-1.2", {Session(), Event(0, "lifecycle", {{"event", "first_start"}}),
                               Api(1, kGetDeviceId, kAppStack)});
  EXPECT_EQ(none.verdict, rules::Verdict::kViolation);
  EXPECT_EQ(none.strength, rules::Strength::kConfirmed);
  auto shown = Judge("IM-1.2", {Session(), Event(0, "lifecycle", {{"event", "first_start"}}),
                                Event(1, "consent", {{"action", "shown"}})});
  EXPECT_EQ(shown.verdict, rules::Verdict::kCompliant);
  auto not_first = Judge("IM-1.2", {Session(), Api(1, kGetDeviceId, kAppStack)});
  EXPECT_EQ(not_first.verdict, rules::Verdict::kNeedsDynamic);
}

std::vector<json> TapsToPolicy(int taps) {
  std::vector<json> lines = {
      Session(), Event(1, "consent", {{"action", "accepted"}}),
      Event(2, "ui", {{"activity", "Main"}, {"hierarchy", Screen("main_screen.xml")}})};
  for (int i = 0; i < taps; ++i) lines.push_back(Event(3 + i, "tap", {{"text", "x"}}));
  lines.push_back(
      Event(20, "ui", {{"activity", "Policy"}, {"hierarchy", Screen("policy_page.xml")}}));
  return lines;
}

TEST_F(RecordingsTest, Im1_3TapsToThePolicyAgainstT5) {
  auto deep = Judge("IM-1.3", TapsToPolicy(5));
  EXPECT_EQ(deep.verdict, rules::Verdict::kViolation);
  EXPECT_EQ(deep.strength, rules::Strength::kConfirmed);
  auto near = Judge("IM-1.3", TapsToPolicy(2));
  EXPECT_EQ(near.verdict, rules::Verdict::kCompliant);
}

TEST_F(RecordingsTest, Im2_3PurposeOnTheScreenBeforeThePrompt) {
  const json ask = {{"permissions", {"android.permission.ACCESS_FINE_LOCATION"}}};
  auto bare = Judge(
      "IM-2.3", {Session(), Event(1, "ui", {{"hierarchy", Screen("permission_no_purpose.xml")}}),
                 Event(2, "permission_request", ask)});
  EXPECT_TRUE(HasFinding(bare, rules::Verdict::kViolation, rules::Strength::kLikely));
  auto explained = Judge(
      "IM-2.3", {Session(), Event(1, "ui", {{"hierarchy", Screen("permission_rationale.xml")}}),
                 Event(2, "permission_request", ask)});
  bool runtime_finding = false;
  for (const auto& f : explained.findings) {
    for (const auto& ref : f.evidence) runtime_finding |= ref.kind == evidence::SourceKind::kTrace;
  }
  EXPECT_FALSE(runtime_finding);
}

TEST_F(RecordingsTest, Im4_2And4_6StopAfterRefusal) {
  const json ask = {
      {"permissions", {"android.permission.CAMERA", "android.permission.READ_CONTACTS"}}};
  const json denied = {{"permission", "android.permission.CAMERA"}, {"granted", false}};
  std::vector<json> quits = {Session(), Event(1, "permission_request", ask),
                             Event(2, "permission_result", denied),
                             Event(4, "lifecycle", {{"event", "stop"}})};
  auto im42 = Judge("IM-4.2", quits);
  EXPECT_TRUE(HasFinding(im42, rules::Verdict::kViolation, rules::Strength::kLikely));
  auto im46 = Judge("IM-4.6", quits);
  EXPECT_TRUE(HasFinding(im46, rules::Verdict::kViolation, rules::Strength::kConfirmed));
  std::vector<json> stays = {Session(), Event(1, "permission_request", ask),
                             Event(2, "permission_result", denied),
                             Event(300, "lifecycle", {{"event", "stop"}})};
  EXPECT_NE(Judge("IM-4.2", stays).verdict, rules::Verdict::kViolation);
  EXPECT_FALSE(
      HasFinding(Judge("IM-4.6", stays), rules::Verdict::kViolation, rules::Strength::kConfirmed));
}

TEST_F(RecordingsTest, Im4_4CallRateAgainstThreshold) {
  std::vector<json> busy = {Session()}, calm = {Session()};
  for (int i = 0; i < 400; ++i)
    busy.push_back(Api(i * 5, kGetDeviceId, kAppStack, {{"app_state", "foreground"}}));
  for (int i = 0; i < 100; ++i)
    calm.push_back(Api(i * 30, kGetDeviceId, kAppStack, {{"app_state", "foreground"}}));
  EXPECT_EQ(Judge("IM-4.4", busy).verdict, rules::Verdict::kViolation);
  EXPECT_NE(Judge("IM-4.4", calm).verdict, rules::Verdict::kViolation);
}

TEST_F(RecordingsTest, Im5_1IdentifierToAnSdkBeforeConsent) {
  json leak =
      Event(1, "network",
            {{"method", "GET"}, {"url", std::string("https://ulogs.umeng.com/u?imei=") + kImei}});
  auto before = Judge("IM-5.1", {Session(), leak, Event(5, "consent", {{"action", "accepted"}})});
  EXPECT_TRUE(HasFinding(before, rules::Verdict::kViolation, rules::Strength::kConfirmed));
  json later =
      Event(9, "network",
            {{"method", "GET"}, {"url", std::string("https://ulogs.umeng.com/u?imei=") + kImei}});
  // CleanEvidence's policy names no SDK: even after consent, an unnamed SDK receiving the IMEI is
  // confirmed; to a host of the app's own domain it is nothing.
  auto own =
      Judge("IM-5.1", {Session(), Event(5, "consent", {{"action", "accepted"}}),
                       Event(9, "network",
                             {{"method", "GET"},
                              {"url", std::string("https://api.example.com/u?imei=") + kImei}})});
  bool runtime_finding = false;
  for (const auto& f : own.findings) {
    for (const auto& ref : f.evidence)
      runtime_finding |= ref.kind == evidence::SourceKind::kNetwork;
  }
  EXPECT_FALSE(runtime_finding);
  (void)later;
}

TEST_F(RecordingsTest, WithoutRecordingsNothingChanges) {
  evidence::AppEvidence ev = testing::CleanEvidence();
  auto plain = rules::EvaluateAll(ev, Kb());
  ev.runtime = evidence::RuntimeFacts{};
  auto with_empty = rules::EvaluateAll(ev, Kb());
  ASSERT_EQ(plain.size(), with_empty.size());
  for (size_t i = 0; i < plain.size(); ++i) {
    EXPECT_EQ(plain[i].verdict, with_empty[i].verdict) << plain[i].id;
    EXPECT_EQ(plain[i].strength, with_empty[i].strength) << plain[i].id;
  }
}

}  // namespace
}  // namespace piaudit::runtime
