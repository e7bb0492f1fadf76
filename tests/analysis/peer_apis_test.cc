// Issue 17: the PI-reading methods the peers (Camille, PrivacySentry, MobSF) hook and the vendor
// OAID providers, added to data/apis.yaml, are found by the code scanner. A dex made with the DEX
// builder calls every one of them from one app method; each call must come back as a sensitive
// call with the PI types apis.yaml gives it (an app that declares every permission, so no call is
// a permission-less lead).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "analysis/sensitive_calls.h"
#include "analysis_test_util.h"

namespace piaudit::analysis {
namespace {

using test::AddDex;
using test::BuiltApp;
using test::TestKb;

// Argument words of a JVM method descriptor's parameters (long/double take two).
uint32_t ArgWords(std::string_view ref) {
  size_t open = ref.find('('), close = ref.find(')');
  uint32_t words = 0;
  for (size_t i = open + 1; i < close; ++i) {
    char c = ref[i];
    if (c == '[') {
      while (ref[i] == '[') ++i;
      if (ref[i] == 'L') i = ref.find(';', i);
      ++words;
    } else if (c == 'L') {
      i = ref.find(';', i);
      ++words;
    } else {
      words += (c == 'J' || c == 'D') ? 2 : 1;
    }
  }
  return words;
}

// The refs issue 17 added: the peer table and the vendor OAID providers (their `source` cites
// peer-catalogues.md or names the OAID provider).
std::vector<const knowledge::SensitiveApi*> PeerApis() {
  std::vector<const knowledge::SensitiveApi*> out;
  for (const knowledge::SensitiveApi& a : TestKb().apis()) {
    if (a.is_field) continue;
    if (a.source.find("peer-catalogues.md") != std::string::npos ||
        a.source.find("OAID provider") != std::string::npos)
      out.push_back(&a);
  }
  return out;
}

TEST(PeerApisTest, EveryAddedMethodIsFoundWithItsPi) {
  std::vector<const knowledge::SensitiveApi*> apis = PeerApis();
  // 47 peer methods with their overloads, plus the Xiaomi and Samsung providers.
  ASSERT_GE(apis.size(), 60u);
  std::set<std::string> classes;
  for (const knowledge::SensitiveApi* a : apis)
    classes.insert(a->descriptor.substr(0, a->descriptor.find("->")));
  for (const char* want :
       {"Lcom/android/id/impl/IdProviderImpl;",
        "Lcom/samsung/android/deviceidservice/IDeviceIdService$Stub$Proxy;",
        "Lrepeackage/com/samsung/android/deviceidservice/IDeviceIdService$Stub$Proxy;",
        "Landroid/telephony/UiccCardInfo;", "Ljava/net/Inet6Address;"})
    EXPECT_TRUE(classes.count(want)) << want;

  testing::DexBuilder b;
  auto& c = b.AddClass("Lcom/example/app/Collector;", "Ljava/lang/Object;");
  // One method per API, so each call site is its own (a register file of 16 fits every proto:
  // Geocoder.getFromLocationName(String, int, double x4, listener) takes 12 words with `this`).
  int n = 0;
  for (const knowledge::SensitiveApi* a : apis) {
    const uint32_t words = 1 + ArgWords(a->descriptor);
    ASSERT_LE(words, 16u) << a->descriptor;
    auto& m = c.AddMethod("read" + std::to_string(n++), "()V",
                          testing::kAccPublic | testing::kAccStatic, 16);
    // A package query yields PI only about another app's package (apis.yaml package_arg).
    if (a->package_arg) m.ConstString(1 + static_cast<uint32_t>(*a->package_arg), "com.other.app");
    m.InvokeVirtualRange(a->descriptor, 0, words).ReturnVoid();
  }
  BuiltApp app;
  AddDex(b, "classes.dex", &app);
  AppComponents comps;
  std::vector<std::string> all_permissions;
  for (const knowledge::Permission& p : TestKb().permissions()) all_permissions.push_back(p.name);
  comps.permissions = all_permissions;
  AnalysisOptions o;
  Diagnostics diags;
  Result<CodeAnalysis> r = AnalyzeCode(app.inputs, comps, {}, TestKb(), Limits(), o, &diags);
  ASSERT_TRUE(r.ok()) << r.status().ToString();

  size_t found = 0;
  for (const knowledge::SensitiveApi* a : apis) {
    const SensitiveCall* call = test::FindCall(*r, a->descriptor);
    if (a->uri_arg) {
      // registerContentObserver: the URI decides; with no URI in the code it is a lead.
      EXPECT_NE(call, nullptr) << a->descriptor;
      found += call != nullptr;
      continue;
    }
    ASSERT_NE(call, nullptr) << a->descriptor;
    ++found;
    std::set<std::string> want(a->pi.begin(), a->pi.end());
    std::set<std::string> got(call->pi.begin(), call->pi.end());
    EXPECT_EQ(got, want) << a->descriptor << ": " << call->reason;
  }
  EXPECT_EQ(found, apis.size());
}

}  // namespace
}  // namespace piaudit::analysis
