// The oversight process in the service (docs/service.md "Cases"): cases opened from scans,
// complaint intake, the steps of data/review/process.yaml with their deadlines, the re-scan of a
// rectified version beside the judged one, the store's listing check against the relisting bar,
// and the public notices page. The process itself (states, roles, requirements, the audit log) is
// src/review's; this layer turns requests into its calls, checks the caller's tenant, and renders.
//
// Dates: every act carries its legal date (a "date" field, YYYY-MM-DD, China time; today when
// absent). A date after today is refused: acts are recorded when they happened, never ahead.
#ifndef PIAUDIT_SERVICE_OVERSIGHT_H_
#define PIAUDIT_SERVICE_OVERSIGHT_H_

#include <string>

#include "base/status.h"

namespace piaudit::sqldb {
class Database;
}

namespace piaudit::service {

class Router;
struct RequestContext;

// The review tables (src/review) beside the service's, created when missing.
Status CreateOversightTables(sqldb::Database& db);

// Adds the cases, complaints, listing checks and public notices routes.
void AddOversightRoutes(Router& router);

// The dashboard's cases sections for the caller (their tenant's cases only), as HTML.
Result<std::string> OversightDashboard(RequestContext& c);

}  // namespace piaudit::service

#endif  // PIAUDIT_SERVICE_OVERSIGHT_H_
