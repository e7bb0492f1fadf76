// Tests of the 31 rules over synthetic evidence and the bundled knowledge base: structure (31
// results, in order, each with rule text, evidence and remediation), the strength discipline
// (nothing confirmed from the APK alone; packed code is unknown, not clean), and for every item
// decided statically one evidence set that violates it and one that complies.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "rules/evaluate.h"
#include "rules/test_evidence.h"

namespace piaudit::rules {
namespace {

using evidence::AppEvidence;
using evidence::BeforeConsent;
using evidence::RightKind;
using piaudit::testing::Call;
using piaudit::testing::CleanEvidence;
using piaudit::testing::Permission;
using piaudit::testing::Sdk;
using piaudit::testing::Span;

class RulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    kb_ = piaudit::testing::BundledKb(&err);
    if (!kb_) GTEST_SKIP() << "bundled knowledge base does not load yet: " << err;
  }

  std::vector<ItemResult> Eval(const AppEvidence& ev) { return EvaluateAll(ev, *kb_); }

  // By value: callers often pass the temporary returned by Eval().
  static ItemResult Item(const std::vector<ItemResult>& rs, std::string_view id) {
    for (const auto& r : rs) {
      if (r.id == id) return r;
    }
    ADD_FAILURE() << "no result for " << id;
    return ItemResult{};
  }
  static std::vector<const Finding*> Violations(const ItemResult& r) {
    std::vector<const Finding*> out;
    for (const auto& f : r.findings) {
      if (f.verdict == Verdict::kViolation) out.push_back(&f);
    }
    return out;
  }
  static std::set<std::string> ViolationSubjects(const ItemResult& r) {
    std::set<std::string> s;
    for (const auto* f : Violations(r)) s.insert(f->subject);
    return s;
  }

  const knowledge::KnowledgeBase* kb_ = nullptr;
};

// A messy app: violations in many items at once, for the structural checks.
AppEvidence MessyEvidence() {
  AppEvidence ev = CleanEvidence();
  ev.sdks.push_back(Sdk("jpush", "push", {"imei", "android_id"}));
  ev.sdks.push_back(Sdk("wechat-open", "login-share"));
  ev.permissions.push_back(Permission("android.permission.CAMERA", true, {"camera"}));
  ev.permissions.push_back(
      Permission("android.permission.ACCESS_FINE_LOCATION", true, {"location_precise"}));
  ev.sensitive_calls.push_back(Call("imei", "jpush", true, BeforeConsent::kLikely));
  ev.sensitive_calls.push_back(Call("location_precise", "app", true, BeforeConsent::kUnknown));
  evidence::StartupPermissionRequest req;
  req.permissions = {"android.permission.CAMERA", "android.permission.ACCESS_FINE_LOCATION"};
  req.caller = "com.example.MainActivity.onCreate";
  req.before_consent = BeforeConsent::kLikely;
  req.ref = evidence::CodeRef("classes.dex", req.caller);
  ev.startup_permission_requests.push_back(req);
  evidence::PrecheckedConsent pc;
  pc.layout = "res/layout/activity_login.xml";
  pc.view_id = "cb_agree";
  pc.nearby_text = "我已阅读并同意《隐私政策》";
  pc.ref = evidence::LayoutRef(pc.layout, "layout/activity_login#cb_agree");
  ev.prechecked_consents.push_back(pc);
  ev.policy.rights.clear();
  ev.policy.channels.clear();
  return ev;
}

void CheckStructure(const std::vector<ItemResult>& rs) {
  ASSERT_EQ(rs.size(), 31u);
  std::span<const std::string_view> ids = ItemIds();
  ASSERT_EQ(ids.size(), 31u);
  std::set<std::string> seen;
  for (size_t i = 0; i < rs.size(); ++i) {
    const ItemResult& r = rs[i];
    EXPECT_EQ(r.id, ids[i]);
    EXPECT_TRUE(seen.insert(r.id).second) << "duplicate " << r.id;
    EXPECT_FALSE(r.title_zh.empty()) << r.id;
    EXPECT_FALSE(r.title_en.empty()) << r.id;
    ASSERT_FALSE(r.findings.empty()) << r.id;
    int best = -1;
    for (const Finding& f : r.findings) {
      EXPECT_EQ(f.item_id, r.id);
      EXPECT_EQ(f.title_zh, r.title_zh) << r.id;
      EXPECT_FALSE(f.title_en.empty()) << r.id;
      EXPECT_FALSE(f.remediation.empty()) << r.id;
      EXPECT_FALSE(f.message.empty()) << r.id;
      EXPECT_FALSE(f.evidence.empty()) << r.id << ": " << f.message;
      EXPECT_FALSE(f.owner.empty()) << r.id;
      if (f.verdict == Verdict::kViolation) {
        EXPECT_NE(f.strength, Strength::kNone) << r.id;
      } else {
        EXPECT_EQ(f.strength, Strength::kNone) << r.id;
      }
      if (f.verdict == Verdict::kNeedsDynamic || f.verdict == Verdict::kNeedsManual) {
        EXPECT_FALSE(f.needed.empty()) << r.id << ": needs-* must say what is needed";
      }
      best = std::max(best, VerdictRank(f.verdict, f.strength));
    }
    EXPECT_EQ(VerdictRank(r.verdict, r.strength), best) << r.id << ": item = strongest finding";
  }
  EXPECT_EQ(seen.size(), 31u);
}

TEST_F(RulesTest, RuleTextsComeFromTheKnowledgeBase) {
  for (const auto& r : Eval(CleanEvidence())) {
    const knowledge::Item* item = kb_->FindItem(r.id);
    ASSERT_NE(item, nullptr) << r.id;
    EXPECT_EQ(r.title_zh, item->zh);
    EXPECT_EQ(r.title_en, item->en);
    EXPECT_EQ(r.evidence_kinds, item->evidence);
    for (const auto& f : r.findings) EXPECT_EQ(f.remediation, item->remediation) << r.id;
  }
}

