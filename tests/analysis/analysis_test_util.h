// Helpers shared by the code-analysis tests: build a dex with the DEX builder (checked by
// dexdump), open it, and run AnalyzeCode with a small hand-made API catalogue.
#ifndef PIAUDIT_TESTS_ANALYSIS_ANALYSIS_TEST_UTIL_H_
#define PIAUDIT_TESTS_ANALYSIS_ANALYSIS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "analysis/code_analysis.h"
#include "analysis/sensitive_calls.h"
#include "dex/dex_file.h"
#include "knowledge/knowledge_base.h"
#include "support/dex_builder.h"

namespace piaudit::analysis::test {

inline constexpr char kGetDeviceId[] =
    "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;";
inline constexpr char kGetString[] =
    "Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;"
    "Ljava/lang/String;)Ljava/lang/String;";
inline constexpr char kSerial[] = "Landroid/os/Build;->SERIAL:Ljava/lang/String;";
inline constexpr char kQuery[] =
    "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;"
    "Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;";

// The bundled knowledge base (data/): the Android framework model, the consent and
// permission-request words. Loaded once per test binary; a broken data/ ends the binary.
inline const knowledge::KnowledgeBase& TestKb() {
  static const knowledge::KnowledgeBase* const kb = [] {
    Result<knowledge::KnowledgeBase> r = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, nullptr);
    if (!r.ok()) {
      std::fprintf(stderr, "bundled knowledge base: %s\n", r.status().ToString().c_str());
      std::abort();
    }
    return new knowledge::KnowledgeBase(std::move(r).value());
  }();
  return *kb;
}

inline ApiCatalog TestCatalog() {
  ApiCatalog c;
  CatalogApi imei;
  imei.descriptor = kGetDeviceId;
  imei.pi = {"imei"};
  imei.term = "获取IMEI";
  c.Add(imei);
  CatalogApi aid;
  aid.descriptor = kGetString;
  aid.pi = {"android_id"};
  aid.const_arg_index = 1;
  aid.const_arg_value = "android_id";
  c.Add(aid);
  CatalogApi serial;
  serial.descriptor = kSerial;
  serial.pi = {"serial"};
  c.Add(serial);
  CatalogApi query;
  query.descriptor = kQuery;
  query.uri_arg_index = 0;  // the URI decides the type (data/apis.yaml uri_arg)
  c.Add(query);
  c.AddUri({"content://com.android.contacts", {"contacts"}, {}});
  return c;
}

// Owns the bytes and DexFiles of one synthetic app.
struct BuiltApp {
  std::vector<std::vector<uint8_t>> bytes;
  std::vector<std::unique_ptr<dex::DexFile>> files;
  std::vector<DexInput> inputs;
};

inline void AddDex(const testing::DexBuilder& b, const std::string& name, BuiltApp* app) {
  const std::string path = ::testing::TempDir() + "/h6a_" +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
                           name;
  Result<std::vector<uint8_t>> bytes = testing::WriteAndVerifyDex(b, path);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  app->bytes.push_back(std::move(*bytes));
  Result<dex::DexFile> f = dex::DexFile::Open(
      ByteSpan(app->bytes.back().data(), app->bytes.back().size()), name, Limits());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  app->files.push_back(std::make_unique<dex::DexFile>(std::move(*f)));
  app->inputs.clear();
  for (const auto& file : app->files) app->inputs.push_back({file.get()});
}

inline Result<CodeAnalysis> RunAnalysis(const BuiltApp& app, const AppComponents& comps,
                                        const ResourceStrings& res = {},
                                        Diagnostics* diags = nullptr,
                                        const Limits& limits = Limits()) {
  AnalysisOptions o;
  Diagnostics local;
  return AnalyzeCode(app.inputs, comps, res, TestKb(), TestCatalog(), limits, o,
                     diags != nullptr ? diags : &local);
}

inline std::string ChainString(const SensitiveCall& s) {
  std::string out;
  for (const ChainStep& st : s.chain) {
    if (!out.empty()) out += "\n";
    out += "  [" + st.via + "] " + st.method;
  }
  return out;
}

inline const SensitiveCall* FindCall(const CodeAnalysis& a, const std::string& api,
                                     const std::string& caller_prefix = "") {
  for (const SensitiveCall& s : a.sensitive_calls) {
    if (s.api == api && s.caller.rfind(caller_prefix, 0) == 0) return &s;
  }
  return nullptr;
}

}  // namespace piaudit::analysis::test

#endif  // PIAUDIT_TESTS_ANALYSIS_ANALYSIS_TEST_UTIL_H_
