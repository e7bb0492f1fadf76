// `piaudit batch run|submit|work|status|export|rejudge`: store-scale scanning (docs/batch.md).
//
// A run is a queue of APKs in a job store (batch/job_store.h) and workers that drain it. Each app
// is scanned by `piaudit scan` in a child process under limits (batch/child_process.h): one
// process per app, because the knowledge base loads in a few milliseconds (measured with
// `piaudit scan --timings` and bench/batch_throughput.sh, docs/batch.md "Design"), so a long-lived
// server child would save little and share a crash between apps. The worker then reads back the
// evidence record the child wrote, judges it with its own knowledge base (verdict counts, gate
// decision, disclosure lists) and stores the result and the record, which `rejudge` uses later.
//
// Files are written only under OUT: reports/<apk sha256>/ (never named after the APK: a name is
// data), piaudit.db (the default store), summary.json.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/commands.h"
#include "app/kb_location.h"
#include "app/verdict_summary.h"
#include "base/limits.h"
#include "base/mapped_file.h"
#include "base/version.h"
#include "batch/child_process.h"
#include "batch/fork_server.h"
#include "batch/gate.h"
#include "batch/inputs.h"
#include "batch/job_store.h"
#include "evidence/evidence_json.h"
#include "knowledge/knowledge_base.h"
#include "report/disclose.h"
#include "report/write_reports.h"
#include "rules/evaluate.h"
#include "scan/scanner.h"

namespace piaudit::app {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct BatchFlags {
  std::vector<std::string> inputs;
  std::vector<std::string> lists;
  std::string out_dir;
  std::string db;
  std::string gate_file;
  std::string kb_dir;
  std::string export_format = "jsonl";
  int jobs = 1;
  int scan_threads = 0;  // 0: the cores shared out among the jobs
  bool follow = false;
  // 900 s: a store-size APK scans in well under a minute here; fifteen times that is a hang.
  double timeout_seconds = 900;
  // 4 GB of address space: the largest corpus app peaks under 1 GB; a bomb stops at 4.
  uint64_t memory_mb = 4096;
  uint64_t cpu_seconds = 0;  // 0: twice --timeout (the scan uses a few threads)
  // 60 s lease, renewed every 20 s: a dead worker's job is back in the queue within a minute.
  int lease_seconds = 60;
  int max_attempts = 3;
};

constexpr const char* kVerdictNames[] = {"violation", "compliant", "needs-dynamic", "needs-manual",
                                         "not-applicable"};

std::string DbUrl(const BatchFlags& flags) {
  if (!flags.db.empty()) return flags.db;
  return "sqlite:" + (fs::path(flags.out_dir) / "piaudit.db").string();
}

std::string HostName() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return host;
}

// An APK's name is untrusted: control characters in it would drive the terminal.
std::string Printable(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text;
}

std::string SelfExe() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("piaudit") : p.string();
}

Result<std::unique_ptr<batch::JobStore>> Open(const char* command, const BatchFlags& flags) {
  Result<std::unique_ptr<batch::JobStore>> store = batch::OpenJobStore(DbUrl(flags));
  if (!store.ok()) {
    std::fprintf(stderr, "piaudit batch %s: %s\n", command, store.status().ToString().c_str());
  }
  return store;
}

// What a worker needs besides the store: loaded once per process, shared read-only by its threads.
struct Judge {
  knowledge::KnowledgeBase kb;
  std::optional<batch::Gate> gate;
};

Result<std::unique_ptr<Judge>> LoadJudge(const BatchFlags& flags) {
  Diagnostics diagnostics;
  Result<knowledge::KnowledgeBase> kb = knowledge::KnowledgeBase::Load(
      flags.kb_dir.empty() ? DefaultKbDir() : flags.kb_dir, &diagnostics);
  if (!kb.ok()) return kb.status();
  auto judge = std::make_unique<Judge>(Judge{std::move(*kb), std::nullopt});
  if (!flags.gate_file.empty()) {
    Result<batch::Gate> gate = batch::LoadGate(flags.gate_file);
    if (!gate.ok()) return gate.status();
    judge->gate = std::move(*gate);
  }
  return judge;
}