TEST_F(RulesTest, PermissionPiTypesFallBackToTheKnowledgeBase) {
  // No pi_types on the fact: READ_PHONE_STATE's types come from data/permissions.yaml, and the
  // policy's purpose for phone_number (one of them) counts as the permission's purpose.
  AppEvidence ev = CleanEvidence();
  ev.permissions.push_back(Permission("android.permission.READ_PHONE_STATE", true));
  EXPECT_EQ(Item(Eval(ev), "IM-2.3").verdict, Verdict::kCompliant);
  ev.policy.data_types[0].functions.clear();
  EXPECT_EQ(Item(Eval(ev), "IM-2.3").verdict, Verdict::kViolation);
}

TEST_F(RulesTest, Im6_3HoursAndMonths) {
  AppEvidence ev = CleanEvidence();
  auto& tl = ev.policy.time_limits[0];
  tl.unit = evidence::TimeUnit::kHours;
  tl.amount = 48;
  EXPECT_EQ(Item(Eval(ev), "IM-6.3").verdict, Verdict::kCompliant);
  tl.unit = evidence::TimeUnit::kMonths;
  tl.amount = 2;
  const ItemResult& r = Item(Eval(ev), "IM-6.3");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kConfirmed);
}

TEST_F(RulesTest, ThirtyOneResultsInOrderForAnyEvidence) {
  CheckStructure(Eval(CleanEvidence()));
  CheckStructure(Eval(MessyEvidence()));
  CheckStructure(Eval(AppEvidence{}));  // nothing known at all
  AppEvidence packed = MessyEvidence();
  packed.packer = evidence::PackerFact{"jiagu360", "360加固", {}};
  CheckStructure(Eval(packed));
}

TEST_F(RulesTest, NeverConfirmedFromStaticOnlyEvidence) {
  // The policy is a copy bundled in the APK: nothing may be confirmed.
  AppEvidence ev = MessyEvidence();
  ev.policy.source = evidence::PolicySource::kBundledAsset;
  ev.policy.file = "assets/privacy.html";
  ev.policy.collection_sentences = 0;
  ev.policy.data_types.clear();
  ev.policy.script.traditional_only = true;
  auto rs = Eval(ev);
  int violations = 0;
  for (const auto& r : rs) {
    for (const auto& f : r.findings) {
      EXPECT_NE(f.strength, Strength::kConfirmed) << r.id << ": " << f.message;
      violations += f.verdict == Verdict::kViolation;
    }
  }
  EXPECT_GT(violations, 10);
  // No policy at all.
  ev.policy = evidence::PolicyFacts{};
  for (const auto& r : Eval(ev)) {
    for (const auto& f : r.findings) EXPECT_NE(f.strength, Strength::kConfirmed) << r.id;
  }
}

TEST_F(RulesTest, PackedAppCodeItemsAreNotCompliant) {
  AppEvidence ev = CleanEvidence();
  ev.packer = evidence::PackerFact{"jiagu360", "360加固", {}};
  ev.packer->refs.push_back(evidence::ManifestRef("manifest/application[@name=com.stub.StubApp]"));
  auto rs = Eval(ev);
  for (const char* id :
       {"IM-2.1", "IM-3.1", "IM-3.9", "IM-4.1", "IM-4.6", "IM-3.6", "IM-5.1", "IM-5.3"}) {
    const ItemResult& r = Item(rs, id);
    EXPECT_NE(r.verdict, Verdict::kCompliant) << id;
    EXPECT_NE(r.verdict, Verdict::kNotApplicable) << id;
    bool names_packer = false;
    for (const auto& f : r.findings) {
      names_packer |= f.message.find("360加固") != std::string::npos;
    }
    EXPECT_TRUE(names_packer) << id;
  }
  // A failed dex is unknown too.
  AppEvidence partial = CleanEvidence();
  partial.code.dex_files = 2;
  partial.code.failed_dex.push_back("classes2.dex: bad magic");
  EXPECT_EQ(Item(Eval(partial), "IM-3.1").verdict, Verdict::kNeedsDynamic);
}

TEST_F(RulesTest, CleanAppIsCompliantWhereStaticEvidenceDecides) {
  auto rs = Eval(CleanEvidence());
  for (const char* id : {"IM-1.1", "IM-1.4", "IM-2.1", "IM-2.3", "IM-3.1", "IM-3.4", "IM-3.8",
                         "IM-3.9", "IM-4.1", "IM-4.6", "IM-6.1", "IM-6.2", "IM-6.3", "IM-6.5"}) {
    EXPECT_EQ(Item(rs, id).verdict, Verdict::kCompliant)
        << id << ": " << Item(rs, id).findings.front().message;
  }
  for (const char* id : {"IM-3.6", "IM-5.1", "IM-5.3"}) {
    EXPECT_EQ(Item(rs, id).verdict, Verdict::kNotApplicable) << id;
  }
  EXPECT_NE(Item(rs, "IM-2.4").verdict, Verdict::kViolation);
}

TEST_F(RulesTest, UndecidableItemsSayWhatIsNeeded) {
  auto rs = Eval(CleanEvidence());
  for (const char* id : {"IM-1.2", "IM-1.3", "IM-2.2", "IM-3.2", "IM-3.3", "IM-3.5", "IM-3.7",
                         "IM-4.2", "IM-4.3", "IM-4.4", "IM-4.5", "IM-5.2", "IM-6.4"}) {
    const ItemResult& r = Item(rs, id);
    EXPECT_TRUE(r.verdict == Verdict::kNeedsDynamic || r.verdict == Verdict::kNeedsManual) << id;
  }
  // Thresholds come from the knowledge base (T5 = 4 taps, T1 = 48 hours).
  const knowledge::Threshold* t5 = kb_->FindThreshold("T5");
  ASSERT_NE(t5, nullptr);
  std::string taps = std::to_string(static_cast<int>(*t5->value));
  EXPECT_NE(Item(rs, "IM-1.3").findings[0].needed.find("more than " + taps + " taps"),
            std::string::npos);
  EXPECT_NE(Item(rs, "IM-3.2")
                .findings[0]
                .needed.find(std::to_string(static_cast<int>(*kb_->FindThreshold("T1")->value)) +
                             " hours"),
            std::string::npos);
}

