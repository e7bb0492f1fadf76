// Tables written in plain text: the third-party SDK list of a policy published as Markdown or
// copied from a web page is often a pipe table,
//
//   SDK名称 | 使用目的 | 收集的个人信息 | 隐私政策链接
//   ---|---|---|---
//   友盟移动统计 | 统计分析 | 设备信息、位置信息 | https://www.umeng.com/page/policy
//
// or the same rows with tabs between the cells. These become TableRow records as HTML tables do,
// so the analyser reads their columns (name, provider, purpose, data, link) the same way.
//
// A table needs a header line of at least two cells followed by a Markdown delimiter line (only
// '-', ':' and spaces in every cell), or two lines in a row with the same number (at least three)
// of non-empty cells. Its rows are the lines that follow with a separator: ASCII '|' or full-width
// '｜' (tabs for a tab table). A row with fewer cells than the header takes the next lines into
// its last cell until it has them all (a cell the text wrapped: "设备MAC 地址 |⏎<https://…> |
// 公司"), at most kMaxLinesPerRow lines. A blank line, or a line without a separator after a
// complete row, ends the table. When the header starts with a separator (| a | b |), the
// separators at both ends of every row are borders, not cells.
//
// A table converted cell by cell puts every cell on its own lines with a line holding only a
// separator between two cells, rows apart by blank lines, the delimiter line after the header:
// that layout is read too, a row being every line up to the next blank one.
#ifndef PIAUDIT_POLICY_TEXT_TABLES_H_
#define PIAUDIT_POLICY_TEXT_TABLES_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "policy/policy_analysis.h"

namespace piaudit::policy {

// The header (row 0) and the rows of every table in `text`, in text order, code-point offsets;
// cell ranges are trimmed of spaces (the delimiter line is no row). Tables are numbered from
// `first_table`. At most `max_rows` rows in all.
std::vector<TableRow> FindTextTables(std::u32string_view text, uint32_t first_table,
                                     size_t max_rows);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_TEXT_TABLES_H_
