// The oversight process end to end on both databases: complaints answered within 15 working days,
// rectification deadlines across a holiday and a 调休 Saturday, overdue -> notice -> removal ->
// the relisting bar (a renamed package with the same certificate is refused for 40 working days),
// access cut and restored, the credit list, and every kind of refused step.
#include <gtest/gtest.h>

#include <string>

#include "review/audit_log.h"
#include "review/review_test_support.h"

namespace piaudit::review {
namespace {

using testing::D;
using testing::ReviewDbTest;

const Actor kInspector{"li.inspector", "inspector"};
const Actor kAdmin{"wang.admin", "admin"};
const Actor kDeveloper{"acme.dev", "developer"};
const Actor kOtherDeveloper{"rival.dev", "developer"};
const Actor kStore{"store.op", "store"};

const std::string kCert(64, 'a');
const std::string kOtherCert(64, 'b');

std::string Hex(char c) { return std::string(64, c); }

class ReviewStoreTest : public ReviewDbTest {
 protected:
  // An app with versions 1 and 2 and a case about version 1's IM-3.1 and IM-5.1 findings.
  void SetUp() override {
    ReviewDbTest::SetUp();
    if (::testing::Test::IsSkipped() || HasFatalFailure()) return;
    auto app = store_->AddApp({"com.acme.shop", kCert, "Acme <b>Shop</b>", "acme.dev", "store-a"},
                              kAdmin, "2026-01-05T09:00:00+08:00");
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = *app;
    auto v1 = store_->AddAppVersion({app_, "1.0", 10, Hex('1'), "scan/1"}, kAdmin, "t1");
    ASSERT_TRUE(v1.ok()) << v1.status().ToString();
    v1_ = *v1;
    auto v2 = store_->AddAppVersion({app_, "1.1", 11, Hex('2'), "scan/2"}, kDeveloper, "t2");
    ASSERT_TRUE(v2.ok()) << v2.status().ToString();
    v2_ = *v2;
  }

  int64_t OpenRectificationCase(knowledge::Date opened) {
    CaseInput in;
    in.app_version_id = v1_;
    in.items = {"IM-3.1", "IM-5.1"};
    in.findings_json = R"({"IM-3.1":"violation","IM-5.1":"violation"})";
    in.people = {{"li.inspector", "inspector"}, {"acme.dev", "developer"}};
    auto id = store_->OpenCase(in, kInspector, opened, "t-open");
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  Result<CaseView> Do(int64_t case_id, const std::string& action, const Actor& actor,
                      const char* date) {
    StepRequest r;
    r.action = action;
    r.actor = actor;
    r.date = D(date);
    r.at = std::string(date) + "T10:00:00+08:00";
    return store_->Step(case_id, r);
  }

  size_t EventCount(int64_t case_id) {
    auto t = store_->Timeline(case_id);
    EXPECT_TRUE(t.ok());
    return t.ok() ? t->size() : 0;
  }

  int64_t app_ = 0;
  int64_t v1_ = 0;
  int64_t v2_ = 0;
};

TEST_P(ReviewStoreTest, ComplaintAnsweredWithinFifteenWorkingDays) {
  ComplaintInput c;
  c.app_version_id = v1_;
  c.complainant = "a user";
  c.channel = "web";
  c.text = "The app reads my contacts before I agree.";
  c.items = {"IM-3.1"};
  // Thursday 2026-09-24: 中秋 (09-25..27) and 国庆 (10-01..07) are off, Saturday 10-10 is a 调休
  // working day. Fifteen working days end on 2026-10-22 (calendar days would give 10-09).
  auto id = store_->FileComplaint(c, kInspector, D("2026-09-24"), "2026-09-24T09:30:00+08:00");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto view = store_->GetCase(*id, D("2026-09-24"));
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->state, "complaint_received");
  ASSERT_TRUE(view->deadline.has_value());
  EXPECT_EQ(view->deadline->ToString(), "2026-10-22");
  EXPECT_EQ(view->deadline_kind, "due");
  EXPECT_EQ(view->deadline_action, "receive_complaint");
  auto expected = kb_->calendar().AddWorkingDays(D("2026-09-24"), 15);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(*view->deadline, *expected);
  EXPECT_FALSE(view->overdue);
  EXPECT_NE(std::find(view->next_actions.begin(), view->next_actions.end(), "answer_complaint"),
            view->next_actions.end());

