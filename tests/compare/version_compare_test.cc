// compare::CompareVersions, CheckSameApp and PolicyStatements on hand-built evidence, and the
// verdicts IM-2.2, IM-3.5 and IM-4.3 give from the changes (rules/internal/items_change.cc).
#include "compare/version_compare.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "rules/evaluate.h"
#include "rules/test_evidence.h"

namespace piaudit::compare {
namespace {

using evidence::AppEvidence;
using evidence::ChangeKind;
using evidence::VersionChange;
using evidence::VersionChanges;
using rules::Strength;
using rules::Verdict;
using testing::BundledKb;
using testing::Call;
using testing::CleanEvidence;
using testing::Permission;
using testing::Sdk;

class VersionCompareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    kb_ = BundledKb(&err);
    if (kb_ == nullptr) GTEST_SKIP() << "bundled knowledge base does not load: " << err;
  }
  VersionChanges Compare(const AppEvidence& a, const AppEvidence& b) {
    return CompareVersions({&a, nullptr}, {&b, nullptr}, *kb_);
  }
  const rules::ItemResult ItemOf(const AppEvidence& ev, std::string_view id) {
    for (auto& r : rules::EvaluateAll(ev, *kb_)) {
      if (r.id == id) return r;
    }
    ADD_FAILURE() << "no " << id;
    return {};
  }
  const knowledge::KnowledgeBase* kb_ = nullptr;
};

const VersionChange* Find(const VersionChanges& v, std::string_view area,
                          std::string_view subject) {
  for (const auto& c : v.changes) {
    if (c.area == area && c.subject == subject) return &c;
  }
  return nullptr;
}

AppEvidence Signed(AppEvidence ev, std::string cert) {
  evidence::SignerFact s;
  s.sha256 = std::move(cert);
  ev.app.signers = {s};
  return ev;
}

// The new version: a dangerous permission, an SDK that collects PI, and its start-up read.
AppEvidence Widened(AppEvidence ev) {
  ev.app.version_name = "2.0";
  ev.app.version_code = 2;
  ev.permissions.push_back(Permission("android.permission.READ_PHONE_STATE", true, {"imei"}));
  ev.sdks.push_back(Sdk("jpush", "push", {"imei"}));
  ev.sensitive_calls.push_back(Call("imei", "jpush", true, evidence::BeforeConsent::kLikely));
  return ev;
}

TEST_F(VersionCompareTest, TheSameEvidenceHasNoChange) {
  const AppEvidence ev = Widened(CleanEvidence());
  const VersionChanges v = Compare(ev, ev);
  EXPECT_TRUE(v.changes.empty()) << v.changes.front().area << " " << v.changes.front().subject;
  EXPECT_TRUE(v.policies_compared);
}

TEST_F(VersionCompareTest, WideningIsListedWithTheNewSideEvidence) {
  const AppEvidence old_ev = CleanEvidence();
  const AppEvidence new_ev = Widened(old_ev);
  const VersionChanges v = Compare(old_ev, new_ev);
  EXPECT_EQ(v.previous.version_name, "1.0");
  const VersionChange* perm = Find(v, "permission", "android.permission.READ_PHONE_STATE");
  ASSERT_NE(perm, nullptr);
  EXPECT_EQ(perm->kind, ChangeKind::kAdded);
  EXPECT_TRUE(perm->dangerous);
  EXPECT_TRUE(perm->widens);
  EXPECT_FALSE(perm->current_refs.empty());
  EXPECT_TRUE(perm->previous_refs.empty());
  const VersionChange* sdk = Find(v, "sdk", "jpush");
  ASSERT_NE(sdk, nullptr);
  EXPECT_TRUE(sdk->widens);
  EXPECT_NE(sdk->after.find("version unknown"), std::string::npos);
  EXPECT_NE(Find(v, "pi_type", "imei"), nullptr);
  EXPECT_NE(Find(v, "startup_read", "imei by jpush"), nullptr);

  // The other way round the same facts are removals, with the evidence on the previous side,
  // and removing collection widens nothing.
  const VersionChanges back = Compare(new_ev, old_ev);
  const VersionChange* removed = Find(back, "sdk", "jpush");
  ASSERT_NE(removed, nullptr);
  EXPECT_EQ(removed->kind, ChangeKind::kRemoved);
  EXPECT_FALSE(removed->previous_refs.empty());
  EXPECT_TRUE(removed->current_refs.empty());
}

