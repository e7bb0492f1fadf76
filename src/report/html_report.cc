// report.html renderer; see html_report.h. Every dynamic string goes through E() (HtmlEscape).
#include "report/html_report.h"

#include <cstdio>

#include "report/html_escape.h"
#include "report/internal/html_common.h"
#include "report/internal/inventory.h"
#include "rules/evaluate.h"

namespace piaudit::report {

namespace {

std::string E(std::string_view s) { return HtmlEscape(s); }

// CSS class suffix and label for a verdict + strength.
std::string VerdictClass(rules::Verdict v, rules::Strength s) {
  std::string c(rules::VerdictName(v));
  if (v == rules::Verdict::kViolation) c += "-" + std::string(rules::StrengthName(s));
  return c;
}

std::string VerdictLabel(rules::Verdict v, rules::Strength s) {
  std::string l(rules::VerdictName(v));
  if (v == rules::Verdict::kViolation) l += " (" + std::string(rules::StrengthName(s)) + ")";
  return l;
}

std::string Badge(rules::Verdict v, rules::Strength s) {
  return "<span class=\"badge v-" + E(VerdictClass(v, s)) + "\">" + E(VerdictLabel(v, s)) +
         "</span>";
}

void Row(std::string* out, std::string_view key, std::string_view value) {
  *out += "<tr><th>" + E(key) + "</th><td>" + E(value) + "</td></tr>\n";
}

void RenderRef(std::string* out, const evidence::EvidenceRef& r) {
  *out += "<li><span class=\"badge v-not-applicable\">" + E(evidence::SourceKindName(r.kind)) +
          "</span> ";
  if (!r.file.empty()) *out += "<code>" + E(r.file) + "</code> ";
  if (!r.location.empty()) *out += "at <code>" + E(r.location) + "</code> ";
  if (r.offset)
    *out += "<span class=\"muted\">+0x" + E([&] {
              char buf[32];
              std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(*r.offset));
              return std::string(buf);
            }()) +
            "</span> ";
  if (!r.detail.empty()) *out += "— " + E(r.detail);
  if (r.span) {
    *out += "<div class=\"muted\">policy characters " + E(std::to_string(r.span->start)) + "–" +
            E(std::to_string(r.span->end)) + "</div><blockquote>" + E(r.span->text) +
            "</blockquote>";
  }
  if (!r.chain.empty()) {
    *out += "<div class=\"muted\">call chain (entry point first):</div><ol class=\"chain\">";
    for (const auto& m : r.chain) *out += "<li><code>" + E(m) + "</code></li>";
    *out += "</ol>";
  }
  *out += "</li>\n";
}

void RenderFinding(std::string* out, const rules::Finding& f) {
  *out += "<div class=\"finding f-" + E(VerdictClass(f.verdict, f.strength)) + "\">";
  *out += Badge(f.verdict, f.strength);
  *out += " <span class=\"muted\">owner:</span> <code>" + E(f.owner) + "</code>";
  if (!f.subject.empty()) {
    *out += " <span class=\"muted\">subject:</span> <code>" + E(f.subject) + "</code>";
  }
  *out += "<p>" + E(f.message) + "</p>";
  if (!f.needed.empty()) *out += "<p><b>Needed:</b> " + E(f.needed) + "</p>";
  if (!f.remediation.empty()) *out += "<p><b>Remediation:</b> " + E(f.remediation) + "</p>";
  if (!f.evidence.empty()) {
    *out += "<div class=\"muted\">Evidence:</div><ul class=\"ev\">";
    for (const auto& r : f.evidence) RenderRef(out, r);
    *out += "</ul>";
  }
  *out += "</div>\n";
}

}  // namespace

