// Lookups over the knowledge base's SDK and packer entries, shaped for attribution: which SDK a
// class, manifest component, meta-data key, native library, asset or host belongs to.
//
// Built from spans of knowledge::Sdk / knowledge::Packer (not from the KnowledgeBase object) so
// tests can describe a catalogue in a few lines of C++. The catalogue keeps pointers into those
// spans: the KnowledgeBase (or the test's vector) must outlive it.
//
// Matching rules (sdk-facts.md conventions):
//   - class prefixes: longest prefix on a package boundary ('.', '/', '$'); a prefix may be shared
//     by several SDKs of one vendor, so a match yields all of them.
//   - components: full class name, or ".suffix" = any name ending in that suffix (the host app's
//     package differs per app).
//   - native libraries and assets: '*' globs on the file name (assets also on the path below
//     assets/).
//   - hosts: "*.x.cn" = x.cn and any sub-domain (vendor-level); "a.x.cn" = that host and its
//     sub-domains.
#ifndef PIAUDIT_ANALYSIS_SDK_CATALOG_H_
#define PIAUDIT_ANALYSIS_SDK_CATALOG_H_

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "knowledge/knowledge_base.h"

namespace piaudit::analysis {

// "Lcom/foo/Bar$1;" -> "com.foo.Bar$1"; dot names are returned unchanged.
std::string DotClassName(std::string_view class_name);
// '*' matches any run (including empty); everything else literally, case-insensitive.
bool GlobMatch(std::string_view pattern, std::string_view text);

struct PrefixOwners {
  std::string prefix;  // dot form
  knowledge::PrefixQuality quality = knowledge::PrefixQuality::kDistinct;
  std::vector<const knowledge::Sdk*> sdks;  // declaration order
};

struct HostMatch {
  const knowledge::Sdk* sdk = nullptr;
  std::string_view pattern;   // as declared
  bool vendor_level = false;  // a "*." pattern: proves the vendor, not the product
};

class SdkCatalog {
 public:
  SdkCatalog(std::span<const knowledge::Sdk> sdks, std::span<const knowledge::Packer> packers);
  explicit SdkCatalog(const knowledge::KnowledgeBase& kb) : SdkCatalog(kb.sdks(), kb.packers()) {}

  std::span<const knowledge::Sdk> sdks() const { return sdks_; }
  std::span<const knowledge::Packer> packers() const { return packers_; }
  const knowledge::Sdk* FindSdk(std::string_view id) const;

  // Longest prefix covering `dot_name` (a dot class name), or null.
  const PrefixOwners* MatchClass(std::string_view dot_name) const;
  // SDKs naming the component: full name equal, or a ".suffix" entry the name ends with.
  std::vector<const knowledge::Sdk*> MatchComponent(std::string_view name) const;
  std::vector<const knowledge::Sdk*> MatchMetaData(std::string_view key) const;
  // `path` is "lib/<abi>/libx.so" or a bare file name.
  std::vector<const knowledge::Sdk*> MatchNativeLib(std::string_view path) const;
  // `path` is "assets/..." (the prefix is optional).
  std::vector<const knowledge::Sdk*> MatchAsset(std::string_view path) const;
  std::vector<HostMatch> MatchHost(std::string_view host) const;

  // Every SdkFeatures::strings value of every SDK (for a one-pass filter over dex strings).
  const std::unordered_set<std::string>& feature_strings() const { return feature_strings_; }

 private:
  std::span<const knowledge::Sdk> sdks_;
  std::span<const knowledge::Packer> packers_;
  std::vector<PrefixOwners> prefixes_;
  std::unordered_map<std::string, size_t> prefix_index_;  // dot prefix -> prefixes_ index
  std::unordered_map<std::string, std::vector<const knowledge::Sdk*>> meta_index_;
  std::unordered_map<std::string, std::vector<const knowledge::Sdk*>> component_exact_;
  std::vector<std::pair<std::string, const knowledge::Sdk*>> component_suffixes_;
  std::unordered_set<std::string> feature_strings_;
};

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_SDK_CATALOG_H_
