// Packer fingerprints matched against the app's classes, manifest and files (packer_detect.h).
#include "analysis/packer_detect.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "analysis/sdk_catalog.h"

namespace piaudit::analysis {
namespace {

// Evidence strings kept per kind; a stub package may hold dozens of classes.
constexpr size_t kMaxClassEvidence = 3;
// Below this many defined classes a dex is a loader stub, not an app.
constexpr uint64_t kStubClassCount = 40;

bool CoversClass(std::string_view prefix, std::string_view dot_name) {
  return dot_name == prefix || (dot_name.size() > prefix.size() && dot_name.starts_with(prefix) &&
                                (dot_name[prefix.size()] == '.' || dot_name[prefix.size()] == '$'));
}

std::string NameOf(const knowledge::Packer& p) {
  if (!p.zh.empty() && !p.en.empty()) return p.zh + " / " + p.en;
  return p.en.empty() ? (p.zh.empty() ? p.id : p.zh) : p.en;
}

}  // namespace

std::optional<PackerFinding> DetectPacker(std::span<const knowledge::Packer> packers,
                                          const PackerSignals& signals) {
  std::vector<std::string> dot_classes;
  dot_classes.reserve(signals.class_names.size());
  for (const std::string& c : signals.class_names) dot_classes.push_back(DotClassName(c));

  std::optional<PackerFinding> best;
  for (const knowledge::Packer& p : packers) {
    PackerFinding f;
    f.id = p.id;
    f.name = NameOf(p);
    for (const std::string& app_class : p.application_classes) {
      if (!signals.application_class.empty() && signals.application_class == app_class)
        f.evidence.push_back("application class " + app_class);
      if (!signals.app_component_factory.empty() && signals.app_component_factory == app_class)
        f.evidence.push_back("appComponentFactory " + app_class);
    }
    size_t class_hits = 0;
    for (const std::string& prefix : p.classes) {
      for (const std::string& c : dot_classes) {
        if (!CoversClass(prefix, c)) continue;
        if (class_hits++ < kMaxClassEvidence) f.evidence.push_back("stub class " + c);
      }
      if (CoversClass(prefix, signals.application_class) &&
          std::find(p.application_classes.begin(), p.application_classes.end(),
                    signals.application_class) == p.application_classes.end()) {
        f.evidence.push_back("application class " + signals.application_class);
      }
    }
    if (class_hits > kMaxClassEvidence)
      f.evidence.push_back("... and " + std::to_string(class_hits - kMaxClassEvidence) +
                           " more stub classes");
    std::set<std::string> seen_libs;
    for (const std::string& lib : signals.native_libs) {
      size_t slash = lib.rfind('/');
      std::string file = slash == std::string::npos ? lib : lib.substr(slash + 1);
      for (const std::string& pat : p.native_libs) {
        if (GlobMatch(pat, file) && seen_libs.insert(file).second)
          f.evidence.push_back("native lib " + lib);
      }
    }
    for (const std::string& asset : signals.assets) {
      std::string_view rel = std::string_view(asset).substr(asset.starts_with("assets/") ? 7 : 0);
      size_t slash = asset.rfind('/');
      std::string_view file = slash == std::string::npos
                                  ? std::string_view(asset)
                                  : std::string_view(asset).substr(slash + 1);
      for (const std::string& pat : p.assets) {
        if (GlobMatch(pat, rel) || GlobMatch(pat, file)) {
          f.evidence.push_back("asset " + asset);
          break;
        }
      }
    }
    if (f.evidence.empty()) continue;
    if (!best || f.evidence.size() > best->evidence.size()) best = std::move(f);
  }

  // Generic shape: the Application class the manifest names is missing from a tiny dex, and
  // something else in the APK carries code. Apps with no custom Application are not judged.
  if (!best && !signals.application_class.empty() && signals.class_names.size() < kStubClassCount) {
    bool defined = std::find(dot_classes.begin(), dot_classes.end(), signals.application_class) !=
                   dot_classes.end();
    if (!defined && signals.secondary_payloads > 0) {
      PackerFinding f;
      f.id = "unknown";
      f.name = "unknown packer";
      f.evidence.push_back("application class " + signals.application_class +
                           " is not defined in any dex");
      f.evidence.push_back("only " + std::to_string(signals.class_names.size()) +
                           " classes defined; " + std::to_string(signals.secondary_payloads) +
                           " secondary code payload(s)");
      best = std::move(f);
    }
  }
  if (best) best->note = kPackedCodeNote;
  return best;
}

}  // namespace piaudit::analysis
