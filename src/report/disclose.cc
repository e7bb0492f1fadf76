// App-store disclosure lists (draft Interim Provisions art. 9(2)); see disclose.h.
#include "report/disclose.h"

#include <span>
#include <string_view>
#include <vector>

#include "knowledge/messages.h"
#include "report/internal/html_common.h"
#include "report/internal/inventory.h"
#include "report/internal/json_writer.h"
#include "report/report_input.h"

namespace piaudit::report {

namespace {

using internal::JsonWriter;

constexpr std::string_view kBasis =
    "MIIT draft Interim Provisions (2021) art. 9(2): app stores show the permission "
    "list and the personal-information list of every app";

// One row of the permission list: the manifest's facts completed from the knowledge base.
struct DisclosedPermission {
  const evidence::PermissionFact* fact = nullptr;
  std::string_view description_zh;        // the knowledge base's term, or empty
  bool dangerous = false;                 // by the manifest scan or by the knowledge base
  std::span<const std::string> pi_types;  // the scan's, else the knowledge base's
  std::string_view purpose;               // what the policy states, or empty
};

// One row of the personal-information list and where it was seen.
struct DisclosedPi {
  const internal::PiInventoryEntry* entry = nullptr;
  std::vector<std::string> sources;  // "code", "permission", "sdk:<id>", "policy"
};

// Both outputs show the same lists; they are derived once here.
struct DiscloseLists {
  DiscloseLists() = default;
  DiscloseLists(DiscloseLists&&) = default;  // a move keeps the inventory entries in place
  DiscloseLists(const DiscloseLists&) = delete;
  DiscloseLists& operator=(const DiscloseLists&) = delete;

