// Shared fixture of the review tests: the bundled knowledge base (for the process and the
// calendar) and a fresh database per test, SQLite always and PostgreSQL when PIAUDIT_TEST_PG_URL
// names a server (ctest review_postgres_test starts a throwaway cluster and sets it).
#ifndef PIAUDIT_TESTS_REVIEW_REVIEW_TEST_SUPPORT_H_
#define PIAUDIT_TESTS_REVIEW_REVIEW_TEST_SUPPORT_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "knowledge/knowledge_base.h"
#include "review/review_store.h"
#include "sqldb/database.h"

namespace piaudit::review::testing {

// Loaded once per process; null (with the reason) when the bundled tree does not load.
inline const knowledge::KnowledgeBase* BundledKb(std::string* error) {
  static std::string load_error;
  static const auto* kb = [] {
    auto loaded = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, nullptr);
    if (!loaded.ok()) {
      load_error = loaded.status().ToString();
      return static_cast<knowledge::KnowledgeBase*>(nullptr);
    }
    return new knowledge::KnowledgeBase(std::move(loaded).value());
  }();
  if (error) *error = load_error;
  return kb;
}

inline knowledge::Date D(const char* text) {
  auto d = knowledge::ParseDate(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : knowledge::Date{};
}

// Opens a connection to the test database of `param` ("sqlite" or "postgres"); the SQLite file
// lives in `dir`. Null (after GTEST_SKIP) when PostgreSQL is not available.
inline std::unique_ptr<sqldb::Database> OpenTestDb(const std::string& param,
                                                   const std::filesystem::path& dir) {
  std::string url;
  if (param == "sqlite") {
    url = "sqlite:" + (dir / "review.db").string();
  } else {
    const char* pg = std::getenv("PIAUDIT_TEST_PG_URL");
    if (pg == nullptr || *pg == '\0') return nullptr;
    url = pg;
  }
  auto db = sqldb::Open(url);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

inline void DropReviewTables(sqldb::Database& db) {
  for (const char* t :
       {"review_relisting_bars", "review_removals", "review_notices", "review_credit_list",
        "review_case_events", "review_complaints", "review_cases", "review_app_versions",
        "review_apps", "review_audit_log", "review_audit_head"}) {
    Status s = db.ExecScript(std::string("DROP TABLE IF EXISTS ") + t);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
}

class ReviewDbTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string error;
    kb_ = BundledKb(&error);
    ASSERT_NE(kb_, nullptr) << "bundled knowledge base does not load: " << error;
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    dir_ = std::filesystem::temp_directory_path() /
           ("piaudit_review_" + std::to_string(::getpid()) + "_" + name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    if (GetParam() == "postgres" && !std::getenv("PIAUDIT_TEST_PG_URL")) {
      GTEST_SKIP() << "PIAUDIT_TEST_PG_URL not set (ctest review_postgres_test sets it)";
    }
    db_ = OpenTestDb(GetParam(), dir_);
    ASSERT_NE(db_, nullptr);
    DropReviewTables(*db_);
    Status made = CreateReviewSchema(*db_);
    ASSERT_TRUE(made.ok()) << made.ToString();
    auto store = ReviewStore::Open(*db_, *kb_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::make_unique<ReviewStore>(std::move(store).value());
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  const knowledge::KnowledgeBase* kb_ = nullptr;
  std::filesystem::path dir_;
  std::unique_ptr<sqldb::Database> db_;
  std::unique_ptr<ReviewStore> store_;
};

}  // namespace piaudit::review::testing

#endif  // PIAUDIT_TESTS_REVIEW_REVIEW_TEST_SUPPORT_H_
