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
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "base/mapped_file.h"
#include "policy/document_text.h"
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
// Bounds on reading back the first print (to find the pages of the headings).
constexpr uint64_t kMaxPdfBytes = 256u << 20;
constexpr int kMaxPages = 5000;

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

namespace {

// Prints `html_file` to `out` (an absolute path) with Chromium; `log` takes its output.
Status PrintOnce(const std::string& html_file, const std::string& profile, const std::string& log,
                 const std::string& out, const std::string& pdf_path) {
  std::error_code ec;
  fs::remove(out, ec);
  const std::string& html = html_file;
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

// The text of each page of a PDF we printed; empty when poppler is unavailable or fails.
std::vector<std::string> PageTexts(const std::string& pdf) {
  auto bytes = ReadFileToString(pdf, kMaxPdfBytes);
  if (!bytes.ok()) return {};
  Result<std::string> text = policy::ExtractPdfPages(ByteSpan(*bytes), kMaxPages, kMaxPdfBytes);
  if (!text.ok()) return {};
  std::vector<std::string> pages;
  std::string_view all(*text);
  for (size_t start = 0; start < all.size();) {
    size_t end = all.find('\f', start);
    if (end == std::string_view::npos) end = all.size();
    // poppler ends a page's text with its own form feed and the plugin adds one per page: the
    // empty pieces between are no pages (every page of a report has text: its "n / N" footer).
    const std::string_view page = all.substr(start, end - start);
    if (page.find_first_not_of(" \t\r\n") != std::string_view::npos) pages.emplace_back(page);
    start = end + 1;
  }
  return pages;
}

// True when a line of `page` starts with `heading` (spaces poppler puts between glyphs aside).
bool HasLineStarting(std::string_view page, std::string_view heading) {
  auto squeeze = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      if (c != ' ' && c != '\t' && c != '\r') out.push_back(c);
    }
    return out;
  };
  const std::string want = squeeze(heading);
  if (want.empty()) return false;
  for (size_t start = 0; start <= page.size();) {
    size_t end = page.find('\n', start);
    if (end == std::string_view::npos) end = page.size();
    if (squeeze(page.substr(start, end - start)).starts_with(want)) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::map<std::string, int> LocateSections(const std::vector<std::string>& pages,
                                          const std::vector<TocEntry>& entries) {
  std::map<std::string, int> found;
  // The contents page is the first that names every section; the sections come after it, in order.
  size_t from = pages.size();
  for (size_t i = 0; i < pages.size(); ++i) {
    bool all = true;
    for (const TocEntry& e : entries) all = all && HasLineStarting(pages[i], e.heading);
    if (all) {
      from = i + 1;
      break;
    }
  }
  for (const TocEntry& e : entries) {
    for (size_t i = from; i < pages.size(); ++i) {
      if (HasLineStarting(pages[i], e.heading)) {
        found[e.id] = static_cast<int>(i + 1);
        from = i;
        break;
      }
    }
  }
  return found;
}

Status WritePdf(const ReportInput& in, const std::string& pdf_path) {
  RETURN_IF_ERROR(CheckPdfPrinter());
  TempDir tmp;
  if (tmp.path().empty()) return IoError("cannot create a temporary directory for Chromium");
  const fs::path dir(tmp.path());
  const std::string html = (dir / "report.html").string();
  const std::string first = (dir / "first.pdf").string();
  const std::string profile = (dir / "profile").string();
  const std::string log = (dir / "chromium.log").string();
  std::error_code ec;
  const std::string out = fs::absolute(pdf_path, ec).string();

  // Pass 1: room kept for the page numbers; pass 2: the numbers where pass 1 put each heading.
  TocPages toc;
  toc.reserve = true;
  RETURN_IF_ERROR(WriteTextFile(html, RenderHtml(in, &toc)));
  RETURN_IF_ERROR(PrintOnce(html, profile, log, first, pdf_path));
  const std::vector<TocEntry> entries = TocEntries(in);
  toc.page = LocateSections(PageTexts(first), entries);
  if (toc.page.size() != entries.size()) {
    // poppler missing or a heading not found: the contents stay without numbers rather than
    // with a wrong one.
    fs::remove(out, ec);
    fs::copy_file(first, out, fs::copy_options::overwrite_existing, ec);
    if (ec) return IoError("cannot write " + pdf_path + ": " + ec.message());
    return Status::Ok();
  }
  toc.reserve = false;
  RETURN_IF_ERROR(WriteTextFile(html, RenderHtml(in, &toc)));
  return PrintOnce(html, profile, log, out, pdf_path);
}

}  // namespace piaudit::report