// Verdict counts and the gate decision of an evidence record, into `out`.
Status JudgeEvidence(const Judge& judge, const std::string& record, const std::string& name,
                     batch::JobOutcome* out, evidence::AppEvidence* evidence_out,
                     std::vector<rules::ItemResult>* items_out) {
  Result<evidence::AppEvidence> e = evidence::ReadEvidenceJson(record, name, Limits(), nullptr);
  if (!e.ok()) return e.status();
  std::vector<rules::ItemResult> items = rules::EvaluateAll(*e, judge.kb);
  json counts = json::object();
  for (const char* v : kVerdictNames) counts[v] = 0;
  for (const rules::ItemResult& item : items) {
    counts[std::string(rules::VerdictName(item.verdict))] =
        counts[std::string(rules::VerdictName(item.verdict))].get<int>() + 1;
  }
  out->verdicts = counts.dump();
  out->package = e->app.package;
  out->version = e->app.version_name;
  if (judge.gate) {
    batch::GateDecision d = batch::Decide(*judge.gate, items);
    out->gate = d.decision;
    out->gate_reasons = json(d.reasons).dump();
  }
  if (evidence_out) *evidence_out = std::move(*e);
  if (items_out) *items_out = std::move(items);
  return Status::Ok();
}

// The progress of this process's workers: a line on a terminal, JSON lines otherwise.
class Progress {
 public:
  Progress(int64_t total, int64_t already_done) : total_(total), base_done_(already_done) {
    terminal_ = isatty(fileno(stderr));
  }

  void Started(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = Printable(fs::path(path).filename().string());
    DrawLocked();
  }

  void Finished(const batch::Job& job, const batch::JobOutcome& o) {
    std::lock_guard<std::mutex> lock(mu_);
    ++finished_;
    if (!o.ok) ++failed_;
    if (terminal_) {
      DrawLocked();
      return;
    }
    json line = {{"sha256", job.sha256},
                 {"path", job.path},
                 {"policy_path", job.policy_path},
                 {"status", o.ok ? "done" : "failed"},
                 {"attempt", job.attempts},
                 {"package", o.package},
                 {"version", o.version},
                 {"verdicts", o.verdicts.empty() ? json::object() : json::parse(o.verdicts)},
                 {"gate", o.gate},
                 {"error", o.error},
                 {"scan_ms", std::round(o.scan_ms)},
                 {"done", base_done_ + finished_},
                 {"total", total_}};
    std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace);
    std::fprintf(stdout, "%s\n", text.c_str());
    std::fflush(stdout);
  }

  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    if (terminal_) std::fprintf(stderr, "\r\033[K");
  }

  int64_t finished() const { return finished_; }
  int64_t failed() const { return failed_; }
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  void DrawLocked() {
    if (!terminal_) return;
    const double minutes = Seconds() / 60.0;
    const double rate = minutes > 0 ? static_cast<double>(finished_) / minutes : 0;
    const int64_t left = std::max<int64_t>(0, total_ - base_done_ - finished_);
    std::string eta = "?";
    if (rate > 0) {
      int64_t s = static_cast<int64_t>(static_cast<double>(left) / rate * 60.0);
      eta = fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    }
    std::fprintf(stderr, "\r\033[K%lld/%lld done, %lld failed, %.1f apps/min, ETA %s, %s",
                 static_cast<long long>(base_done_ + finished_), static_cast<long long>(total_),
                 static_cast<long long>(failed_), rate, eta.c_str(), current_.c_str());
    std::fflush(stderr);
  }

  std::mutex mu_;
  bool terminal_ = false;
  int64_t total_;
  int64_t base_done_;
  int64_t finished_ = 0;
  int64_t failed_ = 0;
  std::string current_;
  Clock::time_point start_ = Clock::now();
};

// Threads per scan: the cores shared out among the jobs. A scan's own parallel parts (policy beside
// code, dex files) use ~1.2 cores at best, so two jobs on two cores do more with one thread each.
int ThreadsPerScan(const BatchFlags& flags) {
  if (flags.scan_threads > 0) return flags.scan_threads;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, cores / std::max(1, flags.jobs));
}

