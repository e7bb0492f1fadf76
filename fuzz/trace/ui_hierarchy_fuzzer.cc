// libFuzzer target for the uiautomator dump parser and its reader: every node's parent must come
// before it and be one level up, whatever the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "trace/reader.h"
#include "trace/trace_fuzz_sink.h"
#include "trace/ui_hierarchy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit::trace;
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  UiLimits limits;
  limits.max_nodes = 20'000;
  auto h = ParseUiHierarchy(xml, "fuzz.xml", limits);
  if (h.ok()) {
    for (size_t i = 0; i < h->nodes.size(); ++i) {
      const UiNode& n = h->nodes[i];
      if (n.parent >= static_cast<int32_t>(i)) __builtin_trap();
      if (n.parent >= 0 && h->nodes[n.parent].depth + 1 != n.depth) __builtin_trap();
      if (n.depth >= limits.max_depth) __builtin_trap();
    }
  }
  TouchingSink sink;
  (void)ReadTrace(TraceFormat::kUiautomatorXml, "fuzz.xml", piaudit::ByteSpan(data, size), {}, sink,
                  nullptr);
  (void)DetectFormat(piaudit::ByteSpan(data, size < 4096 ? size : 4096), "fuzz");
  return 0;
}
