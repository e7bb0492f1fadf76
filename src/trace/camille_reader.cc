// Camille's report (github.com/zhengmin1989/camille, `camille.py <package> -f report.xlsx`)
// (docs/schemas/trace-ui-formats.md).
//
// Camille's utils.write_xlsx writes one sheet with the columns 隐私政策状态 (consent state the
// tester declared), 时间点 (time), 行为主体 (who: the app or an SDK), 操作行为 (action), 行为描述
// (description), 传入参数 (arguments) and 调用堆栈 (stack). It writes them with xlwt, which makes
// a legacy BIFF .xls whatever the file is called; this reader reads the Office Open XML form
// (the same sheet saved as .xlsx by Excel, WPS or LibreOffice, or written by a fork that uses
// openpyxl) and refuses the BIFF form with a message saying so.
//
// The workbook is opened with piaudit's zip reader; xl/sharedStrings.xml and the first worksheet
// are read with expat (shared, inline and formula strings). Columns are found by their header
// text, else by position. Each data row is one `api` event:
//   api    the hooked Java method when the action or description names one ("a.b.C.m"), else the
//          framework frame on top of the stack; empty when neither does
//   name   操作行为;  text  行为描述;  args  传入参数 as written;  stack  调用堆栈, innermost first
//   t_ms   时间点 read as UTC plus options.clock_offset_ms (Camille prints the device's local
//          time). The issue reports that Camille writes JavaScript's 0-based getMonth(): months are
//          taken as 0-based unless the file shows a month 12 (then they are 1-based); a month 0
//          anywhere confirms 0-based.
// Consent: when the 隐私政策状态 column goes from a "before" value (contains 前) to an "after"
// value (contains 后), one `consent` event (action "accepted", via "camille") is emitted just
// before the first "after" row, at that row's time. Only the first such change counts, and a file
// whose rows are all one state says nothing about when consent happened: no consent event.
#include <expat.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <string>
#include <vector>

#include "base/limits.h"
#include "container/zip_archive.h"
#include "trace/internal/readers.h"
#include "trace/time.h"

namespace piaudit::trace::internal {
namespace {

constexpr std::string_view kZipMagic = "PK\x03\x04";
constexpr std::string_view kOle2Magic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
// Camille has seven columns; a hostile sheet's far columns are ignored, not stored.
constexpr uint32_t kMaxColumns = 64;

enum Column { kState, kTime, kSubject, kAction, kDescription, kArguments, kStack, kColumnCount };
constexpr std::string_view kHeaders[kColumnCount] = {
    "隐私政策状态", "时间点", "行为主体", "操作行为", "行为描述", "传入参数", "调用堆栈"};

struct ParserDeleter {
  void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};

// The SAX plumbing both parts share: no DOCTYPE, a budget for kept text, errors with a position.
class XmlPart {
 public:
  XmlPart(std::string part, uint64_t max_text_bytes)
      : part_(std::move(part)), max_text_bytes_(max_text_bytes) {}
  virtual ~XmlPart() = default;

  Status Parse(std::string_view xml) {
    std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreate("UTF-8"));
    if (!parser) return InternalError("expat could not allocate a parser");
    parser_ = parser.get();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(
        parser_,
        [](void* self, const XML_Char* name, const XML_Char** attrs) {
          static_cast<XmlPart*>(self)->Start(LocalName(name), attrs);
        },
        [](void* self, const XML_Char* name) {
          static_cast<XmlPart*>(self)->End(LocalName(name));
        });
    XML_SetCharacterDataHandler(parser_, [](void* self, const XML_Char* s, int len) {
      static_cast<XmlPart*>(self)->Text(std::string_view(s, static_cast<size_t>(len)));
    });
    XML_SetStartDoctypeDeclHandler(
        parser_, [](void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
          static_cast<XmlPart*>(self)->Fail(InvalidInput("a DOCTYPE (refused: no entities)"));
        });
    XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
    constexpr size_t kSlice = 1u << 20;
    size_t pos = 0;
    do {
      const size_t n = std::min(kSlice, xml.size() - pos);
      const bool last = pos + n == xml.size();
      if (XML_Parse(parser_, xml.data() + pos, static_cast<int>(n), last) != XML_STATUS_OK) {
        if (!error_.ok()) return std::move(error_);
        return Located(InvalidInput(std::string("not well-formed XML: ") +
                                    XML_ErrorString(XML_GetErrorCode(parser_))));
      }
      pos += n;
    } while (pos < xml.size());
    return std::move(error_);
  }

