#include "batch/fork_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "batch/internal/child_output.h"

namespace piaudit::batch {
namespace {

using Clock = std::chrono::steady_clock;

// A request is one message: the limits, the standard-error path, then the arguments, each string
// length-prefixed. Replies are one Reply each: kStarted (value: the child's pid), kForkFailed
// (errno) or kEnded (the waitpid status).
constexpr size_t kMaxRequestBytes = 64 * 1024;
enum class ReplyKind : int32_t { kStarted = 1, kForkFailed = 2, kEnded = 3 };
struct Reply {
  ReplyKind kind;
  int32_t value;
};

void PutU64(std::string* out, uint64_t v) { out->append(reinterpret_cast<const char*>(&v), 8); }
void PutString(std::string* out, const std::string& s) {
  PutU64(out, s.size());
  out->append(s);
}

struct Request {
  ChildLimits limits;
  std::string stderr_path;
  std::vector<std::string> args;
};

std::string EncodeRequest(const Request& r) {
  std::string out;
  PutU64(&out, r.limits.address_space_bytes);
  PutU64(&out, r.limits.cpu_seconds);
  PutString(&out, r.stderr_path);
  PutU64(&out, r.args.size());
  for (const std::string& a : r.args) PutString(&out, a);
  return out;
}

// Decodes what EncodeRequest wrote; false on a message that is not one (never trusted blindly,
// even from our own process: a short read must not run a scan with half its arguments).
bool DecodeRequest(const char* data, size_t size, Request* r) {
  size_t pos = 0;
  auto u64 = [&](uint64_t* v) {
    if (size - pos < 8) return false;
    std::memcpy(v, data + pos, 8);
    pos += 8;
    return true;
  };
  auto str = [&](std::string* s) {
    uint64_t n = 0;
    if (!u64(&n) || n > size - pos) return false;
    s->assign(data + pos, n);
    pos += n;
    return true;
  };
  uint64_t argc = 0;
  if (!u64(&r->limits.address_space_bytes) || !u64(&r->limits.cpu_seconds) ||
      !str(&r->stderr_path) || !u64(&argc) || argc > size) {
    return false;
  }
  r->args.resize(argc);
  for (std::string& a : r->args) {
    if (!str(&a)) return false;
  }
  return pos == size;
}

bool SendReply(int fd, ReplyKind kind, int32_t value) {
  Reply reply{kind, value};
  return send(fd, &reply, sizeof reply, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof reply);
}

int CountThreads() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  }
  return -1;
}

// The server process: one request at a time, one child each, until the channel closes.
[[noreturn]] void Serve(int fd, const ForkServer::Body& body) {
  std::vector<char> buffer(kMaxRequestBytes);
  for (;;) {
    ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(0);  // the worker closed the channel or died
    Request request;
    if (!DecodeRequest(buffer.data(), static_cast<size_t>(n), &request)) {
      SendReply(fd, ReplyKind::kForkFailed, EINVAL);
      continue;
    }
    int err_fd = open(request.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (err_fd < 0) {
      SendReply(fd, ReplyKind::kForkFailed, errno);
      continue;
    }
    const pid_t server = getpid();
    pid_t pid = fork();
    if (pid < 0) {
      int e = errno;
      close(err_fd);
      SendReply(fd, ReplyKind::kForkFailed, e);
      continue;
    }
    if (pid == 0) {
      close(fd);
      setpgid(0, 0);
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != server) _exit(127);
      int null_fd = open("/dev/null", O_RDWR);
      dup2(null_fd, STDIN_FILENO);
      dup2(null_fd, STDOUT_FILENO);
      dup2(err_fd, STDERR_FILENO);
      internal::ApplyChildLimits(request.limits);
      int rc = body(request.args);
      std::fflush(nullptr);
      // _exit, not exit: the inherited scanner's destructors would only cost time.
      _exit(rc);
    }
    close(err_fd);
    setpgid(pid, pid);
    SendReply(fd, ReplyKind::kStarted, pid);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!SendReply(fd, ReplyKind::kEnded, status)) _exit(0);
  }
}

}  // namespace

Result<std::unique_ptr<ForkServer>> ForkServer::Start(Body body) {
  if (int threads = CountThreads(); threads != 1) {
    return Unsupported("fork server: the process has " + std::to_string(threads) +
                       " threads; forking needs one");
  }
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    return IoError(std::string("fork server: socketpair: ") + std::strerror(errno));
  }
  const pid_t worker = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(fds[0]);
    close(fds[1]);
    return IoError(std::string("fork server: fork: ") + std::strerror(e));
  }
  if (pid == 0) {
    close(fds[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != worker) _exit(0);
    signal(SIGPIPE, SIG_IGN);
    Serve(fds[1], body);
  }
  close(fds[1]);
  return std::unique_ptr<ForkServer>(new ForkServer(fds[0], pid));
}

ForkServer::~ForkServer() {
  close(channel_);
  // Killed, not asked: a server still waiting on a child (its worker gave up on it) would never
  // read the closed channel; its child dies with it (PR_SET_PDEATHSIG).
  kill(server_, SIGKILL);
  int status = 0;
  while (waitpid(server_, &status, 0) < 0 && errno == EINTR) {
  }
}

Result<ChildOutcome> ForkServer::Run(const std::vector<std::string>& args,
                                     const ChildLimits& limits, const std::string& stderr_path,
                                     double tick_seconds, const std::function<void()>& tick) {
  if (broken_) return IoError("fork server: not answering; killed");
  const std::string message = EncodeRequest({limits, stderr_path, args});
  if (message.size() > kMaxRequestBytes) {
    return LimitExceeded("fork server: request of " + std::to_string(message.size()) + " bytes > " +
                         std::to_string(kMaxRequestBytes));
  }
  const Clock::time_point start = Clock::now();
  if (send(channel_, message.data(), message.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(message.size())) {
    return IoError(std::string("fork server: send: ") + std::strerror(errno));
  }
  auto receive = [&](bool wait, Reply* reply) -> Result<bool> {
    ssize_t n = recv(channel_, reply, sizeof *reply, wait ? 0 : MSG_DONTWAIT);
    if (n == static_cast<ssize_t>(sizeof *reply)) return true;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return false;
    return IoError("fork server: the server process is gone");
  };
  Reply started{};
  for (;;) {
    Result<bool> got = receive(true, &started);
    if (!got.ok()) return got.status();
    if (*got) break;
  }
  if (started.kind == ReplyKind::kForkFailed) {
    return IoError(std::string("fork server: cannot start the scan: ") +
                   std::strerror(started.value))
        .At(stderr_path, "", 0);
  }
  const pid_t pid = started.value;
  ChildOutcome out;
  int status = 0;
  Status waited = internal::WaitForChild(
      channel_, pid, limits, start, tick_seconds, tick,
      [&]() -> Result<bool> {
        Reply ended{};
        Result<bool> got = receive(false, &ended);
        if (!got.ok() || !*got) return got;
        status = ended.value;
        return true;
      },
      &out);
  if (waited.code() == StatusCode::kDeadlineExceeded) {
    // The child was killed at its deadline but the server never reported it: the server itself
    // is stopped or stuck. The app's outcome stands (killed at the deadline); the server goes.
    broken_ = true;
    kill(server_, SIGKILL);
    out.stderr_tail = internal::LastLine(stderr_path);
    return out;
  }
  if (!waited.ok()) return waited;
  internal::SetWaitStatus(status, &out);
  out.stderr_tail = internal::LastLine(stderr_path);
  return out;
}

}  // namespace piaudit::batch
