// The service's accounts: users with a role (and a store for store operators), Argon2id password
// hashes (libsodium's crypto_pwhash_str), and bearer tokens for the API and the UI's sessions.
//
// A token is 32 random bytes (64 hex characters) handed to the client once; the database keeps
// only its SHA-256, so a copy of the database lets nobody act as a user. Every token has an
// expiry; a session token (the UI's cookie) also carries its CSRF token.
//
// Tables (created on first use, both SQLite and PostgreSQL, docs/service.md):
//   service_users(id, name UNIQUE, role, store, password_hash, created_at)
//   service_tokens(token_sha256 PRIMARY KEY, user_id, kind 'api'|'session', csrf, expires_at)
#ifndef PIAUDIT_SERVICE_ACCOUNTS_H_
#define PIAUDIT_SERVICE_ACCOUNTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "container/digest.h"
#include "sqldb/database.h"

namespace piaudit::service {

enum class Role { kAdmin, kInspector, kStore, kDeveloper };
std::string_view RoleName(Role role);  // "admin", "inspector", "store", "developer"
std::optional<Role> ParseRole(std::string_view name);

struct User {
  int64_t id = 0;
  std::string name;
  Role role = Role::kDeveloper;
  std::string store;  // the tenant of a store operator; "" for other roles
};

// What a valid token stands for.
struct Principal {
  User user;
  std::string csrf;  // session tokens only
  bool session = false;
};

inline constexpr int kMaxNameBytes = 64;
inline constexpr int kMaxPasswordBytes = 1024;
inline constexpr int kMinPasswordBytes = 8;

// Tokens are stored, and uploads named, by their SHA-256 (lowercase hex).
using container::Sha256Hex;
// `n` random bytes as lowercase hex.
std::string RandomHex(size_t n);
// Names are data shown on pages and kept in rows: 1..64 bytes of [A-Za-z0-9._@-].
bool ValidName(std::string_view name);

// Creates the tables when missing.
Status CreateAccountTables(sqldb::Database& db);

// kInvalidInput: bad name/role/store/password; kIo with IsUniqueViolation: name taken.
Result<User> AddUser(sqldb::Database& db, std::string_view name, Role role, std::string_view store,
                     std::string_view password);
Result<std::optional<User>> FindUser(sqldb::Database& db, std::string_view name);
// The user when the password matches; nullopt for an unknown name or a wrong password (the same
// work is done for both, so the time does not tell whether a name exists).
Result<std::optional<User>> CheckPassword(sqldb::Database& db, std::string_view name,
                                          std::string_view password);

// A new token for `user` valid for `ttl_seconds` (negative: already expired, for tests).
struct IssuedToken {
  std::string token;  // given to the client once
  std::string csrf;   // session tokens only
};
Result<IssuedToken> IssueToken(sqldb::Database& db, const User& user, bool session,
                               int64_t ttl_seconds);
// The principal of a token that exists and has not expired.
Result<std::optional<Principal>> LookupToken(sqldb::Database& db, std::string_view token);
Status RevokeToken(sqldb::Database& db, std::string_view token);

}  // namespace piaudit::service

#endif  // PIAUDIT_SERVICE_ACCOUNTS_H_