TEST_F(RulesTest, Im1_1NoPolicyOrNoCollectionRules) {
  AppEvidence ev = CleanEvidence();
  ev.policy = evidence::PolicyFacts{};
  const ItemResult& none = Item(Eval(ev), "IM-1.1");
  EXPECT_EQ(none.verdict, Verdict::kViolation);
  EXPECT_EQ(none.strength, Strength::kLikely);  // a policy may exist outside the APK

  ev.policy.source = evidence::PolicySource::kUrlFound;
  ev.policy.urls_found = {"https://example.com/privacy"};
  auto rs = Eval(ev);
  EXPECT_EQ(Item(rs, "IM-1.1").verdict, Verdict::kNeedsManual);
  EXPECT_NE(Item(rs, "IM-1.1").findings[0].needed.find("https://example.com/privacy"),
            std::string::npos);

  AppEvidence empty = CleanEvidence();
  empty.policy.collection_sentences = 0;
  empty.policy.data_types.clear();
  const ItemResult& r = Item(Eval(empty), "IM-1.1");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kConfirmed);  // the given policy's own text
}

TEST_F(RulesTest, Im1_4NoSimplifiedChinese) {
  AppEvidence ev = CleanEvidence();
  ev.policy.script.traditional_only = true;
  ev.policy.script.has_simplified = false;
  const ItemResult& r = Item(Eval(ev), "IM-1.4");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kConfirmed);
  ev.policy.source = evidence::PolicySource::kBundledAsset;
  EXPECT_EQ(Item(Eval(ev), "IM-1.4").strength, Strength::kLikely);
}

TEST_F(RulesTest, Im2_1OneFindingPerUndisclosedSdkOrType) {
  AppEvidence ev = CleanEvidence();
  ev.sdks.push_back(Sdk("jpush", "push", {"imei"}));
  ev.sdks.push_back(Sdk("umeng", "analytics", {"imei"}));
  ev.sensitive_calls.push_back(Call("imei", "jpush", false, BeforeConsent::kUnknown));
  ev.sensitive_calls.push_back(Call("imei", "umeng", false, BeforeConsent::kUnknown));
  ev.sensitive_calls.push_back(Call("phone_number", "app", false, BeforeConsent::kUnknown));
  const ItemResult& r = Item(Eval(ev), "IM-2.1");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kLikely);
  EXPECT_EQ(ViolationSubjects(r), (std::set<std::string>{"jpush", "umeng", "imei"}));
  EXPECT_EQ(Violations(r).size(), 3u);
  for (const auto* f : Violations(r)) {
    if (f->subject == "jpush") {
      EXPECT_EQ(f->owner, "jpush");
    }
    if (f->subject == "imei") {
      EXPECT_EQ(f->owner, "app");  // two owners
    }
  }

  // Disclosed: SDK rows by id or by name, and imei named one by one (a group term alone is only a
  // partial cover: Im2_1GroupTermIsAPartialCover).
  evidence::PolicyThirdParty jp;
  jp.is_sdk = true;
  jp.sdk_id = "jpush";
  jp.span = Span(3000, "极光推送SDK");
  ev.policy.third_parties.push_back(jp);
  evidence::PolicyThirdParty um;
  um.is_sdk = true;
  const knowledge::Sdk* umeng = kb_->FindSdk("umeng");
  ASSERT_NE(umeng, nullptr);
  um.name = umeng->zh;
  um.span = Span(3100, um.name);
  ev.policy.third_parties.push_back(um);
  evidence::PolicyDataType dev;
  dev.type_id = "imei";
  dev.collected = true;
  dev.spans.push_back(Span(200, "IMEI"));
  ev.policy.data_types.push_back(dev);
  const ItemResult& ok = Item(Eval(ev), "IM-2.1");
  EXPECT_EQ(ok.verdict, Verdict::kCompliant) << ok.findings.front().message;
}

