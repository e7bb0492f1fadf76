// Packers and protectors (360 Jiagu, Tencent Legu, Bangcle/SecNeo, ijiami, Baidu, Alibaba, NetEase
// Yidun, DexProtector, ...): apps whose real dex is encrypted and only decrypted in memory by a
// native stub at start-up.
//
// Detected from the knowledge base's packer fingerprints: stub classes defined in the dex, the
// <application android:name> (or appComponentFactory) the packer installs, its native libraries
// and its asset files. One generic rule needs no fingerprint: the manifest's Application class is
// defined in no dex while the dex is tiny and the APK carries a secondary payload - the shape every
// packer leaves.
//
// A packed app's visible code is the stub, not the app: static code evidence (sensitive calls,
// SDK prefixes, consent gate) is absent, not clean, and only dynamic analysis can supply it. The
// finding always says code_visible = false.
#ifndef PIAUDIT_ANALYSIS_PACKER_DETECT_H_
#define PIAUDIT_ANALYSIS_PACKER_DETECT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "knowledge/knowledge_base.h"

namespace piaudit::analysis {

struct PackerSignals {
  std::string application_class;             // fully qualified, "" when none
  std::string app_component_factory;         // fully qualified, "" when none
  std::span<const std::string> class_names;  // defined classes, any form
  std::vector<std::string> native_libs;      // "lib/<abi>/libx.so"
  std::vector<std::string> assets;           // "assets/..."
  uint64_t secondary_payloads = 0;           // dex/jar/apk/ELF entries outside the usual places
};

struct PackerFinding {
  std::string id;                     // knowledge id, or "unknown" for the generic rule
  std::string name;                   // "360加固 / 360 Jiagu"
  std::vector<std::string> evidence;  // "application class com.stub.StubApp", ...
  bool code_visible = false;          // always false: see the file comment
  std::string note;
};

// The best-supported packer (most evidence), or nullopt.
std::optional<PackerFinding> DetectPacker(std::span<const knowledge::Packer> packers,
                                          const PackerSignals& signals);

// The sentence reports print for a packed app.
inline constexpr const char* kPackedCodeNote =
    "the app's real code is encrypted by a packer; static code evidence (SDK classes, sensitive "
    "API calls, consent gate) is absent, not clean - dynamic analysis is needed";

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_PACKER_DETECT_H_
