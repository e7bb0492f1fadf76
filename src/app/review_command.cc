// `piaudit audit verify --db URL`: walks the hash-chained audit log of the oversight records
// (review/audit_log.h, docs/review.md#the-audit-log).
//
//   exit 0  the chain is intact (prints the entry count and the head hash to record elsewhere)
//   exit 1  the chain is broken: one line names the first entry that does not match and why
//   exit 3  the database cannot be opened or has no audit log
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "app/commands.h"
#include "review/audit_log.h"
#include "sqldb/database.h"

namespace piaudit::app {

void RegisterAuditCommand(CLI::App& cli, int* exit_code) {
  CLI::App* audit = cli.add_subcommand("audit", "the audit log of the oversight records");
  audit->require_subcommand(1);
  auto db_url = std::make_shared<std::string>();
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "check the hash chain of the audit log: exit 0 intact, 1 broken (the first broken entry is "
      "named), 3 no database or no audit log");
  verify->add_option("--db", *db_url, "the database: sqlite:PATH or postgresql://...")->required();
  verify->footer(
      "Exit codes:\n"
      "  0  intact: every entry's hash and link match; the head hash is printed\n"
      "  1  broken: standard output names the first entry that does not match and why\n"
      "  2  usage error\n"
      "  3  the database cannot be opened or holds no audit log\n");
  verify->callback([db_url, exit_code] {
    auto db = sqldb::Open(*db_url);
    if (!db.ok()) {
      std::fprintf(stderr, "piaudit audit verify: %s\n", db.status().ToString().c_str());
      *exit_code = kExitBadInput;
      return;
    }
    auto v = review::VerifyAuditLog(**db);
    if (!v.ok()) {
      std::fprintf(stderr, "piaudit audit verify: %s\n", v.status().ToString().c_str());
      *exit_code = kExitBadInput;
      return;
    }
    if (v->intact) {
      std::printf("audit log intact: %lld entries, head %s\n", static_cast<long long>(v->entries),
                  v->head_hash.c_str());
      *exit_code = kExitOk;
      return;
    }
    std::printf("audit log BROKEN at entry %lld: %s (%lld entries verified before it)\n",
                static_cast<long long>(v->first_bad), v->problem.c_str(),
                static_cast<long long>(v->entries));
    *exit_code = kExitFindings;
  });
}

}  // namespace piaudit::app
