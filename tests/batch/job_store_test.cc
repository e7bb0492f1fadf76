// The SQLite job store: one job per SHA-256, claims in submission order, leases, retries.
// (The PostgreSQL store is exercised by batch_postgres_test.sh against a real cluster.)
#include "batch/job_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "batch/inputs.h"
#include "sqldb/database.h"

namespace piaudit::batch {
namespace {

class SqliteJobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("piaudit_job_store_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    Result<std::unique_ptr<JobStore>> s = OpenJobStore("sqlite:" + (dir_ / "q.db").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<JobStore> store_;
};

TEST_F(SqliteJobStoreTest, SameApkTwiceIsOneJob) {
  Result<int64_t> added = store_->Submit({{"aa", "/x/a.apk"}, {"aa", "/x/copy.apk"}}, 3);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 1);
  Result<int64_t> again = store_->Submit({{"aa", "/y/a.apk"}, {"bb", "/x/b.apk"}}, 3);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 1);
  EXPECT_EQ(store_->Counts()->queued, 2);
}

TEST_F(SqliteJobStoreTest, ClaimsInOrderAndNeverTwice) {
  ASSERT_TRUE(store_->Submit({{"aa", "a"}, {"bb", "b"}}, 3).ok());
  auto first = store_->Claim("w1", 60, 3);
  auto second = store_->Claim("w2", 60, 3);
  auto none = store_->Claim("w3", 60, 3);
  ASSERT_TRUE(first.ok() && second.ok() && none.ok());
  ASSERT_TRUE(first->has_value() && second->has_value());
  EXPECT_EQ((*first)->sha256, "aa");
  EXPECT_EQ((*second)->sha256, "bb");
  EXPECT_EQ((*first)->attempts, 1);
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(store_->Counts()->running, 2);
}

TEST_F(SqliteJobStoreTest, ExpiredLeaseGoesToAnotherWorkerAndTheOldOwnerCannotFinish) {
  ASSERT_TRUE(store_->Submit({{"aa", "a"}}, 3).ok());
  // A lease that ended a second ago: its worker died.
  auto dead = store_->Claim("dead", -1, 3);
  ASSERT_TRUE(dead.ok() && dead->has_value());
  auto taken = store_->Claim("alive", 60, 3);
  ASSERT_TRUE(taken.ok() && taken->has_value());
  EXPECT_EQ((*taken)->attempts, 2);
  JobOutcome ok;
  ok.ok = true;
  EXPECT_EQ(store_->Finish((*dead)->id, "dead", ok).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Renew((*dead)->id, "dead", 60).code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->Renew((*taken)->id, "alive", 60).ok());
  EXPECT_TRUE(store_->Finish((*taken)->id, "alive", ok).ok());
  EXPECT_EQ(store_->Counts()->done, 1);
}

TEST_F(SqliteJobStoreTest, LeaseLostTooOftenFails) {
  ASSERT_TRUE(store_->Submit({{"aa", "a"}}, 2).ok());
  ASSERT_TRUE(store_->Claim("w1", -1, 2)->has_value());
  ASSERT_TRUE(store_->Claim("w2", -1, 2)->has_value());
  EXPECT_FALSE(store_->Claim("w3", 60, 2)->has_value());
  Result<std::vector<Job>> jobs = store_->List();
  ASSERT_TRUE(jobs.ok());
  EXPECT_EQ((*jobs)[0].status, JobStatus::kFailed);
  EXPECT_NE((*jobs)[0].error.find("lease expired 2 times"), std::string::npos);
}

