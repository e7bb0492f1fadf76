// BuildCodeReport and its renderers (code_json.h). The pipeline, in order:
//   1. ReadApkFacts (manifest, layout, native libs, resources.arsc);
//   2. open every primary dex, then secondary dex/jar/apk payloads (one level deep), and scan each
//      for defined classes and the const-string sites of URL/host/feature strings;
//   3. URLs from dex, resources.arsc, the manifest, text assets and native libraries;
//   4. SDKs (knowledge-base signals), obfuscated SDKs (features), packer;
//   5. H6a's AnalyzeCode, each sensitive call attributed to the app or an SDK.
// A packed app still gets steps 1-4 (manifest components, libraries and assets name SDKs even when
// the dex is encrypted) and the report says plainly that its code is not visible.
#include "analysis/app_code.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analysis/sdk_catalog.h"
#include "analysis/sdk_version.h"
#include "analysis/strings_dex_scan.h"
#include "apk/dex_files.h"
#include "apk/resource_strings.h"
#include "base/concurrency.h"
#include "container/file_type.h"
#include "container/zip_archive.h"
#include "dex/dex_file.h"

namespace piaudit::analysis {
namespace {

using analysis::HostRecord;
using analysis::SiteLocation;
using analysis::UrlCollector;

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
                      uint32_t max_urls, std::vector<Sighting>* out) {
  for (analysis::BytesUrlHit& hit : analysis::FindUrlsInBytes(bytes, max_urls)) {
    out->push_back({std::move(hit.url), std::move(hit.context),
                    SiteLocation{source, file, Hex(hit.offset)}, "", 1});
  }
}

// Strings, class names and permission requests of one open dex file.
analysis::DexScan ScanOpenDex(const apk::OpenedDex& d,
                              const std::function<bool(std::string_view)>& interesting,
                              const knowledge::PermissionRequestApis& requests, CodeReport* report,
                              Diagnostics* walk_diags) {
  analysis::DexScan scan = analysis::ScanDex(*d.file, interesting, walk_diags);
  if (d.origin == "primary") {
    for (auto& site : analysis::FindPermissionRequests(*d.file, requests, walk_diags)) {
      report->permission_requests.push_back(std::move(site));
    }
  }
  apk::DexFileSummary& summary = report->dex_files[d.summary];
  summary.classes = scan.classes;
  summary.methods = scan.methods;
  summary.method_ids = scan.method_ids;
  summary.fields = scan.field_ids;
  summary.instructions = scan.instructions;
  summary.errors = scan.errors;
  return scan;
}

// Renamed SDK code, class by class (code_fingerprint.h): fingerprints the classes no catalogue
// prefix claims (all of them with `keep_all`), attributes the matches in `owners`, and adds a
// finding (or an evidence line) per SDK recognised.
void AttributeByFingerprint(const knowledge::KnowledgeBase& kb,
                            const std::deque<apk::OpenedDex>& dexes,
                            const std::vector<std::string>& class_names, bool keep_all,
                            analysis::OwnerIndex* owners, CodeReport* report) {
  if (kb.sdk_fingerprints().sets().empty() && !keep_all) return;
  const analysis::DefinedClasses defined(class_names.begin(), class_names.end());
  auto catalogue_owner = [&](std::string_view descriptor) {
    return owners->OwnerOfDot(analysis::DotClassName(descriptor), nullptr);
  };
  std::vector<analysis::ClassFingerprint> fingerprints;
  for (const apk::OpenedDex& d : dexes) {
    if (!d.file) continue;
    std::vector<analysis::ClassFingerprint> part =
        analysis::FingerprintClasses(*d.file, defined, [&](std::string_view descriptor) {
          return keep_all || catalogue_owner(descriptor) == "app";
        });
    for (analysis::ClassFingerprint& fp : part) fingerprints.push_back(std::move(fp));
  }
  if (keep_all) {
    // Every class is kept with its owner; only the app's go on to be matched.
    std::vector<analysis::ClassFingerprint> apps;
    for (analysis::ClassFingerprint& fp : fingerprints) {
      std::string owner(catalogue_owner(fp.descriptor));
      if (owner == "app") apps.push_back(fp);
      report->class_fingerprints.push_back({std::move(fp), std::move(owner)});
    }
    fingerprints = std::move(apps);
  }
  report->fingerprint_matches = analysis::MatchFingerprints(kb, fingerprints);
  for (const analysis::FingerprintMatch& m : report->fingerprint_matches) {
    for (const analysis::FingerprintedClass& c : m.classes)
      owners->AddFingerprintedClass(analysis::DotClassName(c.descriptor), m.sdk->id);
    // Ten classes of exact, name-independent code are as good as an unrenamed package.
    const analysis::Strength strength = m.reference_classes_matched >= 10
                                            ? analysis::Strength::kStrong
                                            : analysis::Strength::kMedium;
    analysis::SdkEvidence evidence{"fingerprint",
                                   std::to_string(m.classes.size()) + " renamed classes match " +
                                       std::to_string(m.reference_classes_matched) + " of " +
                                       std::to_string(m.reference->reference_classes) +
                                       " reference classes (" + m.reference->source + ")",
                                   strength};
    auto found = std::find_if(report->sdks.begin(), report->sdks.end(),
                              [&](const analysis::SdkFinding& f) { return f.sdk == m.sdk; });
    if (found == report->sdks.end()) {
      analysis::SdkFinding f;
      f.sdk = m.sdk;
      f.strength = strength;
      f.presence = analysis::Presence::kCode;  // fingerprints are computed from method bodies
      f.classes = m.classes.size();
      f.evidence.push_back(std::move(evidence));
      report->sdks.push_back(std::move(f));
    } else {
      found->evidence.push_back(std::move(evidence));
      found->strength = std::max(found->strength, strength);
      found->classes += m.classes.size();
      found->code_absent = false;  // its code is here, renamed
      found->presence = analysis::Presence::kCode;
    }
  }
  std::sort(report->sdks.begin(), report->sdks.end(),
            [](const analysis::SdkFinding& a, const analysis::SdkFinding& b) {
              if (a.strength != b.strength) return a.strength > b.strength;
              return a.sdk->id < b.sdk->id;
            });
}

// The owner of `cls`: an SDK only when its code is present (sdk_detect.h, Presence) or a renamed
// package was inferred for it; a class under the prefix of an SDK that is only referenced or
// declared (a broad prefix, a helper package) stays the app's, as code nobody else claims.
std::string CodeOwner(const analysis::OwnerIndex& owners,
                      const std::unordered_set<std::string>& code_sdks, std::string_view cls) {
  std::string owner(owners.OwnerOf(cls));
  if (owner == "app" || code_sdks.count(owner) || !owners.InferredOwner(cls).empty()) return owner;
  return "app";
}

}  // namespace

