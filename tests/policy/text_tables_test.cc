// Tables written in plain text (policy/text_tables.h): Markdown pipe tables, with and without
// border pipes, cells the text wrapped onto the next lines, tab tables, and what is no table.
#include "policy/text_tables.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace piaudit::policy {
namespace {

std::vector<std::u32string> CellTexts(std::u32string_view t, const TableRow& r) {
  std::vector<std::u32string> out;
  for (const TextRange& c : r.cells) out.emplace_back(t.substr(c.start, c.end - c.start));
  return out;
}

TEST(TextTablesTest, MarkdownTableWithoutBorders) {
  const std::u32string t =
      U"三、第三方SDK\n"
      U"SDK名称 | 使用目的 | 个人信息 | 链接  \n"
      U"---|---|---|---  \n"
      U"友盟移动统计 | 统计 | 设备信息、IP地址 | https://www.umeng.com/page/policy  \n"
      U"极光推送| 推送消息| 设备标识信息| <https://www.jiguang.cn/license/privacy>\n"
      U"\n"
      U"四、我们如何保护 | 您的信息\n";
  std::vector<TableRow> rows = FindTextTables(t, 0, 100);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].row, 0u);
  EXPECT_EQ(CellTexts(t, rows[0]),
            (std::vector<std::u32string>{U"SDK名称", U"使用目的", U"个人信息", U"链接"}));
  EXPECT_EQ(CellTexts(t, rows[1]),
            (std::vector<std::u32string>{U"友盟移动统计", U"统计", U"设备信息、IP地址",
                                         U"https://www.umeng.com/page/policy"}));
  EXPECT_EQ(rows[2].row, 2u);
  EXPECT_EQ(CellTexts(t, rows[2])[0], U"极光推送");
  EXPECT_EQ(CellTexts(t, rows[2])[3], U"<https://www.jiguang.cn/license/privacy>");
  for (const TableRow& r : rows) EXPECT_EQ(r.table, 0u);
  // The row's range runs from its first cell to its last.
  EXPECT_EQ(t.substr(rows[1].range.start, 6), U"友盟移动统计");
  EXPECT_EQ(rows[1].range.end, rows[1].cells.back().end);
}

TEST(TextTablesTest, BorderPipesAreNoCellsAndTablesAreNumbered) {
  const std::u32string t =
      U"| 名称 | 目的 |\n| :--- | ---: |\n| 个推 | 推送 |\n| 百度地图 | 定位 |\n"
      U"正文。\n"
      U"｜权限｜用途｜\n｜---｜---｜\n｜相机｜拍照｜\n";
  std::vector<TableRow> rows = FindTextTables(t, 3, 100);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(CellTexts(t, rows[0]), (std::vector<std::u32string>{U"名称", U"目的"}));
  EXPECT_EQ(CellTexts(t, rows[1]), (std::vector<std::u32string>{U"个推", U"推送"}));
  EXPECT_EQ(CellTexts(t, rows[2]), (std::vector<std::u32string>{U"百度地图", U"定位"}));
  EXPECT_EQ(rows[0].table, 3u);
  EXPECT_EQ(rows[3].table, 4u);
  EXPECT_EQ(rows[3].row, 0u);
  EXPECT_EQ(CellTexts(t, rows[4]), (std::vector<std::u32string>{U"相机", U"拍照"}));
}

// The shapes of CA4P-483 document 0707: a row whose line ends with a separator continues on the
// next line, a short row continues until it has every cell, a line without separators after a
// row ending with one is that row's last cell.
TEST(TextTablesTest, WrappedCellsJoinTheirRow) {
  const std::u32string t =
      U"序号 | SDK名称 | 个人信息字段 | 隐私政策链接 | 第三方机构名称  \n"
      U"---|---|---|---|---  \n"
      U"1 | 极光 | 设备唯一标识码、 设备MAC 地址 |\n"
      U"<https://www.jiguang.cn/license/privacy> | 深圳市和讯华谷信息技术有限公司  \n"
      U"2 | 穿山甲 | 硬件型号、IP地址、\n"
      U"软件版本号 | <https://partner.oceanengine.com/privacy> |\n"
      U"湖北今日头条科技有限公司  \n"
      U"3 | 个推 | 设备唯一标识码 | <http://docs.getui.com/privacy/>\n"
      U"| 浙江每日互动网络科技股份有限公司  \n"
      U"4 | 友盟 | 设备信息 | https://www.umeng.com/policy | 友盟同欣（北京）科技有限公司\n"
      U"正文继续，没有分隔符。\n";
  std::vector<TableRow> rows = FindTextTables(t, 0, 100);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(CellTexts(t, rows[1]),
            (std::vector<std::u32string>{U"1", U"极光", U"设备唯一标识码、 设备MAC 地址",
                                         U"<https://www.jiguang.cn/license/privacy>",
                                         U"深圳市和讯华谷信息技术有限公司"}));
  EXPECT_EQ(CellTexts(t, rows[2]),
            (std::vector<std::u32string>{U"2", U"穿山甲", U"硬件型号、IP地址、\n软件版本号",
                                         U"<https://partner.oceanengine.com/privacy>",
                                         U"湖北今日头条科技有限公司"}));
  EXPECT_EQ(CellTexts(t, rows[3])[4], U"浙江每日互动网络科技股份有限公司");
  EXPECT_EQ(CellTexts(t, rows[4])[1], U"友盟");
  EXPECT_LT(rows[4].range.end, t.find(U"正文继续")) << "the prose line is not part of the table";
}

