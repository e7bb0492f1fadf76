// ApkFacts -> the `piaudit.info/1` JSON document (schema: docs/schemas/info.md) and the text
// summary printed by `piaudit info --format text`.
#ifndef PIAUDIT_REPORT_INFO_JSON_H_
#define PIAUDIT_REPORT_INFO_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "apk/apk_facts.h"

namespace piaudit::report {

inline constexpr const char* kInfoSchemaId = "piaudit.info/1";

nlohmann::json InfoToJson(const apk::ApkFacts& facts);
std::string InfoToText(const apk::ApkFacts& facts);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_INFO_JSON_H_
