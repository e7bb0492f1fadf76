#include "policy/text_tables.h"

#include <algorithm>

namespace piaudit::policy {
namespace {

// A wrapped cell spans a few lines; a "row" still short after this many is not one.
constexpr size_t kMaxLinesPerRow = 4;
// A header has at most this many cells (SDK lists have 3-8 columns): a line of 40 separators is
// decoration or ASCII art, not a header.
constexpr size_t kMaxColumns = 16;

// '\n' too: a cell can run over several lines (wrapped, or a table converted cell by cell).
bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == 0x3000 || c == 0xA0 || c == '\r';
}

// A line with what the reader asks of it, found in one pass over the text.
struct Line {
  uint32_t start = 0;  // first code point
  uint32_t end = 0;    // before the line break
  bool pipe = false;   // has '|' or '｜'
  bool tab = false;    // has a tab
  bool blank = false;  // only spaces
  bool lone = false;   // only one pipe, and spaces
};

// The cells of one line split at `sep` (a pipe table: '|' and '｜'; a tab table: '\t'), trimmed.
// `borders`: separators at the ends of the line are borders, not cell boundaries.
std::vector<TextRange> SplitCells(std::u32string_view t, Line line, bool tabs, bool borders) {
  auto is_sep = [tabs](char32_t c) { return tabs ? c == '\t' : (c == '|' || c == U'｜'); };
  uint32_t b = line.start, e = line.end;
  // Spaces and tabs at either end never make a cell (for a tab table they are indentation).
  while (b < e && IsSpace(t[b])) ++b;
  while (e > b && IsSpace(t[e - 1])) --e;
  if (borders) {
    if (b < e && is_sep(t[b])) ++b;
    if (e > b && is_sep(t[e - 1])) --e;
  }
  std::vector<TextRange> cells;
  uint32_t cell = b;
  for (uint32_t i = b; i <= e; ++i) {
    if (i < e && !is_sep(t[i])) continue;
    uint32_t s = cell, f = i;
    while (s < f && IsSpace(t[s])) ++s;
    while (f > s && IsSpace(t[f - 1])) --f;
    cells.push_back({s, f});
    cell = i + 1;
  }
  return cells;
}

bool HasSeparator(const Line& line, bool tabs) { return tabs ? line.tab : line.pipe; }

// A Markdown delimiter line: ---|:---:|--- (at least one '-' in every cell).
bool IsDelimiter(std::u32string_view t, const std::vector<TextRange>& cells) {
  if (cells.size() < 2) return false;
  for (const TextRange& c : cells) {
    bool dash = false;
    for (uint32_t i = c.start; i < c.end; ++i) {
      if (t[i] == '-' || t[i] == U'－' || t[i] == U'—') {
        dash = true;
      } else if (t[i] != ':' && t[i] != U'：' && !IsSpace(t[i])) {
        return false;
      }
    }
    if (!dash) return false;
  }
  return true;
}

size_t NonEmpty(const std::vector<TextRange>& cells) {
  return static_cast<size_t>(std::count_if(cells.begin(), cells.end(),
                                           [](const TextRange& c) { return c.end > c.start; }));
}

// A line of only rule or emphasis marks (==========, ---, ** **): a table never runs through one.
bool IsRule(std::u32string_view t, Line line) {
  bool mark = false;
  for (uint32_t i = line.start; i < line.end; ++i) {
    const char32_t c = t[i];
    if (c == '=' || c == '-' || c == '*' || c == '_')
      mark = true;
    else if (!IsSpace(c))
      return false;
  }
  return mark;
}

class TableReader {
 public:
  TableReader(std::u32string_view t, std::vector<Line> lines, uint32_t first_table, size_t max_rows)
      : t_(t), lines_(std::move(lines)), table_(first_table), max_rows_(max_rows) {}

  std::vector<TableRow> ReadAll() && {
    size_t li = 0;
    while (li + 1 < lines_.size() && rows_.size() < max_rows_) {
      size_t used = ReadCellPerLineTable(li);
      if (used == 0) used = ReadLineTable(li);
      li += std::max<size_t>(used, 1);
    }
    return std::move(rows_);
  }

 private:
  // A table with one row per line (Markdown, tabs); returns the lines it took, 0 when none starts
  // at `li`.
  size_t ReadLineTable(size_t li) {
    const Line head_line = lines_[li];
    const bool tabs = !HasSeparator(head_line, false);
    if (!HasSeparator(head_line, tabs)) return 0;
    size_t first = head_line.start;
    while (first < head_line.end && IsSpace(t_[first])) ++first;
    const bool borders = !tabs && first < head_line.end && (t_[first] == '|' || t_[first] == U'｜');
    const std::vector<TextRange> head = SplitCells(t_, head_line, tabs, borders);
    const std::vector<TextRange> next = SplitCells(t_, lines_[li + 1], tabs, borders);
    const bool delimited = !tabs && IsDelimiter(t_, next);
    const bool repeated = head.size() >= 3 && NonEmpty(head) == head.size() &&
                          next.size() == head.size() && NonEmpty(next) == next.size() &&
                          HasSeparator(lines_[li + 1], tabs);
    if (head.size() < 2 || head.size() > kMaxColumns || NonEmpty(head) < 2 ||
        !(delimited || repeated)) {
      return 0;
    }
    const size_t begin = li;
    uint32_t row_number = 0;
    rows_.push_back({{head.front().start, head.back().end}, table_, row_number++, head});
    li += delimited ? 2 : 1;
    while (li < lines_.size() && rows_.size() < max_rows_) {
      if (lines_[li].blank || !HasSeparator(lines_[li], tabs)) break;
      std::vector<TextRange> cells = SplitCells(t_, lines_[li], tabs, borders);
      size_t used = 1;
      // A wrapped cell: while the row is short, the next lines continue its last cell (their
      // first cell is the rest of it), as long as the row does not get more cells than the
      // header; a full row whose line ended with a separator takes a next line without one as
      // its last cell ("… | <https://…> |⏎湖北今日头条科技有限公司").
      while (used < kMaxLinesPerRow && li + used < lines_.size() && !lines_[li + used].blank) {
        const Line next_line = lines_[li + used];
        std::vector<TextRange> more = SplitCells(t_, next_line, tabs, borders);
        TextRange& last = cells.back();
        const bool last_open = last.end <= last.start;
        if (cells.size() < head.size()) {
          if (cells.size() + more.size() - 1 > head.size()) break;
        } else if (!(last_open && !HasSeparator(next_line, tabs))) {
          break;
        }
        if (last_open)
          last = more.front();
        else if (more.front().end > more.front().start)
          last.end = more.front().end;
        cells.insert(cells.end(), more.begin() + 1, more.end());
        ++used;
      }
      AddRow(std::move(cells), &row_number);
      li += used;
    }
    ++table_;
    return li - begin;
  }