// One app: scan it in a child (forked from `server` when there is one, else a new `piaudit scan`
// process), read back what it wrote, judge it.
batch::JobOutcome ProcessJob(const BatchFlags& flags, const Judge& judge, batch::JobStore& store,
                             const batch::Job& job, const std::string& owner,
                             batch::ForkServer* server) {
  batch::JobOutcome out;
  const fs::path dir = fs::path(flags.out_dir) / "reports" / job.sha256;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    out.error = "cannot create " + dir.string() + ": " + ec.message();
    return out;
  }
  fs::remove(dir / "evidence.json", ec);  // a stale record from a killed attempt proves nothing
  std::vector<std::string> args = {job.path,
                                   "-o",
                                   dir.string(),
                                   "--format",
                                   "json,evidence",
                                   "--fail-on",
                                   "never",
                                   "--timeout",
                                   fmt::format("{}", flags.timeout_seconds),
                                   "--threads",
                                   std::to_string(ThreadsPerScan(flags))};
  if (!flags.kb_dir.empty()) {
    args.push_back("--kb");
    args.push_back(flags.kb_dir);
  }
  // The policy that came with the app (a list line, a NAME.policy.* beside it, an upload): an
  // unreadable one fails the scan (exit 3, not retried) rather than pass as "no policy".
  if (!job.policy_path.empty()) {
    args.push_back("--policy");
    args.push_back(job.policy_path);
  }
  batch::ChildLimits limits;
  limits.address_space_bytes = flags.memory_mb << 20;
  limits.cpu_seconds = flags.cpu_seconds > 0
                           ? flags.cpu_seconds
                           : static_cast<uint64_t>(std::ceil(flags.timeout_seconds * 2));
  // The child stops itself at --timeout (exit 5, a clean message); the wall deadline a little
  // later is for a child that cannot (a hang inside a library, a stopped process). 5 s: the time
  // a stopping scan needs to unwind its threads, with room to spare.
  limits.wall_seconds = flags.timeout_seconds + 5;
  // A lost lease (this worker was too slow to renew) is not fatal here: Finish() then refuses the
  // result and the new owner's scan counts.
  auto renew = [&] { (void)store.Renew(job.id, owner, flags.lease_seconds); };
  const std::string log = (dir / "scan.log").string();
  Result<batch::ChildOutcome> child = [&] {
    if (server != nullptr && !server->broken()) {
      return server->Run(args, limits, log, flags.lease_seconds / 3.0, renew);
    }
    std::vector<std::string> argv = {SelfExe(), "scan"};
    argv.insert(argv.end(), args.begin(), args.end());
    return batch::RunChild(argv, limits, log, flags.lease_seconds / 3.0, renew);
  }();
  if (!child.ok()) {
    out.error = child.status().ToString();
    return out;
  }
  out.scan_ms = child->wall_ms;
  if (!child->exited || child->exit_code != kExitOk) {
    out.error = child->Describe(limits);
    // Exit 3: the input is not a readable APK; scanning it again gives the same answer.
    out.permanent = child->exited && child->exit_code == kExitBadInput;
    return out;
  }
  const std::string record_path = (dir / "evidence.json").string();
  Result<std::string> record = ReadFileToString(record_path, Limits().max_evidence_record_bytes);
  if (!record.ok()) {
    out.error = "scan wrote no evidence record: " + record.status().ToString();
    return out;
  }
  evidence::AppEvidence e;
  if (Status s = JudgeEvidence(judge, *record, record_path, &out, &e, nullptr); !s.ok()) {
    out.error = s.ToString();
    return out;
  }
  // The lists a store shows on the listing page (`piaudit disclose`), from the same evidence.
  if (Status s = report::WriteTextFile((dir / "disclose.json").string(),
                                       report::RenderDiscloseJson(e, &judge.kb));
      !s.ok()) {
    out.error = s.ToString();
    return out;
  }
  out.evidence = std::move(*record);
  out.ok = true;
  return out;
}

// Jobs left `running` by a process of this machine that is gone (the run was killed) go back to
// the queue at once instead of waiting for their lease.
void RequeueDeadLocalOwners(batch::JobStore& store) {
  Result<std::vector<batch::Job>> jobs = store.List();
  if (!jobs.ok()) return;
  const std::string prefix = HostName() + ":";
  for (const batch::Job& j : *jobs) {
    if (j.status != batch::JobStatus::kRunning || j.lease_owner.rfind(prefix, 0) != 0) continue;
    const pid_t pid = static_cast<pid_t>(std::atoll(j.lease_owner.c_str() + prefix.size()));
    if (pid > 0 && pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH) {
      (void)store.Release(j.id, j.lease_owner);
    }
  }
}

