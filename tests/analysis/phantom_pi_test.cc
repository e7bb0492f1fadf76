// Phantom personal information (issue 13, class 3): a PI type comes only from what the code shows
// (a resolved content URI, a permission-guarded API the app may use, a known key). Each test
// builds the smallest app showing one way a call used to be typed as PI it cannot read, and runs
// the analysis with the bundled knowledge base (data/apis.yaml), so the data and the scan are
// checked together.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "analysis_test_util.h"

namespace piaudit::analysis::test {
namespace {

using testing::DexBuilder;
using testing::kAccPublic;
using testing::kAccStatic;
using testing::MethodBuilder;

constexpr char kUriParse[] = "Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;";
constexpr char kContactsUri[] =
    "Landroid/provider/ContactsContract$Contacts;->CONTENT_URI:Landroid/net/Uri;";
constexpr char kLastKnown[] =
    "Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)"
    "Landroid/location/Location;";
constexpr char kPackageInfo[] =
    "Landroid/content/pm/PackageManager;->getPackageInfo(Ljava/lang/String;I)"
    "Landroid/content/pm/PackageInfo;";
constexpr char kSysPropGet[] =
    "Landroid/os/SystemProperties;->get(Ljava/lang/String;)Ljava/lang/String;";
constexpr char kReadSms[] = "android.permission.READ_SMS";

// The app: package com.example, holding `permissions` (nullopt: no manifest known).
AppComponents App(std::optional<std::vector<std::string>> permissions) {
  AppComponents c;
  c.package = "com.example";
  c.permissions = std::move(permissions);
  return c;
}

// Runs AnalyzeCode with the bundled knowledge base's APIs and content URIs.
Result<CodeAnalysis> Analyze(const BuiltApp& app, const AppComponents& comps) {
  Diagnostics diags;
  return AnalyzeCode(app.inputs, comps, {}, TestKb(), Limits(), AnalysisOptions(), &diags);
}

// Builds classes.dex from `b` and analyses it as Analyze does; fails the test when either fails.
void BuildAndAnalyze(DexBuilder& b, const AppComponents& comps, std::optional<CodeAnalysis>* out) {
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));
  Result<CodeAnalysis> a = Analyze(app, comps);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  out->emplace(std::move(a).value());
}

// With the Uri in v3 and the resolver in v7 of an 8-register method: query(v3, null, ...) as
// javac writes it (invoke-virtual/range v2 .. v7), then return.
void QueryV3(MethodBuilder& m) {
  m.MoveObject(2, 7).Const4(4, 0).Const4(5, 0).Const4(6, 0).Const4(7, 0);
  m.InvokeVirtualRange(kQuery, 2, 6).ReturnVoid();
}

// static read(ContentResolver): the Uri parsed from `uri`, then queried.
void AddParsedQuery(DexBuilder* b, const std::string& uri) {
  auto& c = b->AddClass("Lcom/example/Reader;");
  auto& m = c.AddMethod("read", "(Landroid/content/ContentResolver;)V", kAccPublic | kAccStatic, 8);
  m.ConstString(0, uri).InvokeStatic(kUriParse, {0}).MoveResultObject(3);
  QueryV3(m);
}

std::vector<const SensitiveCall*> CallsWithPi(const CodeAnalysis& a) {
  std::vector<const SensitiveCall*> out;
  for (const SensitiveCall& s : a.sensitive_calls) {
    if (!s.pi.empty()) out.push_back(&s);
  }
  return out;
}

// CursorLoader / FontsContractCompat / DocumentsContract: the query gets its URI from the caller.
TEST(PhantomPiTest, QueryOfAnUnresolvedUriIsAnUnknownProviderNotPi) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Loader;");
  c.AddMethod("load", "(Landroid/content/ContentResolver;Landroid/net/Uri;)V",
              kAccPublic | kAccStatic, 8)
      .MoveObject(2, 6)
      .MoveObject(3, 7)
      .Const4(4, 0)
      .Const4(5, 0)
      .Const4(6, 0)
      .Const4(7, 0)
      .InvokeVirtualRange(kQuery, 2, 6)
      .ReturnVoid();
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::vector<std::string>{kReadSms}), &a));
  // Kept as a lead (class.method and offset), with no PI type.
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  const SensitiveCall& s = a->sensitive_calls[0];
  EXPECT_EQ(s.api, kQuery);
  EXPECT_TRUE(s.pi.empty());
  EXPECT_EQ(s.caller,
            "Lcom/example/Loader;->load(Landroid/content/ContentResolver;Landroid/net/Uri;)V");
  EXPECT_NE(s.file_offset, 0u);
  EXPECT_EQ(s.reason.rfind("no PI: unknown provider", 0), 0u) << s.reason;
}

