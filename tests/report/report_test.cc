// report.json, the disclose lists and HTML escaping, over synthetic evidence and the bundled
// knowledge base. The SARIF schema check and the Chromium rendering are in report_render_test.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "report/disclose.h"
#include "report/html_escape.h"
#include "report/html_report.h"
#include "report/report_json.h"
#include "report/sarif.h"
#include "report/write_reports.h"
#include "rules/evaluate.h"
#include "rules/test_evidence.h"

namespace piaudit::report {
namespace {

using nlohmann::json;
using piaudit::testing::Call;
using piaudit::testing::CleanEvidence;
using piaudit::testing::Permission;
using piaudit::testing::Sdk;

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    kb_ = piaudit::testing::BundledKb(&err);
    if (!kb_) GTEST_SKIP() << "bundled knowledge base does not load yet: " << err;
    ev_ = CleanEvidence();
    ev_.sdks.push_back(Sdk("jpush", "push", {"imei", "android_id"}));
    ev_.permissions.push_back(Permission("android.permission.CAMERA", true, {"camera"}));
    ev_.sensitive_calls.push_back(Call("imei", "jpush", true, evidence::BeforeConsent::kLikely));
    items_ = rules::EvaluateAll(ev_, *kb_);
  }
  ReportInput Input() const {
    ReportInput in;
    in.evidence = &ev_;
    in.items = items_;
    in.kb = kb_;
    in.tool_version = "0.1.0-test";
    return in;
  }

  const knowledge::KnowledgeBase* kb_ = nullptr;
  evidence::AppEvidence ev_;
  std::vector<rules::ItemResult> items_;
};

