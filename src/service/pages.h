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

  // A UI text in the page's language, not yet escaped.
  std::string T(std::string_view id) const;
};

extern const char kServiceCss[];

// The whole document around `body` (already HTML).
std::string RenderPage(const PageFrame& f, std::string_view title, std::string_view body);

std::string LoginBody(const PageFrame& f, std::string_view login_csrf, std::string_view error);
std::string DashboardBody(const PageFrame& f, const std::vector<ScanView>& scans);
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