// A weather app querying its own city table.
TEST(PhantomPiTest, QueryOfTheAppsOwnProviderIsNotPi) {
  DexBuilder b;
  AddParsedQuery(&b, "content://com.example.weather.provider/city");
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::nullopt), &a));
  EXPECT_TRUE(CallsWithPi(*a).empty());
}

// A resolved URI is one read of its own type (not also contacts, call log, calendar, photos).
TEST(PhantomPiTest, QueryOfAParsedSmsUriIsOneSmsRead) {
  DexBuilder b;
  AddParsedQuery(&b, "content://sms/inbox");
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::vector<std::string>{kReadSms}), &a));
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  const SensitiveCall& s = a->sensitive_calls[0];
  EXPECT_EQ(s.api, "content://sms");
  EXPECT_EQ(s.match, MatchKind::kContentUri);
  EXPECT_EQ(s.pi, std::vector<std::string>{"sms"});
  // const-string (2 units), invoke (3), move-result (1), move-object (1), 4 x const/4: the query.
  EXPECT_EQ(s.dex_pc, 11u);
}

// The same read in an app without READ_SMS gets nothing: a lead, not collection.
TEST(PhantomPiTest, SmsQueryWithoutReadSmsIsALead) {
  DexBuilder b;
  AddParsedQuery(&b, "content://sms/inbox");
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::vector<std::string>{}), &a));
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  EXPECT_TRUE(a->sensitive_calls[0].pi.empty());
  EXPECT_NE(a->sensitive_calls[0].reason.find("READ_SMS"), std::string::npos)
      << a->sensitive_calls[0].reason;
}

// new CursorLoader(context, Uri.parse("content://sms/inbox"), ...): the loader's own query sees
// only its field, so the URI is typed where the app passes it.
TEST(PhantomPiTest, UriPassedToACursorLoaderIsTypedAtTheCall) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Inbox;");
  c.AddMethod("load", "(Landroid/content/Context;)V", kAccPublic | kAccStatic, 9)
      .NewInstance(1, "Landroid/support/v4/content/CursorLoader;")
      .ConstString(0, "content://sms/inbox")
      .InvokeStatic(kUriParse, {0})
      .MoveResultObject(3)
      .MoveObject(2, 8)
      .Const4(4, 0)
      .Const4(5, 0)
      .Const4(6, 0)
      .Const4(7, 0)
      .InvokeDirectRange(
          "Landroid/support/v4/content/CursorLoader;-><init>(Landroid/content/Context;"
          "Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;"
          "Ljava/lang/String;)V",
          1, 7)
      .ReturnVoid();
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::vector<std::string>{kReadSms}), &a));
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  EXPECT_EQ(a->sensitive_calls[0].api, "content://sms");
  EXPECT_EQ(a->sensitive_calls[0].pi, std::vector<std::string>{"sms"});
}

// Uri.parse(own provider).buildUpon().appendPath(...).build() is still the app's own provider,
// even in a method that holds an SMS URI constant for something else.
TEST(PhantomPiTest, UriBuiltUponKeepsItsProvider) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Reader;");
  auto& m = c.AddMethod("read", "(Landroid/content/ContentResolver;)V", kAccPublic | kAccStatic, 8);
  m.ConstString(0, "content://com.example.weather.provider")
      .InvokeStatic(kUriParse, {0})
      .MoveResultObject(3)
      .InvokeVirtual("Landroid/net/Uri;->buildUpon()Landroid/net/Uri$Builder;", {3})
      .MoveResultObject(3)
      .ConstString(0, "content://sms")
      .InvokeVirtual(
          "Landroid/net/Uri$Builder;->appendPath(Ljava/lang/String;)Landroid/net/Uri$Builder;",
          {3, 0})
      .MoveResultObject(3)
      .InvokeVirtual("Landroid/net/Uri$Builder;->build()Landroid/net/Uri;", {3})
      .MoveResultObject(3)
      .Const4(0, 0);
  QueryV3(m);
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::vector<std::string>{kReadSms}), &a));
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  EXPECT_EQ(a->sensitive_calls[0].api, kQuery);
  EXPECT_TRUE(a->sensitive_calls[0].pi.empty());
}

