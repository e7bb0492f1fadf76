#include "trace/ui_hierarchy.h"

#include <expat.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>

namespace piaudit::trace {
namespace {

struct ParserDeleter {
  void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};

class Builder {
 public:
  Builder(XML_Parser parser, std::string_view file, const UiLimits& limits)
      : parser_(parser), file_(file), limits_(limits) {}

  static void OnStart(void* self, const XML_Char* name, const XML_Char** attrs) {
    static_cast<Builder*>(self)->Start(name, attrs);
  }
  static void OnEnd(void* self, const XML_Char*) { static_cast<Builder*>(self)->End(); }
  static void OnDoctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<Builder*>(self)->Fail(
        InvalidInput("a DOCTYPE (uiautomator writes none; refused so no entity is ever expanded)"));
  }
  static void OnEntityDecl(void* self, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                           const XML_Char*, const XML_Char*, const XML_Char*) {
    static_cast<Builder*>(self)->Fail(InvalidInput("an entity declaration"));
  }
  static int OnExternalEntity(XML_Parser, const XML_Char*, const XML_Char*, const XML_Char*,
                              const XML_Char*) {
    return XML_STATUS_ERROR;  // never fetched
  }

  // Stops the parser with `s`, located at expat's current position.
  void Fail(Status s) {
    if (!error_.ok()) return;
    error_ = Located(std::move(s));
    XML_StopParser(parser_, XML_FALSE);
  }
  Status Located(Status s) const {
    std::string where = "line " + std::to_string(XML_GetCurrentLineNumber(parser_)) + " column " +
                        std::to_string(XML_GetCurrentColumnNumber(parser_) + 1);
    const XML_Index at = XML_GetCurrentByteIndex(parser_);
    return std::move(s).At(file_, where, at < 0 ? 0 : static_cast<uint64_t>(at));
  }

  const Status& error() const { return error_; }
  bool saw_root() const { return saw_root_; }
  UiHierarchy Take() { return std::move(out_); }

 private:
  void Start(const XML_Char* name, const XML_Char** attrs) {
    if (!error_.ok()) return;
    if (!saw_root_) {
      saw_root_ = true;
      if (std::strcmp(name, "hierarchy") != 0) {
        Fail(InvalidInput(std::string("root element <") + name + ">, not <hierarchy>"));
      }
      open_.push_back(-1);
      return;
    }
    const uint32_t depth = static_cast<uint32_t>(open_.size() - 1);
    if (depth >= limits_.max_depth) {
      Fail(
          LimitExceeded("nodes nested deeper than max_depth " + std::to_string(limits_.max_depth)));
      return;
    }
    if (out_.nodes.size() >= limits_.max_nodes) {
      Fail(LimitExceeded("more than max_nodes " + std::to_string(limits_.max_nodes) + " nodes"));
      return;
    }
    UiNode node;
    node.parent = open_.back();
    node.depth = depth;
    bool has_class = false;
    for (const XML_Char** a = attrs; a[0] != nullptr; a += 2) {
      const std::string_view key = a[0];
      const std::string_view value = a[1];
      if (key == "text") {
        Keep(value, &node.text);
      } else if (key == "resource-id") {
        Keep(value, &node.resource_id);
      } else if (key == "class") {
        Keep(value, &node.class_name);
        has_class = true;
      } else if (key == "package") {
        Keep(value, &node.package);
      } else if (key == "content-desc") {
        Keep(value, &node.content_desc);
      } else if (key == "checkable") {
        node.checkable = value == "true";
      } else if (key == "checked") {
        node.checked = value == "true";
      } else if (key == "clickable") {
        node.clickable = value == "true";
      } else if (key == "enabled") {
        node.enabled = value == "true";
      } else if (key == "selected") {
        node.selected = value == "true";
      } else if (key == "password") {
        node.password = value == "true";
      } else if (key == "bounds") {
        ParseBounds(value, &node);
      }
    }
    if (!has_class && std::strcmp(name, "node") != 0) Keep(name, &node.class_name);
    if (!error_.ok()) return;
    open_.push_back(static_cast<int32_t>(out_.nodes.size()));
    out_.nodes.push_back(std::move(node));
  }