// Runs flags.jobs workers until the queue is empty (or forever with --follow).
int Work(const char* command, const BatchFlags& flags, Progress* progress) {
  Result<std::unique_ptr<Judge>> judge = LoadJudge(flags);
  if (!judge.ok()) {
    std::fprintf(stderr, "piaudit batch %s: %s\n", command, judge.status().ToString().c_str());
    return kExitBadInput;
  }
  // One fork server per job, started while this process has one thread: each child inherits the
  // loaded scanner instead of loading the knowledge base again. Without one (a thread already
  // runs, the scanner does not load), children are new `piaudit scan` processes, as before.
  std::vector<std::unique_ptr<batch::ForkServer>> servers;
  Result<std::unique_ptr<scan::Scanner>> scanner =
      scan::Scanner::Create(flags.kb_dir.empty() ? DefaultKbDir() : flags.kb_dir, Limits());
  if (scanner.ok() && (*scanner)->Prepare().ok()) {
    const scan::Scanner& loaded = **scanner;
    for (int i = 0; i < std::max(1, flags.jobs); ++i) {
      Result<std::unique_ptr<batch::ForkServer>> server =
          batch::ForkServer::Start([&loaded](const std::vector<std::string>& args) {
            return RunScanWithScanner(loaded, args);
          });
      if (!server.ok()) {
        servers.clear();
        break;
      }
      servers.push_back(std::move(*server));
    }
  }
  std::atomic<int> error_rc{kExitOk};
  // Claims tried in a row before a worker gives up: waits of 1, 2, 4 and 8 s between them.
  constexpr int kStoreAttempts = 5;
  const std::string owner_prefix = HostName() + ":" + std::to_string(getpid()) + ":";
  auto worker = [&](int index) {
    Result<std::unique_ptr<batch::JobStore>> store = Open(command, flags);
    if (!store.ok()) {
      error_rc = kExitInternal;
      return;
    }
    const std::string owner = owner_prefix + std::to_string(index);
    int store_failures = 0;
    for (;;) {
      Result<std::optional<batch::Job>> job =
          (*store)->Claim(owner, flags.lease_seconds, flags.max_attempts);
      if (!job.ok()) {
        // A store that fails now and then (a database restarting, a file locked by a backup) must
        // not end a worker that others count on; one that keeps failing is reported and left.
        ++store_failures;
        const bool give_up = store_failures >= kStoreAttempts;
        std::fprintf(stderr, "piaudit batch %s: %s%s\n", command, job.status().ToString().c_str(),
                     give_up ? "" : " (trying again)");
        if (give_up) {
          error_rc = kExitInternal;
          return;
        }
        std::this_thread::sleep_for(std::chrono::seconds(1 << (store_failures - 1)));
        continue;
      }
      store_failures = 0;
      if (!job->has_value()) {
        // Nothing to claim. Jobs still running elsewhere may come back when a lease expires, so a
        // worker leaves only when nothing is queued or running (or never, with --follow).
        Result<batch::QueueCounts> counts = (*store)->Counts();
        if (!flags.follow && counts.ok() && counts->queued == 0 && counts->running == 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        continue;
      }
      const batch::Job& j = **job;
      progress->Started(j.path);
      batch::JobOutcome outcome =
          ProcessJob(flags, **judge, **store, j, owner,
                     servers.empty() ? nullptr : servers[static_cast<size_t>(index)].get());
      Status s = (*store)->Finish(j.id, owner, outcome);
      if (!s.ok() && s.code() != StatusCode::kNotFound) {
        std::fprintf(stderr, "piaudit batch %s: %s\n", command, s.ToString().c_str());
        error_rc = kExitInternal;
        return;
      }
      progress->Finished(j, outcome);
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, flags.jobs); ++i) threads.emplace_back(worker, i);
  for (std::thread& t : threads) t.join();
  progress->Clear();
  return error_rc;
}

// OUT/file_hashes.jsonl: the hash cache of `run` (batch::HashCache), one JSON object a line. A
// damaged or missing file only costs hashing again.
batch::HashCache LoadHashCache(const std::string& path) {
  batch::HashCache cache;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("path") || !j["path"].is_string() || !j.contains("sha256") ||
        !j["sha256"].is_string() || !j.contains("size") || !j["size"].is_number_unsigned() ||
        !j.contains("mtime_ns") || !j["mtime_ns"].is_number_integer()) {
      continue;
    }
    cache[j["path"].get<std::string>()] = {j["size"].get<uint64_t>(), j["mtime_ns"].get<int64_t>(),
                                           j["sha256"].get<std::string>()};
  }
  return cache;
}