TEST_F(SqliteJobStoreTest, FailedJobsAreRetriedOnSubmitUnlessPermanentOrSpent) {
  ASSERT_TRUE(store_->Submit({{"crash", "c"}, {"notzip", "n"}}, 2).ok());
  auto crash = store_->Claim("w", 60, 2);
  auto notzip = store_->Claim("w", 60, 2);
  JobOutcome crashed;
  crashed.error = "killed by SIGSEGV";
  JobOutcome bad_input;
  bad_input.error = "exit 3: not a zip";
  bad_input.permanent = true;
  ASSERT_TRUE(store_->Finish((*crash)->id, "w", crashed).ok());
  ASSERT_TRUE(store_->Finish((*notzip)->id, "w", bad_input).ok());
  ASSERT_TRUE(store_->Submit({}, 2).ok());
  EXPECT_EQ(store_->Counts()->queued, 1);  // the crash, once more
  auto retry = store_->Claim("w", 60, 2);
  ASSERT_TRUE(retry->has_value());
  EXPECT_EQ((*retry)->sha256, "crash");
  ASSERT_TRUE(store_->Finish((*retry)->id, "w", crashed).ok());
  ASSERT_TRUE(store_->Submit({}, 2).ok());
  EXPECT_EQ(store_->Counts()->queued, 0);  // two attempts spent
  EXPECT_EQ(store_->Counts()->failed, 2);
}

TEST_F(SqliteJobStoreTest, EvidenceIsKeptForRejudge) {
  ASSERT_TRUE(store_->Submit({{"aa", "a"}}, 3).ok());
  auto job = store_->Claim("w", 60, 3);
  JobOutcome ok;
  ok.ok = true;
  ok.evidence = "{\"schema\": \"piaudit.evidence/1\"}";
  ASSERT_TRUE(store_->Finish((*job)->id, "w", ok).ok());
  Result<std::string> e = store_->Evidence((*job)->id);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, ok.evidence);
}

TEST_F(SqliteJobStoreTest, PolicyTravelsWithTheJobAndIsPartOfItsKey) {
  // The same APK alone, with policy p1 and with policy p2: three scans; p1 again: the same job.
  Result<int64_t> added = store_->Submit({{JobKey("aa", ""), "/x/a.apk", ""},
                                          {JobKey("aa", "p1"), "/x/a.apk", "/x/a.policy.txt"},
                                          {JobKey("aa", "p2"), "/x/a.apk", "/y/new.html"},
                                          {JobKey("aa", "p1"), "/z/a.apk", "/z/a.policy.txt"}},
                                         3);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 3);
  Result<std::vector<Job>> jobs = store_->List();
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 3u);
  EXPECT_EQ((*jobs)[0].sha256, "aa");
  EXPECT_EQ((*jobs)[0].policy_path, "");
  EXPECT_EQ((*jobs)[1].sha256, "aa.p1");
  EXPECT_EQ((*jobs)[1].policy_path, "/x/a.policy.txt");
  EXPECT_EQ(ApkSha256OfKey((*jobs)[1].sha256), "aa");
  EXPECT_EQ(ApkSha256OfKey((*jobs)[0].sha256), "aa");
  auto first = store_->Claim("w", 60, 3);
  auto second = store_->Claim("w", 60, 3);
  ASSERT_TRUE(first.ok() && first->has_value() && second.ok() && second->has_value());
  EXPECT_EQ((**first).policy_path, "");
  EXPECT_EQ((**second).policy_path, "/x/a.policy.txt");
}