  // Monday 10-19: due this week (by Sunday 10-25); not overdue on 10-22, overdue on 10-23.
  auto week = store_->DueThisWeek(D("2026-10-19"));
  ASSERT_TRUE(week.ok());
  ASSERT_EQ(week->size(), 1u);
  EXPECT_EQ((*week)[0].id, *id);
  EXPECT_TRUE(store_->DueThisWeek(D("2026-10-26"))->empty());
  EXPECT_TRUE(store_->Overdue(D("2026-10-22"))->empty());
  auto late = store_->Overdue(D("2026-10-23"));
  ASSERT_TRUE(late.ok());
  ASSERT_EQ(late->size(), 1u);
  EXPECT_TRUE((*late)[0].overdue);

  // Answered on 10-21, within the limit: the deadline is gone.
  StepRequest answer;
  answer.action = "answer_complaint";
  answer.actor = kInspector;
  answer.date = D("2026-10-21");
  answer.at = "2026-10-21T16:00:00+08:00";
  answer.documents = {
      {"answer", "reply to the complainant", "We ordered the developer to fix it.", ""}};
  auto answered = store_->Step(*id, answer);
  ASSERT_TRUE(answered.ok()) << answered.status().ToString();
  EXPECT_EQ(answered->state, "complaint_answered");
  EXPECT_FALSE(answered->deadline.has_value());
  EXPECT_LE(D("2026-10-21"), *expected);
  EXPECT_TRUE(store_->Overdue(D("2026-10-23"))->empty());

