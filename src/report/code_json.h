// analysis::CodeReport -> the `piaudit.code/1` JSON document (schema: docs/schemas/code.md), the
// text summary of `piaudit code --format text`, and the call-graph slice for --callgraph.
#ifndef PIAUDIT_REPORT_CODE_JSON_H_
#define PIAUDIT_REPORT_CODE_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "analysis/app_code.h"

namespace piaudit::report {

inline constexpr const char* kCodeSchemaId = "piaudit.code/1";

nlohmann::json CodeReportToJson(const analysis::CodeReport& report);
std::string CodeReportToText(const analysis::CodeReport& report);

// The call-graph slice explaining the findings: the union of every sensitive call's chain
// (entry point -> ... -> caller -> API), at most `max_nodes` nodes. See docs/schemas/code.md.
nlohmann::json CallGraphToJson(const analysis::CodeReport& report, size_t max_nodes = 5000);
std::string CallGraphToDot(const analysis::CodeReport& report, size_t max_nodes = 5000);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_CODE_JSON_H_
