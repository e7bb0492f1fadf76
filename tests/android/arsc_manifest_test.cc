// resources.arsc and the manifest model on fixture APKs built at test time with aapt (sources in
// this file): per-locale labels (zh-rCN, zh-rTW), SDK meta-data keys, providers, intent filters,
// exported rules, implied permissions at target SDK 3; then hostile variants of the fixture's
// resources.arsc (truncation at every offset, 0xffffffff words) that must never crash.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>

#include "android/arsc.h"
#include "android/axml.h"
#include "android/manifest.h"
#include "base/mapped_file.h"
#include "container/zip_archive.h"
#include "support/apk_fixture.h"

namespace piaudit::android {
namespace {

using piaudit::testing::ApkSpec;
using piaudit::testing::BuildApk;
using piaudit::testing::RunCommand;
using piaudit::testing::ShellQuote;

constexpr char kMainManifest[] = R"(<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.fixture" android:versionCode="42" android:versionName="4.2">
  <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="30" />
  <uses-permission android:name="android.permission.INTERNET" />
  <uses-permission android:name="android.permission.WRITE_EXTERNAL_STORAGE" android:maxSdkVersion="28" />
  <uses-permission-sdk-23 android:name="android.permission.CAMERA" />
  <permission android:name="com.example.fixture.permission.PUSH" android:protectionLevel="signature" />
  <application android:label="@string/app_name" android:name=".App"
      android:allowBackup="false" android:usesCleartextTraffic="false"
      android:networkSecurityConfig="@xml/nsc">
    <meta-data android:name="JPUSH_APPKEY" android:value="0123456789abcdef01234567" />
    <meta-data android:name="UMENG_APPKEY" android:value="@string/umeng_key" />
    <meta-data android:name="UMENG_CHANNEL" android:value="12345" />
    <activity android:name=".MainActivity">
      <intent-filter>
        <action android:name="android.intent.action.MAIN" />
        <category android:name="android.intent.category.LAUNCHER" />
      </intent-filter>
    </activity>
    <activity android:name="DeepLink">
      <intent-filter android:autoVerify="true">
        <action android:name="android.intent.action.VIEW" />
        <category android:name="android.intent.category.BROWSABLE" />
        <data android:scheme="https" android:host="example.com" android:pathPrefix="/app" />
      </intent-filter>
    </activity>
    <service android:name="com.example.fixture.PushService" android:process=":push" />
    <receiver android:name=".BootReceiver">
      <intent-filter><action android:name="android.intent.action.BOOT_COMPLETED" /></intent-filter>
    </receiver>
    <receiver android:name=".Hidden" android:exported="false">
      <intent-filter><action android:name="com.example.HIDDEN" /></intent-filter>
    </receiver>
    <provider android:name=".Files" android:authorities="com.example.fixture.files;com.example.fixture.other"
        android:initOrder="5" android:grantUriPermissions="true">
      <meta-data android:name="android.support.FILE_PROVIDER_PATHS" android:resource="@xml/nsc" />
    </provider>
  </application>
</manifest>
)";

constexpr char kOldManifest[] = R"(<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.old" android:versionCode="1" android:versionName="1">
  <uses-sdk android:minSdkVersion="3" />
  <uses-permission android:name="android.permission.READ_CONTACTS" />
  <uses-permission android:name="android.permission.WRITE_CONTACTS" />
  <application android:label="Old">
    <provider android:name="Data" android:authorities="com.example.old.data" />
    <activity android:name=".Main" />
  </application>
</manifest>
)";

ApkSpec MainSpec() {
  ApkSpec spec;
  spec.manifest_xml = kMainManifest;
  spec.resources["values/strings.xml"] =
      R"(<resources><string name="app_name">Fixture</string>)"
      R"(<string name="umeng_key">5f0c0a0b0c0d0e0f10111213</string></resources>)";
  spec.resources["values-zh-rCN/strings.xml"] =
      "<resources><string name=\"app_name\">\xe7\xa4\xba\xe4\xbe\x8b</string></resources>";
  spec.resources["values-zh-rTW/strings.xml"] =
      "<resources><string name=\"app_name\">\xe7\xa4\xba\xe4\xbe\x8bTW</string></resources>";
  spec.resources["values-fr/strings.xml"] =
      "<resources><string name=\"app_name\">Exemple</string></resources>";
  spec.resources["xml/nsc.xml"] =
      R"(<network-security-config><base-config cleartextTrafficPermitted="false"/></network-security-config>)";
  return spec;
}