// static final Uri CALLS = Uri.parse("content://call_log/calls"), queried in another method.
TEST(PhantomPiTest, UriKeptInAnAppFieldIsFollowed) {
  DexBuilder b;
  auto& db = b.AddClass("Lcom/example/Db;");
  db.AddField("CALLS", "Landroid/net/Uri;", kAccPublic | kAccStatic);
  db.AddStaticInitializer(1)
      .ConstString(0, "content://call_log/calls")
      .InvokeStatic(kUriParse, {0})
      .MoveResultObject(0)
      .SputObject(0, "Lcom/example/Db;->CALLS:Landroid/net/Uri;")
      .ReturnVoid();
  auto& m =
      db.AddMethod("read", "(Landroid/content/ContentResolver;)V", kAccPublic | kAccStatic, 8);
  m.SgetObject(3, "Lcom/example/Db;->CALLS:Landroid/net/Uri;");
  QueryV3(m);
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::nullopt), &a));
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  const SensitiveCall& s = a->sensitive_calls[0];
  EXPECT_EQ(s.api, "content://call_log");
  EXPECT_EQ(s.pi, std::vector<std::string>{"call_log"});
  EXPECT_EQ(s.caller, "Lcom/example/Db;->read(Landroid/content/ContentResolver;)V");
}

// query(ContactsContract.Contacts.CONTENT_URI, ...): the read of the URI constant is the finding;
// the query on it is the same read, not a second one.
TEST(PhantomPiTest, QueryOfACataloguedUriFieldIsOneFinding) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Reader;");
  auto& m = c.AddMethod("read", "(Landroid/content/ContentResolver;)V", kAccPublic | kAccStatic, 8);
  m.SgetObject(3, kContactsUri);
  QueryV3(m);
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(
      BuildAndAnalyze(b, App(std::vector<std::string>{"android.permission.READ_CONTACTS"}), &a));
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  EXPECT_EQ(a->sensitive_calls[0].api, kContactsUri);
  EXPECT_EQ(a->sensitive_calls[0].pi, std::vector<std::string>{"contacts"});
}

// AppCompat TwilightManager: getLastKnownLocation in an app that declares no location permission.
TEST(PhantomPiTest, GuardedApiWithoutItsPermissionIsALeadNotCollection) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Twilight;");
  c.AddMethod("last", "(Landroid/location/LocationManager;)V", kAccPublic | kAccStatic, 3)
      .ConstString(0, "network")
      .InvokeVirtual(kLastKnown, {2, 0})
      .MoveResultObject(1)
      .ReturnVoid();
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));

  Result<CodeAnalysis> none =
      Analyze(app, App(std::vector<std::string>{"android.permission.INTERNET"}));
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  ASSERT_EQ(none->sensitive_calls.size(), 1u);
  const SensitiveCall& lead = none->sensitive_calls[0];
  EXPECT_EQ(lead.api, kLastKnown);
  EXPECT_TRUE(lead.pi.empty());
  EXPECT_EQ(lead.caller, "Lcom/example/Twilight;->last(Landroid/location/LocationManager;)V");
  EXPECT_NE(lead.reason.find("ACCESS_FINE_LOCATION"), std::string::npos) << lead.reason;

  Result<CodeAnalysis> coarse =
      Analyze(app, App(std::vector<std::string>{"android.permission.ACCESS_COARSE_LOCATION"}));
  ASSERT_TRUE(coarse.ok()) << coarse.status().ToString();
  ASSERT_EQ(coarse->sensitive_calls.size(), 1u);
  EXPECT_FALSE(coarse->sensitive_calls[0].pi.empty());

  // No manifest known: nothing to decide with, the call keeps its types.
  Result<CodeAnalysis> unknown = Analyze(app, App(std::nullopt));
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  ASSERT_EQ(unknown->sensitive_calls.size(), 1u);
  EXPECT_FALSE(unknown->sensitive_calls[0].pi.empty());
}

