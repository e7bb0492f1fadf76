// External checks of the rendered reports: report.sarif against the official SARIF 2.1.0 JSON
// schema (python3-jsonschema, Draft-07 validator), and report.html rendered by headless Chromium
// (the dumped DOM must hold the 31 items, and hostile strings must stay text, never elements).
// Each check skips with a message when its tool is missing.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "report/html_report.h"
#include "report/pdf_report.h"
#include "report/sarif.h"
#include "report/write_reports.h"
#include "rules/evaluate.h"
#include "rules/test_evidence.h"

namespace piaudit::report {
namespace {

namespace fs = std::filesystem;
using piaudit::testing::Call;
using piaudit::testing::CleanEvidence;
using piaudit::testing::Permission;
using piaudit::testing::Sdk;

const char kSchema[] = PIAUDIT_SOURCE_DIR "/../shared/schemas/sarif-schema-2.1.0.json";
const char kPython[] = "/usr/bin/python3";
const char kChromium[] = "/usr/bin/chromium";
const char kPdfToText[] = "/usr/bin/pdftotext";
const char kPdfToPpm[] = "/usr/bin/pdftoppm";
const char kPdfInfo[] = "/usr/bin/pdfinfo";

bool Exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0;
}

// Runs a shell command, returns its exit status and stdout+stderr.
int RunCommand(const std::string& cmd, std::string* output) {
  FILE* f = popen((cmd + " 2>&1").c_str(), "r");
  if (!f) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) output->append(buf, n);
  int st = pclose(f);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    kb_ = piaudit::testing::BundledKb(&err);
    if (!kb_) GTEST_SKIP() << "bundled knowledge base does not load yet: " << err;
    dir_ = fs::temp_directory_path() /
           ("piaudit_render_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    // A messy app with hostile strings from the APK and from the policy.
    ev_ = CleanEvidence();
    ev_.app.label = "<script>alert(1)</script>";
    ev_.app.package = "com.evil\"><img src=x onerror=alert(2)>";
    ev_.sdks.push_back(Sdk("jpush", "push", {"imei"}));
    ev_.sdks.push_back(Sdk("wechat-open", "login-share"));
    ev_.permissions.push_back(Permission("android.permission.CAMERA", true, {"camera"}));
    ev_.sensitive_calls.push_back(Call("imei", "jpush", true, evidence::BeforeConsent::kLikely));
    ev_.policy.file = "/tmp/隐私 政策.html";
    ev_.policy.rights.clear();
    ev_.policy.data_types[0].spans[0].text =
        "\"><img src=x onerror=alert(3)><script>alert(4)</script>";
    ev_.diagnostics.push_back(Diagnostic{Severity::kWarning, "zip.duplicate_name",
                                         "<b>classes.dex</b>", "cd", 12, true, "dup"});
    items_ = rules::EvaluateAll(ev_, *kb_);
    in_.evidence = &ev_;
    in_.items = items_;
    in_.kb = kb_;
    in_.tool_version = "0.1.0-test";
    in_.generated_at = "2026-11-22T22:00:00Z";
  }
  void TearDown() override {
    std::error_code ec;
    // PIAUDIT_KEEP_RENDER=1 keeps the rendered files for a look by hand.
    if (!dir_.empty() && std::getenv("PIAUDIT_KEEP_RENDER") == nullptr) fs::remove_all(dir_, ec);
  }

  const knowledge::KnowledgeBase* kb_ = nullptr;
  evidence::AppEvidence ev_;
  std::vector<rules::ItemResult> items_;
  ReportInput in_;
  fs::path dir_;
};

