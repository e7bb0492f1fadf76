#include "batch/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "batch/internal/child_output.h"

namespace piaudit::batch {

using Clock = std::chrono::steady_clock;
namespace internal {

std::string LastLine(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  constexpr std::streamoff kTail = 4096;
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size <= 0) return "";
  in.seekg(size > kTail ? size - kTail : 0);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  size_t nl = text.find_last_of("\r\n");
  std::string line = nl == std::string::npos ? text : text.substr(nl + 1);
  size_t first = line.find_first_not_of(" \t");
  return first == std::string::npos ? "" : line.substr(first);
}

void SetWaitStatus(int status, ChildOutcome* out) {
  if (WIFEXITED(status)) {
    out->exited = true;
    out->exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out->signal = WTERMSIG(status);
  }
}

void ApplyChildLimits(const ChildLimits& limits) {
  if (limits.address_space_bytes > 0) {
    rlimit as{limits.address_space_bytes, limits.address_space_bytes};
    setrlimit(RLIMIT_AS, &as);
  }
  if (limits.cpu_seconds > 0) {
    // Soft limit: SIGXCPU (named in the failure); hard limit a second later: SIGKILL.
    rlimit cpu{limits.cpu_seconds, limits.cpu_seconds + 1};
    setrlimit(RLIMIT_CPU, &cpu);
  }
}

Status WaitForChild(int fd, pid_t pid, const ChildLimits& limits, Clock::time_point start,
                    double tick_seconds, const std::function<void()>& tick,
                    const std::function<Result<bool>()>& finished, ChildOutcome* out) {
  Clock::time_point next_tick = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(tick_seconds));
  // After the kill, the end is awaited this long: a child that cannot be reaped (its parent, a
  // fork server, is stopped itself) must not hold the worker forever.
  constexpr double kKillGraceSeconds = 5;
  for (;;) {
    Result<bool> done = finished();
    if (!done.ok()) return done.status();
    if (*done) break;
    const Clock::time_point now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    if (limits.wall_seconds > 0 && !out->wall_deadline_hit && elapsed > limits.wall_seconds) {
      out->wall_deadline_hit = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
    }
    if (out->wall_deadline_hit && elapsed > limits.wall_seconds + kKillGraceSeconds) {
      out->signal = SIGKILL;
      out->wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      return DeadlineExceeded("the killed child was not reaped");
    }
    if (tick && now >= next_tick) {
      tick();
      next_tick = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(tick_seconds));
    }
    double wait_s = std::chrono::duration<double>(next_tick - Clock::now()).count();
    if (limits.wall_seconds > 0 && !out->wall_deadline_hit) {
      wait_s = std::min(wait_s, limits.wall_seconds - elapsed);
    }
    int wait_ms = static_cast<int>(std::clamp(wait_s * 1000.0, 1.0, 1000.0));
    if (fd >= 0) {
      pollfd p{fd, POLLIN, 0};
      poll(&p, 1, wait_ms);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(wait_ms, 5)));
    }
  }
  out->wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return Status::Ok();
}

}  // namespace internal

std::string ChildOutcome::Describe(const ChildLimits& limits) const {
  std::string tail = stderr_tail.empty() ? "" : ": " + stderr_tail;
  if (wall_deadline_hit) {
    return "wall deadline " + std::to_string(static_cast<int64_t>(limits.wall_seconds)) +
           " s passed; killed";
  }
  if (exited) return "exit " + std::to_string(exit_code) + tail;
  std::string name = sigabbrev_np(signal) ? std::string("SIG") + sigabbrev_np(signal)
                                          : "signal " + std::to_string(signal);
  std::string why;
  if (signal == SIGXCPU || (signal == SIGKILL && limits.cpu_seconds > 0 &&
                            wall_ms / 1000.0 >= static_cast<double>(limits.cpu_seconds))) {
    why = " (CPU-time limit " + std::to_string(limits.cpu_seconds) + " s)";
  } else if ((signal == SIGABRT || signal == SIGSEGV) && limits.address_space_bytes > 0) {
    // An allocation refused under RLIMIT_AS ends in std::bad_alloc -> abort, or a crash.
    why = " (address-space limit " + std::to_string(limits.address_space_bytes >> 20) +
          " MB, or a crash)";
  }
  return "killed by " + name + why + tail;
}

Result<ChildOutcome> RunChild(const std::vector<std::string>& argv, const ChildLimits& limits,
                              const std::string& stderr_path, double tick_seconds,
                              const std::function<void()>& tick) {
  // Everything the child needs is prepared before fork: between fork and exec only
  // async-signal-safe calls are allowed (the parent has threads).
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int err_fd = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (err_fd < 0) {
    return IoError(std::string("cannot create: ") + std::strerror(errno)).At(stderr_path, "", 0);
  }
  const pid_t parent = getpid();
  const Clock::time_point start = Clock::now();
  pid_t pid = fork();
  if (pid < 0) {
    close(err_fd);
    return IoError(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl
    int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    internal::ApplyChildLimits(limits);
    execv(args[0], args.data());
    const char msg[] = "piaudit batch: cannot start the scan process\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)ignored;
    _exit(127);
  }
  close(err_fd);
  setpgid(pid, pid);  // also here: no race with the child's own call

  ChildOutcome out;
  // Wait on a pidfd: woken the moment the child ends (a sleep-and-poll loop would add its period
  // to every scan), or when the next tick or the deadline is due.
  int pid_fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  int status = 0;
  Status waited = internal::WaitForChild(
      pid_fd, pid, limits, start, tick_seconds, tick,
      [&]() -> Result<bool> {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return true;
        if (r < 0 && errno != EINTR)
          return IoError(std::string("waitpid: ") + std::strerror(errno));
        return false;
      },
      &out);
  if (pid_fd >= 0) close(pid_fd);
  if (!waited.ok()) return waited;
  internal::SetWaitStatus(status, &out);
  out.stderr_tail = internal::LastLine(stderr_path);
  return out;
}

}  // namespace piaudit::batch
