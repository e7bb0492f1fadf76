// `piaudit audit verify` through the built binary (skipped when the piaudit tool has not been
// built in this build tree): exit 0 on an intact chain, 1 naming the first broken entry, 3 without
// an audit log.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "review/audit_log.h"
#include "sqldb/database.h"
#include "support/apk_fixture.h"

namespace piaudit::review {
namespace {

namespace fs = std::filesystem;

using Out = ::piaudit::testing::CommandResult;
using ::piaudit::testing::RunPiaudit;

TEST(AuditCommandTest, VerifyIntactBrokenAndMissing) {
  if (!fs::exists(std::string(PIAUDIT_BINARY_DIR) + "/tools/piaudit/piaudit")) {
    GTEST_SKIP() << "piaudit binary not built in " << PIAUDIT_BINARY_DIR;
  }
  const fs::path dir =
      fs::temp_directory_path() / ("piaudit_audit_cmd_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string url = "sqlite:" + (dir / "oversight.db").string();
  {
    auto db = sqldb::Open(url);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(CreateAuditSchema(**db).ok());
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(AppendAudit(**db, {"2026-06-01T10:00:00+08:00", "li.inspector", "read",
                                     "scan/" + std::to_string(i), ""})
                      .ok());
    }
  }
  Out ok = RunPiaudit("audit verify --db '" + url + "'");
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("intact: 4 entries"), std::string::npos) << ok.out;
  {
    auto db = sqldb::Open(url);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("UPDATE review_audit_log SET subject = 'scan/99' WHERE seq = 2").ok());
  }
  Out broken = RunPiaudit("audit verify --db '" + url + "'");
  EXPECT_EQ(broken.exit_code, 1) << broken.out;
  EXPECT_NE(broken.out.find("BROKEN at entry 2"), std::string::npos) << broken.out;
  const std::string empty_url = "sqlite:" + (dir / "empty.db").string();
  Out missing = RunPiaudit("audit verify --db '" + empty_url + "'");
  EXPECT_EQ(missing.exit_code, 3) << missing.out;
  EXPECT_NE(missing.out.find("no audit log"), std::string::npos) << missing.out;
  Out usage = RunPiaudit("audit verify");
  EXPECT_EQ(usage.exit_code, 2) << usage.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace piaudit::review
