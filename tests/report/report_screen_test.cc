// Runtime evidence in report.html's problem blocks (issue #20): a recording written here names a
// screenshot (a PNG made here) and a UI hierarchy; the finding built on it shows the screen, the
// screenshot as a data: URI and the screen's texts. A screenshot path outside the recording's
// folder, a file that is not PNG/JPEG and a file changed after the scan are not shown.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/diagnostics.h"
#include "base/limits.h"
#include "evidence/evidence_json.h"
#include "report/html_report.h"
#include "rules/evaluate.h"
#include "rules/test_evidence.h"
#include "runtime/recordings.h"

namespace piaudit::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void Chunk(std::string* png, const char* type, const std::string& data) {
  const uint32_t n = static_cast<uint32_t>(data.size());
  for (int s = 24; s >= 0; s -= 8) png->push_back(static_cast<char>((n >> s) & 0xFF));
  const std::string body = std::string(type, 4) + data;
  png->append(body);
  const uint32_t crc =
      static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size()));
  for (int s = 24; s >= 0; s -= 8) png->push_back(static_cast<char>((crc >> s) & 0xFF));
}

// A valid w x h RGB PNG, one colour.
std::string MakePng(uint32_t w, uint32_t h) {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  for (uint32_t v : {w, h}) {
    for (int s = 24; s >= 0; s -= 8) ihdr.push_back(static_cast<char>((v >> s) & 0xFF));
  }
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB, no interlace
  Chunk(&png, "IHDR", ihdr);
  std::string raw;
  for (uint32_t y = 0; y < h; ++y) {
    raw.push_back('\0');  // filter: none
    for (uint32_t x = 0; x < w; ++x) raw += "\x20\x80\xd0";
  }
  uLongf size = compressBound(raw.size());
  std::string z(size, '\0');
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(z.data()), &size,
                     reinterpret_cast<const Bytef*>(raw.data()), raw.size()),
            Z_OK);
  z.resize(size);
  Chunk(&png, "IDAT", z);
  Chunk(&png, "IEND", "");
  return png;
}

std::string Screen(const std::string& name) {
  std::ifstream in(std::string(PIAUDIT_SOURCE_DIR) + "/tests/runtime/screens/" + name);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1))
    ++n;
  return n;
}