TEST_F(RenderTest, SarifValidatesAgainstTheOfficialSchema) {
  if (!Exists(kPython) || !Exists(kSchema)) GTEST_SKIP() << "python3 or SARIF schema missing";
  std::string probe;
  if (RunCommand(std::string(kPython) + " -c 'import jsonschema'", &probe) != 0) {
    GTEST_SKIP() << "python3-jsonschema not installed: " << probe;
  }
  // Three shapes of evidence: the messy app, an app with nothing known, and a packed app with
  // a bundled policy whose path has a space.
  ASSERT_TRUE(WriteReports(dir_.string(), in_).ok());
  evidence::AppEvidence empty;
  std::vector<rules::ItemResult> empty_items = rules::EvaluateAll(empty, *kb_);
  ReportInput empty_in = in_;
  empty_in.evidence = &empty;
  empty_in.items = empty_items;
  ASSERT_TRUE(WriteTextFile((dir_ / "empty.sarif").string(), RenderSarif(empty_in)).ok());
  evidence::AppEvidence packed = ev_;
  packed.packer = evidence::PackerFact{"jiagu360", "360加固", {}};
  packed.policy.source = evidence::PolicySource::kBundledAsset;
  packed.policy.file = "assets/privacy policy.html";
  std::vector<rules::ItemResult> packed_items = rules::EvaluateAll(packed, *kb_);
  ReportInput packed_in = in_;
  packed_in.evidence = &packed;
  packed_in.items = packed_items;
  ASSERT_TRUE(WriteTextFile((dir_ / "packed.sarif").string(), RenderSarif(packed_in)).ok());

  const std::string script =
      "import json,sys,jsonschema\n"
      "schema=json.load(open(sys.argv[1],encoding='utf-8'))\n"
      "bad=0\n"
      "for path in sys.argv[2:]:\n"
      "  doc=json.load(open(path,encoding='utf-8'))\n"
      "  errs=list(jsonschema.Draft7Validator(schema).iter_errors(doc))\n"
      "  for e in errs[:20]: print(path, list(e.path), e.message)\n"
      "  print(path.split('/')[-1], 'results', len(doc['runs'][0]['results']))\n"
      "  bad+=len(errs)\n"
      "sys.exit(1 if bad else 0)\n";
  const std::string py = (dir_ / "validate.py").string();
  ASSERT_TRUE(WriteTextFile(py, script).ok());
  std::string out;
  int rc =
      RunCommand(std::string(kPython) + " '" + py + "' '" + kSchema + "' '" +
                     (dir_ / "report.sarif").string() + "' '" + (dir_ / "empty.sarif").string() +
                     "' '" + (dir_ / "packed.sarif").string() + "'",
                 &out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("report.sarif results"), std::string::npos) << out;
  EXPECT_NE(out.find("packed.sarif results"), std::string::npos) << out;

  // A wrong document must fail the same check (the validator really runs).
  ASSERT_TRUE(WriteTextFile((dir_ / "bad.sarif").string(),
                            "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{}}]}")
                  .ok());
  std::string bad_out;
  EXPECT_NE(RunCommand(std::string(kPython) + " '" + py + "' '" + kSchema + "' '" +
                           (dir_ / "bad.sarif").string() + "'",
                       &bad_out),
            0);
}