  auto timeline = store_->Timeline(*id);
  ASSERT_TRUE(timeline.ok());
  ASSERT_EQ(timeline->size(), 2u);
  EXPECT_EQ((*timeline)[0].action, "receive_complaint");
  EXPECT_EQ((*timeline)[0].from_state, "new");
  EXPECT_EQ((*timeline)[0].basis, "review.basis.complaint");
  EXPECT_EQ((*timeline)[0].deadline_rule, "15 working_days due");
  ASSERT_EQ((*timeline)[0].documents.size(), 1u);
  EXPECT_EQ((*timeline)[0].documents[0].text, c.text);
  EXPECT_EQ((*timeline)[1].action, "answer_complaint");
  EXPECT_EQ((*timeline)[1].actor.name, "li.inspector");
  ASSERT_EQ((*timeline)[1].documents.size(), 1u);
  EXPECT_EQ((*timeline)[1].documents[0].kind, "answer");
}

TEST_P(ReviewStoreTest, RectificationDeadlineSkipsTheHolidayAndCountsTheMakeUpSaturday) {
  // 2026 春节: 02-15..02-23 off; Saturday 02-14 is a 调休 working day (data/holidays/cn-2026.yaml).
  ASSERT_TRUE(*kb_->calendar().IsWorkingDay(D("2026-02-14")));
  ASSERT_FALSE(*kb_->calendar().IsWorkingDay(D("2026-02-16")));
  const int64_t id = OpenRectificationCase(D("2026-02-12"));
  auto ordered = Do(id, "order_rectification", kInspector, "2026-02-12");
  ASSERT_TRUE(ordered.ok()) << ordered.status().ToString();
  // Thursday 02-12 + 5 working days: 02-13 (Fri), 02-14 (Sat, 调休), then 02-24, 25, 26.
  ASSERT_TRUE(ordered->deadline.has_value());
  EXPECT_EQ(ordered->deadline->ToString(), "2026-02-26");
  EXPECT_NE(ordered->deadline->ToString(), "2026-02-19");  // weekdays only, no holiday
  EXPECT_EQ(ordered->state, "rectification_ordered");
}

TEST_P(ReviewStoreTest, OverdueNoticeRemovalAndTheRelistingBar) {
  const int64_t id = OpenRectificationCase(D("2026-02-12"));
  ASSERT_TRUE(Do(id, "order_rectification", kInspector, "2026-02-12").ok());
  // Not overdue on the last day of the deadline; overdue the day after.
  auto early = Do(id, "mark_overdue", kInspector, "2026-02-26");
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(RefusalOf(early.status()), Refusal::kRequirement);
  EXPECT_NE(early.status().message().find("2026-02-26"), std::string::npos)
      << early.status().ToString();
  auto overdue_list = store_->Overdue(D("2026-02-27"));
  ASSERT_TRUE(overdue_list.ok());
  ASSERT_EQ(overdue_list->size(), 1u);
  EXPECT_EQ((*overdue_list)[0].id, id);
  auto overdue = Do(id, "mark_overdue", kInspector, "2026-02-27");
  ASSERT_TRUE(overdue.ok()) << overdue.status().ToString();
  EXPECT_EQ(overdue->state, "overdue");

  // The notice; removal not before 5 (calendar) days after it.
  StepRequest notice;
  notice.action = "publish_notice";
  notice.actor = kInspector;
  notice.date = D("2026-03-02");
  notice.at = "2026-03-02T10:00:00+08:00";
  notice.documents = {
      {"notice", "public notice", "Acme Shop has not rectified IM-3.1, IM-5.1.", ""}};
  auto published = store_->Step(id, notice);
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  ASSERT_TRUE(published->deadline.has_value());
  EXPECT_EQ(published->deadline->ToString(), "2026-03-07");
  EXPECT_EQ(published->deadline_kind, "wait");
  EXPECT_FALSE(published->overdue);
  auto too_soon = Do(id, "remove", kInspector, "2026-03-07");
  ASSERT_FALSE(too_soon.ok());
  EXPECT_EQ(RefusalOf(too_soon.status()), Refusal::kRequirement);
  auto removed = Do(id, "remove", kInspector, "2026-03-09");
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(removed->state, "removed");
  // Monday 03-09 + 40 working days (清明 04-06 and 劳动节 05-01..05 off) = Friday 2026-05-08.
  ASSERT_TRUE(removed->deadline.has_value());
  EXPECT_EQ(removed->deadline->ToString(), "2026-05-08");
  EXPECT_EQ(*removed->deadline, *kb_->calendar().AddWorkingDays(D("2026-03-09"), 40));

  // A renamed package with the same certificate is refused inside the bar, naming the removal.
  auto renamed = store_->CanList("com.acme.shop2", kCert, D("2026-05-08"));
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_FALSE(renamed->allowed);
  EXPECT_EQ(renamed->matched, "certificate");
  EXPECT_EQ(renamed->case_id, id);
  EXPECT_GT(renamed->removal_id, 0);
  EXPECT_EQ(renamed->bar_ends.ToString(), "2026-05-08");
  EXPECT_NE(renamed->reason.find("2026-05-08"), std::string::npos) << renamed->reason;
  EXPECT_NE(renamed->reason.find("removal " + std::to_string(renamed->removal_id)),
            std::string::npos)
      << renamed->reason;
  // The same package with a new signer is refused too; an unrelated app is not.
  auto resigned = store_->CanList("com.acme.shop", kOtherCert, D("2026-04-01"));
  ASSERT_TRUE(resigned.ok());
  EXPECT_FALSE(resigned->allowed);
  EXPECT_EQ(resigned->matched, "package");
  auto same = store_->CanList("com.acme.shop", kCert, D("2026-03-10"));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->matched, "package and certificate");
  EXPECT_TRUE(store_->CanList("org.other.app", kOtherCert, D("2026-04-01"))->allowed);
  // After the bar (from Saturday 05-09, itself a 调休 working day) every form is allowed.
  EXPECT_TRUE(store_->CanList("com.acme.shop2", kCert, D("2026-05-09"))->allowed);
  EXPECT_TRUE(store_->CanList("com.acme.shop", kCert, D("2026-05-11"))->allowed);
  EXPECT_FALSE(store_->CanList("com.acme.shop", "not-hex", D("2026-05-11")).ok());

