// HTML and PDF text extraction; see document_text.h for the rules and the depth guard.
#include "policy/document_text.h"

#include <dlfcn.h>
#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "base/plugin.h"
#include "policy/pdf_plugin.h"
#include "policy/text_decoder.h"

namespace piaudit::policy {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// Elements that are usually left open or are void: they do not add nesting in the estimate.
bool IsNonNesting(std::string_view tag) {
  static constexpr const char* kTags[] = {
      "p",      "li",    "td",   "tr",    "th",    "option", "dt",       "dd",      "br",
      "img",    "meta",  "link", "input", "hr",    "area",   "base",     "col",     "embed",
      "source", "track", "wbr",  "param", "tbody", "thead",  "!doctype", "colgroup"};
  for (const char* t : kTags)
    if (IEquals(tag, t)) return true;
  return false;
}

// Upper bound on the element nesting gumbo would build: opens minus closes of nesting tags.
uint32_t EstimateDepth(std::string_view h, uint32_t stop_at) {
  int64_t depth = 0, max_depth = 0;
  size_t i = 0;
  while ((i = h.find('<', i)) != std::string_view::npos) {
    ++i;
    if (i >= h.size()) break;
    bool close = h[i] == '/';
    if (close) ++i;
    size_t s = i;
    while (i < h.size() && (std::isalnum(static_cast<unsigned char>(h[i])) || h[i] == '!')) ++i;
    if (i == s) continue;
    std::string_view tag = h.substr(s, i - s);
    if (IsNonNesting(tag)) continue;
    size_t gt = h.find('>', i);
    bool self_close = gt != std::string_view::npos && gt > 0 && h[gt - 1] == '/';
    if (close) {
      depth = std::max<int64_t>(0, depth - 1);
    } else if (!self_close) {
      ++depth;
      max_depth = std::max(max_depth, depth);
      if (max_depth > stop_at) return static_cast<uint32_t>(max_depth);
    }
  }
  return static_cast<uint32_t>(max_depth);
}

bool IsBlock(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_FIGURE:
      return true;
    default:
      return false;
  }
}

bool IsSkipped(GumboTag t) {
  return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT ||
         t == GUMBO_TAG_TEMPLATE || t == GUMBO_TAG_HEAD || t == GUMBO_TAG_TITLE ||
         t == GUMBO_TAG_IFRAME || t == GUMBO_TAG_OBJECT || t == GUMBO_TAG_SVG;
}

// Appends text while tracking the code-point length, collapsing whitespace like a browser.
class TextBuilder {
 public:
  uint32_t cp() const { return cp_; }
  std::string& text() { return text_; }
  void AppendCollapsed(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
      unsigned char c = s[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        pending_space_ = true;
        continue;
      }
      // U+00A0 / U+3000 are kept: they are text, not markup whitespace.
      if (pending_space_ && !AtLineStart()) Put(' ');
      pending_space_ = false;
      text_.push_back(static_cast<char>(c));
      if ((c & 0xC0) != 0x80) ++cp_;
    }
  }
  void Newline() {
    pending_space_ = false;
    TrimTrailingSpace();
    if (!text_.empty() && text_.back() != '\n') Put('\n');
  }
  void Tab() {
    pending_space_ = false;
    TrimTrailingSpace();
    Put('\t');
  }

 private:
  bool AtLineStart() const { return text_.empty() || text_.back() == '\n' || text_.back() == '\t'; }
  void TrimTrailingSpace() {
    while (!text_.empty() && text_.back() == ' ') {
      text_.pop_back();
      --cp_;
    }
  }
  void Put(char c) {
    text_.push_back(c);
    ++cp_;
  }
  std::string text_;
  uint32_t cp_ = 0;
  bool pending_space_ = false;
};

