// Feature matching for renamed SDKs (obfuscated_sdk.h).
#include "analysis/obfuscated_sdk.h"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace piaudit::analysis {
namespace {

// Simple name of a class: after the last '/', '.' or '$', without the trailing ';'.
std::string_view SimpleName(std::string_view name) {
  if (!name.empty() && name.back() == ';') name.remove_suffix(1);
  size_t cut = name.find_last_of("/.$");
  return cut == std::string_view::npos ? name : name.substr(cut + 1);
}

std::string PackageOf(std::string_view class_name) {
  std::string dot = DotClassName(class_name);
  size_t cut = dot.rfind('.');
  return cut == std::string::npos ? "" : dot.substr(0, cut);
}

bool HostCovers(std::string_view feature, std::string_view host) {
  return host == feature || (host.size() > feature.size() && host.ends_with(feature) &&
                             host[host.size() - feature.size() - 1] == '.');
}

}  // namespace

std::vector<ObfuscatedMatch> MatchObfuscatedSdks(
    const SdkCatalog& catalog, std::span<const StringSighting> strings,
    std::span<const HostRecord> hosts, std::span<const std::string> class_names,
    std::span<const std::string> components, const std::unordered_set<std::string>& already_found) {
  std::unordered_map<std::string_view, const StringSighting*> by_text;
  for (const StringSighting& s : strings) {
    auto [it, inserted] = by_text.emplace(s.text, &s);
    if (!inserted && it->second->first_class.empty()) it->second = &s;
  }
  // Simple names of defined classes and components; only needed when some SDK lists suffixes.
  std::unordered_map<std::string, std::string> simple_names;
  bool any_suffix = false;
  for (const knowledge::Sdk& sdk : catalog.sdks())
    any_suffix = any_suffix || !sdk.features.class_suffixes.empty();
  if (any_suffix) {
    for (const std::string& c : class_names) simple_names.emplace(SimpleName(c), c);
    for (const std::string& c : components) simple_names.emplace(SimpleName(c), c);
  }

  std::vector<ObfuscatedMatch> out;
  for (const knowledge::Sdk& sdk : catalog.sdks()) {
    if (already_found.count(sdk.id)) continue;
    const knowledge::SdkFeatures& f = sdk.features;
    ObfuscatedMatch m;
    m.sdk = &sdk;
    m.features_declared = f.strings.size() + f.hosts.size() + f.class_suffixes.size();
    if (m.features_declared == 0) continue;
    std::set<std::string> packages;
    for (const std::string& s : f.strings) {
      auto it = by_text.find(s);
      if (it == by_text.end()) continue;
      const std::string& cls = it->second->first_class;
      m.hits.push_back({"string", s, cls.empty() ? "string pool" : cls});
      if (!cls.empty()) packages.insert(PackageOf(cls));
    }
    for (const std::string& h : f.hosts) {
      for (const HostRecord& rec : hosts) {
        if (!HostCovers(h, rec.host)) continue;
        std::string where = rec.first.detail.empty() ? rec.first.file : rec.first.detail;
        m.hits.push_back({"host", h, rec.host + " in " + where});
        if (rec.first.source == "dex" && rec.first.detail.find("->") != std::string::npos)
          packages.insert(PackageOf(rec.first.detail.substr(0, rec.first.detail.find("->"))));
        break;
      }
    }
    for (const std::string& suffix : f.class_suffixes) {
      auto it = simple_names.find(std::string(SimpleName(suffix)));
      if (it == simple_names.end()) continue;
      m.hits.push_back({"class", suffix, it->second});
      packages.insert(PackageOf(it->second));
    }
    if (m.hits.empty()) continue;
    std::set<std::string> kinds;
    for (const FeatureHit& h : m.hits) kinds.insert(h.kind);
    m.strength = (m.hits.size() >= 3 || kinds.size() >= 2) ? Strength::kMedium : Strength::kWeak;
    packages.erase("");
    m.packages.assign(packages.begin(), packages.end());
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const ObfuscatedMatch& a, const ObfuscatedMatch& b) {
    if (a.hits.size() != b.hits.size()) return a.hits.size() > b.hits.size();
    return a.sdk->id < b.sdk->id;
  });
  return out;
}

}  // namespace piaudit::analysis
