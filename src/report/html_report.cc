// report.html renderer; see html_report.h. The page is appended to one string: markup as string
// literals, every dynamic string through Text / Joined (escaped; internal/html_common.h), and
// every word for people from the message catalogue (data/messages.yaml) in the report's language.
#include "report/html_report.h"

#include <algorithm>
#include <optional>
#include <set>

#include "report/html_escape.h"
#include "report/internal/detail_text.h"
#include "report/internal/html_common.h"
#include "report/internal/inventory.h"
#include "report/internal/screen_evidence.h"
#include "rules/evaluate.h"

namespace piaudit::report {

namespace {

using internal::Append;
using internal::Joined;
using internal::Number;
using internal::Text;
using knowledge::Arg;
using knowledge::Lang;
using knowledge::Msg;

// The report being rendered: the input and the catalogue lookups in its language.
class Page {
 public:
  explicit Page(const ReportInput& in) : in_(in) {
    if (in.kb != nullptr && in.lang == Lang::kZh) {
      notes_.emplace(*in.kb);
      citations_.emplace(*in.kb, "citation.");
    }
  }
  // A clause of another regulation as data/items.yaml cites it ("MIIT Decree 24 art. 9"): by the
  // document's Chinese title when a `citation.*` form knows it, else as cited (a proper name).
  void AppendCitation(std::string* out, std::string_view citation) const {
    if (citations_) {
      if (std::optional<std::string> html = citations_->Html(citation, in_.lang)) {
        out->append(*html);
        return;
      }
    }
    Append(out, "<span class=\"name\">", Text{citation}, "</span>");
  }
  // A note of the evidence record (detail, reason): in Chinese when it has a known form
  // (internal/detail_text.h), else as the record's own English text, marked so.
  void AppendNote(std::string* out, std::string_view note) const {
    if (notes_) {
      if (std::optional<std::string> html = notes_->Html(note, in_.lang)) {
        Append(out, "<span class=\"note\">");
        out->append(*html);
        Append(out, "</span>");
        return;
      }
    }
    Append(out, "<span class=\"record\" lang=\"en\">", Text{note}, "</span>");
  }
  // Bytes of screenshots the page may still embed (internal/screen_evidence.h).
  uint64_t* image_budget() const { return &image_budget_; }
  const ReportInput& in() const { return in_; }
  const evidence::AppEvidence& ev() const { return *in_.evidence; }
  Lang lang() const { return in_.lang; }

  // A catalogue text (labels, headings). Without a knowledge base the id itself is shown: a
  // renderer must never fail on missing data.
  std::string L(std::string_view id, std::vector<knowledge::MessageArg> args = {}) const {
    if (in_.kb == nullptr) return std::string(id);
    return knowledge::RenderMessage(*in_.kb, Msg(std::string(id), std::move(args)), in_.lang);
  }
  std::string VerdictLabel(rules::Verdict v, rules::Strength s) const {
    std::string verdict = L("verdict." + std::string(rules::VerdictName(v)));
    if (v != rules::Verdict::kViolation) return verdict;
    return L("verdict.with_strength",
             {Arg("verdict", verdict),
              Arg("strength", L("strength." + std::string(rules::StrengthName(s))))});
  }
  // A finding's text in the page's language; the English one when no translation was rendered.
  const std::string& Pick(const std::string& en, const std::string& zh) const {
    return in_.lang == Lang::kZh && !zh.empty() ? zh : en;
  }
  std::string PiTypeName(const std::string& id) const {
    if (in_.kb) {
      if (const knowledge::PiType* t = in_.kb->FindPiType(id)) {
        return (in_.lang == Lang::kZh ? t->zh : t->en) + " (" + id + ")";
      }
    }
    return id;
  }

