#include "policy/pdf_tables.h"

#include <algorithm>
#include <cmath>

namespace piaudit::policy {
namespace {

// Fractions of the font size. Two boxes on one line closer than kSegmentGap are one cell's text
// (a word space is about a quarter of the size; a column gutter, cell padding on both sides, more
// than half). Two lines of a table further apart than kRowGap are two rows: the lines of a wrapped
// cell are one line height apart (their glyphs 0.2-0.5 of the size apart), rows add their padding
// and border to that.
constexpr double kLineTolerance = 0.35;
constexpr double kSegmentGap = 0.5;
constexpr double kRowGap = 0.6;
constexpr double kColumnTolerance = 0.6;
// A table has at least this many lines of at least this many cells, in one run.
constexpr size_t kMinTableLines = 3;
constexpr size_t kMinColumns = 3;
// Lines of fewer cells (a wrapped cell's lines) a table may hold between two of its full lines.
constexpr size_t kMaxLinesBetween = 3;

struct Segment {
  double x0 = 0, x1 = 0;
  std::string text;
};

struct Line {
  double cy = 0, top = 0, bottom = 0, fs = 0, y0 = 0, y1 = 0;
  std::vector<Segment> segments;
};

// The size the box's text is set in. Not the font size poppler reports, nor the box height: for
// the CID fonts of Chinese PDFs both are often a multiple of it (Chromium's prints: size 24 and
// height 31 for 12 pt text). A Chinese character is one em wide and most others about half of
// one, so the width over that many ems bounds it; the reported size and the height bound it too.
double FontSize(const PdfTextBox& b) {
  double ems = 0;
  for (size_t i = 0; i < b.text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(b.text[i]);
    if ((c & 0xC0) == 0x80) continue;
    // Lead bytes of U+2E80 and above (CJK, full-width forms): E2 BA 80 and up.
    const bool wide = c >= 0xE3 || (c == 0xE2 && i + 1 < b.text.size() &&
                                    static_cast<unsigned char>(b.text[i + 1]) >= 0xBA);
    ems += wide ? 1.0 : 0.5;
  }
  double size = std::max(1.0, b.y1 - b.y0);
  if (b.font_size > 0) size = std::min(size, b.font_size);
  if (ems > 0 && b.x1 > b.x0) size = std::min(size, (b.x1 - b.x0) / ems);
  return std::max(1.0, size);
}

bool IsAsciiWordByte(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Joins two pieces of one cell: a space only between two Latin words.
void AppendPiece(std::string* out, const std::string& piece, bool space) {
  if (piece.empty()) return;
  if (!out->empty() && (space || (IsAsciiWordByte(out->back()) && IsAsciiWordByte(piece.front()))))
    out->push_back(' ');
  out->append(piece);
}

std::vector<Line> Lines(const std::vector<PdfTextBox>& boxes) {
  std::vector<const PdfTextBox*> order;
  for (const PdfTextBox& b : boxes)
    if (!b.text.empty() && b.x1 >= b.x0 && b.y1 >= b.y0 && std::isfinite(b.x0) &&
        std::isfinite(b.y0) && std::isfinite(b.x1) && std::isfinite(b.y1))
      order.push_back(&b);
  auto cy = [](const PdfTextBox* b) { return (b->y0 + b->y1) / 2; };
  std::stable_sort(order.begin(), order.end(),
                   [&](const PdfTextBox* a, const PdfTextBox* b) { return cy(a) < cy(b); });
  std::vector<Line> lines;
  std::vector<std::vector<const PdfTextBox*>> members;
  for (const PdfTextBox* b : order) {
    const double fs = FontSize(*b);
    if (lines.empty() || cy(b) - lines.back().cy > kLineTolerance * std::min(fs, lines.back().fs)) {
      lines.push_back({cy(b), 0, 0, fs, b->y0, b->y1, {}});
      members.emplace_back();
    }
    Line& l = lines.back();
    l.fs = std::max(l.fs, fs);
    l.y0 = std::min(l.y0, b->y0);
    l.y1 = std::max(l.y1, b->y1);
    members.back().push_back(b);
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    Line& l = lines[i];
    std::vector<const PdfTextBox*>& m = members[i];
    std::stable_sort(m.begin(), m.end(),
                     [](const PdfTextBox* a, const PdfTextBox* b) { return a->x0 < b->x0; });
    double cy_sum = 0;
    bool space = false;
    for (const PdfTextBox* b : m) {
      cy_sum += cy(b);
      if (l.segments.empty() || b->x0 - l.segments.back().x1 >= kSegmentGap * l.fs) {
        l.segments.push_back({b->x0, b->x1, {}});
        space = false;
      }
      Segment& s = l.segments.back();
      AppendPiece(&s.text, b->text, space);
      s.x1 = std::max(s.x1, b->x1);
      space = b->space_after;
    }
    l.cy = cy_sum / static_cast<double>(m.size());
    l.top = l.cy - l.fs / 2;
    l.bottom = l.cy + l.fs / 2;
  }
  return lines;
}

// The left edges shared by the segments of the lines of two or more cells: clusters of x0 within
// the tolerance, kept when at least two lines have a segment there.
std::vector<double> Columns(const std::vector<Line>& lines, size_t first, size_t last) {
  std::vector<double> starts;
  double fs = 0;
  for (size_t i = first; i <= last; ++i) {
    if (lines[i].segments.size() < 2) continue;
    fs = std::max(fs, lines[i].fs);
    for (const Segment& s : lines[i].segments) starts.push_back(s.x0);
  }
  std::sort(starts.begin(), starts.end());
  std::vector<double> columns;
  for (size_t i = 0; i < starts.size();) {
    size_t j = i + 1;
    while (j < starts.size() && starts[j] - starts[j - 1] <= kColumnTolerance * fs) ++j;
    if (j - i >= 2) columns.push_back(starts[i]);
    i = j;
  }
  return columns;
}

size_t ColumnOf(const std::vector<double>& columns, double x0, double fs) {
  size_t k = 0;
  while (k + 1 < columns.size() && columns[k + 1] <= x0 + kColumnTolerance * fs) ++k;
  return k;
}

std::string Markdown(const std::vector<std::vector<std::string>>& rows, size_t columns) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t k = 0; k < columns; ++k) {
      if (k > 0) out += " | ";
      std::string cell = cells[k];
      std::replace(cell.begin(), cell.end(), '|', '/');  // a cell's own bar is no separator
      out += cell;
    }
    out += '\n';
  };
  line(rows.front());
  for (size_t k = 0; k < columns; ++k) out += k > 0 ? "|---" : "---";
  out += '\n';
  for (size_t r = 1; r < rows.size(); ++r) line(rows[r]);
  return out;
}

}  // namespace

