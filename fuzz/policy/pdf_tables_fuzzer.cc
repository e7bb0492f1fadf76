// libFuzzer target: tables from a PDF page's text boxes (policy/pdf_tables.h), the boxes read from
// the input (positions, sizes and texts chosen by its bytes, so hostile geometry is reached:
// zero, negative and huge extents, overlaps, NaN). Checks, besides "no crash": the bound on the
// tables, each table's extent ordered (top above bottom), and its Markdown well formed: a header, a
// delimiter line, every row with the header's number of cells.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "policy/pdf_tables.h"

using piaudit::policy::FindPdfTables;
using piaudit::policy::PdfTable;
using piaudit::policy::PdfTextBox;

namespace {

size_t CountSeparators(const std::string& line) {
  size_t n = 0;
  for (size_t at = line.find(" | "); at != std::string::npos; at = line.find(" | ", at + 3)) ++n;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* const kTexts[] = {
      "SDK名称", "使用目的", "友盟SDK", "统计", "https://x.cn/p", "设备信息、",
      "IP",      "|",        "",        "a b",  "极光推送",       "名称"};
  constexpr size_t kBoxBytes = 9;
  std::vector<PdfTextBox> boxes;
  for (size_t at = 0; at + kBoxBytes <= size && boxes.size() < 2000; at += kBoxBytes) {
    const uint8_t* b = data + at;
    PdfTextBox box;
    box.text = kTexts[b[0] % (sizeof(kTexts) / sizeof(kTexts[0]))];
    box.x0 = b[1] * 3.0;
    box.y0 = b[2] * 3.0;
    box.x1 = box.x0 + (b[3] - 16) * 2.0;
    box.y1 = box.y0 + (b[4] - 8) * 2.0;
    box.font_size = b[5] / 4.0;
    box.space_after = (b[6] & 1) != 0;
    if (b[7] == 0xFF) box.x1 = NAN;
    if (b[8] == 0xFF) box.y0 = -INFINITY;
    boxes.push_back(box);
  }
  constexpr size_t kMaxTables = 4;
  const std::vector<PdfTable> tables = FindPdfTables(boxes, kMaxTables);
  if (tables.size() > kMaxTables) std::abort();
  for (const PdfTable& t : tables) {
    if (!(t.top <= t.bottom)) std::abort();
    std::vector<std::string> lines;
    for (size_t s = 0, e; s < t.markdown.size(); s = e + 1) {
      e = t.markdown.find('\n', s);
      if (e == std::string::npos) std::abort();  // every line ends with a line break
      lines.push_back(t.markdown.substr(s, e - s));
    }
    if (lines.size() < 3) std::abort();  // header, delimiter, a row
    const size_t separators = CountSeparators(lines[0]);
    if (lines[1].find_first_not_of("-|") != std::string::npos) std::abort();
    for (size_t i = 2; i < lines.size(); ++i)
      if (CountSeparators(lines[i]) != separators) std::abort();
  }
  return 0;
}
