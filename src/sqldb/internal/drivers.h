// The two drivers behind sqldb::Open, chosen by the URL's scheme.
#ifndef PIAUDIT_SQLDB_INTERNAL_DRIVERS_H_
#define PIAUDIT_SQLDB_INTERNAL_DRIVERS_H_

#include <memory>
#include <string>
#include <string_view>

#include "sqldb/database.h"

namespace piaudit::sqldb::internal {

inline constexpr std::string_view kUniqueStructure = "unique";

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path);
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& conninfo);

}  // namespace piaudit::sqldb::internal

#endif  // PIAUDIT_SQLDB_INTERNAL_DRIVERS_H_
