// Android binary XML (AXML): AndroidManifest.xml and every compiled XML resource (res/layout,
// res/xml/network_security_config, ...). Spec: androidfw ResourceTypes.h (ResXMLTree_*), reader
// androidfw ResXMLParser. Format notes and traps: docs/formats/axml.md.
//
// ParseAxml walks the chunks once, without recursion (an explicit element stack), and returns a
// self-contained XmlDocument: every string is decoded and copied out, so the document does not
// refer to the input bytes afterwards. As in Android, nesting depth is not limited; the work is
// (Limits::max_xml_nodes node chunks, Limits::max_xml_decoded_bytes of decoded document).
//
// Lenient where Android is lenient (it installs such files): header_size larger than the struct
// (the body is found through header_size), string counts larger than the chunk can hold (bounded
// by the chunk, Diagnostic), unknown chunk types (skipped, Diagnostic), attributes with an empty
// name (named from the resource map / framework attribute table), a missing resource map. Strict
// where Android is strict: a bad first chunk type, chunks that overrun their parent, string
// indices out of the pool when the index is used for a name, unbalanced end tags.
#ifndef PIAUDIT_ANDROID_AXML_H_
#define PIAUDIT_ANDROID_AXML_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "android/res_value.h"
#include "base/byte_span.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/status.h"

namespace piaudit::android {

// The android: namespace URI; attributes in it are matched by resource id first.
inline constexpr std::string_view kAndroidNs = "http://schemas.android.com/apk/res/android";

struct XmlAttribute {
  std::string ns;                        // namespace URI, "" when none
  std::string name;                      // as stored; may be "" or garbage in obfuscated files
  uint32_t resource_id = 0;              // from the resource map; 0 when absent
  std::optional<std::string> raw_value;  // rawValue string, when present
  Value value;                           // typedValue (string decoded into value.string)

  // The name to use: the framework name when resource_id is a known android attribute (this is
  // what Android does: it matches attributes by id, so obfuscators blank or scramble names),
  // otherwise `name`.
  std::string_view EffectiveName() const;
};

enum class XmlNodeKind : uint8_t {
  kNamespace,  // RES_XML_START_NAMESPACE_TYPE; its scope is the following deeper nodes
  kElement,    // RES_XML_START_ELEMENT_TYPE (end tags are implied by depth)
  kText,       // RES_XML_CDATA_TYPE
};

struct XmlNode {
  XmlNodeKind kind = XmlNodeKind::kElement;
  uint32_t line = 0;    // lineNumber from the node header
  uint32_t depth = 0;   // nesting depth counting namespaces too (aapt's xmltree indentation)
  int32_t parent = -1;  // index of the enclosing *element* in XmlDocument::nodes, -1 at top
  uint64_t offset = 0;  // byte offset of the node chunk in the file
  // kElement: namespace URI and name. kNamespace: ns = URI, name = prefix. kText: name = text.
  std::string ns;
  std::string name;
  std::vector<XmlAttribute> attributes;  // kElement only, in file order
  std::vector<uint32_t> children;        // kElement only: child elements and texts, in order
};

struct XmlDocument {
  std::vector<XmlNode> nodes;  // document order
  int32_t root = -1;           // index of the first top-level element, -1 when none
  bool utf8_pool = false;      // string pool flag, for diagnostics/reporting

  // The root element or nullptr.
  const XmlNode* RootElement() const { return root >= 0 ? &nodes[root] : nullptr; }
  // Child elements of `parent` named `name` (any namespace).
  std::vector<const XmlNode*> ChildElements(const XmlNode& parent, std::string_view name) const;
};

// Finds an attribute of an element: in the android namespace by framework resource id when
// `android_id` != 0 (also matching a blank/scrambled name), else by EffectiveName() == name.
// Returns nullptr when absent.
const XmlAttribute* FindAttribute(const XmlNode& element, uint32_t android_id,
                                  std::string_view name);
// Finds a non-android attribute (e.g. `package` on <manifest>) by plain name with no namespace.
const XmlAttribute* FindPlainAttribute(const XmlNode& element, std::string_view name);

// Parses a binary XML document. `file` names it in errors and diagnostics
// ("AndroidManifest.xml", "res/xml/nsc.xml"). Fails with a Status naming the file, the structure
// (e.g. "ResStringPool_header", "ResXMLTree_attribute[3]") and the byte offset.
Result<XmlDocument> ParseAxml(ByteSpan bytes, const Limits& limits, Diagnostics* diagnostics,
                              std::string_view file = "AndroidManifest.xml");

// The tree in the exact text format of `aapt dump xmltree APK FILE` (N:/E:/A:/C: lines), for
// parity checks and the dumper tool.
std::string FormatXmlTree(const XmlDocument& doc);

}  // namespace piaudit::android

#endif  // PIAUDIT_ANDROID_AXML_H_
