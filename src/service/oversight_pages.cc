#include "service/oversight_pages.h"

#include <algorithm>

#include "knowledge/knowledge_base.h"

namespace piaudit::service {
namespace {

bool IsEn(const PageFrame& f) { return f.lang == knowledge::Lang::kEn; }

std::string ActionName(const PageFrame& f, std::string_view action) {
  return f.T("review.action." + std::string(action));
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

std::string ScanIdOf(std::string_view scan_ref) {
  constexpr std::string_view kPrefix = "scan/";
  return scan_ref.substr(0, kPrefix.size()) == kPrefix ? std::string(scan_ref.substr(5)) : "";
}

std::string CaseLink(const PageFrame& f, int64_t id) {
  return "<a href=\"" + Link(f, "/cases/" + std::to_string(id)) + "\">#" + std::to_string(id) +
         "</a>";
}

std::string DeadlineCell(const PageFrame& f, const review::CaseView& c) {
  if (!c.deadline) return "<td class=\"muted\">-</td>";
  std::string out = "<td class=\"deadline" + std::string(c.overdue ? " overdue" : "") + "\">" +
                    E(c.deadline->ToString());
  out +=
      " <span class=\"muted\">(" + E(f.T("service.case.deadline_" + c.deadline_kind)) + ")</span>";
  if (c.overdue) out += " <strong>" + E(f.T("service.case.overdue")) + "</strong>";
  return out + "</td>";
}

std::string CaseRows(const PageFrame& f, const std::vector<review::CaseView>& cases) {
  static constexpr const char* kColumns[] = {"service.case.col.case",  "service.col.package",
                                             "service.col.version",    "service.case.col.state",
                                             "service.case.col.items", "service.case.col.deadline",
                                             "service.col.developer",  "service.col.store"};
  std::string out = TableStart(f, "class=\"cases\"", kColumns);
  for (const review::CaseView& c : cases) {
    out += "<tr data-case=\"" + std::to_string(c.id) + "\"><td>" + CaseLink(f, c.id) + "</td><td>" +
           E(c.package) + "</td><td>" + E(c.version_name) + "</td><td class=\"state\">" +
           E(StateName(f, c.state)) + "</td><td>" + E(Join(c.items, ", ")) + "</td>" +
           DeadlineCell(f, c) + "<td>" + E(c.developer) + "</td><td>" + E(c.store) + "</td></tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string DateInput(std::string_view today) {
  return "<input name=\"date\" type=\"date\" value=\"" + E(today) + "\" max=\"" + E(today) +
         "\" required>";
}

std::string Label(const PageFrame& f, std::string_view id) {
  return "<label>" + E(f.T(id)) + "</label>";
}

std::string StepForm(const PageFrame& f, const CasePage& page, const std::string& action,
                     const knowledge::ReviewTransition& t, std::string_view today) {
  const review::CaseView& c = *page.c;
  std::string out = "<form class=\"box step\" method=\"post\" id=\"step-" + E(action) +
                    "\" action=\"" + Link(f, "/cases/" + std::to_string(c.id) + "/steps") + "\">";
  out += CsrfField(f) + "<input type=\"hidden\" name=\"action\" value=\"" + E(action) + "\">";
  out += "<h3>" + E(ActionName(f, action)) + "</h3>";
  out += "<p class=\"muted\">" + E(f.T(t.basis)) + "</p>";
  if (t.deadline) {
    out += "<p class=\"muted\">" + E(f.T("service.case.starts_deadline")) + " " +
           std::to_string(t.deadline->days) + " " +
           E(f.T(t.deadline->unit == knowledge::DeadlineUnit::kWorkingDays
                     ? "service.case.working_days"
                     : "service.case.calendar_days")) +
           "</p>";
  }
  out += Label(f, "service.case.date") + DateInput(today);
  if (t.Requires("rescan_clean")) {
    out += Label(f, "service.case.rescan") + "<select name=\"rescan_scan\" required>";
    for (const ScanView& s : page.rescans) {
      out += "<option value=\"" + std::to_string(s.scan_id) + "\">#" + std::to_string(s.scan_id) +
             " " + E(s.version) + "</option>";
    }
    out += "</select>";
    if (page.rescans.empty()) {
      out += "<p class=\"muted\">" + E(f.T("service.case.no_rescan")) + "</p>";
    }
  }
  if (t.Requires("pledge")) {
    out += Label(f, "service.case.pledge") + "<textarea name=\"pledge\"></textarea>";
  }
  if (t.Requires("credit_reason")) {
    out += Label(f, "service.case.credit_reason") + "<select name=\"credit_reason\">";
    for (const char* r : {"serious", "repeated"}) {
      out += "<option value=\"" + std::string(r) + "\">" +
             E(f.T("service.case.credit." + std::string(r))) + "</option>";
    }
    out += "</select>";
  }
  if (action == "order_rectification" || action == "answer_complaint" ||
      action == "publish_notice") {
    out += Label(f, "service.case.document") + "<textarea name=\"document\"></textarea>";
  }
  out += Label(f, "service.case.note") + "<textarea name=\"note\"></textarea>";
  out += "<button class=\"primary\" type=\"submit\" id=\"do-" + E(action) + "\">" +
         E(ActionName(f, action)) + "</button></form>\n";
  return out;
}

}  // namespace

std::string StateName(const PageFrame& f, std::string_view state) {
  const knowledge::ReviewState* s = f.kb.review_process().FindState(state);
  if (s == nullptr) return std::string(state);
  return IsEn(f) ? s->en : s->zh;
}

std::string CasesBody(const PageFrame& f, const std::vector<review::CaseView>& cases,
                      std::string_view state_filter) {
  std::string out = "<h1>" + E(f.T("service.case.list_title")) + "</h1>\n";
  out += "<form class=\"filter\" method=\"get\" action=\"/cases\">";
  if (IsEn(f)) out += "<input type=\"hidden\" name=\"lang\" value=\"en\">";
  out += "<select name=\"state\" id=\"state-filter\"><option value=\"\">" +
         E(f.T("service.case.all_states")) + "</option>";
  for (const knowledge::ReviewState& s : f.kb.review_process().states) {
    out += "<option value=\"" + E(s.id) + "\"" + (s.id == state_filter ? " selected" : "") + ">" +
           E(IsEn(f) ? s.en : s.zh) + "</option>";
  }
  out +=
      "</select> <button type=\"submit\">" + E(f.T("service.case.filter")) + "</button></form>\n";
  if (cases.empty()) return out + "<p class=\"muted\">" + E(f.T("service.case.none")) + "</p>\n";
  return out + CaseRows(f, cases);
}

std::string RescanTable(const PageFrame& f, const review::CaseView& c, const RescanView& r) {
  std::string out = "<h2>" + E(f.T("service.case.rescan_title")) + "</h2>\n";
  out += "<p>" + E(f.T("service.case.rescan_of")) + " <a href=\"" +
         Link(f, "/scans/" + std::to_string(r.old_scan)) + "\">#" + std::to_string(r.old_scan) +
         "</a> " + E(c.version_name) + " → <a href=\"" +
         Link(f, "/scans/" + std::to_string(r.new_scan)) + "\">#" + std::to_string(r.new_scan) +
         "</a> " + E(r.new_version) + "</p>\n";
  static constexpr const char* kRescanColumns[] = {
      "service.case.col.item", "service.case.col.before", "service.case.col.after"};
  out += TableStart(f, "class=\"rescan\" id=\"rescan-table\"", kRescanColumns);
  for (const rules::ItemResult& before : r.old_items) {
    auto after = std::find_if(r.new_items.begin(), r.new_items.end(),
                              [&](const rules::ItemResult& x) { return x.id == before.id; });
    const bool in_case = std::find(c.items.begin(), c.items.end(), before.id) != c.items.end();
    auto cell = [&](const rules::ItemResult& x) {
      const std::string v(rules::VerdictName(x.verdict));
      std::string text = E(f.T("verdict." + v));
      if (!x.findings.empty()) {
        text += "<div class=\"muted\">" +
                E(IsEn(f) || x.findings[0].message_zh.empty() ? x.findings[0].message
                                                              : x.findings[0].message_zh) +
                "</div>";
      }
      return "<td class=\"cell " + E(v) + "\">" + text + "</td>";
    };
    out += "<tr data-item=\"" + E(before.id) + "\"" + (in_case ? " class=\"in-case\"" : "") +
           "><td>" + E(before.id) + " " + E(IsEn(f) ? before.title_en : before.title_zh) +
           (in_case ? " <strong>" + E(f.T("service.case.in_case")) + "</strong>" : "") + "</td>" +
           cell(before) + (after == r.new_items.end() ? "<td>-</td>" : cell(*after)) + "</tr>\n";
  }
  out += "</tbody></table>\n";
  if (r.changes == nullptr) {
    out += "<p class=\"muted\">" + E(f.T("service.case.not_comparable")) + " " +
           E(r.not_comparable) + "</p>\n";
    return out;
  }
  out += "<h3>" + E(f.T("service.case.changes")) + "</h3>\n";
  if (r.changes->changes.empty()) {
    return out + "<p class=\"muted\">" + E(f.T("service.case.no_changes")) + "</p>\n";
  }
  out += "<table class=\"changes\"><tbody>\n";
  for (const evidence::VersionChange& ch : r.changes->changes) {
    out += "<tr" + std::string(ch.widens ? " class=\"widens\"" : "") + "><td>" + E(ch.area) +
           "</td><td>" + E(evidence::ChangeKindName(ch.kind)) + "</td><td>" + E(ch.subject) +
           "</td><td>" + E(ch.before) + (ch.before.empty() && ch.after.empty() ? "" : " → ") +
           E(ch.after) + "</td></tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string CaseBody(const PageFrame& f, const CasePage& page) {
  const review::CaseView& c = *page.c;
  std::string out = "<h1>" + E(f.T("service.case.title")) + " #" + std::to_string(c.id) + "</h1>\n";
  if (!page.message.empty()) {
    out += "<p class=\"error\" id=\"step-refused\">" + E(page.message) + "</p>\n";
  }
  out += "<table class=\"facts\">";
  auto row = [&](const char* id, const std::string& html) {
    out += "<tr><th>" + E(f.T(id)) + "</th><td>" + html + "</td></tr>";
  };
  row("service.case.col.state", "<span id=\"case-state\" data-state=\"" + E(c.state) + "\">" +
                                    E(StateName(f, c.state)) + "</span>");
  if (c.deadline) {
    out += "<tr><th>" + E(f.T("service.case.col.deadline")) + "</th>";
    std::string cell = DeadlineCell(f, c);
    cell.insert(3, " id=\"case-deadline\" data-date=\"" + c.deadline->ToString() + "\"");
    out += cell + "</tr>";
  }
  row("service.col.package", E(c.package) + (c.label.empty() ? "" : " (" + E(c.label) + ")"));
  row("service.col.version", E(c.version_name) + " (" + std::to_string(c.version_code) + ")");
  const std::string scan = ScanIdOf(c.scan_ref);
  if (!scan.empty()) {
    row("service.col.scan", "<a href=\"" + Link(f, "/scans/" + scan) + "\">#" + E(scan) +
                                "</a> · <a href=\"" + Link(f, "/scans/" + scan + "/report.html") +
                                "\">" + E(f.T("service.app.report")) + "</a>");
  }
  row("service.case.col.cert", "<code>" + E(c.cert_sha256) + "</code>");
  row("service.col.developer", E(c.developer));
  row("service.col.store", E(c.store));
  row("service.case.col.items", "<span id=\"case-items\">" + E(Join(c.items, ", ")) + "</span>");
  row("service.case.col.opened", E(c.opened.ToString()));
  std::vector<std::string> people;
  for (const review::Person& p : c.people) people.push_back(p.name + " (" + p.role + ")");
  row("service.case.col.people", E(Join(people, ", ")));
  out += "</table>\n";

  if (page.rescan != nullptr) out += RescanTable(f, c, *page.rescan);

  out += "<h2>" + E(f.T("service.case.next")) + "</h2>\n";
  if (page.actions.empty()) {
    out += "<p class=\"muted\" id=\"no-actions\">" + E(f.T("service.case.no_actions")) + "</p>\n";
  }
  for (const std::string& action : page.actions) {
    const knowledge::ReviewTransition* t = f.kb.review_process().FindTransition(action);
    if (t != nullptr) out += StepForm(f, page, action, *t, f.today);
  }
  if (!page.rescans.empty()) {
    out += "<form class=\"inline\" method=\"get\" action=\"/cases/" + std::to_string(c.id) + "\">";
    if (IsEn(f)) out += "<input type=\"hidden\" name=\"lang\" value=\"en\">";
    out += E(f.T("service.case.compare_with")) + " <select name=\"rescan\" id=\"compare-scan\">";
    for (const ScanView& s : page.rescans) {
      out += "<option value=\"" + std::to_string(s.scan_id) + "\">#" + std::to_string(s.scan_id) +
             " " + E(s.version) + "</option>";
    }
    out += "</select> <button type=\"submit\" id=\"compare\">" + E(f.T("service.case.compare")) +
           "</button></form>\n";
  }

  static constexpr const char* kTimelineColumns[] = {
      "service.case.date",      "service.case.col.action",   "service.case.col.state",
      "service.case.col.actor", "service.case.col.deadline", "service.case.col.basis",
      "service.case.note",      "service.case.col.documents"};
  out += "<h2>" + E(f.T("service.case.timeline")) + "</h2>\n" +
         TableStart(f, "class=\"timeline\"", kTimelineColumns);
  for (const review::CaseEvent& e : page.timeline) {
    std::string docs;
    for (const review::Document& d : e.documents) {
      docs += "<div><strong>" + E(d.kind) + "</strong> " + E(d.name) +
              (d.text.empty() ? "" : ": " + E(d.text)) + "</div>";
    }
    out += "<tr data-action=\"" + E(e.action) + "\"><td>" + E(e.date.ToString()) + "</td><td>" +
           E(ActionName(f, e.action)) + "</td><td>" + E(StateName(f, e.from_state)) + " → " +
           E(StateName(f, e.to_state)) + "</td><td>" + E(e.actor.name) + " (" + E(e.actor.role) +
           ")</td><td>" +
           (e.deadline ? E(e.deadline->ToString()) + " <span class=\"muted\">" +
                             E(e.deadline_rule) + "</span>"
                       : "") +
           "</td><td>" + E(e.basis.empty() ? "" : f.T(e.basis)) + "</td><td>" + E(e.note) +
           "</td><td>" + docs + "</td></tr>\n";
  }
  out += "</tbody></table>\n";
  return out;
}

std::string CaseDashboardBody(const PageFrame& f, const CaseDashboard& d) {
  std::string out =
      "<h2>" + E(f.T("service.case.by_state")) + "</h2>\n<table class=\"counts\"><tr>";
  for (const auto& [state, n] : d.counts) {
    if (n == 0) continue;
    out += "<th>" + E(StateName(f, state)) + "</th>";
  }
  out += "</tr><tr>";
  for (const auto& [state, n] : d.counts) {
    if (n == 0) continue;
    out += "<td id=\"cases-" + E(state) + "\"><a href=\"" + Link(f, "/cases") +
           (IsEn(f) ? "&amp;" : "?") + "state=" + E(state) + "\">" + std::to_string(n) +
           "</a></td>";
  }
  out += "</tr></table>\n";
  out += "<h2>" + E(f.T("service.case.overdue_title")) + "</h2>\n<div id=\"overdue\">";
  out += d.overdue.empty() ? "<p class=\"muted\">" + E(f.T("service.case.none")) + "</p>"
                           : CaseRows(f, d.overdue);
  out += "</div>\n<h2>" + E(f.T("service.case.due_title")) + " (" + E(d.today) +
         ")</h2>\n<div id=\"due-this-week\">";
  out += d.due_this_week.empty() ? "<p class=\"muted\">" + E(f.T("service.case.none")) + "</p>"
                                 : CaseRows(f, d.due_this_week);
  return out + "</div>\n";
}

std::string ScanOversightForms(const PageFrame& f, const ScanView& scan,
                               std::span<const rules::ItemResult> items, std::string_view today) {
  if (f.who == nullptr || scan.status != "done") return "";
  const Role role = f.who->user.role;
  std::string out;
  const std::string id = std::to_string(scan.scan_id);
  if (role == Role::kAdmin || role == Role::kInspector) {
    auto item_boxes = [&](bool preselect) {
      std::string boxes = "<fieldset class=\"items\">";
      for (const rules::ItemResult& r : items) {
        const bool failing = r.verdict == rules::Verdict::kViolation;
        boxes += "<label class=\"item\"><input type=\"checkbox\" name=\"items\" value=\"" +
                 E(r.id) + "\"" + (preselect && failing ? " checked" : "") + "> " + E(r.id) +
                 "</label>";
      }
      return boxes + "</fieldset>";
    };
    out += "<h2>" + E(f.T("service.case.open_title")) + "</h2>\n";
    out += "<form class=\"box\" method=\"post\" id=\"open-case\" action=\"" + Link(f, "/cases") +
           "\">" + CsrfField(f) + "<input type=\"hidden\" name=\"scan_id\" value=\"" + id + "\">";
    out += Label(f, "service.case.date") + DateInput(today);
    out += Label(f, "service.case.col.items") + item_boxes(true);
    out += "<button class=\"primary\" type=\"submit\" id=\"open-case-submit\">" +
           E(f.T("service.case.open")) + "</button></form>\n";
    out += "<h2>" + E(f.T("service.complaint.title")) + "</h2>\n";
    out += "<form class=\"box\" method=\"post\" id=\"complaint\" action=\"" +
           Link(f, "/complaints") + "\">" + CsrfField(f) +
           "<input type=\"hidden\" name=\"scan_id\" value=\"" + id + "\">";
    out += Label(f, "service.case.date") + DateInput(today);
    out += Label(f, "service.complaint.complainant") + "<input name=\"complainant\" required>";
    out += Label(f, "service.complaint.channel") + "<select name=\"channel\">";
    for (const char* ch : {"web", "phone", "12321", "letter"}) {
      out += "<option value=\"" + std::string(ch) + "\">" +
             E(f.T("service.complaint.channel." + std::string(ch))) + "</option>";
    }
    out += "</select>";
    out += Label(f, "service.complaint.text") + "<textarea name=\"text\" required></textarea>";
    out += Label(f, "service.case.col.items") + item_boxes(false);
    out += "<button class=\"primary\" type=\"submit\" id=\"complaint-submit\">" +
           E(f.T("service.complaint.submit")) + "</button></form>\n";
  }
  if (role != Role::kDeveloper) {
    out += "<h2>" + E(f.T("service.listing.title")) + "</h2>\n";
    out += "<form class=\"box\" method=\"post\" id=\"listing-check\" action=\"" +
           Link(f, "/listing-checks") + "\">" + CsrfField(f) +
           "<input type=\"hidden\" name=\"scan_id\" value=\"" + id + "\">";
    out += Label(f, "service.listing.date") + DateInput(today);
    out += "<button class=\"primary\" type=\"submit\" id=\"listing-check-submit\">" +
           E(f.T("service.listing.check")) + "</button></form>\n";
    out += "<p><a id=\"disclosure-link\" href=\"" + Link(f, "/scans/" + id + "/disclosure.html") +
           "\">" + E(f.T("service.listing.lists")) + "</a></p>\n";
  }
  return out;
}

std::string StoreQueueBody(const PageFrame& f, const std::vector<ScanView>& scans) {
  std::string out = "<h1>" + E(f.T("service.store.title")) + "</h1>\n";
  out += "<p class=\"muted\">" + E(f.T("service.store.explain")) + "</p>\n";
  if (scans.empty()) return out + "<p class=\"muted\">" + E(f.T("service.apps.none")) + "</p>\n";
  return out + ScanTable(f, scans, true);
}

std::string ListingCheckBody(const PageFrame& f, const ScanView& scan,
                             const std::vector<std::string>& gate_reasons,
                             const review::ListingCheck& check, std::string_view date) {
  std::string out = "<h1>" + E(f.T("service.listing.title")) + "</h1>\n<table class=\"facts\">";
  auto row = [&](const char* id, const std::string& html) {
    out += "<tr><th>" + E(f.T(id)) + "</th><td>" + html + "</td></tr>";
  };
  row("service.col.scan", "<a href=\"" + Link(f, "/scans/" + std::to_string(scan.scan_id)) +
                              "\">#" + std::to_string(scan.scan_id) + "</a>");
  row("service.col.package", E(scan.package));
  row("service.listing.date", E(date));
  std::string reasons;
  for (const std::string& r : gate_reasons) reasons += "<div class=\"muted\">" + E(r) + "</div>";
  row("service.col.gate", "<span id=\"listing-gate\">" + E(scan.gate) + "</span>" + reasons);
  row("service.listing.bar",
      "<span id=\"listing-result\" data-allowed=\"" + std::string(check.allowed ? "yes" : "no") +
          "\" class=\"" + (check.allowed ? "notice" : "error") + "\">" +
          E(f.T(check.allowed ? "service.listing.allowed" : "service.listing.refused")) +
          "</span>");
  if (!check.allowed) {
    row("service.listing.reason", "<span id=\"listing-reason\">" + E(check.reason) + "</span>");
    row("service.listing.matched", E(check.matched));
    row("service.listing.bar_ends",
        "<span id=\"listing-bar-ends\">" + E(check.bar_ends.ToString()) + "</span>");
  }
  return out + "</table>\n";
}

std::string PublicNoticesBody(const PageFrame& f, const std::vector<review::PublicEntry>& entries) {
  std::string out = "<h1>" + E(f.T("service.notices.title")) + "</h1>\n";
  out += "<p class=\"muted\">" + E(f.T("service.notices.explain")) + "</p>\n";
  if (entries.empty()) return out + "<p class=\"muted\">" + E(f.T("service.case.none")) + "</p>\n";
  static constexpr const char* kColumns[] = {"service.notices.kind",     "service.col.package",
                                             "service.notices.label",    "service.case.date",
                                             "service.listing.bar_ends", "service.case.col.basis"};
  out += TableStart(f, "class=\"notices\" id=\"notices\"", kColumns);
  for (const review::PublicEntry& e : entries) {
    out += "<tr data-kind=\"" + E(e.kind) + "\"><td>" + E(f.T("service.notices." + e.kind)) +
           "</td><td>" + E(e.package) + "</td><td>" + E(e.label) + "</td><td>" +
           E(e.date.ToString()) + "</td><td>" + (e.bar_ends ? E(e.bar_ends->ToString()) : "") +
           "</td><td>" + E(e.basis.empty() ? "" : f.T(e.basis)) + "</td></tr>\n";
  }
  return out + "</tbody></table>\n";
}

}  // namespace piaudit::service
