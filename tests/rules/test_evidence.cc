// Synthetic evidence for tests; see test_evidence.h.
#include "rules/test_evidence.h"

#include <memory>
#include <mutex>
#include <utility>

namespace piaudit::testing {

using namespace evidence;

const knowledge::KnowledgeBase* BundledKb(std::string* error) {
  static std::once_flag once;
  static std::unique_ptr<knowledge::KnowledgeBase> kb;
  static std::string load_error;
  std::call_once(once, [] {
    Diagnostics diags;
    Result<knowledge::KnowledgeBase> r = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, &diags);
    if (r.ok()) {
      kb = std::make_unique<knowledge::KnowledgeBase>(std::move(r).value());
    } else {
      load_error = r.status().ToString();
    }
  });
  if (error) *error = load_error;
  return kb.get();
}

PolicySpan Span(uint32_t start, std::string text) {
  PolicySpan s;
  s.start = start;
  s.end = start + 10;
  s.text = std::move(text);
  return s;
}

SensitiveCall Call(std::string pi_type, std::string owner, bool startup, BeforeConsent before) {
  SensitiveCall c;
  c.api = "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;";
  c.pi_type = std::move(pi_type);
  c.owner = std::move(owner);
  c.caller = "com.example.Init.run";
  c.startup = startup;
  c.before_consent = before;
  c.chain = {"com.example.App.onCreate", "com.example.Init.<init>", "com.example.Init.run"};
  c.ref = CodeRef("classes.dex", c.caller, c.chain, c.api);
  c.ref.offset = 0x1a2c;
  return c;
}

SdkFact Sdk(std::string id, std::string category, std::vector<std::string> pi) {
  SdkFact s;
  s.id = std::move(id);
  s.name = s.id;
  s.category = std::move(category);
  s.strength = DetectionStrength::kStrong;
  s.pi_types = std::move(pi);
  s.refs.push_back(
      CodeRef("classes.dex", "cn.jpush.android.api.JPushInterface", {}, "package prefix"));
  return s;
}

PermissionFact Permission(std::string name, bool dangerous, std::vector<std::string> pi) {
  PermissionFact p;
  p.name = name;
  p.dangerous = dangerous;
  p.pi_types = std::move(pi);
  p.ref = ManifestRef("manifest/uses-permission[@name=" + name + "]");
  return p;
}

AppEvidence CleanEvidence() {
  AppEvidence ev;
  ev.app.package = "com.example.community";
  ev.app.label = "Example Community";
  ev.app.version_name = "1.0";
  ev.app.version_code = 1;
  ev.app.target_sdk = 33;
  ev.app.apk_file = "example.apk";
  ev.code.dex_files = 1;
  ev.code.dex_files_read = 1;
  ev.app_type.id = "online-community";
  ev.app_type.given = true;
  ev.app_type.confidence = 1;

  ev.consent_gate.found = true;
  ev.consent_gate.dialog.push_back(
      LayoutRef("res/layout/dialog_privacy.xml", "layout/dialog_privacy", "privacy dialog"));
  ev.consent_gate.agree_handler = CodeRef("classes.dex", "com.example.PrivacyDialog.onAgree");

  PolicyFacts& p = ev.policy;
  p.source = PolicySource::kGivenFile;
  p.file = "/tmp/policy.txt";
  p.analysed = true;
  p.text_code_points = 5000;
  p.collection_sentences = 12;
  PolicyDataType phone;
  phone.type_id = "phone_number";
  phone.collected = true;
  phone.required = true;
  phone.functions = {"注册"};
  phone.spans.push_back(Span(100, "注册时我们会收集您的手机号码"));
  p.data_types.push_back(phone);
  const RightKind kinds[] = {RightKind::kAccess,          RightKind::kCorrection,
                             RightKind::kDeletion,        RightKind::kAccountCancellation,
                             RightKind::kWithdrawConsent, RightKind::kPersonalizationOptOut};
  uint32_t at = 2000;
  for (RightKind k : kinds) {
    PolicyRight r;
    r.kind = k;
    r.span = Span(at, "您可以在设置中行使权利");
    r.conditions = {"proof_of_identity"};
    r.certain = true;  // read from a sentence about rights
    at += 50;
    p.rights.push_back(r);
  }
  PolicyChannel ch;
  ch.kind = "email";
  ch.value = "privacy@example.com";
  ch.complaint = true;
  ch.span = Span(4000, "投诉举报邮箱：privacy@example.com");
  p.channels.push_back(ch);
  PolicyTimeLimit tl;
  tl.amount = 15;
  tl.unit = TimeUnit::kWorkingDays;
  tl.applies_to = "request";
  tl.span = Span(4100, "十五个工作日内回复");
  tl.certain = true;  // the subject (回复) in the number's clause
  p.time_limits.push_back(tl);
  p.script.language = "zh";
  p.script.han_chars = 4000;
  p.script.has_simplified = true;
  p.readability.chars = 5000;
  p.readability.sentences = 100;
  p.readability.mean_sentence_chars = 50;
  p.readability.max_sentence_chars = 120;
  return ev;
}

}  // namespace piaudit::testing