 protected:
  virtual void Start(std::string_view name, const XML_Char** attrs) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(std::string_view s) = 0;

  void Fail(Status s) {
    if (!error_.ok()) return;
    error_ = Located(std::move(s));
    XML_StopParser(parser_, XML_FALSE);
  }
  // Appends to a kept string under the part's budget.
  void Append(std::string_view s, std::string* out) {
    kept_ += s.size();
    if (kept_ > max_text_bytes_) {
      Fail(LimitExceeded("text of " + part_ + " over " + std::to_string(max_text_bytes_) +
                         " bytes"));
      return;
    }
    out->append(s);
  }
  static std::string_view Attr(const XML_Char** attrs, std::string_view key) {
    for (const XML_Char** a = attrs; a[0] != nullptr; a += 2) {
      if (key == a[0]) return a[1];
    }
    return {};
  }

 private:
  // "x:row" -> "row" (strict OOXML files may prefix the namespace).
  static std::string_view LocalName(const XML_Char* name) {
    std::string_view n = name;
    const size_t colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
  }
  Status Located(Status s) const {
    const XML_Index at = XML_GetCurrentByteIndex(parser_);
    return std::move(s).At(part_,
                           "line " + std::to_string(XML_GetCurrentLineNumber(parser_)) +
                               " column " + std::to_string(XML_GetCurrentColumnNumber(parser_) + 1),
                           at < 0 ? 0 : static_cast<uint64_t>(at));
  }

  std::string part_;
  uint64_t max_text_bytes_;
  uint64_t kept_ = 0;
  XML_Parser parser_ = nullptr;
  Status error_;
};

// xl/sharedStrings.xml: <sst><si><t>..</t></si> or <si><r><t>..</t></r>..</si>; phonetic runs
// (<rPh>) are not part of the text.
class SharedStrings : public XmlPart {
 public:
  SharedStrings(uint64_t max_text_bytes, uint64_t max_strings)
      : XmlPart("xl/sharedStrings.xml", max_text_bytes), max_strings_(max_strings) {}
  std::vector<std::string>& strings() { return strings_; }

 protected:
  void Start(std::string_view name, const XML_Char**) override {
    if (name == "si") {
      if (strings_.size() >= max_strings_) {
        Fail(LimitExceeded("more than " + std::to_string(max_strings_) + " shared strings"));
        return;
      }
      strings_.emplace_back();
      in_si_ = true;
    } else if (name == "rPh") {
      ++in_phonetic_;
    } else if (name == "t") {
      in_t_ = true;
    }
  }
  void End(std::string_view name) override {
    if (name == "si") in_si_ = false;
    if (name == "rPh" && in_phonetic_ > 0) --in_phonetic_;
    if (name == "t") in_t_ = false;
  }
  void Text(std::string_view s) override {
    if (in_si_ && in_t_ && in_phonetic_ == 0) Append(s, &strings_.back());
  }

 private:
  uint64_t max_strings_;
  std::vector<std::string> strings_;
  bool in_si_ = false;
  bool in_t_ = false;
  int in_phonetic_ = 0;
};

struct SheetRow {
  uint64_t index = 0;  // 0-based row number of the sheet
  std::vector<std::string> cells;
};

// A worksheet: <sheetData><row r="2"><c r="A2" t="s"><v>3</v></c><c t="inlineStr"><is><t>x</t>
// </is></c>...</row>. Cells become text (shared strings resolved).
class Sheet : public XmlPart {
 public:
  Sheet(std::string part, const std::vector<std::string>& shared, uint64_t max_text_bytes,
        uint64_t max_rows)
      : XmlPart(std::move(part), max_text_bytes), shared_(shared), max_rows_(max_rows) {}
  std::vector<SheetRow>& rows() { return rows_; }

