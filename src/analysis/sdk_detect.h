// Which third-party SDKs an app embeds (IM-2.1, IM-5.1), from every signal the knowledge base
// describes, each finding with its evidence and a strength; and who owns a given class (the app
// or an SDK), so every call site in a report is attributable.
//
// Strength, per evidence (sdk-facts.md conventions):
//   strong: a distinct package prefix with defined classes, a manifest component or meta-data key
//           declared for that SDK;
//   medium: a native library or asset named for it, a product-level host;
//   weak:   a shared or broad prefix, a vendor-level ("*.") host, an obfuscation feature.
// A finding takes its strongest evidence; two kinds of weak evidence make medium, two kinds of
// medium evidence make strong. A key several SDKs share (cn.jiguang, *.umeng.com) goes to those of
// its owners that have other evidence; when none has, to the first owner, marked vendor-level.
//
// Presence, what a finding stands on (issue 17), independent of strength:
//   code:       defined classes with at least one method with code, under a distinct or shared
//               prefix of the SDK or matching one of its class_patterns;
//   referenced: the dex names it but defines no code of it: types it refers to and does not define,
//               classes without code (interfaces, stubs), classes only under a broad prefix, its
//               hosts or feature strings;
//   declared:   only the manifest (components, meta-data) or the archive (native libraries,
//               assets) names it.
// Only a `code` finding may own call sites (app_code.cc): an SDK that is referenced or declared
// has no code of its own to make the calls. Class patterns (Exodus signatures that are not
// package names, ".sizmek.") are weak evidence and never own a class.
//
// Declared, code absent: an SDK seen only in the manifest (meta-data keys, components whose
// classes are not in the dex) while its package prefixes define no class in readable, unpacked
// code is weak whatever the manifest says, and flagged `code_absent`: a copied manifest or a
// removed library leaves the keys behind, and keys collect nothing (cnzz-demo.apk declares
// UMENG_APPKEY and three Umeng activities with no Umeng class at all).
#ifndef PIAUDIT_ANALYSIS_SDK_DETECT_H_
#define PIAUDIT_ANALYSIS_SDK_DETECT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analysis/sdk_catalog.h"
#include "analysis/strings_urls.h"

namespace piaudit::analysis {

enum class Strength : uint8_t { kWeak, kMedium, kStrong };
std::string_view StrengthName(Strength s);  // "weak", "medium", "strong"

enum class Presence : uint8_t { kDeclared, kReferenced, kCode };
std::string_view PresenceName(Presence p);  // "declared", "referenced", "code"

// True when a knowledge::Sdk class pattern occurs in `dot_name` ('.' matches any character).
bool ClassPatternFound(std::string_view pattern, std::string_view dot_name);

struct SdkEvidence {
  std::string kind;    // "prefix", "class-pattern", "reference", "component", "meta-data",
                       // "native-lib", "asset", "host", "feature"
  std::string detail;  // "cn.jpush.android (312 classes)", "JPUSH_APPKEY", ...
  Strength strength = Strength::kWeak;
};

// The SDK's own version string and where it was read (sdk_version.h). Empty `version`: unknown.
struct SdkVersionReading {
  std::string version;  // printable ASCII, at most kMaxSdkVersionBytes
  std::string how;      // "field", "method", "build-config", "meta-inf"
  std::string file;  // "classes2.dex", "META-INF/com.google.android.gms_play-services-ads.version"
  std::string location;  // "Lcom/x/Y;->SDK_VERSION:Ljava/lang/String;", or the file name again
};

struct SdkFinding {
  const knowledge::Sdk* sdk = nullptr;
  std::vector<SdkEvidence> evidence;
  Strength strength = Strength::kWeak;
  uint64_t classes = 0;  // defined classes attributed through prefixes
  Presence presence = Presence::kDeclared;
  // Declared in the manifest, but none of its code is in the dex (see the file comment): weak,
  // and no basis for saying the SDK collects anything.
  bool code_absent = false;
  SdkVersionReading version;  // filled by ReadSdkVersions; empty when unknown
};

// What the manifest and the archive layout say (no code).
struct AppSignals {
  std::string package;
  // Further packages holding the app's own code (AppCodePackages); may be empty.
  std::vector<std::string> extra_packages;
  std::vector<std::string> components;  // fully qualified names
  std::vector<std::string> meta_data_keys;
  std::vector<std::string> native_libs;  // "lib/<abi>/libx.so"
  std::vector<std::string> assets;       // "assets/..."
  // Defined classes without any method with code, and class types referred to but not defined
  // (DexScan); both in the form of the class names given to DetectSdks. Empty: not known, every
  // defined class counts as code and no reference is looked at.
  std::vector<std::string> codeless_classes;
  std::vector<std::string> referenced_types;
  // False when the dex could not show an SDK's classes (no dex read, a packer hides the code):
  // then a manifest-only SDK is not called "code absent".
  bool code_visible = true;
};

// Attributes classes to the app or an SDK. The app's own package wins over a shorter SDK prefix
// (a demo app "cn.jiguang.demo" is the app, not JIGUANG's shared core); a longer SDK prefix inside
// the app package (com.app.wxapi is not an SDK prefix, but an app "com.tencent" would contain
// com.tencent.mm.opensdk) still goes to the SDK. Among several owners of a prefix, `preferred`
// (the SDKs detected) are chosen first.
class OwnerIndex {
 public:
  // `app_packages`: the manifest package first, then AppCodePackages' extras.
  OwnerIndex(const SdkCatalog& catalog, std::vector<std::string> app_packages,
             std::unordered_set<std::string> preferred = {});
  OwnerIndex(const SdkCatalog& catalog, std::string app_package,
             std::unordered_set<std::string> preferred = {})
      : OwnerIndex(catalog, std::vector<std::string>{std::move(app_package)},
                   std::move(preferred)) {}