TEST_F(VersionCompareTest, TargetSdkCrossingsComeFromTheKnowledgeBase) {
  AppEvidence old_ev = CleanEvidence();
  old_ev.app.target_sdk = 28;
  AppEvidence new_ev = old_ev;
  new_ev.app.target_sdk = 33;
  const VersionChanges v = Compare(old_ev, new_ev);
  const VersionChange* target = Find(v, "target_sdk", "targetSdkVersion");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->before, "28");
  EXPECT_EQ(target->after, "33");
  // 29, 30 and 33 are crossed; 23 is not (data/thresholds.yaml, unit api_level).
  EXPECT_NE(Find(v, "target_sdk_crossing", "target_sdk_background_location"), nullptr);
  EXPECT_NE(Find(v, "target_sdk_crossing", "target_sdk_permission_auto_reset"), nullptr);
  EXPECT_NE(Find(v, "target_sdk_crossing", "target_sdk_notification_media_permissions"), nullptr);
  EXPECT_EQ(Find(v, "target_sdk_crossing", "target_sdk_runtime_permissions"), nullptr);
}

TEST_F(VersionCompareTest, PolicyChangesAreListed) {
  AppEvidence old_ev = CleanEvidence();
  AppEvidence new_ev = old_ev;
  evidence::PolicyThirdParty jpush;
  jpush.is_sdk = true;
  jpush.sdk_id = "jpush";
  jpush.name = "极光推送";
  jpush.span = testing::Span(3000, "极光推送SDK");
  new_ev.policy.third_parties.push_back(jpush);
  new_ev.policy.time_limits.front().amount = 10;
  const VersionChanges v = Compare(old_ev, new_ev);
  EXPECT_NE(Find(v, "policy_third_party", "jpush"), nullptr);
  const VersionChange* limit = Find(v, "policy_time_limit", "request");
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->kind, ChangeKind::kChanged);
  EXPECT_EQ(limit->before, "15 working_days");
  EXPECT_EQ(limit->after, "10 working_days");
}

TEST_F(VersionCompareTest, PolicyTextAndStatementsFromTheExtras) {
  const AppEvidence ev = CleanEvidence();
  VersionExtras a, b;
  a.policy_text = "隐私政策\n更新日期：2025年1月1日\n我们收集手机号码。";
  b.policy_text = "隐私政策\n更新日期：2026年3月1日\n我们收集手机号码。";
  a.policy_statements = PolicyStatements(a.policy_text, "old.txt", *kb_);
  b.policy_statements = PolicyStatements(b.policy_text, "new.txt", *kb_);
  ASSERT_EQ(b.policy_statements.size(), 1u);
  EXPECT_EQ(b.policy_statements[0].detail, "更新日期：2026年3月1日");
  ASSERT_TRUE(b.policy_statements[0].span.has_value());
  EXPECT_EQ(b.policy_statements[0].span->start, 5u);  // after "隐私政策\n"
  const VersionChanges changed = CompareVersions({&ev, &a}, {&ev, &b}, *kb_);
  EXPECT_FALSE(changed.policy_unchanged);
  EXPECT_NE(Find(changed, "policy_text", "policy"), nullptr);
  EXPECT_NE(Find(changed, "policy_statement", "更新日期：2026年3月1日"), nullptr);
  // Re-flowed white space is the same policy.
  VersionExtras c = a;
  c.policy_text = "隐私政策\n\n  更新日期：2025年1月1日\n我们收集手机号码。\n";
  const VersionChanges same = CompareVersions({&ev, &a}, {&ev, &c}, *kb_);
  EXPECT_TRUE(same.policy_unchanged);
  EXPECT_EQ(Find(same, "policy_text", "policy"), nullptr);
}