// The parsed pieces of one fixture, kept alive together.
struct Loaded {
  std::string path;
  std::unique_ptr<MappedFile> file;
  container::EntryData manifest_bytes, arsc_bytes;
  std::optional<ResourceTable> table;
  std::optional<Manifest> manifest;
  Diagnostics diagnostics;
};

std::unique_ptr<Loaded> Load(const ApkSpec& spec, const std::string& name) {
  auto l = std::make_unique<Loaded>();
  auto path = BuildApk(spec, name);
  EXPECT_TRUE(path.ok()) << path.status().ToString();
  if (!path.ok()) return nullptr;
  l->path = *path;
  Limits limits;
  auto file = MappedFile::Open(l->path, limits.max_archive_bytes);
  EXPECT_TRUE(file.ok());
  if (!file.ok()) return nullptr;
  l->file = std::move(file).value();
  auto zip = container::ZipArchive::Open(l->file->bytes(), l->path, limits, &l->diagnostics);
  EXPECT_TRUE(zip.ok()) << zip.status().ToString();
  if (!zip.ok()) return nullptr;
  l->manifest_bytes = *zip->Read(*zip->Find("AndroidManifest.xml"));
  if (const container::ZipEntry* a = zip->Find("resources.arsc")) {
    l->arsc_bytes = *zip->Read(*a);
    auto t = ResourceTable::Parse(l->arsc_bytes.bytes(), limits, &l->diagnostics);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    if (t.ok()) l->table = std::move(t).value();
  }
  auto doc = ParseAxml(l->manifest_bytes.bytes(), limits, &l->diagnostics);
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  if (!doc.ok()) return nullptr;
  auto m = BuildManifest(*doc, l->table ? &*l->table : nullptr, &l->diagnostics);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  if (!m.ok()) return nullptr;
  l->manifest = std::move(m).value();
  return l;
}

const Component* FindComponent(const Manifest& m, const std::string& name) {
  for (const Component& c : m.components) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

class FixtureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (RunCommand("aapt version").exit_code != 0) return;
    main_ = Load(MainSpec(), "fixture_main").release();
    ApkSpec old;
    old.manifest_xml = kOldManifest;
    old_ = Load(old, "fixture_old").release();
  }
  static void TearDownTestSuite() {
    delete main_;
    delete old_;
    main_ = old_ = nullptr;
  }
  void SetUp() override {
    if (main_ == nullptr || old_ == nullptr) GTEST_SKIP() << "aapt fixtures could not be built";
  }
  static Loaded* main_;
  static Loaded* old_;
};
Loaded* FixtureTest::main_ = nullptr;
Loaded* FixtureTest::old_ = nullptr;

TEST_F(FixtureTest, ManifestBasics) {
  const Manifest& m = *main_->manifest;
  EXPECT_EQ(m.package, "com.example.fixture");
  EXPECT_EQ(m.version_code, 42);
  EXPECT_EQ(m.version_name, "4.2");
  EXPECT_EQ(m.min_sdk, 21);
  EXPECT_EQ(m.target_sdk, 30);
  ASSERT_EQ(m.uses_permissions.size(), 3u);
  EXPECT_EQ(m.uses_permissions[1].max_sdk, 28);
  EXPECT_EQ(m.uses_permissions[2].source, "uses-permission-sdk-23");
  ASSERT_EQ(m.declared_permissions.size(), 1u);
  EXPECT_EQ(m.declared_permissions[0].protection_level, "signature");
  EXPECT_EQ(m.application.class_name, "com.example.fixture.App");
  EXPECT_EQ(m.application.allow_backup, false);
  EXPECT_EQ(m.application.uses_cleartext_traffic, false);
  EXPECT_EQ(m.application.network_security_config_file, "res/xml/nsc.xml");
  EXPECT_EQ(m.launcher_activity, "com.example.fixture.MainActivity");
  // WRITE_EXTERNAL_STORAGE implies READ_EXTERNAL_STORAGE with the same maxSdkVersion.
  ASSERT_EQ(m.implied_permissions.size(), 1u);
  EXPECT_EQ(m.implied_permissions[0].name, "android.permission.READ_EXTERNAL_STORAGE");
  EXPECT_EQ(m.implied_permissions[0].max_sdk, 28);
}

