// Checks the fixture builder itself against the reference tools, so every suite can trust it.
#include "support/apk_fixture.h"

#include <gtest/gtest.h>

namespace piaudit::testing {
namespace {

TEST(ApkFixtureTest, BuildsSignedApkThatReferenceToolsAccept) {
  ApkSpec spec;
  spec.manifest_xml = R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android"
      package="com.example.fixture" android:versionCode="7" android:versionName="1.7">
    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="30"/>
    <application android:label="@string/app_name"/>
  </manifest>)";
  spec.resources["values/strings.xml"] =
      R"(<resources><string name="app_name">Fixture</string></resources>)";
  spec.extra_files["assets/hello.txt"] = "hello";
  auto apk = BuildApk(spec, "fixture");
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  auto badging = RunCommand("aapt dump badging " + ShellQuote(*apk));
  EXPECT_EQ(badging.exit_code, 0) << badging.out;
  EXPECT_NE(badging.out.find("package: name='com.example.fixture' versionCode='7'"),
            std::string::npos)
      << badging.out;
  auto verify = RunCommand("apksigner verify -v " + ShellQuote(*apk));
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_NE(verify.out.find("Verified using v2 scheme (APK Signature Scheme v2): true"),
            std::string::npos)
      << verify.out;
  auto list = RunCommand("unzip -l " + ShellQuote(*apk));
  EXPECT_NE(list.out.find("assets/hello.txt"), std::string::npos) << list.out;
}

TEST(ApkFixtureTest, AaptErrorIsReported) {
  ApkSpec spec;
  spec.manifest_xml = "<manifest";  // malformed
  auto apk = BuildApk(spec, "broken");
  ASSERT_FALSE(apk.ok());
  EXPECT_NE(apk.status().ToString().find("aapt package failed"), std::string::npos);
}

}  // namespace
}  // namespace piaudit::testing