TEST_F(VersionCompareTest, ChangeNoticeHintsAndComponents) {
  const AppEvidence ev = CleanEvidence();
  VersionExtras a, b;
  a.components = {{"activity", "com.example.Main", true}};
  b.components = {{"activity", "com.example.Main", true}, {"service", "com.example.Sync", true}};
  b.shared_user_id = "com.example.shared";
  evidence::EvidenceRef hint =
      evidence::LayoutRef("layout/dialog_update", "layout/dialog_update#t", "隐私政策更新提示");
  b.change_notices = {hint};
  const VersionChanges v = CompareVersions({&ev, &a}, {&ev, &b}, *kb_);
  EXPECT_NE(Find(v, "component", "com.example.Sync"), nullptr);
  EXPECT_NE(Find(v, "exported_component", "com.example.Sync"), nullptr);
  const VersionChange* shared = Find(v, "shared_user_id", "sharedUserId");
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(shared->kind, ChangeKind::kAdded);
  EXPECT_NE(Find(v, "change_notice", "layout/dialog_update#t"), nullptr);
}

TEST_F(VersionCompareTest, SameAppNeedsPackageAndACommonCertificate) {
  const AppEvidence a = Signed(CleanEvidence(), "aa11");
  EXPECT_TRUE(CheckSameApp(a, Signed(CleanEvidence(), "aa11")).ok());
  const Status other_key = CheckSameApp(a, Signed(CleanEvidence(), "bb22"));
  EXPECT_EQ(other_key.code(), StatusCode::kInvalidInput);
  EXPECT_NE(other_key.ToString().find("bb22"), std::string::npos) << other_key.ToString();
  AppEvidence other_app = a;
  other_app.app.package = "com.example.other";
  const Status other_package = CheckSameApp(a, other_app);
  EXPECT_EQ(other_package.code(), StatusCode::kInvalidInput);
  EXPECT_NE(other_package.ToString().find("com.example.other"), std::string::npos);
  // A rotated key whose old certificate still signs is the same lineage.
  AppEvidence rotated = Signed(CleanEvidence(), "bb22");
  rotated.app.signers.push_back(a.app.signers.front());
  EXPECT_TRUE(CheckSameApp(a, rotated).ok());
  EXPECT_EQ(LinkSigners(a, rotated).kind, "same_certificate");
}

// A signer carrying the proof-of-rotation `lineage` (oldest first, ending at `cert`).
AppEvidence RotatedTo(std::string cert, std::vector<std::string> lineage, bool verified) {
  AppEvidence ev = Signed(CleanEvidence(), std::move(cert));
  ev.app.signers[0].lineage = std::move(lineage);
  ev.app.signers[0].lineage_verified = verified;
  ev.app.signers[0].verified = verified;
  return ev;
}

TEST_F(VersionCompareTest, AVerifiedRotationLinksTheVersionsAndAForgedOneDoesNot) {
  const AppEvidence a = Signed(CleanEvidence(), "aa11");
  // Forward: the new signer bb22 carries a verified lineage aa11 -> bb22.
  const AppEvidence b = RotatedTo("bb22", {"aa11", "bb22"}, true);
  EXPECT_TRUE(CheckSameApp(a, b).ok());
  SignerLink link = LinkSigners(a, b);
  EXPECT_EQ(link.kind, "rotated");
  EXPECT_EQ(link.from, "aa11");
  EXPECT_EQ(link.to, "bb22");
  const VersionChanges v = CompareVersions({&a, nullptr}, {&b, nullptr}, *kb_);
  EXPECT_TRUE(v.same_lineage);
  EXPECT_EQ(v.lineage, "rotated");
  EXPECT_EQ(v.lineage_from, "aa11");
  EXPECT_EQ(v.lineage_to, "bb22");
  // Several rotations: aa11 -> cc33 -> bb22 still links aa11.
  EXPECT_EQ(LinkSigners(a, RotatedTo("bb22", {"aa11", "cc33", "bb22"}, true)).kind, "rotated");

  // The same lineage unverified links nothing, and the error says the lineage did not verify.
  const AppEvidence forged = RotatedTo("bb22", {"aa11", "bb22"}, false);
  EXPECT_EQ(LinkSigners(a, forged).kind, "none");
  const Status refused = CheckSameApp(a, forged);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidInput);
  EXPECT_NE(refused.ToString().find("does NOT verify"), std::string::npos) << refused.ToString();
  const VersionChanges vf = CompareVersions({&a, nullptr}, {&forged, nullptr}, *kb_);
  EXPECT_FALSE(vf.same_lineage);
  EXPECT_EQ(vf.lineage, "none");
  // A lineage that does not name the previous certificate links nothing either.
  EXPECT_EQ(LinkSigners(a, RotatedTo("bb22", {"dd44", "bb22"}, true)).kind, "none");
  // The previous certificate must be an OLDER node: a lineage naming it last (which a verified
  // lineage never does for another signer) does not count as a rotation to bb22.
  EXPECT_EQ(LinkSigners(a, RotatedTo("bb22", {"bb22", "aa11"}, true)).kind, "none");

  // Backwards: the previous version rotated aa11 -> bb22, the new one is signed by aa11 again.
  const Status back = CheckSameApp(b, a);
  EXPECT_TRUE(back.ok()) << back.ToString();
  link = LinkSigners(b, a);
  EXPECT_EQ(link.kind, "rolled_back");
  EXPECT_EQ(link.from, "bb22");
  EXPECT_EQ(link.to, "aa11");
  EXPECT_EQ(LinkSigners(forged, a).kind, "none");  // not from an unverified lineage
}

