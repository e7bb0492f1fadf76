#include "service/pages.h"

#include <ctime>
#include <map>

#include "knowledge/knowledge_base.h"
#include "report/html_escape.h"

namespace piaudit::service {
std::string E(std::string_view s) { return report::HtmlEscape(s); }

std::string UnixTimeText(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string Link(const PageFrame& f, std::string_view path) {
  return E(std::string(path) + (f.lang == knowledge::Lang::kEn ? "?lang=en" : ""));
}

// A path segment of a URL: only the characters a package name may hold pass through.
std::string PathSegment(std::string_view s) {
  std::string out;
  static const char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '_' || c == '-') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

std::string StatusText(const PageFrame& f, std::string_view status) {
  return f.T("service.status." + std::string(status));
}

std::string ScanRow(const PageFrame& f, const ScanView& s, bool with_package) {
  std::string out = "<tr>";
  out += "<td><a href=\"" + Link(f, "/scans/" + std::to_string(s.scan_id)) + "\">#" +
         std::to_string(s.scan_id) + "</a></td>";
  if (with_package) {
    if (s.package.empty()) {
      out += "<td class=\"muted\">" + E(f.T("service.app.pending")) + "</td>";
    } else {
      out += "<td><a href=\"" + Link(f, "/apps/" + PathSegment(s.package)) + "\">" + E(s.package) +
             "</a></td>";
    }
  }
  out += "<td>" + E(s.version) + "</td>";
  out += "<td><span class=\"status " + E(s.status) + "\">" + E(StatusText(f, s.status)) +
         "</span></td>";
  out += "<td>" + E(s.gate) + "</td>";
  out += "<td class=\"filename\">" + E(s.file_name) + "</td>";
  out += "<td>" + E(s.uploader) + "</td>";
  out += "<td>" + E(s.store) + "</td>";
  out += "<td>" + E(s.developer) + "</td>";
  out += "<td>" + E(UnixTimeText(s.created_at)) + "</td>";
  out += "</tr>\n";
  return out;
}

}  // namespace

std::string TableStart(const PageFrame& f, std::string_view attributes,
                       std::span<const char* const> column_ids) {
  std::string out = "<table " + std::string(attributes) + "><thead><tr>";
  for (const char* id : column_ids) out += "<th>" + E(f.T(id)) + "</th>";
  return out + "</tr></thead><tbody>\n";
}

std::string ScanTable(const PageFrame& f, const std::vector<ScanView>& scans, bool with_package) {
  std::vector<const char*> columns = {"service.col.scan"};
  if (with_package) columns.push_back("service.col.package");
  for (const char* id : {"service.col.version", "service.col.status", "service.col.gate",
                         "service.col.file", "service.col.uploader", "service.col.store",
                         "service.col.developer", "service.col.uploaded"})
    columns.push_back(id);
  std::string out = TableStart(f, "class=\"scans\"", columns);
  for (const ScanView& s : scans) out += ScanRow(f, s, with_package);
  out += "</tbody></table>\n";
  return out;
}

std::string CsrfField(const PageFrame& f) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + E(f.who ? f.who->csrf : "") + "\">";
}

std::string PageFrame::T(std::string_view id) const {
  const knowledge::Message* m = kb.FindMessage(id);
  return m ? m->text(lang) : "[" + std::string(id) + "]";
}

