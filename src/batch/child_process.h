// One scan in its own process, so a crash, a hang or a memory bomb in one APK costs that APK only.
// The child gets an address-space limit (RLIMIT_AS) and a CPU-time limit (RLIMIT_CPU), runs in its
// own process group, dies with its parent (PR_SET_PDEATHSIG: a killed batch leaves no orphan
// scans), and is killed (SIGKILL, whole group) when the wall deadline passes. Its standard error
// goes to a file, whose last line is the reason a failed scan gives.
#ifndef PIAUDIT_BATCH_CHILD_PROCESS_H_
#define PIAUDIT_BATCH_CHILD_PROCESS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"

namespace piaudit::batch {

struct ChildLimits {
  uint64_t address_space_bytes = 0;  // 0: none
  uint64_t cpu_seconds = 0;          // 0: none
  double wall_seconds = 0;           // 0: none
};

struct ChildOutcome {
  bool exited = false;  // exit_code is valid
  int exit_code = 0;
  int signal = 0;                  // the signal that ended it (when !exited)
  bool wall_deadline_hit = false;  // we killed it
  double wall_ms = 0;
  std::string stderr_tail;  // last non-empty line written to standard error
  // One line for people: "exit 3: app.apk: not a zip ...", "killed by SIGXCPU (CPU-time limit
  // 600 s)", "wall deadline 900 s passed", "killed by SIGSEGV".
  std::string Describe(const ChildLimits& limits) const;
};

// Runs argv[0] with argv, standard output to /dev/null and standard error to `stderr_path`
// (truncated). `tick` is called about every `tick_seconds` while the child runs (a worker renews
// its lease there). Fails only when the child could not be started.
Result<ChildOutcome> RunChild(const std::vector<std::string>& argv, const ChildLimits& limits,
                              const std::string& stderr_path, double tick_seconds,
                              const std::function<void()>& tick);

}  // namespace piaudit::batch

#endif  // PIAUDIT_BATCH_CHILD_PROCESS_H_
