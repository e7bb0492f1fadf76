// Tables among a PDF page's text boxes (policy/pdf_tables.h). The boxes of the first test are those
// poppler gives for an SDK table printed by Chromium (cells centred vertically, wrapped cells,
// Chinese boxes reporting twice their font size); the others are drawn here.
#include "policy/pdf_tables.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace piaudit::policy {
namespace {

// A Chinese box: 12 pt characters whose box is 31 pt high and reports size 24, as poppler does
// for Chromium's CID fonts.
PdfTextBox Han(const std::string& text, double x0, double y0, int chars) {
  return {text, x0, y0, x0 + 12.0 * chars, y0 + 31.2, 24, false};
}
PdfTextBox Latin(const std::string& text, double x0, double y0, double width) {
  return {text, x0, y0, x0 + width, y0 + 13.9, 12, false};
}

TEST(PdfTablesTest, SdkTablePrintedByChromium) {
  const std::vector<PdfTextBox> boxes = {
      Han("三、第三方", 33.7, 20.5, 5), Han("我们接入的第三方", 33.7, 66.4, 8),
      Latin("SDK", 129.8, 78.1, 24.7), Han("如下：", 154.5, 66.4, 3),
      // Header: 使用/目的 wrapped, the others centred between its two lines.
      Han("使用", 100.2, 100.2, 2), Han("收集的个人信息", 134.4, 109.2, 7),
      Han("第三方公司名称", 239.2, 109.2, 7), Latin("SDK", 38.4, 120.9, 28),
      Han("名称", 66.4, 109.2, 2), Han("隐私政策链接", 422.6, 109.2, 6),
      Han("目的", 100.2, 118.2, 2),
      // Row 1.
      Han("设备信息、", 133.1, 140.7, 5), Latin("IP", 193.1, 152.4, 10.8),
      Han("地", 203.9, 140.7, 1), Han("友盟同欣（北京）科", 224.1, 140.7, 9),
      Latin("https://www.umeng.com/policy", 342.8, 159.9, 185.9), Han("友盟", 37.5, 149.7, 2),
      Latin("SDK", 61.5, 161.4, 24.7), Han("统计", 95.8, 140.7, 2), Han("分析", 95.8, 158.7, 2),
      Han("址", 133.1, 158.7, 1), Han("技有限公司", 224.1, 158.7, 5),
      // Row 2.
      Han("设备标识信息、", 133.1, 181.2, 7), Han("深圳市和讯华谷信息", 224.1, 181.2, 9),
      Latin("https://www.jiguang.cn/license/privacy", 342.8, 200.4, 231.7),
      Han("极光推送", 37.5, 190.2, 4), Han("推送", 95.8, 181.2, 2), Han("消息", 95.8, 199.2, 2),
      Han("网络信息", 133.1, 199.2, 4), Han("技术有限公司", 224.1, 199.2, 6),
      // Row 3: its name wrapped after the row's other cells.
      Han("新知文档", 37.5, 223.2, 4), Han("文档", 95.8, 221.7, 2),
      Han("设备型号", 133.1, 230.7, 4), Han("新知科技有限公司", 224.1, 230.7, 8),
      Latin("https://example.com/privacy", 342.8, 240.9, 172.2), Latin("SDK", 37.5, 249.9, 24.7),
      Han("预览", 95.8, 239.7, 2), Han("四、我们如何保护您的个人信息", 33.7, 273.4, 14)};
  std::vector<PdfTable> tables = FindPdfTables(boxes, 16);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].markdown,
            "SDK名称 | 使用目的 | 收集的个人信息 | 第三方公司名称 | 隐私政策链接\n"
            "---|---|---|---|---\n"
            "友盟SDK | 统计分析 | 设备信息、IP地址 | 友盟同欣（北京）科技有限公司 | "
            "https://www.umeng.com/policy\n"
            "极光推送 | 推送消息 | 设备标识信息、网络信息 | 深圳市和讯华谷信息技术有限公司 | "
            "https://www.jiguang.cn/license/privacy\n"
            "新知文档SDK | 文档预览 | 设备型号 | 新知科技有限公司 | https://example.com/privacy\n");
  // The table's extent leaves the prose above and below out.
  EXPECT_GT(tables[0].top, 97.6);
  EXPECT_LT(tables[0].bottom, 273.4);
}