Status SaveHashCache(const std::string& path, const batch::HashCache& cache) {
  std::string text;
  for (const auto& [file, known] : cache) {
    json j = {{"path", file},
              {"size", known.size},
              {"mtime_ns", known.mtime_ns},
              {"sha256", known.sha256}};
    text += j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  }
  return report::WriteTextFile(path, text);
}

int Submit(const char* command, const BatchFlags& flags, batch::JobStore& store, int64_t* submitted,
           batch::HashCache* cache = nullptr) {
  Result<std::vector<batch::ApkInput>> apks = batch::CollectApks(flags.inputs, flags.lists);
  if (!apks.ok()) {
    std::fprintf(stderr, "piaudit batch %s: %s\n", command, apks.status().ToString().c_str());
    return kExitBadInput;
  }
  Result<std::vector<batch::Submission>> subs = batch::MakeSubmissions(*apks, cache);
  if (!subs.ok()) {
    std::fprintf(stderr, "piaudit batch %s: %s\n", command, subs.status().ToString().c_str());
    return kExitBadInput;
  }
  Result<int64_t> added = store.Submit(*subs, flags.max_attempts);
  if (!added.ok()) {
    std::fprintf(stderr, "piaudit batch %s: %s\n", command, added.status().ToString().c_str());
    return kExitInternal;
  }
  *submitted = *added;
  std::fprintf(stderr, "piaudit batch %s: %zu APKs given, %lld new jobs\n", command, subs->size(),
               static_cast<long long>(*added));
  return kExitOk;
}

json SummaryJson(const batch::QueueCounts& c, const std::vector<batch::Job>& jobs, double seconds,
                 int64_t scanned_here) {
  std::map<std::string, int64_t> gates;
  for (const batch::Job& j : jobs) {
    if (j.status == batch::JobStatus::kDone && !j.gate.empty()) ++gates[j.gate];
  }
  return {{"schema", "piaudit.batch-summary/1"},
          {"total", c.total()},
          {"done", c.done},
          {"failed", c.failed},
          {"queued", c.queued},
          {"running", c.running},
          {"gate", gates},
          {"scanned_by_this_run", scanned_here},
          {"elapsed_seconds", std::round(seconds * 10) / 10},
          {"apps_per_hour",
           seconds > 0 ? std::round(static_cast<double>(scanned_here) * 3600.0 / seconds) : 0}};
}

int RunBatch(const BatchFlags& flags) {
  std::error_code ec;
  fs::create_directories(fs::path(flags.out_dir) / "reports", ec);
  if (ec) {
    std::fprintf(stderr, "piaudit batch run: %s: %s\n", flags.out_dir.c_str(),
                 ec.message().c_str());
    return kExitInternal;
  }
  Result<std::unique_ptr<batch::JobStore>> store = Open("run", flags);
  if (!store.ok()) return kExitBadInput;
  int64_t added = 0;
  const std::string cache_path = (fs::path(flags.out_dir) / "file_hashes.jsonl").string();
  batch::HashCache cache = LoadHashCache(cache_path);
  if (int rc = Submit("run", flags, **store, &added, &cache); rc != kExitOk) return rc;
  // Not fatal: without the cache the next run hashes every APK again.
  (void)SaveHashCache(cache_path, cache);
  RequeueDeadLocalOwners(**store);
  Result<batch::QueueCounts> before = (*store)->Counts();
  if (!before.ok()) return kExitInternal;
  Progress progress(before->total(), before->done + before->failed);
  if (int rc = Work("run", flags, &progress); rc != kExitOk) return rc;
  Result<batch::QueueCounts> after = (*store)->Counts();
  Result<std::vector<batch::Job>> jobs = (*store)->List();
  if (!after.ok() || !jobs.ok()) return kExitInternal;
  json summary = SummaryJson(*after, *jobs, progress.Seconds(), progress.finished());
  const std::string summary_path = (fs::path(flags.out_dir) / "summary.json").string();
  if (Status s = report::WriteTextFile(summary_path, summary.dump(2) + "\n"); !s.ok()) {
    std::fprintf(stderr, "piaudit batch run: %s\n", s.ToString().c_str());
    return kExitInternal;
  }
  std::fprintf(stderr, "piaudit batch run: %lld apps: %lld done, %lld failed; summary: %s\n",
               static_cast<long long>(after->total()), static_cast<long long>(after->done),
               static_cast<long long>(after->failed), summary_path.c_str());
  return kExitOk;
}

