// report.html renderer; see html_report.h. The page is appended to one string: markup as string
// literals, every dynamic string through Text / Joined (escaped; internal/html_common.h).
#include "report/html_report.h"

#include "report/internal/html_common.h"
#include "report/internal/inventory.h"
#include "rules/evaluate.h"

namespace piaudit::report {

namespace {

using internal::Append;
using internal::Joined;
using internal::Number;
using internal::Text;

// The CSS class suffix of a verdict + strength ("violation-likely"), or its label
// ("violation (likely)").
void AppendVerdictClass(std::string* out, rules::Verdict v, rules::Strength s) {
  Append(out, Text{rules::VerdictName(v)});
  if (v == rules::Verdict::kViolation) Append(out, "-", Text{rules::StrengthName(s)});
}

void AppendVerdictLabel(std::string* out, rules::Verdict v, rules::Strength s) {
  Append(out, Text{rules::VerdictName(v)});
  if (v == rules::Verdict::kViolation) Append(out, " (", Text{rules::StrengthName(s)}, ")");
}

void AppendBadge(std::string* out, rules::Verdict v, rules::Strength s) {
  Append(out, "<span class=\"badge v-");
  AppendVerdictClass(out, v, s);
  Append(out, "\">");
  AppendVerdictLabel(out, v, s);
  Append(out, "</span>");
}

// A header table row; the value is the concatenation of `value_pieces`.
template <typename... Pieces>
void AppendRow(std::string* out, std::string_view key, const Pieces&... value_pieces) {
  Append(out, "<tr><th>", Text{key}, "</th><td>", value_pieces..., "</td></tr>\n");
}

void AppendRef(std::string* out, const evidence::EvidenceRef& r) {
  Append(out, "<li><span class=\"badge v-not-applicable\">", Text{evidence::SourceKindName(r.kind)},
         "</span> ");
  if (!r.file.empty()) Append(out, "<code>", Text{r.file}, "</code> ");
  if (!r.location.empty()) Append(out, "at <code>", Text{r.location}, "</code> ");
  if (r.offset) Append(out, "<span class=\"muted\">+0x", Number{*r.offset, 16}, "</span> ");
  if (!r.detail.empty()) Append(out, "— ", Text{r.detail});
  if (r.span) {
    Append(out, "<div class=\"muted\">policy characters ", Number{r.span->start}, "–",
           Number{r.span->end}, "</div><blockquote>", Text{r.span->text}, "</blockquote>");
  }
  if (!r.chain.empty()) {
    Append(out, "<div class=\"muted\">call chain (entry point first):</div><ol class=\"chain\">");
    for (const auto& m : r.chain) Append(out, "<li><code>", Text{m}, "</code></li>");
    Append(out, "</ol>");
  }
  Append(out, "</li>\n");
}

void AppendFinding(std::string* out, const rules::ItemResult& item, const rules::Finding& f) {
  const std::string id = rules::FindingId(item.id, f.owner, f.subject);
  Append(out, "<div class=\"finding f-");
  AppendVerdictClass(out, f.verdict, f.strength);
  if (f.suppression) Append(out, " suppressed");
  Append(out, "\" id=\"finding-", Text{id}, "\" data-finding=\"", Text{id}, "\">");
  AppendBadge(out, f.verdict, f.strength);
  // Accepted by a baseline: shown in full, marked, with the person's reason.
  if (f.suppression) Append(out, " <span class=\"badge v-suppressed\">suppressed</span>");
  Append(out, " <span class=\"muted\">id:</span> <code>", Text{id}, "</code>");
  Append(out, " <span class=\"muted\">owner:</span> <code>", Text{f.owner}, "</code>");
  if (!f.subject.empty()) {
    Append(out, " <span class=\"muted\">subject:</span> <code>", Text{f.subject}, "</code>");
  }
  if (f.suppression) {
    const rules::Suppression& sup = *f.suppression;
    Append(out, "<p class=\"suppression\"><b>Suppressed</b> by ", Text{sup.by}, " on ",
           Text{sup.date});
    if (!sup.expires.empty()) Append(out, " until ", Text{sup.expires});
    Append(out, " (<code>", Text{sup.baseline_file}, "</code> line ", Number{sup.line},
           "): ", Text{sup.justification}, "</p>");
  }
  Append(out, "<p>", Text{f.message}, "</p>");
  if (!f.needed.empty()) Append(out, "<p><b>Needed:</b> ", Text{f.needed}, "</p>");
  if (!f.remediation.empty()) Append(out, "<p><b>Remediation:</b> ", Text{f.remediation}, "</p>");
  if (!f.evidence.empty()) {
    Append(out, "<div class=\"muted\">Evidence:</div><ul class=\"ev\">");
    for (const auto& r : f.evidence) AppendRef(out, r);
    Append(out, "</ul>");
  }
  Append(out, "</div>\n");
}

void AppendHeader(std::string* out, const ReportInput& in) {
  const evidence::AppEvidence& ev = *in.evidence;
  const std::string& name = ev.app.label.empty() ? ev.app.package : ev.app.label;
  Append(out, "<header><h1>piaudit report: ", Text{name},
         "</h1>\n<div class=\"muted\">personal-information compliance, 国信办秘字〔2019〕191号 "
         "(31 items)</div>\n<table>\n");
  AppendRow(out, "Package", Text{ev.app.package});
  AppendRow(out, "Label", Text{ev.app.label});
  AppendRow(out, "Version", Text{ev.app.version_name}, " (", Number{ev.app.version_code}, ")");
  AppendRow(out, "SDK (min / target)", Number{ev.app.min_sdk}, " / ", Number{ev.app.target_sdk});
  AppendRow(out, "APK", Text{ev.app.apk_file});
  if (!ev.app.apk_sha256.empty()) AppendRow(out, "SHA-256", Text{ev.app.apk_sha256});
  for (const evidence::SignerFact& signer : ev.app.signers) {
    AppendRow(out, "Signer", Text{signer.subject}, "<br><code>SHA-256 ", Text{signer.sha256},
              "</code> (", Joined{signer.schemes, ", "},
              Text{signer.verified ? "; verified)" : "; NOT verified)"});
  }
  AppendRow(out, "Policy", Text{evidence::PolicySourceName(ev.policy.source)},
            Text{ev.policy.file.empty() ? "" : ": "}, Text{ev.policy.file},
            Text{ev.policy.analysed ? " (analysed)" : " (not analysed)"});
  const evidence::AppTypeFact& type = ev.app_type;
  if (type.id.empty()) {
    AppendRow(out, "App type", "unknown");
  } else if (type.given) {
    AppendRow(out, "App type", Text{type.id}, " (given)");
  } else {
    AppendRow(out, "App type", Text{type.id}, " (inferred: ", Text{type.reason}, ")");
  }
  if (ev.CodeKnown()) {
    AppendRow(out, "Code", "read completely");
  } else {
    AppendRow(out, "Code", Text{evidence::CodeUnknownReason(ev)});
  }
  std::string_view kb = in.kb_id, kbv = in.kb_version;
  if (in.kb) {
    if (kb.empty()) kb = in.kb->version().id;
    if (kbv.empty()) kbv = in.kb->version().version;
  }
  AppendRow(out, "Tool / knowledge base", "piaudit ", Text{in.tool_version}, " / ", Text{kb}, " ",
            Text{kbv});
  if (!in.generated_at.empty()) AppendRow(out, "Generated", Text{in.generated_at});
  Append(out, "</table></header>\n");
}

// The baseline's entries that accepted nothing: a warning, so they are fixed or deleted.
void AppendBaseline(std::string* out, const rules::BaselineOutcome& b) {
  Append(out, "<p>Baseline <code>", Text{b.file}, "</code>: ", Number{b.suppressed},
         " findings suppressed (shown below, marked).</p>\n");
  auto list = [&](const char* what, const std::vector<rules::BaselineEntry>& entries) {
    if (entries.empty()) return;
    Append(out, "<p class=\"warning\"><b>", Text{what}, " baseline entries (",
           Number{entries.size()}, ")</b></p><ul>");
    for (const rules::BaselineEntry& e : entries) {
      Append(out, "<li>line ", Number{e.line}, ": <code>", Text{e.id}, "</code> ", Text{e.item},
             " ", Text{e.subject});
      if (!e.expires.empty()) Append(out, " (expires ", Text{e.expires}, ")");
      Append(out, "</li>");
    }
    Append(out, "</ul>\n");
  };
  list("Stale (no open finding has this id)", b.stale);
  list("Expired (no longer suppress)", b.expired);
}

void AppendSummary(std::string* out, const ReportInput& in) {
  rules::VerdictCounts c = rules::CountVerdicts(in.items);
  Append(out, "<section id=\"summary\"><h2>Summary: ", Number{in.items.size()},
         " items</h2>\n<div class=\"counts\">");
  const struct {
    rules::Verdict verdict;
    rules::Strength strength;
    int count;
  } counts[] = {{rules::Verdict::kViolation, rules::Strength::kConfirmed, c.violation_confirmed},
                {rules::Verdict::kViolation, rules::Strength::kLikely, c.violation_likely},
                {rules::Verdict::kNeedsDynamic, rules::Strength::kNone, c.needs_dynamic},
                {rules::Verdict::kNeedsManual, rules::Strength::kNone, c.needs_manual},
                {rules::Verdict::kCompliant, rules::Strength::kNone, c.compliant},
                {rules::Verdict::kNotApplicable, rules::Strength::kNone, c.not_applicable}};
  for (const auto& count : counts) {
    Append(out, "<span>");
    AppendBadge(out, count.verdict, count.strength);
    Append(out, " ", Number{count.count}, "</span>");
  }
  if (in.baseline != nullptr) {
    Append(out, "<span><span class=\"badge v-suppressed\">suppressed</span> ",
           Number{in.baseline->suppressed}, "</span>");
  }
  Append(out, "</div>\n");
  if (in.baseline != nullptr) AppendBaseline(out, *in.baseline);
  Append(out, "<div class=\"grid\">\n");
  for (const auto& r : in.items) {
    Append(out, "<a class=\"cell v-");
    AppendVerdictClass(out, r.verdict, r.strength);
    Append(out, "\" href=\"#item-", Text{r.id}, "\" data-item=\"", Text{r.id}, "\"><b>", Text{r.id},
           "</b>");
    AppendVerdictLabel(out, r.verdict, r.strength);
    Append(out, "<br>", Text{r.title_zh}, "</a>\n");
  }
  Append(out, "</div></section>\n");
}

void AppendItems(std::string* out, const ReportInput& in) {
  Append(out, "<section id=\"items\"><h2>Items</h2>\n");
  std::string_view last_category;
  for (const auto& r : in.items) {
    if (r.category != last_category) {
      last_category = r.category;
      Append(out, "<h2>", Text{r.category}, " ", Text{r.category_zh}, " <span class=\"muted\">",
             Text{r.category_en}, "</span></h2>\n");
    }
    Append(out, "<article class=\"item\" id=\"item-", Text{r.id},
           "\"><div class=\"item-head\"><h3>", Text{r.id}, "</h3>");
    AppendBadge(out, r.verdict, r.strength);
    Append(out, "<span class=\"muted\">evidence: ", Joined{r.evidence_kinds, ","},
           "</span></div>\n<p>", Text{r.title_zh}, "<br><span class=\"muted\">", Text{r.title_en},
           "</span></p>\n");
    for (const auto& f : r.findings) AppendFinding(out, r, f);
    Append(out, "</article>\n");
  }
  Append(out, "</section>\n");
}

void AppendSdks(std::string* out, const ReportInput& in) {
  const evidence::AppEvidence& ev = *in.evidence;
  // The JSON keeps every ref; the page shows the first few so a large SDK stays readable.
  constexpr size_t kRefsShown = 5;
  Append(out, "<section id=\"sdks\"><h2>SDKs (", Number{ev.sdks.size()},
         ")</h2>\n<table><tr><th>SDK</th><th>Category</th><th>Provider</th><th>Detection</th>"
         "<th>Documented PI</th><th>Evidence</th></tr>\n");
  for (const auto& s : ev.sdks) {
    Append(out, "<tr><td>", Text{internal::SdkDisplayName(ev, in.kb, s.id)}, "</td><td>",
           Text{s.category}, "</td><td>", Text{s.provider}, "</td><td>",
           Text{evidence::DetectionStrengthName(s.strength)}, " (", Text{s.presence}, ")</td><td>",
           Joined{s.pi_types, ", "}, "</td><td><ul class=\"ev\">");
    for (size_t i = 0; i < s.refs.size() && i < kRefsShown; ++i) AppendRef(out, s.refs[i]);
    if (s.refs.size() > kRefsShown) {
      Append(out, "<li class=\"muted\">+", Number{s.refs.size() - kRefsShown},
             " more in report.json</li>");
    }
    Append(out, "</ul></td></tr>\n");
  }
  Append(out, "</table></section>\n");
}

void AppendPiInventory(std::string* out, const ReportInput& in) {
  Append(out,
         "<section id=\"pi\"><h2>Personal information inventory</h2>\n<table><tr><th>PI type</th>"
         "<th>Sensitive</th><th>Read by code (owners)</th><th>Permissions</th><th>SDKs "
         "(documented)</th><th>Policy</th></tr>\n");
  for (const auto& e : internal::BuildPiInventory(*in.evidence, in.kb)) {
    Append(out, "<tr><td>");
    if (e.zh.empty()) {
      Append(out, Text{e.id});
    } else {
      Append(out, Text{e.zh}, " / ", Text{e.en}, " (", Text{e.id}, ")");
    }
    Append(out, "</td><td>", Text{e.sensitive ? "yes" : ""}, "</td><td>");
    if (e.call_sites) Append(out, Number{e.call_sites}, " sites: ", Joined{e.code_owners, ", "});
    Append(out, "</td><td>", Joined{e.permissions, ", "}, "</td><td>",
           Joined{e.sdks_documented, ", "}, "</td><td>", Text{e.policy}, "</td></tr>\n");
  }
  Append(out, "</table></section>\n");
}

void AppendDiagnostics(std::string* out, const evidence::AppEvidence& ev) {
  Append(out, "<section id=\"diagnostics\"><h2>Diagnostics (", Number{ev.diagnostics.size()},
         ")</h2>\n");
  if (ev.diagnostics.empty()) {
    Append(out, "<p class=\"muted\">No anomalies recorded.</p>");
  } else {
    Append(out, "<ul>");
    for (const auto& d : ev.diagnostics) {
      Append(out, "<li><code>", Text{d.ToString()}, "</code></li>\n");
    }
    Append(out, "</ul>");
  }
  if (ev.diagnostics_dropped) {
    Append(out, "<p>", Number{ev.diagnostics_dropped}, " more not kept.</p>");
  }
  Append(out, "</section>\n");
}

}  // namespace

std::string RenderHtml(const ReportInput& in) {
  const evidence::AppEvidence& ev = *in.evidence;
  std::string out;
  out.reserve(64 * 1024);
  internal::AppendPageStart(&out,
                            "piaudit — " + (ev.app.label.empty() ? ev.app.package : ev.app.label));
  AppendHeader(&out, in);
  AppendSummary(&out, in);
  AppendItems(&out, in);
  AppendSdks(&out, in);
  AppendPiInventory(&out, in);
  AppendDiagnostics(&out, ev);
  internal::AppendPageEnd(&out);
  return out;
}

}  // namespace piaudit::report