  void End() {
    if (!open_.empty()) open_.pop_back();
  }

  void Keep(std::string_view value, std::string* out) {
    text_bytes_ += value.size();
    if (text_bytes_ > limits_.max_text_bytes) {
      Fail(LimitExceeded("node strings over max_text_bytes " +
                         std::to_string(limits_.max_text_bytes)));
      return;
    }
    out->assign(value);
  }

  // "[left,top][right,bottom]"; anything else leaves the bounds at 0 (a node without a place is
  // still a node: its text counts, its position does not).
  static void ParseBounds(std::string_view v, UiNode* node) {
    int32_t n[4];
    const char* p = v.data();
    const char* end = v.data() + v.size();
    for (int i = 0; i < 4; ++i) {
      const char expect = (i % 2 == 0) ? '[' : ',';
      if (p == end || *p != expect) return;
      ++p;
      auto [next, ec] = std::from_chars(p, end, n[i]);
      if (ec != std::errc()) return;
      p = next;
      if (i % 2 == 1) {
        if (p == end || *p != ']') return;
        ++p;
      }
    }
    if (p != end) return;
    node->left = n[0];
    node->top = n[1];
    node->right = n[2];
    node->bottom = n[3];
  }

  XML_Parser parser_;
  std::string_view file_;
  const UiLimits& limits_;
  UiHierarchy out_;
  std::vector<int32_t> open_;  // node index of each open element (-1: <hierarchy>)
  uint64_t text_bytes_ = 0;
  bool saw_root_ = false;
  Status error_;
};

}  // namespace

Result<UiHierarchy> ParseUiHierarchy(std::string_view xml, std::string_view file,
                                     const UiLimits& limits) {
  if (xml.size() > limits.max_xml_bytes) {
    return LimitExceeded("uiautomator XML of " + std::to_string(xml.size()) +
                         " bytes is over max_xml_bytes")
        .At(file, "hierarchy", 0);
  }
  // "UTF-8" overrides any declared encoding: uiautomator writes UTF-8, and every string handed on
  // is then valid UTF-8 (expat rejects invalid sequences as not well-formed).
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreate("UTF-8"));
  if (!parser) return InternalError("expat could not allocate a parser").InFile(file);
  XML_Parser p = parser.get();
  Builder builder(p, file, limits);
  XML_SetUserData(p, &builder);
  XML_SetElementHandler(p, &Builder::OnStart, &Builder::OnEnd);
  XML_SetStartDoctypeDeclHandler(p, &Builder::OnDoctype);
  XML_SetEntityDeclHandler(p, &Builder::OnEntityDecl);
  XML_SetExternalEntityRefHandler(p, &Builder::OnExternalEntity);
  XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
#if defined(XML_DTD) && \
    (XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 4))
  // Unreachable with DOCTYPE refused; kept in case a later expat reads something we did not stop.
  XML_SetBillionLaughsAttackProtectionMaximumAmplification(p, 10.0f);
#endif

  // XML_Parse takes an int length: feed the text in slices.
  constexpr size_t kSlice = 1u << 20;
  size_t pos = 0;
  do {
    const size_t n = std::min(kSlice, xml.size() - pos);
    const bool last = pos + n == xml.size();
    if (XML_Parse(p, xml.data() + pos, static_cast<int>(n), last ? XML_TRUE : XML_FALSE) !=
        XML_STATUS_OK) {
      if (!builder.error().ok()) return builder.error();
      const XML_Error code = XML_GetErrorCode(p);
      Status s = code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
                         code == XML_ERROR_PARTIAL_CHAR
                     ? Truncated(std::string("XML ends early: ") + XML_ErrorString(code))
                     : InvalidInput(std::string("not well-formed XML: ") + XML_ErrorString(code));
      return builder.Located(std::move(s));
    }
    pos += n;
  } while (pos < xml.size());
  if (!builder.error().ok()) return builder.error();
  if (!builder.saw_root()) return InvalidInput("no <hierarchy> element").At(file, "hierarchy", 0);
  return builder.Take();
}

}  // namespace piaudit::trace
