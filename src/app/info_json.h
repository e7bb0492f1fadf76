// ApkFacts -> the `piaudit.info/1` JSON document (schema: docs/schemas/info.md) and the text
// summary printed by `piaudit info --format text`.
#ifndef PIAUDIT_APP_INFO_JSON_H_
#define PIAUDIT_APP_INFO_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "app/apk_facts.h"

namespace piaudit::app {

inline constexpr const char* kInfoSchemaId = "piaudit.info/1";

nlohmann::json InfoToJson(const ApkFacts& facts);
std::string InfoToText(const ApkFacts& facts);

}  // namespace piaudit::app

#endif  // PIAUDIT_APP_INFO_JSON_H_
