// libpiaudit_pdf.so: PDF text through poppler-cpp, behind a C interface (see pdf_plugin.h).
#include "policy/pdf_plugin.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "policy/pdf_tables.h"

namespace {

void AppendUtf8(const poppler::ustring& u, std::string* out) {
  poppler::byte_array utf8 = u.to_utf8();
  out->append(utf8.data(), utf8.size());
}

// The page's text in poppler's layout, except its tables (policy/pdf_tables.h), which are written
// as Markdown pipe tables where they stand: the text above a table, the table, the text between
// it and the next, and so on.
void AppendPageText(const poppler::page& page, std::string* out) {
  // A page of a policy has at most a few tables and a few thousand words; a hostile page may draw
  // thousands of tables or millions of words, whose page is then read as poppler lays it out.
  constexpr size_t kMaxTablesPerPage = 16;
  constexpr size_t kMaxBoxesPerPage = 50'000;
  std::vector<poppler::text_box> words = page.text_list(poppler::page::text_list_include_font);
  if (words.size() > kMaxBoxesPerPage) {
    AppendUtf8(page.text(), out);
    return;
  }
  std::vector<piaudit::policy::PdfTextBox> boxes;
  boxes.reserve(words.size());
  for (const poppler::text_box& b : words) {
    const poppler::rectf r = b.bbox();
    poppler::byte_array utf8 = b.text().to_utf8();
    boxes.push_back({std::string(utf8.data(), utf8.size()), r.left(), r.top(), r.right(),
                     r.bottom(), b.has_font_info() ? b.get_font_size() : 0, b.has_space_after()});
  }
  const std::vector<piaudit::policy::PdfTable> tables =
      piaudit::policy::FindPdfTables(boxes, kMaxTablesPerPage);
  if (tables.empty()) {
    AppendUtf8(page.text(), out);
    return;
  }
  const poppler::rectf page_rect = page.page_rect();
  double y = page_rect.top();
  auto band = [&](double from, double to) {
    if (to <= from) return;
    AppendUtf8(page.text(poppler::rectf(page_rect.left(), from, page_rect.width(), to - from)),
               out);
    if (!out->empty() && out->back() != '\n') out->push_back('\n');
  };
  for (const piaudit::policy::PdfTable& t : tables) {
    band(y, t.top);
    out->append(t.markdown);
    y = t.bottom;
  }
  band(y, page_rect.bottom());
}

}  // namespace

extern "C" int piaudit_pdf_extract_text(const char* data, int size, int max_pages, size_t max_bytes,
                                        int flags, char** out, size_t* out_len) {
  *out = nullptr;
  *out_len = 0;
  // poppler reports syntax problems on stderr by default; the caller reports a failure instead.
  poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(data, size));
  if (!doc) return kPiauditPdfCannotOpen;
  if (doc->is_locked()) return kPiauditPdfLocked;
  std::string text;
  int pages = doc->pages() < max_pages ? doc->pages() : max_pages;
  for (int i = 0; i < pages && text.size() < max_bytes; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) continue;
    if ((flags & kPiauditPdfTables) != 0)
      AppendPageText(*page, &text);
    else
      AppendUtf8(page->text(), &text);
    text.push_back('\f');
  }
  char* buf = static_cast<char*>(std::malloc(text.size() + 1));
  if (buf == nullptr) return kPiauditPdfCannotOpen;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  *out = buf;
  *out_len = text.size();
  return kPiauditPdfOk;
}

extern "C" void piaudit_pdf_free(char* p) { std::free(p); }
