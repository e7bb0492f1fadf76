// The rules speak through the message catalogue (data/messages.yaml): every id they name exists
// in both languages, and every finding of many evidence shapes renders completely in both.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "rules/evaluate.h"
#include "rules/test_evidence.h"

namespace piaudit::rules {
namespace {

namespace fs = std::filesystem;
using piaudit::testing::Call;
using piaudit::testing::CleanEvidence;
using piaudit::testing::Permission;
using piaudit::testing::Sdk;

std::string ReadAll(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class MessagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    kb_ = piaudit::testing::BundledKb(&err);
    if (!kb_) GTEST_SKIP() << "bundled knowledge base does not load: " << err;
  }
  void ExpectIdInBothLanguages(const std::string& id, const std::string& where) {
    const knowledge::Message* m = kb_->FindMessage(id);
    ASSERT_NE(m, nullptr) << "message id '" << id << "' used in " << where
                          << " is not in data/messages.yaml";
    // Only the deliberate empty clause may be empty.
    if (id != "common.empty") EXPECT_FALSE(m->zh.empty() || m->en.empty()) << id;
  }
  const knowledge::KnowledgeBase* kb_ = nullptr;
};

// Every string literal in the rule and report sources that starts with a catalogue prefix
// ("im3_1.", "common.", "report." ...) must be a catalogue id: a typo fails here, not in a report.
TEST_F(MessagesTest, EveryIdInTheSourcesExists) {
  std::set<std::string> prefixes;
  for (const knowledge::Message& m : kb_->messages())
    prefixes.insert(m.id.substr(0, m.id.find('.')));
  ASSERT_GT(prefixes.size(), 10u);
  const std::regex literal("\"([a-z][a-z0-9_]*\\.[a-z0-9_.\\-]*[a-z0-9_])\"");
  size_t checked = 0;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(PIAUDIT_SOURCE_DIR "/src/rules")) {
    if (e.path().extension() == ".cc") files.push_back(e.path());
  }
  files.push_back(PIAUDIT_SOURCE_DIR "/src/report/html_report.cc");
  files.push_back(PIAUDIT_SOURCE_DIR "/src/knowledge/messages.cc");
  for (const fs::path& file : files) {
    const std::string text = ReadAll(file);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), literal);
         it != std::sregex_iterator(); ++it) {
      const std::string id = (*it)[1];
      if (!prefixes.count(id.substr(0, id.find('.')))) continue;
      ExpectIdInBothLanguages(id, file.string());
      ++checked;
    }
  }
  EXPECT_GT(checked, 150u) << "the scan of the sources found too few ids: is the regex right?";
  // Ids built at run time.
  for (const knowledge::Item& item : kb_->items()) {
    ExpectIdInBothLanguages("remediation." + item.id, "context.cc MakeFinding");
  }
  for (auto kind :
       {evidence::RightKind::kAccess, evidence::RightKind::kCorrection,
        evidence::RightKind::kDeletion, evidence::RightKind::kAccountCancellation,
        evidence::RightKind::kWithdrawConsent, evidence::RightKind::kPersonalizationOptOut}) {
    ExpectIdInBothLanguages("right." + std::string(evidence::RightKindName(kind)), "items_rights");
  }
  for (auto v : {Verdict::kViolation, Verdict::kCompliant, Verdict::kNeedsDynamic,
                 Verdict::kNeedsManual, Verdict::kNotApplicable}) {
    ExpectIdInBothLanguages("verdict." + std::string(VerdictName(v)), "html_report.cc");
  }
  for (auto d : {evidence::DetectionStrength::kStrong, evidence::DetectionStrength::kMedium,
                 evidence::DetectionStrength::kWeak}) {
    ExpectIdInBothLanguages("detection." + std::string(evidence::DetectionStrengthName(d)),
                            "items_disclosure.cc, html_report.cc");
  }
  for (const char* s : {"manifest", "resource", "layout", "code", "native", "asset", "policy",
                        "absence", "trace"}) {
    ExpectIdInBothLanguages("source." + std::string(s), "html_report.cc evidence badges");
  }
  for (const char* s : {"none", "given_file", "bundled_asset", "resource", "url_found"}) {
    ExpectIdInBothLanguages("policy_source." + std::string(s), "html_report.cc cover");
  }
  for (const char* s : {"likely", "confirmed"}) {
    ExpectIdInBothLanguages("strength." + std::string(s), "html_report.cc");
  }
  for (const char* s : {"apk", "policy", "evidence", "baseline"}) {
    ExpectIdInBothLanguages("report.input." + std::string(s), "html_report.cc cover");
  }
  for (const char* s : {"summary", "problems", "others", "sdks", "pi", "diagnostics"}) {
    ExpectIdInBothLanguages("report." + std::string(s), "html_report.cc contents");
  }
}

