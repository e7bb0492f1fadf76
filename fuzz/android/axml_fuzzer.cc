// libFuzzer target: binary XML bytes -> ParseAxml -> aapt-style dump and the manifest model.
// Work is capped by small Limits (nodes, decoded bytes, strings) so a run never times out on a
// legit large input.
#include <cstddef>
#include <cstdint>

#include "android/axml.h"
#include "android/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  piaudit::Limits limits;
  limits.max_xml_decoded_bytes = 32 << 20;  // depth is free; what a document decodes to is not
  limits.max_xml_nodes = 20'000;
  limits.max_string_pool_strings = 100'000;
  limits.max_string_bytes = 64 << 10;
  piaudit::Diagnostics diagnostics(100);
  auto doc = piaudit::android::ParseAxml(piaudit::ByteSpan(data, size), limits, &diagnostics);
  if (!doc.ok()) return 0;
  (void)piaudit::android::FormatXmlTree(*doc);
  (void)piaudit::android::BuildManifest(*doc, nullptr, &diagnostics);
  return 0;
}