// --- the verdicts ---

TEST_F(VersionCompareTest, WithoutAPreviousVersionTheItemsSayWhatToProvide) {
  const AppEvidence ev = CleanEvidence();
  EXPECT_EQ(ItemOf(ev, "IM-2.2").verdict, Verdict::kNeedsManual);
  EXPECT_EQ(ItemOf(ev, "IM-3.5").verdict, Verdict::kNeedsDynamic);
  EXPECT_EQ(ItemOf(ev, "IM-4.3").verdict, Verdict::kNeedsDynamic);
}

TEST_F(VersionCompareTest, Im22WidenedWithTheSamePolicyIsLikely) {
  const AppEvidence old_ev = CleanEvidence();
  AppEvidence new_ev = Widened(old_ev);
  VersionChanges v = Compare(old_ev, new_ev);
  v.policy_unchanged = true;  // what the extras say when the text is the same
  new_ev.previous = v;
  const rules::ItemResult r = ItemOf(new_ev, "IM-2.2");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kLikely);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings.front().message.find("same text"), std::string::npos)
      << r.findings.front().message;
  EXPECT_NE(r.findings.front().message_zh.find("完全相同"), std::string::npos);
  bool has_new_side_ref = false;
  for (const auto& ref : r.findings.front().evidence) has_new_side_ref |= ref.file == "classes.dex";
  EXPECT_TRUE(has_new_side_ref);
  // IM-4.3: the new dangerous permission and PI type are worth a run.
  EXPECT_EQ(ItemOf(new_ev, "IM-4.3").verdict, Verdict::kNeedsDynamic);
}

TEST_F(VersionCompareTest, Im22WidenedAndCoveredByTheUpdatedPolicyNeedsTheNotice) {
  const AppEvidence old_ev = CleanEvidence();
  AppEvidence new_ev = Widened(old_ev);
  evidence::PolicyThirdParty jpush;
  jpush.is_sdk = true;
  jpush.sdk_id = "jpush";
  jpush.name = "极光推送";
  jpush.span = testing::Span(3000, "极光推送SDK");
  new_ev.policy.third_parties.push_back(jpush);
  evidence::PolicyDataType imei;
  imei.type_id = "imei";
  imei.collected = true;
  imei.functions = {"推送"};
  imei.spans.push_back(testing::Span(3100, "IMEI"));
  new_ev.policy.data_types.push_back(imei);
  evidence::PolicyPermission phone;
  phone.permission = "android.permission.READ_PHONE_STATE";
  phone.purpose = "推送";
  phone.span = testing::Span(3200, "电话权限：用于推送");
  new_ev.policy.permissions.push_back(phone);
  VersionExtras a, b;
  a.policy_text = "old";
  b.policy_text = "new";
  new_ev.previous = CompareVersions({&old_ev, &a}, {&new_ev, &b}, *kb_);
  const rules::ItemResult r = ItemOf(new_ev, "IM-2.2");
  EXPECT_EQ(r.verdict, Verdict::kNeedsDynamic) << r.findings.front().message;
}

