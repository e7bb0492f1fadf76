// The oversight process as data (data/review/process.yaml): the states of a case, the steps
// (transitions) between them, who may take each step, its legal basis (a message id) and the
// deadline it starts. KnowledgeBase::Load reads and checks it, so `piaudit kb check` validates it;
// src/review enforces it over the case store.
#ifndef PIAUDIT_KNOWLEDGE_REVIEW_PROCESS_H_
#define PIAUDIT_KNOWLEDGE_REVIEW_PROCESS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/data_location.h"

namespace piaudit::knowledge {

enum class DeadlineUnit : uint8_t { kWorkingDays, kCalendarDays };
std::string_view DeadlineUnitName(DeadlineUnit unit);  // "working_days", "calendar_days"

// kDue: the next step is due by the deadline; after it the case is overdue.
// kWait: a step that must not happen before the deadline (the notice period, the relisting bar).
enum class DeadlineKind : uint8_t { kDue, kWait };
std::string_view DeadlineKindName(DeadlineKind kind);  // "due", "wait"

struct ReviewDeadline {
  int days = 0;  // 1..400
  DeadlineUnit unit = DeadlineUnit::kWorkingDays;
  DeadlineKind kind = DeadlineKind::kDue;
};

struct ReviewState {
  std::string id;  // "rectification_ordered"
  std::string zh;
  std::string en;
  bool terminal = false;
  std::string note;
  std::string source;
  DataLocation where;
};

struct ReviewTransition {
  std::string action;             // "order_rectification"
  std::vector<std::string> from;  // state ids
  std::string to;                 // state id; empty = the state does not change (a list entry)
  std::vector<std::string> roles;
  // What src/review checks before the step: deadline_passed, rescan_clean, pledge,
  // relisting_bar_ended, credit_reason (data/review/process.yaml says what each means).
  std::vector<std::string> requires_;
  std::string basis;  // message id in data/messages.yaml
  std::optional<ReviewDeadline> deadline;
  std::string note;
  std::string source;
  DataLocation where;

  bool Requires(std::string_view what) const;
  bool AllowsRole(std::string_view role) const;
  bool AllowsFrom(std::string_view state) const;
};

struct ReviewProcess {
  std::string version;
  std::vector<std::string> roles;  // admin, inspector, store, developer
  std::vector<ReviewState> states;
  std::string initial;  // the state of a new case
  std::vector<ReviewTransition> transitions;

  const ReviewState* FindState(std::string_view id) const;
  const ReviewTransition* FindTransition(std::string_view action) const;
};

// The requirement names a transition may list.
inline constexpr const char* kReviewRequirements[] = {"deadline_passed", "rescan_clean", "pledge",
                                                      "relisting_bar_ended", "credit_reason"};

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_REVIEW_PROCESS_H_
