// SDK detection: gather raw evidence per catalogue key, then hand each piece to the SDKs that key
// names (see sdk_detect.h for the strength rules and the shared-key rule).
#include "analysis/sdk_detect.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

namespace piaudit::analysis {
namespace {

using knowledge::PrefixQuality;
using knowledge::Sdk;

// Items of one kind kept per finding; a library with 300 components needs only a few examples.
constexpr size_t kMaxEvidencePerKind = 5;

struct RawEvidence {
  std::vector<const Sdk*> owners;
  SdkEvidence evidence;
  uint64_t classes = 0;
  // Defined classes with code behind this evidence that make its owner's presence `code`.
  uint64_t code_classes = 0;
  bool in_dex = false;  // seen in the dex itself (classes, types, strings), not the manifest
};

// The first of `sdk`'s class patterns found in `dot_name` (ClassPatternFound), or null.
const std::string* FirstClassPattern(const Sdk& sdk, std::string_view dot_name) {
  for (const std::string& pat : sdk.class_patterns) {
    if (ClassPatternFound(pat, dot_name)) return &pat;
  }
  return nullptr;
}

bool InPackage(std::string_view dot_name, std::string_view package) {
  return !package.empty() && dot_name.size() > package.size() && dot_name.starts_with(package) &&
         dot_name[package.size()] == '.';
}

std::string JoinIds(const std::vector<const Sdk*>& sdks, size_t skip_first) {
  std::string out;
  for (size_t i = skip_first; i < sdks.size(); ++i) {
    if (!out.empty()) out += ", ";
    out += sdks[i]->id;
  }
  return out;
}

// "com.umeng.analytics, com.umeng.commonsdk, ..." (the first few prefixes of `sdk`).
std::string PrefixList(const Sdk& sdk) {
  constexpr size_t kShown = 3;
  std::string out;
  for (size_t i = 0; i < sdk.prefixes.size() && i < kShown; ++i) {
    out += (i == 0 ? "" : ", ") + sdk.prefixes[i].prefix;
  }
  if (sdk.prefixes.size() > kShown) out += ", ...";
  return out;
}

// True when `f` rests on the manifest alone (meta-data keys, components) although its SDK has
// package prefixes that would show its code, and no declared component class is defined in the
// dex. `dot_classes` (the defined classes in dot form) is filled on first use.
bool DeclaredCodeAbsent(const SdkFinding& f, std::span<const std::string> class_names,
                        std::unordered_set<std::string>* dot_classes) {
  if (f.sdk == nullptr || f.sdk->prefixes.empty() || class_names.empty()) return false;
  for (const SdkEvidence& e : f.evidence) {
    if (e.kind != "meta-data" && e.kind != "component") return false;
  }
  if (dot_classes->empty()) {
    for (const std::string& name : class_names) dot_classes->insert(DotClassName(name));
  }
  for (const SdkEvidence& e : f.evidence) {
    // The detail is the class name, perhaps followed by " (vendor-level; ...)".
    if (e.kind == "component" && dot_classes->count(e.detail.substr(0, e.detail.find(' '))))
      return false;
  }
  return true;
}

}  // namespace

std::string_view PresenceName(Presence p) {
  switch (p) {
    case Presence::kDeclared:
      return "declared";
    case Presence::kReferenced:
      return "referenced";
    case Presence::kCode:
      return "code";
  }
  return "declared";
}

// Exodus semantics (exodus-core searches its signatures as regular expressions): `pattern` occurs
// anywhere in the name, '.' matching any one character. Patterns are short and few (kb check
// rejects ones with fewer than 4 non-dot characters), so the naive search is cheap.
bool ClassPatternFound(std::string_view pattern, std::string_view dot_name) {
  if (pattern.empty() || pattern.size() > dot_name.size()) return false;
  for (size_t at = 0; at + pattern.size() <= dot_name.size(); ++at) {
    size_t k = 0;
    while (k < pattern.size() && (pattern[k] == '.' || pattern[k] == dot_name[at + k])) ++k;
    if (k == pattern.size()) return true;
  }
  return false;
}

std::string_view StrengthName(Strength s) {
  switch (s) {
    case Strength::kWeak:
      return "weak";
    case Strength::kMedium:
      return "medium";
    case Strength::kStrong:
      return "strong";
  }
  return "weak";
}

OwnerIndex::OwnerIndex(const SdkCatalog& catalog, std::vector<std::string> app_packages,
                       std::unordered_set<std::string> preferred)
    : catalog_(catalog), app_packages_(std::move(app_packages)), preferred_(std::move(preferred)) {}

std::string_view OwnerIndex::OwnerOfDot(std::string_view dot_name,
                                        const PrefixOwners** entry_out) const {
  const PrefixOwners* entry = catalog_.MatchClass(dot_name);
  if (entry_out) *entry_out = nullptr;
  if (entry == nullptr || entry->sdks.empty()) return "app";
  for (const std::string& pkg : app_packages_) {
    if (InPackage(dot_name, pkg) && entry->prefix.size() <= pkg.size()) return "app";
  }
  if (entry_out) *entry_out = entry;
  for (const Sdk* s : entry->sdks) {
    if (preferred_.count(s->id)) return s->id;
  }
  return entry->sdks.front()->id;
}

std::vector<std::string> AppCodePackages(const SdkCatalog& catalog, std::string_view package,
                                         std::string_view application_class,
                                         std::string_view launcher_activity) {
  std::vector<std::string> out;
  for (std::string_view cls : {application_class, launcher_activity}) {
    size_t dot = cls.rfind('.');
    if (dot == std::string_view::npos || dot == 0) continue;
    std::string pkg(cls.substr(0, dot));
    if (pkg == package || InPackage(pkg, package)) continue;
    if (std::find(out.begin(), out.end(), pkg) != out.end()) continue;
    const PrefixOwners* entry = catalog.MatchClass(cls);
    if (entry && entry->quality == PrefixQuality::kDistinct) continue;
    out.push_back(std::move(pkg));
  }
  return out;
}

std::string_view OwnerIndex::OwnerOf(std::string_view class_name) const {
  std::string dot = DotClassName(class_name);
  std::string_view owner = OwnerOfDot(dot, nullptr);
  if (owner != "app" || (inferred_.empty() && fingerprinted_.empty())) return owner;
  std::string_view inferred = InferredOwner(dot);
  return inferred.empty() ? owner : inferred;
}

bool OwnerIndex::InAppPackage(std::string_view dot_name) const {
  for (const std::string& pkg : app_packages_) {
    if (dot_name == pkg || InPackage(dot_name, pkg)) return true;
  }
  return false;
}

void OwnerIndex::AddInferredPackage(std::string dot_package, std::string sdk_id) {
  if (dot_package.empty() || InAppPackage(dot_package)) return;
  inferred_.emplace(std::move(dot_package), std::move(sdk_id));
}

void OwnerIndex::AddFingerprintedClass(std::string dot_class, std::string sdk_id) {
  fingerprinted_.emplace(std::move(dot_class), std::move(sdk_id));
}

std::string_view OwnerIndex::InferredOwner(std::string_view class_name) const {
  if (inferred_.empty() && fingerprinted_.empty()) return "";
  std::string dot = DotClassName(class_name);
  if (auto it = fingerprinted_.find(dot); it != fingerprinted_.end()) {
    // The catalogue names the real SDKs' packages; a class under one is that SDK's, not renamed.
    if (OwnerOfDot(dot, nullptr) == "app") return it->second;
  }
  if (inferred_.empty()) return "";
  if (catalog_.MatchClass(dot) != nullptr) return "";
  size_t cut = dot.rfind('.');
  if (cut == std::string::npos) return "";
  auto it = inferred_.find(dot.substr(0, cut));
  return it == inferred_.end() ? std::string_view() : std::string_view(it->second);
}

bool LooksObfuscated(std::string_view class_name) {
  std::string dot = DotClassName(class_name);
  size_t cut = dot.rfind('.');
  if (cut == std::string::npos || cut == 0) return false;
  std::string_view simple = std::string_view(dot).substr(cut + 1);
  size_t dollar = simple.find('$');
  if (dollar != std::string_view::npos) simple = simple.substr(0, dollar);
  std::string_view pkg = std::string_view(dot).substr(0, cut);
  size_t pcut = pkg.rfind('.');
  std::string_view last = pcut == std::string_view::npos ? pkg : pkg.substr(pcut + 1);
  return !simple.empty() && simple.size() <= 2 && !last.empty() && last.size() <= 2;
}

std::vector<SdkFinding> DetectSdks(const SdkCatalog& catalog, const AppSignals& app,
                                   std::span<const std::string> class_names,
                                   std::span<const HostRecord> hosts) {
  std::vector<RawEvidence> raws;

  // 1. Package prefixes of defined classes, counted per prefix.
  std::vector<std::string> app_packages = {app.package};
  app_packages.insert(app_packages.end(), app.extra_packages.begin(), app.extra_packages.end());
  OwnerIndex owners(catalog, app_packages);
  std::unordered_set<std::string_view> codeless(app.codeless_classes.begin(),
                                                app.codeless_classes.end());
  std::map<const PrefixOwners*, uint64_t> prefix_counts, prefix_code;
  std::vector<const Sdk*> pattern_sdks;
  for (const Sdk& sdk : catalog.sdks())
    if (!sdk.class_patterns.empty()) pattern_sdks.push_back(&sdk);
  std::map<const Sdk*, std::pair<uint64_t, uint64_t>> pattern_counts;  // classes, with code
  std::map<const Sdk*, std::string> pattern_example;
  for (const std::string& name : class_names) {
    const PrefixOwners* entry = nullptr;
    std::string dot = DotClassName(name);
    owners.OwnerOfDot(dot, &entry);
    const bool has_code = codeless.count(name) == 0;
    if (entry) {
      ++prefix_counts[entry];
      if (has_code) ++prefix_code[entry];
    }
    for (const Sdk* sdk : pattern_sdks) {
      const std::string* pat = FirstClassPattern(*sdk, dot);
      if (!pat) continue;
      auto& [n, with_code] = pattern_counts[sdk];
      ++n;
      if (has_code) ++with_code;
      if (pattern_example[sdk].empty()) pattern_example[sdk] = *pat + " in " + dot;
    }
  }
  for (const auto& [sdk, counts] : pattern_counts) {
    RawEvidence r;
    r.owners = {sdk};
    r.evidence = {"class-pattern",
                  pattern_example[sdk] + " (" + std::to_string(counts.first) + " classes)",
                  Strength::kWeak};
    r.classes = counts.first;
    r.code_classes = counts.second;
    raws.push_back(std::move(r));
  }
  // Referenced, not defined: a weak sign, and never code.
  std::map<const PrefixOwners*, std::pair<uint64_t, std::string>> referenced;
  std::map<const Sdk*, std::pair<uint64_t, std::string>> referenced_patterns;
  for (const std::string& name : app.referenced_types) {
    const PrefixOwners* entry = nullptr;
    std::string dot = DotClassName(name);
    owners.OwnerOfDot(dot, &entry);
    if (entry) {
      auto& [n, example] = referenced[entry];
      if (n++ == 0) example = dot;
    }
    for (const Sdk* sdk : pattern_sdks) {
      const std::string* pat = FirstClassPattern(*sdk, dot);
      if (!pat) continue;
      auto& [n, example] = referenced_patterns[sdk];
      if (n++ == 0) example = *pat + " in " + dot;
    }
  }
  for (const auto& [entry, ref] : referenced) {
    raws.push_back({entry->sdks,
                    {"reference",
                     entry->prefix + " (" + std::to_string(ref.first) +
                         " types referenced, not defined, e.g. " + ref.second + ")",
                     Strength::kWeak},
                    0,
                    0});
  }
  for (const auto& [sdk, ref] : referenced_patterns) {
    raws.push_back(
        {{sdk},
         {"reference",
          ref.second + " (" + std::to_string(ref.first) + " types referenced, not defined)",
          Strength::kWeak},
         0,
         0});
  }
  for (const auto& [entry, count] : prefix_counts) {
    RawEvidence r;
    r.owners = entry->sdks;
    r.evidence.kind = "prefix";
    r.evidence.detail =
        entry->prefix + " (" + std::to_string(count) + " classes" +
        (entry->quality == PrefixQuality::kDistinct
             ? ")"
             : ", " + std::string(knowledge::PrefixQualityName(entry->quality)) + " prefix)");
    r.evidence.strength =
        entry->quality == PrefixQuality::kDistinct ? Strength::kStrong : Strength::kWeak;
    r.classes = count;
    // A broad prefix is too general to say whose code it is (sdk-facts.md).
    if (entry->quality != PrefixQuality::kBroad) r.code_classes = prefix_code[entry];
    raws.push_back(std::move(r));
  }

  // 2. Manifest components: declared names, else the package prefix of the component class
  // (this still works when the code is packed and the classes are not visible).
  for (const std::string& name : app.components) {
    std::vector<const Sdk*> named = catalog.MatchComponent(name);
    if (!named.empty()) {
      raws.push_back({named, {"component", name, Strength::kStrong}, 0, 0});
      continue;
    }
    const PrefixOwners* entry = nullptr;
    owners.OwnerOfDot(name, &entry);
    if (entry) {
      Strength s = entry->quality == PrefixQuality::kDistinct ? Strength::kStrong : Strength::kWeak;
      raws.push_back({entry->sdks, {"component", name, s}, 0, 0});
    }
  }

  // 3. Meta-data keys.
  std::set<std::string> seen_meta;
  for (const std::string& key : app.meta_data_keys) {
    if (!seen_meta.insert(key).second) continue;
    std::vector<const Sdk*> named = catalog.MatchMetaData(key);
    if (!named.empty()) raws.push_back({named, {"meta-data", key, Strength::kStrong}, 0, 0});
  }

  // 4. Native libraries (one piece of evidence per file name, whatever the ABI count).
  std::set<std::string> seen_libs;
  for (const std::string& path : app.native_libs) {
    size_t slash = path.rfind('/');
    std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
    if (!seen_libs.insert(file).second) continue;
    std::vector<const Sdk*> named = catalog.MatchNativeLib(path);
    if (!named.empty()) raws.push_back({named, {"native-lib", path, Strength::kMedium}, 0, 0});
  }

  // 5. Assets.
  for (const std::string& path : app.assets) {
    std::vector<const Sdk*> named = catalog.MatchAsset(path);
    if (!named.empty()) raws.push_back({named, {"asset", path, Strength::kMedium}, 0, 0});
  }

  // 6. Hosts in strings.
  for (const HostRecord& h : hosts) {
    std::vector<HostMatch> matches = catalog.MatchHost(h.host);
    if (matches.empty()) continue;
    std::string where = h.first.detail.empty() ? h.first.file : h.first.detail;
    bool vendor = std::all_of(matches.begin(), matches.end(),
                              [](const HostMatch& m) { return m.vendor_level; });
    std::vector<const Sdk*> named;
    for (const HostMatch& m : matches) named.push_back(m.sdk);
    raws.push_back({named,
                    {"host", h.host + " in " + where, vendor ? Strength::kWeak : Strength::kMedium},
                    0,
                    0});
    raws.back().in_dex = h.first.source == "dex";
  }

  // Assignment: single-owner keys first, then shared keys to owners that already have evidence.
  std::map<const Sdk*, SdkFinding> findings;
  std::map<std::pair<const Sdk*, std::string>, size_t> omitted;
  std::map<const Sdk*, uint64_t> code_classes;
  std::set<const Sdk*> named_in_dex;  // evidence from the dex itself (classes, types, strings)
  auto give = [&](const Sdk* sdk, const SdkEvidence& ev, const RawEvidence& raw) {
    SdkFinding& f = findings[sdk];
    f.sdk = sdk;
    f.classes += raw.classes;
    code_classes[sdk] += raw.code_classes;
    if (raw.in_dex || ev.kind == "prefix" || ev.kind == "class-pattern" || ev.kind == "reference")
      named_in_dex.insert(sdk);
    size_t same_kind = std::count_if(f.evidence.begin(), f.evidence.end(),
                                     [&](const SdkEvidence& e) { return e.kind == ev.kind; });
    if (same_kind >= kMaxEvidencePerKind) {
      ++omitted[{sdk, ev.kind}];
      if (ev.strength > f.strength) f.strength = ev.strength;
      return;
    }
    f.evidence.push_back(ev);
  };
  for (const RawEvidence& r : raws) {
    if (r.owners.size() == 1) give(r.owners.front(), r.evidence, r);
  }
  // Stronger shared evidence first, so a shared distinct prefix settles ownership before hosts.
  std::vector<const RawEvidence*> shared;
  for (const RawEvidence& r : raws)
    if (r.owners.size() > 1) shared.push_back(&r);
  std::stable_sort(shared.begin(), shared.end(), [](const RawEvidence* a, const RawEvidence* b) {
    return a->evidence.strength > b->evidence.strength;
  });
  for (const RawEvidence* r : shared) {
    bool given = false;
    for (const Sdk* sdk : r->owners) {
      if (findings.count(sdk)) {
        give(sdk, r->evidence, *r);
        given = true;
      }
    }
    if (!given) {
      SdkEvidence ev = r->evidence;
      ev.detail += " (vendor-level; also declared by " + JoinIds(r->owners, 1) + ")";
      if (ev.strength == Strength::kStrong) ev.strength = Strength::kMedium;
      give(r->owners.front(), ev, *r);
    }
  }

  std::vector<SdkFinding> out;
  std::unordered_set<std::string> dot_classes;  // filled on first use
  for (auto& [sdk, f] : findings) {
    std::set<std::string> kinds, medium_kinds;
    Strength best = f.strength;
    for (const SdkEvidence& e : f.evidence) {
      kinds.insert(e.kind);
      if (e.strength == Strength::kMedium) medium_kinds.insert(e.kind);
      if (e.strength > best) best = e.strength;
    }
    // Agreement of independent signals: two kinds of weak evidence make medium, two kinds of
    // medium evidence make strong.
    if (best == Strength::kWeak && kinds.size() >= 2) best = Strength::kMedium;
    if (best == Strength::kMedium && medium_kinds.size() >= 2) best = Strength::kStrong;
    f.strength = best;
    f.presence = code_classes[sdk] > 0     ? Presence::kCode
                 : named_in_dex.count(sdk) ? Presence::kReferenced
                                           : Presence::kDeclared;
    if (app.code_visible && DeclaredCodeAbsent(f, class_names, &dot_classes)) {
      f.code_absent = true;
      f.strength = Strength::kWeak;
      // First, so a reader (and a finding that shows a few refs) sees it before the keys.
      f.evidence.insert(f.evidence.begin(),
                        {"code-absent",
                         "declared, code absent: the manifest names it, but no class of " +
                             PrefixList(*f.sdk) + " is in the dex",
                         Strength::kWeak});
    }
    for (const auto& [key, n] : omitted) {
      if (key.first == sdk) {
        f.evidence.push_back(
            {key.second, "... and " + std::to_string(n) + " more", Strength::kWeak});
      }
    }
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const SdkFinding& a, const SdkFinding& b) {
    if (a.strength != b.strength) return a.strength > b.strength;
    return a.sdk->id < b.sdk->id;
  });
  return out;
}

}  // namespace piaudit::analysis