// The fallback for documents nested beyond the limit: drop tags, keep text, break lines at block
// tags, skip script/style bodies. Linear, no tree.
ExtractedDocument StripTags(std::string_view h) {
  TextBuilder b;
  size_t i = 0;
  while (i < h.size()) {
    size_t lt = h.find('<', i);
    std::string_view chunk = h.substr(i, (lt == std::string_view::npos ? h.size() : lt) - i);
    b.AppendCollapsed(chunk);
    if (lt == std::string_view::npos) break;
    size_t gt = h.find('>', lt);
    if (gt == std::string_view::npos) break;
    size_t s = lt + 1 + (lt + 1 < h.size() && h[lt + 1] == '/');
    size_t e = s;
    while (e < gt && std::isalnum(static_cast<unsigned char>(h[e]))) ++e;
    std::string_view tag = h.substr(s, e - s);
    i = gt + 1;
    if ((IEquals(tag, "script") || IEquals(tag, "style")) && h[lt + 1] != '/') {
      std::string close = "</" + std::string(tag);
      size_t j = i;
      size_t found = std::string_view::npos;
      while ((j = h.find("</", j)) != std::string_view::npos) {
        if (IEquals(h.substr(j, close.size()), close)) {
          found = j;
          break;
        }
        j += 2;
      }
      if (found == std::string_view::npos) break;
      i = found;
      continue;
    }
    static constexpr const char* kBlocks[] = {"p",  "div",   "br",      "li", "tr",
                                              "h1", "h2",    "h3",      "h4", "h5",
                                              "h6", "table", "section", "ul", "ol"};
    for (const char* t : kBlocks)
      if (IEquals(tag, t)) {
        b.Newline();
        break;
      }
    if (IEquals(tag, "td") || IEquals(tag, "th")) b.Tab();
  }
  ExtractedDocument out;
  out.text = std::move(b.text());
  out.html_fallback = true;
  return out;
}

}  // namespace

bool LooksLikeHtml(std::string_view s) {
  std::string_view head = s.substr(0, std::min<size_t>(s.size(), 4096));
  static constexpr const char* kMarks[] = {"<html", "<!doctype", "<body", "<div", "<p>",  "<p ",
                                           "<head", "<table",    "<meta", "<h1",  "<span"};
  std::string lower(head);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* m : kMarks)
    if (lower.find(m) != std::string::npos) return true;
  return false;
}

bool LooksLikePdf(ByteSpan raw) {
  std::string_view s = raw.AsStringView().substr(0, std::min<size_t>(raw.size(), 1024));
  return s.find("%PDF-") != std::string_view::npos;
}

