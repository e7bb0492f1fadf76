// Scans forked from a loaded process instead of started from scratch. A batch worker builds the
// scanner once (knowledge base, policy model: most of a small app's scan time when a child process
// loads them again for every app), then starts one ForkServer per worker thread while it is still
// single-threaded. Each server is a process of its own that forks a fresh child per app: the child
// inherits the loaded scanner (copy-on-write) and keeps every isolation RunChild gives (its own
// process group, address-space and CPU limits, standard error to a file, killed at the wall
// deadline, dead with its server, which is dead with the worker).
#ifndef PIAUDIT_BATCH_FORK_SERVER_H_
#define PIAUDIT_BATCH_FORK_SERVER_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "batch/child_process.h"

namespace piaudit::batch {

class ForkServer {
 public:
  // What a child runs; its return value is the child's exit code. Runs in the child only.
  using Body = std::function<int(const std::vector<std::string>& args)>;

  // Forks the server process. kUnsupported when the calling process has more than one thread
  // (a fork would copy locks other threads hold); the caller then starts processes with RunChild.
  static Result<std::unique_ptr<ForkServer>> Start(Body body);

  ~ForkServer();  // closes the channel: the server exits and kills a child still running
  ForkServer(const ForkServer&) = delete;
  ForkServer& operator=(const ForkServer&) = delete;

  // Runs `body(args)` in a new child, as RunChild runs a program: same limits, outcome and ticks.
  // One call at a time (one server per worker thread).
  Result<ChildOutcome> Run(const std::vector<std::string>& args, const ChildLimits& limits,
                           const std::string& stderr_path, double tick_seconds,
                           const std::function<void()>& tick);

  // The server stopped answering (a child killed at its deadline was never reported): it is
  // killed, and every later Run fails; the caller starts processes with RunChild instead.
  bool broken() const { return broken_; }
  pid_t server_pid() const { return server_; }

 private:
  ForkServer(int channel, pid_t server) : channel_(channel), server_(server) {}

  int channel_;  // a SOCK_SEQPACKET socket: one message a request or a reply
  pid_t server_;
  bool broken_ = false;
};

}  // namespace piaudit::batch

#endif  // PIAUDIT_BATCH_FORK_SERVER_H_