 protected:
  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name == "row") {
      if (rows_.size() >= max_rows_) {
        Fail(LimitExceeded("more than " + std::to_string(max_rows_) + " rows"));
        return;
      }
      uint64_t r = next_row_;
      const std::string_view ref = Attr(attrs, "r");
      if (uint64_t n = 0;
          !ref.empty() &&
          std::from_chars(ref.data(), ref.data() + ref.size(), n).ec == std::errc() && n >= 1) {
        r = n - 1;
      }
      next_row_ = r + 1;
      rows_.push_back({r, {}});
      next_column_ = 0;
      in_row_ = true;
    } else if (name == "c" && in_row_) {
      column_ = next_column_;
      const std::string_view ref = Attr(attrs, "r");
      if (!ref.empty() && ref[0] >= 'A' && ref[0] <= 'Z') {
        uint32_t c = 0;
        for (char ch : ref) {
          if (ch < 'A' || ch > 'Z') break;
          c = std::min<uint32_t>(c * 26 + static_cast<uint32_t>(ch - 'A' + 1), 1u << 20);
        }
        column_ = c - 1;
      }
      next_column_ = column_ + 1;
      type_ = Attr(attrs, "t");
      value_.clear();
      in_cell_ = true;
    } else if (in_cell_ && (name == "v" || name == "t")) {
      in_value_ = true;
    } else if (in_cell_ && name == "rPh") {
      ++in_phonetic_;
    }
  }
  void End(std::string_view name) override {
    if (name == "v" || name == "t") {
      in_value_ = false;
    } else if (name == "rPh" && in_phonetic_ > 0) {
      --in_phonetic_;
    } else if (name == "c" && in_cell_) {
      in_cell_ = false;
      if (column_ >= kMaxColumns) return;
      std::string text;
      if (type_ == "s") {
        uint64_t i = 0;
        if (std::from_chars(value_.data(), value_.data() + value_.size(), i).ec == std::errc() &&
            i < shared_.size()) {
          text = shared_[i];
        }
      } else {
        text = std::move(value_);
      }
      std::vector<std::string>& cells = rows_.back().cells;
      if (cells.size() <= column_) cells.resize(column_ + 1);
      cells[column_] = std::move(text);
    } else if (name == "row") {
      in_row_ = false;
    }
  }
  void Text(std::string_view s) override {
    if (in_cell_ && in_value_ && in_phonetic_ == 0) Append(s, &value_);
  }

 private:
  const std::vector<std::string>& shared_;
  uint64_t max_rows_;
  std::vector<SheetRow> rows_;
  uint64_t next_row_ = 0;
  uint32_t next_column_ = 0;
  uint32_t column_ = 0;
  std::string type_;
  std::string value_;
  bool in_row_ = false;
  bool in_cell_ = false;
  bool in_value_ = false;
  int in_phonetic_ = 0;
};

// "2026-11-6 16:1:2" style times (1-2 digit fields, '-' or '/' between date parts, optional
// ".mmm"); month as written (the caller corrects a 0-based month).
struct CamilleTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<CamilleTime> ParseCamilleTime(std::string_view s) {
  int v[7] = {0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  int field = 0;
  while (i < s.size() && (s[i] == ' ')) ++i;
  for (; field < 7 && i < s.size(); ++field) {
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 4) ++i;
    if (i == start) return std::nullopt;
    std::from_chars(s.data() + start, s.data() + i, v[field]);
    if (i == s.size()) {
      ++field;
      break;
    }
    const char sep = s[i];
    const bool ok = (field < 2 && (sep == '-' || sep == '/')) ||
                    (field == 2 && (sep == ' ' || sep == 'T')) ||
                    (field >= 3 && field < 5 && sep == ':') || (field == 5 && sep == '.');
    if (!ok) {
      ++field;
      if (!Trim(s.substr(i)).empty()) return std::nullopt;  // text after the time
      break;
    }
    ++i;
  }
  if (field < 6) return std::nullopt;
  CamilleTime t{v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
  if (t.year < 1970 || t.month > 12 || t.day < 1 || t.day > 31 || t.hour > 23 || t.minute > 59 ||
      t.second > 60 || t.millis > 999) {
    return std::nullopt;
  }
  return t;
}

bool IsJavaName(std::string_view s) {
  if (s.empty() || s.size() > 1024) return false;
  int dots = 0;
  for (char c : s) {
    if (c == '.') {
      ++dots;
    } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '$')) {
      return false;
    }
  }
  return dots >= 2 && s.front() != '.' && s.back() != '.' && s.find("..") == std::string_view::npos;
}

