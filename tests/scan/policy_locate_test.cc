// Where the app's privacy policy is, when none is given (apk/policy_locate.h for bundled files,
// analysis/strings_urls.h JudgePolicyUrls for URLs): built apps with licence URLs, a licence file
// that quotes privacy words, an agreement link, an SDK endpoint, and a real policy link.
#include <gtest/gtest.h>

#include <string>

#include "scan_fixture.h"

namespace piaudit::testing {
namespace {

using rules::Verdict;

scan::ScanResult ScanApk(const std::string& apk) {
  scan::ScanRequest request;
  request.apk_path = apk;
  return SharedScanner().Scan(request);
}

bool HasWarningWith(const scan::ScanResult& r, std::string_view needle) {
  for (const std::string& w : r.evidence.policy.warnings) {
    if (w.find("not trusted") != std::string::npos && w.find(needle) != std::string::npos)
      return true;
  }
  return false;
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += s + "\n";
  return out;
}

// issue 13: jquery's licence URL, the Apache licence URL and an SDK config URL made the policy
// `url_found`, so 20 items became needs-manual with no evidence and a missing policy was no
// violation. A licence file quoting privacy words was a "bundled policy".
TEST(PolicyLocateTest, LicencesAgreementsAndSdkUrlsAreNotThePolicy) {
  DexBuilder dex;
  auto& links = dex.AddClass("Lcom/example/lic/Links;");
  links.AddMethod("all", "()V", kAccPublic | kAccStatic, 1)
      .ConstString(0,
                   "Licensed under the Apache License: http://www.apache.org/licenses/LICENSE-2.0")
      .ConstString(0, "https://ulogs.umeng.com/privacy/config")
      .ReturnVoid();
  ApkSpec spec;
  spec.manifest_xml = Manifest("com.example.lic", Permission("INTERNET"), "");
  spec.resources["values/strings.xml"] =
      "<resources><string name=\"app_name\">lic</string>"
      "<string name=\"terms\">用户协议 https://www.example.com/terms.html</string></resources>";
  spec.extra_files["assets/www/js/jquery.ba-bbq.js"] =
      "/*!\n * jQuery BBQ: Back Button &amp; Query Library - v1.2.1 - 2/17/2010\n"
      " * Copyright (c) 2010 Ben Alman\n"
      " * Dual licensed under the MIT and GPL licenses.\n"
      " * http://benalman.com/about/license/\n */\n(function($){})(jQuery);\n";
  // A notices page that quotes a privacy policy: by content alone it scored as one.
  std::string notices =
      "<html><body><h1>Open source licenses</h1><p>This product includes software licensed "
      "under the Apache License. 隐私政策 and 个人信息 terms of each library: the library may "
      "收集 usage data; see its privacy policy about personal information. ";
  notices += std::string(400, ' ') + "</p></body></html>";
  spec.extra_files["assets/open_source_licenses.html"] = notices;
  auto apk = BuildApp("lic", spec, &dex);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  scan::ScanResult r = ScanApk(*apk);
  ASSERT_TRUE(r.apk_status.ok()) << r.apk_status.ToString();

  EXPECT_EQ(r.evidence.policy.source, evidence::PolicySource::kNone);
  EXPECT_TRUE(r.evidence.policy.urls_found.empty()) << Joined(r.evidence.policy.urls_found);
  EXPECT_FALSE(r.evidence.policy.analysed);
  // Listed, with why not.
  const std::string warnings = Joined(r.evidence.policy.warnings);
  EXPECT_TRUE(HasWarningWith(r, "http://benalman.com/about/license/ (a licence")) << warnings;
  EXPECT_TRUE(HasWarningWith(r, "http://www.apache.org/licenses/LICENSE-2.0 (a licence"))
      << warnings;
  EXPECT_TRUE(HasWarningWith(r, "https://ulogs.umeng.com/privacy/config (the host belongs to SDK"))
      << warnings;
  EXPECT_TRUE(HasWarningWith(r, "https://www.example.com/terms.html (a user agreement"))
      << warnings;
  // No policy anywhere is the one violation it should be.
  EXPECT_EQ(Item(r, "IM-1.1").verdict, Verdict::kViolation);
}

TEST(PolicyLocateTest, APolicyLinkWithEvidenceIsFoundWithItsReasons) {
  ApkSpec spec;
  spec.manifest_xml = Manifest("com.example.pp", Permission("INTERNET"), "");
  spec.resources["values/strings.xml"] =
      "<resources><string name=\"app_name\">pp</string>"
      "<string name=\"pp\">请阅读《隐私政策》https://www.example.com/privacy.html</string>"
      "</resources>";
  auto apk = BuildApp("pp", spec, nullptr);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  scan::ScanResult r = ScanApk(*apk);
  ASSERT_TRUE(r.apk_status.ok()) << r.apk_status.ToString();
  EXPECT_EQ(r.evidence.policy.source, evidence::PolicySource::kUrlFound);
  ASSERT_EQ(r.evidence.policy.urls_found.size(), 1u);
  EXPECT_EQ(r.evidence.policy.urls_found[0], "https://www.example.com/privacy.html");
  ASSERT_FALSE(r.evidence.policy.refs.empty());
  const std::string& detail = r.evidence.policy.refs[0].detail;
  EXPECT_NE(detail.find("'privacy' in the URL"), std::string::npos) << detail;
  EXPECT_NE(detail.find("host of the app"), std::string::npos) << detail;
  EXPECT_EQ(r.evidence.policy.refs[0].file, "resources.arsc");
}

}  // namespace
}  // namespace piaudit::testing
