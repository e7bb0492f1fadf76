// `piaudit serve --db URL [--listen ADDR:PORT] [--data DIR] [--kb DIR] [--gate FILE]
//  [--max-upload-mb N] [--threads N]`: the oversight service's HTTP API and web UI
//  (docs/service.md). The scans run in
// `piaudit batch work --db URL` workers on the same database.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/commands.h"
#include "app/kb_location.h"
#include "service/server.h"

namespace piaudit::app {
namespace {

struct ServeFlags {
  std::string db;
  std::string listen = "127.0.0.1:8080";
  std::string data = "piaudit-service-data";
  std::string kb_dir;
  std::string gate;
  std::vector<std::string> fetch_allow;
  std::vector<uint16_t> fetch_allow_ports;
  int64_t max_upload_mb = 100;
  int threads = 8;
  int64_t token_hours = 24;
};

service::Server* g_server = nullptr;

void StopOnSignal(int) {
  // httplib's stop() only closes the listening socket and sets a flag: safe enough here, and
  // the process exits right after Run() returns.
  if (g_server != nullptr) g_server->Stop();
}

int RunServe(const ServeFlags& flags) {
  service::ServerOptions options;
  options.db_url = flags.db;
  const size_t colon = flags.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    std::fprintf(stderr, "piaudit serve: --listen wants ADDR:PORT, e.g. 127.0.0.1:8080\n");
    return kExitUsage;
  }
  options.listen_host = flags.listen.substr(0, colon);
  if (options.listen_host.size() > 2 && options.listen_host.front() == '[') {
    options.listen_host = options.listen_host.substr(1, options.listen_host.size() - 2);
  }
  try {
    options.port = std::stoi(flags.listen.substr(colon + 1));
  } catch (...) {
    options.port = -1;
  }
  if (options.port < 0 || options.port > 65535) {
    std::fprintf(stderr, "piaudit serve: --listen port must be 0-65535\n");
    return kExitUsage;
  }
  if (flags.max_upload_mb < 1 || flags.max_upload_mb > 4096 || flags.threads < 1 ||
      flags.threads > 256 || flags.token_hours < 1) {
    std::fprintf(stderr,
                 "piaudit serve: --max-upload-mb 1-4096, --threads 1-256, --token-hours >= 1\n");
    return kExitUsage;
  }
  options.data_dir = flags.data;
  options.kb_dir = flags.kb_dir.empty() ? DefaultKbDir() : flags.kb_dir;
  options.fetch_allow_cidrs = flags.fetch_allow;
  options.fetch_allow_ports = flags.fetch_allow_ports;
  options.gate_file = flags.gate.empty() ? options.kb_dir + "/gate/store_default.yaml" : flags.gate;
  options.max_upload_bytes = flags.max_upload_mb << 20;
  options.threads = flags.threads;
  options.token_seconds = flags.token_hours * 3600;
  Result<std::unique_ptr<service::Server>> server = service::Server::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "piaudit serve: %s\n", server.status().ToString().c_str());
    return server.status().code() == StatusCode::kInvalidInput ? kExitUsage : kExitBadInput;
  }
  // The address actually bound (tests ask for port 0 and read this line).
  std::printf("piaudit serve: listening on http://%s:%d\n", options.listen_host.c_str(),
              (*server)->port());
  std::fflush(stdout);
  g_server = server->get();
  std::signal(SIGTERM, StopOnSignal);
  std::signal(SIGINT, StopOnSignal);
  (*server)->Run();
  g_server = nullptr;
  return kExitOk;
}

}  // namespace

void RegisterServeCommand(CLI::App& cli, int* exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  auto* cmd = cli.add_subcommand(
      "serve", "the oversight service: HTTP API (/api/v1) and web UI over a batch database");
  cmd->add_option("--db", flags->db, "database: sqlite:PATH or postgresql://...")->required();
  cmd->add_option("--listen", flags->listen, "ADDR:PORT (port 0: any free port, printed)")
      ->capture_default_str();
  cmd->add_option("--data", flags->data, "directory for uploaded APKs and policies (by SHA-256)")
      ->capture_default_str();
  cmd->add_option("--kb", flags->kb_dir, "knowledge-base directory the reports are judged with");
  cmd->add_option("--gate", flags->gate,
                  "store gate (piaudit.gate/1) deciding pass/review/block for listing "
                  "(default: KB/gate/store_default.yaml)");
  cmd->add_option("--fetch-allow", flags->fetch_allow,
                  "CIDR a policy URL may reach although not public (repeatable; default: public "
                  "addresses only)");
  cmd->add_option("--fetch-allow-port", flags->fetch_allow_ports,
                  "port a policy URL may use besides 80 and 443 (repeatable)");
  cmd->add_option("--max-upload-mb", flags->max_upload_mb, "largest request body (413 beyond)")
      ->capture_default_str();
  cmd->add_option("--threads", flags->threads, "request threads (and database connections)")
      ->capture_default_str();
  cmd->add_option("--token-hours", flags->token_hours, "lifetime of API tokens")
      ->capture_default_str();
  cmd->footer(std::string("Examples:\n"
                          "  echo 'a long password' | piaudit user add --db sqlite:svc.db "
                          "--name alice --role admin\n"
                          "  piaudit serve --db sqlite:svc.db --data svc-data &\n"
                          "  piaudit batch work --db sqlite:svc.db -o svc-out --follow &\n\n") +
              kExitCodesHelp);
  cmd->callback([flags, exit_code] { *exit_code = RunServe(*flags); });
}

}  // namespace piaudit::app
