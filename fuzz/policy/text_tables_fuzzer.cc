// libFuzzer target: tables written in plain text (policy/text_tables.h). Checks, besides "no
// crash": every row and cell lies inside the text, cells are in order inside their row's range,
// rows come in text order with their table numbers rising, row 0 of each table first, and the row
// bound holds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "policy/segmenter.h"
#include "policy/text_tables.h"

using piaudit::policy::FindTextTables;
using piaudit::policy::TableRow;
using piaudit::policy::TextRange;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::u32string t =
      piaudit::policy::ToU32(std::string_view(reinterpret_cast<const char*>(data), size));
  constexpr size_t kMaxRows = 64;
  const std::vector<TableRow> rows = FindTextTables(t, 7, kMaxRows);
  if (rows.size() > kMaxRows) std::abort();
  uint32_t table = 7, last_start = 0, next_row = 0;
  bool first = true;
  for (const TableRow& r : rows) {
    if (r.range.start > r.range.end || r.range.end > t.size() || r.cells.empty()) std::abort();
    if (!first && r.range.start < last_start) std::abort();
    if (first || r.table != table) {
      if (!first && r.table != table + 1) std::abort();
      if (r.row != 0) std::abort();
      table = r.table;
      next_row = 0;
    }
    if (r.row != next_row++) std::abort();
    uint32_t at = r.range.start;
    for (const TextRange& c : r.cells) {
      if (c.start > c.end || c.start < at || c.end > r.range.end) std::abort();
      at = c.end;
    }
    last_start = r.range.start;
    first = false;
  }
  return 0;
}
