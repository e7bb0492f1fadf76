// AnalyzeCode on real APKs from the shared corpus (classes*.dex extracted with `unzip -p`, the
// manifest's components read from `aapt dump xmltree`). Checks parity with Debian's dexdump:
//   - per dex: class_defs, method_ids, field_ids (header) and the methods / fields defined in
//     class data equal what dexdump prints;
//   - every invoke / sget of a knowledge-base API that `dexdump -d` shows is reported as a
//     sensitive call at the same file offset (we may report more: calls through subclasses).
// Skips when the corpus, the tools or the knowledge base are missing.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/code_analysis.h"
#include "analysis/sensitive_calls.h"
#include "dex/dex_file.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::analysis {
namespace {

namespace fs = std::filesystem;

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

struct DexdumpFacts {
  uint32_t class_defs = 0, method_ids = 0, field_ids = 0;
  uint64_t methods = 0, fields = 0;
  std::multimap<std::string, uint64_t> refs;  // "Lcls;.name:(..)R" -> file offset of the insn
};

uint32_t HeaderValue(const std::string& text, const std::string& key) {
  std::smatch m;
  if (std::regex_search(text, m, std::regex(key + R"(\s*:\s*(\d+))"))) {
    return static_cast<uint32_t>(std::stoul(m[1]));
  }
  return 0;
}

DexdumpFacts ReadDexdump(const std::string& path) {
  DexdumpFacts f;
  const std::string header = Shell("dexdump -f " + Quote(path) + " 2>/dev/null | head -40");
  f.class_defs = HeaderValue(header, "class_defs_size");
  f.method_ids = HeaderValue(header, "method_ids_size");
  f.field_ids = HeaderValue(header, "field_ids_size");
  std::istringstream in(Shell("dexdump -d " + Quote(path) + " 2>/dev/null"));
  std::string line;
  enum { kNone, kMethods, kFields } section = kNone;
  // Plain string parsing: std::regex over a 100k-line dump takes seconds.
  while (std::getline(in, line)) {
    if (line.rfind("  Direct methods", 0) == 0 || line.rfind("  Virtual methods", 0) == 0) {
      section = kMethods;
    } else if (line.rfind("  Static fields", 0) == 0 || line.rfind("  Instance fields", 0) == 0) {
      section = kFields;
    } else if (line.rfind("  source_file_idx", 0) == 0 || line.rfind("Class #", 0) == 0) {
      section = kNone;
    } else if (section != kNone && line.rfind("    #", 0) == 0 &&
               line.find(": (in L") != std::string::npos) {
      (section == kMethods ? f.methods : f.fields) += 1;
    } else if (line.size() > 8 && line[6] == ':' && line.find('|') != std::string::npos) {
      const size_t bar = line.find('|');
      const size_t op = bar + 7;  // "|0056: "
      if (op >= line.size()) continue;
      const bool wanted = line.compare(op, 7, "invoke-") == 0 || line.compare(op, 4, "sget") == 0;
      const size_t comment = line.find(" // ", op);
      if (!wanted || comment == std::string::npos) continue;
      const size_t comma = line.rfind(", ", comment);
      if (comma == std::string::npos || comma < op) continue;
      f.refs.emplace(line.substr(comma + 2, comment - comma - 2),
                     std::stoull(line.substr(0, 6), nullptr, 16));
    }
  }
  return f;
}

// "Lcls;->name(args)ret" -> "Lcls;.name:(args)ret"; "Lcls;->F:T" -> "Lcls;.F:T".
std::string DexdumpForm(const std::string& d) {
  const size_t arrow = d.find("->");
  std::string rest = d.substr(arrow + 2);
  const size_t paren = rest.find('(');
  if (paren != std::string::npos) rest = rest.substr(0, paren) + ":" + rest.substr(paren);
  return d.substr(0, arrow) + "." + rest;
}

// Manifest components from `aapt dump xmltree` (element lines "E: name", attribute lines
// "A: android:name(0x01010003)="value"").
AppComponents ReadComponents(const std::string& apk) {
  AppComponents c;
  std::istringstream in(
      Shell("aapt dump xmltree " + Quote(apk) + " AndroidManifest.xml 2>/dev/null"));
  std::string line, element;
  const std::regex elem(R"(^\s*E: ([a-z-]+))");
  const std::regex name(R"re(^\s*A: android:name\(0x01010003\)="([^"]+)")re");
  const std::regex pkg(R"re(^\s*A: package="([^"]+)")re");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, elem)) {
      element = m[1];
      continue;
    }
    if (std::regex_search(line, m, pkg)) c.package = m[1];
    if (!std::regex_search(line, m, name)) continue;
    std::string n = m[1];
    if (!n.empty() && n[0] == '.') n = c.package + n;
    if (element == "application") c.application_class = n;
    ComponentType t;
    if (element == "activity")
      t = ComponentType::kActivity;
    else if (element == "service")
      t = ComponentType::kService;
    else if (element == "receiver")
      t = ComponentType::kReceiver;
    else if (element == "provider")
      t = ComponentType::kProvider;
    else
      continue;
    c.components.push_back({t, n, std::nullopt, true});
    element.clear();
  }
  return c;
}

class CorpusAnalysisTest : public ::testing::TestWithParam<const char*> {};

TEST_P(CorpusAnalysisTest, MatchesDexdump) {
  const std::string apk = std::string(PIAUDIT_CORPUS_DIR) + "/apks/" + GetParam();
  if (!fs::exists(apk)) GTEST_SKIP() << "corpus APK " << apk << " not present";
  if (Shell("for t in dexdump unzip aapt; do command -v $t; done | wc -l").find('3') ==
      std::string::npos) {
    GTEST_SKIP() << "dexdump, unzip or aapt not installed";
  }
  Diagnostics kb_diags;
  Result<knowledge::KnowledgeBase> kb = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, &kb_diags);
  if (!kb.ok()) GTEST_SKIP() << "knowledge base did not load: " << kb.status().ToString();

  // classes.dex, classes2.dex, ... in class-loading order.
  std::vector<std::string> names;
  for (int i = 1;; ++i) {
    const std::string n = i == 1 ? "classes.dex" : "classes" + std::to_string(i) + ".dex";
    if (Shell("unzip -Z1 " + Quote(apk) + " " + n + " 2>/dev/null").empty()) break;
    names.push_back(n);
  }
  ASSERT_FALSE(names.empty());
  const std::string dir = ::testing::TempDir() + "/h6a_corpus_" + GetParam();
  fs::create_directories(dir);
  std::vector<std::string> bytes;
  std::vector<std::unique_ptr<dex::DexFile>> files;
  std::vector<DexInput> inputs;
  for (const std::string& n : names) {
    bytes.push_back(Shell("unzip -p " + Quote(apk) + " " + n));
    std::ofstream(dir + "/" + n, std::ios::binary) << bytes.back();
  }
  for (size_t i = 0; i < names.size(); ++i) {
    Result<dex::DexFile> f = dex::DexFile::Open(ByteSpan(bytes[i]), names[i], Limits());
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    files.push_back(std::make_unique<dex::DexFile>(std::move(*f)));
    inputs.push_back({files.back().get()});
  }
  const AppComponents comps = ReadComponents(apk);
  Diagnostics diags;
  const auto t0 = std::chrono::steady_clock::now();
  Result<CodeAnalysis> a = AnalyzeCode(inputs, comps, {}, *kb, Limits(), AnalysisOptions(), &diags);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->dex.size(), names.size());

  std::set<uint64_t> ours_by_offset[64];
  for (const SensitiveCall& s : a->sensitive_calls) {
    for (size_t i = 0; i < names.size() && i < 64; ++i) {
      if (s.dex_file == names[i]) ours_by_offset[i].insert(s.file_offset);
    }
  }
  uint64_t expected_sites = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    SCOPED_TRACE(names[i]);
    const DexdumpFacts f = ReadDexdump(dir + "/" + names[i]);
    const DexCounts& c = a->dex[i];
    EXPECT_EQ(c.class_defs, f.class_defs);
    EXPECT_EQ(c.classes, f.class_defs);
    EXPECT_EQ(c.method_ids, f.method_ids);
    EXPECT_EQ(c.field_ids, f.field_ids);
    EXPECT_EQ(c.methods_defined, f.methods);
    EXPECT_EQ(c.fields_defined, f.fields);
    for (const knowledge::SensitiveApi& api : kb->apis()) {
      // A grep of dexdump cannot tell the argument: the constant (const_arg), the app's own
      // package (package_arg: no site), or a catalogued URI field (uri_arg: reported at the read).
      if (api.const_arg || api.package_arg || api.uri_arg) continue;
      auto [lo, hi] = f.refs.equal_range(DexdumpForm(api.descriptor));
      for (auto it = lo; it != hi; ++it) {
        ++expected_sites;
        EXPECT_TRUE(ours_by_offset[i].count(it->second))
            << api.descriptor << " at " << names[i] << "+0x" << std::hex << it->second;
      }
    }
  }
  size_t startup = 0, likely = 0;
  for (const SensitiveCall& s : a->sensitive_calls) {
    startup += s.startup_reachable;
    likely += s.before_consent == BeforeConsent::kLikely;
    // Invariants of every verdict: a chain starts at an entry point and ends at the caller;
    // "likely" needs a start-up chain.
    EXPECT_FALSE(s.reason.empty());
    // A call without PI types is a lead and says why (unknown provider or package, or a
    // permission the app does not declare).
    EXPECT_TRUE(!s.pi.empty() || s.reason.rfind("no PI: ", 0) == 0) << s.api << ": " << s.reason;
    if (!s.chain.empty()) {
      EXPECT_EQ(s.chain.front().via, "entry");
      EXPECT_EQ(s.chain.back().method, s.caller);
      EXPECT_LE(s.chain.size(), Limits().max_chain_length + 1u);
    }
    if (s.before_consent == BeforeConsent::kLikely) {
      EXPECT_TRUE(s.startup_reachable);
      EXPECT_FALSE(s.chain.empty());
    }
    if (s.reachable) {
      EXPECT_FALSE(s.chain.empty());
    }
  }
  std::cout << GetParam() << ": " << ms << " ms, dex=" << names.size()
            << " app_classes=" << a->call_graph.app_classes << " nodes=" << a->call_graph.methods
            << " edges=" << a->call_graph.edges << " (cha " << a->call_graph.cha_edges
            << ", implicit " << a->call_graph.implicit_edges << ", lifecycle "
            << a->call_graph.lifecycle_edges << ", clinit " << a->call_graph.clinit_edges
            << ") entry_points=" << a->entry_points.size()
            << " startup_methods=" << a->startup_methods.size()
            << " startup_reachable=" << a->startup_reachable_methods
            << " reachable=" << a->reachable_methods
            << " sensitive_calls=" << a->sensitive_calls.size() << " (dexdump-visible "
            << expected_sites << ", startup " << startup << ", likely " << likely
            << ") gate=" << (a->consent_gate.found ? a->consent_gate.flag_key : "none") << "\n";
  // Show up to 5 calls, "likely" ones first (the ones an auditor reads).
  std::vector<const SensitiveCall*> shown;
  for (const SensitiveCall& s : a->sensitive_calls) {
    if (s.before_consent == BeforeConsent::kLikely && shown.size() < 5) shown.push_back(&s);
  }
  for (const SensitiveCall& s : a->sensitive_calls) {
    if (s.before_consent != BeforeConsent::kLikely && shown.size() < 5) shown.push_back(&s);
  }
  for (const SensitiveCall* sp : shown) {
    const SensitiveCall& s = *sp;
    std::cout << "  " << s.api << " in " << s.caller << " [" << BeforeConsentName(s.before_consent)
              << "] " << s.reason << "\n";
    for (const ChainStep& st : s.chain)
      std::cout << "      [" << st.via << "] " << st.method << "\n";
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusAnalysisTest,
                         ::testing::Values("cnzz-demo.apk", "jmlink-demo.apk",
                                           "bugly-upgrade-demo.apk", "instapaper.apk",
                                           "blooddonation.apk"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& ch : n) {
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

// getDeviceId in cnzz-demo: dexdump shows one invoke; the analysis must report it with a chain
// or an explanation.
TEST(CorpusAnalysisSingle, CnzzGetDeviceIdIsFound) {
  const std::string apk = std::string(PIAUDIT_CORPUS_DIR) + "/apks/cnzz-demo.apk";
  if (!fs::exists(apk)) GTEST_SKIP() << "corpus APK " << apk << " not present";
  Diagnostics kb_diags;
  Result<knowledge::KnowledgeBase> kb = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, &kb_diags);
  if (!kb.ok()) GTEST_SKIP() << "knowledge base did not load: " << kb.status().ToString();
  const std::string bytes = Shell("unzip -p " + Quote(apk) + " classes.dex");
  Result<dex::DexFile> f = dex::DexFile::Open(ByteSpan(bytes), "classes.dex", Limits());
  ASSERT_TRUE(f.ok());
  std::vector<DexInput> inputs{{&*f}};
  Diagnostics diags;
  Result<CodeAnalysis> a =
      AnalyzeCode(inputs, ReadComponents(apk), {}, *kb, Limits(), AnalysisOptions(), &diags);
  ASSERT_TRUE(a.ok());
  const std::string want = "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;";
  size_t found = 0;
  for (const SensitiveCall& s : a->sensitive_calls) {
    if (s.api != want) continue;
    ++found;
    EXPECT_FALSE(s.reason.empty());
    EXPECT_EQ(s.pi.empty(), false);
  }
  EXPECT_GE(found, 1u);
}

}  // namespace
}  // namespace piaudit::analysis