TEST_F(RenderTest, ChromiumRendersItemsAndKeepsHostileStringsAsText) {
  if (!Exists(kChromium)) GTEST_SKIP() << "chromium missing";
  ASSERT_TRUE(WriteReports(dir_.string(), in_).ok());
  const std::string html = (dir_ / "report.html").string();
  const std::string profile = (dir_ / "profile").string();
  fs::create_directories(profile);
  std::string dom;
  int rc = RunCommand("timeout 50 " + std::string(kChromium) +
                          " --headless --no-sandbox --disable-gpu --disable-background-networking "
                          "--disable-component-update --no-first-run --disable-sync "
                          "--user-data-dir='" +
                          profile + "' --dump-dom 'file://" + html + "'" + " 2>/dev/null",
                      &dom);
  ASSERT_EQ(rc, 0) << dom.substr(0, 2000);
  ASSERT_NE(dom.find("</html>"), std::string::npos) << dom.substr(0, 2000);
  // The 31 items: one summary cell and one article each.
  size_t cells = 0, articles = 0, pos = 0;
  while ((pos = dom.find("data-item=\"IM-", pos)) != std::string::npos) ++cells, ++pos;
  pos = 0;
  while ((pos = dom.find("<article class=\"item\"", pos)) != std::string::npos) ++articles, ++pos;
  EXPECT_EQ(cells, 31u);
  EXPECT_EQ(articles, 31u);
  // Hostile strings: no element was created, the text is there (serialised escaped).
  EXPECT_EQ(dom.find("<script"), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos);
  EXPECT_EQ(dom.find("<b>classes.dex"), std::string::npos);
  EXPECT_NE(dom.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(dom.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(dom.find("&lt;img src=x onerror=alert(3)&gt;&lt;script&gt;alert(4)&lt;/script&gt;"),
            std::string::npos);

  // A screenshot renders too (the page is self-contained and lays out without the network).
  std::string shot_out;
  const std::string png = (dir_ / "shot.png").string();
  rc = RunCommand("cd '" + dir_.string() + "' && timeout 50 " + std::string(kChromium) +
                      " --headless --no-sandbox --disable-gpu --disable-background-networking "
                      "--disable-component-update --no-first-run --disable-sync "
                      "--user-data-dir='" +
                      profile + "' --window-size=1280,2000 --screenshot='" + png + "' 'file://" +
                      html + "'",
                  &shot_out);
  EXPECT_EQ(rc, 0) << shot_out.substr(0, 2000);
  EXPECT_GT(ReadAll(png).size(), 10000u) << shot_out.substr(0, 2000);
}

// --format pdf: the report printed by Chromium, checked through poppler-utils: the text holds the
// findings and the agencies' headings in Chinese (fonts embedded, so the text extracts), pages
// are numbered and the first page renders to an image.
TEST_F(RenderTest, PdfHoldsTheFindingsInChinese) {
  if (!Exists(kChromium)) GTEST_SKIP() << "chromium missing: install it (scripts/install-deps.sh)";
  if (!Exists(kPdfToText) || !Exists(kPdfToPpm) || !Exists(kPdfInfo)) {
    GTEST_SKIP() << "poppler-utils missing: install it (scripts/install-deps.sh)";
  }
  ASSERT_TRUE(WriteReportFiles(dir_.string(), {"pdf"}, in_).ok());
  const std::string pdf = (dir_ / "report.pdf").string();
  ASSERT_TRUE(Exists(pdf));
  EXPECT_EQ(ReadAll(pdf).substr(0, 5), "%PDF-");

  std::string text;
  ASSERT_EQ(RunCommand(std::string(kPdfToText) + " -enc UTF-8 '" + pdf + "' -", &text), 0) << text;
  for (const char* s : {"App个人信息收集使用合规检测报告", "目录", "问题描述", "检测依据",
                        "整改建议", "第三方SDK列表", "IM-3.1"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text.substr(0, 3000);
  }
  // Every problem's id is in the text (the ids are how a reviewer cites a finding).
  for (const auto& item : items_) {
    for (const auto& f : item.findings) {
      if (f.verdict != rules::Verdict::kViolation) continue;
      const std::string id = rules::FindingId(item.id, f.owner, f.subject);
      EXPECT_NE(text.find(id), std::string::npos) << id;
    }
  }
  std::string info;
  ASSERT_EQ(RunCommand(std::string(kPdfInfo) + " '" + pdf + "'", &info), 0) << info;
  const size_t at = info.find("Pages:");
  ASSERT_NE(at, std::string::npos) << info;
  const int pages = std::atoi(info.c_str() + at + 6);
  // Cover, contents and at least one page of findings.
  EXPECT_GE(pages, 3) << info;
  // Page numbers "n / N" printed by the page's own stylesheet.
  EXPECT_NE(text.find("1 / " + std::to_string(pages)), std::string::npos);
  EXPECT_NE(text.find(std::to_string(pages) + " / " + std::to_string(pages)), std::string::npos);

  std::string ppm_out;
  const std::string prefix = (dir_ / "page").string();
  ASSERT_EQ(
      RunCommand(std::string(kPdfToPpm) + " -png -r 40 -f 1 -l 1 '" + pdf + "' '" + prefix + "'",
                 &ppm_out),
      0)
      << ppm_out;
  size_t png_bytes = 0;
  for (const auto& e : fs::directory_iterator(dir_)) {
    if (e.path().extension() == ".png") png_bytes += fs::file_size(e.path());
  }
  EXPECT_GT(png_bytes, 5000u) << "the first page renders to an image";
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

std::string Squeezed(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') out.push_back(c);
  }
  return out;
}

// The contents list shows each section's page (issue #20), checked against pdftotext itself: the
// number beside a heading on the contents page is the first page after it where a line starts
// with that heading.
TEST_F(RenderTest, PdfContentsNumbersArePagesOfTheHeadings) {
  if (!Exists(kChromium)) GTEST_SKIP() << "chromium missing: install it (scripts/install-deps.sh)";
  if (!Exists(kPdfToText)) GTEST_SKIP() << "poppler-utils missing (scripts/install-deps.sh)";
  ASSERT_TRUE(WriteReportFiles(dir_.string(), {"pdf"}, in_).ok());
  const std::string pdf = (dir_ / "report.pdf").string();
  std::string layout, plain;
  ASSERT_EQ(RunCommand(std::string(kPdfToText) + " -layout -enc UTF-8 '" + pdf + "' -", &layout),
            0);
  ASSERT_EQ(RunCommand(std::string(kPdfToText) + " -enc UTF-8 '" + pdf + "' -", &plain), 0);
  const std::vector<std::string> layout_pages = Split(layout, '\f');
  const std::vector<std::string> pages = Split(plain, '\f');
  const std::vector<TocEntry> entries = TocEntries(in_);
  ASSERT_GE(entries.size(), 6u);
  // The contents page: the first naming every section.
  size_t toc = layout_pages.size();
  for (size_t i = 0; i < layout_pages.size() && toc == layout_pages.size(); ++i) {
    bool all = true;
    for (const TocEntry& e : entries) all &= layout_pages[i].find(e.heading) != std::string::npos;
    if (all) toc = i;
  }
  ASSERT_LT(toc, layout_pages.size()) << layout.substr(0, 3000);
  int previous = 0;
  for (const TocEntry& e : entries) {
    int number = 0;
    for (const std::string& line : Split(layout_pages[toc], '\n')) {
      const size_t at = line.find(e.heading);
      if (at == std::string::npos) continue;
      const std::string rest = line.substr(at + e.heading.size());
      const size_t digit = rest.find_last_of("0123456789");
      if (digit == std::string::npos) continue;
      size_t begin = digit;
      while (begin > 0 && std::isdigit(static_cast<unsigned char>(rest[begin - 1]))) --begin;
      number = std::atoi(rest.c_str() + begin);
    }
    ASSERT_GT(number, static_cast<int>(toc + 1)) << e.heading << "\n" << layout_pages[toc];
    EXPECT_GE(number, previous) << e.heading;
    previous = number;
    // Where pdftotext finds the heading first after the contents page.
    int found = 0;
    for (size_t i = toc + 1; i < pages.size() && found == 0; ++i) {
      for (const std::string& line : Split(pages[i], '\n')) {
        if (Squeezed(line).starts_with(Squeezed(e.heading))) found = static_cast<int>(i + 1);
      }
    }
    EXPECT_EQ(number, found) << e.heading;
  }
}

TEST_F(RenderTest, PdfWithoutChromiumSaysWhatToInstall) {
  ::setenv("PIAUDIT_CHROMIUM", "/nonexistent/chromium", 1);
  Status s = WritePdf(in_, (dir_ / "x.pdf").string());
  ::unsetenv("PIAUDIT_CHROMIUM");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.ToString().find("/nonexistent/chromium"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("install-deps.sh"), std::string::npos) << s.ToString();
  EXPECT_FALSE(Exists((dir_ / "x.pdf").string()));
}

}  // namespace
}  // namespace piaudit::report
