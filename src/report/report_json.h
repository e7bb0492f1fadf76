// report.json (schema "piaudit.report/1", documented field by field in docs/schemas/report.md).
//
// The JSON is the contract other tools read: fields are only added within /1; renaming or
// removing one, or changing its meaning, bumps the schema to /2. Strings from the APK or the
// policy are copied as they are (JSON escaping is the encoder's job); invalid UTF-8 is replaced
// by U+FFFD when serialised, never thrown.
#ifndef PIAUDIT_REPORT_REPORT_JSON_H_
#define PIAUDIT_REPORT_REPORT_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "evidence/evidence.h"
#include "report/report_input.h"

namespace piaudit::report {

// The evidence reference as JSON (shared by the report and other tools' outputs).
nlohmann::json EvidenceRefToJson(const evidence::EvidenceRef& ref);

nlohmann::json BuildReportJson(const ReportInput& in);
// Pretty-printed (2 spaces), UTF-8, ends with a newline.
std::string RenderReportJson(const ReportInput& in);

// Serialises any JSON without throwing: invalid UTF-8 in strings becomes U+FFFD.
std::string DumpJson(const nlohmann::json& j, int indent = 2);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_REPORT_JSON_H_
