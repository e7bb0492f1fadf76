// One screen as `uiautomator dump` writes it, read into a flat, bounded tree.
//
// The dump is XML: <hierarchy rotation="0"> holding nested <node index text resource-id class
// package content-desc checkable checked clickable enabled ... bounds="[0,0][1080,2340]">. Nodes
// are kept in document order (a parent before its children), each naming its parent by index, so
// a consumer walks the screen without pointers and a hostile dump cannot make a deep recursion.
// Page sources written by Appium name elements by class (<android.widget.Button ...>) instead of
// <node>; those read the same (the element name is the class when `class` is absent).
//
// The parser is expat. A DOCTYPE is refused outright: uiautomator never writes one, and refusing
// it closes every entity trick (billion laughs, external entities) before expat's own protection.
#ifndef PIAUDIT_TRACE_UI_HIERARCHY_H_
#define PIAUDIT_TRACE_UI_HIERARCHY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace piaudit::trace {

// Bounds for one untrusted dump.
struct UiLimits {
  // Real screens have a few hundred nodes (a long RecyclerView page: ~2,000); 100k is far beyond
  // any screen yet keeps a hostile dump's tree under ~20 MB.
  uint32_t max_nodes = 100'000;
  // Android's view trees rarely pass 40 levels (the framework warns near 100 as rendering fails);
  // 256 keeps every real screen and stops a nesting bomb early.
  uint32_t max_depth = 256;
  // Bytes kept over all nodes' strings (text, content-desc, ids, class, package): a screen showing
  // a whole policy holds ~100 KB of text; 16 MiB is a wide margin.
  uint64_t max_text_bytes = 16u << 20;
  // The XML itself: dumps are tens of KB; a hierarchy embedded in a trace line is capped by that
  // line's limit too.
  uint64_t max_xml_bytes = 64u << 20;
};

struct UiNode {
  std::string class_name;
  std::string text;
  std::string resource_id;
  std::string content_desc;
  std::string package;
  bool checkable = false;
  bool checked = false;
  bool clickable = false;
  bool enabled = false;
  bool selected = false;
  bool password = false;
  // Screen pixels from `bounds`; all 0 when absent or unreadable.
  int32_t left = 0;
  int32_t top = 0;
  int32_t right = 0;
  int32_t bottom = 0;
  int32_t parent = -1;  // index into UiHierarchy::nodes; -1 for a child of <hierarchy>
  uint32_t depth = 0;   // 0 for a child of <hierarchy>
};

struct UiHierarchy {
  std::vector<UiNode> nodes;  // document order: every parent comes before its children
};

// Parses one dump. Errors are kInvalidInput (not well-formed XML, invalid UTF-8, a DOCTYPE, a root
// other than <hierarchy>) or kLimitExceeded, located as file, "line L column C" and byte offset.
Result<UiHierarchy> ParseUiHierarchy(std::string_view xml, std::string_view file,
                                     const UiLimits& limits);

}  // namespace piaudit::trace

#endif  // PIAUDIT_TRACE_UI_HIERARCHY_H_
