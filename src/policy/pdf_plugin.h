// The C interface of libpiaudit_pdf.so, the plugin that extracts text from PDF policies with
// Debian's poppler. poppler drags in some twenty shared libraries (fonts, images, NSS); linking
// them into piaudit would make every command pay for their relocation at start-up, so the
// analyser loads the plugin with dlopen the first time it meets a PDF (document_text.cc).
#ifndef PIAUDIT_POLICY_PDF_PLUGIN_H_
#define PIAUDIT_POLICY_PDF_PLUGIN_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// Flags of piaudit_pdf_extract_text.
enum {
  kPiauditPdfTables = 1,  // write each page's tables as Markdown pipe tables (pdf_tables.h)
};

enum {
  kPiauditPdfOk = 0,
  kPiauditPdfCannotOpen = 1,  // not a PDF poppler can parse
  kPiauditPdfLocked = 2,      // encrypted
};

// Extracts the text of at most `max_pages` pages as UTF-8, pages separated by '\f', stopping once
// `max_bytes` are produced; with kPiauditPdfTables in `flags`, tables as Markdown pipe tables
// (pdf_tables.h), else as poppler lays them out. On kPiauditPdfOk *out is malloc'd (free it with
// piaudit_pdf_free).
__attribute__((visibility("default"))) int piaudit_pdf_extract_text(const char* data, int size,
                                                                    int max_pages, size_t max_bytes,
                                                                    int flags, char** out,
                                                                    size_t* out_len);
__attribute__((visibility("default"))) void piaudit_pdf_free(char* p);

#ifdef __cplusplus
}
#endif

#endif  // PIAUDIT_POLICY_PDF_PLUGIN_H_
