// What the parent reads of a finished child, shared by RunChild and ForkServer.
#ifndef PIAUDIT_BATCH_INTERNAL_CHILD_OUTPUT_H_
#define PIAUDIT_BATCH_INTERNAL_CHILD_OUTPUT_H_

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>

#include "base/status.h"
#include "batch/child_process.h"

namespace piaudit::batch::internal {

// The last non-empty line of a file, read from its last 4 KiB only (a child that floods standard
// error must not make the parent read gigabytes).
std::string LastLine(const std::string& path);

// Fills exited/exit_code/signal from a waitpid status.
void SetWaitStatus(int status, ChildOutcome* out);

// Sets the limits in a freshly forked child (async-signal-safe calls only).
void ApplyChildLimits(const ChildLimits& limits);

// Waits until `finished` says the child has ended (it returns true; it is asked whenever `fd` is
// readable, or at least once a second), calling `tick` every `tick_seconds` and killing the
// child's process group when the wall deadline passes; sets out->wall_ms. kDeadlineExceeded when
// the killed child's end was still not seen 5 s later (out says killed at the deadline).
Status WaitForChild(int fd, pid_t pid, const ChildLimits& limits,
                    std::chrono::steady_clock::time_point start, double tick_seconds,
                    const std::function<void()>& tick,
                    const std::function<Result<bool>()>& finished, ChildOutcome* out);

}  // namespace piaudit::batch::internal

#endif  // PIAUDIT_BATCH_INTERNAL_CHILD_OUTPUT_H_