int RunSubmit(const BatchFlags& flags) {
  Result<std::unique_ptr<batch::JobStore>> store = Open("submit", flags);
  if (!store.ok()) return kExitBadInput;
  int64_t added = 0;
  return Submit("submit", flags, **store, &added);
}

// `batch work --db URL` without -o (the contract): an SQLite store's reports go beside it
// (the OUT of the `batch run` that made it), a PostgreSQL worker's into ./piaudit-batch.
std::string DefaultWorkOut(const std::string& db) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (db.compare(0, kSqlite.size(), kSqlite) == 0) {
    fs::path parent = fs::path(db.substr(kSqlite.size())).parent_path();
    return parent.empty() ? "." : parent.string();
  }
  return "piaudit-batch";
}

int RunWork(const BatchFlags& given) {
  BatchFlags flags = given;
  if (flags.out_dir.empty()) flags.out_dir = DefaultWorkOut(flags.db);
  Result<std::unique_ptr<batch::JobStore>> store = Open("work", flags);
  if (!store.ok()) return kExitBadInput;
  RequeueDeadLocalOwners(**store);
  Result<batch::QueueCounts> before = (*store)->Counts();
  if (!before.ok()) return kExitInternal;
  Progress progress(before->total(), before->done + before->failed);
  return Work("work", flags, &progress);
}

