// Loader of data/review/process.yaml (see review_process.h and the file's own header).
//
// Checked: states and actions unique and lower_snake_case; every `from`/`to`/`initial` a declared
// state; roles from the declared role list; requirements from kReviewRequirements; a deadline of
// 1..400 days in working_days or calendar_days, kind due or wait; every non-terminal state left by
// some step and every state but the initial one reached by some step (a step nobody can take, or a
// case that can never end, is a data error).
#include "knowledge/review_process.h"

#include <algorithm>
#include <map>
#include <set>

#include "knowledge/internal/review_process_loader.h"

namespace piaudit::knowledge {
namespace {

using internal::Errors;
using internal::File;
using internal::Obj;

bool IsSnakeId(const std::string& s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void ReadDeadline(const File& f, const YamlNode& n, const std::string& what, ReviewDeadline* out,
                  bool* ok) {
  Obj o(f, n, what + ": deadline", {"days", "unit", "kind"});
  *ok = false;
  if (!o.ok()) return;
  int days = 0;
  std::string unit, kind;
  bool good = o.Int("days", &days, true);
  if (good && (days < 1 || days > 400)) {
    o.Fail(o.Get("days"), "days: " + std::to_string(days) + " outside 1..400");
    good = false;
  }
  if (o.Str("unit", &unit, true)) {
    if (unit == "working_days") {
      out->unit = DeadlineUnit::kWorkingDays;
    } else if (unit == "calendar_days") {
      out->unit = DeadlineUnit::kCalendarDays;
    } else {
      o.Fail(o.Get("unit"), "unit: '" + unit + "' is not one of working_days, calendar_days");
      good = false;
    }
  } else {
    good = false;
  }
  if (o.Str("kind", &kind, true)) {
    if (kind == "due") {
      out->kind = DeadlineKind::kDue;
    } else if (kind == "wait") {
      out->kind = DeadlineKind::kWait;
    } else {
      o.Fail(o.Get("kind"), "kind: '" + kind + "' is not one of due, wait");
      good = false;
    }
  } else {
    good = false;
  }
  out->days = days;
  *ok = good;
}

}  // namespace

std::string_view DeadlineUnitName(DeadlineUnit unit) {
  return unit == DeadlineUnit::kWorkingDays ? "working_days" : "calendar_days";
}

std::string_view DeadlineKindName(DeadlineKind kind) {
  return kind == DeadlineKind::kDue ? "due" : "wait";
}

bool ReviewTransition::Requires(std::string_view what) const { return Contains(requires_, what); }
bool ReviewTransition::AllowsRole(std::string_view role) const { return Contains(roles, role); }
bool ReviewTransition::AllowsFrom(std::string_view state) const { return Contains(from, state); }

const ReviewState* ReviewProcess::FindState(std::string_view id) const {
  for (const ReviewState& s : states) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const ReviewTransition* ReviewProcess::FindTransition(std::string_view action) const {
  for (const ReviewTransition& t : transitions) {
    if (t.action == action) return &t;
  }
  return nullptr;
}

namespace internal {

void LoadReviewProcess(const std::string& path, Errors* errors, ReviewProcess* result) {
  ReviewProcess& out = *result;
  File f;
  if (!OpenYamlFile(path, errors, &f)) return;
  Obj h(f, f.root, "review/process.yaml",
        {"version", "source", "sources", "roles", "states", "initial", "transitions"});
  CheckHeader(h);
  if (!h.ok()) return;
  h.Str("version", &out.version, false);
  if (h.StrList("roles", &out.roles, true)) {
    std::set<std::string> seen;
    h.CheckEach("roles", out.roles, [&](const std::string& r) -> std::string {
      if (!IsSnakeId(r)) return "'" + r + "' is not a lower_snake_case name";
      if (!seen.insert(r).second) return "'" + r + "' listed twice";
      return "";
    });
  }
  std::map<std::string, int> state_lines;
  const YamlNode states = h.Get("states");
  if (!states.IsSequence() || states.size() == 0) {
    f.Fail(states.IsDefined() ? states : f.root, "review/process.yaml",
           "'states' must be a non-empty list of states");
  } else {
    for (size_t i = 0; i < states.size(); ++i) {
      Obj o(f, states[i], "states[" + std::to_string(i) + "]",
            {"id", "zh", "en", "terminal", "note", "source"});
      if (!o.ok()) continue;
      ReviewState s;
      s.where = {f.path, o.line()};
      if (o.Str("id", &s.id, true)) {
        o.set_what("state '" + s.id + "'");
        if (!IsSnakeId(s.id)) o.Fail(o.Get("id"), "id: not a lower_snake_case name");
        if (auto [p, ins] = state_lines.emplace(s.id, o.line()); !ins) {
          o.Fail(o.Get("id"),
                 "duplicate state (first defined at line " + std::to_string(p->second) + ")");
        }
      }
      o.Str("zh", &s.zh, true);
      o.Str("en", &s.en, true);
      o.Bool("terminal", &s.terminal, false);
      o.Str("note", &s.note, false);
      o.Str("source", &s.source, true);
      out.states.push_back(std::move(s));
    }
  }
  if (h.Str("initial", &out.initial, true) && !state_lines.count(out.initial)) {
    h.Fail(h.Get("initial"), "initial: '" + out.initial + "' is not a declared state");
  }
  std::map<std::string, int> action_lines;
  const YamlNode transitions = h.Get("transitions");
  if (!transitions.IsSequence() || transitions.size() == 0) {
    f.Fail(transitions.IsDefined() ? transitions : f.root, "review/process.yaml",
           "'transitions' must be a non-empty list of steps");
    return;
  }
  for (size_t i = 0; i < transitions.size(); ++i) {
    Obj o(f, transitions[i], "transitions[" + std::to_string(i) + "]",
          {"action", "from", "to", "roles", "requires", "basis", "deadline", "note", "source"});
    if (!o.ok()) continue;
    ReviewTransition t;
    t.where = {f.path, o.line()};
    if (o.Str("action", &t.action, true)) {
      o.set_what("transition '" + t.action + "'");
      if (!IsSnakeId(t.action)) o.Fail(o.Get("action"), "action: not a lower_snake_case name");
      if (auto [p, ins] = action_lines.emplace(t.action, o.line()); !ins) {
        o.Fail(o.Get("action"),
               "duplicate action (first defined at line " + std::to_string(p->second) + ")");
      }
    }
    const auto known_state = [&](const std::string& s) -> std::string {
      return state_lines.count(s) ? "" : "'" + s + "' is not a declared state";
    };
    if (o.StrList("from", &t.from, true)) {
      if (t.from.empty()) o.Fail(o.Get("from"), "from: the list is empty");
      o.CheckEach("from", t.from, known_state);
    }
    if (o.Str("to", &t.to, false)) {
      if (const std::string why = known_state(t.to); !why.empty()) {
        o.Fail(o.Get("to"), "to: " + why);
      }
    }
    if (o.StrList("roles", &t.roles, true)) {
      if (t.roles.empty()) o.Fail(o.Get("roles"), "roles: the list is empty");
      o.CheckEach("roles", t.roles, [&](const std::string& r) -> std::string {
        return Contains(out.roles, r) ? "" : "'" + r + "' is not one of the declared roles";
      });
    }
    if (o.StrList("requires", &t.requires_, false)) {
      o.CheckEach("requires", t.requires_, [&](const std::string& r) -> std::string {
        for (const char* k : kReviewRequirements) {
          if (r == k) return "";
        }
        return "'" + r +
               "' is not one of deadline_passed, rescan_clean, pledge, relisting_bar_ended, "
               "credit_reason";
      });
    }
    o.Str("basis", &t.basis, true);
    if (o.Has("deadline")) {
      ReviewDeadline d;
      bool ok = false;
      ReadDeadline(f, o.Get("deadline"), o.what(), &d, &ok);
      if (ok) t.deadline = d;
    }
    o.Str("note", &t.note, false);
    o.Str("source", &t.source, true);
    out.transitions.push_back(std::move(t));
  }
  // Reachability: every state but the initial one is entered by some step, and every state that
  // is not terminal is left by some step.
  for (const ReviewState& s : out.states) {
    bool entered = s.id == out.initial;
    bool left = s.terminal;
    for (const ReviewTransition& t : out.transitions) {
      entered |= t.to == s.id;
      left |= !t.to.empty() && t.AllowsFrom(s.id);
    }
    if (!entered) {
      errors->Fail(s.where.file, s.where.line, "state '" + s.id + "'",
                   "no transition leads to this state");
    }
    if (!left) {
      errors->Fail(s.where.file, s.where.line, "state '" + s.id + "'",
                   "not terminal, but no transition leaves it");
    }
  }
}

void CheckReviewBasis(const ReviewProcess& process, const std::vector<Message>& messages,
                      Errors* errors) {
  std::set<std::string_view> ids;
  for (const Message& m : messages) ids.insert(m.id);
  for (const ReviewTransition& t : process.transitions) {
    if (!t.basis.empty() && !ids.count(t.basis)) {
      errors->Fail(t.where.file, t.where.line, "transition '" + t.action + "'",
                   "basis: message '" + t.basis + "' is not in messages.yaml");
    }
  }
}

}  // namespace internal
}  // namespace piaudit::knowledge
