// libpiaudit_pdf.so: PDF text through poppler-cpp, behind a C interface (see pdf_plugin.h).
#include "policy/pdf_plugin.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

extern "C" int piaudit_pdf_extract_text(const char* data, int size, int max_pages, size_t max_bytes,
                                        char** out, size_t* out_len) {
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
    poppler::byte_array utf8 = page->text().to_utf8();
    text.append(utf8.data(), utf8.size());
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
