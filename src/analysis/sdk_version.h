// Which version of each detected SDK an app carries (issue 14: "SDKs upgraded"), read from where
// the knowledge base says the SDK keeps it (data/sdks/*.yaml `version`, docs/knowledge.md):
//   ref (field):  a static String field's initial value (class_def_item static_values), or the
//                 constant its <clinit> stores (`const-string vA, "..."; sput-object vA, F`);
//   ref (method): a method whose whole code is `const-string vA, "..."; return-object vA`;
//   meta_inf:     a META-INF/*.version file Gradle writes for AndroidX, Play services and Firebase
//                 libraries (its content is the version).
// Then, for an SDK whose code is present, the generic fallback: a BuildConfig class directly
// under one of its distinct prefixes (the library module's own BuildConfig) with a static String
// VERSION_NAME. The first location that yields a version wins.
//
// Everything read is UNTRUSTED: a value is kept only when it looks like a version (CleanVersion):
// at most kMaxSdkVersionBytes of printable ASCII with a digit. Every dex structure is read through
// the checked DexFile accessors, <clinit> walks are capped, META-INF files are read only when
// small: a hostile APK gets "version unknown", never a crash or a hang.
#ifndef PIAUDIT_ANALYSIS_SDK_VERSION_H_
#define PIAUDIT_ANALYSIS_SDK_VERSION_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/sdk_detect.h"
#include "dex/dex_file.h"

namespace piaudit::container {
class ZipArchive;
}  // namespace piaudit::container

namespace piaudit::analysis {

// "10.1.0.2024-beta+build.7" fits easily; a longer string is not a version.
inline constexpr size_t kMaxSdkVersionBytes = 64;
// META-INF version files read per APK, and the largest one read (Gradle writes "1.2.3\n").
inline constexpr size_t kMaxMetaInfVersionFiles = 1024;
inline constexpr size_t kMaxMetaInfVersionFileBytes = 256;

// `raw` with surrounding white space removed when it is a plausible version string: 1 to
// kMaxSdkVersionBytes bytes of printable ASCII (0x20..0x7e) holding at least one digit; "" else.
std::string CleanVersion(std::string_view raw);

// One META-INF/*.version file of the APK.
struct MetaInfVersionFile {
  std::string name;     // "META-INF/androidx.core_core.version"
  std::string content;  // at most kMaxMetaInfVersionFileBytes bytes, as stored
};

// The META-INF/*.version files of `zip` (directly under META-INF/, at most
// kMaxMetaInfVersionFiles, each at most kMaxMetaInfVersionFileBytes uncompressed; larger or
// unreadable ones are skipped).
std::vector<MetaInfVersionFile> CollectMetaInfVersionFiles(const container::ZipArchive& zip);

// Fills SdkFinding::version of every finding whose version can be read. `dexes` in class-loading
// order (the first definition of a class wins); `app_packages` (dot form) hold the app's own
// code, whose BuildConfig is never an SDK's.
void ReadSdkVersions(std::span<const dex::DexFile* const> dexes,
                     std::span<const MetaInfVersionFile> meta_inf,
                     std::span<const std::string> app_packages, std::vector<SdkFinding>* findings);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_SDK_VERSION_H_
