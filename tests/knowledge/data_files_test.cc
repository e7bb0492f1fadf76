// Every file under data/ is checked by KnowledgeBase::Load (and so by `piaudit kb check`): a
// temporary copy of the bundled tree is broken one file at a time, and the loader must name that
// file and the line of the problem. Covers the files added to the knowledge base with the word
// lists (consent_words, permission_requests, sdk_categories), the Android framework model and the
// policy analyser's data (lexicon.yaml, jargon.txt, sentence_model.bin and its evaluation record).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "knowledge/knowledge_base.h"
#include "knowledge/policy_data.h"

namespace piaudit::knowledge {
namespace {

namespace fs = std::filesystem;

class DataFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           (std::string("piaudit_data_") + info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::copy(PIAUDIT_DATA_DIR, dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& rel) const { return (dir_ / rel).string(); }
  std::string Read(const std::string& rel) const {
    std::ifstream f(Path(rel), std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }
  void Write(const std::string& rel, const std::string& text) const {
    std::ofstream(Path(rel), std::ios::binary | std::ios::trunc) << text;
  }
  // Replaces the first `from` in `rel` with `to`; returns the 1-based line where `to` starts.
  int Replace(const std::string& rel, const std::string& from, const std::string& to) {
    std::string t = Read(rel);
    const size_t at = t.find(from);
    EXPECT_NE(at, std::string::npos) << rel << ": " << from;
    if (at == std::string::npos) return 0;
    t.replace(at, from.size(), to);
    Write(rel, t);
    return 1 + static_cast<int>(std::count(t.begin(), t.begin() + static_cast<long>(at), '\n'));
  }
  // 1-based line of the first `needle` in `rel`.
  int LineOf(const std::string& rel, const std::string& needle) const {
    const std::string t = Read(rel);
    const size_t at = t.find(needle);
    EXPECT_NE(at, std::string::npos) << rel << ": " << needle;
    if (at == std::string::npos) return 0;
    return 1 + static_cast<int>(std::count(t.begin(), t.begin() + static_cast<long>(at), '\n'));
  }
  // Loads the copy, expects failure, returns every error as "file: message".
  std::vector<std::string> Errors() const {
    Diagnostics diags;
    auto kb = KnowledgeBase::Load(dir_.string(), &diags);
    EXPECT_FALSE(kb.ok());
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.items()) out.push_back(d.file + ": " + d.message);
    return out;
  }
  // True when an error is at rel:line and contains `text`.
  bool Has(const std::vector<std::string>& errors, const std::string& rel, int line,
           const std::string& text) const {
    const std::string where = Path(rel) + ":" + std::to_string(line) + ": ";
    for (const std::string& e : errors) {
      if (e.rfind(where, 0) == 0 && e.find(text) != std::string::npos) return true;
    }
    return false;
  }
  static std::string Dump(const std::vector<std::string>& errors) {
    std::string s;
    for (const std::string& e : errors) s += "\n  " + e;
    return s;
  }

  fs::path dir_;
};

TEST_F(DataFilesTest, BundledCopyLoads) {
  Diagnostics diags;
  auto kb = KnowledgeBase::Load(dir_.string(), &diags);
  ASSERT_TRUE(kb.ok()) << kb.status().ToString();
  EXPECT_FALSE(kb->consent_words().privacy_text.words.empty());
  EXPECT_FALSE(kb->permission_requests().methods.empty());
  EXPECT_NE(kb->FindSdkCategory("push"), nullptr);
  EXPECT_TRUE(kb->FindSdkCategory("push")->targeting);
  EXPECT_NE(kb->android_framework().Find("Landroid/app/Application;"), nullptr);
  EXPECT_FALSE(kb->policy_words().List("negation").empty());
  EXPECT_FALSE(kb->policy_words().jargon.empty());
  EXPECT_EQ(kb->sentence_model().classes.size(), 13u);
}

// Bad YAML in any YAML file of the tree is an error naming the file and the line.
TEST_F(DataFilesTest, BadYamlInEveryFile) {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir_)) {
    if (e.path().extension() == ".yaml") files.push_back(fs::relative(e.path(), dir_).string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 20u);
  for (const std::string& rel : files) {
    SCOPED_TRACE(rel);
    const std::string original = Read(rel);
    // An unclosed flow list on a new last line.
    const int line = 1 + static_cast<int>(std::count(original.begin(), original.end(), '\n'));
    Write(rel, original + "zz_broken: [a, b\n");
    const auto errors = Errors();
    bool found = false;
    for (int l = line; l <= line + 1; ++l)
      found = found || Has(errors, rel, l, "YAML syntax error");
    EXPECT_TRUE(found) << "line " << line << Dump(errors);
    Write(rel, original);
  }
}

TEST_F(DataFilesTest, EntryWithoutSource) {
  const std::string cats = "sdk_categories.yaml";
  Replace(cats, "    en: crash reporting\n    collects_pi: true\n    source: sdk-facts.md\n",
          "    en: crash reporting\n    collects_pi: true\n");
  const std::string fw = "android_framework.yaml";
  const int fw_line = LineOf(fw, "  - class: Landroid/app/IntentService;");
  Replace(fw, "    source: \"https://developer.android.com/reference/android/app/IntentService\"\n",
          "");
  const std::string cw = "consent_words.yaml";
  Replace(cw,
          "    source: general knowledge (unverified); formerly src/analysis/method_scan.cc "
          "HasDisagreeWord\n",
          "");
  const std::string pr = "permission_requests.yaml";
  Replace(pr,
          "  - name: requestEachCombined\n    source: RxPermissions (tbruyelle/RxPermissions), "
          "general knowledge (unverified)\n",
          "  - name: requestEachCombined\n");
  const auto errors = Errors();
  EXPECT_TRUE(Has(errors, cats, LineOf(cats, "  - id: crash"), "missing required field 'source'"))
      << Dump(errors);
  EXPECT_TRUE(Has(errors, fw, fw_line, "source: missing")) << Dump(errors);
  EXPECT_TRUE(Has(errors, cw, LineOf(cw, "  disagree:") + 1, "list 'disagree'") &&
              Has(errors, cw, LineOf(cw, "  disagree:") + 1, "missing required field 'source'"))
      << Dump(errors);
  EXPECT_TRUE(Has(errors, pr, LineOf(pr, "  - name: requestEachCombined"),
                  "missing required field 'source'"))
      << Dump(errors);
}

TEST_F(DataFilesTest, EmptyWords) {
  const std::string cw = "consent_words.yaml";
  const int privacy =
      Replace(cw, "words: [隐私政策, 隐私协议,", "words: [隐私政策, \"\", 隐私协议,");
  const int agree =
      Replace(cw, "      - {word: 接受, unless: 不接受}", "      - {word: \"\", unless: 不接受}");
  const std::string lex = "policy/lexicon.yaml";
  const int negation = Replace(lex, "negation: [不会收集,", "negation: [不会收集, \"\",");
  const int chars = Replace(lex, "address_chars: [市, 区,", "address_chars: [市, 区县,");
  const std::string jargon = "policy/jargon.txt";
  const std::string j = Read(jargon);
  Write(jargon, j + "  Cookie\nSDK\n");
  const int jargon_lines = static_cast<int>(std::count(j.begin(), j.end(), '\n'));
  const auto errors = Errors();
  EXPECT_TRUE(Has(errors, cw, privacy, "empty element")) << Dump(errors);
  EXPECT_TRUE(Has(errors, cw, agree, "empty")) << Dump(errors);
  EXPECT_TRUE(Has(errors, lex, negation, "empty word")) << Dump(errors);
  EXPECT_TRUE(Has(errors, lex, chars, "'区县' is not a single character")) << Dump(errors);
  EXPECT_TRUE(Has(errors, jargon, jargon_lines + 1, "white space")) << Dump(errors);
  EXPECT_TRUE(Has(errors, jargon, jargon_lines + 2, "listed twice")) << Dump(errors);
}

TEST_F(DataFilesTest, WrongTypes) {
  const std::string cats = "sdk_categories.yaml";
  const int targeting = Replace(cats, "    targeting: true\n", "    targeting: yes\n");
  const std::string cw = "consent_words.yaml";
  const int min_score = Replace(cw, "    min_score: 4\n", "    min_score: four\n");
  const int veto = Replace(cw, "    veto: [disagree]\n", "    veto: {no: disagree}\n");
  const std::string pr = "permission_requests.yaml";
  const int any_class = Replace(pr, "    any_class: true\n", "    any_class: 1\n");
  const std::string lex = "policy/lexicon.yaml";
  const int rights = Replace(lex, "rights:\n", "rights: [删除]\nrights_was:\n");
  const std::string fw = "android_framework.yaml";
  const int user = Replace(fw, "    instantiate: true\n", "    instantiate: maybe\n");
  const auto errors = Errors();
  EXPECT_TRUE(Has(errors, cats, targeting, "expected true or false")) << Dump(errors);
  EXPECT_TRUE(Has(errors, cw, min_score, "expected an integer")) << Dump(errors);
  EXPECT_TRUE(Has(errors, cw, veto, "expected a list")) << Dump(errors);
  EXPECT_TRUE(Has(errors, pr, any_class, "expected true or false")) << Dump(errors);
  EXPECT_TRUE(Has(errors, lex, rights, "expected a mapping")) << Dump(errors);
  EXPECT_TRUE(Has(errors, lex, rights + 1, "unknown key 'rights_was'")) << Dump(errors);
  EXPECT_TRUE(Has(errors, fw, user, "expected true or false")) << Dump(errors);
}

// Names the code reads and the matching conventions of the word lists are checked too.
TEST_F(DataFilesTest, ListNamesCategoriesAndCase) {
  const std::string cw = "consent_words.yaml";
  const int upper =
      Replace(cw, "words: [privacy, agree, policy,", "words: [Privacy, agree, policy,");
  const int unknown = Replace(cw, "  privacy_text:\n", "  privacy_txt:\n");
  const int unless = Replace(cw, "{word: 同意, unless: 不同意}", "{word: 同意, unless: 拒绝}");
  const std::string sdk = "sdks/push.yaml";
  const int category = Replace(sdk, "category: push\n", "category: notifications\n");
  const std::string pr = "permission_requests.yaml";
  const int prefix = Replace(pr, "prefix: \"Lcom/permissionx/\"", "prefix: \"com.permissionx\"");
  const auto errors = Errors();
  EXPECT_TRUE(Has(errors, cw, upper, "write it in lower case")) << Dump(errors);
  EXPECT_TRUE(Has(errors, cw, unknown, "unknown list 'privacy_txt'")) << Dump(errors);
  EXPECT_TRUE(Has(errors, cw, unless, "does not contain '同意'")) << Dump(errors);
  bool missing = false;
  for (const std::string& e : errors) missing |= e.find("missing list 'privacy_text'") != e.npos;
  EXPECT_TRUE(missing) << Dump(errors);
  EXPECT_TRUE(Has(errors, sdk, category, "'notifications' is not one of")) << Dump(errors);
  EXPECT_TRUE(Has(errors, pr, prefix, "must start with 'L'")) << Dump(errors);
}

TEST_F(DataFilesTest, BrokenSentenceModelAndEvaluation) {
  const std::string model = "policy/sentence_model.bin";
  std::string m = Read(model);
  m.pop_back();  // one weight byte short
  Write(model, m);
  auto errors = Errors();
  const int data_line = [&] {
    const size_t at = m.find("\ndata\n");
    return 2 + static_cast<int>(std::count(m.begin(), m.begin() + static_cast<long>(at), '\n'));
  }();
  EXPECT_TRUE(Has(errors, model, data_line, "weight bytes after 'data'")) << Dump(errors);

  Write(model, "PIAUDIT-SENTENCE-MODEL 2\n" + m.substr(m.find('\n') + 1));
  errors = Errors();
  EXPECT_TRUE(Has(errors, model, 1, "bad magic")) << Dump(errors);

  Write(model, m + "x");  // size right again, header intact: only the evaluation record is broken
  Write("policy/sentence_model.eval.json", "{\"split\": \"test\",\n \"macro_f1_all\": [\n");
  errors = Errors();
  bool eval = false;
  for (const std::string& e : errors) {
    eval |= e.rfind(Path("policy/sentence_model.eval.json") + ":", 0) == 0;
  }
  EXPECT_TRUE(eval) << Dump(errors);
}

// The span model ships in the tree (the loader accepts a tree without it, for its trainer), and a
// broken one or a broken evaluation record beside it is an error naming the file.
TEST_F(DataFilesTest, ShippedSpanModelAndItsEvaluation) {
  const std::string model = "policy/span_model.bin";
  ASSERT_TRUE(std::filesystem::exists(Path(model))) << "data/" << model << " is not shipped";
  EXPECT_TRUE(CheckSpanModelFile(Path(model)).ok());
  std::string m = Read(model);
  m.pop_back();
  Write(model, m);
  auto errors = Errors();
  bool short_weights = false;
  for (const std::string& e : errors)
    short_weights |= e.find("weight bytes after 'data'") != e.npos;
  EXPECT_TRUE(short_weights) << Dump(errors);
  Write(model, m + "x");
  Write("policy/span_model.eval.json", "{\"split\": \"val\"}\n");
  errors = Errors();
  bool eval = false;
  for (const std::string& e : errors)
    eval |= e.rfind(Path("policy/span_model.eval.json") + ":", 0) == 0;
  EXPECT_TRUE(eval) << Dump(errors);
}

// The policy analyser without a knowledge base reads data/policy/ with the same loader, so a
// problem `kb check` reports is the one it fails on.
TEST_F(DataFilesTest, PolicyLoaderWithoutKnowledgeBaseSharesTheChecks) {
  const std::string lex = "policy/lexicon.yaml";
  const int line = Replace(lex, "negation: [不会收集,", "negation: [不会收集, \"\",");
  Diagnostics diags;
  auto data = LoadPolicyLexicon(dir_.string(), &diags);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().ToString().rfind(Path(lex) + ":" + std::to_string(line) + ": ", 0), 0u)
      << data.status().ToString();
  EXPECT_TRUE(Has(Errors(), lex, line, "empty word"));
}

}  // namespace
}  // namespace piaudit::knowledge
