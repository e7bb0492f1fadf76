// Page frame for the HTML outputs; see html_common.h.
#include "report/internal/html_common.h"

#include "report/html_escape.h"

namespace piaudit::report::internal {

namespace {

// System fonts only: the page must render offline, so no web fonts.
constexpr char kCss[] = R"css(
:root{--fg:#1b1b1b;--muted:#5f6368;--line:#dadce0;--bg:#fff;--soft:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.5 -apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:24px 32px;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:0}
table{border-collapse:collapse;margin:8px 0;width:100%}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
code,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.muted{color:var(--muted)}
.badge{display:inline-block;border-radius:3px;padding:1px 7px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.v-violation-confirmed{background:#b71c1c}.v-violation-likely{background:#e65100}
.v-needs-dynamic{background:#1565c0}.v-needs-manual{background:#6a1b9a}
.v-compliant{background:#2e7d32}.v-not-applicable{background:#757575}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:6px;margin:8px 0}
.cell{display:block;border-radius:4px;padding:6px 8px;color:#fff;text-decoration:none;font-size:12px;min-height:58px}
.cell b{display:block;font-size:13px}
.item{border:1px solid var(--line);border-radius:6px;padding:12px 14px;margin:12px 0}
.item-head{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.finding{border-left:4px solid var(--line);padding:6px 10px;margin:10px 0;background:var(--soft)}
.finding.f-violation-confirmed{border-color:#b71c1c}.finding.f-violation-likely{border-color:#e65100}
.finding.f-needs-dynamic{border-color:#1565c0}.finding.f-needs-manual{border-color:#6a1b9a}
.finding.f-compliant{border-color:#2e7d32}
.finding.suppressed{opacity:.75;border-left-style:dashed}.suppression{color:#37474f}
.badge.v-suppressed{background:#546e7a}
.ev{margin:4px 0 0 0;padding-left:18px}.ev li{margin:3px 0}
blockquote{margin:4px 0;padding:4px 10px;border-left:3px solid #9aa0a6;background:#fff;white-space:pre-wrap}
ol.chain{margin:2px 0;padding-left:22px}
.counts span{margin-right:12px}
.cover h1{font-size:26px}.app-name{font-size:20px;font-weight:600;margin:6px 0}
h4{font-size:13px;margin:8px 0 2px}.fh{margin-bottom:4px}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.basis th{width:7em;white-space:nowrap}.record{color:#37474f}
.toc ol{list-style:none;padding-left:0;font-size:15px;line-height:2}
.toc li{display:flex;gap:8px}.toc li a{flex:1;border-bottom:1px dotted var(--line);color:inherit;text-decoration:none}
.toc .page{min-width:3em;text-align:right;font-variant-numeric:tabular-nums}.toc .reserve{visibility:hidden}
.screen{margin:4px 0}img.shot{display:block;max-width:240px;max-height:480px;border:1px solid var(--line);margin:4px 0}
.screen-texts{font-size:12.5px}
table.counts td:first-child{width:34%}
@page{size:A4;margin:16mm 14mm 18mm;@bottom-center{content:counter(page) " / " counter(pages);font-size:10px;color:#5f6368}}
@media print{body{max-width:none;padding:0;font-size:11.5px}.cover{break-after:page}.toc{break-after:page}
.item-head,tr,.cell,blockquote,img.shot{break-inside:avoid}h2,h3,h4,.item-head,.fh{break-after:avoid}
.grid{grid-template-columns:repeat(4,1fr)}
.cell,.badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
)css";

}  // namespace

void AppendPageStart(std::string* out, std::string_view title, std::string_view lang) {
  Append(out, "<!DOCTYPE html>\n<html lang=\"", Text{lang == "en" ? "en" : "zh-CN"},
         "\">\n<head>\n<meta charset=\"utf-8\">\n");
  // Defence in depth behind HtmlEscape: no script, no remote fetch of any kind.
  out->append(
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n");
  out->append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  Append(out, "<title>", Text{title}, "</title>\n<style>");
  out->append(kCss);
  out->append("</style>\n</head>\n<body>\n");
}

void AppendPageEnd(std::string* out) { out->append("</body>\n</html>\n"); }

}  // namespace piaudit::report::internal