  // Application to relist: needs a clean re-scan of a newer version and a pledge.
  StepRequest apply;
  apply.action = "apply_relist";
  apply.actor = kDeveloper;
  apply.date = D("2026-04-20");
  apply.at = "2026-04-20T10:00:00+08:00";
  apply.rescan = Rescan{v2_, {}};
  auto no_pledge = store_->Step(id, apply);
  ASSERT_FALSE(no_pledge.ok());
  EXPECT_EQ(RefusalOf(no_pledge.status()), Refusal::kRequirement);
  EXPECT_NE(no_pledge.status().message().find("pledge"), std::string::npos);
  apply.documents = {{"pledge", "self-discipline pledge", "We pledge to ...", ""}};
  auto applied = store_->Step(id, apply);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->state, "relisting_applied");
  // Relisting inside the bar is refused, naming the bar's end; after it, allowed.
  auto inside = Do(id, "relist", kInspector, "2026-05-08");
  ASSERT_FALSE(inside.ok());
  EXPECT_EQ(RefusalOf(inside.status()), Refusal::kRequirement);
  EXPECT_NE(inside.status().message().find("2026-05-08"), std::string::npos);
  auto relisted = Do(id, "relist", kAdmin, "2026-05-11");
  ASSERT_TRUE(relisted.ok()) << relisted.status().ToString();
  EXPECT_EQ(relisted->state, "relisted");
  EXPECT_TRUE(relisted->next_actions.size() == 1 &&
              relisted->next_actions[0] == "add_to_credit_list");

  // The public page: the notice and the removal, newest first, the label as given.
  auto public_entries = store_->PublicNotices(10);
  ASSERT_TRUE(public_entries.ok()) << public_entries.status().ToString();
  ASSERT_EQ(public_entries->size(), 2u);
  EXPECT_EQ((*public_entries)[0].kind, "removal");
  EXPECT_EQ((*public_entries)[0].bar_ends->ToString(), "2026-05-08");
  EXPECT_EQ((*public_entries)[1].kind, "notice");
  EXPECT_EQ((*public_entries)[1].label, "Acme <b>Shop</b>");
  EXPECT_EQ(EventCount(id),
            6u);  // order, overdue, notice, remove, apply, relist: refusals add none
  auto audit = VerifyAuditLog(*db_);
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->intact) << audit->problem;
}

TEST_P(ReviewStoreTest, DirectRemovalAccessCutAndRestored) {
  const int64_t id = OpenRectificationCase(D("2026-06-01"));
  auto by_inspector = Do(id, "remove_directly", kInspector, "2026-06-01");
  ASSERT_FALSE(by_inspector.ok());
  EXPECT_EQ(RefusalOf(by_inspector.status()), Refusal::kWrongRole);
  auto removed = Do(id, "remove_directly", kAdmin, "2026-06-01");
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_FALSE(store_->CanList("com.acme.shop", kCert, D("2026-06-02"))->allowed);
  ASSERT_TRUE(Do(id, "cut_access", kInspector, "2026-06-10").ok());
  StepRequest apply;
  apply.action = "apply_restore_access";
  apply.actor = kDeveloper;
  apply.date = D("2026-06-15");
  apply.at = "t";
  apply.rescan = Rescan{v2_, {"IM-1.1"}};  // another item fails; the ordered ones are gone
  auto applied = store_->Step(id, apply);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->state, "access_restore_applied");
  auto restored = Do(id, "restore_access", kInspector, "2026-06-16");
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->state, "removed");
  // Restoring access is not a second removal: one bar, from 06-01.
  auto check = store_->CanList("com.acme.shop", kCert, D("2026-06-16"));
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->removed_on.ToString(), "2026-06-01");
}