// "设备信息" is not the one-by-one listing IM-2.1 asks for (issue 13, class 7): a group term covers
// a collected subtype only partly. Not undisclosed (no absence), not listed either: likely, with
// the policy sentence naming the group and the code site as evidence; never confirmed, even from
// a given policy, and never compliant for that type.
TEST_F(RulesTest, Im2_1GroupTermIsAPartialCover) {
  AppEvidence ev = CleanEvidence();
  ASSERT_EQ(ev.policy.source, evidence::PolicySource::kGivenFile);
  ev.sensitive_calls.push_back(Call("imei", "app", false, BeforeConsent::kUnknown));
  ev.sensitive_calls.push_back(Call("android_id", "app", false, BeforeConsent::kUnknown));
  evidence::PolicyDataType dev;
  dev.type_id = "device_info";
  dev.collected = true;
  dev.spans.push_back(Span(300, "我们会收集您的设备信息"));
  ev.policy.data_types.push_back(dev);
  evidence::PolicyDataType aid;  // android_id named one by one
  aid.type_id = "android_id";
  aid.collected = true;
  aid.spans.push_back(Span(400, "Android ID"));
  ev.policy.data_types.push_back(aid);

  const ItemResult& r = Item(Eval(ev), "IM-2.1");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kLikely);
  ASSERT_EQ(Violations(r).size(), 1u);
  const Finding& f = *Violations(r).front();
  EXPECT_EQ(f.subject, "imei");
  EXPECT_EQ(f.strength, Strength::kLikely);
  // The group by its name in each language (data/pi_types.yaml), with its id.
  EXPECT_NE(f.message.find("names only the group "), std::string::npos) << f.message;
  EXPECT_NE(f.message_zh.find("只写了概括性的 设备信息 ("), std::string::npos) << f.message_zh;
  EXPECT_NE(f.message.find("not IMEI (imei) one by one"), std::string::npos) << f.message;
  EXPECT_EQ(f.message.find("does not disclose"), std::string::npos) << f.message;
  // Evidence: the group sentence with its offsets, then the code site; no absence ref.
  ASSERT_GE(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[0].kind, evidence::SourceKind::kPolicy);
  ASSERT_TRUE(f.evidence[0].span.has_value());
  EXPECT_EQ(f.evidence[0].span->start, 300u);
  EXPECT_EQ(f.evidence[0].span->text, "我们会收集您的设备信息");
  EXPECT_EQ(f.evidence[1].kind, evidence::SourceKind::kCode);
  for (const auto& e : f.evidence) EXPECT_NE(e.kind, evidence::SourceKind::kAbsence);
  // android_id, named, is not a finding of its own.
  for (const auto& g : r.findings) EXPECT_NE(g.subject, "android_id");

  // The same group term for code no chain is shown to reach: a lead, not a violation.
  AppEvidence dead = ev;
  for (auto& call : dead.sensitive_calls) call.chain.clear();
  const ItemResult& lead = Item(Eval(dead), "IM-2.1");
  EXPECT_EQ(lead.verdict, Verdict::kNeedsManual);

  // IMEI named as well: compliant, and the finding names both.
  evidence::PolicyDataType imei;
  imei.type_id = "imei";
  imei.collected = true;
  imei.spans.push_back(Span(350, "IMEI"));
  ev.policy.data_types.push_back(imei);
  const ItemResult& ok = Item(Eval(ev), "IM-2.1");
  EXPECT_EQ(ok.verdict, Verdict::kCompliant) << ok.findings.front().message;

  // Nothing names it (no group, no type): undisclosed, as before.
  ev.policy.data_types.erase(ev.policy.data_types.end() - 1);  // imei
  ev.policy.data_types.erase(ev.policy.data_types.end() - 2);  // device_info
  const ItemResult& none = Item(Eval(ev), "IM-2.1");
  ASSERT_EQ(Violations(none).size(), 1u);
  EXPECT_NE(Violations(none).front()->message.find("does not disclose this type"),
            std::string::npos)
      << Violations(none).front()->message;
  EXPECT_EQ(Violations(none).front()->evidence.back().kind, evidence::SourceKind::kAbsence);
}

// An SDK the manifest declares but whose code is not in the dex (weak, "declared, code absent"
// first) is not said to be embedded, nor to collect PI (issue 13, class 7).
TEST_F(RulesTest, CodeAbsentSdkIsDeclaredNotEmbedded) {
  AppEvidence ev = CleanEvidence();
  evidence::SdkFact s = Sdk("umeng", "analytics", {"imei"});
  s.strength = evidence::DetectionStrength::kWeak;
  evidence::EvidenceRef absent = evidence::AbsenceRef(
      "classes*.dex",
      "declared, code absent: the manifest names it, but no class of com.umeng "
      "is in the dex");
  absent.location = "code-absent";  // as the evidence builder writes the sdk_detect item
  s.refs.insert(s.refs.begin(), absent);
  ev.sdks.push_back(s);
  auto rs = Eval(ev);
  for (const char* id : {"IM-2.1", "IM-5.1"}) {
    const ItemResult& r = Item(rs, id);
    EXPECT_EQ(r.verdict, Verdict::kNeedsManual) << id;
    bool seen = false;
    for (const auto& f : r.findings) {
      if (f.subject != "umeng") continue;
      seen = true;
      EXPECT_NE(f.message.find("is declared in the manifest, but its code is absent"),
                std::string::npos)
          << id << ": " << f.message;
      EXPECT_EQ(f.message.find("embedded"), std::string::npos) << id << ": " << f.message;
      EXPECT_EQ(f.message.find("collects"), std::string::npos) << id << ": " << f.message;
      EXPECT_EQ(f.message.find("documented PI"), std::string::npos) << id << ": " << f.message;
    }
    EXPECT_TRUE(seen) << id;
  }
}

// Code no entry point is shown to reach (dead library code, or only framework-type fan-out) does
// not show that a type is collected: a lead for a reviewer, not a violation (issue 13).
TEST_F(RulesTest, Im2_1TypeReadOnlyByCodeNotShownToRunIsALead) {
  AppEvidence ev = CleanEvidence();
  ev.policy = evidence::PolicyFacts{};
  evidence::SensitiveCall dead = Call("installed_apps", "app", false, BeforeConsent::kUnknown);
  dead.chain.clear();
  evidence::SensitiveCall fan = Call("installed_apps", "app", false, BeforeConsent::kUnknown);
  fan.fan_out = true;
  ev.sensitive_calls = {dead, fan};
  const ItemResult& r = Item(Eval(ev), "IM-2.1");
  EXPECT_EQ(r.verdict, Verdict::kNeedsManual) << r.findings.front().message;
  EXPECT_TRUE(Violations(r).empty());
  EXPECT_FALSE(r.findings.front().evidence.empty());  // the call sites stay as evidence
  // One call on a chain the code makes is enough for the violation.
  ev.sensitive_calls.push_back(Call("installed_apps", "app", false, BeforeConsent::kUnknown));
  EXPECT_EQ(Item(Eval(ev), "IM-2.1").verdict, Verdict::kViolation);
}

// No policy and nothing to disclose or justify: not applicable, not compliant (compliant needs a
// text to rest on); with a policy the same app stays compliant (CleanAppIsCompliant...).
TEST_F(RulesTest, Im2_1And2_3WithNothingFoundAndNoPolicyAreNotApplicable) {
  AppEvidence ev = CleanEvidence();
  ev.policy = evidence::PolicyFacts{};
  auto rs = Eval(ev);
  EXPECT_EQ(Item(rs, "IM-2.1").verdict, Verdict::kNotApplicable);
  EXPECT_EQ(Item(rs, "IM-2.3").verdict, Verdict::kNotApplicable);
}

