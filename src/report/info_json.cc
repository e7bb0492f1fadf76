// Renders ApkFacts as the `piaudit.info/1` document (docs/schemas/info.md) or a text summary.
// Every key of the schema is always present (null / [] / {} when unknown), so consumers can rely
// on the shape; new keys may be added within /1, none removed or retyped.
#include "report/info_json.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <string>

#include "base/clock.h"
#include "container/file_type.h"
#include "evidence/evidence.h"

namespace piaudit::report {
namespace {

using apk::ApkFacts;
using apk::NativeLibFacts;
using nlohmann::json;

template <typename T>
json OptJson(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// The signer's v3 proof-of-rotation, oldest first (the last node is the signer's certificate).
json LineageJson(const container::DistinctSigner& signer) {
  json out = json::array();
  if (signer.lineage == nullptr) return out;
  for (const container::LineageNode& node : *signer.lineage) {
    out.push_back({{"sha256", node.certificate.sha256_hex},
                   {"subject", node.certificate.subject},
                   {"flags", node.flags},
                   {"signed_by_previous", node.signed_by_previous}});
  }
  return out;
}

json MetaDataJson(const std::vector<android::MetaData>& list) {
  json out = json::array();
  for (const android::MetaData& m : list) {
    out.push_back({{"name", m.name},
                   {"value", m.value},
                   {"resource_id",
                    m.resource_id ? json(fmt::format("0x{:08x}", m.resource_id)) : json(nullptr)},
                   {"resource_name", m.resource_name}});
  }
  return out;
}

json IntentFilterJson(const android::IntentFilter& f) {
  json data = json::array();
  for (const android::IntentData& d : f.data) {
    json o = json::object();
    auto put = [&](const char* k, const std::string& v) {
      if (!v.empty()) o[k] = v;
    };
    put("scheme", d.scheme);
    put("host", d.host);
    put("port", d.port);
    put("path", d.path);
    put("path_prefix", d.path_prefix);
    put("path_pattern", d.path_pattern);
    put("mime_type", d.mime_type);
    data.push_back(std::move(o));
  }
  return {{"actions", f.actions},
          {"categories", f.categories},
          {"data", std::move(data)},
          {"priority", OptJson(f.priority)},
          {"auto_verify", f.auto_verify}};
}

json ResourceTextJson(const android::ResourceText& t) {
  return {{"value", t.value},
          {"resource_id",
           t.resource_id ? json(fmt::format("0x{:08x}", t.resource_id)) : json(nullptr)}};
}

}  // namespace

json InfoToJson(const ApkFacts& facts) {
  const android::Manifest& m = facts.manifest;
  json j;
  j["schema"] = kInfoSchemaId;
  j["file"] = {{"path", facts.path}, {"size", facts.file_size}};
  j["package"] = m.package;
  j["version_code"] = OptJson(m.version_code);
  j["version_name"] = m.version_name;
  j["min_sdk"] = OptJson(m.min_sdk);
  j["target_sdk"] = OptJson(m.target_sdk);
  j["max_sdk"] = OptJson(m.max_sdk);
  j["compile_sdk"] = OptJson(m.compile_sdk);
  j["effective_min_sdk"] = m.EffectiveMinSdk();
  j["effective_target_sdk"] = m.EffectiveTargetSdk();
  j["shared_user_id"] = m.shared_user_id;

  json label = json::object();
  for (const auto& [locale, text] : facts.labels) label[locale] = text;
  j["label"] = std::move(label);

  json perms = json::array();
  for (const android::UsesPermission& p : m.uses_permissions) {
    perms.push_back({{"name", p.name},
                     {"source", p.source},
                     {"max_sdk", OptJson(p.max_sdk)},
                     {"required", p.required}});
  }
  // Declared permissions are listed here too (source "permission") so one array answers "which
  // permission names does this manifest mention"; declared_permissions has their details.
  for (const android::DeclaredPermission& p : m.declared_permissions) {
    perms.push_back(
        {{"name", p.name}, {"source", "permission"}, {"max_sdk", nullptr}, {"required", false}});
  }
  j["permissions"] = std::move(perms);
  json implied = json::array();
  for (const android::ImpliedPermission& p : m.implied_permissions) {
    implied.push_back({{"name", p.name}, {"reason", p.reason}, {"max_sdk", OptJson(p.max_sdk)}});
  }
  j["implied_permissions"] = std::move(implied);
  json declared = json::array();
  for (const android::DeclaredPermission& p : m.declared_permissions) {
    declared.push_back({{"name", p.name},
                        {"protection_level", p.protection_level},
                        {"permission_group", p.permission_group}});
  }
  j["declared_permissions"] = std::move(declared);

  const android::Application& a = m.application;
  j["application"] = {
      {"class_name", a.class_name},
      {"label", ResourceTextJson(a.label)},
      {"icon", ResourceTextJson(a.icon)},
      {"allow_backup", OptJson(a.allow_backup)},
      {"debuggable", a.debuggable},
      {"uses_cleartext_traffic", OptJson(a.uses_cleartext_traffic)},
      {"network_security_config",
       a.network_security_config
           ? json({{"resource_id", fmt::format("0x{:08x}", a.network_security_config)},
                   {"file", a.network_security_config_file}})
           : json(nullptr)},
      {"app_component_factory", a.app_component_factory},
      {"process", a.process},
      {"permission", a.permission},
      {"has_code", a.has_code},
      {"request_legacy_external_storage", a.request_legacy_external_storage},
      {"uses_libraries", a.uses_libraries},
  };
  j["launcher_activity"] = m.launcher_activity.empty() ? json(nullptr) : json(m.launcher_activity);

  json comps = json::array();
  for (const android::Component& c : m.components) {
    json o = {{"kind", android::ComponentKindName(c.kind)},
              {"name", c.name},
              {"exported", c.exported},
              {"exported_explicit", c.exported_attr.has_value()},
              {"enabled", c.enabled},
              {"process", c.process},
              {"permission", c.permission},
              {"line", c.line}};
    if (c.kind == android::ComponentKind::kActivityAlias) o["target_activity"] = c.target_activity;
    if (c.kind == android::ComponentKind::kProvider) {
      o["authorities"] = c.authorities;
      o["init_order"] = OptJson(c.init_order);
      o["grant_uri_permissions"] = c.grant_uri_permissions;
      o["read_permission"] = c.read_permission;
      o["write_permission"] = c.write_permission;
    }
    json filters = json::array();
    for (const android::IntentFilter& f : c.intent_filters) filters.push_back(IntentFilterJson(f));
    o["intent_filters"] = std::move(filters);
    o["meta_data"] = MetaDataJson(c.meta_data);
    comps.push_back(std::move(o));
  }
  j["components"] = std::move(comps);
  j["meta_data"] = MetaDataJson(a.meta_data);

  json features = json::array();
  for (const android::UsesFeature& f : m.uses_features) {
    features.push_back(
        {{"name", f.name},
         {"required", f.required},
         {"gl_es_version",
          f.gl_es_version ? json(fmt::format("0x{:08x}", f.gl_es_version)) : json(nullptr)}});
  }
  j["uses_features"] = std::move(features);
  json queries_intents = json::array();
  for (const android::IntentFilter& f : m.queries.intents) {
    queries_intents.push_back(IntentFilterJson(f));
  }
  j["queries"] = {{"packages", m.queries.packages},
                  {"intents", std::move(queries_intents)},
                  {"providers", m.queries.providers}};

  // Signers: one object per distinct certificate, with the schemes that carry it.
  json schemes = json::object();
  json signers = json::array();
  if (facts.signatures) {
    const container::ApkSignatures& s = *facts.signatures;
    auto add_scheme = [&](const char* name, const container::SchemeResult& r) {
      json errors = r.errors;
      schemes[name] = {{"present", r.present}, {"verified", r.verified}, {"errors", errors}};
      if (&r == &s.v1) schemes[name]["entries_checked"] = s.v1_entries_checked;
    };
    add_scheme("v1", s.v1);
    add_scheme("v2", s.v2);
    add_scheme("v3", s.v3);
    add_scheme("v3.1", s.v31);
    for (const container::DistinctSigner& g : container::DistinctSigners(s)) {
      signers.push_back({{"sha256", g.certificate->sha256_hex},
                         {"sha1", g.certificate->sha1_hex},
                         {"md5", g.certificate->md5_hex},
                         {"subject", g.certificate->subject},
                         {"issuer", g.certificate->issuer},
                         {"serial", g.certificate->serial_hex},
                         {"not_before", IsoUtc(g.certificate->not_before)},
                         {"not_after", IsoUtc(g.certificate->not_after)},
                         {"key_algorithm", g.certificate->key_algorithm},
                         {"key_bits", g.certificate->key_bits},
                         {"schemes", g.schemes},
                         {"verified", g.verified},
                         {"lineage", LineageJson(g)},
                         {"lineage_verified", g.lineage_verified}});
    }
  }
  j["signers"] = std::move(signers);
  j["signature_schemes"] = std::move(schemes);

  json native = json::object();
  for (const NativeLibFacts& lib : facts.native_libs) {
    json o = {{"path", lib.path}, {"size", lib.size}};
    if (lib.elf) {
      o["machine"] = lib.elf->machine_name;
      o["elf_class"] = lib.elf->elf_class;
      o["soname"] = lib.elf->soname;
      o["needed"] = lib.elf->needed;
      o["jni_onload"] = lib.elf->has_jni_onload;
      o["jni_exports"] = lib.elf->jni_exports.size();
      o["urls"] = lib.elf->urls;
    } else {
      o["machine"] = nullptr;
    }
    native[lib.abi].push_back(std::move(o));
  }
  j["native_libs"] = std::move(native);
  j["dex_files"] = facts.layout.primary_dex;

  json files = json::array();
  for (const container::LayoutEntry& e : facts.layout.assets) {
    files.push_back({{"path", e.name},
                     {"type", container::FileTypeName(e.type)},
                     {"size", e.uncompressed_size},
                     {"role", "asset"},
                     {"code", container::IsCodePayload(e.type)}});
  }
  for (const container::LayoutEntry& e : facts.layout.secondary_code) {
    if (e.name.starts_with("assets/")) continue;  // already listed as an asset, with code=true
    files.push_back({{"path", e.name},
                     {"type", container::FileTypeName(e.type)},
                     {"size", e.uncompressed_size},
                     {"role", "secondary_code"},
                     {"code", true}});
  }
  j["files"] = std::move(files);

  json diags = json::array();
  for (const Diagnostic& d : facts.diagnostics.items()) {
    diags.push_back({{"severity", evidence::SeverityName(d.severity)},
                     {"code", d.code},
                     {"file", d.file},
                     {"structure", d.structure},
                     {"offset", d.has_offset ? json(d.offset) : json(nullptr)},
                     {"message", d.message}});
  }
  j["diagnostics"] = std::move(diags);
  j["diagnostics_dropped"] = facts.diagnostics.dropped();
  return j;
}

std::string InfoToText(const ApkFacts& facts) {
  const android::Manifest& m = facts.manifest;
  std::string out;
  auto line = [&](std::string_view k, std::string_view v) {
    out += fmt::format("{:<20} {}\n", k, v);
  };
  line("file:", fmt::format("{} ({} bytes)", facts.path, facts.file_size));
  line("package:", m.package);
  line("version:", fmt::format("{} ({})", m.version_name,
                               m.version_code ? std::to_string(*m.version_code) : "?"));
  line("sdk:", fmt::format("min {} target {}{}", m.EffectiveMinSdk(), m.EffectiveTargetSdk(),
                           m.compile_sdk ? fmt::format(" compile {}", *m.compile_sdk) : ""));
  if (auto it = facts.labels.find(""); it != facts.labels.end()) line("label:", it->second);
  for (const auto& [loc, text] : facts.labels) {
    if (!loc.empty() && (loc.starts_with("zh") || loc.starts_with("en"))) {
      line(fmt::format("label[{}]:", loc), text);
    }
  }
  if (!m.application.class_name.empty()) line("application:", m.application.class_name);
  line("launcher:", m.launcher_activity.empty() ? "(none)" : m.launcher_activity);
  line("flags:",
       fmt::format("debuggable={} allowBackup={} cleartext={}{}", m.application.debuggable,
                   m.application.allow_backup ? (*m.application.allow_backup ? "true" : "false")
                                              : "default",
                   m.application.uses_cleartext_traffic
                       ? (*m.application.uses_cleartext_traffic ? "true" : "false")
                       : "default",
                   m.application.network_security_config_file.empty()
                       ? ""
                       : " nsc=" + m.application.network_security_config_file));
  out += fmt::format("permissions ({}):\n", m.uses_permissions.size());
  for (const android::UsesPermission& p : m.uses_permissions) {
    out += fmt::format("  {}{}{}\n", p.name, p.source == "uses-permission" ? "" : " [sdk-23]",
                       p.max_sdk ? fmt::format(" maxSdk={}", *p.max_sdk) : "");
  }
  for (const android::ImpliedPermission& p : m.implied_permissions) {
    out += fmt::format("  {} (implied: {})\n", p.name, p.reason);
  }
  if (!m.declared_permissions.empty()) {
    out += fmt::format("declared permissions ({}):\n", m.declared_permissions.size());
    for (const android::DeclaredPermission& p : m.declared_permissions) {
      out += fmt::format("  {} [{}]\n", p.name, p.protection_level);
    }
  }
  std::map<std::string_view, std::pair<int, int>> counts;  // kind -> {total, exported}
  for (const android::Component& c : m.components) {
    auto& [total, exported] = counts[android::ComponentKindName(c.kind)];
    ++total;
    exported += c.exported ? 1 : 0;
  }
  out += "components:\n";
  for (const auto& [kind, n] : counts) {
    out += fmt::format("  {:<16} {} ({} exported)\n", kind, n.first, n.second);
  }
  if (!m.application.meta_data.empty()) {
    out += "meta-data:\n";
    for (const android::MetaData& md : m.application.meta_data) {
      out += fmt::format("  {} = {}\n", md.name, md.value.empty() ? md.resource_name : md.value);
    }
  }
  if (facts.signatures) {
    const container::ApkSignatures& s = *facts.signatures;
    auto sch = [](const container::SchemeResult& r) {
      return !r.present ? "absent" : (r.verified ? "verified" : "NOT verified");
    };
    // A v1 signature vouches for the entries only once they are hashed (--verify-entries).
    const char* v1_entries = s.v1.verified && !s.v1_entries_checked ? " (entries not hashed)" : "";
    line("signatures:", fmt::format("v1 {}{}, v2 {}, v3 {}, v3.1 {}", sch(s.v1), v1_entries,
                                    sch(s.v2), sch(s.v3), sch(s.v31)));
    for (const container::DistinctSigner& g : container::DistinctSigners(s)) {
      out += fmt::format("  signer {}\n    sha256 {}\n", g.certificate->subject,
                         g.certificate->sha256_hex);
      if (g.lineage != nullptr) {
        // Oldest first; the last line is this signer's own certificate.
        out += fmt::format("    proof-of-rotation ({}):\n",
                           g.lineage_verified ? "verified" : "NOT verified");
        for (const container::LineageNode& node : *g.lineage) {
          out +=
              fmt::format("      {} {}\n", node.certificate.sha256_hex, node.certificate.subject);
        }
      }
    }
  }
  line("dex:", fmt::format("{}", fmt::join(facts.layout.primary_dex, " ")));
  std::map<std::string, int> abis;
  for (const NativeLibFacts& lib : facts.native_libs) ++abis[lib.abi];
  std::string abi_text;
  for (const auto& [abi, n] : abis) abi_text += fmt::format("{}({}) ", abi, n);
  line("native libs:", abi_text.empty() ? "(none)" : abi_text);
  if (!facts.layout.secondary_code.empty()) {
    out += "secondary code:\n";
    for (const container::LayoutEntry& e : facts.layout.secondary_code) {
      out += fmt::format("  {} [{}]\n", e.name, container::FileTypeName(e.type));
    }
  }
  if (!facts.diagnostics.items().empty()) {
    out += fmt::format("diagnostics ({}):\n", facts.diagnostics.items().size());
    for (const Diagnostic& d : facts.diagnostics.items()) out += "  " + d.ToString() + "\n";
  }
  return out;
}

}  // namespace piaudit::report
