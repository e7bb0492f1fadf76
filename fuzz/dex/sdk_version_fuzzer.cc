// libFuzzer target for the SDK version reader (analysis/sdk_version.h): opens the bytes as a dex
// and reads a version for a made-up SDK that claims the first classes' packages and points a
// static String field, a method and the BuildConfig fallback at every one of those classes, so
// static_values, <clinit> walks and constant-returning methods all run on hostile input. A value
// read must stay a bounded, printable version string.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "analysis/sdk_version.h"
#include "dex/dex_file.h"
#include "knowledge/knowledge_base.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;  // NOLINT
  constexpr uint32_t kClassesLooked = 32;
  Result<dex::DexFile> dex = dex::DexFile::Open(ByteSpan(data, size), "fuzz.dex", Limits());
  if (!dex.ok()) return 0;
  knowledge::Sdk sdk;
  sdk.id = "fuzz";
  for (uint32_t i = 0; i < dex->num_class_defs() && i < kClassesLooked; ++i) {
    auto def = dex->GetClassDef(i);
    if (!def.ok()) continue;
    const std::string cls = dex->TypeName(def->class_type);
    for (const char* member :
         {"->SDK_VERSION:Ljava/lang/String;", "->getVersion()Ljava/lang/String;",
          "->VERSION_NAME:Ljava/lang/String;"}) {
      knowledge::SdkVersionLocation loc;
      loc.ref = cls + member;
      sdk.version.push_back(std::move(loc));
    }
    const std::string dot = analysis::DotClassName(cls);
    const size_t last = dot.rfind('.');
    if (last != std::string::npos && last > 0) {
      sdk.prefixes.push_back({dot.substr(0, last), knowledge::PrefixQuality::kDistinct, false});
    }
  }
  std::vector<analysis::SdkFinding> findings(1);
  findings[0].sdk = &sdk;
  findings[0].presence = analysis::Presence::kCode;
  const dex::DexFile* dexes[] = {&*dex};
  std::vector<analysis::MetaInfVersionFile> meta_inf;
  std::vector<std::string> app = {"com.example.app"};
  analysis::ReadSdkVersions(dexes, meta_inf, app, &findings);
  const std::string& v = findings[0].version.version;
  if (v.size() > analysis::kMaxSdkVersionBytes) std::abort();
  for (char c : v) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) std::abort();
  }
  return 0;
}