TEST_F(RulesTest, Im2_3PermissionWithoutPurpose) {
  AppEvidence ev = CleanEvidence();
  ev.permissions.push_back(Permission("android.permission.CAMERA", true, {"camera"}));
  ev.permissions.push_back(Permission("android.permission.INTERNET", false));
  const ItemResult& r = Item(Eval(ev), "IM-2.3");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(ViolationSubjects(r), (std::set<std::string>{"android.permission.CAMERA"}));

  evidence::PolicyPermission pp;
  pp.permission = "android.permission.CAMERA";
  pp.purpose = "拍摄头像";
  pp.span = Span(900, "相机权限用于拍摄头像");
  ev.policy.permissions.push_back(pp);
  EXPECT_EQ(Item(Eval(ev), "IM-2.3").verdict, Verdict::kCompliant);
}

TEST_F(RulesTest, Im3_1StartupCollectionAndConsentGate) {
  AppEvidence ev = CleanEvidence();
  // The clean app has no permission at all; an app that can send what it reads has INTERNET.
  ev.permissions.push_back(Permission("android.permission.INTERNET", false));
  ev.sensitive_calls.push_back(Call("imei", "jpush", true, BeforeConsent::kLikely));
  ev.sensitive_calls.push_back(Call("imei", "app", false, BeforeConsent::kLikely));  // not startup
  const ItemResult& r = Item(Eval(ev), "IM-3.1");
  ASSERT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kLikely);
  auto v = Violations(r);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]->owner, "jpush");
  EXPECT_EQ(v[0]->subject, "imei");
  ASSERT_FALSE(v[0]->evidence.empty());
  EXPECT_EQ(v[0]->evidence[0].chain.front(), "com.example.App.onCreate");

  // Guarded by the gate: compliant.
  ev.sensitive_calls[0].before_consent = BeforeConsent::kNo;
  EXPECT_EQ(Item(Eval(ev), "IM-3.1").verdict, Verdict::kCompliant);
  // Unknown with a gate: needs a run. Unknown without a gate: likely violation.
  ev.sensitive_calls[0].before_consent = BeforeConsent::kUnknown;
  EXPECT_EQ(Item(Eval(ev), "IM-3.1").verdict, Verdict::kNeedsDynamic);
  ev.consent_gate = evidence::ConsentGate{};
  EXPECT_EQ(Item(Eval(ev), "IM-3.1").verdict, Verdict::kViolation);
  // Without INTERNET nothing read can leave the device: a read before consent is not shown to
  // be collection (a2dp.Vol_137), so it needs a run rather than being a likely violation.
  ev.permissions.clear();
  EXPECT_EQ(Item(Eval(ev), "IM-3.1").verdict, Verdict::kNeedsDynamic);
}

TEST_F(RulesTest, Im3_4PrecheckedConsentBox) {
  AppEvidence ev = MessyEvidence();
  const ItemResult& r = Item(Eval(ev), "IM-3.4");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kLikely);
  EXPECT_EQ(r.findings[0].evidence[0].file, "res/layout/activity_login.xml");
  EXPECT_EQ(Item(Eval(CleanEvidence()), "IM-3.4").verdict, Verdict::kCompliant);
}

TEST_F(RulesTest, Im3_6TargetedPushWithoutOptOut) {
  AppEvidence ev = CleanEvidence();
  ev.sdks.push_back(Sdk("jpush", "push"));
  EXPECT_EQ(Item(Eval(ev), "IM-3.6").verdict, Verdict::kCompliant);  // opt-out described
  std::erase_if(ev.policy.rights, [](const evidence::PolicyRight& r) {
    return r.kind == RightKind::kPersonalizationOptOut;
  });
  const ItemResult& r = Item(Eval(ev), "IM-3.6");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kLikely);  // an SDK alone does not prove targeting
  EXPECT_EQ(r.findings[0].owner, "jpush");
  // Even with the policy's own statement it stays likely: the missing option is an absence in the
  // text, and the app's settings may offer one the policy does not describe.
  ev.policy.personalization_mentions.push_back(Span(700, "我们会向您进行个性化推荐"));
  const ItemResult& stated = Item(Eval(ev), "IM-3.6");
  EXPECT_EQ(stated.verdict, Verdict::kViolation);
  EXPECT_EQ(stated.strength, Strength::kLikely);
  EXPECT_EQ(stated.findings[0].owner, "app");
  EXPECT_FALSE(stated.findings[0].needed.empty());
}

TEST_F(RulesTest, Im3_8NoWithdrawal) {
  AppEvidence ev = CleanEvidence();
  std::erase_if(ev.policy.rights, [](const evidence::PolicyRight& r) {
    return r.kind == RightKind::kWithdrawConsent;
  });
  const ItemResult& r = Item(Eval(ev), "IM-3.8");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kLikely);  // an absence in a given policy is not a fact read
  EXPECT_FALSE(r.findings[0].needed.empty());
}

TEST_F(RulesTest, Im3_9CollectsWhatPolicyRulesOut) {
  AppEvidence ev = CleanEvidence();
  evidence::PolicyDataType contacts;
  contacts.type_id = "contacts";
  contacts.not_collected = true;
  contacts.spans.push_back(Span(800, "我们不会收集您的通讯录"));
  ev.policy.data_types.push_back(contacts);
  EXPECT_EQ(Item(Eval(ev), "IM-3.9").verdict, Verdict::kCompliant);
  ev.sensitive_calls.push_back(Call("contacts", "app", false, BeforeConsent::kUnknown));
  const ItemResult& r = Item(Eval(ev), "IM-3.9");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kLikely);
  ASSERT_GE(r.findings[0].evidence.size(), 2u);
  EXPECT_EQ(r.findings[0].evidence[0].kind, evidence::SourceKind::kPolicy);
  EXPECT_EQ(r.findings[0].evidence[1].kind, evidence::SourceKind::kCode);
}

