// The web UI's pages, rendered on the server: one layout (header, navigation, language switch,
// logout form) and one function per page body. Every value from a request, the database, an APK
// or a policy goes through report::HtmlEscape; texts come from data/messages.yaml (`service.*`).
// No inline script or style: the stylesheet is /static/service.css, so the pages run under
// `Content-Security-Policy: default-src 'none'; style-src 'self'; form-action 'self'`.
#ifndef PIAUDIT_SERVICE_PAGES_H_
#define PIAUDIT_SERVICE_PAGES_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/messages.h"
#include "rules/verdict.h"
#include "service/accounts.h"
#include "service/submissions.h"

namespace piaudit::knowledge {
class KnowledgeBase;
}

namespace piaudit::service {

struct PageFrame {
  const knowledge::KnowledgeBase& kb;
  knowledge::Lang lang = knowledge::Lang::kZh;
  const Principal* who = nullptr;  // nullptr: not logged in (no navigation)
  std::string path;                // the page's own path, for the language switch
  std::string today;               // YYYY-MM-DD in China: the default and the latest date of acts

  // A UI text in the page's language, not yet escaped.
  std::string T(std::string_view id) const;
};

extern const char kServiceCss[];

// Building blocks of every page body.
std::string E(std::string_view s);  // HTML-escaped text
// `path` with the page's language kept ("?lang=en"), escaped for an attribute.
std::string Link(const PageFrame& f, std::string_view path);
// A URL path segment: only [A-Za-z0-9._-] pass, everything else %XX.
std::string PathSegment(std::string_view s);
std::string UnixTimeText(int64_t unix_seconds);  // "2026-12-06 10:00 UTC"
// The hidden CSRF field every state-changing form carries.
std::string CsrfField(const PageFrame& f);
// "<table ATTRIBUTES><thead><tr>" with one <th> per column (a UI text id, translated and
// escaped), then "</tr></thead><tbody>\n": the caller appends the rows and "</tbody></table>".
std::string TableStart(const PageFrame& f, std::string_view attributes,
                       std::span<const char* const> column_ids);
std::string ScanTable(const PageFrame& f, const std::vector<ScanView>& scans, bool with_package);

// The whole document around `body` (already HTML).
std::string RenderPage(const PageFrame& f, std::string_view title, std::string_view body);

std::string LoginBody(const PageFrame& f, std::string_view login_csrf, std::string_view error);
// `oversight`: the cases sections (already HTML), between the scan counts and the recent scans.
std::string DashboardBody(const PageFrame& f, const std::vector<ScanView>& scans,
                          std::string_view oversight);
std::string AppsBody(const PageFrame& f, const std::vector<ScanView>& scans);
// `items`: the 31 results of the latest done scan (empty: none yet).
std::string AppBody(const PageFrame& f, std::string_view package,
                    const std::vector<ScanView>& scans, int64_t latest_done,
                    std::span<const rules::ItemResult> items);
std::string ScanBody(const PageFrame& f, const ScanView& scan,
                     std::span<const rules::ItemResult> items);
std::string UploadBody(const PageFrame& f, std::string_view message, int64_t max_upload_bytes);
// The 31-item grid: one cell per item with its verdict.
std::string ItemGrid(const PageFrame& f, std::span<const rules::ItemResult> items);

}  // namespace piaudit::service

#endif  // PIAUDIT_SERVICE_PAGES_H_
