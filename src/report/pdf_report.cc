// report.pdf through headless Chromium; see pdf_report.h.
#include "report/pdf_report.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "report/html_report.h"
#include "report/write_reports.h"

extern char** environ;

namespace piaudit::report {

namespace {

namespace fs = std::filesystem;

// Printing a report of a large app (hundreds of findings, ~2 MB of HTML) takes a few seconds;
// a browser that has not finished after two minutes is stuck (a profile lock, a broken GPU
// stack), and a batch must move on.
constexpr int kPrintDeadlineSeconds = 120;
// The end of Chromium's output quoted in an error: enough for its last complaint.
constexpr size_t kLogTailBytes = 1500;

// Only the end is read: a browser that loops writing to its log can leave gigabytes.
std::string Tail(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) return "";
  const std::streamoff size = f.tellg();
  const std::streamoff start = size > std::streamoff(kLogTailBytes) ? size - kLogTailBytes : 0;
  f.seekg(start);
  std::string s(static_cast<size_t>(size - start), '\0');
  f.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<size_t>(f.gcount()));
  return s;
}

// A fresh private directory for the profile and the page; removed when done.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "piaudit-pdf-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

std::string ChromiumPath() {
  const char* env = std::getenv("PIAUDIT_CHROMIUM");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string("/usr/bin/chromium");
}

Status CheckPdfPrinter() {
  const std::string path = ChromiumPath();
  if (::access(path.c_str(), X_OK) != 0) {
    return NotFound("--format pdf prints the HTML report with Chromium, but " + path +
                    " is missing: install Debian's chromium and fonts-noto-cjk "
                    "(scripts/install-deps.sh), set PIAUDIT_CHROMIUM to a Chromium binary, or "
                    "leave pdf out of --format");
  }
  return Status::Ok();
}

Status WritePdf(const ReportInput& in, const std::string& pdf_path) {
  RETURN_IF_ERROR(CheckPdfPrinter());
  TempDir tmp;
  if (tmp.path().empty()) return IoError("cannot create a temporary directory for Chromium");
  const std::string html = (fs::path(tmp.path()) / "report.html").string();
  const std::string profile = (fs::path(tmp.path()) / "profile").string();
  const std::string log = (fs::path(tmp.path()) / "chromium.log").string();
  RETURN_IF_ERROR(WriteTextFile(html, RenderHtml(in)));
  std::error_code ec;
  const std::string out = fs::absolute(pdf_path, ec).string();
  fs::remove(out, ec);

  const std::string chromium = ChromiumPath();
  std::vector<std::string> args = {
      chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--user-data-dir=" + profile,
      // The page prints its own page numbers (@page margin boxes).
      "--no-pdf-header-footer", "--print-to-pdf=" + out, "file://" + html};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  // Its own process group, so the deadline can stop the browser's helper processes too.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, chromium.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return IoError("cannot start " + chromium + ": " + std::strerror(rc));

  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(kPrintDeadlineSeconds);
  int status = 0;
  for (;;) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return IoError("waiting for " + chromium + " failed");
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return IoError(chromium + " did not print " + pdf_path + " within " +
                     std::to_string(kPrintDeadlineSeconds) + " s; its output: " + Tail(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const bool exited_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!exited_ok || !fs::exists(out, ec) || fs::file_size(out, ec) == 0) {
    return IoError(chromium + " failed to print " + pdf_path + " (exit status " +
                   std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                   "); its output: " + Tail(log));
  }
  return Status::Ok();
}

}  // namespace piaudit::report