int RunStatus(const BatchFlags& flags) {
  Result<std::unique_ptr<batch::JobStore>> store = Open("status", flags);
  if (!store.ok()) return kExitBadInput;
  Result<batch::QueueCounts> c = (*store)->Counts();
  Result<std::vector<batch::Job>> jobs = (*store)->List();
  if (!c.ok() || !jobs.ok()) {
    std::fprintf(stderr, "piaudit batch status: %s\n",
                 (!c.ok() ? c.status() : jobs.status()).ToString().c_str());
    return kExitInternal;
  }
  std::printf("%lld apps: %lld done, %lld failed, %lld running, %lld queued\n",
              static_cast<long long>(c->total()), static_cast<long long>(c->done),
              static_cast<long long>(c->failed), static_cast<long long>(c->running),
              static_cast<long long>(c->queued));
  for (const batch::Job& j : *jobs) {
    if (j.status == batch::JobStatus::kRunning) {
      std::printf("running  %s  %s  (attempt %d, %s)\n", j.sha256.substr(0, 12).c_str(),
                  Printable(j.path).c_str(), j.attempts, j.lease_owner.c_str());
    }
  }
  return kExitOk;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

int RunExport(const BatchFlags& flags) {
  Result<std::unique_ptr<batch::JobStore>> store = Open("export", flags);
  if (!store.ok()) return kExitBadInput;
  Result<std::vector<batch::Job>> jobs = (*store)->List();
  if (!jobs.ok()) {
    std::fprintf(stderr, "piaudit batch export: %s\n", jobs.status().ToString().c_str());
    return kExitInternal;
  }
  const bool csv = flags.export_format == "csv";
  if (csv) {
    std::printf("package,version,sha256,path,status,attempts");
    for (const char* v : kVerdictNames) std::printf(",%s", v);
    std::printf(",gate,gate_reasons,error\n");
  }
  for (const batch::Job& j : *jobs) {
    // Written by this tool; a row that does not parse (an edited database) exports as empty.
    json verdicts = json::parse(j.verdicts, nullptr, false);
    if (!verdicts.is_object()) verdicts = json::object();
    json reasons = json::parse(j.gate_reasons, nullptr, false);
    if (!reasons.is_array()) reasons = json::array();
    if (csv) {
      std::string row = CsvField(j.package) + "," + CsvField(j.version) + "," + j.sha256 + "," +
                        CsvField(j.path) + "," + std::string(batch::JobStatusName(j.status)) + "," +
                        std::to_string(j.attempts);
      for (const char* v : kVerdictNames) {
        const bool known = verdicts.contains(v) && verdicts[v].is_number_integer();
        row += "," + (known ? std::to_string(verdicts[v].get<int>()) : "");
      }
      std::string reason_text;
      for (const json& r : reasons) {
        if (r.is_string()) reason_text += (reason_text.empty() ? "" : "; ") + r.get<std::string>();
      }
      row += "," + j.gate + "," + CsvField(reason_text) + "," + CsvField(j.error);
      std::printf("%s\n", row.c_str());
    } else {
      json line = {{"package", j.package},
                   {"version", j.version},
                   {"sha256", j.sha256},
                   {"path", j.path},
                   {"policy_path", j.policy_path},
                   {"status", batch::JobStatusName(j.status)},
                   {"attempts", j.attempts},
                   {"verdicts", verdicts},
                   {"gate", j.gate},
                   {"gate_reasons", reasons},
                   {"error", j.error}};
      std::printf("%s\n", line.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    }
  }
  return kExitOk;
}

int RunRejudge(const BatchFlags& flags) {
  Result<std::unique_ptr<batch::JobStore>> store = Open("rejudge", flags);
  if (!store.ok()) return kExitBadInput;
  Result<std::unique_ptr<Judge>> judge = LoadJudge(flags);
  if (!judge.ok()) {
    std::fprintf(stderr, "piaudit batch rejudge: %s\n", judge.status().ToString().c_str());
    return kExitBadInput;
  }
  Result<std::vector<batch::Job>> jobs = (*store)->List();
  if (!jobs.ok()) return kExitInternal;
  int64_t judged = 0, failed = 0;
  for (const batch::Job& j : *jobs) {
    if (j.status != batch::JobStatus::kDone) continue;
    Result<std::string> record = (*store)->Evidence(j.id);
    batch::JobOutcome outcome;
    evidence::AppEvidence e;
    std::vector<rules::ItemResult> items;
    Status s = record.ok()
                   ? JudgeEvidence(**judge, *record, "job " + j.sha256, &outcome, &e, &items)
                   : record.status();
    if (s.ok()) s = (*store)->UpdateJudgement(j.id, outcome);
    if (s.ok() && !flags.out_dir.empty()) {
      report::ReportInput in;
      in.evidence = &e;
      in.items = items;
      in.kb = &(*judge)->kb;
      in.tool_version = kToolVersion;
      in.kb_version = (*judge)->kb.version().version;
      in.generated_at = GeneratedAt();
      in.inputs.push_back({"evidence", "job " + j.sha256, j.sha256});
      Result<std::vector<std::string>> written = report::WriteReportFiles(
          (fs::path(flags.out_dir) / "reports" / j.sha256).string(), {"json"}, in);
      if (!written.ok()) s = written.status();
    }
    if (!s.ok()) {
      ++failed;
      std::fprintf(stderr, "piaudit batch rejudge: %s: %s\n", j.sha256.c_str(),
                   s.ToString().c_str());
      continue;
    }
    ++judged;
  }
  std::fprintf(stderr, "piaudit batch rejudge: %lld apps judged again, %lld failed\n",
               static_cast<long long>(judged), static_cast<long long>(failed));
  return failed == 0 ? kExitOk : kExitBadInput;
}

void AddDbFlags(CLI::App* cmd, BatchFlags* flags, bool out_required) {
  auto* out = cmd->add_option("-o,--out", flags->out_dir,
                              "output directory: reports/<sha256>/, piaudit.db, summary.json");
  auto* db = cmd->add_option("--db", flags->db,
                             "job store: sqlite:PATH (default OUT/piaudit.db) or postgresql://...");
  (void)db;
  // Without -o, --db must name the store (checked in the callback: CLI11 has no "one of").
  if (out_required) out->required();
}

void AddWorkFlags(CLI::App* cmd, BatchFlags* flags) {
  cmd->add_option("--jobs", flags->jobs, "parallel scans")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--scan-threads", flags->scan_threads,
                  "threads per scan (default: the cores shared out among the jobs)")
      ->check(CLI::Range(0, 64));
  cmd->add_option("--gate", flags->gate_file, "store gate (YAML, piaudit.gate/1)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--timeout", flags->timeout_seconds, "seconds per app")->capture_default_str();
  cmd->add_option("--memory-mb", flags->memory_mb, "address-space limit per scan, MB")
      ->capture_default_str();
  cmd->add_option("--cpu-seconds", flags->cpu_seconds,
                  "CPU-time limit per scan (default: twice --timeout)");
  cmd->add_option("--lease", flags->lease_seconds, "lease seconds (renewed every third)")
      ->check(CLI::Range(3, 86400))
      ->capture_default_str();
  cmd->add_option("--max-attempts", flags->max_attempts, "attempts per app before it stays failed")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--kb", flags->kb_dir, "knowledge-base directory");
}

bool NeedsStore(const char* command, const BatchFlags& flags, int* exit_code) {
  if (flags.db.empty() && flags.out_dir.empty()) {
    std::fprintf(stderr, "piaudit batch %s: give --db URL or -o OUT (its piaudit.db)\n", command);
    *exit_code = kExitUsage;
    return false;
  }
  return true;
}

}  // namespace