TEST_F(FixtureTest, LabelsPerLocale) {
  const ResourceText& label = main_->manifest->application.label;
  EXPECT_NE(label.resource_id, 0u);
  EXPECT_EQ(label.by_locale.at(""), "Fixture");
  EXPECT_EQ(label.by_locale.at("zh-CN"), "\xe7\xa4\xba\xe4\xbe\x8b");
  EXPECT_EQ(label.by_locale.at("zh-TW"), "\xe7\xa4\xba\xe4\xbe\x8bTW");
  EXPECT_EQ(label.by_locale.at("fr"), "Exemple");
  // Same as aapt's application-label-xx lines.
  auto ref = RunCommand("aapt dump badging " + ShellQuote(main_->path) + " 2>/dev/null");
  ASSERT_EQ(ref.exit_code, 0);
  std::map<std::string, std::string> want;
  std::istringstream in(ref.out);
  std::string line;
  static const std::regex kLabel(R"(^application-label(?:-([^:]+))?:'(.*)'$)");
  std::smatch mm;
  while (std::getline(in, line)) {
    if (std::regex_search(line, mm, kLabel)) want[mm[1].matched ? std::string(mm[1]) : ""] = mm[2];
  }
  EXPECT_EQ(label.by_locale, want);
}

TEST_F(FixtureTest, MetaDataValuesAndResources) {
  const std::vector<MetaData>& md = main_->manifest->application.meta_data;
  ASSERT_EQ(md.size(), 3u);
  EXPECT_EQ(md[0].name, "JPUSH_APPKEY");
  EXPECT_EQ(md[0].value, "0123456789abcdef01234567");
  EXPECT_EQ(md[1].name, "UMENG_APPKEY");
  EXPECT_EQ(md[1].value, "5f0c0a0b0c0d0e0f10111213");
  EXPECT_NE(md[1].resource_id, 0u);
  EXPECT_EQ(md[1].resource_name, "com.example.fixture:string/umeng_key");
  EXPECT_EQ(md[2].value, "12345");  // aapt compiles it to an int
}

TEST_F(FixtureTest, ComponentsAndExportedRules) {
  const Manifest& m = *main_->manifest;
  const Component* main = FindComponent(m, "com.example.fixture.MainActivity");
  ASSERT_NE(main, nullptr);
  EXPECT_TRUE(main->exported);  // implied by the intent filter
  EXPECT_FALSE(main->exported_attr.has_value());
  const Component* deep = FindComponent(m, "com.example.fixture.DeepLink");
  ASSERT_NE(deep, nullptr);
  ASSERT_EQ(deep->intent_filters.size(), 1u);
  EXPECT_TRUE(deep->intent_filters[0].auto_verify);
  ASSERT_EQ(deep->intent_filters[0].data.size(), 1u);
  EXPECT_EQ(deep->intent_filters[0].data[0].host, "example.com");
  EXPECT_EQ(deep->intent_filters[0].data[0].path_prefix, "/app");
  const Component* svc = FindComponent(m, "com.example.fixture.PushService");
  ASSERT_NE(svc, nullptr);
  EXPECT_FALSE(svc->exported);
  EXPECT_EQ(svc->process, ":push");
  const Component* boot = FindComponent(m, "com.example.fixture.BootReceiver");
  ASSERT_NE(boot, nullptr);
  EXPECT_TRUE(boot->exported);
  const Component* hidden = FindComponent(m, "com.example.fixture.Hidden");
  ASSERT_NE(hidden, nullptr);
  EXPECT_FALSE(hidden->exported);
  const Component* files = FindComponent(m, "com.example.fixture.Files");
  ASSERT_NE(files, nullptr);
  EXPECT_EQ(files->kind, ComponentKind::kProvider);
  EXPECT_FALSE(files->exported);  // provider, target >= 17
  EXPECT_EQ(files->authorities,
            (std::vector<std::string>{"com.example.fixture.files", "com.example.fixture.other"}));
  EXPECT_EQ(files->init_order, 5);
  EXPECT_TRUE(files->grant_uri_permissions);
  ASSERT_EQ(files->meta_data.size(), 1u);
  EXPECT_EQ(files->meta_data[0].resource_name, "com.example.fixture:xml/nsc");
}