TEST(HtmlEscapeTest, EscapesEverySpecialCharacter) {
  EXPECT_EQ(HtmlEscape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("\"><img src=x onerror='a'>&"),
            "&quot;&gt;&lt;img src=x onerror=&#39;a&#39;&gt;&amp;");
  EXPECT_EQ(HtmlEscape(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(HtmlEscape("隐私政策\n"), "隐私政策\n");
}

TEST(HtmlEscapeTest, InvalidUtf8BecomesReplacementCharacters) {
  // An entry name Android accepts but that is not UTF-8 (C0 80, a lone FF, a cut sequence).
  EXPECT_EQ(HtmlEscape("assets/\xC0\x80x"), "assets/\xEF\xBF\xBD\xEF\xBF\xBDx");
  EXPECT_EQ(HtmlEscape("a\xFF<"), "a\xEF\xBF\xBD&lt;");
  EXPECT_EQ(HtmlEscape("\xE9\x9A"), "\xEF\xBF\xBD");  // the first two bytes of 隐
  EXPECT_EQ(HtmlEscape("\xF0\x9F\x98\x80&"), "\xF0\x9F\x98\x80&amp;");
}

TEST(UriEncodeTest, KeepsPathAndEncodesTheRest) {
  EXPECT_EQ(UriEncodePath("res/layout/a_b.xml"), "res/layout/a_b.xml");
  EXPECT_EQ(UriEncodePath("assets/隐私 policy.html"), "assets/%E9%9A%90%E7%A7%81%20policy.html");
}

TEST_F(ReportTest, JsonHasSchemaItemsInventoryAndSummary) {
  json j = json::parse(RenderReportJson(Input()));
  EXPECT_EQ(j["schema"], "piaudit.report/1");
  EXPECT_EQ(j["tool"]["version"], "0.1.0-test");
  EXPECT_EQ(j["knowledge_base"]["version"], kb_->version().version);
  ASSERT_EQ(j["items"].size(), 31u);
  EXPECT_EQ(j["items"][0]["id"], "IM-1.1");
  EXPECT_EQ(j["items"][30]["id"], "IM-6.5");
  int total = 0;
  for (const char* k : {"violation_confirmed", "violation_likely", "needs_dynamic", "needs_manual",
                        "compliant", "not_applicable"}) {
    total += j["summary"][k].get<int>();
  }
  EXPECT_EQ(total, 31);
  // The undisclosed SDK is reported as such.
  ASSERT_EQ(j["sdks"].size(), 1u);
  EXPECT_EQ(j["sdks"][0]["disclosed_in_policy"], false);
  // Inventory: imei read by jpush's code and not in the policy; phone_number in the policy.
  bool imei = false, phone = false;
  for (const auto& e : j["pi_inventory"]) {
    if (e["id"] == "imei") {
      imei = true;
      EXPECT_EQ(e["code"]["owners"], json::array({"jpush"}));
      EXPECT_EQ(e["policy"], "not_mentioned");
    }
    if (e["id"] == "phone_number") {
      phone = true;
      EXPECT_EQ(e["policy"], "collected");
      EXPECT_FALSE(e["code"]["found"].get<bool>());
    }
  }
  EXPECT_TRUE(imei);
  EXPECT_TRUE(phone);
  // Every finding carries evidence with a kind.
  for (const auto& item : j["items"]) {
    for (const auto& f : item["findings"]) {
      ASSERT_FALSE(f["evidence"].empty()) << item["id"];
      EXPECT_TRUE(f["evidence"][0].contains("kind"));
    }
  }
}

TEST_F(ReportTest, JsonSurvivesInvalidUtf8) {
  ev_.app.label = std::string("bad\xff\xfe label");
  std::string out = RenderReportJson(Input());
  json back = json::parse(out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(back.is_discarded());
  EXPECT_NE(back["app"]["label"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
}

// The outputs are exactly what nlohmann printed when the reports were built as nlohmann::json
// trees: parsing one and dumping it again (keys sorted, 2 spaces) gives the same bytes.
TEST_F(ReportTest, OutputsAreCanonicalNlohmannDumps) {
  ev_.app.label = "quote \" backslash \\ tab \t newline \n bell \x07 del \x7f 隐私";
  ev_.app.labels_by_locale = {{"zh-CN", "隐私"}, {"en", "Privacy"}, {"", "default"}};
  ev_.app_type.id = "map-navigation";
  ev_.app_type.confidence = 0.85;
  ev_.packer = evidence::PackerFact{"jiagu360", "360加固", {}};
  ev_.diagnostics.push_back(
      Diagnostic{Severity::kError, "dex.bad", "classes2.dex", "header", 112, true, "bad \"x\""});
  ev_.diagnostics.push_back(
      Diagnostic{Severity::kInfo, "zip.extra", "a.txt", "cd", 0, false, "unused"});
  ev_.hosts.push_back(evidence::HostFact{"api.example.com", "app",
                                         evidence::CodeRef("classes.dex", "a.B.c", {}, "host")});
  evidence::EvidenceRef with_offset = evidence::CodeRef("lib/arm64-v8a/libx.so", "JNI_OnLoad");
  with_offset.kind = evidence::SourceKind::kNative;
  with_offset.offset = 4096;
  ev_.sdks[0].refs.push_back(with_offset);
  ev_.policy.source = evidence::PolicySource::kBundledAsset;
  ev_.policy.file = "assets/隐私 policy.html";
  items_ = rules::EvaluateAll(ev_, *kb_);
  ReportInput in = Input();
  in.generated_at = "2026-11-23T01:00:00Z";
  in.kb_id = "kb-test";
  for (const std::string& out : {RenderReportJson(in), RenderSarif(in),
                                 RenderDiscloseJson(ev_, kb_), RenderDiscloseJson(ev_, nullptr)}) {
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.back(), '\n');
    EXPECT_EQ(json::parse(out).dump(2) + "\n", out);
  }
}

TEST_F(ReportTest, LabelsByLocaleAreSortedAndTheLastLabelOfALocaleWins) {
  ev_.app.labels_by_locale = {{"zh", "first"}, {"en", "English"}, {"zh", "second"}};
  std::string out = RenderReportJson(Input());
  EXPECT_NE(
      out.find("\"labels_by_locale\": {\n      \"en\": \"English\",\n      \"zh\": \"second\"\n"
               "    }"),
      std::string::npos)
      << out.substr(0, 800);
}

TEST_F(ReportTest, SarifMapsLevelsLocationsAndFlows) {
  // Make one confirmed violation (policy text) to see level "error".
  ev_.policy.rights.clear();
  // And a promised complaint time over the limit: a violation quoting a policy span.
  evidence::PolicyTimeLimit tl;
  tl.amount = 30;
  tl.unit = evidence::TimeUnit::kWorkingDays;
  tl.applies_to = "complaint";
  tl.span = piaudit::testing::Span(4200, "三十个工作日内处理");
  tl.certain = true;  // read with certainty, so the over-limit promise is a confirmed violation
  ev_.policy.time_limits.push_back(tl);
  items_ = rules::EvaluateAll(ev_, *kb_);
  json s = json::parse(RenderSarif(Input()));
  EXPECT_EQ(s["version"], "2.1.0");
  const json& run = s["runs"][0];
  ASSERT_EQ(run["tool"]["driver"]["rules"].size(), 31u);
  EXPECT_FALSE(
      run["tool"]["driver"]["rules"][0]["fullDescription"]["text"].get<std::string>().empty());
  bool error = false, warning = false, flow = false, char_region = false, logical = false;
  for (const auto& r : run["results"]) {
    error |= r["level"] == "error";
    warning |= r["level"] == "warning";
    flow |= r.contains("codeFlows");
    for (const auto& loc : r.value("locations", json::array())) {
      if (loc.contains("physicalLocation") && loc["physicalLocation"].contains("region") &&
          loc["physicalLocation"]["region"].contains("charOffset")) {
        char_region = true;
        EXPECT_EQ(loc["physicalLocation"]["artifactLocation"]["uri"], "file:///tmp/policy.txt");
      }
      logical |= loc.contains("logicalLocations");
    }
  }
  EXPECT_TRUE(error);
  EXPECT_TRUE(warning);
  EXPECT_TRUE(flow);
  EXPECT_TRUE(char_region);
  EXPECT_TRUE(logical);
}

TEST_F(ReportTest, DiscloseListsPermissionsAndPi) {
  json d = json::parse(RenderDiscloseJson(ev_, kb_));
  EXPECT_EQ(d["schema"], "piaudit.disclose/1");
  ASSERT_EQ(d["permissions"].size(), 1u);
  EXPECT_EQ(d["permissions"][0]["name"], "android.permission.CAMERA");
  EXPECT_TRUE(d["permissions"][0]["dangerous"].get<bool>());
  std::set<std::string> ids;
  for (const auto& p : d["personal_information"]) ids.insert(p["id"].get<std::string>());
  EXPECT_TRUE(ids.count("imei"));          // code
  EXPECT_TRUE(ids.count("camera"));        // permission
  EXPECT_TRUE(ids.count("phone_number"));  // policy
  EXPECT_TRUE(ids.count("android_id"));    // documented by the SDK
  ev_.app.label = "<script>alert(1)</script>";
  std::string html = RenderDiscloseHtml(ev_, kb_);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  // The page speaks the reader's language (--lang), from the catalogue: zh by default.
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find("权限清单"), std::string::npos);
  EXPECT_EQ(html.find("Permissions"), std::string::npos);
  const std::string en = RenderDiscloseHtml(ev_, kb_, knowledge::Lang::kEn);
  EXPECT_NE(en.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(en.find("<h2>Permissions</h2>"), std::string::npos);
  EXPECT_EQ(en.find("权限清单"), std::string::npos);
  EXPECT_NE(en.find("MIIT draft Interim Provisions (2021) art. 9(2)"), std::string::npos);
}

TEST_F(ReportTest, WriteReportsFailsWithIoErrorNamingThePath) {
  // A directory cannot be created under a regular file.
  std::string file = ::testing::TempDir() + "/piaudit_report_not_a_dir";
  ASSERT_TRUE(WriteTextFile(file, "x").ok());
  Status st = WriteReports(file + "/out", Input());
  EXPECT_EQ(st.code(), StatusCode::kIo);
  EXPECT_NE(st.message().find("piaudit_report_not_a_dir"), std::string_view::npos);
  ReportInput none;
  EXPECT_EQ(WriteReports(::testing::TempDir(), none).code(), StatusCode::kInternal);
}

TEST_F(ReportTest, HtmlEscapesHostileStrings) {
  ev_.app.label = "<script>alert(1)</script>";
  ev_.app.package = "\"><img src=x onerror=alert(2)>";
  ev_.policy.rights.clear();  // a violation quoting the policy
  ev_.policy.data_types[0].spans[0].text = "<script>alert(3)</script>";
  items_ = rules::EvaluateAll(ev_, *kb_);
  std::string html = RenderHtml(Input());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  // 31 summary cells and 31 item sections.
  size_t cells = 0, pos = 0;
  while ((pos = html.find("data-item=\"IM-", pos)) != std::string::npos) ++cells, ++pos;
  EXPECT_EQ(cells, 31u);
  EXPECT_EQ(html.find("http://"), std::string::npos) << "no external resources";
}

TEST_F(ReportTest, SdkListShowsTheVersionAndWhereItWasRead) {
  ASSERT_FALSE(ev_.sdks.empty());
  json before = json::parse(RenderReportJson(Input()));
  EXPECT_EQ(before["sdks"][0]["version"], "");
  EXPECT_TRUE(before["sdks"][0]["version_evidence"].empty());
  ev_.sdks[0].version = "5.2.0<b>";
  evidence::EvidenceRef ref;
  ref.kind = evidence::SourceKind::kCode;
  ref.file = "classes.dex";
  ref.location = "Lcn/jpush/android/Info;->SDK_VERSION:Ljava/lang/String;";
  ev_.sdks[0].version_ref = ref;
  json j = json::parse(RenderReportJson(Input()));
  EXPECT_EQ(j["sdks"][0]["version"], "5.2.0<b>");
  ASSERT_EQ(j["sdks"][0]["version_evidence"].size(), 1u);
  EXPECT_EQ(j["sdks"][0]["version_evidence"][0]["location"], ref.location);
  const std::string html = RenderHtml(Input());
  EXPECT_NE(html.find("<span class=\"version\">5.2.0&lt;b&gt;</span>"), std::string::npos);
}

}  // namespace
}  // namespace piaudit::report
