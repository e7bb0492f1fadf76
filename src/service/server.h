// `piaudit serve`: the HTTP API (/api/v1) and the web UI over the batch queue's database.
//
// Requests are handled by cpp-httplib's thread pool; each handler borrows one database
// connection (and one batch job store) from a small pool for the length of the request. Routes
// are added through Router, which does what every route needs before the handler runs: the
// security headers, the caller (bearer token for the API, session cookie for pages), the CSRF
// check of state-changing page requests, the language, and the database connection. The
// oversight routes (cases, complaints, notices) are added the same way (AddRoutes in server.cc
// is the one list of routes).
#ifndef PIAUDIT_SERVICE_SERVER_H_
#define PIAUDIT_SERVICE_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "knowledge/calendar.h"
#include "knowledge/messages.h"
#include "service/accounts.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace piaudit::batch {
class JobStore;
}
namespace piaudit::knowledge {
class KnowledgeBase;
}
namespace piaudit::sqldb {
class Database;
}

namespace piaudit::service {

struct ServerOptions {
  std::string db_url;                     // the batch queue's database (sqlite:PATH, postgresql://)
  std::string listen_host = "127.0.0.1";  // ADDR of --listen
  int port = 8080;                        // 0: any free port (printed)
  std::string data_dir;                   // uploads: DATA/apks/<sha256>.apk, DATA/policies/<sha256>
  std::string kb_dir;                     // the knowledge base reports are rendered with
  std::string gate_file;  // piaudit.gate/1: the store gate (pass/review/block); "" = none
  // Policy URLs are fetched from public addresses on ports 80/443 only; these open ranges and
  // ports besides (an operator's internal policy host; a test's 127.0.0.2/32).
  std::vector<std::string> fetch_allow_cidrs;
  std::vector<uint16_t> fetch_allow_ports;
  int64_t max_upload_bytes = 100ll << 20;  // whole request body; beyond: 413
  int64_t token_seconds = 24 * 3600;       // API tokens
  int64_t session_seconds = 12 * 3600;     // UI sessions
  int threads = 8;                         // request threads (and database connections at most)
  int max_attempts = 3;                    // handed to the batch queue with each upload
};

// Who may call a route.
enum class Access {
  kPublic,  // nobody needs to be logged in
  kApi,     // Authorization: Bearer TOKEN; 401 without a valid one
  kPage,    // the session cookie; a page without one redirects to /login, a POST needs the CSRF
};

class ConnectionPool;
class ReportCache;
struct PageFrame;

// Everything a handler may use for one request.
struct RequestContext {
  const httplib::Request& req;
  httplib::Response& res;
  std::optional<Principal> who;  // set for kApi and kPage routes
  knowledge::Lang lang = knowledge::Lang::kZh;
  const knowledge::KnowledgeBase& kb;
  const ServerOptions& options;
  ReportCache& reports;
  ConnectionPool& pool;

  RequestContext(const httplib::Request& req, httplib::Response& res,
                 const knowledge::KnowledgeBase& kb, const ServerOptions& options,
                 ReportCache& reports, ConnectionPool& pool);
  ~RequestContext();

  const User& user() const { return who->user; }
  // The request's database connection and batch job store, borrowed from the pool on first use
  // (a route that never asks, like /api/v1/health, never waits for a connection).
  Result<sqldb::Database*> db();
  Result<batch::JobStore*> jobs();
  // Responses: JSON body with status; an error body {"error": message}.
  void Json(int status, const std::string& body);
  void Error(int status, std::string_view message);
  void Html(int status, const std::string& body);
  // A UI text from data/messages.yaml in the request's language ("[id]" when missing).
  std::string T(std::string_view id) const;
  // A failure that is the server's, not the caller's: logged with the request, answered 500.
  void Fail(const Status& status);
  // The page layout's inputs (service/pages.h), and a whole page around `body`.
  PageFrame Frame() const;
  void Page(int status, std::string_view title_id, const std::string& body);
  // Today's date in China (UTC+8): the date of acts recorded without one, and the latest allowed.
  knowledge::Date Today() const;
  // "?lang=en" when the request is in English, for links and redirects; "" in Chinese.
  std::string LangQuery() const;
  void Redirect(const std::string& location);
  // For a self-contained document (the HTML report, the disclosure lists): its own inline
  // <style> and data: images allowed, still no script, no form, no framing.
  void AllowInlineStyle();

 private:
  struct Lease;
  std::unique_ptr<Lease> lease_;
  Status Borrow();
};

using Handler = std::function<void(RequestContext&)>;

class Router {
 public:
  Router(httplib::Server& http,
         std::function<void(Access, const httplib::Request&, httplib::Response&, const Handler&)>
             dispatch)
      : http_(http), dispatch_(std::move(dispatch)) {}
  // `pattern` is a regular expression over the path (cpp-httplib's), groups in req.matches.
  void Get(const std::string& pattern, Access access, Handler handler);
  void Post(const std::string& pattern, Access access, Handler handler);

 private:
  httplib::Server& http_;
  std::function<void(Access, const httplib::Request&, httplib::Response&, const Handler&)>
      dispatch_;
};

class Server {
 public:
  // Opens the database (creating the service's tables and the batch queue's), loads the
  // knowledge base, creates the data directories and binds the address.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();

  int port() const;  // the bound port (the actual one when 0 was asked)
  Router& router();  // for adding routes before Run()
  void Run();        // serves until Stop()
  void Stop();

 private:
  Server();
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace piaudit::service

#endif  // PIAUDIT_SERVICE_SERVER_H_
