// Builds small apps (manifest, layouts, DEX code, bundled policy) for end-to-end scan tests and
// runs the Scanner on them with the bundled knowledge base.
#ifndef PIAUDIT_TESTS_SCAN_SCAN_FIXTURE_H_
#define PIAUDIT_TESTS_SCAN_SCAN_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "rules/verdict.h"
#include "scan/scanner.h"
#include "support/apk_fixture.h"
#include "support/dex_builder.h"

namespace piaudit::testing {

inline const scan::Scanner& SharedScanner() {
  static std::unique_ptr<scan::Scanner> scanner = [] {
    auto s = scan::Scanner::Create(PIAUDIT_DATA_DIR, Limits());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }();
  return *scanner;
}

inline const rules::ItemResult& Item(const scan::ScanResult& r, std::string_view id) {
  for (const auto& item : r.items) {
    if (item.id == id) return item;
  }
  static rules::ItemResult missing;
  ADD_FAILURE() << "no result for " << id;
  return missing;
}

inline std::string Manifest(const std::string& package, const std::string& permissions,
                            const std::string& application_body,
                            const std::string& app_class = "") {
  return R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android" package=")" +
         package + R"(" android:versionCode="1" android:versionName="1.0">
  <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="30"/>)" +
         permissions + R"(
  <application android:label="@string/app_name")" +
         (app_class.empty() ? "" : " android:name=\"" + app_class + "\"") + ">" + application_body +
         "</application></manifest>";
}

inline std::string Permission(const std::string& name) {
  return "\n  <uses-permission android:name=\"android.permission." + name + "\"/>";
}

// An Application subclass whose onCreate calls `api` (a static or virtual framework method taking
// no arguments besides the receiver) through an SDK-like helper class `helper`.
inline void AddStartupCall(DexBuilder& b, const std::string& app_cls, const std::string& helper,
                           const std::string& api) {
  auto& app = b.AddClass(app_cls, "Landroid/app/Application;");
  app.AddConstructor("()V", 1)
      .InvokeDirect("Landroid/app/Application;-><init>()V", {0})
      .ReturnVoid();
  app.AddMethod("onCreate", "()V", kAccPublic, 1)
      .InvokeSuper("Landroid/app/Application;->onCreate()V", {0})
      .InvokeStatic(helper + "->init(Landroid/content/Context;)V", {0})
      .ReturnVoid();
  auto& h = b.AddClass(helper);
  h.AddMethod("init", "(Landroid/content/Context;)V", kAccPublic | kAccStatic, 2)
      .Const4(0, 0)
      .InvokeVirtual(api, {0})
      .ReturnVoid();
}

inline Result<std::string> BuildApp(const std::string& name, ApkSpec spec, const DexBuilder* dex) {
  if (spec.resources.find("values/strings.xml") == spec.resources.end()) {
    spec.resources["values/strings.xml"] =
        "<resources><string name=\"app_name\">" + name + "</string></resources>";
  }
  if (dex != nullptr) {
    std::string dir = MakeTempDir("dex-" + name);
    ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, WriteAndVerifyDex(*dex, dir + "/classes.dex"));
    spec.extra_files["classes.dex"] = std::string(bytes.begin(), bytes.end());
  }
  return BuildApk(spec, name);
}

}  // namespace piaudit::testing

#endif  // PIAUDIT_TESTS_SCAN_SCAN_FIXTURE_H_
