// Login rate limit: failures are counted per user name and per client address; from the fifth
// failure on, each key is refused (429, Retry-After) for a delay that doubles with every further
// failure (16 s, 32 s, 64 s, ... capped at 15 min). A success clears the name's count; a key with
// no failure for a day is forgotten. Kept in the service's database (table service_login_failures),
// so every server process on the same database counts the same failures: an attacker spreading
// guesses over servers behind one address gains nothing, and a restart forgets nothing.
#ifndef PIAUDIT_SERVICE_LOGIN_LIMITER_H_
#define PIAUDIT_SERVICE_LOGIN_LIMITER_H_

#include <cstdint>
#include <string>

#include "base/status.h"

namespace piaudit::sqldb {
class Database;
}

namespace piaudit::service {

struct LoginLimits {
  int free_failures = 5;
  int64_t first_delay_seconds = 16;  // after the fifth failure; doubled by each further one
  int64_t max_delay_seconds = 15 * 60;
  int64_t forget_after_seconds = 24 * 3600;
};

Status CreateLoginLimiterTable(sqldb::Database& db);

// Whole seconds (rounded up) to wait before `name` from `address` may try again at `now_ms`
// (unix milliseconds); 0 = may try now.
Result<int64_t> LoginRetryAfter(sqldb::Database& db, const std::string& name,
                                const std::string& address, int64_t now_ms,
                                const LoginLimits& limits = {});
Status LoginFailed(sqldb::Database& db, const std::string& name, const std::string& address,
                   int64_t now_ms, const LoginLimits& limits = {});
Status LoginSucceeded(sqldb::Database& db, const std::string& name);

}  // namespace piaudit::service

#endif  // PIAUDIT_SERVICE_LOGIN_LIMITER_H_