// The hooked method the row names: a Java name in the action or description (possibly followed by
// "(...)"), else the top stack frame when it is framework code (the hook sits on it).
std::string_view HookedMethod(std::string_view action, std::string_view description,
                              const std::vector<std::string_view>& frames) {
  for (std::string_view s : {action, description}) {
    s = Trim(s);
    s = s.substr(0, s.find('('));
    if (IsJavaName(s)) return s;
  }
  if (!frames.empty()) {
    std::string_view top = frames.front().substr(0, frames.front().find('('));
    for (std::string_view p : {"android.", "java.", "javax.", "com.android.", "dalvik."}) {
      if (top.substr(0, p.size()) == p && IsJavaName(top)) return top;
    }
  }
  return {};
}

}  // namespace

bool LooksLikeCamilleXlsx(std::string_view head) {
  if (head.substr(0, kOle2Magic.size()) == kOle2Magic) return true;  // refused with a reason
  if (head.substr(0, kZipMagic.size()) != kZipMagic) return false;
  return head.find("[Content_Types].xml") != std::string_view::npos ||
         head.find("xl/") != std::string_view::npos;
}

Status ReadCamilleXlsx(std::string_view file, ByteSpan data, const ReadOptions& options,
                       EventSink& sink, ReadStats& stats) {
  const TraceLimits& limits = options.limits;
  const std::string_view bytes = data.AsStringView();
  if (bytes.substr(0, kOle2Magic.size()) == kOle2Magic) {
    return Unsupported(
               "a legacy BIFF .xls workbook (what Camille's xlwt writes, whatever the name): "
               "open it and save it as .xlsx")
        .At(file, "workbook", 0);
  }
  Limits zip_limits;
  // An xlsx of a day of hooks inflates to a few hundred MB at most; the ratio check stays on.
  zip_limits.max_entry_inflated_bytes = 256u << 20;
  zip_limits.max_total_inflated_bytes = 512u << 20;
  ASSIGN_OR_RETURN(container::ZipArchive zip,
                   container::ZipArchive::Open(data, std::string(file), zip_limits, nullptr));
  SharedStrings shared(zip_limits.max_entry_inflated_bytes, limits.max_events);
  if (const container::ZipEntry* e = zip.Find("xl/sharedStrings.xml")) {
    ASSIGN_OR_RETURN(container::EntryData d, zip.Read(*e));
    RETURN_IF_ERROR(std::move(shared.Parse(d.bytes().AsStringView())).InFile(file));
  }
  // The first worksheet: sheet1.xml as every writer names it, else the first by name.
  const container::ZipEntry* sheet_entry = zip.Find("xl/worksheets/sheet1.xml");
  if (!sheet_entry) {
    for (const container::ZipEntry& e : zip.entries()) {
      if (e.name.rfind("xl/worksheets/", 0) == 0 && e.name.size() > 18 &&
          e.name.compare(e.name.size() - 4, 4, ".xml") == 0 &&
          e.name.find('/', 14) == std::string::npos &&
          (!sheet_entry || e.name < sheet_entry->name)) {
        sheet_entry = &e;
      }
    }
  }
  if (!sheet_entry) return InvalidInput("no worksheet (xl/worksheets/*.xml)").InFile(file);
  ASSIGN_OR_RETURN(container::EntryData sheet_bytes, zip.Read(*sheet_entry));
  Sheet sheet(sheet_entry->name, shared.strings(), zip_limits.max_entry_inflated_bytes,
              limits.max_events);
  RETURN_IF_ERROR(std::move(sheet.Parse(sheet_bytes.bytes().AsStringView())).InFile(file));
  std::vector<SheetRow>& rows = sheet.rows();

  // Columns by header text (the first row naming any of them), else Camille's order.
  int column[kColumnCount];
  for (int c = 0; c < kColumnCount; ++c) column[c] = c;
  size_t first_data = 0;
  for (size_t r = 0; r < rows.size() && r < 5; ++r) {
    bool header = false;
    for (int c = 0; c < kColumnCount; ++c) {
      for (size_t k = 0; k < rows[r].cells.size(); ++k) {
        if (Trim(rows[r].cells[k]) == kHeaders[c]) {
          if (!header) {
            for (int& x : column) x = -1;
            header = true;
          }
          column[c] = static_cast<int>(k);
        }
      }
    }
    if (header) {
      first_data = r + 1;
      break;
    }
  }
  auto cell = [&](const SheetRow& row, Column c) -> std::string_view {
    const int k = column[c];
    return k >= 0 && static_cast<size_t>(k) < row.cells.size() ? std::string_view(row.cells[k])
                                                               : std::string_view();
  };

  // Month base for the whole file (see the top of this file).
  bool zero_based = true;
  for (size_t r = first_data; r < rows.size(); ++r) {
    if (auto t = ParseCamilleTime(cell(rows[r], kTime)); t && t->month == 12) zero_based = false;
  }

  std::vector<std::string_view> frames;
  bool seen_before = false;
  bool consent_emitted = false;
  for (size_t r = first_data; r < rows.size(); ++r) {
    const SheetRow& row = rows[r];
    bool empty = true;
    for (const std::string& c : row.cells) empty &= c.empty();
    if (empty) continue;
    for (const std::string& c : row.cells) {
      if (c.size() > limits.max_line_bytes) {
        empty = true;  // reused: the row is skipped
        ++stats.malformed;
        sink.OnMalformed(row.index, "a cell over max_line_bytes");
        break;
      }
    }
    if (empty) continue;
    std::optional<int64_t> t_ms;
    const std::string_view time_text = cell(row, kTime);
    if (auto t = ParseCamilleTime(time_text)) {
      const int month = zero_based ? t->month + 1 : t->month;
      if (month >= 1 && month <= 12) {
        t_ms = DaysFromCivil(t->year, month, t->day) * 86'400'000 +
               ((t->hour * 60 + t->minute) * 60 + t->second) * int64_t{1000} + t->millis +
               options.clock_offset_ms;
      }
    }
    if (!t_ms && !time_text.empty()) {
      ++stats.malformed;
      sink.OnMalformed(row.index, "时间点 '" + std::string(time_text.substr(0, 40)) +
                                      "' is not a time; the row is kept without one");
      if (stats.malformed > limits.max_malformed) {
        return InvalidInput("more than max_malformed bad rows").InFile(file);
      }
    }
    const std::string_view state = cell(row, kState);
    const bool before = state.find("前") != std::string_view::npos;
    const bool after = !before && state.find("后") != std::string_view::npos;
    if (stats.events + 2 > limits.max_events) {
      return LimitExceeded("more than max_events " + std::to_string(limits.max_events) + " events")
          .At(file, "row " + std::to_string(row.index + 1), 0);
    }
    if (before) seen_before = true;
    if (after && seen_before && !consent_emitted) {
      Event c;
      c.type = EventType::kConsent;
      c.type_name = EventTypeName(EventType::kConsent);
      c.entry = row.index;
      c.t_ms = t_ms;
      c.action = "accepted";
      c.via = "camille";
      c.text = state;
      sink.OnEvent(c);
      ++stats.events;
      consent_emitted = true;
    }
    frames.clear();
    std::string_view stack = cell(row, kStack);
    while (!stack.empty() && frames.size() < limits.max_stack_frames) {
      const size_t cut = stack.find('\n');
      std::string_view frame = Trim(stack.substr(0, cut));
      stack = cut == std::string_view::npos ? std::string_view() : stack.substr(cut + 1);
      if (frame.substr(0, 3) == "at ") frame.remove_prefix(3);
      // The first line of Log.getStackTraceString names the throwable, not a frame.
      if (frame.empty() || frame.find('(') == std::string_view::npos) continue;
      frames.push_back(frame);
    }
    Event e;
    e.type = EventType::kApi;
    e.type_name = EventTypeName(EventType::kApi);
    e.entry = row.index;
    e.t_ms = t_ms;
    e.name = cell(row, kAction);
    e.text = cell(row, kDescription);
    e.api = HookedMethod(e.name, e.text, frames);
    e.args = cell(row, kArguments);
    e.stack = frames;
    sink.OnEvent(e);
    ++stats.events;
  }
  return Status::Ok();
}

}  // namespace piaudit::trace::internal
