// Each hand-written screen under tests/runtime/screens/ is asserted for the facts it shows and
// against the facts it must not show.
#include "runtime/screen_facts.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace piaudit::runtime {
namespace {

class ScreenFactsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = knowledge::LoadScreenWords(PIAUDIT_DATA_DIR);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    words_ = new knowledge::ScreenWords(std::move(*loaded));
  }
  static void TearDownTestSuite() {
    delete words_;
    words_ = nullptr;
  }

  static ScreenFacts Facts(const std::string& name, trace::UiHierarchy* keep = nullptr) {
    const std::string path = std::string(PIAUDIT_SOURCE_DIR) + "/tests/runtime/screens/" + name;
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto h = trace::ParseUiHierarchy(ss.str(), name, trace::UiLimits());
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    if (!h.ok()) return {};
    ScreenFacts f = ComputeScreenFacts(*h, *words_);
    if (keep) *keep = std::move(*h);
    return f;
  }

  static knowledge::ScreenWords* words_;
};
knowledge::ScreenWords* ScreenFactsTest::words_ = nullptr;

TEST_F(ScreenFactsTest, ConsentDialogHasItsButtons) {
  const ScreenFacts f = Facts("consent_dialog.xml");
  EXPECT_TRUE(f.is_consent_screen);
  ASSERT_EQ(f.agree_buttons.size(), 1u);
  EXPECT_EQ(f.agree_buttons[0].text, "同意");
  EXPECT_EQ(f.agree_buttons[0].left, 540);
  EXPECT_EQ(f.agree_buttons[0].bottom, 1680);
  ASSERT_EQ(f.refuse_buttons.size(), 1u);
  EXPECT_EQ(f.refuse_buttons[0].text, "不同意");  // a refusal, though it holds 同意
  EXPECT_FALSE(f.prechecked_consent);
  EXPECT_FALSE(f.shows_policy);  // a summary, not the policy
  EXPECT_TRUE(f.purpose_texts.empty());
}

TEST_F(ScreenFactsTest, PrecheckedConsentBoxIsFound) {
  trace::UiHierarchy h;
  const ScreenFacts f = Facts("consent_prechecked.xml", &h);
  ASSERT_TRUE(f.prechecked_consent);
  EXPECT_EQ(f.prechecked_consent->text, "我已阅读并同意《用户协议》和《隐私政策》");
  EXPECT_EQ(h.nodes[f.prechecked_consent->node].resource_id, "com.example.shop:id/cb_agree");
  EXPECT_EQ(f.prechecked_consent->left, 60);  // the box's bounds, not the label's
  EXPECT_FALSE(f.unchecked_consent);
  // A login screen with an agreement line is not the consent dialog, but links to the policy.
  EXPECT_FALSE(f.is_consent_screen);
  ASSERT_TRUE(f.policy_link);
}

TEST_F(ScreenFactsTest, UncheckedConsentBoxIsNotPrechecked) {
  const ScreenFacts f = Facts("consent_unchecked.xml");
  EXPECT_FALSE(f.prechecked_consent);  // "记住手机号" is ticked but is no consent box
  ASSERT_TRUE(f.unchecked_consent);
  EXPECT_EQ(f.unchecked_consent->text, "我已阅读并同意《用户协议》和《隐私政策》");
}

TEST_F(ScreenFactsTest, MainScreenShowsNothingAboutThePolicy) {
  const ScreenFacts f = Facts("main_screen.xml");
  EXPECT_FALSE(f.is_consent_screen);
  EXPECT_FALSE(f.policy_link);
  EXPECT_FALSE(f.shows_policy);
  EXPECT_FALSE(f.prechecked_consent);
  EXPECT_TRUE(f.agree_buttons.empty());
  EXPECT_TRUE(f.purpose_texts.empty());
}

TEST_F(ScreenFactsTest, SettingsEntryIsAPolicyLink) {
  trace::UiHierarchy h;
  const ScreenFacts f = Facts("settings_policy.xml", &h);
  ASSERT_TRUE(f.policy_link);
  EXPECT_EQ(f.policy_link->text, "隐私政策");
  EXPECT_EQ(f.policy_link->top, 540);  // the clickable row's bounds
  EXPECT_EQ(f.policy_link->bottom, 650);
  EXPECT_FALSE(f.is_consent_screen);
  EXPECT_TRUE(f.refuse_buttons.empty());  // 退出登录 is not a refusal here
  EXPECT_FALSE(f.shows_policy);
}

TEST_F(ScreenFactsTest, PolicyPageShowsThePolicy) {
  const ScreenFacts f = Facts("policy_page.xml");
  EXPECT_TRUE(f.shows_policy);
  EXPECT_FALSE(f.is_consent_screen);
  EXPECT_FALSE(f.policy_link);  // the title is not tappable
}

TEST_F(ScreenFactsTest, RationaleWithPurpose) {
  const ScreenFacts f = Facts("permission_rationale.xml");
  ASSERT_EQ(f.purpose_texts.size(), 1u);
  EXPECT_NE(f.purpose_texts[0].where.text.find("用于"), std::string::npos);
  EXPECT_EQ(f.purpose_texts[0].groups, std::vector<std::string>{"location"});
  EXPECT_FALSE(f.is_consent_screen);  // "我知道了" accepts, but no policy is named
}

TEST_F(ScreenFactsTest, RationaleWithoutPurpose) {
  const ScreenFacts f = Facts("permission_no_purpose.xml");
  EXPECT_TRUE(f.purpose_texts.empty());
}

TEST_F(ScreenFactsTest, InvisibleTextDoesNotCount) {
  const std::string xml =
      "<hierarchy><node class='android.widget.TextView' text='隐私政策' clickable='true' "
      "bounds='[5,5][5,5]'/><node class='android.widget.Button' text='同意' clickable='true' "
      "bounds='[10,10][10,50]'/></hierarchy>";
  auto h = trace::ParseUiHierarchy(xml, "t.xml", trace::UiLimits());
  ASSERT_TRUE(h.ok());
  const ScreenFacts f = ComputeScreenFacts(*h, *words_);
  EXPECT_FALSE(f.policy_link);
  EXPECT_FALSE(f.is_consent_screen);
}

TEST_F(ScreenFactsTest, ManyBoxesUnderOneParentStayLinear) {
  std::string xml = "<hierarchy><node class='L'>";
  for (int i = 0; i < 50'000; ++i) {
    xml += "<node class='android.widget.CheckBox' checkable='true' checked='true' bounds='[0," +
           std::to_string(i * 10) + "][10," + std::to_string(i * 10 + 5) + "]'/>";
  }
  xml += "</node></hierarchy>";
  auto h = trace::ParseUiHierarchy(xml, "t.xml", trace::UiLimits());
  ASSERT_TRUE(h.ok());
  const ScreenFacts f = ComputeScreenFacts(*h, *words_);
  EXPECT_FALSE(f.prechecked_consent);
}

}  // namespace
}  // namespace piaudit::runtime
