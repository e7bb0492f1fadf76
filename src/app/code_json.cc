// BuildCodeReport and its renderers (code_json.h). The pipeline, in order:
//   1. ReadApkFacts (manifest, layout, native libs, resources.arsc);
//   2. open every primary dex, then secondary dex/jar/apk payloads (one level deep), and scan each
//      for defined classes and the const-string sites of URL/host/feature strings;
//   3. URLs from dex, resources.arsc, the manifest, text assets and native libraries;
//   4. SDKs (knowledge-base signals), obfuscated SDKs (features), packer;
//   5. H6a's AnalyzeCode, each sensitive call attributed to the app or an SDK.
// A packed app still gets steps 1-4 (manifest components, libraries and assets name SDKs even when
// the dex is encrypted) and the report says plainly that its code is not visible.
#include "app/code_json.h"

#include <algorithm>
#include <deque>
#include <future>
#include <map>
#include <set>
#include <unordered_set>

#include "analysis/sdk_catalog.h"
#include "analysis/strings_dex_scan.h"
#include "app/apk_facts.h"
#include "container/file_type.h"
#include "container/zip_archive.h"
#include "dex/dex_file.h"

namespace piaudit::app {
namespace {

using analysis::HostRecord;
using analysis::SiteLocation;
using analysis::UrlCollector;

// Text assets larger than this are not searched for URLs (big JSON data sets, bundles); 4 MiB
// covers config files and web pages an app ships.
constexpr uint64_t kMaxTextAssetBytes = 4u << 20;
// Text assets searched per APK (games ship thousands of small files).
constexpr size_t kMaxTextAssets = 2000;
// URL hits taken from one blob (resources.arsc, one asset).
constexpr size_t kMaxUrlsPerBlob = 5000;
// Resource strings handed to the consent-gate analysis.
constexpr size_t kMaxResourceStrings = 50'000;

// One opened dex with the storage its views need.
struct OpenDex {
  container::EntryData bytes;
  std::optional<dex::DexFile> file;
  std::string origin;
  size_t summary = 0;  // index in CodeReport::dex_files, completed by the scan
};

// A string found in code or data, before owners are known.
struct Sighting {
  std::string text;     // a URL or a bare host
  std::string context;  // the whole string / surrounding text
  SiteLocation where;
  std::string owner_class;  // dex only: the class whose method loads it
  uint32_t count = 1;
};

bool IsTextType(container::FileType t) {
  using container::FileType;
  return t == FileType::kText || t == FileType::kJson || t == FileType::kHtml ||
         t == FileType::kXmlText;
}

std::string Hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "+0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// Adds a dex's interesting strings as sightings: URLs inside each string, or the string itself
// when it is a bare host.
void AddDexSightings(const analysis::DexScan& scan, std::vector<Sighting>* out) {
  for (const analysis::DexStringUse& use : scan.strings) {
    SiteLocation where{"dex", scan.name, use.first_method};
    uint32_t count = std::max<uint32_t>(use.sites, 1);
    std::vector<std::string_view> urls = analysis::FindUrlsInText(use.text, 16);
    if (urls.empty()) {
      if (analysis::LooksLikeBareHost(use.text))
        out->push_back({use.text, use.text, where, use.first_class, count});
      continue;
    }
    for (std::string_view u : urls)
      out->push_back({std::string(u), use.text, where, use.first_class, count});
  }
}

void AddBlobSightings(ByteSpan bytes, const std::string& source, const std::string& file,
                      std::vector<Sighting>* out) {
  for (analysis::BytesUrlHit& hit : analysis::FindUrlsInBytes(bytes, kMaxUrlsPerBlob)) {
    out->push_back({std::move(hit.url), std::move(hit.context),
                    SiteLocation{source, file, Hex(hit.offset)}, "", 1});
  }
}

// Opens one dex and scans it; failures become diagnostics naming the file and offset.
// Opens one dex file; its summary goes to the report now (with the error, if it cannot be
// opened) and its counts once ScanOpenDex has walked it.
void OpenDexFile(container::EntryData bytes, const std::string& name, const std::string& origin,
                 const CodeOptions& options, CodeReport* report, std::deque<OpenDex>* dexes) {
  DexFileSummary summary;
  summary.name = name;
  summary.origin = origin;
  Result<dex::DexFile> file = dex::DexFile::Open(bytes.bytes(), name, options.limits);
  if (!file.ok()) {
    Status s = file.status();
    if (s.file().empty()) s.InFile(name);
    report->diagnostics.AddStatus("dex.open_failed", s);
    summary.error = s.ToString();
    report->dex_files.push_back(std::move(summary));
    return;
  }
  OpenDex& d = dexes->emplace_back();
  d.bytes = std::move(bytes);
  d.file.emplace(std::move(file).value());
  d.origin = origin;
  d.summary = report->dex_files.size();
  report->dex_files.push_back(std::move(summary));
}

// Strings, class names and permission requests of one open dex file.
analysis::DexScan ScanOpenDex(const OpenDex& d,
                              const std::function<bool(std::string_view)>& interesting,
                              CodeReport* report, Diagnostics* walk_diags) {
  analysis::DexScan scan = analysis::ScanDex(*d.file, interesting, walk_diags);
  if (d.origin == "primary") {
    for (auto& site : analysis::FindPermissionRequests(*d.file, walk_diags)) {
      report->permission_requests.push_back(std::move(site));
    }
  }
  DexFileSummary& summary = report->dex_files[d.summary];
  summary.classes = scan.classes;
  summary.methods = scan.methods;
  summary.method_ids = scan.method_ids;
  summary.fields = scan.field_ids;
  summary.instructions = scan.instructions;
  summary.errors = scan.errors;
  return scan;
}

}  // namespace

// Resource strings of the app package (type "string"), default configuration, for the consent
// analysis.
analysis::ResourceStrings CollectResourceStrings(const android::ResourceTable& table) {
  analysis::ResourceStrings out;
  for (uint32_t id : table.EntryIdsOfType("string")) {
    const uint32_t package = id >> 24;
    if (package == 0 || package == 1) continue;  // shared libraries and the framework
    std::optional<android::Value> v = table.ResolveForLocale(id, android::ResConfig{});
    if (!v || v->string.empty()) continue;
    std::optional<std::string> name = table.ResourceName(id);
    if (!name) continue;
    const size_t slash = name->rfind('/');
    out.strings.push_back(
        {id, slash == std::string::npos ? *name : name->substr(slash + 1), v->string});
    if (out.strings.size() >= kMaxResourceStrings) break;
  }
  return out;
}

ApkFactsOptions CodeFactsOptions(const CodeOptions& options) {
  ApkFactsOptions fopts;
  fopts.limits = options.limits;
  fopts.read_signatures = false;  // signers are `piaudit info`'s business
  return fopts;
}

Result<CodeReport> BuildCodeReport(const std::string& apk_path, const knowledge::KnowledgeBase& kb,
                                   const CodeOptions& options) {
  ASSIGN_OR_RETURN(ApkFacts facts, ReadApkFacts(apk_path, CodeFactsOptions(options)));
  return BuildCodeReportFromFacts(std::move(facts), kb, options);
}

Result<CodeReport> BuildCodeReportFromFacts(ApkFacts facts, const knowledge::KnowledgeBase& kb,
                                            const CodeOptions& options) {
  const std::string& apk_path = facts.path;
  CodeReport report;
  report.apk = apk_path;
  report.package = facts.manifest.package;
  report.application_class = facts.manifest.application.class_name;
  report.launcher_activity = facts.manifest.launcher_activity;
  report.kb_version = kb.version().id + " " + kb.version().version;
  for (const Diagnostic& d : facts.diagnostics.items()) report.diagnostics.Add(d);

  analysis::SdkCatalog catalog(kb);
  std::unordered_set<size_t> feature_lengths;
  for (const std::string& f : catalog.feature_strings()) feature_lengths.insert(f.size());
  auto interesting = [&](std::string_view s) {
    if (s.size() < 4) return false;
    if (s.find("://") != std::string_view::npos) return true;
    if (feature_lengths.count(s.size()) && catalog.feature_strings().count(std::string(s)))
      return true;
    return analysis::LooksLikeBareHost(s);
  };

  // --- dex files: primary, then secondary payloads ---
  std::deque<OpenDex> dexes;
  std::vector<analysis::DexScan> scans;
  // Bad classes/code items found by the scan; AnalyzeCode walks the same code and reports them
  // itself, so these are kept only when it does not run.
  Diagnostics walk_diags(options.limits.max_diagnostics);
  const container::ZipArchive& zip = *facts.zip;
  if (facts.layout.primary_dex.size() > options.limits.max_dex_files) {
    report.diagnostics.Add(Severity::kWarning, "dex.too_many", apk_path, "classes*.dex", 0,
                           std::to_string(facts.layout.primary_dex.size()) +
                               " dex files; only the first " +
                               std::to_string(options.limits.max_dex_files) + " are analysed");
  }
  for (size_t i = 0; i < facts.layout.primary_dex.size() && i < options.limits.max_dex_files; ++i) {
    const std::string& name = facts.layout.primary_dex[i];
    const container::ZipEntry* entry = zip.Find(name);
    if (!entry) continue;
    Result<container::EntryData> data = zip.Read(*entry);
    if (!data.ok()) {
      report.diagnostics.AddStatus("dex.unreadable", data.status());
      report.dex_files.push_back({name, "primary", 0, 0, 0, 0, 0, 1, data.status().ToString()});
      continue;
    }
    OpenDexFile(std::move(data).value(), name, "primary", options, &report, &dexes);
  }
  uint32_t secondary_dex = 0;
  std::deque<container::EntryData> nested_storage;  // bytes nested archives view
  for (const container::LayoutEntry& e : facts.layout.secondary_code) {
    SecondaryCode sc;
    sc.entry = e.name;
    sc.type = std::string(container::FileTypeName(e.type));
    sc.size = e.uncompressed_size;
    bool is_dex = e.type == container::FileType::kDex;
    bool is_zip = e.type == container::FileType::kZip;
    if (!is_dex && !is_zip) {
      sc.note = "not a dex or archive; listed only";
    } else if (secondary_dex >= options.max_secondary_dex) {
      sc.note = "secondary dex limit reached; listed only";
    } else if (const container::ZipEntry* entry = zip.Find(e.name); entry == nullptr) {
      sc.note = "entry not found";
    } else if (Result<container::EntryData> data = zip.Read(*entry); !data.ok()) {
      sc.note = data.status().ToString();
      report.diagnostics.AddStatus("code.secondary_unreadable", data.status());
    } else if (is_dex) {
      size_t before = report.dex_files.size();
      OpenDexFile(std::move(data).value(), e.name, "secondary", options, &report, &dexes);
      ++secondary_dex;
      sc.dex_files.push_back(e.name);
      sc.analysed = report.dex_files.size() > before && report.dex_files.back().error.empty();
      if (!sc.analysed) sc.note = report.dex_files.back().error;
    } else {
      nested_storage.push_back(std::move(data).value());
      Result<container::ZipArchive> inner = container::ZipArchive::Open(
          nested_storage.back().bytes(), e.name, options.limits, &report.diagnostics);
      if (!inner.ok()) {
        sc.note = inner.status().ToString();
        report.diagnostics.AddStatus("code.secondary_unreadable", inner.status());
      } else {
        for (const container::ZipEntry& ie : inner->entries()) {
          if (!(ie.name.starts_with("classes") && ie.name.ends_with(".dex"))) continue;
          if (secondary_dex >= options.max_secondary_dex) break;
          Result<container::EntryData> idata = inner->Read(ie);
          std::string name = e.name + "!" + ie.name;
          if (!idata.ok()) {
            report.diagnostics.AddStatus("code.secondary_unreadable", idata.status());
            continue;
          }
          size_t before = report.dex_files.size();
          OpenDexFile(std::move(idata).value(), name, "secondary", options, &report, &dexes);
          ++secondary_dex;
          sc.dex_files.push_back(name);
          if (report.dex_files.size() > before && report.dex_files.back().error.empty())
            sc.analysed = true;
        }
        if (sc.dex_files.empty()) sc.note = "archive holds no classes*.dex";
      }
    }
    report.secondary_code.push_back(std::move(sc));
  }

  // --- the call-graph analysis (H6a) runs on its own threads while the dex files are scanned for
  // strings and the SDKs are attributed below: the two only read the dex files and the
  // knowledge base. Its diagnostics are kept apart and appended after the others, in the order
  // they had when it ran last. ---
  std::future<Result<analysis::CodeAnalysis>> code_analysis;
  Diagnostics analysis_diags(options.limits.max_diagnostics);
  std::vector<analysis::DexInput> inputs;
  analysis::AppComponents comps;
  analysis::ResourceStrings collected;  // when the caller gave none
  const analysis::ResourceStrings* res = options.resources ? options.resources : &collected;
  analysis::AnalysisOptions aopts;
  if (options.analyze_calls && !dexes.empty()) {
    for (const OpenDex& d : dexes) inputs.push_back({&*d.file});
    comps = analysis::ComponentsFromManifest(facts.manifest);
    if (options.resources == nullptr && facts.resources) {
      collected = CollectResourceStrings(*facts.resources);
    }
    aopts.threads = options.threads;
    aopts.framework_data_dir = kb.dir();
    code_analysis = std::async(std::launch::async, [&] {
      return analysis::AnalyzeCode(inputs, comps, *res, kb, options.limits, aopts, &analysis_diags);
    });
  }
  for (const OpenDex& d : dexes) scans.push_back(ScanOpenDex(d, interesting, &report, &walk_diags));

  // --- class names and feature sightings over all dex files ---
  std::vector<std::string> class_names;
  std::vector<analysis::StringSighting> feature_sightings;
  std::vector<Sighting> sightings;
  for (const analysis::DexScan& scan : scans) {
    class_names.insert(class_names.end(), scan.class_names.begin(), scan.class_names.end());
    for (const analysis::DexStringUse& use : scan.strings) {
      if (catalog.feature_strings().count(use.text))
        feature_sightings.push_back({use.text, use.first_class});
    }
    AddDexSightings(scan, &sightings);
  }

  // --- URLs outside the dex ---
  if (!facts.arsc_bytes.bytes().empty())
    AddBlobSightings(facts.arsc_bytes.bytes(), "resources", "resources.arsc", &sightings);
  if (!facts.manifest_bytes.bytes().empty())
    AddBlobSightings(facts.manifest_bytes.bytes(), "manifest", "AndroidManifest.xml", &sightings);
  size_t text_assets = 0;
  for (const container::LayoutEntry& a : facts.layout.assets) {
    if (!IsTextType(a.type) || a.uncompressed_size > kMaxTextAssetBytes) continue;
    if (++text_assets > kMaxTextAssets) break;
    const container::ZipEntry* entry = zip.Find(a.name);
    if (!entry) continue;
    Result<container::EntryData> data = zip.Read(*entry);
    if (!data.ok()) {
      report.diagnostics.AddStatus("code.asset_unreadable", data.status());
      continue;
    }
    AddBlobSightings(data->bytes(), "asset", a.name, &sightings);
  }
  for (const NativeLibFacts& lib : facts.native_libs) {
    if (!lib.elf) continue;
    for (const std::string& url : lib.elf->urls)
      sightings.push_back({url, url, SiteLocation{"native", lib.path, ""}, "", 1});
  }

  // --- app signals ---
  analysis::AppSignals app;
  app.package = facts.manifest.package;
  for (const android::Component& c : facts.manifest.components) {
    app.components.push_back(c.name);
    for (const android::MetaData& m : c.meta_data) app.meta_data_keys.push_back(m.name);
  }
  for (const android::MetaData& m : facts.manifest.application.meta_data)
    app.meta_data_keys.push_back(m.name);
  for (const auto& [abi, libs] : facts.layout.native_libs)
    app.native_libs.insert(app.native_libs.end(), libs.begin(), libs.end());
  for (const container::LayoutEntry& a : facts.layout.assets) app.assets.push_back(a.name);
  app.extra_packages =
      analysis::AppCodePackages(catalog, app.package, facts.manifest.application.class_name,
                                facts.manifest.launcher_activity);

  // First pass: hosts without owners, to detect SDKs; second pass with owners preferring them.
  UrlCollector first_pass(options.limits.max_reported_call_sites);
  for (const Sighting& s : sightings) first_pass.Add(s.text, "", s.where, "", s.count);
  std::vector<HostRecord> first_hosts = first_pass.Hosts();
  report.sdks = analysis::DetectSdks(catalog, app, class_names, first_hosts);
  std::unordered_set<std::string> found;
  for (const analysis::SdkFinding& f : report.sdks) found.insert(f.sdk->id);
  report.obfuscated_sdks = analysis::MatchObfuscatedSdks(catalog, feature_sightings, first_hosts,
                                                         class_names, app.components, found);

  std::vector<std::string> app_packages = {app.package};
  app_packages.insert(app_packages.end(), app.extra_packages.begin(), app.extra_packages.end());
  analysis::OwnerIndex owners(catalog, app_packages, found);
  // Renamed SDK code: a package of obfuscated classes that loads a detected SDK's own host, or
  // holds the features of an obfuscated match of medium strength, is attributed to that SDK.
  for (const HostRecord& h : first_hosts) {
    if (h.first.source != "dex") continue;
    size_t arrow = h.first.detail.find("->");
    if (arrow == std::string::npos) continue;
    std::string cls = h.first.detail.substr(0, arrow);
    if (!analysis::LooksObfuscated(cls) || owners.OwnerOf(cls) != "app") continue;
    for (const analysis::HostMatch& m : catalog.MatchHost(h.host)) {
      if (!found.count(m.sdk->id)) continue;
      std::string dot = analysis::DotClassName(cls);
      owners.AddInferredPackage(dot.substr(0, dot.rfind('.')), m.sdk->id);
      break;
    }
  }
  for (const analysis::ObfuscatedMatch& m : report.obfuscated_sdks) {
    if (m.strength < analysis::Strength::kMedium) continue;
    for (const std::string& pkg : m.packages) owners.AddInferredPackage(pkg, m.sdk->id);
  }
  UrlCollector urls(options.limits.max_reported_call_sites);
  for (const Sighting& s : sightings) {
    std::string owner = s.owner_class.empty() ? "" : std::string(owners.OwnerOf(s.owner_class));
    urls.Add(s.text, s.context, s.where, owner, s.count);
  }
  report.urls = urls.Urls();
  report.hosts = urls.Hosts();
  report.urls_dropped = urls.dropped();

  // --- packer ---
  analysis::PackerSignals ps;
  ps.application_class = facts.manifest.application.class_name;
  ps.app_component_factory = facts.manifest.application.app_component_factory;
  ps.class_names = class_names;
  ps.native_libs = app.native_libs;
  ps.assets = app.assets;
  ps.secondary_payloads = facts.layout.secondary_code.size();
  report.packer = analysis::DetectPacker(catalog.packers(), ps);

  // --- code analysis (H6a), started above ---
  if (code_analysis.valid()) {
    Result<analysis::CodeAnalysis> code = code_analysis.get();
    report.diagnostics.Merge(analysis_diags);
    if (code.ok()) {
      report.code = std::move(code).value();
      for (const analysis::SensitiveCall& c : report.code->sensitive_calls) {
        report.sensitive_calls.push_back({c, std::string(owners.OwnerOf(c.caller_class)),
                                          !owners.InferredOwner(c.caller_class).empty()});
      }
    } else {
      report.code_error = code.status().ToString();
      report.diagnostics.AddStatus("code.analysis_failed", code.status());
    }
  } else if (dexes.empty()) {
    report.code_error = "no dex file could be opened";
  }
  if (!report.code) {
    for (const Diagnostic& d : walk_diags.items()) report.diagnostics.Add(d);
  }
  return report;
}

namespace {

nlohmann::json LocationJson(const SiteLocation& l) {
  return {{"source", l.source}, {"file", l.file}, {"detail", l.detail}};
}

std::string SdkName(const knowledge::Sdk& s) {
  if (!s.zh.empty() && !s.en.empty()) return s.zh + " / " + s.en;
  return s.en.empty() ? s.zh : s.en;
}

}  // namespace

nlohmann::json CodeReportToJson(const CodeReport& r) {
  using nlohmann::json;
  json j;
  j["schema"] = kCodeSchemaId;
  j["apk"] = r.apk;
  j["package"] = r.package;
  j["kb"] = r.kb_version;

  json dex = json::array();
  for (const DexFileSummary& d : r.dex_files) {
    json o = {{"name", d.name},
              {"origin", d.origin},
              {"classes", d.classes},
              {"methods", d.methods},
              {"method_ids", d.method_ids},
              {"fields", d.fields},
              {"instructions", d.instructions},
              {"errors", d.errors}};
    if (!d.error.empty()) o["error"] = d.error;
    dex.push_back(std::move(o));
  }
  j["dex_files"] = std::move(dex);

  json sdks = json::array();
  for (const analysis::SdkFinding& f : r.sdks) {
    json ev = json::array();
    for (const analysis::SdkEvidence& e : f.evidence)
      ev.push_back({{"kind", e.kind},
                    {"detail", e.detail},
                    {"strength", analysis::StrengthName(e.strength)}});
    sdks.push_back({{"id", f.sdk->id},
                    {"name", SdkName(*f.sdk)},
                    {"category", f.sdk->category},
                    {"provider", f.sdk->provider},
                    {"strength", analysis::StrengthName(f.strength)},
                    {"classes", f.classes},
                    {"obfuscated", false},
                    {"evidence", std::move(ev)},
                    {"pi", f.sdk->pi},
                    {"privacy_policy", f.sdk->privacy_policy}});
  }
  for (const analysis::ObfuscatedMatch& m : r.obfuscated_sdks) {
    json ev = json::array();
    for (const analysis::FeatureHit& h : m.hits)
      ev.push_back({{"kind", "feature-" + h.kind},
                    {"detail", h.value + " (" + h.where + ")"},
                    {"strength", "weak"}});
    sdks.push_back({{"id", m.sdk->id},
                    {"name", SdkName(*m.sdk)},
                    {"category", m.sdk->category},
                    {"provider", m.sdk->provider},
                    {"strength", analysis::StrengthName(m.strength)},
                    {"classes", 0},
                    {"obfuscated", true},
                    {"features_matched", m.hits.size()},
                    {"features_declared", m.features_declared},
                    {"packages", m.packages},
                    {"evidence", std::move(ev)},
                    {"pi", m.sdk->pi},
                    {"privacy_policy", m.sdk->privacy_policy},
                    {"note", "matched on features that survive renaming; not certain"}});
  }
  j["sdks"] = std::move(sdks);

  if (r.packer) {
    j["packer"] = {{"id", r.packer->id},
                   {"name", r.packer->name},
                   {"evidence", r.packer->evidence},
                   {"code_visible", false},
                   {"note", r.packer->note}};
  } else {
    j["packer"] = nullptr;
  }
  j["code_visible"] = !r.packer.has_value() && r.code.has_value();

  if (r.code) {
    const analysis::ConsentGate& g = r.code->consent_gate;
    json dialog = json::array();
    for (const analysis::ConsentEvidence& e : g.dialog)
      dialog.push_back({{"kind", e.kind}, {"where", e.where}, {"text", e.text}});
    j["consent_gate"] = {{"found", g.found},
                         {"dialog", std::move(dialog)},
                         {"dialog_methods", g.dialog_methods},
                         {"agree_handlers", g.agree_handlers},
                         {"flag_key", g.flag_key},
                         {"flag_kind", g.flag_kind},
                         {"flag_writers", g.flag_writers},
                         {"flag_readers", g.flag_readers},
                         {"note", g.note}};
    const analysis::CallGraphStats& cg = r.code->call_graph;
    j["call_graph"] = {{"classes", cg.classes},
                       {"app_classes", cg.app_classes},
                       {"methods", cg.methods},
                       {"app_methods", cg.app_methods},
                       {"edges", cg.edges},
                       {"partial", cg.partial},
                       {"reachable_methods", r.code->reachable_methods},
                       {"startup_reachable_methods", r.code->startup_reachable_methods}};
    j["analysis_partial"] = r.code->partial;
    j["analysis_partial_reasons"] = r.code->partial_reasons;
  } else {
    j["consent_gate"] = nullptr;
    j["call_graph"] = nullptr;
    j["analysis_error"] = r.code_error;
  }

  json calls = json::array();
  for (const OwnedSensitiveCall& oc : r.sensitive_calls) {
    const analysis::SensitiveCall& c = oc.call;
    json chain = json::array();
    for (const analysis::ChainStep& s : c.chain)
      chain.push_back({{"method", s.method}, {"via", s.via}});
    calls.push_back({{"api", c.api},
                     {"match", analysis::MatchKindName(c.match)},
                     {"pi_type", c.pi.empty() ? "" : c.pi.front()},
                     {"pi_types", c.pi},
                     {"permissions", c.permissions},
                     {"term", c.term},
                     {"caller", c.caller},
                     {"owner", oc.owner},
                     {"owner_inferred", oc.owner_inferred},
                     {"dex_file", c.dex_file},
                     {"dex_pc", c.dex_pc},
                     {"reachable", c.reachable},
                     {"startup", c.startup_reachable},
                     {"before_consent", analysis::BeforeConsentName(c.before_consent)},
                     {"reason", c.reason},
                     {"chain", std::move(chain)}});
  }
  j["sensitive_calls"] = std::move(calls);
  j["sensitive_calls_truncated"] = r.code ? r.code->sensitive_calls_truncated : false;

  json hosts = json::array();
  for (const HostRecord& h : r.hosts) {
    hosts.push_back({{"host", h.host},
                     {"count", h.count},
                     {"owners", h.owners},
                     {"sources", h.sources},
                     {"first", LocationJson(h.first)}});
  }
  j["hosts"] = std::move(hosts);
  json requests = json::array();
  for (const analysis::PermissionRequestSite& p : r.permission_requests) {
    requests.push_back({{"caller", p.caller},
                        {"api", p.api},
                        {"dex_file", p.dex_file},
                        {"offset", p.file_offset},
                        {"permissions", p.permissions}});
  }
  j["permission_requests"] = std::move(requests);
  json urls = json::array();
  json policy = json::array();
  for (const analysis::UrlRecord& u : r.urls) {
    json o = {{"url", u.url},
              {"scheme", u.parts.scheme},
              {"host", u.parts.host},
              {"path", u.parts.path},
              {"count", u.count},
              {"owners", u.owners},
              {"first", LocationJson(u.first)},
              {"policy_candidate", u.policy_candidate}};
    if (u.policy_candidate) policy.push_back(o);
    urls.push_back(std::move(o));
  }
  j["urls"] = std::move(urls);
  j["urls_dropped"] = r.urls_dropped;
  j["policy_urls"] = std::move(policy);

  json sec = json::array();
  for (const SecondaryCode& s : r.secondary_code) {
    sec.push_back({{"entry", s.entry},
                   {"type", s.type},
                   {"size", s.size},
                   {"analysed", s.analysed},
                   {"dex_files", s.dex_files},
                   {"note", s.note}});
  }
  j["secondary_code"] = std::move(sec);

  json diags = json::array();
  for (const Diagnostic& d : r.diagnostics.items()) {
    json o = {{"severity", d.severity == Severity::kError
                               ? "error"
                               : (d.severity == Severity::kWarning ? "warning" : "info")},
              {"code", d.code},
              {"file", d.file},
              {"structure", d.structure},
              {"message", d.message},
              {"text", d.ToString()}};
    if (d.has_offset) o["offset"] = d.offset;
    diags.push_back(std::move(o));
  }
  j["diagnostics"] = std::move(diags);
  j["diagnostics_dropped"] = r.diagnostics.dropped();
  return j;
}

std::string CodeReportToText(const CodeReport& r) {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  line("apk: " + r.apk);
  line("package: " + r.package);
  for (const DexFileSummary& d : r.dex_files) {
    line("dex: " + d.name + " (" + d.origin + ") classes=" + std::to_string(d.classes) +
         " methods=" + std::to_string(d.methods) + " method_ids=" + std::to_string(d.method_ids) +
         " fields=" + std::to_string(d.fields) + (d.error.empty() ? "" : " ERROR " + d.error));
  }
  if (r.packer) {
    line("packer: " + r.packer->name + " [" + r.packer->id + "]");
    for (const std::string& e : r.packer->evidence) line("  evidence: " + e);
    line("  " + r.packer->note);
  } else {
    line("packer: none detected");
  }
  line("sdks: " + std::to_string(r.sdks.size()) + " (+" + std::to_string(r.obfuscated_sdks.size()) +
       " possible obfuscated)");
  for (const analysis::SdkFinding& f : r.sdks) {
    line("  " + f.sdk->id + " (" + SdkName(*f.sdk) + ") " +
         std::string(analysis::StrengthName(f.strength)));
    for (const analysis::SdkEvidence& e : f.evidence) line("    " + e.kind + " " + e.detail);
  }
  for (const analysis::ObfuscatedMatch& m : r.obfuscated_sdks) {
    line("  " + m.sdk->id + " (obfuscated?) " + std::string(analysis::StrengthName(m.strength)));
    for (const analysis::FeatureHit& h : m.hits)
      line("    feature-" + h.kind + " " + h.value + " (" + h.where + ")");
  }
  if (r.code) {
    line("consent gate: " + std::string(r.code->consent_gate.found ? "found" : "not found") +
         (r.code->consent_gate.flag_key.empty() ? "" : " flag=" + r.code->consent_gate.flag_key));
  } else {
    line("code analysis: unavailable (" + r.code_error + ")");
  }
  line("sensitive calls: " + std::to_string(r.sensitive_calls.size()));
  for (const OwnedSensitiveCall& c : r.sensitive_calls) {
    line("  [" + c.owner + "] " + c.call.api + " in " + c.call.caller +
         (c.call.startup_reachable ? " startup" : "") +
         " before_consent=" + std::string(analysis::BeforeConsentName(c.call.before_consent)));
  }
  line("hosts: " + std::to_string(r.hosts.size()));
  for (const HostRecord& h : r.hosts) {
    std::string owners;
    for (const std::string& o : h.owners) owners += (owners.empty() ? "" : ",") + o;
    line("  " + h.host + " x" + std::to_string(h.count) +
         (owners.empty() ? "" : " [" + owners + "]"));
  }
  for (const analysis::UrlRecord& u : r.urls)
    if (u.policy_candidate) line("policy url candidate: " + u.url);
  for (const SecondaryCode& s : r.secondary_code)
    line("secondary code: " + s.entry + " (" + s.type + ")" +
         (s.analysed ? " analysed" : " not analysed: " + s.note));
  line("diagnostics: " + std::to_string(r.diagnostics.items().size()));
  for (const Diagnostic& d : r.diagnostics.items()) line("  " + d.ToString());
  return out;
}

namespace {

struct Slice {
  std::vector<std::string> nodes;
  std::map<std::string, size_t> index;
  std::set<std::tuple<size_t, size_t, std::string>> edges;
  bool truncated = false;
};

Slice BuildSlice(const CodeReport& r, size_t max_nodes) {
  Slice s;
  auto node = [&](const std::string& name) -> std::optional<size_t> {
    auto it = s.index.find(name);
    if (it != s.index.end()) return it->second;
    if (s.nodes.size() >= max_nodes) {
      s.truncated = true;
      return std::nullopt;
    }
    s.index.emplace(name, s.nodes.size());
    s.nodes.push_back(name);
    return s.nodes.size() - 1;
  };
  for (const OwnedSensitiveCall& oc : r.sensitive_calls) {
    std::optional<size_t> prev;
    for (const analysis::ChainStep& step : oc.call.chain) {
      std::optional<size_t> cur = node(step.method);
      if (!cur) break;
      if (prev) s.edges.insert({*prev, *cur, step.via});
      prev = cur;
    }
    std::optional<size_t> caller = node(oc.call.caller);
    if (caller && prev && *prev != *caller) s.edges.insert({*prev, *caller, "invoke"});
    std::optional<size_t> api = node(oc.call.api);
    if (caller && api) s.edges.insert({*caller, *api, "sensitive"});
  }
  return s;
}

}  // namespace

nlohmann::json CallGraphToJson(const CodeReport& r, size_t max_nodes) {
  Slice s = BuildSlice(r, max_nodes);
  nlohmann::json nodes = nlohmann::json::array();
  for (size_t i = 0; i < s.nodes.size(); ++i) nodes.push_back({{"id", i}, {"method", s.nodes[i]}});
  nlohmann::json edges = nlohmann::json::array();
  for (const auto& [from, to, via] : s.edges)
    edges.push_back({{"from", from}, {"to", to}, {"via", via}});
  return {{"schema", "piaudit.callgraph/1"},
          {"slice", "sensitive-call chains"},
          {"nodes", std::move(nodes)},
          {"edges", std::move(edges)},
          {"truncated", s.truncated}};
}

std::string CallGraphToDot(const CodeReport& r, size_t max_nodes) {
  Slice s = BuildSlice(r, max_nodes);
  auto quote = [](const std::string& v) {
    std::string q = "\"";
    for (char c : v) {
      if (c == '"' || c == '\\') q += '\\';
      if (c == '\n') {
        q += "\\n";
        continue;
      }
      q += c;
    }
    return q + "\"";
  };
  std::string out = "digraph callgraph {\n  // slice: sensitive-call chains";
  out += s.truncated ? " (truncated)\n" : "\n";
  for (size_t i = 0; i < s.nodes.size(); ++i)
    out += "  n" + std::to_string(i) + " [label=" + quote(s.nodes[i]) + "];\n";
  for (const auto& [from, to, via] : s.edges)
    out += "  n" + std::to_string(from) + " -> n" + std::to_string(to) + " [label=" + quote(via) +
           "];\n";
  out += "}\n";
  return out;
}

}  // namespace piaudit::app
