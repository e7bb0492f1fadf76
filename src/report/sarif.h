// report.sarif: SARIF 2.1.0 (OASIS), valid against shared/schemas/sarif-schema-2.1.0.json.
//
// Mapping: one reportingDescriptor per item (id "IM-x.y", English text as shortDescription,
// Chinese as fullDescription, remediation template as help). One result per finding that is a
// violation (level "error" when confirmed, "warning" when likely) or that needs dynamic / manual
// work (level "note", kind "review"); compliant and not-applicable findings are left out.
// Locations: artifactLocation.uri is the APK entry ("classes2.dex", relative to the APK root,
// uriBaseId "APKROOT") or the policy file (file:// URI when absolute); region.charOffset /
// charLength for policy spans (code points, as SARIF counts characters), region.byteOffset when
// a byte offset is known; logicalLocations carry class.method; call chains become
// codeFlows[].threadFlows[] with one location per method, entry point first.
#ifndef PIAUDIT_REPORT_SARIF_H_
#define PIAUDIT_REPORT_SARIF_H_

#include <string>
#include <string_view>

#include "report/report_input.h"

namespace piaudit::report {

// Pretty-printed (2 spaces, keys in byte order), UTF-8, ends with a newline.
std::string RenderSarif(const ReportInput& in);

// Percent-encodes a path for a URI reference (keeps unreserved characters and '/').
std::string UriEncodePath(std::string_view path);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_SARIF_H_