  // A table converted cell by cell: every cell on its own lines, a line holding only a separator
  // between two cells, rows apart by blank lines, and the Markdown delimiter line after the
  // header (CA4P-483 0544, 0786):
  //   SDK名称⏎|⏎使用目的⏎⏎---|---⏎⏎友盟统计SDK⏎|⏎统计分析，⏎页面访问⏎⏎极光推送⏎|⏎推送⏎⏎
  // A row's cells may run over several lines; the table ends at a block without a separator.
  size_t ReadCellPerLineTable(size_t li) {
    if (li + 2 >= lines_.size() || lines_[li].blank || HasSeparator(lines_[li], false) ||
        !lines_[li + 1].lone) {
      return 0;
    }
    // The header: one line per cell. Looked at for one cell more than a header may have, so that
    // a long run of "x⏎|⏎" lines costs the same at each of its lines, not its whole length.
    size_t last = li;
    while (last + 2 < lines_.size() && (last - li) / 2 < kMaxColumns && lines_[last + 1].lone &&
           !lines_[last + 2].blank && !lines_[last + 2].lone)
      last += 2;
    const std::vector<TextRange> head =
        SplitCells(t_, {lines_[li].start, lines_[last].end}, false, false);
    if (head.size() < 2 || head.size() > kMaxColumns || NonEmpty(head) != head.size()) return 0;
    size_t k = SkipBlank(last + 1);
    if (k >= lines_.size() || !IsDelimiter(t_, SplitCells(t_, lines_[k], false, false))) return 0;
    uint32_t row_number = 0;
    rows_.push_back({{head.front().start, head.back().end}, table_, row_number++, head});
    for (k = SkipBlank(k + 1); k < lines_.size() && rows_.size() < max_rows_; k = SkipBlank(k)) {
      // A cell runs over at most kMaxLinesPerRow lines; a rule (==========, ** **) or a blank
      // line ends the row.
      size_t end = k, since_separator = 0;
      bool separated = false;
      while (end < lines_.size() && !lines_[end].blank && !IsRule(t_, lines_[end])) {
        if (HasSeparator(lines_[end], false)) {
          separated = true;
          since_separator = 0;
        } else if (++since_separator > kMaxLinesPerRow) {
          break;
        }
        ++end;
      }
      if (!separated) break;
      AddRow(SplitCells(t_, {lines_[k].start, lines_[end - 1].end}, false, false), &row_number);
      k = end;
    }
    ++table_;
    return k - li;
  }

  size_t SkipBlank(size_t k) const {
    while (k < lines_.size() && lines_[k].blank) ++k;
    return k;
  }

  void AddRow(std::vector<TextRange> cells, uint32_t* row_number) {
    const uint32_t start = cells.front().start, end = cells.back().end;
    if (end > start) rows_.push_back({{start, end}, table_, (*row_number)++, std::move(cells)});
  }

  std::u32string_view t_;
  std::vector<Line> lines_;
  std::vector<TableRow> rows_;
  uint32_t table_;
  size_t max_rows_;
};

}  // namespace

std::vector<TableRow> FindTextTables(std::u32string_view t, uint32_t first_table, size_t max_rows) {
  // One pass over the text (this runs on every plain-text policy): the lines and what the reader
  // asks of them. A text without a separator has no table and is left at once.
  std::vector<Line> lines;
  bool any_separator = false;
  Line line;
  uint32_t pipes = 0;
  bool other = false;  // a character other than spaces and pipes
  for (uint32_t i = 0; i <= t.size(); ++i) {
    if (i == t.size() || t[i] == '\n') {
      line.end = i;
      line.blank = pipes == 0 && !other;
      line.lone = pipes == 1 && !other;
      lines.push_back(line);
      line = Line{i + 1};
      pipes = 0;
      other = false;
      continue;
    }
    const char32_t c = t[i];
    if (c > 0x7F && c != U'｜') {  // most of a Chinese policy: only the wide spaces are no text
      other |= c != 0x3000 && c != 0xA0;
    } else if (c == '|' || c == U'｜') {
      line.pipe = true;
      any_separator = true;
      ++pipes;
    } else if (c == '\t') {
      line.tab = true;
      any_separator = true;
    } else if (!IsSpace(c)) {
      other = true;
    }
  }
  if (!any_separator) return {};
  return TableReader(t, std::move(lines), first_table, max_rows).ReadAll();
}

}  // namespace piaudit::policy