// Prose, a two-column layout (a label and its value) and scattered boxes are no table; only
// boxes with a finite, ordered extent are read.
TEST(PdfTablesTest, ProseAndTwoColumnLayoutsAreNoTable) {
  std::vector<PdfTextBox> boxes;
  for (int i = 0; i < 10; ++i) {
    const double y = 100.0 + 20 * i;
    boxes.push_back(Han("我们会收集您的设备信息以保障账号安全", 40, y, 18));
  }
  for (int i = 0; i < 6; ++i) {
    const double y = 400.0 + 20 * i;
    boxes.push_back(Han("联系电话：", 40, y, 5));
    boxes.push_back(Latin("400-123-4567", 200, y + 9, 70));
  }
  boxes.push_back({"坏", 1e308 * 10, 5, 4, 6, 12, false});
  boxes.push_back({"坏", 10, 50, 5, 6, 12, false});
  EXPECT_TRUE(FindPdfTables(boxes, 16).empty());
}

// A table drawn with top-aligned cells, its cells' bars kept out of the Markdown, and the bound on
// the number of tables.
TEST(PdfTablesTest, TopAlignedTablesAndTheBound) {
  std::vector<PdfTextBox> boxes;
  double y = 50;
  for (int table = 0; table < 3; ++table) {
    for (int row = 0; row < 4; ++row) {
      const std::string tag = std::to_string(table) + std::to_string(row);
      boxes.push_back(Han(row == 0 ? "名称" : "甲|乙", 40, y, 2));
      boxes.push_back(Han("目的", 140, y, 2));
      boxes.push_back(Latin("x" + tag, 240, y + 9, 30));
      y += 34;  // a row: one 31 pt line and 3 pt of padding and border
    }
    y += 100;
  }
  std::vector<PdfTable> tables = FindPdfTables(boxes, 16);
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[1].markdown,
            "名称 | 目的 | x10\n---|---|---\n甲/乙 | 目的 | x11\n甲/乙 | 目的 | x12\n"
            "甲/乙 | 目的 | x13\n");
  EXPECT_LT(tables[0].bottom, tables[1].top);
  EXPECT_EQ(FindPdfTables(boxes, 2).size(), 2u);
}

// Word's tables: no padding, so a row is as far from the next as a wrapped line from the one
// before it; a line that starts in the first column and fills half the columns starts a row.
TEST(PdfTablesTest, RowsWithoutPaddingStartAtFullLines) {
  auto word = [](const std::string& text, double x0, double y0, int chars) {
    return PdfTextBox{text, x0, y0, x0 + 10.5 * chars, y0 + 13.5, 10.5, false};
  };
  const double lead = 15;  // single line spacing of 10.5 pt text
  std::vector<PdfTextBox> boxes = {word("SDK名称", 40, 100, 4),
                                   word("使用目的", 140, 100, 4),
                                   word("收集的信息", 260, 100, 5),
                                   word("友盟统计", 40, 100 + lead, 4),
                                   word("统计分析", 140, 100 + lead, 4),
                                   word("设备信息、", 260, 100 + lead, 5),
                                   word("网络信息", 260, 100 + 2 * lead, 4),
                                   word("高德地图", 40, 100 + 3 * lead, 4),
                                   word("定位", 140, 100 + 3 * lead, 2),
                                   word("位置信息", 260, 100 + 3 * lead, 4),
                                   word("SDK", 40, 100 + 4 * lead, 2)};
  std::vector<PdfTable> tables = FindPdfTables(boxes, 16);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(
      tables[0].markdown,
      "SDK名称 | 使用目的 | 收集的信息\n---|---|---\n友盟统计 | 统计分析 | 设备信息、网络信息\n"
      "高德地图SDK | 定位 | 位置信息\n");
}

// Two tables one under the other: the lines the first one took (its last cell's wrapped lines) are
// not taken again by the second.
TEST(PdfTablesTest, TablesDoNotShareLines) {
  std::vector<PdfTextBox> boxes;
  double y = 50;
  auto row = [&](const std::string& a, const std::string& b, const std::string& c) {
    boxes.push_back(Han(a, 40, y, 2));
    boxes.push_back(Han(b, 140, y, 2));
    boxes.push_back(Han(c, 240, y, 2));
    y += 34;
  };
  row("名称", "目的", "信息");
  row("甲甲", "统计", "设备");
  row("乙乙", "推送", "网络");
  for (int i = 0; i < 5; ++i) {  // the last cell wrapped over five more lines
    boxes.push_back(Han("续行", 240, y - 16, 2));
    y += 18;
  }
  y -= 16;  // the next table starts one line below the last wrapped line
  row("权限", "用途", "场景");
  row("相机", "拍照", "头像");
  row("位置", "定位", "门店");
  std::vector<PdfTable> tables = FindPdfTables(boxes, 16);
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_NE(tables[0].markdown.find("续行"), std::string::npos);
  EXPECT_EQ(tables[1].markdown.find("续行"), std::string::npos) << tables[1].markdown;
  EXPECT_EQ(tables[1].markdown.substr(0, tables[1].markdown.find('\n')), "权限 | 用途 | 场景");
}

}  // namespace
}  // namespace piaudit::policy