TEST_F(VersionCompareTest, Im22NothingWidenedIsCompliantAndNarrowingToo) {
  const AppEvidence wide = Widened(CleanEvidence());
  AppEvidence narrow = CleanEvidence();
  narrow.app.version_code = 3;
  narrow.previous = Compare(wide, narrow);
  ASSERT_FALSE(narrow.previous->changes.empty());
  EXPECT_EQ(ItemOf(narrow, "IM-2.2").verdict, Verdict::kCompliant);
  EXPECT_EQ(ItemOf(narrow, "IM-4.3").verdict, Verdict::kCompliant);
  // IM-3.5 without a static signal still needs a run of both versions.
  EXPECT_EQ(ItemOf(narrow, "IM-3.5").verdict, Verdict::kNeedsDynamic);
}

TEST_F(VersionCompareTest, Im35RecordsTargetCrossingsAndNewStartupRequests) {
  AppEvidence old_ev = CleanEvidence();
  old_ev.app.target_sdk = 28;
  AppEvidence new_ev = old_ev;
  new_ev.app.target_sdk = 30;
  evidence::StartupPermissionRequest req;
  req.permissions = {"android.permission.CAMERA"};
  req.caller = "com.example.Main.onCreate";
  req.before_consent = evidence::BeforeConsent::kLikely;
  req.ref = evidence::CodeRef("classes.dex", "com.example.Main.onCreate");
  new_ev.startup_permission_requests.push_back(req);
  new_ev.permissions.push_back(Permission("android.permission.CAMERA", true, {"camera"}));
  new_ev.previous = Compare(old_ev, new_ev);
  const rules::ItemResult r = ItemOf(new_ev, "IM-3.5");
  EXPECT_EQ(r.verdict, Verdict::kNeedsDynamic);
  bool crossing = false, request = false;
  for (const auto& f : r.findings) {
    crossing |= f.subject == "target_sdk_background_location";
    request |= f.subject == "android.permission.CAMERA" &&
               f.message.find("did not have") != std::string::npos;
  }
  EXPECT_TRUE(crossing);
  EXPECT_TRUE(request);
}

// The ids the report builds at run time exist in both languages (the rules' messages test checks
// the literal ones).
TEST_F(VersionCompareTest, RuntimeMessageIdsExist) {
  for (auto k : {ChangeKind::kAdded, ChangeKind::kRemoved, ChangeKind::kChanged}) {
    const knowledge::Message* m =
        kb_->FindMessage("change." + std::string(evidence::ChangeKindName(k)));
    ASSERT_NE(m, nullptr);
    EXPECT_FALSE(m->zh.empty() || m->en.empty());
  }
  for (const char* role : {"previous_apk", "previous_policy"}) {
    EXPECT_NE(kb_->FindMessage(std::string("report.input.") + role), nullptr) << role;
  }
}

// Recordings of both versions (issue 14, runtime part): a permission the user denied in the old
// version comes back granted without a prompt, or is asked for again at once: IM-3.5.
evidence::RuntimeEventFact Answer(std::string permission, bool granted, int64_t t) {
  evidence::RuntimeEventFact e;
  e.type = "permission_result";
  e.t_ms = t;
  e.permissions = {std::move(permission)};
  e.granted = granted;
  e.ref.kind = evidence::SourceKind::kTrace;
  e.ref.file = "run.jsonl";
  e.ref.location = "line " + std::to_string(t);
  return e;
}