TEST_F(FixtureTest, ImpliedPermissionsAtTargetSdk3MatchAapt) {
  const Manifest& m = *old_->manifest;
  EXPECT_EQ(m.EffectiveTargetSdk(), 3);
  std::vector<std::string> got;
  for (const ImpliedPermission& p : m.implied_permissions) got.push_back(p.name + "|" + p.reason);
  auto ref = RunCommand("aapt dump badging " + ShellQuote(old_->path) + " 2>/dev/null");
  ASSERT_EQ(ref.exit_code, 0);
  std::vector<std::string> want;
  std::istringstream in(ref.out);
  std::string line;
  static const std::regex kImplied(R"(^uses-implied-permission: name='([^']*)' reason='([^']*)')");
  std::smatch mm;
  while (std::getline(in, line)) {
    if (std::regex_search(line, mm, kImplied))
      want.push_back(std::string(mm[1]) + "|" + std::string(mm[2]));
  }
  EXPECT_EQ(got, want);
  EXPECT_EQ(got.size(), 5u);  // WRITE_EXT, READ_PHONE, READ_EXT, READ_CALL_LOG, WRITE_CALL_LOG
  const Component* data = FindComponent(m, "com.example.old.Data");
  ASSERT_NE(data, nullptr);
  EXPECT_TRUE(data->exported);  // providers were exported by default before API 17
  EXPECT_EQ(m.application.label.by_locale.at(""), "Old");
}

TEST_F(FixtureTest, ResourceTableLookups) {
  ASSERT_TRUE(main_->table.has_value());
  const ResourceTable& t = *main_->table;
  ASSERT_EQ(t.packages().size(), 1u);
  EXPECT_EQ(t.packages()[0].id, 0x7fu);
  EXPECT_EQ(t.packages()[0].name, "com.example.fixture");
  uint32_t id = main_->manifest->application.label.resource_id;
  EXPECT_EQ(t.ResourceName(id), "com.example.fixture:string/app_name");
  auto values = t.Lookup(id);
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(values->size(), 4u);  // default, fr, zh-rCN, zh-rTW
  std::map<std::string, std::string> by_qualifier;
  for (const ConfigValue& cv : *values) by_qualifier[cv.config.Qualifiers()] = cv.value.string;
  EXPECT_EQ(by_qualifier.at("zh-rCN"), "\xe7\xa4\xba\xe4\xbe\x8b");
  EXPECT_EQ(by_qualifier.at(""), "Fixture");
  std::vector<std::string> tags;
  for (const ResConfig& c : t.Locales()) tags.push_back(c.LocaleTag());
  EXPECT_EQ(tags, (std::vector<std::string>{"fr", "zh-CN", "zh-TW"}));
  EXPECT_FALSE(t.Lookup(0x7f7f0001)->size());
}