ExtractedDocument ExtractHtmlText(std::string_view html, const Limits& limits,
                                  const StopCondition* stop) {
  if (EstimateDepth(html, limits.max_html_depth) > limits.max_html_depth) return StripTags(html);
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 1000;  // we never read the errors; stop collecting them early
  std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> output(
      gumbo_parse_with_options(&options, html.data(), html.size()),
      [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  ExtractedDocument out;
  TextBuilder b;
  // Explicit stack of (node, phase): phase 0 = enter, 1 = leave.
  struct Frame {
    const GumboNode* node;
    bool leave;
    uint32_t depth;
  };
  std::vector<Frame> stack;
  stack.push_back({output->root, false, 0});
  uint32_t table_index = 0;
  std::vector<uint32_t> table_stack;  // indexes of open tables
  std::vector<uint32_t> row_in_table;
  struct OpenRow {
    uint32_t start;
    std::vector<TextRange> cells;
  };
  std::vector<OpenRow> rows;  // innermost open row last
  std::vector<uint32_t> cell_starts;
  std::vector<uint32_t> heading_starts;
  for (uint64_t visited = 0; !stack.empty(); ++visited) {
    if (visited % 4096 == 0 && ShouldStop(stop)) break;  // the caller discards the text
    Frame f = stack.back();
    stack.pop_back();
    const GumboNode* n = f.node;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
      b.AppendCollapsed(n->v.text.text);
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT &&
        n->type != GUMBO_NODE_TEMPLATE)
      continue;
    GumboTag tag = n->type == GUMBO_NODE_DOCUMENT ? GUMBO_TAG_UNKNOWN : n->v.element.tag;
    if (!f.leave) {
      if (IsSkipped(tag)) continue;
      if (IsBlock(tag)) b.Newline();
      if (tag == GUMBO_TAG_TABLE) {
        table_stack.push_back(table_index++);
        row_in_table.push_back(0);
      } else if (tag == GUMBO_TAG_TR && !table_stack.empty()) {
        rows.push_back({b.cp(), {}});
      } else if ((tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && !rows.empty()) {
        if (!rows.back().cells.empty()) b.Tab();
        cell_starts.push_back(b.cp());
      } else if (tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6) {
        heading_starts.push_back(b.cp());
      }
      stack.push_back({n, true, f.depth});
      const GumboVector& children =
          n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
      // Beyond the depth limit children are still visited (text is kept) but nothing deeper is
      // pushed; the estimate above makes this rare.
      if (f.depth >= limits.max_html_depth) continue;
      for (unsigned i = children.length; i > 0; --i)
        stack.push_back({static_cast<const GumboNode*>(children.data[i - 1]), false, f.depth + 1});
    } else {
      if (tag == GUMBO_TAG_TABLE && !table_stack.empty()) {
        table_stack.pop_back();
        row_in_table.pop_back();
      } else if (tag == GUMBO_TAG_TR && !rows.empty() && !table_stack.empty()) {
        OpenRow r = std::move(rows.back());
        rows.pop_back();
        if (!r.cells.empty()) {
          TableRow tr;
          tr.range = {r.start, b.cp()};
          tr.table = table_stack.back();
          tr.row = row_in_table.back()++;
          tr.cells = std::move(r.cells);
          out.table_rows.push_back(std::move(tr));
        }
      } else if ((tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && !cell_starts.empty()) {
        uint32_t s = cell_starts.back();
        cell_starts.pop_back();
        if (!rows.empty()) rows.back().cells.push_back({s, b.cp()});
      } else if (tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6 && !heading_starts.empty()) {
        uint32_t s = heading_starts.back();
        heading_starts.pop_back();
        if (b.cp() > s) out.headings.push_back({{s, b.cp()}, tag <= GUMBO_TAG_H2 ? 1 : 2});
      }
      if (IsBlock(tag)) b.Newline();
    }
  }
  out.text = std::move(b.text());
  std::sort(out.table_rows.begin(), out.table_rows.end(),
            [](const TableRow& a, const TableRow& c) { return a.range.start < c.range.start; });
  return out;
}

namespace {

// The PDF plugin's entry points, loaded once (see pdf_plugin.h for why it is a plugin). Looked for
// as base/plugin.h says, with $PIAUDIT_PDF_PLUGIN.
struct PdfPlugin {
  decltype(&piaudit_pdf_extract_text) extract = nullptr;
  decltype(&piaudit_pdf_free) free = nullptr;
  std::string error;
};

const PdfPlugin& LoadPdfPlugin() {
  static const PdfPlugin plugin = [] {
    PdfPlugin p;
#ifdef PIAUDIT_PDF_PLUGIN_PATH
    const char* build_path = PIAUDIT_PDF_PLUGIN_PATH;
#else
    const char* build_path = nullptr;
#endif
    auto lib = OpenPlugin("libpiaudit_pdf.so", "PIAUDIT_PDF_PLUGIN", build_path);
    if (!lib.ok()) {
      p.error = std::string(lib.status().message());
      return p;
    }
    p.extract = reinterpret_cast<decltype(p.extract)>(dlsym(*lib, "piaudit_pdf_extract_text"));
    p.free = reinterpret_cast<decltype(p.free)>(dlsym(*lib, "piaudit_pdf_free"));
    if (p.extract == nullptr || p.free == nullptr) {
      p.extract = nullptr;
      p.error = "libpiaudit_pdf.so lacks the piaudit_pdf_* entry points";
    }
    return p;
  }();
  return plugin;
}

}  // namespace

namespace {

Result<std::string> ExtractPdf(ByteSpan pdf, int max_pages, uint64_t max_text_bytes, int flags) {
  if (pdf.size() > static_cast<size_t>(INT32_MAX)) return LimitExceeded("PDF over 2 GiB");
  const PdfPlugin& plugin = LoadPdfPlugin();
  if (plugin.extract == nullptr) {
    return Unsupported("PDF support unavailable: " + plugin.error).AtOffset("pdf", 0);
  }
  char* raw = nullptr;
  size_t raw_len = 0;
  int rc = plugin.extract(reinterpret_cast<const char*>(pdf.data()), static_cast<int>(pdf.size()),
                          max_pages, max_text_bytes, flags, &raw, &raw_len);
  if (rc == kPiauditPdfLocked) return Unsupported("encrypted PDF").AtOffset("pdf", 0);
  if (rc != kPiauditPdfOk) return InvalidInput("poppler cannot open the PDF").AtOffset("pdf", 0);
  std::unique_ptr<char, decltype(plugin.free)> owned(raw, plugin.free);
  std::string sanitized;
  SanitizeUtf8(std::string_view(raw, raw_len), &sanitized);
  return sanitized;
}

}  // namespace

Result<std::string> ExtractPdfPages(ByteSpan pdf, int max_pages, uint64_t max_text_bytes) {
  return ExtractPdf(pdf, max_pages, max_text_bytes, 0);
}

Result<ExtractedDocument> ExtractPdfText(ByteSpan pdf, const Limits& limits) {
  // Pages bounded by Limits::max_pdf_pages; the text is bounded like decoded text.
  const int max_pages = static_cast<int>(std::min<uint32_t>(limits.max_pdf_pages, INT32_MAX));
  Result<std::string> pages =
      ExtractPdf(pdf, max_pages, limits.max_policy_bytes * 4, kPiauditPdfTables);
  if (!pages.ok()) return pages.status();
  ExtractedDocument out;
  out.text = std::move(*pages);
  for (char& c : out.text)
    if (c == '\f') c = '\n';
  if (!out.text.empty() && out.text.back() != '\n') out.text.push_back('\n');
  return out;
}

}  // namespace piaudit::policy
