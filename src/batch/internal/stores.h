// The two JobStore implementations, chosen by OpenJobStore from the URL's scheme.
#ifndef PIAUDIT_BATCH_INTERNAL_STORES_H_
#define PIAUDIT_BATCH_INTERNAL_STORES_H_

#include <memory>
#include <string>

#include "batch/job_store.h"

namespace piaudit::batch::internal {

Result<std::unique_ptr<JobStore>> OpenSqliteJobStore(const std::string& path);
Result<std::unique_ptr<JobStore>> OpenPostgresJobStore(const std::string& conninfo);

}  // namespace piaudit::batch::internal

#endif  // PIAUDIT_BATCH_INTERNAL_STORES_H_
