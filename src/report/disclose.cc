// App-store disclosure lists (draft Interim Provisions art. 9(2)); see disclose.h.
#include "report/disclose.h"

#include "report/html_escape.h"
#include "report/internal/html_common.h"
#include "report/internal/inventory.h"
#include "report/report_input.h"
#include "report/report_json.h"

namespace piaudit::report {

using nlohmann::json;

namespace {

// The purpose the policy states for a permission, or empty.
std::string PolicyPurpose(const evidence::AppEvidence& ev, const std::string& perm) {
  size_t dot = perm.rfind('.');
  std::string short_name = dot == std::string::npos ? perm : perm.substr(dot + 1);
  for (const auto& pp : ev.policy.permissions) {
    if (!pp.negated && !pp.purpose.empty() &&
        (pp.permission == perm || pp.permission == short_name)) {
      return pp.purpose;
    }
  }
  return "";
}

}  // namespace

json BuildDiscloseJson(const evidence::AppEvidence& ev, const knowledge::KnowledgeBase* kb) {
  json j;
  j["schema"] = kDiscloseSchema;
  j["app"] = {{"package", ev.app.package},
              {"label", ev.app.label},
              {"version_name", ev.app.version_name},
              {"version_code", ev.app.version_code}};
  if (kb) j["knowledge_base"] = {{"id", kb->version().id}, {"version", kb->version().version}};
  json perms = json::array();
  for (const auto& p : ev.permissions) {
    json pj = {{"name", p.name}, {"dangerous", p.dangerous}, {"pi_types", p.pi_types}};
    std::string term;
    if (kb) {
      if (const knowledge::Permission* kp = kb->FindPermission(p.name)) {
        term = kp->term;
        if (pj["pi_types"].empty()) pj["pi_types"] = kp->pi;
        pj["dangerous"] = p.dangerous || kp->dangerous;
      }
    }
    pj["description_zh"] = term;
    pj["purpose"] = PolicyPurpose(ev, p.name);
    perms.push_back(pj);
  }
  j["permissions"] = perms;
  json pis = json::array();
  for (const auto& e : internal::BuildPiInventory(ev, kb)) {
    json sources = json::array();
    if (e.call_sites) sources.push_back("code");
    if (!e.permissions.empty()) sources.push_back("permission");
    for (const auto& s : e.sdks_documented) sources.push_back("sdk:" + s);
    if (e.policy == "collected" || e.policy == "both" || e.policy.rfind("covered_by:", 0) == 0) {
      sources.push_back("policy");
    }
    // A type the policy only mentions as NOT collected, and nothing else found, is not listed.
    if (sources.empty()) continue;
    pis.push_back({{"id", e.id},
                   {"zh", e.zh},
                   {"en", e.en},
                   {"sensitive", e.sensitive},
                   {"sources", sources},
                   {"collected_by", e.code_owners},
                   {"purposes", e.purposes}});
  }
  j["personal_information"] = pis;
  json sdks = json::array();
  for (const auto& s : ev.sdks) {
    sdks.push_back({{"id", s.id},
                    {"name", internal::SdkDisplayName(ev, kb, s.id)},
                    {"provider", s.provider},
                    {"category", s.category},
                    {"pi_types", s.pi_types}});
  }
  j["sdks"] = sdks;
  j["basis"] =
      "MIIT draft Interim Provisions (2021) art. 9(2): app stores show the permission "
      "list and the personal-information list of every app";
  return j;
}

std::string RenderDiscloseJson(const evidence::AppEvidence& ev,
                               const knowledge::KnowledgeBase* kb) {
  return DumpJson(BuildDiscloseJson(ev, kb));
}

std::string RenderDiscloseHtml(const evidence::AppEvidence& ev,
                               const knowledge::KnowledgeBase* kb) {
  json j = BuildDiscloseJson(ev, kb);
  auto E = [](const json& v) {
    return HtmlEscape(v.is_string() ? v.get<std::string>()
                                    : v.dump(-1, ' ', false, json::error_handler_t::replace));
  };
  auto list = [&](const json& arr) {
    std::string s;
    for (const auto& x : arr)
      s += (s.empty() ? "" : ", ") + (x.is_string() ? x.get<std::string>() : x.dump());
    return HtmlEscape(s);
  };
  std::string name = ev.app.label.empty() ? ev.app.package : ev.app.label;
  std::string out = internal::HtmlPageStart("权限及个人信息清单 — " + name);
  out += "<h1>" + HtmlEscape(name) + "</h1><div class=\"muted\">" + HtmlEscape(ev.app.package) +
         " " + HtmlEscape(ev.app.version_name) + "</div>\n";
  out +=
      "<h2>权限清单 / Permissions</h2><table><tr><th>权限 Permission</th><th>说明</th>"
      "<th>敏感 Dangerous</th><th>目的 Purpose (policy)</th></tr>\n";
  for (const auto& p : j["permissions"]) {
    out += "<tr><td><code>" + E(p["name"]) + "</code></td><td>" + E(p["description_zh"]) +
           "</td><td>" + (p["dangerous"].get<bool>() ? "是 yes" : "") + "</td><td>" +
           E(p["purpose"]) + "</td></tr>\n";
  }
  out +=
      "</table>\n<h2>个人信息清单 / Personal information</h2><table><tr><th>类型 Type</th>"
      "<th>敏感 Sensitive</th><th>来源 Source</th><th>收集方 Collected by</th><th>用途 "
      "Purpose</th></tr>\n";
  for (const auto& p : j["personal_information"]) {
    std::string tname = p["zh"].get<std::string>().empty()
                            ? p["id"].get<std::string>()
                            : p["zh"].get<std::string>() + " / " + p["en"].get<std::string>();
    out += "<tr><td>" + HtmlEscape(tname) + "</td><td>" +
           (p["sensitive"].get<bool>() ? "是 yes" : "") + "</td><td>" + list(p["sources"]) +
           "</td><td>" + list(p["collected_by"]) + "</td><td>" + list(p["purposes"]) +
           "</td></tr>\n";
  }
  out +=
      "</table>\n<h2>第三方SDK / Third-party SDKs</h2><table><tr><th>SDK</th><th>提供方 "
      "Provider</th><th>类别 Category</th><th>个人信息 PI</th></tr>\n";
  for (const auto& s : j["sdks"]) {
    out += "<tr><td>" + E(s["name"]) + "</td><td>" + E(s["provider"]) + "</td><td>" +
           E(s["category"]) + "</td><td>" + list(s["pi_types"]) + "</td></tr>\n";
  }
  out += "</table>\n<p class=\"muted\">" + E(j["basis"]) + "</p>\n";
  out += internal::HtmlPageEnd();
  return out;
}

}  // namespace piaudit::report