TEST_F(RulesTest, Im4_1BeyondNecessaryPi) {
  AppEvidence ev = CleanEvidence();
  ev.sensitive_calls.push_back(Call("phone_number", "app", false, BeforeConsent::kNo));
  EXPECT_EQ(Item(Eval(ev), "IM-4.1").verdict, Verdict::kCompliant);
  ev.sensitive_calls.push_back(Call("location_precise", "app", false, BeforeConsent::kNo));
  ev.permissions.push_back(Permission("android.permission.READ_CONTACTS", true, {"contacts"}));
  const ItemResult& r = Item(Eval(ev), "IM-4.1");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(ViolationSubjects(r), (std::set<std::string>{"location_precise", "contacts"}));
  ev.app_type = evidence::AppTypeFact{};
  EXPECT_EQ(Item(Eval(ev), "IM-4.1").verdict, Verdict::kNeedsManual);
}

TEST_F(RulesTest, Im4_6SeveralPermissionsAtStartup) {
  AppEvidence ev = MessyEvidence();
  const ItemResult& r = Item(Eval(ev), "IM-4.6");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kLikely);
  // One dangerous permission per request. The manifest still asks for two groups (camera,
  // location), so "no grouped request found" is not evidence: needs a run. (This expected
  // `compliant` before; the verdict labels say compliance from absence is wrong, e.g.
  // bugly-upgrade-demo IM-4.6.)
  ev.startup_permission_requests[0].permissions = {"android.permission.CAMERA",
                                                   "android.permission.INTERNET"};
  EXPECT_EQ(Item(Eval(ev), "IM-4.6").verdict, Verdict::kNeedsDynamic);
  // One group only: several cannot be asked at once, which the manifest shows.
  std::erase_if(ev.permissions, [](const evidence::PermissionFact& p) {
    return p.name == "android.permission.ACCESS_FINE_LOCATION";
  });
  EXPECT_EQ(Item(Eval(ev), "IM-4.6").verdict, Verdict::kCompliant);
}

TEST_F(RulesTest, Im5_1And5_3UndisclosedSdks) {
  AppEvidence ev = CleanEvidence();
  ev.sdks.push_back(Sdk("jpush", "push", {"imei"}));
  ev.sdks.push_back(Sdk("wechat-open", "login-share"));
  auto rs = Eval(ev);
  EXPECT_EQ(ViolationSubjects(Item(rs, "IM-5.1")).count("jpush"), 1u);
  EXPECT_EQ(Violations(Item(rs, "IM-5.1"))[0]->owner, "jpush");
  EXPECT_EQ(ViolationSubjects(Item(rs, "IM-5.3")), (std::set<std::string>{"wechat-open"}));
  for (const char* id : {"jpush", "wechat-open"}) {
    evidence::PolicyThirdParty tp;
    tp.is_sdk = true;
    tp.sdk_id = id;
    tp.span = Span(3000, id);
    ev.policy.third_parties.push_back(tp);
  }
  rs = Eval(ev);
  EXPECT_EQ(Item(rs, "IM-5.1").verdict, Verdict::kCompliant);
  EXPECT_EQ(Item(rs, "IM-5.3").verdict, Verdict::kCompliant);
}

TEST_F(RulesTest, Im6_1MissingRightsOneFindingEach) {
  AppEvidence ev = CleanEvidence();
  std::erase_if(ev.policy.rights, [](const evidence::PolicyRight& r) {
    return r.kind == RightKind::kDeletion || r.kind == RightKind::kAccountCancellation;
  });
  const ItemResult& r = Item(Eval(ev), "IM-6.1");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kLikely);  // an absence in a given policy is not a fact read
  EXPECT_EQ(ViolationSubjects(r), (std::set<std::string>{"deletion", "account_cancellation"}));
}

TEST_F(RulesTest, Im6_2UnreasonableConditions) {
  AppEvidence ev = CleanEvidence();
  ev.policy.rights[3].conditions = {"id_card", "in_person"};
  const ItemResult& r = Item(Eval(ev), "IM-6.2");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kConfirmed);
  EXPECT_EQ(r.findings[0].evidence[0].kind, evidence::SourceKind::kPolicy);
  // A condition not read with high certainty (issue 13: "前往" in a menu path) is only likely.
  ev.policy.rights[3].certain = false;
  EXPECT_EQ(Item(Eval(ev), "IM-6.2").strength, Strength::kLikely);
}

TEST_F(RulesTest, Im6_3PromisedLimitInWorkingDays) {
  AppEvidence ev = CleanEvidence();
  auto& tl = ev.policy.time_limits[0];
  tl.unit = evidence::TimeUnit::kDays;
  tl.amount = 10;  // at most 10 working days whatever the start
  EXPECT_EQ(Item(Eval(ev), "IM-6.3").verdict, Verdict::kCompliant);
  tl.amount = 60;  // more than 15 working days from any start date, holidays included
  const ItemResult& r = Item(Eval(ev), "IM-6.3");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kConfirmed);
  EXPECT_NE(r.findings[0].message.find("working days"), std::string::npos);
  tl.amount = 30;  // 30 calendar days: over 15 working days from most, but not all, start dates
  const ItemResult& r30 = Item(Eval(ev), "IM-6.3");
  EXPECT_EQ(r30.verdict, Verdict::kViolation);
  tl.unit = evidence::TimeUnit::kWorkingDays;
  tl.amount = 20;
  EXPECT_EQ(Item(Eval(ev), "IM-6.3").strength, Strength::kConfirmed);
  tl.certain = false;  // e.g. a notice period misread as a response time: likely at most
  EXPECT_EQ(Item(Eval(ev), "IM-6.3").strength, Strength::kLikely);
  tl.certain = true;
  ev.policy.time_limits.clear();
  EXPECT_EQ(Item(Eval(ev), "IM-6.3").verdict, Verdict::kNeedsManual);
}

TEST_F(RulesTest, Im6_5ComplaintChannel) {
  AppEvidence ev = CleanEvidence();
  ev.policy.channels[0].complaint = false;
  const ItemResult& r = Item(Eval(ev), "IM-6.5");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  // Contacts are given but none was read as taking complaints: the reading may have missed it.
  EXPECT_EQ(r.strength, Strength::kLikely);
  {
    AppEvidence none = ev;
    none.policy.channels.clear();  // no contact at all: the absence is plain
    EXPECT_EQ(Item(Eval(none), "IM-6.5").strength, Strength::kConfirmed);
  }
  ev.policy.channels[0].complaint = true;
  evidence::PolicyTimeLimit tl;
  tl.amount = 30;
  tl.unit = evidence::TimeUnit::kWorkingDays;
  tl.applies_to = "complaint";
  tl.span = Span(4200, "三十个工作日内处理投诉");
  ev.policy.time_limits.push_back(tl);
  EXPECT_EQ(Item(Eval(ev), "IM-6.5").verdict, Verdict::kViolation);
}

