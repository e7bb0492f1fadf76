// The same statements on both databases: SQLite always, PostgreSQL when PIAUDIT_TEST_PG_URL names
// a server (ctest `sqldb_postgres_test` starts a throwaway cluster and sets it).
#include "sqldb/database.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace piaudit::sqldb {
namespace {

namespace fs = std::filesystem;

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url;
    if (GetParam() == "sqlite") {
      dir_ = fs::temp_directory_path() /
             ("piaudit_sqldb_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
      fs::remove_all(dir_);
      fs::create_directories(dir_);
      url = "sqlite:" + (dir_ / "t.db").string();
    } else {
      const char* pg = std::getenv("PIAUDIT_TEST_PG_URL");
      if (pg == nullptr || *pg == '\0') {
        GTEST_SKIP() << "PIAUDIT_TEST_PG_URL not set (ctest sqldb_postgres_test sets it)";
      }
      url = pg;
    }
    auto db = Open(url);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->ExecScript("DROP TABLE IF EXISTS people").ok());
    std::string ddl = "CREATE TABLE people (id " + std::string(db_->AutoIdColumn()) +
                      ", name TEXT NOT NULL UNIQUE, age INTEGER, score REAL, note TEXT)";
    auto made = db_->ExecScript(ddl);
    ASSERT_TRUE(made.ok()) << made.ToString();
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::unique_ptr<Database> db_;
  fs::path dir_;
};

TEST_P(DatabaseTest, InsertsAndReadsBackEveryKindOfValue) {
  auto id = db_->Query(
      "INSERT INTO people (name, age, score, note) VALUES ($1, $2, $3, $4) "
      "RETURNING id",
      {std::string_view("张三 'quoted' \"x\""), int64_t{41}, 2.5, nullptr});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_EQ(id->size(), 1u);
  int64_t first = CellInt((*id)[0][0], -1);
  EXPECT_GT(first, 0);
  auto rows = db_->Query("SELECT name, age, score, note FROM people WHERE id = $1", {first});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  const Row& r = (*rows)[0];
  EXPECT_EQ(CellText(r[0]), "张三 'quoted' \"x\"");
  EXPECT_EQ(CellInt(r[1]), 41);
  EXPECT_EQ(std::stod(CellText(r[2])), 2.5);
  EXPECT_FALSE(r[3].has_value());
}

TEST_P(DatabaseTest, PlaceholdersAreNumberedNotPositional) {
  ASSERT_TRUE(db_->Exec("INSERT INTO people (name, age) VALUES ($2, $1)",
                        {int64_t{7}, std::string_view("seven")})
                  .ok());
  auto rows = db_->Query("SELECT age FROM people WHERE name = $1 AND age = $2 AND '$1' = '$1'",
                         {std::string_view("seven"), int64_t{7}});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(CellInt((*rows)[0][0]), 7);
}

TEST_P(DatabaseTest, ParametersAreNeverSpliced) {
  std::string hostile = "x'); DROP TABLE people; --";
  ASSERT_TRUE(db_->Exec("INSERT INTO people (name) VALUES ($1)", {std::string_view(hostile)}).ok());
  auto rows = db_->Query("SELECT name FROM people");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(CellText((*rows)[0][0]), hostile);
}

TEST_P(DatabaseTest, UniqueViolationIsTold) {
  ASSERT_TRUE(db_->Exec("INSERT INTO people (name) VALUES ($1)", {std::string_view("a")}).ok());
  auto again = db_->Exec("INSERT INTO people (name) VALUES ($1)", {std::string_view("a")});
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(IsUniqueViolation(again.status())) << again.status().ToString();
  auto bad = db_->Exec("INSERT INTO nowhere (name) VALUES ($1)", {std::string_view("a")});
  ASSERT_FALSE(bad.ok());
  EXPECT_FALSE(IsUniqueViolation(bad.status()));
  EXPECT_EQ(bad.status().code(), StatusCode::kIo);
}

TEST_P(DatabaseTest, ExecCountsChangedRows) {
  for (std::string_view n : {"a", "b", "c"}) {
    ASSERT_TRUE(db_->Exec("INSERT INTO people (name, age) VALUES ($1, 1)", {n}).ok());
  }
  auto changed = db_->Exec("UPDATE people SET age = 2 WHERE name <> $1", {std::string_view("a")});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 2);
}

TEST_P(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  {
    Transaction tx(*db_);
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(db_->Exec("INSERT INTO people (name) VALUES ('gone')").ok());
  }
  {
    Transaction tx(*db_);
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(db_->Exec("INSERT INTO people (name) VALUES ('kept')").ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  auto rows = db_->Query("SELECT name FROM people ORDER BY name");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(CellText((*rows)[0][0]), "kept");
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, DatabaseTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST(SqlitePlaceholders, OnlyOutsideQuotesAndComments) {
  EXPECT_EQ(ToSqlitePlaceholders("SELECT $1, '$2', \"$3\", $10 -- $4\n, $5"),
            "SELECT ?1, '$2', \"$3\", ?10 -- $4\n, ?5");
  EXPECT_EQ(ToSqlitePlaceholders("SELECT 'it''s $1', $2"), "SELECT 'it''s $1', ?2");
  EXPECT_EQ(ToSqlitePlaceholders("SELECT '$"), "SELECT '$");  // unterminated: copied as it is
}

TEST(OpenUrl, RefusesUnknownSchemesAndEmptyPaths) {
  EXPECT_EQ(Open("mysql://x").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Open("sqlite:").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Open("sqlite:/nonexistent-dir/x/y.db").status().code(), StatusCode::kIo);
  auto pg = Open("postgresql:///nodb?host=/nonexistent-socket-dir");
  EXPECT_EQ(pg.status().code(), StatusCode::kIo);
}

}  // namespace
}  // namespace piaudit::sqldb
