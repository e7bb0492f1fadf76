// The oversight pages' bodies (service/oversight.h decides what goes in them): cases, the case
// page with its timeline and the forms of the steps the caller may take, the re-scan beside the
// judged version, the dashboard's cases sections, the store's review queue and listing check, and
// the public notices. Every value is escaped (pages.h); texts are `service.case.*` messages.
#ifndef PIAUDIT_SERVICE_OVERSIGHT_PAGES_H_
#define PIAUDIT_SERVICE_OVERSIGHT_PAGES_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evidence/version_changes.h"
#include "review/review_store.h"
#include "rules/verdict.h"
#include "service/pages.h"
#include "service/submissions.h"

namespace piaudit::service {

// A state's name in the page's language (the id when process.yaml lacks it).
std::string StateName(const PageFrame& f, std::string_view state);

std::string CasesBody(const PageFrame& f, const std::vector<review::CaseView>& cases,
                      std::string_view state_filter);

// One judged scan beside another: the case's version and the re-scan of a newer one.
struct RescanView {
  int64_t old_scan = 0;
  int64_t new_scan = 0;
  std::string new_version;
  std::span<const rules::ItemResult> old_items;
  std::span<const rules::ItemResult> new_items;
  const evidence::VersionChanges* changes = nullptr;  // may be null (not comparable)
  std::string not_comparable;                         // why, when changes is null
};

struct CasePage {
  const review::CaseView* c = nullptr;
  std::span<const review::CaseEvent> timeline;
  std::vector<std::string> actions;  // the next steps the caller's role may take
  std::vector<ScanView> rescans;     // done scans of the same package, newer ones first
  const RescanView* rescan = nullptr;
  std::string message;  // a refusal to show above the forms
};
std::string CaseBody(const PageFrame& f, const CasePage& page);

// Side by side: every item's verdict before and after, the case's items marked.
std::string RescanTable(const PageFrame& f, const review::CaseView& c, const RescanView& r);

struct CaseDashboard {
  std::vector<std::pair<std::string, int64_t>> counts;  // state -> cases
  std::vector<review::CaseView> overdue;
  std::vector<review::CaseView> due_this_week;
  std::string today;
};
std::string CaseDashboardBody(const PageFrame& f, const CaseDashboard& d);

// The forms under a done scan: open a case, file a complaint (admin, inspector); check the
// listing (admin, inspector, store).
std::string ScanOversightForms(const PageFrame& f, const ScanView& scan,
                               std::span<const rules::ItemResult> items, std::string_view today);

std::string StoreQueueBody(const PageFrame& f, const std::vector<ScanView>& scans);
std::string ListingCheckBody(const PageFrame& f, const ScanView& scan,
                             const std::vector<std::string>& gate_reasons,
                             const review::ListingCheck& check, std::string_view date);

std::string PublicNoticesBody(const PageFrame& f, const std::vector<review::PublicEntry>& entries);

}  // namespace piaudit::service

#endif  // PIAUDIT_SERVICE_OVERSIGHT_PAGES_H_
