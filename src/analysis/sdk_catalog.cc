// SdkCatalog: hash indexes built once per scan over the (small, ~200 entry) SDK catalogue.
#include "analysis/sdk_catalog.h"

#include <algorithm>

namespace piaudit::analysis {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

void AddUnique(std::vector<const knowledge::Sdk*>* v, const knowledge::Sdk* s) {
  if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
}

}  // namespace

std::string DotClassName(std::string_view name) {
  if (name.size() >= 2 && name.front() == 'L' && name.back() == ';') {
    name = name.substr(1, name.size() - 2);
  }
  std::string out(name);
  std::replace(out.begin(), out.end(), '/', '.');
  return out;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative wildcard match with one backtrack point: linear in practice, no recursion.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && Lower(pattern[p]) == Lower(text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

SdkCatalog::SdkCatalog(std::span<const knowledge::Sdk> sdks,
                       std::span<const knowledge::Packer> packers)
    : sdks_(sdks), packers_(packers) {
  for (const knowledge::Sdk& sdk : sdks_) {
    for (const knowledge::SdkPrefix& p : sdk.prefixes) {
      auto [it, inserted] = prefix_index_.try_emplace(p.prefix, prefixes_.size());
      if (inserted) prefixes_.push_back(PrefixOwners{p.prefix, p.quality, {}});
      PrefixOwners& owners = prefixes_[it->second];
      // The weakest declared quality wins: one SDK calling it shared makes it shared for all.
      if (static_cast<int>(p.quality) > static_cast<int>(owners.quality))
        owners.quality = p.quality;
      AddUnique(&owners.sdks, &sdk);
    }
    for (const std::string& key : sdk.meta_data) AddUnique(&meta_index_[key], &sdk);
    for (const std::string& c : sdk.components) {
      if (!c.empty() && c.front() == '.') {
        component_suffixes_.emplace_back(c, &sdk);
      } else {
        AddUnique(&component_exact_[c], &sdk);
      }
    }
    for (const std::string& s : sdk.features.strings) {
      if (!s.empty()) feature_strings_.insert(s);
    }
  }
}

const knowledge::Sdk* SdkCatalog::FindSdk(std::string_view id) const {
  for (const knowledge::Sdk& s : sdks_)
    if (s.id == id) return &s;
  return nullptr;
}

const PrefixOwners* SdkCatalog::MatchClass(std::string_view dot_name) const {
  if (prefix_index_.empty()) return nullptr;
  // Candidates end at each boundary ('.', '$') or at the end of the name; try the longest first.
  std::string key(dot_name);
  size_t end = key.size();
  while (true) {
    auto it = prefix_index_.find(key.substr(0, end));
    if (it != prefix_index_.end()) return &prefixes_[it->second];
    size_t b = key.find_last_of(".$", end == 0 ? 0 : end - 1);
    if (b == std::string::npos || b == 0) return nullptr;
    end = b;
  }
}

std::vector<const knowledge::Sdk*> SdkCatalog::MatchComponent(std::string_view name) const {
  std::vector<const knowledge::Sdk*> out;
  auto it = component_exact_.find(std::string(name));
  if (it != component_exact_.end()) out = it->second;
  for (const auto& [suffix, sdk] : component_suffixes_) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) AddUnique(&out, sdk);
  }
  return out;
}

std::vector<const knowledge::Sdk*> SdkCatalog::MatchMetaData(std::string_view key) const {
  auto it = meta_index_.find(std::string(key));
  return it == meta_index_.end() ? std::vector<const knowledge::Sdk*>{} : it->second;
}

std::vector<const knowledge::Sdk*> SdkCatalog::MatchNativeLib(std::string_view path) const {
  std::vector<const knowledge::Sdk*> out;
  std::string_view file = BaseName(path);
  for (const knowledge::Sdk& sdk : sdks_) {
    for (const std::string& pat : sdk.native_libs) {
      if (GlobMatch(pat, file)) {
        AddUnique(&out, &sdk);
        break;
      }
    }
  }
  return out;
}

std::vector<const knowledge::Sdk*> SdkCatalog::MatchAsset(std::string_view path) const {
  std::vector<const knowledge::Sdk*> out;
  std::string_view rel = path.starts_with("assets/") ? path.substr(7) : path;
  std::string_view file = BaseName(path);
  for (const knowledge::Sdk& sdk : sdks_) {
    for (const std::string& pat : sdk.assets) {
      if (GlobMatch(pat, rel) || GlobMatch(pat, file)) {
        AddUnique(&out, &sdk);
        break;
      }
    }
  }
  return out;
}

std::vector<HostMatch> SdkCatalog::MatchHost(std::string_view host) const {
  std::vector<HostMatch> out;
  auto covers = [&](std::string_view domain) {
    return host == domain || (host.size() > domain.size() && host.ends_with(domain) &&
                              host[host.size() - domain.size() - 1] == '.');
  };
  for (const knowledge::Sdk& sdk : sdks_) {
    for (const std::string& pat : sdk.hosts) {
      bool wildcard = pat.starts_with("*.");
      std::string_view domain = wildcard ? std::string_view(pat).substr(2) : std::string_view(pat);
      if (!domain.empty() && covers(domain)) {
        out.push_back(HostMatch{&sdk, pat, wildcard});
        break;
      }
    }
    if (out.empty() || out.back().sdk != &sdk) {
      for (const std::string& h : sdk.features.hosts) {
        if (covers(h)) {
          out.push_back(HostMatch{&sdk, h, false});
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace piaudit::analysis