const char kServiceCss[] = R"CSS(
body{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{background:#263238;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:center;flex-wrap:wrap}
header a,header button{color:#fff;text-decoration:none;background:none;border:0;font:inherit;cursor:pointer;padding:0}
header .brand{font-weight:bold;margin-right:1em}header .who{margin-left:auto;opacity:.85}
header form{display:inline;margin:0}
main{padding:1em 1.5em;max-width:1200px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #cfd8dc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eceff1}.muted{color:#78909c}.filename{word-break:break-all;max-width:20em}
.status.done{color:#2e7d32}.status.failed{color:#c62828}.status.running{color:#1565c0}.status.queued{color:#6d4c41}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5em,1fr));gap:.4em;margin:1em 0}
.cell{border:1px solid #cfd8dc;border-left:6px solid #90a4ae;padding:.35em .5em;background:#fff;font-size:.9em}
.cell .id{font-weight:bold}.cell .v{display:block;margin-top:.2em}
.cell.violation{border-left-color:#c62828}.cell.compliant{border-left-color:#2e7d32}
.cell.needs-dynamic{border-left-color:#1565c0}.cell.needs-manual{border-left-color:#ef6c00}
.cell.not-applicable{border-left-color:#b0bec5}
form.box{background:#fff;border:1px solid #cfd8dc;padding:1em;max-width:32em}
form.box label{display:block;margin:.6em 0 .2em}form.box input{width:100%;box-sizing:border-box;padding:.3em}
button.primary{margin-top:1em;padding:.4em 1.2em;background:#263238;color:#fff;border:0;cursor:pointer}
.error{color:#c62828;font-weight:bold}.notice{color:#2e7d32;font-weight:bold}
pre.policy{white-space:pre-wrap;background:#fff;border:1px solid #cfd8dc;padding:.6em;max-height:20em;overflow:auto}
.counts td{font-size:1.4em;text-align:center}
form.box textarea,form.box select{width:100%;box-sizing:border-box;padding:.3em}form.box textarea{min-height:4em}
form.step{display:inline-block;vertical-align:top;margin:0 .6em .6em 0;min-width:18em}form.step h3{margin:0 0 .3em}
fieldset.items{border:1px solid #cfd8dc;display:flex;flex-wrap:wrap;gap:.2em .8em}fieldset.items label.item{display:inline;margin:0}
form.box fieldset.items input{width:auto}
td.deadline.overdue{color:#c62828}tr.in-case td:first-child{border-left:4px solid #263238}
tr.widens td{background:#fff3e0}table.rescan td.cell{border-left-width:6px}
@media print{header{display:none}body{background:#fff}main{max-width:none}.cell{break-inside:avoid}a{color:inherit;text-decoration:none}}
)CSS";

std::string RenderPage(const PageFrame& f, std::string_view title, std::string_view body) {
  std::string out;
  out.reserve(body.size() + 2048);
  out += "<!DOCTYPE html>\n<html lang=\"";
  out += f.lang == knowledge::Lang::kEn ? "en" : "zh-CN";
  out +=
      "\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width\"><title>";
  out += E(title) + " · " + E(f.T("service.title"));
  out += "</title><link rel=\"stylesheet\" href=\"/static/service.css\"></head>\n<body>\n<header>";
  out += "<span class=\"brand\">" + E(f.T("service.title")) + "</span>";
  if (f.who != nullptr) {
    out += "<a href=\"" + Link(f, "/") + "\">" + E(f.T("service.nav.dashboard")) + "</a>";
    out += "<a href=\"" + Link(f, "/apps") + "\">" + E(f.T("service.nav.apps")) + "</a>";
    out += "<a href=\"" + Link(f, "/upload") + "\">" + E(f.T("service.nav.upload")) + "</a>";
    out += "<a href=\"" + Link(f, "/cases") + "\">" + E(f.T("service.nav.cases")) + "</a>";
    if (f.who->user.role != Role::kDeveloper) {
      out += "<a href=\"" + Link(f, "/store") + "\">" + E(f.T("service.nav.store")) + "</a>";
    }
  }
  out += "<a href=\"" + Link(f, "/public/notices") + "\">" + E(f.T("service.nav.notices")) + "</a>";
  // The switch keeps the page: the other language's link to the same path.
  const std::string other = f.lang == knowledge::Lang::kEn ? f.path : f.path + "?lang=en";
  out += "<a class=\"lang\" href=\"" + E(other) + "\">" + E(f.T("service.nav.other_language")) +
         "</a>";
  if (f.who != nullptr) {
    out += "<span class=\"who\">" + E(f.who->user.name) + " (" +
           E(f.T("service.role." + std::string(RoleName(f.who->user.role)))) +
           (f.who->user.store.empty() ? "" : " · " + E(f.who->user.store)) + ")</span>";
    out +=
        "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"" +
        E(f.who->csrf) + "\"><button type=\"submit\" id=\"logout\">" +
        E(f.T("service.nav.logout")) + "</button></form>";
  }
  out += "</header>\n<main>\n";
  out += body;
  out += "\n</main>\n</body>\n</html>\n";
  return out;
}

std::string LoginBody(const PageFrame& f, std::string_view login_csrf, std::string_view error) {
  std::string out = "<h1>" + E(f.T("service.login.title")) + "</h1>\n";
  if (!error.empty()) out += "<p class=\"error\">" + E(error) + "</p>\n";
  out += "<form class=\"box\" method=\"post\" action=\"" + Link(f, "/login") + "\">";
  out += "<input type=\"hidden\" name=\"csrf\" value=\"" + E(login_csrf) + "\">";
  out += "<label for=\"name\">" + E(f.T("service.login.name")) +
         "</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required>";
  out += "<label for=\"password\">" + E(f.T("service.login.password")) +
         "</label><input id=\"password\" name=\"password\" type=\"password\" "
         "autocomplete=\"current-password\" required>";
  out += "<button class=\"primary\" type=\"submit\" id=\"login\">" +
         E(f.T("service.login.submit")) + "</button></form>\n";
  return out;
}

std::string DashboardBody(const PageFrame& f, const std::vector<ScanView>& scans,
                          std::string_view oversight) {
  std::map<std::string, int> counts;
  for (const ScanView& s : scans) ++counts[s.status];
  std::string out = "<h1>" + E(f.T("service.dashboard.title")) + "</h1>\n";
  out += "<h2>" + E(f.T("service.dashboard.scans")) + "</h2>\n<table class=\"counts\"><tr>";
  for (const char* st : {"queued", "running", "done", "failed"}) {
    out += "<th>" + E(StatusText(f, st)) + "</th>";
  }
  out += "</tr><tr>";
  for (const char* st : {"queued", "running", "done", "failed"}) {
    out += "<td id=\"count-" + std::string(st) + "\">" + std::to_string(counts[st]) + "</td>";
  }
  out += "</tr></table>\n";
  out += oversight;
  out += "<h2>" + E(f.T("service.dashboard.recent")) + "</h2>\n";
  std::vector<ScanView> recent(scans.begin(), scans.begin() + std::min<size_t>(scans.size(), 10));
  out += ScanTable(f, recent, true);
  return out;
}

std::string AppsBody(const PageFrame& f, const std::vector<ScanView>& scans) {
  std::string out = "<h1>" + E(f.T("service.apps.title")) + "</h1>\n";
  if (scans.empty()) {
    out += "<p class=\"muted\">" + E(f.T("service.apps.none")) + "</p>\n";
    return out;
  }
  out += ScanTable(f, scans, true);
  return out;
}

std::string ItemGrid(const PageFrame& f, std::span<const rules::ItemResult> items) {
  std::string out = "<div class=\"grid\" id=\"item-grid\">\n";
  for (const rules::ItemResult& r : items) {
    const std::string verdict(rules::VerdictName(r.verdict));
    out += "<div class=\"cell " + E(verdict) + "\" data-item=\"" + E(r.id) +
           "\"><span class=\"id\">" + E(r.id) + "</span> " +
           E(f.lang == knowledge::Lang::kEn ? r.title_en : r.title_zh) + "<span class=\"v\">" +
           E(f.T("verdict." + verdict)) + "</span></div>\n";
  }
  out += "</div>\n";
  return out;
}

std::string AppBody(const PageFrame& f, std::string_view package,
                    const std::vector<ScanView>& scans, int64_t latest_done,
                    std::span<const rules::ItemResult> items) {
  std::string out = "<h1>" + E(f.T("service.app.title")) + " " + E(package) + "</h1>\n";
  out += "<h2>" + E(f.T("service.app.latest")) + "</h2>\n";
  if (items.empty()) {
    out += "<p class=\"muted\">" + E(f.T("service.app.no_result")) + "</p>\n";
  } else {
    out += "<p><a id=\"report-link\" href=\"" +
           Link(f, "/scans/" + std::to_string(latest_done) + "/report.html") + "\">" +
           E(f.T("service.app.report")) + "</a></p>\n";
    out += ItemGrid(f, items);
  }
  out += "<h2>" + E(f.T("service.app.versions")) + "</h2>\n";
  out += ScanTable(f, scans, false);
  for (const ScanView& s : scans) {
    if (s.policy_excerpt.empty()) continue;
    out += "<h2>" + E(f.T("service.app.policy")) + "</h2>\n<pre class=\"policy\">" +
           E(s.policy_excerpt) + "</pre>\n";
    break;
  }
  return out;
}

std::string ScanBody(const PageFrame& f, const ScanView& s,
                     std::span<const rules::ItemResult> items) {
  std::string out = "<h1>" + E(f.T("service.scan.title")) + " #" + std::to_string(s.scan_id) +
                    "</h1>\n<table class=\"facts\">";
  auto row = [&](const char* id, const std::string& value) {
    out += "<tr><th>" + E(f.T(id)) + "</th><td>" + E(value) + "</td></tr>";
  };
  out += "<tr><th>" + E(f.T("service.col.status")) +
         "</th><td><span id=\"scan-status\" class=\"status " + E(s.status) + "\">" +
         E(StatusText(f, s.status)) + "</span></td></tr>";
  row("service.col.package", s.package);
  row("service.col.version", s.version);
  row("service.col.gate", s.gate);
  row("service.col.file", s.file_name);
  row("service.col.sha256", s.apk_sha256);
  row("service.col.uploader", s.uploader);
  row("service.col.store", s.store);
  row("service.col.developer", s.developer);
  row("service.col.uploaded", UnixTimeText(s.created_at));
  if (!s.error.empty()) row("service.scan.error", s.error);
  out += "</table>\n";
  if (!s.package.empty()) {
    out += "<p><a href=\"" + Link(f, "/apps/" + PathSegment(s.package)) + "\">" +
           E(f.T("service.scan.app_page")) + "</a></p>\n";
  }
  if (!items.empty()) {
    const std::string base = "/scans/" + std::to_string(s.scan_id);
    out += "<p><a id=\"report-link\" href=\"" + Link(f, base + "/report.html") + "\">" +
           E(f.T("service.app.report")) + "</a>";
    for (const char* other : {"report.pdf", "report.sarif", "report.evidence"}) {
      out += " · <a href=\"" + Link(f, base + "/" + other) + "\">" +
             E(f.T("service.scan." + std::string(other))) + "</a>";
    }
    out += "</p>\n" + ItemGrid(f, items);
  } else if (s.status == "queued" || s.status == "running") {
    out += "<p class=\"muted\" id=\"scan-pending\">" + E(f.T("service.scan.pending")) + "</p>\n";
  }
  if (!s.policy_excerpt.empty()) {
    out += "<h2>" + E(f.T("service.app.policy")) + "</h2>\n<pre class=\"policy\">" +
           E(s.policy_excerpt) + "</pre>\n";
  }
  return out;
}

std::string UploadBody(const PageFrame& f, std::string_view message, int64_t max_upload_bytes) {
  std::string out = "<h1>" + E(f.T("service.upload.title")) + "</h1>\n";
  if (!message.empty()) out += "<p class=\"error\">" + E(message) + "</p>\n";
  out += "<form class=\"box\" method=\"post\" action=\"" + Link(f, "/upload") +
         "\" enctype=\"multipart/form-data\">";
  out += CsrfField(f);
  out += "<label for=\"apk\">" + E(f.T("service.upload.apk")) +
         "</label><input id=\"apk\" name=\"apk\" type=\"file\" accept=\".apk\" required>";
  out += "<label for=\"policy\">" + E(f.T("service.upload.policy")) +
         "</label><input id=\"policy\" name=\"policy\" type=\"file\">";
  if (f.who != nullptr && f.who->user.role != Role::kDeveloper) {
    out += "<label for=\"developer\">" + E(f.T("service.upload.developer")) +
           "</label><input id=\"developer\" name=\"developer\">";
  }
  if (f.who != nullptr && f.who->user.role != Role::kStore) {
    out += "<label for=\"store\">" + E(f.T("service.upload.store")) +
           "</label><input id=\"store\" name=\"store\">";
  }
  out += "<p class=\"muted\">" + E(f.T("service.upload.limit")) + " " +
         std::to_string(max_upload_bytes >> 20) + " MiB</p>";
  out += "<button class=\"primary\" type=\"submit\" id=\"upload\">" +
         E(f.T("service.upload.submit")) + "</button></form>\n";
  return out;
}

}  // namespace piaudit::service