 private:
  const ReportInput& in_;
  std::optional<internal::DetailText> notes_;
  std::optional<internal::DetailText> citations_;
  mutable uint64_t image_budget_ = internal::kScreenshotBudgetBytes;
};

// The CSS class suffix of a verdict + strength ("violation-likely").
void AppendVerdictClass(std::string* out, rules::Verdict v, rules::Strength s) {
  Append(out, Text{rules::VerdictName(v)});
  if (v == rules::Verdict::kViolation) Append(out, "-", Text{rules::StrengthName(s)});
}

void AppendBadge(std::string* out, const Page& p, rules::Verdict v, rules::Strength s) {
  Append(out, "<span class=\"badge v-");
  AppendVerdictClass(out, v, s);
  Append(out, "\">", Text{p.VerdictLabel(v, s)}, "</span>");
}

// A table row; the value is the concatenation of `value_pieces`.
template <typename... Pieces>
void AppendRow(std::string* out, std::string_view key, const Pieces&... value_pieces) {
  Append(out, "<tr><th>", Text{key}, "</th><td>", value_pieces..., "</td></tr>\n");
}

// The screen a runtime event happened on (issue #20): its activity and time, the screenshot the
// recording names (embedded: the page fetches nothing) and the texts its hierarchy shows.
void AppendScreen(std::string* out, const Page& p, const evidence::RuntimeEventFact& screen) {
  Append(out, "<div class=\"screen\"><div class=\"muted\">", Text{p.L("report.evidence.screen")},
         ": <code>", Text{screen.name}, "</code> <time>", Text{screen.ref.time}, "</time></div>");
  if (!screen.screenshot.empty()) {
    const std::string uri = internal::ScreenshotDataUri(screen, p.image_budget());
    if (!uri.empty()) {
      Append(out, "<img class=\"shot\" alt=\"", Text{p.L("report.evidence.screenshot")},
             "\" src=\"", Text{uri}, "\">");
    } else {
      Append(out, "<div class=\"muted\">", Text{p.L("report.evidence.screenshot_not_shown")},
             " <code>", Text{screen.screenshot}, "</code> <code>SHA-256 ",
             Text{screen.screenshot_sha256}, "</code></div>");
    }
  }
  if (!screen.screen_texts.empty()) {
    // The app's own words, quoted as they are (like a policy sentence).
    Append(out, "<div class=\"muted\">", Text{p.L("report.evidence.screen_texts")},
           "</div><blockquote class=\"quote screen-texts\">", Joined{screen.screen_texts, " | "},
           "</blockquote>");
  }
  Append(out, "</div>");
}

// One evidence ref. Its `detail` is the evidence record's own text (identifiers and the
// analyser's note, as in evidence.json), so it is marked as such rather than translated.
// `with_screen`: a problem block also shows the screen of a recorded event.
void AppendRef(std::string* out, const Page& p, const evidence::EvidenceRef& r,
               bool with_screen = false) {
  Append(out, "<li><span class=\"badge v-not-applicable\" data-kind=\"",
         Text{evidence::SourceKindName(r.kind)}, "\">",
         Text{p.L("source." + std::string(evidence::SourceKindName(r.kind)))}, "</span> ");
  if (!r.file.empty()) Append(out, "<code>", Text{r.file}, "</code> ");
  if (!r.location.empty()) {
    Append(out, Text{p.L("report.evidence.at")}, " <code>", Text{r.location}, "</code> ");
  }
  if (r.offset) Append(out, "<code>+0x", Number{*r.offset, 16}, "</code> ");
  if (!r.time.empty()) Append(out, "<time>", Text{r.time}, "</time> ");
  if (!r.detail.empty()) p.AppendNote(out, r.detail);
  if (r.span) {
    Append(
        out, "<div class=\"muted\">",
        Text{p.L("report.evidence.policy_span", {Arg("start", static_cast<int64_t>(r.span->start)),
                                                 Arg("end", static_cast<int64_t>(r.span->end))})},
        "</div><blockquote class=\"quote\">", Text{r.span->text}, "</blockquote>");
  }
  if (!r.chain.empty()) {
    Append(out, "<div class=\"muted\">", Text{p.L("report.evidence.chain")},
           "</div><ol class=\"chain\">");
    for (const auto& m : r.chain) Append(out, "<li><code>", Text{m}, "</code></li>");
    Append(out, "</ol>");
  }
  if (with_screen) {
    if (const evidence::RuntimeEventFact* screen = internal::ScreenOf(p.ev(), r)) {
      AppendScreen(out, p, *screen);
    }
  }
  Append(out, "</li>\n");
}

// The clause of the regulation an item comes from: the part of its `source` after "; "
// ("国信办秘字〔2019〕191号 item 3(1)").
std::string_view ItemClause(const knowledge::Item& item) {
  std::string_view s = item.source;
  const size_t semi = s.rfind("; ");
  return semi == std::string_view::npos ? s : s.substr(semi + 2);
}

bool IsProblem(rules::Verdict v) {
  return v == rules::Verdict::kViolation || v == rules::Verdict::kNeedsDynamic ||
         v == rules::Verdict::kNeedsManual;
}

// One finding in the agencies' shape: 问题描述, 检测依据 (item, clause, evidence), 整改建议.
void AppendFinding(std::string* out, const Page& p, const rules::ItemResult& item,
                   const rules::Finding& f, int number) {
  const std::string id = rules::FindingId(item.id, f.owner, f.subject);
  Append(out, "<div class=\"finding f-");
  AppendVerdictClass(out, f.verdict, f.strength);
  if (f.suppression) Append(out, " suppressed");
  Append(out, "\" id=\"finding-", Text{id}, "\" data-finding=\"", Text{id},
         "\"><div class=\"fh\">");
  if (number > 0) {
    Append(out, "<b>", Text{p.L("report.problem.number", {Arg("n", static_cast<int64_t>(number))})},
           "</b> ");
  }
  AppendBadge(out, p, f.verdict, f.strength);
  // Accepted by a baseline: shown in full, marked, with the person's reason.
  if (f.suppression) {
    Append(out, " <span class=\"badge v-suppressed\">", Text{p.L("verdict.suppressed")}, "</span>");
  }
  Append(out, " <code>", Text{id}, "</code> <span class=\"muted\">",
         Text{p.L("report.problem.owner")}, ":</span> <code>", Text{f.owner}, "</code>");
  if (!f.subject.empty()) Append(out, " <code>", Text{f.subject}, "</code>");
  Append(out, "</div>");
  if (f.suppression) {
    const rules::Suppression& sup = *f.suppression;
    Append(
        out, "<p class=\"suppression\">",
        Text{p.L("report.problem.suppressed",
                 {Arg("by", sup.by), Arg("date", sup.date), Arg("file", sup.baseline_file),
                  Arg("line", static_cast<int64_t>(sup.line)), Arg("reason", sup.justification)})});
    if (!sup.expires.empty()) Append(out, " (", Text{sup.expires}, ")");
    Append(out, "</p>");
  }
  Append(out, "<h4>", Text{p.L("report.problem.description")}, "</h4><p class=\"msg\">",
         Text{p.Pick(f.message, f.message_zh)}, "</p>");
  const std::string& needed = p.Pick(f.needed, f.needed_zh);
  if (!needed.empty()) {
    Append(out, "<p><b>", Text{p.L("report.problem.needed")}, ":</b> <span class=\"msg\">",
           Text{needed}, "</span></p>");
  }
  Append(out, "<h4>", Text{p.L("report.problem.basis")}, "</h4><table class=\"basis\">");
  AppendRow(out, p.L("report.problem.item"), Text{item.id}, " ",
            Text{p.lang() == Lang::kZh ? item.title_zh : item.title_en});
  if (p.in().kb) {
    if (const knowledge::Item* k = p.in().kb->FindItem(item.id)) {
      // "<document> item <n>" in the data; the word "item" is said in the reader's language.
      const std::string_view clause = ItemClause(*k);
      const size_t at = clause.find(" item ");
      if (at == std::string_view::npos) {
        AppendRow(out, p.L("report.problem.clause"), "<span class=\"name\">", Text{clause},
                  "</span>");
      } else {
        AppendRow(out, p.L("report.problem.clause"),
                  Text{p.L("report.problem.clause_text",
                           {Arg("document", std::string(clause.substr(0, at))),
                            Arg("n", std::string(clause.substr(at + 6)))})});
      }
      // Citations of other regulations, as the knowledge base names them.
      if (!k->related.empty()) {
        Append(out, "<tr><th>", Text{p.L("report.problem.related")}, "</th><td>");
        for (size_t i = 0; i < k->related.size(); ++i) {
          if (i > 0) Append(out, Text{p.lang() == Lang::kZh ? "；" : "; "});
          p.AppendCitation(out, k->related[i]);
        }
        Append(out, "</td></tr>\n");
      }
    }
  }
  if (!f.evidence.empty()) {
    Append(out, "<tr><th>", Text{p.L("report.problem.evidence")}, "</th><td><ul class=\"ev\">");
    for (const auto& r : f.evidence) AppendRef(out, p, r, /*with_screen=*/true);
    Append(out, "</ul></td></tr>");
  }
  Append(out, "</table>");
  const std::string& remediation = p.Pick(f.remediation, f.remediation_zh);
  if (!remediation.empty()) {
    Append(out, "<h4>", Text{p.L("report.problem.remediation")}, "</h4><p class=\"msg\">",
           Text{remediation}, "</p>");
  }
  Append(out, "</div>\n");
}

void AppendCover(std::string* out, const Page& p) {
  const ReportInput& in = p.in();
  const evidence::AppEvidence& ev = p.ev();
  const std::string& name = ev.app.label.empty() ? ev.app.package : ev.app.label;
  Append(out, "<header class=\"cover\" id=\"cover\"><h1>", Text{p.L("report.title")},
         "</h1>\n<div class=\"app-name name\">", Text{name}, "</div>\n<div class=\"muted\">",
         Text{p.L("report.subtitle")}, "</div>\n<table>\n");
  AppendRow(out, p.L("report.cover.app"), "<span class=\"name\">", Text{ev.app.label}, "</span>");
  AppendRow(out, p.L("report.cover.version"), Text{ev.app.version_name}, " (versionCode ",
            Number{ev.app.version_code}, ")");
  AppendRow(out, p.L("report.cover.package"), "<code>", Text{ev.app.package}, "</code>");
  AppendRow(out, p.L("report.cover.sdk_levels"), Number{ev.app.min_sdk}, " / ",
            Number{ev.app.target_sdk});
  for (const evidence::SignerFact& signer : ev.app.signers) {
    AppendRow(out, p.L("report.cover.signer"), "<span class=\"name\">", Text{signer.subject},
              "</span><br><code>SHA-256 ", Text{signer.sha256}, "</code> (",
              Joined{signer.schemes, ", "}, "; ",
              Text{p.L(signer.verified ? "report.cover.signer_verified"
                                       : "report.cover.signer_unverified")},
              ")");
    if (!signer.lineage.empty()) {
      AppendRow(out, p.L("report.cover.signer_lineage"), "<code>",
                Joined{signer.lineage, " \u2192 "}, "</code> (",
                Text{p.L(signer.lineage_verified ? "report.cover.lineage_verified"
                                                 : "report.cover.lineage_unverified")},
                ")");
    }
  }
  AppendRow(out, p.L("report.cover.apk_sha256"), "<code>", Text{ev.app.apk_sha256}, "</code>");
  std::string_view kb = in.kb_id, kbv = in.kb_version;
  if (in.kb) {
    if (kb.empty()) kb = in.kb->version().id;
    if (kbv.empty()) kbv = in.kb->version().version;
  }
  AppendRow(out, p.L("report.cover.tool"), "piaudit ", Text{in.tool_version});
  AppendRow(out, p.L("report.cover.kb"), Text{kb}, " ", Text{kbv});
  if (!in.generated_at.empty()) AppendRow(out, p.L("report.cover.date"), Text{in.generated_at});
  // The inputs the verdicts rest on: the APK, the policy text and their hashes.
  Append(out, "<tr><th>", Text{p.L("report.cover.inputs")}, "</th><td><ul class=\"inputs\">");
  if (in.inputs.empty()) {
    Append(out, "<li><code>", Text{ev.app.apk_file}, "</code></li>");
  }
  for (const InputFile& f : in.inputs) {
    Append(out, "<li>", Text{p.L("report.input." + f.role)}, ": <code>", Text{f.path}, "</code>");
    if (!f.sha256.empty()) Append(out, "<br><code>SHA-256 ", Text{f.sha256}, "</code>");
    Append(out, "</li>");
  }
  Append(out, "</ul></td></tr>\n");
  AppendRow(out, p.L("report.cover.policy"),
            Text{p.L("policy_source." + std::string(evidence::PolicySourceName(ev.policy.source)))},
            Text{ev.policy.file.empty() ? "" : ": "}, "<code>", Text{ev.policy.file}, "</code> (",
            Text{p.L(ev.policy.analysed ? "report.cover.policy_analysed"
                                        : "report.cover.policy_not_analysed")},
            ")");
  const evidence::AppTypeFact& type = ev.app_type;
  if (type.id.empty()) {
    AppendRow(out, p.L("report.cover.app_type"), Text{p.L("report.cover.unknown")});
  } else if (type.given) {
    AppendRow(out, p.L("report.cover.app_type"),
              Text{p.L("report.cover.app_type_given", {Arg("type", type.id)})});
  } else {
    Append(out, "<tr><th>", Text{p.L("report.cover.app_type")}, "</th><td>",
           Text{p.L("report.cover.app_type_inferred", {Arg("type", type.id)})}, " ");
    p.AppendNote(out, type.reason);
    Append(out, "</td></tr>\n");
  }
  if (ev.CodeKnown()) {
    AppendRow(out, p.L("report.cover.code"), Text{p.L("report.cover.code_complete")});
  } else {
    Append(out, "<tr><th>", Text{p.L("report.cover.code")}, "</th><td>");
    p.AppendNote(out, evidence::CodeUnknownReason(ev));
    Append(out, "</td></tr>\n");
  }
  Append(out, "</table></header>\n");
}

// "Changes since 1.0 (versionCode 1)" (scan --previous).
std::string ChangesHeading(const Page& p) {
  const evidence::PreviousVersion& v = p.ev().previous->previous;
  return p.L("report.changes", {Arg("version", v.version_name + " (versionCode " +
                                                   std::to_string(v.version_code) + ")")});
}

std::vector<TocEntry> Sections(const Page& p) {
  std::vector<TocEntry> out;
  for (const char* id : {"summary", "problems", "others", "sdks", "pi", "diagnostics"}) {
    out.push_back({id, p.L(std::string("report.") + id)});
    if (std::string_view(id) == "summary" && p.ev().previous) {
      out.push_back({"changes", ChangesHeading(p)});
    }
  }
  return out;
}

void AppendToc(std::string* out, const Page& p, const TocPages* pages) {
  Append(out, "<nav class=\"toc\" id=\"toc\"><h2>", Text{p.L("report.toc")}, "</h2><ol>");
  for (const TocEntry& e : Sections(p)) {
    Append(out, "<li><a href=\"#", Text{e.id}, "\">", Text{e.heading}, "</a>");
    if (pages != nullptr) {
      auto it = pages->page.find(e.id);
      if (it != pages->page.end()) {
        Append(out, "<span class=\"page\">", Number{it->second}, "</span>");
      } else if (pages->reserve) {
        Append(out, "<span class=\"page reserve\">000</span>");
      }
    }
    Append(out, "</li>");
  }
  Append(out, "</ol></nav>\n");
}

// The baseline's entries that accepted nothing: a warning, so they are fixed or deleted.
void AppendBaseline(std::string* out, const Page& p, const rules::BaselineOutcome& b) {
  Append(out, "<p>",
         Text{p.L("report.baseline",
                  {Arg("file", b.file), Arg("count", static_cast<int64_t>(b.suppressed))})},
         "</p>\n");
  auto list = [&](const char* what, const std::vector<rules::BaselineEntry>& entries) {
    if (entries.empty()) return;
    Append(out, "<p class=\"warning\"><b>", Text{p.L(what)}, " (", Number{entries.size()},
           ")</b></p><ul>");
    for (const rules::BaselineEntry& e : entries) {
      Append(out, "<li>", Number{e.line}, ": <code>", Text{e.id}, "</code> ", Text{e.item}, " ",
             Text{e.subject});
      if (!e.expires.empty()) Append(out, " (", Text{e.expires}, ")");
      Append(out, "</li>");
    }
    Append(out, "</ul>\n");
  };
  list("report.baseline.stale", b.stale);
  list("report.baseline.expired", b.expired);
}

struct VerdictColumn {
  rules::Verdict verdict;
  rules::Strength strength;
};
constexpr VerdictColumn kColumns[] = {
    {rules::Verdict::kViolation, rules::Strength::kConfirmed},
    {rules::Verdict::kViolation, rules::Strength::kLikely},
    {rules::Verdict::kNeedsDynamic, rules::Strength::kNone},
    {rules::Verdict::kNeedsManual, rules::Strength::kNone},
    {rules::Verdict::kCompliant, rules::Strength::kNone},
    {rules::Verdict::kNotApplicable, rules::Strength::kNone},
};

bool InColumn(const rules::ItemResult& r, const VerdictColumn& c) {
  return r.verdict == c.verdict &&
         (c.verdict != rules::Verdict::kViolation || r.strength == c.strength);
}

// Counts per category and verdict (the agencies' summary table), then the 31-item grid.
void AppendSummary(std::string* out, const Page& p) {
  const ReportInput& in = p.in();
  Append(out, "<section id=\"summary\"><h2>", Text{p.L("report.summary")},
         "</h2>\n<table class=\"counts\"><tr><th>", Text{p.L("report.summary.category")}, "</th>");
  for (const VerdictColumn& c : kColumns) {
    Append(out, "<th>");
    AppendBadge(out, p, c.verdict, c.strength);
    Append(out, "</th>");
  }
  Append(out, "</tr>\n");
  std::vector<std::string> categories;
  for (const auto& r : in.items) {
    if (categories.empty() || categories.back() != r.category) categories.push_back(r.category);
  }
  auto row = [&](std::string_view label, std::string_view sub, std::string_view category) {
    Append(out, "<tr><td>", Text{label}, " ", Text{sub}, "</td>");
    for (const VerdictColumn& c : kColumns) {
      size_t n = 0;
      for (const auto& r : in.items)
        n += (category.empty() || r.category == category) && InColumn(r, c);
      Append(out, "<td class=\"num\">", Number{n}, "</td>");
    }
    Append(out, "</tr>\n");
  };
  for (const std::string& cat : categories) {
    auto it = std::find_if(in.items.begin(), in.items.end(),
                           [&](const rules::ItemResult& r) { return r.category == cat; });
    row(cat, p.lang() == Lang::kZh ? it->category_zh : it->category_en, cat);
  }
  row(p.L("report.summary.total"), "", "");
  Append(out, "</table>\n");
  if (in.baseline != nullptr) AppendBaseline(out, p, *in.baseline);
  Append(out, "<h3>", Text{p.L("report.summary.items")}, "</h3><div class=\"grid\">\n");
  for (const auto& r : in.items) {
    Append(out, "<a class=\"cell v-");
    AppendVerdictClass(out, r.verdict, r.strength);
    Append(out, "\" href=\"#item-", Text{r.id}, "\" data-item=\"", Text{r.id}, "\"><b>", Text{r.id},
           "</b>", Text{p.VerdictLabel(r.verdict, r.strength)}, "<br>",
           Text{p.lang() == Lang::kZh ? r.title_zh : r.title_en}, "</a>\n");
  }
  Append(out, "</div></section>\n");
}

void AppendItem(std::string* out, const Page& p, const rules::ItemResult& r, int* number) {
  Append(out, "<article class=\"item\" id=\"item-", Text{r.id}, "\"><div class=\"item-head\"><h3>",
         Text{r.id}, " ", Text{p.lang() == Lang::kZh ? r.title_zh : r.title_en}, "</h3>");
  AppendBadge(out, p, r.verdict, r.strength);
  Append(out, "</div>\n");
  for (const auto& f : r.findings) {
    const bool problem = IsProblem(f.verdict);
    AppendFinding(out, p, r, f, problem ? ++*number : 0);
  }
  Append(out, "</article>\n");
}

// Items with something to act on (a violation, or a check still to make) first, one block per
// finding; then the items found compliant or not applicable.
void AppendItems(std::string* out, const Page& p) {
  int number = 0;
  Append(out, "<section id=\"problems\"><h2>", Text{p.L("report.problems")}, "</h2>\n");
  bool any = false;
  for (const auto& r : p.in().items) {
    if (!IsProblem(r.verdict)) continue;
    any = true;
    AppendItem(out, p, r, &number);
  }
  if (!any) Append(out, "<p>", Text{p.L("report.problems.none")}, "</p>");
  Append(out, "</section>\n<section id=\"others\"><h2>", Text{p.L("report.others")}, "</h2>\n");
  for (const auto& r : p.in().items) {
    if (!IsProblem(r.verdict)) AppendItem(out, p, r, &number);
  }
  Append(out, "</section>\n");
}

void AppendSdks(std::string* out, const Page& p) {
  const evidence::AppEvidence& ev = p.ev();
  const knowledge::KnowledgeBase* kb = p.in().kb;
  // The JSON keeps every ref; the page shows the first few so a large SDK stays readable.
  constexpr size_t kRefsShown = 3;
  Append(out, "<section id=\"sdks\"><h2>", Text{p.L("report.sdks")}, " (", Number{ev.sdks.size()},
         ")</h2>\n<table class=\"sdks\"><tr><th>", Text{p.L("report.sdks.name")}, "</th><th>",
         Text{p.L("report.sdks.vendor")}, "</th><th>", Text{p.L("report.sdks.category")},
         "</th><th>", Text{p.L("report.sdks.pi_here")}, "</th><th>",
         Text{p.L("report.sdks.policy_link")}, "</th><th>", Text{p.L("report.sdks.named")},
         "</th><th>", Text{p.L("report.sdks.detection")}, "</th></tr>\n");
  for (const auto& s : ev.sdks) {
    const knowledge::Sdk* k = kb ? kb->FindSdk(s.id) : nullptr;
    std::string category = s.category;
    if (kb) {
      if (const knowledge::SdkCategory* c = kb->FindSdkCategory(s.category)) {
        category = p.lang() == Lang::kZh ? c->zh : c->en;
      }
    }
    // The PI its own code was seen reading in this app (not what its documentation says).
    std::set<std::string> taken;
    for (const auto& call : ev.sensitive_calls) {
      if (call.owner == s.id) taken.insert(call.pi_type);
    }
    std::vector<std::string> taken_names;
    for (const std::string& t : taken) taken_names.push_back(p.PiTypeName(t));
    // Names (the SDK's, its vendor's) are proper names, shown as the catalogue spells them.
    Append(out, "<tr><td class=\"name\">", Text{internal::SdkDisplayName(ev, kb, s.id)});
    // Its own version string (UNTRUSTED, escaped), where the code shows one.
    if (!s.version.empty()) Append(out, " <span class=\"version\">", Text{s.version}, "</span>");
    Append(out, "</td><td class=\"name\">",
           Text{s.provider.empty() && k ? k->provider : s.provider}, "</td><td>", Text{category},
           "</td><td>", Joined{taken_names, p.lang() == Lang::kZh ? "、" : ", "}, "</td><td>");
    // The link is text, not an anchor: the page fetches nothing and a reader copies it.
    if (k && !k->privacy_policy.empty()) Append(out, "<code>", Text{k->privacy_policy}, "</code>");
    Append(out, "</td><td>");
    if (!ev.policy.analysed) {
      Append(out, Text{p.L("report.cover.unknown")});
    } else {
      const bool named =
          std::any_of(ev.policy.third_parties.begin(), ev.policy.third_parties.end(),
                      [&](const evidence::PolicyThirdParty& tp) { return tp.sdk_id == s.id; });
      Append(out, Text{p.L(named ? "report.yes" : "report.no")});
    }
    Append(out, "</td><td>",
           Text{p.L("detection." + std::string(evidence::DetectionStrengthName(s.strength)))});
    // What the detection stands on (issue 17): only code present makes the SDK an owner of calls.
    if (!s.presence.empty()) Append(out, " (", Text{p.L("presence." + s.presence)}, ")");
    Append(out, "<ul class=\"ev\">");
    for (size_t i = 0; i < s.refs.size() && i < kRefsShown; ++i) AppendRef(out, p, s.refs[i]);
    if (s.refs.size() > kRefsShown) {
      Append(out, "<li class=\"muted\">",
             Text{p.L("report.evidence.more",
                      {Arg("count", static_cast<int64_t>(s.refs.size() - kRefsShown))})},
             "</li>");
    }
    Append(out, "</ul></td></tr>\n");
  }
  Append(out, "</table></section>\n");
}

void AppendPiInventory(std::string* out, const Page& p) {
  Append(out, "<section id=\"pi\"><h2>", Text{p.L("report.pi")}, "</h2>\n<table><tr><th>",
         Text{p.L("report.pi.type")}, "</th><th>", Text{p.L("report.pi.sensitive")}, "</th><th>",
         Text{p.L("report.pi.code")}, "</th><th>", Text{p.L("report.pi.permissions")}, "</th><th>",
         Text{p.L("report.pi.sdks")}, "</th><th>", Text{p.L("report.pi.policy")}, "</th></tr>\n");
  for (const auto& e : internal::BuildPiInventory(p.ev(), p.in().kb)) {
    Append(out, "<tr><td>");
    if (e.zh.empty()) {
      Append(out, Text{e.id});
    } else {
      Append(out, Text{p.lang() == Lang::kZh ? e.zh : e.en}, " (<code>", Text{e.id}, "</code>)");
    }
    Append(out, "</td><td>", Text{e.sensitive ? p.L("report.yes") : ""}, "</td><td>");
    if (e.call_sites) {
      Append(out, Text{p.L("report.pi.sites", {Arg("count", static_cast<int64_t>(e.call_sites))})},
             ": <code>", Joined{e.code_owners, ", "}, "</code>");
    }
    Append(out, "</td><td><code>", Joined{e.permissions, ", "}, "</code></td><td><code>",
           Joined{e.sdks_documented, ", "}, "</code></td><td><code>", Text{e.policy},
           "</code></td></tr>\n");
  }
  Append(out, "</table></section>\n");
}

void AppendDiagnostics(std::string* out, const Page& p) {
  const evidence::AppEvidence& ev = p.ev();
  Append(out, "<section id=\"diagnostics\"><h2>", Text{p.L("report.diagnostics")}, " (",
         Number{ev.diagnostics.size()}, ")</h2>\n");
  if (ev.diagnostics.empty()) {
    Append(out, "<p class=\"muted\">", Text{p.L("report.diagnostics.none")}, "</p>");
  } else {
    Append(out, "<ul>");
    for (const auto& d : ev.diagnostics) {
      Append(out, "<li><code>", Text{d.ToString()}, "</code></li>\n");
    }
    Append(out, "</ul>");
  }
  if (ev.diagnostics_dropped) {
    Append(out, "<p>",
           Text{p.L("report.diagnostics.dropped",
                    {Arg("count", static_cast<int64_t>(ev.diagnostics_dropped))})},
           "</p>");
  }
  Append(out, "</section>\n");
}

// "Changes since VERSION" (scan --previous, issue 14): one row per change with its evidence on
// both sides. Only with a previous version, so a one-version report keeps its shape.
void AppendVersionChanges(std::string* out, const Page& p) {
  const evidence::VersionChanges& v = *p.ev().previous;
  Append(out, "<section id=\"changes\"><h2>", Text{ChangesHeading(p)}, "</h2>\n<table>");
  AppendRow(out, p.L("report.changes.previous_apk"), "<code>", Text{v.previous.apk_file},
            "</code> ", Text{v.previous.apk_sha256});
  if (v.lineage == "rotated" || v.lineage == "rolled_back") {
    AppendRow(out, p.L("report.changes.lineage"),
              Text{p.L(v.lineage == "rotated" ? "report.changes.key_rotated"
                                              : "report.changes.key_rolled_back")},
              ": <code>", Text{v.lineage_from}, "</code> &rarr; <code>", Text{v.lineage_to},
              "</code>");
  }
  if (v.forced) {
    AppendRow(out, p.L("report.changes.lineage"), Text{p.L("report.changes.forced")});
  }
  AppendRow(out, p.L("report.changes.policy"),
            Text{p.L(!v.policies_compared ? "report.changes.policy_not_compared"
                     : v.policy_unchanged ? "report.changes.policy_unchanged"
                                          : "report.changes.policy_compared")});
  Append(out, "</table>\n");
  if (v.changes.empty()) {
    Append(out, "<p class=\"muted\">", Text{p.L("report.changes.none")}, "</p></section>\n");
    return;
  }
  Append(out, "<table><tr><th>", Text{p.L("report.changes.what")}, "</th><th>",
         Text{p.L("report.changes.before")}, "</th><th>", Text{p.L("report.changes.after")},
         "</th><th>", Text{p.L("report.changes.evidence")}, "</th></tr>\n");
  for (const auto& c : v.changes) {
    Append(out, "<tr><td>", Text{p.L("change." + std::string(evidence::ChangeKindName(c.kind)))},
           " <code>", Text{c.area}, "</code> <code>", Text{c.subject}, "</code>");
    if (c.widens && c.kind == evidence::ChangeKind::kAdded) {
      Append(out, " <span class=\"badge v-needs-dynamic\">", Text{p.L("report.changes.widens")},
             "</span>");
    }
    Append(out, "</td><td>", Text{c.before}, "</td><td>", Text{c.after}, "</td><td><ul>");
    for (const auto& r : c.previous_refs) AppendRef(out, p, r);
    for (const auto& r : c.current_refs) AppendRef(out, p, r);
    Append(out, "</ul></td></tr>\n");
  }
  Append(out, "</table></section>\n");
}

}  // namespace

std::vector<TocEntry> TocEntries(const ReportInput& in) { return Sections(Page(in)); }

std::string RenderHtml(const ReportInput& in, const TocPages* toc) {
  const evidence::AppEvidence& ev = *in.evidence;
  Page page(in);
  std::string out;
  out.reserve(96 * 1024);
  internal::AppendPageStart(&out,
                            "piaudit — " + (ev.app.label.empty() ? ev.app.package : ev.app.label),
                            knowledge::LangName(in.lang));
  AppendCover(&out, page);
  AppendToc(&out, page, toc);
  AppendSummary(&out, page);
  if (ev.previous) AppendVersionChanges(&out, page);
  AppendItems(&out, page);
  AppendSdks(&out, page);
  AppendPiInventory(&out, page);
  AppendDiagnostics(&out, page);
  internal::AppendPageEnd(&out);
  return out;
}

}  // namespace piaudit::report
