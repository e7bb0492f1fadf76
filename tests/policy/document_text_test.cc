// Tests for policy/document_text.cc: HTML text rules, tables, depth guard, PDF errors.
#include "policy/document_text.h"

#include <gtest/gtest.h>

#include "policy/segmenter.h"

namespace piaudit::policy {
namespace {

std::string Sub(const ExtractedDocument& d, TextRange r) {
  std::u32string t = ToU32(d.text);
  return ToUtf8(std::u32string_view(t).substr(r.start, r.end - r.start));
}

TEST(HtmlTextTest, DropsScriptsAndBreaksBlocks) {
  Limits limits;
  auto d = ExtractHtmlText(
      "<html><head><title>T</title><style>p{}</style></head><body><script>var a='收集';</script>"
      "<h2>一、我们如何收集</h2><p>第一段   文字</p><div>第二段</div>x<br>y</body></html>",
      limits);
  EXPECT_EQ(d.text.find("var a"), std::string::npos);
  EXPECT_EQ(d.text.find("p{}"), std::string::npos);
  EXPECT_NE(d.text.find("一、我们如何收集\n第一段 文字\n第二段\nx\ny"), std::string::npos)
      << d.text;
  ASSERT_EQ(d.headings.size(), 1u);
  EXPECT_EQ(Sub(d, d.headings[0].range), "一、我们如何收集");
}

TEST(HtmlTextTest, TablesKeepRowsAndCells) {
  Limits limits;
  auto d = ExtractHtmlText(
      "<p>SDK列表</p><table><tr><th>SDK名称</th><th>使用目的</th></tr>"
      "<tr><td>极光推送SDK</td><td>用于推送消息</td></tr></table><p>后文</p>",
      limits);
  ASSERT_EQ(d.table_rows.size(), 2u);
  EXPECT_EQ(d.table_rows[1].row, 1u);
  ASSERT_EQ(d.table_rows[1].cells.size(), 2u);
  EXPECT_EQ(Sub(d, d.table_rows[1].cells[0]), "极光推送SDK");
  EXPECT_EQ(Sub(d, d.table_rows[1].cells[1]), "用于推送消息");
  EXPECT_NE(d.text.find("极光推送SDK\t用于推送消息\n"), std::string::npos);
}

TEST(HtmlTextTest, DeepNestingUsesFallbackWithoutCrash) {
  Limits limits;
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "深层文字";
  for (int i = 0; i < 100000; ++i) html += "</div>";
  auto d = ExtractHtmlText(html, limits);
  EXPECT_TRUE(d.html_fallback);
  EXPECT_NE(d.text.find("深层文字"), std::string::npos);
  // Unclosed formatting elements (quadratic in gumbo) take the same path.
  std::string b;
  for (int i = 0; i < 100000; ++i) b += "<b>";
  b += "粗体";
  auto d2 = ExtractHtmlText(b, limits);
  EXPECT_NE(d2.text.find("粗体"), std::string::npos);
}

TEST(HtmlTextTest, ModerateNestingUsesGumbo) {
  Limits limits;
  std::string html;
  for (int i = 0; i < 100; ++i) html += "<div>";
  html += "文字";
  auto d = ExtractHtmlText(html, limits);
  EXPECT_FALSE(d.html_fallback);
  EXPECT_EQ(d.text, "文字\n");
}

TEST(HtmlTextTest, Sniffing) {
  EXPECT_TRUE(LooksLikeHtml("<!DOCTYPE html><html>"));
  EXPECT_FALSE(LooksLikeHtml("我们会收集 a < b 的信息"));
  EXPECT_TRUE(LooksLikePdf(ByteSpan(std::string_view("%PDF-1.4\n"))));
}

TEST(PdfTextTest, GarbageIsAnErrorNotACrash) {
  Limits limits;
  std::string junk = "%PDF-1.4\n" + std::string(1000, 'x');
  auto r = ExtractPdfText(ByteSpan(junk), limits);
  // poppler either refuses or reconstructs an empty document; never crashes.
  if (r.ok())
    EXPECT_EQ(r->text.find("xxxx"), std::string::npos);
  else
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
}

TEST(PdfTextTest, ExtractsTextOfASimplePdf) {
  // A minimal one-page PDF built here (xref offsets computed), text in Helvetica.
  std::string content = "BT /F1 12 Tf 72 720 Td (Privacy Policy contact privacy@example.com) Tj ET";
  std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << "
      "/F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offs;
  for (size_t i = 0; i < objs.size(); ++i) {
    offs.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t o : offs) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%010zu 00000 n \n", o);
    pdf += buf;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  Limits limits;
  auto r = ExtractPdfText(ByteSpan(pdf), limits);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(r->text.find("privacy@example.com"), std::string::npos) << r->text;
}

}  // namespace
}  // namespace piaudit::policy