TEST_P(ReviewStoreTest, CreditListEntryNeedsAReasonAndKeepsTheState) {
  const int64_t id = OpenRectificationCase(D("2026-06-01"));
  ASSERT_TRUE(Do(id, "order_rectification", kInspector, "2026-06-01").ok());
  auto no_reason = Do(id, "add_to_credit_list", kAdmin, "2026-06-02");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(RefusalOf(no_reason.status()), Refusal::kRequirement);
  StepRequest r;
  r.action = "add_to_credit_list";
  r.actor = kAdmin;
  r.date = D("2026-06-02");
  r.at = "t";
  r.credit_reason = "repeated";
  auto listed = store_->Step(id, r);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(listed->state, "rectification_ordered");
  EXPECT_EQ(listed->deadline->ToString(), "2026-06-08");  // the order's deadline is kept
  auto rows =
      db_->Query("SELECT reason, developer FROM review_credit_list WHERE case_id = $1", {id});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(sqldb::CellText((*rows)[0][0]), "repeated");
  EXPECT_EQ(sqldb::CellText((*rows)[0][1]), "acme.dev");
}

TEST_P(ReviewStoreTest, RefusedStepsWriteNothing) {
  const int64_t id = OpenRectificationCase(D("2026-06-01"));
  ASSERT_TRUE(Do(id, "order_rectification", kInspector, "2026-06-01").ok());
  auto before = VerifyAuditLog(*db_);
  ASSERT_TRUE(before.ok());
  const size_t events = EventCount(id);

  // Wrong state: a complaint answer on a rectification case.
  auto wrong_state = Do(id, "answer_complaint", kInspector, "2026-06-02");
  ASSERT_FALSE(wrong_state.ok());
  EXPECT_EQ(RefusalOf(wrong_state.status()), Refusal::kWrongState);
  EXPECT_NE(wrong_state.status().message().find("rectification_ordered"), std::string::npos)
      << wrong_state.status().ToString();
  // Wrong role: a developer or a store operator cannot order or mark overdue.
  auto wrong_role = Do(id, "mark_overdue", kDeveloper, "2026-06-20");
  ASSERT_FALSE(wrong_role.ok());
  EXPECT_EQ(RefusalOf(wrong_role.status()), Refusal::kWrongRole);
  EXPECT_NE(wrong_role.status().message().find("developer"), std::string::npos);
  EXPECT_EQ(RefusalOf(Do(id, "mark_overdue", kStore, "2026-06-20").status()), Refusal::kWrongRole);
  EXPECT_EQ(RefusalOf(Do(id, "fly_away", kAdmin, "2026-06-20").status()), Refusal::kUnknownAction);
  EXPECT_EQ(RefusalOf(Do(id, "mark_overdue", Actor{"x", "janitor"}, "2026-06-20").status()),
            Refusal::kWrongRole);
  // Another developer's app.
  StepRequest r;
  r.action = "rectify";
  r.actor = kOtherDeveloper;
  r.date = D("2026-06-03");
  r.at = "t";
  r.rescan = Rescan{v2_, {}};
  EXPECT_EQ(RefusalOf(store_->Step(id, r).status()), Refusal::kNotOwner);
  // The owner, but the re-scan still finds an ordered item.
  r.actor = kDeveloper;
  r.rescan = Rescan{v2_, {"IM-5.1", "IM-2.1"}};
  auto still = store_->Step(id, r);
  ASSERT_FALSE(still.ok());
  EXPECT_EQ(RefusalOf(still.status()), Refusal::kRequirement);
  EXPECT_NE(still.status().message().find("IM-5.1"), std::string::npos);
  // A re-scan of the same (not newer) version proves nothing.
  r.rescan = Rescan{v1_, {}};
  EXPECT_EQ(RefusalOf(store_->Step(id, r).status()), Refusal::kRequirement);
  // No re-scan at all.
  r.rescan.reset();
  EXPECT_EQ(RefusalOf(store_->Step(id, r).status()), Refusal::kRequirement);
  // A step dated before the case's last step.
  EXPECT_EQ(RefusalOf(Do(id, "mark_overdue", kInspector, "2026-05-01").status()),
            Refusal::kRequirement);

  EXPECT_EQ(EventCount(id), events);
  auto after = VerifyAuditLog(*db_);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->entries, before->entries);
  auto state = store_->GetCase(id, D("2026-06-03"));
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->state, "rectification_ordered");

  // The clean re-scan of the newer version rectifies.
  r.rescan = Rescan{v2_, {"IM-2.1"}};
  auto done = store_->Step(id, r);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->state, "rectified");
  EXPECT_TRUE(done->next_actions.size() == 1);  // only a credit-list entry
}

