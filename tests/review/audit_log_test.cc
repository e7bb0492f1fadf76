// The hash-chained audit log on both databases: an intact chain verifies; an edited, deleted or
// swapped row, or a deleted newest row, is named; two threads on two connections appending at
// once keep one valid chain.
#include "review/audit_log.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "review/review_test_support.h"

namespace piaudit::review {
namespace {

using testing::ReviewDbTest;

class AuditLogTest : public ReviewDbTest {
 protected:
  void AppendFive() {
    for (int i = 1; i <= 5; ++i) {
      auto seq = AppendAudit(
          *db_, {"2026-06-0" + std::to_string(i) + "T10:00:00+08:00", "li.inspector", "report.read",
                 "scan/" + std::to_string(i), "{\"n\":" + std::to_string(i) + "}"});
      ASSERT_TRUE(seq.ok()) << seq.status().ToString();
      EXPECT_EQ(*seq, i);
    }
  }
  AuditVerification Verify() {
    auto v = VerifyAuditLog(*db_);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : AuditVerification{};
  }
};

TEST(AuditHashTest, CanonicalFormIsLengthPrefixed) {
  const AuditRecord a{"t", "ab", "c", "", ""};
  const AuditRecord b{"t", "a", "bc", "", ""};
  const std::string zeros(64, '0');
  EXPECT_NE(AuditEntryHash(1, a, zeros), AuditEntryHash(1, b, zeros));
  EXPECT_NE(AuditEntryHash(1, a, zeros), AuditEntryHash(2, a, zeros));
  EXPECT_EQ(AuditEntryHash(1, a, zeros).size(), 64u);
  // The serialisation documented in audit_log.h and docs/review.md, hashed independently:
  // sha256("piaudit.audit/11:1;1:t;2:ab;1:c;0:;0:;64:000...0;").
  EXPECT_EQ(AuditEntryHash(1, a, zeros),
            "75ed926f9f690d92939c62e151550bd2c968324fe11ed721a7995f7dd9114dea")
      << "update docs/review.md if the serialisation changed on purpose";
}

TEST_P(AuditLogTest, IntactChainVerifies) {
  AuditVerification empty = Verify();
  EXPECT_TRUE(empty.intact);
  EXPECT_EQ(empty.entries, 0);
  AppendFive();
  AuditVerification v = Verify();
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries, 5);
  EXPECT_EQ(v.head_hash.size(), 64u);
  auto rows = db_->Query("SELECT hash FROM review_audit_log WHERE seq = 5");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(sqldb::CellText((*rows)[0][0]), v.head_hash);
}

TEST_P(AuditLogTest, EditedRowIsNamed) {
  AppendFive();
  ASSERT_TRUE(db_->Exec("UPDATE review_audit_log SET actor = 'someone.else' WHERE seq = 3").ok());
  AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad, 3);
  EXPECT_NE(v.problem.find("edited"), std::string::npos) << v.problem;
}

TEST_P(AuditLogTest, EditedRowWithRecomputedHashBreaksTheNextLink) {
  AppendFive();
  // A careful forger recomputes entry 2's own hash; entry 3 still links to the old one.
  const AuditRecord forged{"2026-06-02T10:00:00+08:00", "li.inspector", "report.read", "scan/2",
                           "{\"n\":99}"};
  auto prev = db_->Query("SELECT prev_hash FROM review_audit_log WHERE seq = 2");
  ASSERT_TRUE(prev.ok());
  const std::string prev_hash = sqldb::CellText((*prev)[0][0]);
  const std::string hash = AuditEntryHash(2, forged, prev_hash);
  ASSERT_TRUE(db_->Exec("UPDATE review_audit_log SET detail = $1, hash = $2 WHERE seq = 2",
                        {std::string_view(forged.detail), std::string_view(hash)})
                  .ok());
  AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad, 3);
  EXPECT_NE(v.problem.find("prev_hash"), std::string::npos) << v.problem;
}