std::vector<PdfTable> FindPdfTables(const std::vector<PdfTextBox>& boxes, size_t max_tables) {
  const std::vector<Line> lines = Lines(boxes);
  std::vector<PdfTable> tables;
  auto full = [&](size_t i) { return lines[i].segments.size() >= kMinColumns; };
  size_t i = 0;
  size_t taken = 0;  // lines before this belong to a table already found
  while (i < lines.size() && tables.size() < max_tables) {
    if (!full(i)) {
      ++i;
      continue;
    }
    // The run of full lines with at most kMaxLinesBetween others between two of them, and no
    // vertical gap of more than two lines.
    size_t last = i, full_lines = 1;
    for (size_t j = i + 1; j < lines.size() && j - last <= kMaxLinesBetween + 1; ++j) {
      if (lines[j].top - lines[j - 1].bottom > 2 * lines[j].fs) break;
      if (full(j)) {
        last = j;
        ++full_lines;
      }
    }
    const std::vector<double> columns = Columns(lines, i, last);
    if (full_lines < kMinTableLines || columns.size() < kMinColumns) {
      i = last + 1;
      continue;
    }
    // Lines just above and below that sit inside the columns (a header cell's other lines, the
    // last row's wrapped cells) belong to the table: every segment within one column, none
    // starting left of the first.
    auto fits = [&](size_t j) {
      const Line& l = lines[j];
      for (const Segment& s : l.segments) {
        if (s.x0 < columns.front() - kColumnTolerance * l.fs) return false;
        const size_t k = ColumnOf(columns, s.x0, l.fs);
        if (k + 1 < columns.size() && s.x1 > columns[k + 1]) return false;
      }
      return true;
    };
    size_t first = i;
    while (first > taken && i - first < kMaxLinesBetween &&
           lines[first].top - lines[first - 1].bottom <= kRowGap * lines[first].fs &&
           fits(first - 1))
      --first;
    while (last + 1 < lines.size() &&
           lines[last + 1].top - lines[last].bottom <= 2 * lines[last].fs && fits(last + 1) &&
           !full(last + 1))
      ++last;
    // Rows: a vertical gap wider than kRowGap between one line and all the lines above it; or,
    // where rows have no padding (Word's tables), a line that starts in the first column and
    // fills more than half the columns while the row already has first-column text (a wrapped
    // cell's lines fill fewer).
    std::vector<std::vector<std::string>> rows;
    double bottom = -1e300;
    for (size_t j = first; j <= last; ++j) {
      const Line& l = lines[j];
      std::vector<bool> filled(columns.size(), false);
      for (const Segment& s : l.segments) filled[ColumnOf(columns, s.x0, l.fs)] = true;
      const size_t cells = static_cast<size_t>(std::count(filled.begin(), filled.end(), true));
      const bool starts_row =
          filled[0] && 2 * cells > columns.size() && !rows.empty() && !rows.back()[0].empty();
      if (rows.empty() || l.top - bottom > kRowGap * l.fs || starts_row)
        rows.emplace_back(columns.size());
      for (const Segment& s : l.segments)
        AppendPiece(&rows.back()[ColumnOf(columns, s.x0, l.fs)], s.text, false);
      bottom = std::max(bottom, l.bottom);
    }
    if (rows.size() >= 2) {
      double top = lines[first].y0, end = lines[first].y1;
      for (size_t j = first; j <= last; ++j) {
        top = std::min(top, lines[j].y0);
        end = std::max(end, lines[j].y1);
      }
      tables.push_back({top, end, Markdown(rows, columns.size())});
      taken = last + 1;
    }
    i = last + 1;
  }
  return tables;
}

}  // namespace piaudit::policy