// The block of `item` (its <article>, holding its findings), or "".
std::string BlockOf(const std::string& html, const std::string& item) {
  const size_t at = html.find("<article class=\"item\" id=\"item-" + item + "\"");
  if (at == std::string::npos) return "";
  const size_t end = html.find("</article>", at);
  return html.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

class ReportScreenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    kb_ = piaudit::testing::BundledKb(&err);
    if (!kb_) GTEST_SKIP() << "bundled knowledge base does not load: " << err;
    dir_ = fs::temp_directory_path() /
           ("piaudit-screen-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    png_ = MakePng(36, 64);
    WriteFile(dir_ / "shots" / "consent.png", png_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A recording: the session, then a ui event per screenshot name (the first with the
  // pre-checked consent screen).
  evidence::RuntimeFacts Record(const std::vector<std::string>& screenshots) {
    std::ofstream out(dir_ / "run.jsonl");
    out << json{{"type", "session"}, {"schema", "piaudit.trace/1"}, {"package", "com.example.app"}}
               .dump()
        << "\n";
    int second = 1;
    for (const std::string& shot : screenshots) {
      json e = {{"t", "2026-12-06T08:00:0" + std::to_string(second++) + ".000Z"},
                {"type", "ui"},
                {"activity", "com.example.app.LoginActivity"},
                {"hierarchy", Screen("consent_prechecked.xml")}};
      if (!shot.empty()) e["screenshot"] = shot;
      out << e.dump() << "\n";
    }
    out.close();
    runtime::Attribution attribution;
    attribution.app_package = "com.example.app";
    attribution.framework_prefixes = kb_->runtime_words().framework_frames.words;
    Diagnostics diags;
    const std::string file = (dir_ / "run.jsonl").string();
    evidence::RuntimeFacts facts =
        runtime::ReadRecordings(std::span(&file, 1), *kb_, attribution, {}, diags);
    diagnostics_ = diags.items();
    return facts;
  }

  std::string Render(const evidence::RuntimeFacts& facts) {
    ev_ = piaudit::testing::CleanEvidence();
    ev_.runtime = facts;
    ev_.dynamic_trace = true;
    items_ = rules::EvaluateAll(ev_, *kb_);
    ReportInput in;
    in.evidence = &ev_;
    in.items = items_;
    in.kb = kb_;
    in.tool_version = "0.1.0-test";
    return RenderHtml(in);
  }

  const knowledge::KnowledgeBase* kb_ = nullptr;
  fs::path dir_;
  std::string png_;
  std::vector<Diagnostic> diagnostics_;
  evidence::AppEvidence ev_;
  std::vector<rules::ItemResult> items_;
};

TEST_F(ReportScreenTest, RecordedScreenshotAndTextsInTheProblemBlock) {
  evidence::RuntimeFacts facts = Record({"shots/consent.png"});
  ASSERT_EQ(facts.timeline.size(), 1u);
  const evidence::RuntimeEventFact& ui = facts.timeline[0];
  EXPECT_EQ(ui.screenshot, (dir_ / "shots" / "consent.png").string());
  EXPECT_EQ(ui.screenshot_sha256.size(), 64u);
  EXPECT_NE(std::find(ui.screen_texts.begin(), ui.screen_texts.end(),
                      "我已阅读并同意《用户协议》和《隐私政策》"),
            ui.screen_texts.end());
  EXPECT_NE(std::find(ui.screen_texts.begin(), ui.screen_texts.end(), "获取验证码"),
            ui.screen_texts.end());

  // evidence.json keeps what judge needs to show the same screen.
  evidence::AppEvidence record = piaudit::testing::CleanEvidence();
  record.runtime = facts;
  auto back = evidence::ReadEvidenceJson(evidence::WriteEvidenceJson(record, {}), "evidence.json",
                                         Limits{}, nullptr);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->runtime->timeline[0].screenshot_sha256, ui.screenshot_sha256);
  EXPECT_EQ(back->runtime->timeline[0].screen_texts, ui.screen_texts);

  const std::string html = Render(facts);
  const std::string block = BlockOf(html, "IM-3.4");
  ASSERT_FALSE(block.empty()) << "no IM-3.4 finding";
  EXPECT_NE(block.find("<img class=\"shot\""), std::string::npos) << block;
  EXPECT_NE(block.find("src=\"data:image/png;base64,iVBORw0KGgo"), std::string::npos) << block;
  EXPECT_NE(block.find("com.example.app.LoginActivity"), std::string::npos);
  EXPECT_NE(block.find("获取验证码"), std::string::npos);
  EXPECT_NE(block.find("2026-12-06T08:00:01.000Z"), std::string::npos);
  // The image is in the problem block of IM-3.4 (a violation: 二、问题详情), nowhere else.
  EXPECT_EQ(Count(html, "data:image/png"), Count(block, "data:image/png"));
  EXPECT_GT(html.find(block), html.find("<section id=\"problems\">"));
  EXPECT_LT(html.find(block), html.find("<section id=\"others\">"));

  // Changed after the scan: the hash no longer matches, so it is named, not shown.
  WriteFile(dir_ / "shots" / "consent.png", MakePng(8, 8));
  const std::string changed = BlockOf(Render(facts), "IM-3.4");
  EXPECT_EQ(changed.find("data:image"), std::string::npos);
  EXPECT_NE(changed.find(ui.screenshot_sha256), std::string::npos);
}

TEST_F(ReportScreenTest, ScreenshotsOutsideTheFolderOrNotImagesAreRefused) {
  WriteFile(dir_.parent_path() / ("outside-" + std::to_string(::getpid()) + ".png"), png_);
  WriteFile(dir_ / "fake.png", "GIF89a not a png");
  std::error_code ec;
  fs::create_symlink(dir_.parent_path() / ("outside-" + std::to_string(::getpid()) + ".png"),
                     dir_ / "link.png", ec);
  evidence::RuntimeFacts facts =
      Record({"../outside-" + std::to_string(::getpid()) + ".png",
              (dir_.parent_path() / ("outside-" + std::to_string(::getpid()) + ".png")).string(),
              "shots/../../x.png", "link.png", "fake.png", "missing.png"});
  fs::remove(dir_.parent_path() / ("outside-" + std::to_string(::getpid()) + ".png"), ec);
  ASSERT_EQ(facts.timeline.size(), 6u);
  for (const auto& e : facts.timeline) {
    EXPECT_EQ(e.screenshot, "") << e.ref.location;
    EXPECT_EQ(e.screenshot_sha256, "");
    EXPECT_FALSE(e.screen_texts.empty());  // the hierarchy is still read
  }
  size_t warnings = 0;
  for (const Diagnostic& d : diagnostics_) warnings += d.code == "trace_ui";
  EXPECT_EQ(warnings, 6u);
  EXPECT_EQ(Render(facts).find("data:image"), std::string::npos);

  // A record edited to point elsewhere (evidence.json is input to judge) is not embedded either.
  facts.timeline[0].screenshot = "/etc/hostname";
  facts.timeline[0].screenshot_sha256 = std::string(64, '0');
  EXPECT_EQ(Render(facts).find("data:image"), std::string::npos);
}

}  // namespace
}  // namespace piaudit::report