bool HasHan(const std::string& s) {
  // U+4E00..U+9FFF are E4 B8 80 .. E9 BF BF in UTF-8.
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0xE4 && b <= 0xE9) return true;
  }
  return false;
}

void ExpectRendered(const Finding& f, const std::string& context) {
  const std::regex leftover("\\{[a-z][a-z0-9_]*\\}|\\[[a-z][a-z0-9_]*\\.[a-z0-9_.\\-]+\\]");
  for (const auto& [what, en, zh] :
       {std::tuple{"message", &f.message, &f.message_zh},
        std::tuple{"needed", &f.needed, &f.needed_zh},
        std::tuple{"remediation", &f.remediation, &f.remediation_zh}}) {
    SCOPED_TRACE(context + " " + f.item_id + " " + what + ": " + *en + " / " + *zh);
    EXPECT_FALSE(std::regex_search(*en, leftover));
    EXPECT_FALSE(std::regex_search(*zh, leftover));
    EXPECT_EQ(en->empty(), zh->empty());
    if (!zh->empty()) EXPECT_TRUE(HasHan(*zh)) << "the Chinese text is not Chinese";
  }
  EXPECT_FALSE(f.message_text.empty()) << f.item_id;
  EXPECT_FALSE(f.message.empty()) << f.item_id;
  EXPECT_FALSE(f.remediation_zh.empty()) << f.item_id;
}

// Many shapes of evidence, so most message paths of the 31 items run.
TEST_F(MessagesTest, EveryFindingRendersInBothLanguages) {
  std::vector<std::pair<std::string, evidence::AppEvidence>> cases;
  cases.emplace_back("clean", CleanEvidence());
  cases.emplace_back("empty", evidence::AppEvidence());
  evidence::AppEvidence messy = CleanEvidence();
  messy.sdks.push_back(Sdk("jpush", "push", {"imei"}));
  messy.sdks.push_back(Sdk("wechat-open", "login-share"));
  messy.permissions.push_back(Permission("android.permission.CAMERA", true, {"camera"}));
  messy.permissions.push_back(Permission("android.permission.READ_PHONE_STATE", true, {"imei"}));
  messy.sensitive_calls.push_back(Call("imei", "jpush", true, evidence::BeforeConsent::kLikely));
  messy.sensitive_calls.push_back(Call("imei", "app", true, evidence::BeforeConsent::kUnknown));
  messy.sensitive_calls.push_back(Call("location", "app", false, evidence::BeforeConsent::kNo));
  messy.policy.rights.clear();
  messy.policy.channels.clear();
  messy.policy.time_limits.clear();
  messy.app.target_sdk = 22;
  cases.emplace_back("messy", messy);
  evidence::AppEvidence packed = messy;
  packed.packer = evidence::PackerFact{"jiagu360", "360加固", {}};
  packed.policy = evidence::PolicyFacts();
  packed.policy.source = evidence::PolicySource::kBundledAsset;
  packed.policy.file = "assets/privacy.html";
  cases.emplace_back("packed-unread-policy", packed);
  evidence::AppEvidence no_policy = messy;
  no_policy.policy = evidence::PolicyFacts();
  no_policy.app_type = evidence::AppTypeFact();
  cases.emplace_back("no-policy", no_policy);
  evidence::AppEvidence unreadable;
  unreadable.apk_unreadable = "not a zip archive";
  cases.emplace_back("unreadable", unreadable);

  std::set<std::string> ids;
  for (const auto& [name, ev] : cases) {
    for (const ItemResult& item : EvaluateAll(ev, *kb_)) {
      for (const Finding& f : item.findings) {
        ExpectRendered(f, name);
        ids.insert(f.message_text.id);
      }
    }
  }
  // The cases reach many different messages, not one fallback.
  EXPECT_GT(ids.size(), 50u);
}

}  // namespace
}  // namespace piaudit::rules