TEST_P(ReviewStoreTest, CaseOpenedOnlyByARoleThatMayTakeAFirstStep) {
  CaseInput in;
  in.app_version_id = v1_;
  auto by_dev = store_->OpenCase(in, kDeveloper, D("2026-06-01"), "t");
  ASSERT_FALSE(by_dev.ok());
  EXPECT_EQ(RefusalOf(by_dev.status()), Refusal::kWrongRole);
  in.app_version_id = 9999;
  EXPECT_EQ(store_->OpenCase(in, kInspector, D("2026-06-01"), "t").status().code(),
            StatusCode::kNotFound);
  // Oversized findings are refused, not stored.
  in.app_version_id = v1_;
  in.findings_json.assign(2 * 1024 * 1024, 'x');
  EXPECT_EQ(store_->OpenCase(in, kInspector, D("2026-06-01"), "t").status().code(),
            StatusCode::kLimitExceeded);
  // The same package and certificate twice is one app.
  auto again = store_->AddApp({"com.acme.shop", kCert, "dup", "acme.dev", ""}, kAdmin, "t");
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(sqldb::IsUniqueViolation(again.status())) << again.status().ToString();
  auto found = store_->FindApp("com.acme.shop", kCert);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, app_);
}

TEST_P(ReviewStoreTest, ListsAndCountsCases) {
  const int64_t first = OpenRectificationCase(D("2026-06-01"));
  const int64_t second = OpenRectificationCase(D("2026-06-01"));
  ASSERT_TRUE(Do(second, "order_rectification", kInspector, "2026-06-01").ok());
  auto other_app = store_->AddApp({"org.rival", kOtherCert, "Rival", "rival.dev", ""}, kAdmin, "t");
  ASSERT_TRUE(other_app.ok());
  auto other_version = store_->AddAppVersion({*other_app, "1", 1, Hex('3'), ""}, kAdmin, "t");
  ASSERT_TRUE(other_version.ok());
  CaseInput in;
  in.app_version_id = *other_version;
  ASSERT_TRUE(store_->OpenCase(in, kInspector, D("2026-06-01"), "t").ok());

  auto mine = store_->ListCases({"", "acme.dev", 0, 100}, D("2026-06-02"));
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].id, second);  // newest first
  EXPECT_EQ((*mine)[1].id, first);
  auto ordered = store_->ListCases({"rectification_ordered", "", 0, 100}, D("2026-06-09"));
  ASSERT_TRUE(ordered.ok());
  ASSERT_EQ(ordered->size(), 1u);
  EXPECT_TRUE((*ordered)[0].overdue);  // due 06-08
  EXPECT_EQ(store_->ListCases({"", "", *other_app, 100}, D("2026-06-02"))->size(), 1u);
  EXPECT_EQ(store_->ListCases({"", "", 0, 1}, D("2026-06-02"))->size(), 1u);
  auto counts = store_->CountByState();
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  ASSERT_EQ(counts->size(), kb_->review_process().states.size());
  EXPECT_EQ((*counts)[0], (std::pair<std::string, int64_t>{"new", 2}));
  for (const auto& [state, n] : *counts) {
    EXPECT_EQ(n, state == "new" ? 2 : state == "rectification_ordered" ? 1 : 0) << state;
  }
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, ReviewStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace piaudit::review