TEST_F(RulesTest, NoPolicyMakesPolicyItemsLikelyNotConfirmed) {
  AppEvidence ev = CleanEvidence();
  ev.policy = evidence::PolicyFacts{};
  ev.sdks.push_back(Sdk("jpush", "push", {"imei"}));
  auto rs = Eval(ev);
  // IM-1.1 (the missing policy) and the items that compare real code facts with it. (IM-3.8,
  // IM-6.1 and IM-6.5 were expected to be violations here too; the verdict labels say that is
  // wrong: see NoPolicyIsOneFindingNotNine.)
  for (const char* id : {"IM-1.1", "IM-2.1", "IM-5.1"}) {
    EXPECT_EQ(Item(rs, id).verdict, Verdict::kViolation) << id;
    EXPECT_EQ(Item(rs, id).strength, Strength::kLikely) << id;
  }
  EXPECT_EQ(Item(rs, "IM-3.9").verdict, Verdict::kNotApplicable);
}

// A missing policy is one finding, IM-1.1's. Items about properties of the policy text cannot be
// judged (needs-manual); items about a route the app may offer in its UI or online need a run
// (needs-dynamic). Each says "no policy text to judge: see IM-1.1".
TEST_F(RulesTest, NoPolicyIsOneFindingNotNine) {
  AppEvidence ev = CleanEvidence();
  ev.policy = evidence::PolicyFacts{};
  ev.sdks.push_back(Sdk("jpush", "push", {"imei"}));  // targeting possible: IM-3.6 applies
  auto rs = Eval(ev);
  EXPECT_EQ(Item(rs, "IM-1.1").verdict, Verdict::kViolation);
  for (const char* id : {"IM-1.4", "IM-2.4", "IM-6.2", "IM-6.3"}) {
    const ItemResult& r = Item(rs, id);
    EXPECT_EQ(r.verdict, Verdict::kNeedsManual) << id;
    ASSERT_EQ(r.findings.size(), 1u) << id;
    EXPECT_NE(r.findings[0].message.find("No policy text to judge: see IM-1.1"), std::string::npos)
        << id << ": " << r.findings[0].message;
    EXPECT_FALSE(r.findings[0].needed.empty()) << id;
  }
  for (const char* id : {"IM-3.6", "IM-3.8", "IM-6.1", "IM-6.5"}) {
    const ItemResult& r = Item(rs, id);
    EXPECT_EQ(r.verdict, Verdict::kNeedsDynamic) << id;
    EXPECT_NE(r.findings[0].message.find("see IM-1.1"), std::string::npos) << id;
  }
  // A policy that exists but was not read still asks for it to be fetched.
  ev.policy.source = evidence::PolicySource::kUrlFound;
  ev.policy.urls_found = {"https://example.com/privacy"};
  rs = Eval(ev);
  for (const char* id : {"IM-1.4", "IM-3.8", "IM-6.1", "IM-6.3"}) {
    EXPECT_EQ(Item(rs, id).verdict, Verdict::kNeedsManual) << id;
    EXPECT_NE(Item(rs, id).findings[0].needed.find("https://example.com/privacy"),
              std::string::npos)
        << id;
  }
}

// "Compliant because nothing was found" is not evidence: with the INTERNET permission and no
// start-up read found, IM-3.1 needs a run. Without INTERNET nothing read can leave the device.
TEST_F(RulesTest, Im3_1NothingFoundIsNotCompliant) {
  AppEvidence ev = CleanEvidence();
  ev.consent_gate = evidence::ConsentGate{};
  ev.permissions.push_back(Permission("android.permission.INTERNET", false));
  const ItemResult& r = Item(Eval(ev), "IM-3.1");
  EXPECT_EQ(r.verdict, Verdict::kNeedsDynamic) << r.findings[0].message;
  EXPECT_FALSE(r.findings[0].needed.empty());
  ev.permissions.clear();
  EXPECT_EQ(Item(Eval(ev), "IM-3.1").verdict, Verdict::kCompliant);
}

// A call on the launcher activity's first screen is start-up; with no consent gate it is before
// consent, and the message says where the path starts.
TEST_F(RulesTest, Im3_1LauncherFirstScreenPath) {
  AppEvidence ev = CleanEvidence();
  ev.consent_gate = evidence::ConsentGate{};
  ev.permissions.push_back(Permission("android.permission.INTERNET", false));
  evidence::SensitiveCall call = Call("imei", "app", true, BeforeConsent::kLikely);
  call.launcher = true;
  call.chain = {"com.example.MainActivity.onCreate", "com.example.Stats.start"};
  call.ref.chain = call.chain;
  ev.sensitive_calls.push_back(call);
  const ItemResult& r = Item(Eval(ev), "IM-3.1");
  ASSERT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.strength, Strength::kLikely);
  EXPECT_NE(r.findings[0].message.find("first screen"), std::string::npos) << r.findings[0].message;
  EXPECT_EQ(r.findings[0].evidence[0].chain.front(), "com.example.MainActivity.onCreate");
}

