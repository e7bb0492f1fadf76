// report.json (schema "piaudit.report/1", documented field by field in docs/schemas/report.md).
//
// The JSON is the contract other tools read: fields are only added within /1; renaming or
// removing one, or changing its meaning, bumps the schema to /2. Strings from the APK or the
// policy are copied as they are (JSON escaping is the writer's job); invalid UTF-8 is replaced
// by U+FFFD when written, never thrown.
#ifndef PIAUDIT_REPORT_REPORT_JSON_H_
#define PIAUDIT_REPORT_REPORT_JSON_H_

#include <string>

#include "report/report_input.h"

namespace piaudit::report {

// Pretty-printed (2 spaces, keys in byte order), UTF-8, ends with a newline.
std::string RenderReportJson(const ReportInput& in);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_REPORT_JSON_H_