TEST_F(VersionCompareTest, PermissionStatesTheUserSetSurviveTheUpdate) {
  evidence::RuntimeFacts before, granted, reasked, kept;
  before.timeline = {Answer("android.permission.CAMERA", true, 1),
                     Answer("android.permission.CAMERA", false, 2),
                     Answer("android.permission.READ_CONTACTS", true, 3)};
  granted.timeline = {Answer("android.permission.CAMERA", true, 10)};
  evidence::RuntimeEventFact ask;
  ask.type = "permission_request";
  ask.t_ms = 11;
  ask.permissions = {"android.permission.CAMERA"};
  reasked.timeline = {ask};
  kept.timeline = {Answer("android.permission.READ_CONTACTS", true, 10)};

  VersionChanges g, r, k;
  AddPermissionStateChanges(before, granted, &g);
  AddPermissionStateChanges(before, reasked, &r);
  AddPermissionStateChanges(before, kept, &k);
  ASSERT_EQ(g.changes.size(), 1u);
  EXPECT_EQ(g.changes[0].area, "permission_state");
  EXPECT_EQ(g.changes[0].subject, "android.permission.CAMERA");
  EXPECT_EQ(g.changes[0].after, "granted without asking");
  EXPECT_EQ(g.changes[0].previous_refs[0].location, "line 2");
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].after, "asked again before any tap");
  EXPECT_TRUE(k.changes.empty());  // READ_CONTACTS was granted before; CAMERA not touched

  AppEvidence ev = CleanEvidence();
  ev.previous = Compare(CleanEvidence(), CleanEvidence());
  ev.previous->changes = g.changes;
  EXPECT_EQ(ItemOf(ev, "IM-3.5").verdict, Verdict::kViolation);
  EXPECT_EQ(ItemOf(ev, "IM-3.5").strength, Strength::kConfirmed);
  ev.previous->changes = k.changes;
  EXPECT_NE(ItemOf(ev, "IM-3.5").verdict, Verdict::kViolation);
}

TEST_F(VersionCompareTest, Im2_2ConfirmedByARecordingThatShowsNoNotice) {
  AppEvidence before = CleanEvidence();
  AppEvidence after = CleanEvidence();
  after.sensitive_calls.push_back(Call("imei", "app", true, evidence::BeforeConsent::kLikely));
  after.previous = Compare(before, after);
  const rules::ItemResult statically = ItemOf(after, "IM-2.2");
  ASSERT_EQ(statically.verdict, Verdict::kViolation);
  ASSERT_EQ(statically.strength, Strength::kLikely);

  evidence::RuntimeApiFact read;
  read.api = "android.telephony.TelephonyManager.getDeviceId";
  read.pi_types = {"imei"};
  read.owner = "app";
  read.phase = "no_consent_recorded";
  read.count = 1;
  read.ref.kind = evidence::SourceKind::kTrace;
  read.ref.file = "first_start.jsonl";
  read.ref.location = "line 3";
  after.runtime.emplace().api_calls = {read};
  EXPECT_EQ(ItemOf(after, "IM-2.2").strength, Strength::kConfirmed);

  // A notice in the recording (any consent event): the static "likely" stands.
  evidence::RuntimeEventFact shown;
  shown.type = "consent";
  shown.name = "shown";
  after.runtime->timeline = {shown};
  EXPECT_EQ(ItemOf(after, "IM-2.2").strength, Strength::kLikely);
}

TEST_F(VersionCompareTest, Im4_3WhenTheAppStopsAfterANewPermissionIsRefused) {
  AppEvidence before = CleanEvidence();
  AppEvidence after = CleanEvidence();
  after.permissions.push_back(Permission("android.permission.CAMERA", true, {"camera"}));
  after.previous = Compare(before, after);
  ASSERT_EQ(ItemOf(after, "IM-4.3").verdict, Verdict::kNeedsDynamic);
  evidence::RuntimeEventFact stop;
  stop.type = "lifecycle";
  stop.name = "stop";
  stop.t_ms = 4000;
  after.runtime.emplace().timeline = {Answer("android.permission.CAMERA", false, 1000), stop};
  EXPECT_EQ(ItemOf(after, "IM-4.3").verdict, Verdict::kViolation);
  after.runtime->timeline[1].t_ms = 60'000;  // stopped a minute later: the user's own doing
  EXPECT_EQ(ItemOf(after, "IM-4.3").verdict, Verdict::kNeedsDynamic);
}

