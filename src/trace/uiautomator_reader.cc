// One `uiautomator dump` file: one `ui` event carrying the whole XML
// (docs/schemas/trace-ui-formats.md).
//
// The file says nothing about when it was taken or which activity was showing, so the event has
// no time and no activity; a session that records dumps with times uses piaudit.trace/1 `ui`
// events (their `dump` names the file) instead.
#include "trace/internal/readers.h"
#include "trace/ui_hierarchy.h"

namespace piaudit::trace::internal {
namespace {

// Skips a UTF-8 byte order mark, white space, the XML declaration and comments.
std::string_view SkipProlog(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  for (;;) {
    const size_t start = s.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return {};
    s.remove_prefix(start);
    std::string_view close;
    if (s.substr(0, 2) == "<?") {
      close = "?>";
    } else if (s.substr(0, 4) == "<!--") {
      close = "-->";
    } else {
      return s;
    }
    const size_t end = s.find(close);
    if (end == std::string_view::npos) return {};
    s.remove_prefix(end + close.size());
  }
}

}  // namespace

bool LooksLikeUiautomatorXml(std::string_view head) {
  const std::string_view s = SkipProlog(head);
  constexpr std::string_view kRoot = "<hierarchy";
  if (s.substr(0, kRoot.size()) != kRoot) return false;
  if (s.size() == kRoot.size()) return true;  // the head ends right after the name
  const char next = s[kRoot.size()];
  return next == ' ' || next == '\t' || next == '\r' || next == '\n' || next == '>' || next == '/';
}

Status ReadUiautomatorXml(std::string_view file, ByteSpan data, const ReadOptions& options,
                          EventSink& sink, ReadStats& stats) {
  const std::string_view xml = data.AsStringView();
  UiLimits limits;
  limits.max_xml_bytes = std::min<uint64_t>(limits.max_xml_bytes, options.limits.max_file_bytes);
  // The dump is the whole file: if it does not parse there is nothing to hand on.
  ASSIGN_OR_RETURN(UiHierarchy parsed, ParseUiHierarchy(xml, file, limits));
  (void)parsed;
  Event e;
  e.type = EventType::kUi;
  e.type_name = EventTypeName(EventType::kUi);
  e.entry = 0;
  e.hierarchy = xml;
  sink.OnEvent(e);
  ++stats.events;
  return Status::Ok();
}

}  // namespace piaudit::trace::internal