  // "app" or an SDK id (a view into the catalogue). Accepts "Lcom/foo/Bar;" and "com.foo.Bar".
  std::string_view OwnerOf(std::string_view class_name) const;
  // Like OwnerOf, for a dot name; also returns the matched prefix entry (null for the app).
  std::string_view OwnerOfDot(std::string_view dot_name, const PrefixOwners** entry) const;

  // Renamed SDK code: records that the classes of exactly `dot_package` (not its sub-packages)
  // belong to `sdk_id`, because code there uses that SDK's own host or features. Consulted only
  // for classes no catalogue prefix claims. Ignored for packages of the app's own code.
  void AddInferredPackage(std::string dot_package, std::string sdk_id);
  // Renamed SDK code recognised class by class (code_fingerprint.h): `dot_class` belongs to
  // `sdk_id`, wherever it sits, the app's own packages included (-repackageclasses may flatten an
  // SDK into the app package). Consulted before package inference for classes the catalogue
  // leaves to the app.
  void AddFingerprintedClass(std::string dot_class, std::string sdk_id);
  // The SDK id a fingerprinted class or an inferred package gives `class_name`, or "" (no
  // catalogue prefix involved).
  std::string_view InferredOwner(std::string_view class_name) const;
  bool InAppPackage(std::string_view dot_name) const;

 private:
  const SdkCatalog& catalog_;
  std::vector<std::string> app_packages_;
  std::unordered_set<std::string> preferred_;
  std::unordered_map<std::string, std::string> inferred_;       // dot package -> SDK id
  std::unordered_map<std::string, std::string> fingerprinted_;  // dot class -> SDK id
};

// True for ProGuard/R8-style renamed classes: the simple name and the last package segment are at
// most two characters ("com.a.a.a.a.i"). Used to limit package inference to renamed code.
bool LooksObfuscated(std::string_view class_name);

// Packages of the app's own code besides the manifest package: those of the Application class
// and the launcher activity (Gradle's namespace often differs from the applicationId, e.g.
// com.jiguang.jmlinkdemo ships cn.jiguang.jmlinkdemo.MainActivity), unless a distinct SDK prefix
// covers them (a Unity game's launcher is com.unity3d.player.UnityPlayerActivity).
std::vector<std::string> AppCodePackages(const SdkCatalog& catalog, std::string_view package,
                                         std::string_view application_class,
                                         std::string_view launcher_activity);

// Detects SDKs. `class_names` are the defined classes of every dex (descriptor or dot form);
// `hosts` come from UrlCollector::Hosts(). Findings are sorted by strength, then id.
std::vector<SdkFinding> DetectSdks(const SdkCatalog& catalog, const AppSignals& app,
                                   std::span<const std::string> class_names,
                                   std::span<const HostRecord> hosts);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_SDK_DETECT_H_