TEST(CompareSdkVersionsTest, OrdersByTheFirstDottedNumbers) {
  EXPECT_EQ(CompareSdkVersions("9.2.1", "9.2.1"), "same");
  EXPECT_EQ(CompareSdkVersions("9.2.1", "9.10.0"), "upgraded");
  EXPECT_EQ(CompareSdkVersions("9.10.0", "9.2.1"), "downgraded");
  EXPECT_EQ(CompareSdkVersions("1.2", "1.2.1"), "upgraded");
  EXPECT_EQ(CompareSdkVersions("android 5.3.1", "android 6.8.0"), "upgraded");
  EXPECT_EQ(CompareSdkVersions("2.0-beta", "2.0"), "changed");  // no order claimed
  EXPECT_EQ(CompareSdkVersions("release", "nightly"), "changed");
}

// The SDK as a scan of a version that carries it at `version` ("" = not read).
AppEvidence WithSdkVersion(std::string version) {
  AppEvidence ev = Widened(CleanEvidence());
  for (auto& sdk : ev.sdks) {
    if (sdk.id != "jpush") continue;
    sdk.version = version;
    if (!version.empty()) {
      evidence::EvidenceRef ref;
      ref.kind = evidence::SourceKind::kCode;
      ref.file = "classes.dex";
      ref.location = "Lcn/jpush/android/Info;->SDK_VERSION:Ljava/lang/String;";
      ref.detail = "version " + version + " (field)";
      sdk.version_ref = ref;
    }
  }
  return ev;
}

TEST_F(VersionCompareTest, SdkUpgradeAndDowngradeWithBothVersionsAndTheirEvidence) {
  const VersionChanges up = Compare(WithSdkVersion("4.8.1"), WithSdkVersion("5.2.0"));
  const VersionChange* c = Find(up, "sdk", "jpush");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, ChangeKind::kChanged);
  EXPECT_EQ(c->version_change, "upgraded");
  EXPECT_EQ(c->before, "4.8.1");
  EXPECT_EQ(c->after, "5.2.0");
  EXPECT_FALSE(c->widens);
  ASSERT_FALSE(c->previous_refs.empty());
  ASSERT_FALSE(c->current_refs.empty());
  EXPECT_EQ(c->previous_refs[0].detail, "version 4.8.1 (field)");
  EXPECT_EQ(c->current_refs[0].detail, "version 5.2.0 (field)");
  EXPECT_LE(c->current_refs.size(), 3u);

  const VersionChanges down = Compare(WithSdkVersion("5.2.0"), WithSdkVersion("4.8.1"));
  ASSERT_NE(Find(down, "sdk", "jpush"), nullptr);
  EXPECT_EQ(Find(down, "sdk", "jpush")->version_change, "downgraded");
}

TEST_F(VersionCompareTest, SameSdkVersionIsNoChangeAndOneUnknownIsSaid) {
  EXPECT_EQ(Find(Compare(WithSdkVersion("5.2.0"), WithSdkVersion("5.2.0")), "sdk", "jpush"),
            nullptr);
  // Unknown on both sides: nothing is claimed either way.
  EXPECT_EQ(Find(Compare(WithSdkVersion(""), WithSdkVersion("")), "sdk", "jpush"), nullptr);
  // Known on one side only: never "unchanged".
  const VersionChanges v = Compare(WithSdkVersion("5.2.0"), WithSdkVersion(""));
  const VersionChange* c = Find(v, "sdk", "jpush");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->version_change, "unknown");
  EXPECT_EQ(c->before, "5.2.0");
  EXPECT_EQ(c->after, "unknown");
  ASSERT_FALSE(c->previous_refs.empty());
  EXPECT_EQ(c->previous_refs[0].detail, "version 5.2.0 (field)");
}

TEST_F(VersionCompareTest, AnAddedSdkSaysItsVersion) {
  const VersionChanges v = Compare(CleanEvidence(), WithSdkVersion("5.2.0"));
  const VersionChange* c = Find(v, "sdk", "jpush");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, ChangeKind::kAdded);
  EXPECT_EQ(c->after, "code, version 5.2.0");
  EXPECT_TRUE(c->widens);
  EXPECT_EQ(c->version_change, "");
}

}  // namespace
}  // namespace piaudit::compare
