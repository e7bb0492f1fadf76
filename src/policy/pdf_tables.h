// Tables on a PDF page, from where poppler puts its words. A PDF has no cells, only text boxes at
// positions, and poppler's text of a table interleaves the lines of wrapped cells, so the SDK list
// of a PDF policy cannot be read from its text. Here the boxes of a page are grouped into lines
// (by vertical centre), the lines into segments (split at gaps wider than half the font size),
// runs of lines with three or more segments into tables whose columns are the left edges the
// segments share, and the lines of a table into rows at the vertical gaps between rows (wider
// than the gap between the wrapped lines of one cell). Each table is written as a Markdown pipe
// table (header, delimiter, one line per row, a cell's wrapped lines joined), which the
// plain-text table reader (text_tables.h) then reads like any other.
//
// Built into the PDF plugin (pdf_plugin.cc, which has poppler) and into the analyser library for
// its tests; depends on nothing but the standard library.
#ifndef PIAUDIT_POLICY_PDF_TABLES_H_
#define PIAUDIT_POLICY_PDF_TABLES_H_

#include <string>
#include <vector>

namespace piaudit::policy {

struct PdfTextBox {
  std::string text;                       // UTF-8
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // page coordinates, y downwards
  double font_size = 0;                   // 0 when unknown (the box height is used)
  bool space_after = false;
};

struct PdfTable {
  double top = 0, bottom = 0;  // the table's vertical extent on its page
  std::string markdown;        // "a | b\n---|---\nc | d\n"
};

// The tables among one page's boxes, top to bottom. At most `max_tables`.
std::vector<PdfTable> FindPdfTables(const std::vector<PdfTextBox>& boxes, size_t max_tables);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_PDF_TABLES_H_
