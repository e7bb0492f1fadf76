// data/review/process.yaml: the bundled process has the steps and deadlines of the provisions,
// every legal basis is a message in both languages, `kb check` rejects a broken process with file
// and line, and docs/review.md shows every step as the data declares it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "review/review_test_support.h"

namespace piaudit::review {
namespace {

namespace fs = std::filesystem;
using knowledge::DeadlineKind;
using knowledge::DeadlineUnit;
using knowledge::ReviewTransition;

std::string ReadAll(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    kb_ = testing::BundledKb(&error);
    ASSERT_NE(kb_, nullptr) << error;
  }
  const ReviewTransition& Step(const char* action) {
    const ReviewTransition* t = kb_->review_process().FindTransition(action);
    EXPECT_NE(t, nullptr) << action;
    static const ReviewTransition kNone;
    return t ? *t : kNone;
  }
  const knowledge::KnowledgeBase* kb_ = nullptr;
};

TEST_F(ProcessTest, DeadlinesAreThoseOfTheProvisions) {
  const auto& complaint = Step("receive_complaint");
  ASSERT_TRUE(complaint.deadline.has_value());
  EXPECT_EQ(complaint.deadline->days, 15);
  EXPECT_EQ(complaint.deadline->unit, DeadlineUnit::kWorkingDays);
  EXPECT_EQ(complaint.deadline->kind, DeadlineKind::kDue);
  const auto& order = Step("order_rectification");
  ASSERT_TRUE(order.deadline.has_value());
  EXPECT_EQ(order.deadline->days, 5);
  EXPECT_EQ(order.deadline->unit, DeadlineUnit::kWorkingDays);
  const auto& notice = Step("publish_notice");
  ASSERT_TRUE(notice.deadline.has_value());
  EXPECT_EQ(notice.deadline->days, 5);
  EXPECT_EQ(notice.deadline->unit, DeadlineUnit::kCalendarDays);
  EXPECT_EQ(notice.deadline->kind, DeadlineKind::kWait);
  for (const char* removal : {"remove", "remove_directly"}) {
    const auto& t = Step(removal);
    ASSERT_TRUE(t.deadline.has_value()) << removal;
    EXPECT_EQ(t.deadline->days, 40);
    EXPECT_EQ(t.deadline->unit, DeadlineUnit::kWorkingDays);
    EXPECT_EQ(t.deadline->kind, DeadlineKind::kWait);
  }
  EXPECT_TRUE(Step("remove").Requires("deadline_passed"));
  EXPECT_TRUE(Step("mark_overdue").Requires("deadline_passed"));
  EXPECT_TRUE(Step("rectify").Requires("rescan_clean"));
  EXPECT_TRUE(Step("apply_relist").Requires("pledge"));
  EXPECT_TRUE(Step("relist").Requires("relisting_bar_ended"));
  EXPECT_TRUE(Step("add_to_credit_list").to.empty());
  // Thresholds T13/T15 say the same numbers.
  EXPECT_EQ(kb_->FindThreshold("T13")->value.value_or(0), 5);
  EXPECT_EQ(kb_->FindThreshold("T15")->value.value_or(0), 40);
}

TEST_F(ProcessTest, EveryBasisIsAMessageInBothLanguages) {
  const auto& p = kb_->review_process();
  EXPECT_GE(p.transitions.size(), 15u);
  for (const ReviewTransition& t : p.transitions) {
    const knowledge::Message* m = kb_->FindMessage(t.basis);
    ASSERT_NE(m, nullptr) << t.action << ": " << t.basis;
    EXPECT_FALSE(m->zh.empty() || m->en.empty()) << t.basis;
    EXPECT_FALSE(t.source.empty()) << t.action;
  }
  for (const knowledge::ReviewState& s : p.states) {
    EXPECT_FALSE(s.zh.empty() || s.en.empty() || s.source.empty()) << s.id;
  }
}

// A copy of the bundled tree with process.yaml replaced; returns the load error text.
std::string LoadWithProcess(const std::string& edit_from, const std::string& edit_to) {
  const fs::path dir =
      fs::temp_directory_path() / ("piaudit_review_kb_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(PIAUDIT_DATA_DIR, dir, fs::copy_options::recursive);
  const fs::path file = dir / "review" / "process.yaml";
  std::string text = ReadAll(file);
  const size_t at = text.find(edit_from);
  EXPECT_NE(at, std::string::npos) << edit_from;
  if (at != std::string::npos) text.replace(at, edit_from.size(), edit_to);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  Diagnostics diags;
  auto kb = knowledge::KnowledgeBase::Load(dir.string(), &diags);
  fs::remove_all(dir);
  if (kb.ok()) return "";
  std::string all;
  for (const Diagnostic& d : diags.items()) all += d.file + ": " + d.message + "\n";
  return all;
}

TEST(ProcessLoadTest, BrokenProcessIsRejectedWithFileAndLine) {
  std::string e = LoadWithProcess("from: [complaint_received]\n", "from: [complaint_recieved]\n");
  EXPECT_NE(e.find("process.yaml:"), std::string::npos) << e;
  EXPECT_NE(e.find("'complaint_recieved' is not a declared state"), std::string::npos) << e;
  e = LoadWithProcess("roles: [admin, inspector, developer]\n    requires: [rescan_clean]\n",
                      "roles: [admin, clerk, developer]\n    requires: [rescan_clean]\n");
  EXPECT_NE(e.find("'clerk' is not one of the declared roles"), std::string::npos) << e;
  e = LoadWithProcess("basis: review.basis.close", "basis: review.basis.nothing");
  EXPECT_NE(e.find("message 'review.basis.nothing' is not in messages.yaml"), std::string::npos)
      << e;
  e = LoadWithProcess("{days: 40, unit: working_days, kind: wait}",
                      "{days: 40, unit: fortnights, kind: wait}");
  EXPECT_NE(e.find("'fortnights' is not one of working_days, calendar_days"), std::string::npos)
      << e;
  e = LoadWithProcess("requires: [relisting_bar_ended]", "requires: [good_mood]");
  EXPECT_NE(e.find("'good_mood'"), std::string::npos) << e;
  // A state nothing leads to.
  e = LoadWithProcess("    to: closed\n", "    to: complaint_answered\n");
  EXPECT_NE(e.find("state 'closed': no transition leads to this state"), std::string::npos) << e;
}

// docs/review.md has one table row per step, generated from (and checked against) the data:
//   | `action` | from, ... | to | roles | requires | deadline | basis |
TEST_F(ProcessTest, EveryTransitionIsInTheDocs) {
  const std::string doc = ReadAll(PIAUDIT_SOURCE_DIR "/docs/review.md");
  ASSERT_FALSE(doc.empty());
  for (const ReviewTransition& t : kb_->review_process().transitions) {
    const std::string head = "| `" + t.action + "` |";
    const size_t at = doc.find(head);
    ASSERT_NE(at, std::string::npos) << "docs/review.md has no row for " << t.action;
    const std::string row = doc.substr(at, doc.find('\n', at) - at);
    std::string from;
    for (const std::string& f : t.from) from += (from.empty() ? "" : ", ") + f;
    std::string roles;
    for (const std::string& r : t.roles) roles += (roles.empty() ? "" : ", ") + r;
    std::string requires_list;
    for (const std::string& r : t.requires_) {
      requires_list += (requires_list.empty() ? "" : ", ") + r;
    }
    std::string deadline = "none";
    if (t.deadline) {
      deadline = std::to_string(t.deadline->days) + " " +
                 (t.deadline->unit == DeadlineUnit::kWorkingDays ? "working" : "calendar") +
                 " days, " + (t.deadline->kind == DeadlineKind::kDue ? "due" : "wait");
    }
    const std::string expected =
        head + " " + from + " | " + (t.to.empty() ? "(unchanged)" : t.to) + " | " + roles + " | " +
        (requires_list.empty() ? "-" : requires_list) + " | " + deadline + " | `" + t.basis + "` |";
    EXPECT_EQ(row, expected);
  }
}

}  // namespace
}  // namespace piaudit::review