  std::vector<DisclosedPermission> permissions;
  std::vector<internal::PiInventoryEntry> inventory;  // owns the entries DisclosedPi points at
  std::vector<DisclosedPi> personal_information;
};

// The purpose the policy states for a permission, or empty.
std::string_view PolicyPurpose(const evidence::AppEvidence& ev, std::string_view perm) {
  size_t dot = perm.rfind('.');
  std::string_view short_name = dot == std::string_view::npos ? perm : perm.substr(dot + 1);
  for (const auto& pp : ev.policy.permissions) {
    if (!pp.negated && !pp.purpose.empty() &&
        (pp.permission == perm || pp.permission == short_name)) {
      return pp.purpose;
    }
  }
  return {};
}

DiscloseLists BuildLists(const evidence::AppEvidence& ev, const knowledge::KnowledgeBase* kb) {
  DiscloseLists lists;
  lists.permissions.reserve(ev.permissions.size());
  for (const auto& p : ev.permissions) {
    DisclosedPermission& row = lists.permissions.emplace_back();
    row.fact = &p;
    row.dangerous = p.dangerous;
    row.pi_types = p.pi_types;
    if (const knowledge::Permission* kp = kb ? kb->FindPermission(p.name) : nullptr) {
      row.description_zh = kp->term;
      if (row.pi_types.empty()) row.pi_types = kp->pi;
      row.dangerous = p.dangerous || kp->dangerous;
    }
    row.purpose = PolicyPurpose(ev, p.name);
  }
  lists.inventory = internal::BuildPiInventory(ev, kb);
  for (const auto& e : lists.inventory) {
    std::vector<std::string> sources;
    if (e.call_sites) sources.emplace_back("code");
    if (!e.permissions.empty()) sources.emplace_back("permission");
    for (const auto& s : e.sdks_documented) sources.push_back("sdk:" + s);
    if (e.policy == "collected" || e.policy == "both" || e.policy.starts_with("covered_by:")) {
      sources.emplace_back("policy");
    }
    // A type the policy only mentions as NOT collected, and nothing else found, is not listed.
    if (sources.empty()) continue;
    lists.personal_information.push_back(DisclosedPi{&e, std::move(sources)});
  }
  return lists;
}

// Keys in byte order (see internal/json_writer.h).
void WriteDiscloseJson(JsonWriter& w, const evidence::AppEvidence& ev,
                       const knowledge::KnowledgeBase* kb, const DiscloseLists& lists) {
  w.BeginObject();
  w.Key("app").BeginObject();
  w.Key("label").String(ev.app.label);
  w.Key("package").String(ev.app.package);
  w.Key("version_code").Number(ev.app.version_code);
  w.Key("version_name").String(ev.app.version_name);
  w.EndObject();
  w.Key("basis").String(kBasis);
  if (kb) {
    w.Key("knowledge_base").BeginObject();
    w.Key("id").String(kb->version().id);
    w.Key("version").String(kb->version().version);
    w.EndObject();
  }
  w.Key("permissions").BeginArray();
  for (const DisclosedPermission& p : lists.permissions) {
    w.BeginObject();
    w.Key("dangerous").Bool(p.dangerous);
    w.Key("description_zh").String(p.description_zh);
    w.Key("name").String(p.fact->name);
    w.Key("pi_types").StringArray(p.pi_types);
    w.Key("purpose").String(p.purpose);
    w.EndObject();
  }
  w.EndArray();
  w.Key("personal_information").BeginArray();
  for (const DisclosedPi& pi : lists.personal_information) {
    const internal::PiInventoryEntry& e = *pi.entry;
    w.BeginObject();
    w.Key("collected_by").StringArray(e.code_owners);
    w.Key("en").String(e.en);
    w.Key("id").String(e.id);
    w.Key("purposes").StringArray(e.purposes);
    w.Key("sensitive").Bool(e.sensitive);
    w.Key("sources").StringArray(pi.sources);
    w.Key("zh").String(e.zh);
    w.EndObject();
  }
  w.EndArray();
  w.Key("schema").String(kDiscloseSchema);
  w.Key("sdks").BeginArray();
  for (const auto& s : ev.sdks) {
    w.BeginObject();
    w.Key("category").String(s.category);
    w.Key("id").String(s.id);
    w.Key("name").String(internal::SdkDisplayName(ev, kb, s.id));
    w.Key("pi_types").StringArray(s.pi_types);
    w.Key("provider").String(s.provider);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndDocument();
}

}  // namespace

std::string RenderDiscloseJson(const evidence::AppEvidence& ev,
                               const knowledge::KnowledgeBase* kb) {
  std::string out;
  out.reserve(16 * 1024);
  JsonWriter w(&out);
  WriteDiscloseJson(w, ev, kb, BuildLists(ev, kb));
  return out;
}

std::string RenderDiscloseHtml(const evidence::AppEvidence& ev, const knowledge::KnowledgeBase* kb,
                               knowledge::Lang lang) {
  using internal::Append;
  using internal::Joined;
  using internal::Text;
  const bool zh = lang == knowledge::Lang::kZh;
  // Every word for people from the message catalogue; without a knowledge base the ids.
  auto L = [&](const char* id) {
    return kb == nullptr ? std::string(id)
                         : knowledge::RenderMessage(*kb, knowledge::Msg(id), lang);
  };
  const DiscloseLists lists = BuildLists(ev, kb);
  const std::string& name = ev.app.label.empty() ? ev.app.package : ev.app.label;
  std::string out;
  out.reserve(16 * 1024);
  internal::AppendPageStart(&out, L("disclose.title") + " — " + name, knowledge::LangName(lang));
  Append(&out, "<h1>", Text{L("disclose.title")}, "</h1><div class=\"app-name name\">", Text{name},
         "</div><div class=\"muted\"><code>", Text{ev.app.package}, "</code> ",
         Text{ev.app.version_name}, "</div>\n");
  Append(&out, "<h2>", Text{L("disclose.permissions")}, "</h2><table><tr><th>",
         Text{L("disclose.permission")}, "</th><th>", Text{L("disclose.description")}, "</th><th>",
         Text{L("disclose.dangerous")}, "</th><th>", Text{L("disclose.purpose_policy")},
         "</th></tr>\n");
  for (const DisclosedPermission& p : lists.permissions) {
    // The purpose is the policy's own sentence, quoted.
    Append(&out, "<tr><td><code>", Text{p.fact->name}, "</code></td><td class=\"name\">",
           Text{p.description_zh}, "</td><td>", Text{p.dangerous ? L("report.yes") : ""},
           "</td><td><span class=\"name\">", Text{p.purpose}, "</span></td></tr>\n");
  }
  Append(&out, "</table>\n<h2>", Text{L("disclose.pi")}, "</h2><table><tr><th>",
         Text{L("disclose.pi_type")}, "</th><th>", Text{L("disclose.sensitive")}, "</th><th>",
         Text{L("disclose.source")}, "</th><th>", Text{L("disclose.collected_by")}, "</th><th>",
         Text{L("disclose.purpose")}, "</th></tr>\n");
  for (const DisclosedPi& pi : lists.personal_information) {
    const internal::PiInventoryEntry& e = *pi.entry;
    Append(&out, "<tr><td>");
    if (e.zh.empty()) {
      Append(&out, "<code>", Text{e.id}, "</code>");
    } else {
      Append(&out, Text{zh ? e.zh : e.en}, " (<code>", Text{e.id}, "</code>)");
    }
    Append(&out, "</td><td>", Text{e.sensitive ? L("report.yes") : ""}, "</td><td><code>",
           Joined{pi.sources, ", "}, "</code></td><td><code>", Joined{e.code_owners, ", "},
           "</code></td><td><span class=\"name\">", Joined{e.purposes, zh ? "、" : ", "},
           "</span></td></tr>\n");
  }
  Append(&out, "</table>\n<h2>", Text{L("disclose.sdks")}, "</h2><table><tr><th>SDK</th><th>",
         Text{L("disclose.provider")}, "</th><th>", Text{L("disclose.category")}, "</th><th>",
         Text{L("disclose.pi_short")}, "</th></tr>\n");
  for (const auto& s : ev.sdks) {
    std::string category = s.category;
    if (kb != nullptr) {
      if (const knowledge::SdkCategory* c = kb->FindSdkCategory(s.category)) {
        category = zh ? c->zh : c->en;
      }
    }
    Append(&out, "<tr><td class=\"name\">", Text{internal::SdkDisplayName(ev, kb, s.id)},
           "</td><td class=\"name\">", Text{s.provider}, "</td><td>", Text{category},
           "</td><td><code>", Joined{s.pi_types, ", "}, "</code></td></tr>\n");
  }
  Append(&out, "</table>\n<p class=\"muted\">", Text{L("disclose.basis")}, "</p>\n");
  internal::AppendPageEnd(&out);
  return out;
}

}  // namespace piaudit::report