// SystemProperties.get: only a known key is PI, called directly or by reflection.
TEST(PhantomPiTest, SystemPropertiesIsPiOnlyForAKnownKey) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Props;");
  c.AddMethod("jit", "()V", kAccPublic | kAccStatic, 2)
      .ConstString(0, "dalvik.vm.usejit")
      .InvokeStatic(kSysPropGet, {0})
      .MoveResultObject(1)
      .ReturnVoid();
  c.AddMethod("serial", "()V", kAccPublic | kAccStatic, 2)
      .ConstString(0, "ro.serialno")
      .InvokeStatic(kSysPropGet, {0})
      .MoveResultObject(1)
      .ReturnVoid();
  // Class.forName("android.os.SystemProperties").getMethod("get", ...), then invoke(key).
  for (const char* key : {"dalvik.vm.usejit", "ro.serialno"}) {
    c.AddMethod(std::string(key) == "ro.serialno" ? "reflectSerial" : "reflectJit", "()V",
                kAccPublic | kAccStatic, 4)
        .ConstString(0, "android.os.SystemProperties")
        .InvokeStatic("Ljava/lang/Class;->forName(Ljava/lang/String;)Ljava/lang/Class;", {0})
        .MoveResultObject(0)
        .ConstString(1, "get")
        .Const4(2, 0)
        .InvokeVirtual(
            "Ljava/lang/Class;->getMethod(Ljava/lang/String;[Ljava/lang/Class;)"
            "Ljava/lang/reflect/Method;",
            {0, 1, 2})
        .MoveResultObject(3)
        .ConstString(1, key)
        .ReturnVoid();
  }
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::nullopt), &a));
  std::vector<std::string> serial_callers;
  for (const SensitiveCall& s : a->sensitive_calls) {
    EXPECT_EQ(s.pi, std::vector<std::string>{"serial"}) << s.caller;
    serial_callers.push_back(s.caller);
  }
  // One finding per read: the reflective site matches both get overloads, reported once.
  EXPECT_EQ(serial_callers, (std::vector<std::string>{"Lcom/example/Props;->reflectSerial()V",
                                                      "Lcom/example/Props;->serial()V"}));
}

// getPackageManager().getPackageInfo(getPackageName(), 0) reads the app's own package.
TEST(PhantomPiTest, OwnPackageInfoIsNotTheInstalledAppList) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Main;", "Landroid/app/Activity;");
  auto probe = [&](const char* name, const char* package) {
    auto& m = c.AddMethod(name, "()V", kAccPublic, 4);
    m.InvokeVirtual("Lcom/example/Main;->getPackageManager()Landroid/content/pm/PackageManager;",
                    {3})
        .MoveResultObject(0);
    if (package == nullptr) {
      m.InvokeVirtual("Lcom/example/Main;->getPackageName()Ljava/lang/String;", {3})
          .MoveResultObject(1);
    } else {
      m.ConstString(1, package);
    }
    m.Const4(2, 0).InvokeVirtual(kPackageInfo, {0, 1, 2}).MoveResultObject(0).ReturnVoid();
  };
  probe("self", nullptr);
  probe("selfConstant", "com.example");
  probe("wechat", "com.tencent.mm");
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::nullopt), &a));
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  EXPECT_EQ(a->sensitive_calls[0].caller, "Lcom/example/Main;->wechat()V");
  EXPECT_EQ(a->sensitive_calls[0].pi, std::vector<std::string>{"installed_apps"});
}

// getPackageInfo(info.packageName, ...) with the package from elsewhere (FontsContractCompat
// checking its font provider) is an unknown package; a method that names another app's package
// (a probe loop over a constant list) still counts.
TEST(PhantomPiTest, PackageProbeOfAnUnshownPackageIsALead) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Probe;");
  c.AddMethod("provider", "(Landroid/content/pm/PackageManager;Ljava/lang/String;)V",
              kAccPublic | kAccStatic, 4)
      .Const4(0, 0)
      .InvokeVirtual(kPackageInfo, {2, 3, 0})
      .MoveResultObject(1)
      .ReturnVoid();
  c.AddMethod("loop", "(Landroid/content/pm/PackageManager;Ljava/lang/String;)V",
              kAccPublic | kAccStatic, 4)
      .ConstString(1, "com.eg.android.AlipayGphone")
      .ConstString(1, "com.tencent.mm")
      .Const4(0, 0)
      .InvokeVirtual(kPackageInfo, {2, 3, 0})
      .MoveResultObject(1)
      .ReturnVoid();
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::nullopt), &a));
  ASSERT_EQ(a->sensitive_calls.size(), 2u);
  const SensitiveCall* loop = FindCall(*a, kPackageInfo, "Lcom/example/Probe;->loop");
  const SensitiveCall* provider = FindCall(*a, kPackageInfo, "Lcom/example/Probe;->provider");
  ASSERT_NE(loop, nullptr);
  ASSERT_NE(provider, nullptr);
  EXPECT_EQ(loop->pi, std::vector<std::string>{"installed_apps"});
  EXPECT_TRUE(provider->pi.empty());
  EXPECT_EQ(provider->reason.rfind("no PI: unknown package", 0), 0u) << provider->reason;
}