void RegisterBatchCommand(CLI::App& cli, int* exit_code) {
  auto flags = std::make_shared<BatchFlags>();
  auto* batch_cmd = cli.add_subcommand("batch", "scan many apps: a resumable queue with workers");
  batch_cmd->require_subcommand(1);
  batch_cmd->footer(std::string("See docs/batch.md.\n\n") + kExitCodesHelp);

  auto* run = batch_cmd->add_subcommand("run", "submit APKs and scan them all (resumable)");
  run->add_option("inputs", flags->inputs,
                  "APK files and directories (walked for *.apk; NAME.policy.txt|html|pdf beside "
                  "NAME.apk is its privacy policy)");
  run->add_option("--list", flags->lists,
                  "file with one APK path a line (APK<TAB>POLICY: its policy)");
  AddDbFlags(run, flags.get(), true);
  AddWorkFlags(run, flags.get());
  run->footer(std::string("Examples:\n  piaudit batch run market/ -o out/ --jobs 2 --gate "
                          "data/gate/store_default.yaml\n  piaudit batch run market/ -o out/   "
                          "(again: resumes; done apps are not scanned again)\n\n") +
              kExitCodesHelp);
  run->callback([flags, exit_code] { *exit_code = RunBatch(*flags); });

  auto* submit = batch_cmd->add_subcommand("submit", "add APKs to the queue");
  submit->add_option("inputs", flags->inputs, "APK files and directories");
  submit->add_option("--list", flags->lists,
                     "file with one APK path a line (APK<TAB>POLICY: its policy)");
  submit->add_option("--max-attempts", flags->max_attempts, "retry failed apps below this")
      ->capture_default_str();
  AddDbFlags(submit, flags.get(), false);
  submit->callback([flags, exit_code] {
    if (NeedsStore("submit", *flags, exit_code)) *exit_code = RunSubmit(*flags);
  });

  auto* work = batch_cmd->add_subcommand("work", "scan queued apps until the queue is empty");
  AddDbFlags(work, flags.get(), false);
  AddWorkFlags(work, flags.get());
  work->add_flag("--follow", flags->follow, "keep waiting for new work");
  work->callback([flags, exit_code] {
    if (NeedsStore("work", *flags, exit_code)) *exit_code = RunWork(*flags);
  });

  auto* status = batch_cmd->add_subcommand("status", "counts of the queue (works during a run)");
  AddDbFlags(status, flags.get(), false);
  status->callback([flags, exit_code] {
    if (NeedsStore("status", *flags, exit_code)) *exit_code = RunStatus(*flags);
  });

  auto* exp = batch_cmd->add_subcommand("export", "one row per app, on standard output");
  AddDbFlags(exp, flags.get(), false);
  exp->add_option("--format", flags->export_format, "jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}))
      ->capture_default_str();
  exp->callback([flags, exit_code] {
    if (NeedsStore("export", *flags, exit_code)) *exit_code = RunExport(*flags);
  });

  auto* rejudge = batch_cmd->add_subcommand(
      "rejudge", "judge every done app again from its stored evidence (e.g. a new --kb)");
  AddDbFlags(rejudge, flags.get(), false);
  rejudge->add_option("--kb", flags->kb_dir, "knowledge-base directory");
  rejudge->add_option("--gate", flags->gate_file, "store gate (YAML)")->check(CLI::ExistingFile);
  rejudge->callback([flags, exit_code] {
    if (NeedsStore("rejudge", *flags, exit_code)) *exit_code = RunRejudge(*flags);
  });
}

}  // namespace piaudit::app