// Chains that need class-hierarchy fan-out through framework types are leads, not evidence: alone
// they give needs-dynamic, and a direct chain is listed before them.
TEST_F(RulesTest, Im3_1FanOutChainIsALeadAndDirectChainsComeFirst) {
  AppEvidence ev = CleanEvidence();
  ev.consent_gate = evidence::ConsentGate{};
  ev.permissions.push_back(Permission("android.permission.INTERNET", false));
  evidence::SensitiveCall wide = Call("contacts", "app", true, BeforeConsent::kUnknown);
  wide.fan_out = true;
  ev.sensitive_calls.push_back(wide);
  const ItemResult& lead = Item(Eval(ev), "IM-3.1");
  EXPECT_EQ(lead.verdict, Verdict::kNeedsDynamic);
  ASSERT_FALSE(lead.findings.empty());
  EXPECT_NE(lead.findings[0].message.find("Possible, not shown"), std::string::npos)
      << lead.findings[0].message;
  ASSERT_FALSE(lead.findings[0].evidence.empty());
  EXPECT_FALSE(lead.findings[0].evidence[0].chain.empty()) << "the chain is the lead";

  // A direct chain (an SDK's) sorts after ("app", "contacts") by subject but is listed first.
  ev.sensitive_calls.push_back(Call("imei", "jpush", true, BeforeConsent::kLikely));
  const ItemResult& r = Item(Eval(ev), "IM-3.1");
  ASSERT_EQ(r.verdict, Verdict::kViolation);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].owner, "jpush");
  EXPECT_EQ(r.findings[0].verdict, Verdict::kViolation);
  EXPECT_EQ(r.findings[1].verdict, Verdict::kNeedsDynamic);
  // Evidence of other items lists the direct chain first too.
  ev.sensitive_calls.push_back(Call("imei", "app", true, BeforeConsent::kUnknown));
  ev.sensitive_calls.back().fan_out = true;
  std::swap(ev.sensitive_calls[1], ev.sensitive_calls[2]);  // the fan-out one first in the list
  for (const auto& f : Item(Eval(ev), "IM-2.1").findings) {
    if (f.subject != "imei") continue;
    ASSERT_FALSE(f.evidence.empty());
    EXPECT_EQ(f.evidence[0].detail.rfind("direct chain", 0), 0u) << f.evidence[0].detail;
  }
}

// targetSdkVersion < 23: every dangerous permission is granted at install, together, before any
// consent (IM-3.1) and all or nothing (IM-4.6), implied ones included.
TEST_F(RulesTest, LegacyTargetGrantsEveryDangerousPermissionAtInstall) {
  AppEvidence ev = CleanEvidence();
  ev.app.target_sdk = 8;
  ev.permissions.push_back(
      Permission("android.permission.READ_PHONE_STATE", true, {"imei", "phone_number"}));
  ev.permissions.push_back(
      Permission("android.permission.ACCESS_COARSE_LOCATION", true, {"location_coarse"}));
  auto rs = Eval(ev);
  for (const char* id : {"IM-3.1", "IM-4.6"}) {
    const ItemResult& r = Item(rs, id);
    EXPECT_EQ(r.verdict, Verdict::kViolation) << id;
    EXPECT_EQ(r.strength, Strength::kLikely) << id;
    bool names_target = false;
    for (const auto& f : r.findings) {
      for (const auto& ref : f.evidence) names_target |= ref.detail.find("targetSdkVersion 8") == 0;
    }
    EXPECT_TRUE(names_target) << id;
  }
  ev.app.target_sdk = 23;
  rs = Eval(ev);
  EXPECT_NE(Item(rs, "IM-4.6").verdict, Verdict::kViolation);
  EXPECT_NE(Item(rs, "IM-3.1").verdict, Verdict::kViolation);

  // Target 3: READ_CALENDAR alone, but READ_PHONE_STATE and storage are implied.
  AppEvidence old = CleanEvidence();
  old.app.target_sdk = 3;
  old.permissions.push_back(Permission("android.permission.READ_CALENDAR", true, {"calendar"}));
  const ItemResult& one = Item(Eval(old), "IM-4.6");
  EXPECT_NE(one.verdict, Verdict::kViolation) << "one group is not several";
  evidence::PermissionFact phone = Permission("android.permission.READ_PHONE_STATE", true);
  phone.ref.detail = "implied (targetSdkVersion < 4)";
  old.implied_permissions.push_back(phone);
  EXPECT_EQ(Item(Eval(old), "IM-4.6").verdict, Verdict::kViolation);
}

// An APK that could not be read gives no verdict from its (missing) contents: every item that is
// not decided by a given policy's own text is needs-manual and says why.
TEST_F(RulesTest, UnreadableApkGivesNoVerdicts) {
  AppEvidence ev;
  ev.app.apk_file = "CertChain.apk";
  ev.apk_unreadable = "no AndroidManifest.xml entry (not an installable APK)";
  ev.code.attempted = false;
  auto rs = Eval(ev);
  CheckStructure(rs);
  for (const auto& r : rs) {
    EXPECT_EQ(r.verdict, Verdict::kNeedsManual) << r.id;
    ASSERT_EQ(r.findings.size(), 1u) << r.id;
    EXPECT_NE(r.findings[0].message.find("could not be read"), std::string::npos) << r.id;
  }
  // A given policy is still judged on its own text; nothing that needs the APK is.
  AppEvidence given = CleanEvidence();
  given.app.apk_file = "CertChain.apk";
  given.apk_unreadable = ev.apk_unreadable;
  given.code = evidence::CodeReadStatus{};
  given.code.attempted = false;
  given.consent_gate = evidence::ConsentGate{};
  given.app_type = evidence::AppTypeFact{};
  std::erase_if(given.policy.rights,
                [](const evidence::PolicyRight& r) { return r.kind == RightKind::kDeletion; });
  rs = Eval(given);
  CheckStructure(rs);
  EXPECT_EQ(Item(rs, "IM-6.1").verdict, Verdict::kViolation);
  EXPECT_EQ(Item(rs, "IM-6.1").strength, Strength::kLikely);
  EXPECT_EQ(Item(rs, "IM-1.1").verdict, Verdict::kCompliant);
  for (const char* id : {"IM-2.1", "IM-2.3", "IM-3.1", "IM-3.4", "IM-4.1", "IM-4.6", "IM-5.1"}) {
    EXPECT_EQ(Item(rs, id).verdict, Verdict::kNeedsManual) << id;
  }
}

}  // namespace
}  // namespace piaudit::rules