TEST_F(FixtureTest, HostileResourceTablesNeverCrash) {
  const std::string arsc(main_->arsc_bytes.bytes().AsStringView());
  const uint32_t id = main_->manifest->application.label.resource_id;
  ASSERT_GT(arsc.size(), 100u);
  Limits limits;
  int ok_parses = 0;
  for (size_t n = 0; n < arsc.size(); ++n) {
    std::string cut = arsc.substr(0, n);
    Diagnostics d;
    auto t = ResourceTable::Parse(ByteSpan(cut), limits, &d);
    if (t.ok()) {
      ++ok_parses;
      (void)t->Resolve(id);
    } else {
      EXPECT_EQ(t.status().file(), "resources.arsc");
      EXPECT_TRUE(t.status().offset().has_value()) << t.status().ToString();
    }
  }
  EXPECT_EQ(ok_parses, 0);  // the header claims the full size, so every prefix is truncated
  for (size_t at = 0; at + 4 <= arsc.size(); at += 2) {
    std::string m = arsc;
    for (int i = 0; i < 4; ++i) m[at + i] = '\xff';
    Diagnostics d;
    auto t = ResourceTable::Parse(ByteSpan(m), limits, &d);
    if (t.ok()) {
      (void)t->Resolve(id);
      (void)t->ResourceName(id);
      (void)t->Locales();
    }
  }
}

// One entry with a bad local header (here the dex, whose local name no longer matches the central
// directory) loses that entry only, as in Android: the manifest and resources still parse.
TEST(BadLocalHeaderTest, ManifestStillParsesWhenTheDexLocalHeaderIsBad) {
  if (RunCommand("aapt version").exit_code != 0) GTEST_SKIP() << "aapt not installed";
  ApkSpec spec = MainSpec();
  spec.extra_files["classes.dex"] = std::string("dex\n035\0", 8) + std::string(104, '\0');
  spec.sign = false;
  auto path = BuildApk(spec, "bad_dex_local_header");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  auto original = piaudit::testing::ReadFile(*path);
  ASSERT_TRUE(original.ok());
  std::string bytes = *original;
  // Local headers precede the central directory, so the first copy of the name is the local one.
  const size_t at = bytes.find("classes.dex");
  ASSERT_NE(at, std::string::npos);
  ASSERT_NE(bytes.find("classes.dex", at + 1), std::string::npos);  // the central copy
  bytes[at + 10] = 'y';
  const std::string lho_text = bytes.substr(at - 30, 4);
  ASSERT_EQ(lho_text, std::string("PK\x03\x04", 4));

  Limits limits;
  Diagnostics diagnostics;
  auto zip = container::ZipArchive::Open(ByteSpan(bytes), "bad.apk", limits, &diagnostics);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  bool reported = false;
  for (const Diagnostic& d : diagnostics.items()) {
    if (d.code == "zip.local_name_mismatch") {
      reported = true;
      EXPECT_EQ(d.offset, at - 30);
      EXPECT_NE(d.message.find("'classes.dex'"), std::string::npos) << d.message;
    }
  }
  EXPECT_TRUE(reported);
  auto dex = zip->Read(*zip->Find("classes.dex"));
  ASSERT_FALSE(dex.ok());
  EXPECT_EQ(dex.status().file(), "bad.apk");
  EXPECT_EQ(dex.status().structure(), "local header of 'classes.dex'");
  EXPECT_EQ(dex.status().offset(), at - 30);

  auto manifest_bytes = zip->Read(*zip->Find("AndroidManifest.xml"));
  ASSERT_TRUE(manifest_bytes.ok()) << manifest_bytes.status().ToString();
  auto arsc_bytes = zip->Read(*zip->Find("resources.arsc"));
  ASSERT_TRUE(arsc_bytes.ok()) << arsc_bytes.status().ToString();
  auto table = ResourceTable::Parse(arsc_bytes->bytes(), limits, &diagnostics);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto doc = ParseAxml(manifest_bytes->bytes(), limits, &diagnostics);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  auto m = BuildManifest(*doc, &*table, &diagnostics);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->package, "com.example.fixture");
  EXPECT_EQ(m->uses_permissions.size(), 3u);
  EXPECT_EQ(m->launcher_activity, "com.example.fixture.MainActivity");
  EXPECT_EQ(m->application.label.by_locale.at(""), "Fixture");
}

}  // namespace
}  // namespace piaudit::android