apk::ApkFactsOptions CodeFactsOptions(const CodeOptions& options) {
  apk::ApkFactsOptions fopts;
  fopts.limits = options.limits;
  fopts.read_signatures = false;  // signers are `piaudit info`'s business
  return fopts;
}

Result<CodeReport> BuildCodeReport(const std::string& apk_path, const knowledge::KnowledgeBase& kb,
                                   const CodeOptions& options) {
  ASSIGN_OR_RETURN(apk::ApkFacts facts, ReadApkFacts(apk_path, CodeFactsOptions(options)));
  return BuildCodeReportFromFacts(std::move(facts), kb, options);
}

Result<CodeReport> BuildCodeReportFromFacts(apk::ApkFacts facts, const knowledge::KnowledgeBase& kb,
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
  std::vector<analysis::DexScan> scans;
  // Bad classes/code items found by the scan; AnalyzeCode walks the same code and reports them
  // itself, so these are kept only when it does not run.
  Diagnostics walk_diags(options.limits.max_diagnostics);
  const container::ZipArchive& zip = *facts.zip;
  apk::ApkDexFiles code_files = apk::OpenDexFiles(facts, options.limits, &report.diagnostics);
  report.dex_files = std::move(code_files.summaries);
  report.secondary_code = std::move(code_files.secondary_code);
  const std::deque<apk::OpenedDex>& dexes = code_files.opened;

  // --- the call-graph analysis (H6a) runs on its own threads while the dex files are scanned for
  // strings and the SDKs are attributed below: the two only read the dex files and the
  // knowledge base. Its diagnostics are kept apart and appended after the others, in the order
  // they had when it ran last. ---
  std::optional<Result<analysis::CodeAnalysis>> code_analysis;
  Diagnostics analysis_diags(options.limits.max_diagnostics);
  std::vector<analysis::DexInput> inputs;
  analysis::AppComponents comps;
  apk::ResourceStrings collected;  // when the caller gave none
  const apk::ResourceStrings* res = options.resources ? options.resources : &collected;
  analysis::AnalysisOptions aopts;
  if (options.analyze_calls && !dexes.empty()) {
    for (const apk::OpenedDex& d : dexes) inputs.push_back({&*d.file});
    comps = analysis::ComponentsFromManifest(facts.manifest);
    if (options.resources == nullptr && facts.resources) {
      collected =
          apk::CollectResourceStrings(*facts.resources, options.limits.max_resource_strings);
    }
    aopts.threads = options.threads;
  }
  // A caller with no executor (a single `piaudit code` run) gets a pool of its own for this call:
  // the analysis still runs beside the string scan, as it always has.
  std::optional<ThreadPool> own_pool;
  Executor& executor = options.executor ? *options.executor : own_pool.emplace(options.threads);
  aopts.executor = &executor;
  aopts.stop = options.stop;
  const bool analyse = options.analyze_calls && !dexes.empty();
  std::optional<analysis::OwnerIndex> owner_index;
  std::unordered_set<std::string> code_sdks;  // SDKs whose code is present: the only owners
  auto analysis_task = [&] {
    if (analyse) {
      code_analysis.emplace(
          analysis::AnalyzeCode(inputs, comps, *res, kb, options.limits, aopts, &analysis_diags));
    }
  };
  auto attribution_task = [&] {
    for (const apk::OpenedDex& d : dexes) {
      scans.push_back(ScanOpenDex(d, interesting, kb.permission_requests(), &report, &walk_diags));
    }

    // --- class names and feature sightings over all dex files ---
    std::vector<std::string> class_names;
    std::vector<std::string> codeless_classes;
    std::vector<std::string> referenced_types;
    std::vector<analysis::StringSighting> feature_sightings;
    std::vector<Sighting> sightings;
    for (const analysis::DexScan& scan : scans) {
      class_names.insert(class_names.end(), scan.class_names.begin(), scan.class_names.end());
      codeless_classes.insert(codeless_classes.end(), scan.codeless_classes.begin(),
                              scan.codeless_classes.end());
      referenced_types.insert(referenced_types.end(), scan.referenced_types.begin(),
                              scan.referenced_types.end());
      for (const analysis::DexStringUse& use : scan.strings) {
        if (catalog.feature_strings().count(use.text))
          feature_sightings.push_back({use.text, use.first_class});
      }
      AddDexSightings(scan, &sightings);
    }

    // --- URLs outside the dex ---
    if (!facts.arsc_bytes.bytes().empty())
      AddBlobSightings(facts.arsc_bytes.bytes(), "resources", "resources.arsc",
                       options.limits.max_urls_per_blob, &sightings);
    if (!facts.manifest_bytes.bytes().empty())
      AddBlobSightings(facts.manifest_bytes.bytes(), "manifest", "AndroidManifest.xml",
                       options.limits.max_urls_per_blob, &sightings);
    size_t text_assets = 0;
    for (const container::LayoutEntry& a : facts.layout.assets) {
      if (!IsTextType(a.type) || a.uncompressed_size > options.limits.max_text_asset_bytes)
        continue;
      if (++text_assets > options.limits.max_text_assets) break;
      const container::ZipEntry* entry = zip.Find(a.name);
      if (!entry) continue;
      Result<container::EntryData> data = zip.Read(*entry);
      if (!data.ok()) {
        report.diagnostics.AddStatus("code.asset_unreadable", data.status());
        continue;
      }
      AddBlobSightings(data->bytes(), "asset", a.name, options.limits.max_urls_per_blob,
                       &sightings);
    }
    for (const apk::NativeLibFacts& lib : facts.native_libs) {
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
    app.codeless_classes = std::move(codeless_classes);
    // A type one dex refers to and another defines is defined (multidex splits an SDK freely).
    {
      std::unordered_set<std::string_view> defined(class_names.begin(), class_names.end());
      for (std::string& t : referenced_types) {
        if (!defined.count(t)) app.referenced_types.push_back(std::move(t));
      }
    }
    app.extra_packages =
        analysis::AppCodePackages(catalog, app.package, facts.manifest.application.class_name,
                                  facts.manifest.launcher_activity);

    // --- packer (before the SDKs: packed code hides their classes) ---
    analysis::PackerSignals ps;
    ps.application_class = facts.manifest.application.class_name;
    ps.app_component_factory = facts.manifest.application.app_component_factory;
    ps.class_names = class_names;
    ps.native_libs = app.native_libs;
    ps.assets = app.assets;
    ps.secondary_payloads = facts.layout.secondary_code.size();
    report.packer = analysis::DetectPacker(catalog.packers(), ps);
    // Manifest-only SDKs are "declared, code absent" only when the dex could have shown their code.
    app.code_visible = !class_names.empty() && !report.packer;

    // First pass: hosts without owners, to detect SDKs; second pass with owners preferring them.
    UrlCollector first_pass(kb.consent_words(), options.limits.max_reported_call_sites);
    for (const Sighting& s : sightings) first_pass.Add(s.text, "", s.where, "", s.count);
    std::vector<HostRecord> first_hosts = first_pass.Hosts();
    report.sdks = analysis::DetectSdks(catalog, app, class_names, first_hosts);
    // Only an SDK whose code is present may own call sites (sdk_detect.h, Presence); one whose
    // code is absent under its real names (declared or only referenced) may still be there
    // renamed, so it is looked for among the obfuscated packages.
    std::unordered_set<std::string> found;
    for (const analysis::SdkFinding& f : report.sdks)
      if (!f.code_absent && f.presence == analysis::Presence::kCode) found.insert(f.sdk->id);
    report.obfuscated_sdks = analysis::MatchObfuscatedSdks(catalog, feature_sightings, first_hosts,
                                                           class_names, app.components, found);
    // Renamed code of a detected SDK is its code: from medium strength on, the match's packages
    // own their classes (below), so the finding stands on code too.
    for (const analysis::ObfuscatedMatch& m : report.obfuscated_sdks) {
      if (m.strength < analysis::Strength::kMedium) continue;
      for (analysis::SdkFinding& f : report.sdks) {
        if (f.sdk == m.sdk && !f.code_absent) f.presence = analysis::Presence::kCode;
      }
    }

    std::vector<std::string> app_packages = {app.package};
    app_packages.insert(app_packages.end(), app.extra_packages.begin(), app.extra_packages.end());
    {
      std::vector<const dex::DexFile*> version_dexes;
      for (const apk::OpenedDex& d : dexes) {
        if (d.file) version_dexes.push_back(&*d.file);
      }
      analysis::ReadSdkVersions(version_dexes, analysis::CollectMetaInfVersionFiles(zip),
                                app_packages, &report.sdks);
    }
    analysis::OwnerIndex& owners = owner_index.emplace(catalog, app_packages, found);
    code_sdks = found;
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
    AttributeByFingerprint(kb, dexes, class_names, options.keep_fingerprints, &owners, &report);
    UrlCollector urls(kb.consent_words(), options.limits.max_reported_call_sites);
    for (const Sighting& s : sightings) {
      std::string owner = s.owner_class.empty() ? "" : CodeOwner(owners, code_sdks, s.owner_class);
      urls.Add(s.text, s.context, s.where, owner, s.count);
    }
    report.urls = urls.Urls();
    // Which of them is the app's privacy policy: only a URL with evidence (strings_urls.h). The
    // hosts of SDKs and of the policies SDKs publish are theirs, never the app's.
    std::unordered_map<std::string, std::string> sdk_policy_hosts;
    for (const knowledge::Sdk& sdk : kb.sdks()) {
      if (std::optional<analysis::UrlParts> p = analysis::ParseUrl(sdk.privacy_policy))
        sdk_policy_hosts.emplace(p->host, sdk.id);
    }
    analysis::PolicyUrlSite site;
    site.app_packages = app_packages;
    site.sdk_of_host = [&](std::string_view host) -> std::string {
      std::vector<analysis::HostMatch> m = catalog.MatchHost(host);
      if (!m.empty()) return m.front().sdk->id;
      auto it = sdk_policy_hosts.find(std::string(host));
      return it == sdk_policy_hosts.end() ? std::string() : it->second;
    };
    analysis::JudgePolicyUrls(site, &report.urls);
    report.hosts = urls.Hosts();
    report.urls_dropped = urls.dropped();
  };
  RunBeside(executor, analysis_task, attribution_task);
  const analysis::OwnerIndex& owners = *owner_index;

  // --- code analysis (H6a), run beside the attribution above ---
  if (code_analysis) {
    Result<analysis::CodeAnalysis> code = std::move(*code_analysis);
    report.diagnostics.Merge(analysis_diags);
    if (code.ok()) {
      report.code = std::move(code).value();
      for (const analysis::SensitiveCall& c : report.code->sensitive_calls) {
        report.sensitive_calls.push_back({c, CodeOwner(owners, code_sdks, c.caller_class),
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

}  // namespace piaudit::analysis