// The Uri field is built by a helper from a string constant of its class (com.politedroid:
// e = helper() returning Uri.parse(d + "/calendars"), d = "content://com.android.calendar").
TEST(PhantomPiTest, UriFieldBuiltInItsClassTakesTheClassesUris) {
  DexBuilder b;
  auto& cal = b.AddClass("Lcom/example/Cal;");
  cal.AddField("BASE", "Ljava/lang/String;", kAccPublic | kAccStatic);
  cal.AddField("URI", "Landroid/net/Uri;", kAccPublic | kAccStatic);
  cal.AddMethod("base", "()Ljava/lang/String;", kAccPublic | kAccStatic, 1)
      .ConstString(0, "content://com.android.calendar")
      .ReturnObject(0);
  cal.AddMethod("build", "()Landroid/net/Uri;", kAccPublic | kAccStatic, 1)
      .SgetObject(0, "Lcom/example/Cal;->BASE:Ljava/lang/String;")
      .InvokeStatic(kUriParse, {0})
      .MoveResultObject(0)
      .ReturnObject(0);
  auto& m =
      cal.AddMethod("read", "(Landroid/content/ContentResolver;)V", kAccPublic | kAccStatic, 8);
  m.SgetObject(3, "Lcom/example/Cal;->URI:Landroid/net/Uri;");
  QueryV3(m);
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::nullopt), &a));
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  EXPECT_EQ(a->sensitive_calls[0].api, "content://com.android.calendar");
  EXPECT_EQ(a->sensitive_calls[0].pi, std::vector<std::string>{"calendar"});
  EXPECT_EQ(a->sensitive_calls[0].caller,
            "Lcom/example/Cal;->read(Landroid/content/ContentResolver;)V");
}

// One getDeviceId call is one read of one identifier, not an IMEI finding and a MEID finding.
TEST(PhantomPiTest, OneGetDeviceIdCallIsOneFinding) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Ids;");
  c.AddMethod("imei", "(Landroid/telephony/TelephonyManager;)V", kAccPublic | kAccStatic, 2)
      .InvokeVirtual(kGetDeviceId, {1})
      .MoveResultObject(0)
      .ReturnVoid();
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(
      BuildAndAnalyze(b, App(std::vector<std::string>{"android.permission.READ_PHONE_STATE"}), &a));
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  EXPECT_EQ(a->sensitive_calls[0].pi, std::vector<std::string>{"imei"});
}

// Asking for a permission reads nothing, and FileProvider resolving external-path only builds a
// path: neither is PI (the prompt itself is IM-4.6's business, data/permission_requests.yaml).
TEST(PhantomPiTest, PermissionPromptAndStoragePathAreNotPi) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Main;", "Landroid/app/Activity;");
  c.AddMethod("ask", "()V", kAccPublic, 3)
      .Const4(0, 1)
      .Const4(1, 0)
      .InvokeStatic(
          "Landroidx/core/app/ActivityCompat;->requestPermissions(Landroid/app/Activity;"
          "[Ljava/lang/String;I)V",
          {2, 1, 0})
      .InvokeStatic("Landroid/os/Environment;->getExternalStorageDirectory()Ljava/io/File;", {})
      .MoveResultObject(0)
      .ReturnVoid();
  std::optional<CodeAnalysis> a;
  ASSERT_NO_FATAL_FAILURE(BuildAndAnalyze(b, App(std::nullopt), &a));
  EXPECT_TRUE(a->sensitive_calls.empty());
}

}  // namespace
}  // namespace piaudit::analysis::test
