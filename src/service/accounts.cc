#include "service/accounts.h"

#include <sodium.h>

#include <ctime>
#include <mutex>
#include <semaphore>

namespace piaudit::service {
namespace {

int64_t NowSeconds() { return static_cast<int64_t>(std::time(nullptr)); }

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// Argon2id at libsodium's "interactive" cost takes 64 MiB for ~0.1 s: at most this many at once,
// so a burst of logins cannot exhaust the machine's memory.
std::counting_semaphore<4>& HashSlots() {
  static std::counting_semaphore<4> slots(4);
  return slots;
}

struct SlotGuard {
  SlotGuard() { HashSlots().acquire(); }
  ~SlotGuard() { HashSlots().release(); }
};

// A hash of a password nobody has, checked when the name is unknown so that a wrong name costs
// the same time as a wrong password.
const std::string& DummyHash() {
  static const std::string hash = [] {
    char out[crypto_pwhash_STRBYTES] = {};
    const std::string pw = RandomHex(16);
    if (crypto_pwhash_str(out, pw.data(), pw.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
      return std::string();
    }
    return std::string(out);
  }();
  return hash;
}

User UserFromRow(const sqldb::Row& row) {
  User u;
  u.id = sqldb::CellInt(row[0]);
  u.name = sqldb::CellText(row[1]);
  u.role = ParseRole(sqldb::CellText(row[2])).value_or(Role::kDeveloper);
  u.store = sqldb::CellText(row[3]);
  return u;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kInspector:
      return "inspector";
    case Role::kStore:
      return "store";
    case Role::kDeveloper:
      return "developer";
  }
  return "developer";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "inspector") return Role::kInspector;
  if (name == "store") return Role::kStore;
  if (name == "developer") return Role::kDeveloper;
  return std::nullopt;
}

std::string RandomHex(size_t n) {
  SodiumReady();
  std::string bytes(n, '\0');
  randombytes_buf(bytes.data(), n);
  std::string hex(2 * n + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()), n);
  hex.pop_back();
  return hex;
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status CreateAccountTables(sqldb::Database& db) {
  const std::string sql = std::string("CREATE TABLE IF NOT EXISTS service_users (id ") +
                          std::string(db.AutoIdColumn()) +
                          ", name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, store TEXT NOT NULL "
                          "DEFAULT '', password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);"
                          "CREATE TABLE IF NOT EXISTS service_tokens (token_sha256 TEXT PRIMARY "
                          "KEY, user_id INTEGER NOT NULL, kind TEXT NOT NULL, csrf TEXT NOT NULL "
                          "DEFAULT '', expires_at INTEGER NOT NULL);";
  return db.ExecScript(sql);
}

Result<User> AddUser(sqldb::Database& db, std::string_view name, Role role, std::string_view store,
                     std::string_view password) {
  if (!SodiumReady()) return InternalError("libsodium could not be initialised");
  if (!ValidName(name)) {
    return InvalidInput("user name must be 1-64 characters of A-Z a-z 0-9 . _ @ -");
  }
  if (role == Role::kStore && !ValidName(store)) {
    return InvalidInput("a store user needs --store (1-64 characters of A-Z a-z 0-9 . _ @ -)");
  }
  if (role != Role::kStore && !store.empty()) {
    return InvalidInput("--store is only for role store");
  }
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) {
    return InvalidInput("password must be 8-1024 bytes");
  }
  char hash[crypto_pwhash_STRBYTES] = {};
  {
    SlotGuard slot;
    if (crypto_pwhash_str(hash, password.data(), password.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
      return InternalError("Argon2id: out of memory");
    }
  }
  Result<int64_t> n = db.Exec(
      "INSERT INTO service_users (name, role, store, password_hash, created_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      {name, RoleName(role), store, std::string_view(hash), NowSeconds()});
  if (!n.ok()) return n.status();
  Result<std::optional<User>> u = FindUser(db, name);
  if (!u.ok()) return u.status();
  if (!u->has_value()) return InternalError("user row missing after insert");
  return std::move(**u);
}

Result<std::optional<User>> FindUser(sqldb::Database& db, std::string_view name) {
  Result<std::vector<sqldb::Row>> rows =
      db.Query("SELECT id, name, role, store FROM service_users WHERE name = $1", {name});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<User>();
  return std::optional<User>(UserFromRow((*rows)[0]));
}

Result<std::optional<User>> CheckPassword(sqldb::Database& db, std::string_view name,
                                          std::string_view password) {
  if (!SodiumReady()) return InternalError("libsodium could not be initialised");
  if (name.size() > kMaxNameBytes || password.size() > kMaxPasswordBytes) {
    return std::optional<User>();
  }
  Result<std::vector<sqldb::Row>> rows = db.Query(
      "SELECT id, name, role, store, password_hash FROM service_users WHERE name = $1", {name});
  if (!rows.ok()) return rows.status();
  const bool known = !rows->empty();
  const std::string hash = known ? sqldb::CellText((*rows)[0][4]) : DummyHash();
  bool match = false;
  {
    SlotGuard slot;
    match = !hash.empty() &&
            crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  }
  if (!known || !match) return std::optional<User>();
  return std::optional<User>(UserFromRow((*rows)[0]));
}

Result<IssuedToken> IssueToken(sqldb::Database& db, const User& user, bool session,
                               int64_t ttl_seconds) {
  IssuedToken t;
  t.token = RandomHex(32);
  if (session) t.csrf = RandomHex(32);
  // Expired tokens of this user go when a new one is made: the table does not grow forever.
  Result<int64_t> swept = db.Exec(
      "DELETE FROM service_tokens WHERE user_id = $1 AND expires_at < $2", {user.id, NowSeconds()});
  if (!swept.ok()) return swept.status();
  Result<int64_t> n = db.Exec(
      "INSERT INTO service_tokens (token_sha256, user_id, kind, csrf, expires_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      {std::string_view(Sha256Hex(t.token)), user.id, std::string_view(session ? "session" : "api"),
       std::string_view(t.csrf), NowSeconds() + ttl_seconds});
  if (!n.ok()) return n.status();
  return t;
}

Result<std::optional<Principal>> LookupToken(sqldb::Database& db, std::string_view token) {
  if (token.size() != 64) return std::optional<Principal>();
  const std::string digest = Sha256Hex(token);
  Result<std::vector<sqldb::Row>> rows = db.Query(
      "SELECT u.id, u.name, u.role, u.store, t.kind, t.csrf FROM service_tokens t "
      "JOIN service_users u ON u.id = t.user_id WHERE t.token_sha256 = $1 AND t.expires_at > $2",
      {std::string_view(digest), NowSeconds()});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Principal>();
  Principal p;
  p.user = UserFromRow((*rows)[0]);
  p.session = sqldb::CellText((*rows)[0][4]) == "session";
  p.csrf = sqldb::CellText((*rows)[0][5]);
  return std::optional<Principal>(std::move(p));
}

Status RevokeToken(sqldb::Database& db, std::string_view token) {
  Result<int64_t> n = db.Exec("DELETE FROM service_tokens WHERE token_sha256 = $1",
                              {std::string_view(Sha256Hex(token))});
  return n.ok() ? Status() : n.status();
}

}  // namespace piaudit::service