// The layout of CA4P-483 0544 and 0786: one cell per line, a "|" line between cells, rows apart
// by blank lines; a cell may run over several lines.
TEST(TextTablesTest, CellPerLineTables) {
  const std::u32string t =
      U"仅为实现本政策中声明的目的，某些服务由第三方提供：\n"
      U"SDK名称\n|\n可能收集的个人信息\n|\nSDK所属公司及其隐私政策链接  \n  \n"
      U"---|---|---  \n  \n"
      U"友盟消息推送SDK\n|\nIMEI、MAC地址\n|\n友盟同欣（北京）科技有限公司\n"
      U"[https://www.umeng.com/policy](https://www.umeng.com/policy)\n  \n"
      U"极光推送\n|\n设备标识\n|\n深圳市和讯华谷信息技术有限公司\n  \n"
      U"==========\n三、我们如何共享\n";
  std::vector<TableRow> rows = FindTextTables(t, 0, 100);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(CellTexts(t, rows[0]), (std::vector<std::u32string>{U"SDK名称", U"可能收集的个人信息",
                                                                U"SDK所属公司及其隐私政策链接"}));
  EXPECT_EQ(CellTexts(t, rows[1]),
            (std::vector<std::u32string>{
                U"友盟消息推送SDK", U"IMEI、MAC地址",
                U"友盟同欣（北京）科技有限公司\n"
                U"[https://www.umeng.com/policy](https://www.umeng.com/policy)"}));
  EXPECT_EQ(CellTexts(t, rows[2])[0], U"极光推送");
  EXPECT_EQ(rows[2].row, 2u);
  // Without the delimiter line it is no table.
  EXPECT_TRUE(FindTextTables(U"甲\n|\n乙\n\n丙\n|\n丁\n", 0, 100).empty());
}

TEST(TextTablesTest, TabTablesNeedTwoFullLines) {
  const std::u32string t =
      U"名称\t目的\t信息\n微信\t登录\t设备标识\n支付宝\t支付\t设备标识\n\n"
      U"第一条\t总则\n\t缩进的正文\n";
  std::vector<TableRow> rows = FindTextTables(t, 0, 100);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(CellTexts(t, rows[2]), (std::vector<std::u32string>{U"支付宝", U"支付", U"设备标识"}));
}

TEST(TextTablesTest, ProseWithPipesIsNoTable) {
  // One pipe line without a delimiter line, two-cell lines, a 20-cell decoration line.
  const std::u32string t =
      U"菜单路径：我的 | 设置 | 隐私\n下一行正文\n"
      U"甲 | 乙\n丙 | 丁\n"
      U"|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|\n|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|\n";
  EXPECT_TRUE(FindTextTables(t, 0, 100).empty());
  EXPECT_TRUE(FindTextTables(U"没有任何表格的正文。", 0, 100).empty());
}

// Hostile layouts: a long run of cell lines and "|" lines with no delimiter, and a long run of
// pipe lines with none, are no table, and each line is looked at a bounded number of times
// (quadratic work here would outlast the test's time limit).
TEST(TextTablesTest, LongRunsWithoutDelimiterAreNoTable) {
  std::u32string cells, pipes;
  for (int i = 0; i < 200'000; ++i) {
    cells += U"甲\n|\n";
    pipes += U"甲 | 乙\n";
  }
  EXPECT_TRUE(FindTextTables(cells, 0, 100).empty());
  EXPECT_TRUE(FindTextTables(pipes, 0, 100).empty());
}

TEST(TextTablesTest, RowsAreBounded) {
  std::u32string t = U"名称 | 目的\n---|---\n";
  for (int i = 0; i < 1000; ++i) t += U"甲 | 乙\n";
  EXPECT_EQ(FindTextTables(t, 0, 50).size(), 50u);
  EXPECT_EQ(FindTextTables(t, 0, 5000).size(), 1001u);
}

}  // namespace
}  // namespace piaudit::policy