TEST(CollectApksTest, PolicyFromListLineOrBesideTheApk) {
  namespace fs = std::filesystem;
  const fs::path d =
      fs::temp_directory_path() / ("piaudit_inputs_test_" + std::to_string(getpid()));
  fs::create_directories(d / "market");
  for (const char* f : {"market/a.apk", "market/a.policy.html", "market/a.policy.txt",
                        "market/b.apk", "market/c.APK", "market/c.policy.pdf", "other.txt"}) {
    std::ofstream(d / f) << f;
  }
  std::ofstream(d / "list.tsv") << "# app<TAB>policy\n"
                                << (d / "market/b.apk").string() << "\t"
                                << (d / "other.txt").string() << "\n";
  Result<std::vector<ApkInput>> apks =
      CollectApks({(d / "market").string()}, {(d / "list.tsv").string()});
  ASSERT_TRUE(apks.ok()) << apks.status().ToString();
  ASSERT_EQ(apks->size(), 4u);  // b.apk twice: alone (from the walk) and with the list's policy
  EXPECT_EQ((*apks)[0].apk, (d / "market/a.apk").string());
  EXPECT_EQ((*apks)[0].policy, (d / "market/a.policy.txt").string());  // .txt before .html
  EXPECT_EQ((*apks)[1].policy, "");
  EXPECT_EQ((*apks)[2].policy, (d / "other.txt").string());
  EXPECT_EQ((*apks)[3].policy, (d / "market/c.policy.pdf").string());
  Result<std::vector<Submission>> subs = MakeSubmissions(*apks);
  ASSERT_TRUE(subs.ok());
  EXPECT_EQ((*subs)[1].sha256.size(), 64u);           // no policy: the APK's SHA-256
  EXPECT_EQ((*subs)[2].sha256.size(), 64u + 1 + 64);  // APK.POLICY
  EXPECT_EQ((*subs)[2].sha256.substr(0, 64), (*subs)[1].sha256);
  EXPECT_EQ((*subs)[2].policy_path, (d / "other.txt").string());
  std::ofstream(d / "bad.tsv") << (d / "market/b.apk").string() << "\t" << (d / "gone.txt").string()
                               << "\n";
  EXPECT_EQ(CollectApks({}, {(d / "bad.tsv").string()}).status().code(), StatusCode::kNotFound);
  std::ofstream(d / "dir.tsv") << (d / "market").string() << "\t" << (d / "other.txt").string()
                               << "\n";
  EXPECT_EQ(CollectApks({}, {(d / "dir.tsv").string()}).status().code(), StatusCode::kInvalidInput);
  fs::remove_all(d);
}

// `piaudit serve`, its `batch work` worker and `piaudit user add` start on one new file at the same
// moment (the browser tests do). SQLite refuses some of those moments without waiting (the switch
// to WAL, the last connection's clean-up as it closes); every process must still get through.
TEST(SqliteFileSharedByProcessesTest, ProcessesStartingOnOneNewFileAllGetThrough) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("piaudit_job_store_shared_" + std::to_string(getpid()));
  constexpr int kRounds = 12;
  constexpr int kProcesses = 6;
  for (int round = 0; round < kRounds; ++round) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string path = (dir / "service.db").string();
    std::vector<pid_t> children;
    for (int p = 0; p < kProcesses; ++p) {
      pid_t pid = fork();
      ASSERT_GE(pid, 0);
      if (pid != 0) {
        children.push_back(pid);
        continue;
      }
      // The child: even ones are a service (the shared SQL layer), odd ones a worker (the queue).
      // Each opens, writes and closes three times, so openings meet closings.
      int failed = 0;
      for (int again = 0; again < 3 && failed == 0; ++again) {
        const std::string key = std::to_string(p) + "-" + std::to_string(again);
        if (p % 2 == 0) {
          auto db = sqldb::Open("sqlite:" + path);
          Status made =
              db.ok() ? (*db)->ExecScript("CREATE TABLE IF NOT EXISTS t (k TEXT)") : db.status();
          auto row =
              made.ok() ? (*db)->Exec("INSERT INTO t VALUES ($1)", {key}) : Result<int64_t>(made);
          if (!row.ok()) {
            std::fprintf(stderr, "service %d: %s\n", p, row.status().ToString().c_str());
            failed = 1;
          }
        } else {
          auto store = OpenJobStore("sqlite:" + path);
          auto added = store.ok() ? (*store)->Submit({{key, "/x/" + key + ".apk"}}, 3)
                                  : Result<int64_t>(store.status());
          auto claimed = added.ok() ? (*store)->Claim("w" + key, 60, 3)
                                    : Result<std::optional<Job>>(added.status());
          if (!claimed.ok()) {
            std::fprintf(stderr, "worker %d: %s\n", p, claimed.status().ToString().c_str());
            failed = 1;
          }
        }
      }
      _exit(failed);
    }
    for (pid_t pid : children) {
      int status = 0;
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "round " << round;
    }
    auto store = OpenJobStore("sqlite:" + path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto counts = (*store)->Counts();
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ(counts->total(), (kProcesses / 2) * 3) << "round " << round;
  }
  fs::remove_all(dir);
}

TEST(OpenJobStoreTest, UnknownSchemeIsAnError) {
  Result<std::unique_ptr<JobStore>> s = OpenJobStore("mysql://x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace piaudit::batch