TEST_P(AuditLogTest, DeletedRowIsNamed) {
  AppendFive();
  ASSERT_TRUE(db_->Exec("DELETE FROM review_audit_log WHERE seq = 3").ok());
  AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad, 4);
  EXPECT_NE(v.problem.find("3..3 were deleted"), std::string::npos) << v.problem;
}

TEST_P(AuditLogTest, DeletedNewestRowIsFoundThroughTheHead) {
  AppendFive();
  ASSERT_TRUE(db_->Exec("DELETE FROM review_audit_log WHERE seq = 5").ok());
  AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad, 5);
  EXPECT_NE(v.problem.find("newest"), std::string::npos) << v.problem;
}

TEST_P(AuditLogTest, SwappedRowsAreNamed) {
  AppendFive();
  // Swap the contents of entries 2 and 4 (each keeps its sequence number).
  ASSERT_TRUE(db_->ExecScript("UPDATE review_audit_log SET seq = -2 WHERE seq = 2;"
                              "UPDATE review_audit_log SET seq = 2 WHERE seq = 4;"
                              "UPDATE review_audit_log SET seq = 4 WHERE seq = -2;")
                  .ok());
  AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad, 2);
}

TEST_P(AuditLogTest, ConcurrentAppendsFromTwoConnectionsKeepOneChain) {
  auto other = testing::OpenTestDb(GetParam(), dir_);
  ASSERT_NE(other, nullptr);
  constexpr int kEach = 40;
  std::vector<std::string> errors(2);
  auto writer = [&](sqldb::Database* db, int who, std::string* error) {
    for (int i = 0; i < kEach; ++i) {
      auto seq = AppendAudit(*db, {"2026-06-01T10:00:00+08:00", "writer" + std::to_string(who),
                                   "report.read", "scan/" + std::to_string(i), ""});
      if (!seq.ok()) {
        *error = seq.status().ToString();
        return;
      }
    }
  };
  std::thread a(writer, db_.get(), 1, &errors[0]);
  std::thread b(writer, other.get(), 2, &errors[1]);
  a.join();
  b.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  AuditVerification v = Verify();
  EXPECT_TRUE(v.intact) << v.problem << " at " << v.first_bad;
  EXPECT_EQ(v.entries, 2 * kEach);
  auto per_writer =
      db_->Query("SELECT actor, COUNT(*) FROM review_audit_log GROUP BY actor ORDER BY actor");
  ASSERT_TRUE(per_writer.ok());
  ASSERT_EQ(per_writer->size(), 2u);
  EXPECT_EQ(sqldb::CellInt((*per_writer)[0][1]), kEach);
  EXPECT_EQ(sqldb::CellInt((*per_writer)[1][1]), kEach);
}

TEST_P(AuditLogTest, ReadsAndStateChangesAreLogged) {
  ASSERT_TRUE(store_->RecordRead({"acme.dev", "developer"}, "scan/7/report", "t1").ok());
  auto app = store_->AddApp({"com.x", std::string(64, 'c'), "X", "acme.dev", ""},
                            {"wang.admin", "admin"}, "t2");
  ASSERT_TRUE(app.ok());
  auto rows = db_->Query("SELECT seq, actor, action, subject FROM review_audit_log ORDER BY seq");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(sqldb::CellText((*rows)[0][2]), "read");
  EXPECT_EQ(sqldb::CellText((*rows)[0][3]), "scan/7/report");
  EXPECT_EQ(sqldb::CellText((*rows)[1][2]), "app.add");
  EXPECT_FALSE(AppendAudit(*db_, {"", "x", "y", "", ""}).ok());
  EXPECT_EQ(AppendAudit(*db_, {"t", "x", "y", "", std::string(70000, 'z')}).status().code(),
            StatusCode::kLimitExceeded);
  EXPECT_TRUE(Verify().intact);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, AuditLogTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace piaudit::review