std::string RenderHtml(const ReportInput& in) {
  const evidence::AppEvidence& ev = *in.evidence;
  std::string out = internal::HtmlPageStart("piaudit — " +
                                            (ev.app.label.empty() ? ev.app.package : ev.app.label));

  // Header: app facts.
  out += "<header><h1>piaudit report: " + E(ev.app.label.empty() ? ev.app.package : ev.app.label) +
         "</h1>\n<div class=\"muted\">personal-information compliance, 国信办秘字〔2019〕191号 "
         "(31 items)</div>\n<table>\n";
  Row(&out, "Package", ev.app.package);
  Row(&out, "Label", ev.app.label);
  Row(&out, "Version", ev.app.version_name + " (" + std::to_string(ev.app.version_code) + ")");
  Row(&out, "SDK (min / target)",
      std::to_string(ev.app.min_sdk) + " / " + std::to_string(ev.app.target_sdk));
  Row(&out, "APK", ev.app.apk_file);
  if (!ev.app.apk_sha256.empty()) Row(&out, "SHA-256", ev.app.apk_sha256);
  Row(&out, "Policy",
      std::string(evidence::PolicySourceName(ev.policy.source)) +
          (ev.policy.file.empty() ? "" : ": " + ev.policy.file) +
          (ev.policy.analysed ? " (analysed)" : " (not analysed)"));
  std::string type = ev.app_type.id.empty() ? "unknown" : ev.app_type.id;
  if (!ev.app_type.id.empty()) {
    type += ev.app_type.given ? " (given)" : " (inferred: " + ev.app_type.reason + ")";
  }
  Row(&out, "App type", type);
  Row(&out, "Code", ev.CodeKnown() ? "read completely" : evidence::CodeUnknownReason(ev));
  std::string kb = in.kb_id, kbv = in.kb_version;
  if (in.kb) {
    if (kb.empty()) kb = in.kb->version().id;
    if (kbv.empty()) kbv = in.kb->version().version;
  }
  Row(&out, "Tool / knowledge base", "piaudit " + in.tool_version + " / " + kb + " " + kbv);
  if (!in.generated_at.empty()) Row(&out, "Generated", in.generated_at);
  out += "</table></header>\n";

  // Summary.
  rules::VerdictCounts c = rules::CountVerdicts(in.items);
  out += "<section id=\"summary\"><h2>Summary: " + E(std::to_string(in.items.size())) +
         " items</h2>\n<div class=\"counts\">";
  out += "<span>" + Badge(rules::Verdict::kViolation, rules::Strength::kConfirmed) + " " +
         E(std::to_string(c.violation_confirmed)) + "</span>";
  out += "<span>" + Badge(rules::Verdict::kViolation, rules::Strength::kLikely) + " " +
         E(std::to_string(c.violation_likely)) + "</span>";
  out += "<span>" + Badge(rules::Verdict::kNeedsDynamic, rules::Strength::kNone) + " " +
         E(std::to_string(c.needs_dynamic)) + "</span>";
  out += "<span>" + Badge(rules::Verdict::kNeedsManual, rules::Strength::kNone) + " " +
         E(std::to_string(c.needs_manual)) + "</span>";
  out += "<span>" + Badge(rules::Verdict::kCompliant, rules::Strength::kNone) + " " +
         E(std::to_string(c.compliant)) + "</span>";
  out += "<span>" + Badge(rules::Verdict::kNotApplicable, rules::Strength::kNone) + " " +
         E(std::to_string(c.not_applicable)) + "</span></div>\n<div class=\"grid\">\n";
  for (const auto& r : in.items) {
    out += "<a class=\"cell v-" + E(VerdictClass(r.verdict, r.strength)) + "\" href=\"#item-" +
           E(r.id) + "\" data-item=\"" + E(r.id) + "\"><b>" + E(r.id) + "</b>" +
           E(VerdictLabel(r.verdict, r.strength)) + "<br>" + E(r.title_zh) + "</a>\n";
  }
  out += "</div></section>\n";

  // Items.
  out += "<section id=\"items\"><h2>Items</h2>\n";
  std::string last_category;
  for (const auto& r : in.items) {
    if (r.category != last_category) {
      last_category = r.category;
      out += "<h2>" + E(r.category) + " " + E(r.category_zh) + " <span class=\"muted\">" +
             E(r.category_en) + "</span></h2>\n";
    }
    out += "<article class=\"item\" id=\"item-" + E(r.id) + "\"><div class=\"item-head\"><h3>" +
           E(r.id) + "</h3>" + Badge(r.verdict, r.strength) +
           "<span class=\"muted\">evidence: " + E([&] {
             std::string k;
             for (const auto& e : r.evidence_kinds) k += (k.empty() ? "" : ",") + e;
             return k;
           }()) +
           "</span></div>\n<p>" + E(r.title_zh) + "<br><span class=\"muted\">" + E(r.title_en) +
           "</span></p>\n";
    for (const auto& f : r.findings) RenderFinding(&out, f);
    out += "</article>\n";
  }
  out += "</section>\n";

  // SDKs.
  out += "<section id=\"sdks\"><h2>SDKs (" + E(std::to_string(ev.sdks.size())) +
         ")</h2>\n<table><tr><th>SDK</th><th>Category</th><th>Provider</th><th>Detection</th>"
         "<th>Documented PI</th><th>Evidence</th></tr>\n";
  for (const auto& s : ev.sdks) {
    std::string pi;
    for (const auto& t : s.pi_types) pi += (pi.empty() ? "" : ", ") + t;
    out += "<tr><td>" + E(internal::SdkDisplayName(ev, in.kb, s.id)) + "</td><td>" + E(s.category) +
           "</td><td>" + E(s.provider) + "</td><td>" +
           E(evidence::DetectionStrengthName(s.strength)) + "</td><td>" + E(pi) +
           "</td><td><ul class=\"ev\">";
    // The JSON keeps every ref; the page shows the first few so a large SDK stays readable.
    for (size_t i = 0; i < s.refs.size() && i < 5; ++i) RenderRef(&out, s.refs[i]);
    if (s.refs.size() > 5) {
      out += "<li class=\"muted\">+" + E(std::to_string(s.refs.size() - 5)) +
             " more in report.json</li>";
    }
    out += "</ul></td></tr>\n";
  }
  out += "</table></section>\n";

  // PI inventory.
  out +=
      "<section id=\"pi\"><h2>Personal information inventory</h2>\n<table><tr><th>PI type</th>"
      "<th>Sensitive</th><th>Read by code (owners)</th><th>Permissions</th><th>SDKs "
      "(documented)</th><th>Policy</th></tr>\n";
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  for (const auto& e : internal::BuildPiInventory(ev, in.kb)) {
    std::string name = e.zh.empty() ? e.id : e.zh + " / " + e.en + " (" + e.id + ")";
    out += "<tr><td>" + E(name) + "</td><td>" + E(e.sensitive ? "yes" : "") + "</td><td>" +
           E(e.call_sites ? std::to_string(e.call_sites) + " sites: " + join(e.code_owners) : "") +
           "</td><td>" + E(join(e.permissions)) + "</td><td>" + E(join(e.sdks_documented)) +
           "</td><td>" + E(e.policy) + "</td></tr>\n";
  }
  out += "</table></section>\n";

  // Diagnostics.
  out += "<section id=\"diagnostics\"><h2>Diagnostics (" +
         E(std::to_string(ev.diagnostics.size())) + ")</h2>\n";
  if (ev.diagnostics.empty()) {
    out += "<p class=\"muted\">No anomalies recorded.</p>";
  } else {
    out += "<ul>";
    for (const auto& d : ev.diagnostics) out += "<li><code>" + E(d.ToString()) + "</code></li>\n";
    out += "</ul>";
  }
  if (ev.diagnostics_dropped) {
    out += "<p>" + E(std::to_string(ev.diagnostics_dropped)) + " more not kept.</p>";
  }
  out += "</section>\n";
  out += internal::HtmlPageEnd();
  return out;
}

}  // namespace piaudit::report
