// `piaudit user add --db URL --name NAME --role ROLE [--store STORE]`: an account of the
// oversight service (docs/service.md). The password is read from standard input (its first
// line), never from the command line, where other users of the machine could see it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "app/commands.h"
#include "service/accounts.h"
#include "sqldb/database.h"

namespace piaudit::app {
namespace {

struct UserFlags {
  std::string db;
  std::string name;
  std::string role;
  std::string store;
};

int RunUserAdd(const UserFlags& flags) {
  std::optional<service::Role> role = service::ParseRole(flags.role);
  if (!role) {
    std::fprintf(stderr, "piaudit user add: --role must be admin, inspector, store or developer\n");
    return kExitUsage;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  Result<std::unique_ptr<sqldb::Database>> db = sqldb::Open(flags.db);
  if (!db.ok()) {
    std::fprintf(stderr, "piaudit user add: %s\n", db.status().ToString().c_str());
    return db.status().code() == StatusCode::kInvalidInput ? kExitUsage : kExitBadInput;
  }
  if (Status s = service::CreateAccountTables(**db); !s.ok()) {
    std::fprintf(stderr, "piaudit user add: %s\n", s.ToString().c_str());
    return kExitBadInput;
  }
  Result<service::User> user = service::AddUser(**db, flags.name, *role, flags.store, password);
  if (!user.ok()) {
    if (sqldb::IsUniqueViolation(user.status())) {
      std::fprintf(stderr, "piaudit user add: user %s exists\n", flags.name.c_str());
      return kExitUsage;
    }
    std::fprintf(stderr, "piaudit user add: %s\n", user.status().ToString().c_str());
    return user.status().code() == StatusCode::kInvalidInput ? kExitUsage : kExitInternal;
  }
  std::printf("user %s added (role %s%s%s)\n", user->name.c_str(),
              std::string(service::RoleName(user->role)).c_str(),
              user->store.empty() ? "" : ", store ", user->store.c_str());
  return kExitOk;
}

}  // namespace

void RegisterUserCommand(CLI::App& cli, int* exit_code) {
  auto* user = cli.add_subcommand("user", "accounts of the oversight service (piaudit serve)");
  user->require_subcommand(1);
  auto flags = std::make_shared<UserFlags>();
  auto* add = user->add_subcommand("add", "add an account; the password is read from stdin");
  add->add_option("--db", flags->db, "database: sqlite:PATH or postgresql://...")->required();
  add->add_option("--name", flags->name, "login name (A-Z a-z 0-9 . _ @ -)")->required();
  add->add_option("--role", flags->role, "admin, inspector, store or developer")->required();
  add->add_option("--store", flags->store, "the store a `store` user operates (tenant)");
  add->footer(std::string("Example:\n  printf '%s\\n' \"$PW\" | piaudit user add --db "
                          "sqlite:svc.db --name shop-a --role store --store shop-a\n\n") +
              kExitCodesHelp);
  add->callback([flags, exit_code] { *exit_code = RunUserAdd(*flags); });
}

}  // namespace piaudit::app
