// Binary XML reader. Layout (androidfw ResourceTypes.h):
//   ResXMLTree_header { ResChunk_header header /* type 0x0003 */ }
//   then chunks: ResStringPool (0x0001), resource map (0x0180: uint32 attr ids, parallel to the
//   first string indices), and nodes 0x0100..0x017f, each a ResXMLTree_node (header + lineNumber +
//   comment) followed, at header.headerSize, by its extension (namespace, attrExt, endElement,
//   cdata).
// Android's ResXMLTree validates each chunk (header_size >= struct, header_size <= size, both
// 4-aligned, size inside the document) and skips unknown node types; we do the same and record
// the skip in Diagnostics, because packers and obfuscators rely on exactly that leniency.
//
// Depth: ResXMLParser walks the chunks as a flat list and PackageParser skips unknown subtrees by
// counting, so Android installs a manifest nested any depth deep (a 10,000-deep junk element
// beside <application> hides nothing from it). We walk the same flat list with an explicit element
// stack and never recurse, so depth costs nothing; what is capped is the work a document can cause:
// node chunks (Limits::max_xml_nodes) and the bytes of the decoded document, node and attribute
// records plus every string copied into them (Limits::max_xml_decoded_bytes), since one long string
// referenced by many attributes would otherwise be copied once per reference.
#include "android/axml.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "android/string_pool.h"

namespace piaudit::android {
namespace {

// Chunk types (ResourceTypes.h names).
constexpr uint16_t RES_STRING_POOL_TYPE = 0x0001;
constexpr uint16_t RES_XML_TYPE = 0x0003;
constexpr uint16_t RES_XML_FIRST_CHUNK_TYPE = 0x0100;
constexpr uint16_t RES_XML_START_NAMESPACE_TYPE = 0x0100;
constexpr uint16_t RES_XML_END_NAMESPACE_TYPE = 0x0101;
constexpr uint16_t RES_XML_START_ELEMENT_TYPE = 0x0102;
constexpr uint16_t RES_XML_END_ELEMENT_TYPE = 0x0103;
constexpr uint16_t RES_XML_CDATA_TYPE = 0x0104;
constexpr uint16_t RES_XML_LAST_CHUNK_TYPE = 0x017f;
constexpr uint16_t RES_XML_RESOURCE_MAP_TYPE = 0x0180;

constexpr uint32_t kChunkHeaderSize = 8;  // sizeof(ResChunk_header)
constexpr uint32_t kNodeHeaderSize = 16;  // sizeof(ResXMLTree_node)
constexpr uint32_t kAttrExtSize = 20;     // sizeof(ResXMLTree_attrExt)
constexpr uint32_t kAttributeSize = 20;   // sizeof(ResXMLTree_attribute)
constexpr uint32_t kNoIndex = 0xffffffff;

class Parser {
 public:
  Parser(ByteSpan bytes, const Limits& limits, Diagnostics* diagnostics, std::string_view file)
      : bytes_(bytes), limits_(limits), diagnostics_(diagnostics), file_(file) {}

  Result<XmlDocument> Run();

 private:
  Status Fail(Status s, std::string_view structure, uint64_t offset) {
    return std::move(s).At(file_, structure, offset);
  }
  void Warn(std::string code, std::string structure, uint64_t offset, std::string message) {
    if (diagnostics_) {
      diagnostics_->Add(Severity::kWarning, std::move(code), file_, std::move(structure), offset,
                        std::move(message));
    }
  }
  // androidfw validate_chunk: header_size >= min, header_size <= size, 4-aligned, inside [pos,end).
  Status ValidateChunk(uint64_t pos, uint64_t end, uint32_t min_header, std::string_view what);
  // String `index` of the pool, "" for kNoIndex; an index outside the pool yields "" and a
  // diagnostic (Android returns NULL there and carries on).
  std::string Str(uint32_t index, std::string_view structure, uint64_t offset);
  Status ParseNode(uint16_t type, uint64_t pos, uint32_t header_size, uint32_t size);
  Status ParseStartElement(uint64_t pos, uint32_t header_size, uint32_t size, XmlNode* node);
  // Counts `bytes` of decoded document against Limits::max_xml_decoded_bytes; fails past it.
  Status Charge(uint64_t bytes, std::string_view structure, uint64_t offset);

  ByteSpan bytes_;
  const Limits& limits_;
  Diagnostics* diagnostics_;
  std::string file_;
  internal::StringPool pool_;
  bool have_pool_ = false;
  std::vector<std::optional<std::string>> cache_;
  ByteSpan res_map_;  // uint32 ids
  XmlDocument doc_;
  std::vector<int32_t> element_stack_;  // indices of open elements
  uint32_t depth_ = 0;                  // namespaces + elements open (aapt's depth)
  uint64_t decoded_bytes_ = 0;          // charged against Limits::max_xml_decoded_bytes
  bool stop_ = false;
};

// The bytes a node or attribute record holds: the record and the strings it owns.
uint64_t DecodedSize(const XmlAttribute& a) {
  return sizeof(XmlAttribute) + a.ns.size() + a.name.size() +
         (a.raw_value ? a.raw_value->size() : 0) + a.value.string.size();
}
uint64_t DecodedSize(const XmlNode& n) {
  // The record, its strings, and its index in the parent's children list.
  return sizeof(XmlNode) + n.ns.size() + n.name.size() + sizeof(uint32_t);
}

Status Parser::Charge(uint64_t bytes, std::string_view structure, uint64_t offset) {
  decoded_bytes_ += bytes;  // each charge is bounded by a few max_string_bytes: no overflow
  if (decoded_bytes_ > limits_.max_xml_decoded_bytes) {
    return Fail(LimitExceeded(fmt::format("decoded document exceeds max_xml_decoded_bytes {}",
                                          limits_.max_xml_decoded_bytes)),
                structure, offset);
  }
  return Status::Ok();
}

Status Parser::ValidateChunk(uint64_t pos, uint64_t end, uint32_t min_header,
                             std::string_view what) {
  if (end - pos < kChunkHeaderSize) {
    return Fail(Truncated(fmt::format("{} bytes left, a chunk header needs {}", end - pos,
                                      kChunkHeaderSize)),
                what, pos);
  }
  uint16_t header_size = *bytes_.U16At(pos + 2);
  uint32_t size = *bytes_.U32At(pos + 4);
  if (header_size < min_header) {
    return Fail(InvalidInput(fmt::format("header_size {} < minimum {}", header_size, min_header)),
                what, pos);
  }
  if (header_size > size) {
    return Fail(InvalidInput(fmt::format("header_size {} > chunk size {}", header_size, size)),
                what, pos);
  }
  if (((header_size | size) & 3) != 0) {
    return Fail(InvalidInput(fmt::format("header_size {} / size {} not 4-aligned (Android rejects "
                                         "this)",
                                         header_size, size)),
                what, pos);
  }
  if (size > end - pos) {
    return Fail(Truncated(fmt::format("chunk size {} extends past its parent ({} bytes left)", size,
                                      end - pos)),
                what, pos);
  }
  return Status::Ok();
}

std::string Parser::Str(uint32_t index, std::string_view structure, uint64_t offset) {
  if (index == kNoIndex) return "";
  if (!have_pool_ || index >= pool_.size()) {
    Warn("axml.bad_string_index", std::string(structure), offset,
         fmt::format("string index {} outside the pool of {} strings", index,
                     have_pool_ ? pool_.size() : 0));
    return "";
  }
  if (index < cache_.size() && cache_[index]) return *cache_[index];
  Result<std::string> s = pool_.Get(index);
  if (!s.ok()) {
    if (diagnostics_) diagnostics_->AddStatus("axml.bad_string", s.status());
    return "";
  }
  if (index >= cache_.size()) cache_.resize(static_cast<size_t>(index) + 1);
  cache_[index] = *s;
  return *s;
}

Result<XmlDocument> Parser::Run() {
  if (bytes_.size() < kChunkHeaderSize) {
    return Fail(Truncated(fmt::format("{} bytes, the ResXMLTree_header needs {}", bytes_.size(),
                                      kChunkHeaderSize)),
                "ResXMLTree_header", 0);
  }
  uint16_t type = *bytes_.U16At(0);
  uint16_t header_size = *bytes_.U16At(2);
  uint32_t size = *bytes_.U32At(4);
  if (type != RES_XML_TYPE) {
    // ResXMLTree::setTo does not check the type; only the header and total sizes. Packers use
    // that; we note it and read on.
    Warn("axml.bad_root_type", "ResXMLTree_header", 0,
         fmt::format("root chunk type 0x{:04x}, expected 0x0003 (RES_XML_TYPE)", type));
  }
  if (header_size < kChunkHeaderSize || header_size > size) {
    return Fail(InvalidInput(fmt::format("header_size {} outside [8, size {}]", header_size, size)),
                "ResXMLTree_header", 2);
  }
  if (size > bytes_.size()) {
    return Fail(
        Truncated(fmt::format("document size {} > {} bytes available", size, bytes_.size())),
        "ResXMLTree_header", 4);
  }
  if (size < bytes_.size()) {
    Warn("axml.trailing_bytes", "ResXMLTree_header", 4,
         fmt::format("{} bytes after the document end", bytes_.size() - size));
  }
  const uint64_t end = size;
  uint64_t pos = header_size;
  uint64_t nodes_seen = 0;
  while (!stop_ && pos < end) {
    if (end - pos < kChunkHeaderSize) {
      Warn("axml.trailing_bytes", "ResChunk_header", pos,
           fmt::format("{} bytes at the end do not form a chunk", end - pos));
      break;
    }
    uint16_t ctype = *bytes_.U16At(pos);
    bool is_node = ctype >= RES_XML_FIRST_CHUNK_TYPE && ctype <= RES_XML_LAST_CHUNK_TYPE;
    RETURN_IF_ERROR(ValidateChunk(pos, end, is_node ? kNodeHeaderSize : kChunkHeaderSize,
                                  is_node ? "ResXMLTree_node" : "ResChunk_header"));
    uint16_t chs = *bytes_.U16At(pos + 2);
    uint32_t csize = *bytes_.U32At(pos + 4);
    if (csize == 0) break;  // unreachable after ValidateChunk (size >= header >= 8); defensive
    if (ctype == RES_STRING_POOL_TYPE) {
      if (have_pool_) {
        Warn("axml.extra_string_pool", "ResStringPool_header", pos,
             "second string pool; Android uses the last one, so do we");
      }
      ASSIGN_OR_RETURN(pool_, internal::StringPool::Parse(*bytes_.Slice(pos, csize), pos, limits_,
                                                          diagnostics_, file_));
      have_pool_ = true;
      cache_.clear();
      doc_.utf8_pool = pool_.utf8();
    } else if (ctype == RES_XML_RESOURCE_MAP_TYPE) {
      res_map_ = *bytes_.Slice(pos + chs, csize - chs);
    } else if (is_node) {
      if (++nodes_seen > limits_.max_xml_nodes) {
        return Fail(
            LimitExceeded(fmt::format("more than max_xml_nodes {} nodes", limits_.max_xml_nodes)),
            "ResXMLTree_node", pos);
      }
      RETURN_IF_ERROR(ParseNode(ctype, pos, chs, csize));
    } else {
      Warn("axml.unknown_chunk", "ResChunk_header", pos,
           fmt::format("unknown chunk type 0x{:04x} of {} bytes skipped (as Android does)", ctype,
                       csize));
    }
    pos += csize;
  }
  if (!element_stack_.empty()) {
    Warn("axml.unclosed_elements", "ResXMLTree_node", end,
         fmt::format("{} elements not closed at the document end", element_stack_.size()));
  }
  return std::move(doc_);
}

Status Parser::ParseNode(uint16_t type, uint64_t pos, uint32_t header_size, uint32_t size) {
  const uint32_t line = *bytes_.U32At(pos + 8);
  const uint64_t ext = pos + header_size;
  const uint32_t ext_size = size - header_size;
  switch (type) {
    case RES_XML_START_NAMESPACE_TYPE: {
      if (ext_size < 8) {
        return Fail(Truncated(fmt::format("namespace extension of {} bytes < 8", ext_size)),
                    "ResXMLTree_namespaceExt", ext);
      }
      XmlNode node;
      node.kind = XmlNodeKind::kNamespace;
      node.line = line;
      node.offset = pos;
      node.depth = depth_;
      node.parent = element_stack_.empty() ? -1 : element_stack_.back();
      node.name = Str(*bytes_.U32At(ext), "ResXMLTree_namespaceExt.prefix", ext);
      node.ns = Str(*bytes_.U32At(ext + 4), "ResXMLTree_namespaceExt.uri", ext + 4);
      RETURN_IF_ERROR(Charge(DecodedSize(node), "ResXMLTree_node", pos));
      doc_.nodes.push_back(std::move(node));
      ++depth_;  // at most one per node chunk: bounded by max_xml_nodes
      return Status::Ok();
    }
    case RES_XML_END_NAMESPACE_TYPE:
    case RES_XML_END_ELEMENT_TYPE: {
      if (depth_ == 0) {
        // aapt prints "***BAD DEPTH" and stops; Android's parser reports a negative depth. Either
        // way nothing after this is trustworthy.
        if (diagnostics_) {
          diagnostics_->Add(Severity::kError, "axml.bad_depth", file_, "ResXMLTree_node", pos,
                            "end tag without a matching start; stopped reading");
        }
        stop_ = true;
        return Status::Ok();
      }
      --depth_;
      if (type == RES_XML_END_ELEMENT_TYPE) {
        if (element_stack_.empty()) {
          Warn("axml.unbalanced_end", "ResXMLTree_endElementExt", ext,
               "end element while only namespaces are open");
        } else {
          element_stack_.pop_back();
        }
      }
      return Status::Ok();
    }
    case RES_XML_START_ELEMENT_TYPE: {
      XmlNode node;
      node.kind = XmlNodeKind::kElement;
      node.line = line;
      node.offset = pos;
      node.depth = depth_;
      node.parent = element_stack_.empty() ? -1 : element_stack_.back();
      RETURN_IF_ERROR(ParseStartElement(pos, header_size, size, &node));
      RETURN_IF_ERROR(Charge(DecodedSize(node), "ResXMLTree_node", pos));
      const int32_t index = static_cast<int32_t>(doc_.nodes.size());
      if (node.parent >= 0) {
        doc_.nodes[node.parent].children.push_back(index);
      } else if (doc_.root < 0) {
        doc_.root = index;
      } else {
        Warn("axml.multiple_roots", "ResXMLTree_node", pos,
             "a second top-level element; Android reads only the first");
      }
      doc_.nodes.push_back(std::move(node));
      element_stack_.push_back(index);
      ++depth_;
      return Status::Ok();
    }
    case RES_XML_CDATA_TYPE: {
      if (ext_size < 4) {
        return Fail(Truncated(fmt::format("cdata extension of {} bytes < 4", ext_size)),
                    "ResXMLTree_cdataExt", ext);
      }
      XmlNode node;
      node.kind = XmlNodeKind::kText;
      node.line = line;
      node.offset = pos;
      node.depth = depth_;
      node.parent = element_stack_.empty() ? -1 : element_stack_.back();
      node.name = Str(*bytes_.U32At(ext), "ResXMLTree_cdataExt.data", ext);
      RETURN_IF_ERROR(Charge(DecodedSize(node), "ResXMLTree_node", pos));
      if (node.parent >= 0) {
        doc_.nodes[node.parent].children.push_back(static_cast<uint32_t>(doc_.nodes.size()));
      }
      doc_.nodes.push_back(std::move(node));
      return Status::Ok();
    }
    default:
      Warn("axml.unknown_node", "ResXMLTree_node", pos,
           fmt::format("unknown XML node type 0x{:04x} skipped (as Android does)", type));
      return Status::Ok();
  }
}

Status Parser::ParseStartElement(uint64_t pos, uint32_t header_size, uint32_t size, XmlNode* node) {
  const uint64_t ext = pos + header_size;
  const uint32_t ext_size = size - header_size;
  // androidfw validateNode: the attrExt must fit and attributes (start + size*count) must lie in
  // the node.
  if (ext_size < kAttrExtSize) {
    return Fail(
        Truncated(fmt::format("element extension of {} bytes < {}", ext_size, kAttrExtSize)),
        "ResXMLTree_attrExt", ext);
  }
  node->ns = Str(*bytes_.U32At(ext), "ResXMLTree_attrExt.ns", ext);
  node->name = Str(*bytes_.U32At(ext + 4), "ResXMLTree_attrExt.name", ext + 4);
  const uint16_t attr_start = *bytes_.U16At(ext + 8);
  const uint16_t attr_size = *bytes_.U16At(ext + 10);
  const uint16_t attr_count = *bytes_.U16At(ext + 12);
  if (attr_count == 0) return Status::Ok();
  // Android strides by attributeSize (obfuscators pad attributes) but always reads 20 bytes; a
  // smaller stride would make attributes overlap, which no tool writes.
  if (attr_size < kAttributeSize) {
    return Fail(InvalidInput(fmt::format("attributeSize {} < {}", attr_size, kAttributeSize)),
                "ResXMLTree_attrExt.attributeSize", ext + 10);
  }
  const uint64_t need = static_cast<uint64_t>(attr_size) * attr_count;  // <= 0xffff * 0xffff
  if (attr_start > ext_size || need > ext_size - attr_start) {
    return Fail(
        InvalidInput(fmt::format("{} attributes of {} bytes at +{} need {} bytes, the node "
                                 "has {}",
                                 attr_count, attr_size, attr_start, need + attr_start, ext_size)),
        "ResXMLTree_attrExt", ext);
  }
  node->attributes.reserve(attr_count);
  for (uint32_t i = 0; i < attr_count; ++i) {
    const uint64_t a = ext + attr_start + static_cast<uint64_t>(i) * attr_size;
    const std::string structure = fmt::format("ResXMLTree_attribute[{}]", i);
    XmlAttribute attr;
    attr.ns = Str(*bytes_.U32At(a), structure, a);
    const uint32_t name_index = *bytes_.U32At(a + 4);
    attr.name = Str(name_index, structure, a + 4);
    if (name_index != kNoIndex && name_index < res_map_.size() / 4) {
      attr.resource_id = *res_map_.U32At(4ull * name_index);
    }
    const uint32_t raw_index = *bytes_.U32At(a + 8);
    if (raw_index != kNoIndex) attr.raw_value = Str(raw_index, structure, a + 8);
    attr.value.type = static_cast<ValueType>(*bytes_.U8At(a + 15));
    attr.value.data = *bytes_.U32At(a + 16);
    if (attr.value.type == ValueType::kString) {
      attr.value.string = Str(attr.value.data, structure, a + 16);
    }
    if (attr.name.empty() && attr.resource_id == 0) {
      Warn("axml.nameless_attribute", structure, a + 4,
           "attribute with neither a name nor a resource id");
    }
    RETURN_IF_ERROR(Charge(DecodedSize(attr), structure, a));
    node->attributes.push_back(std::move(attr));
  }
  return Status::Ok();
}

std::string NormalizeForOutput(std::string_view s) {
  // ResTable::normalizeForOutput: escapes \\, \n and ", stops at NUL.
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\0') break;
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string_view XmlAttribute::EffectiveName() const {
  if (resource_id != 0) {
    if (auto n = FrameworkAttributeName(resource_id); n && (resource_id >> 16) == 0x0101) {
      return *n;
    }
  }
  return name;
}

std::vector<const XmlNode*> XmlDocument::ChildElements(const XmlNode& parent,
                                                       std::string_view name) const {
  std::vector<const XmlNode*> out;
  for (uint32_t c : parent.children) {
    const XmlNode& n = nodes[c];
    if (n.kind == XmlNodeKind::kElement && n.name == name) out.push_back(&n);
  }
  return out;
}

const XmlAttribute* FindAttribute(const XmlNode& element, uint32_t android_id,
                                  std::string_view name) {
  if (android_id != 0) {
    for (const XmlAttribute& a : element.attributes) {
      if (a.resource_id == android_id) return &a;
    }
    // No resource map (hand-made or stripped files): fall back to the android-namespaced name,
    // which is what older PackageParser paths did too.
    for (const XmlAttribute& a : element.attributes) {
      if (a.resource_id == 0 && a.ns == kAndroidNs && a.name == name) return &a;
    }
    return nullptr;
  }
  for (const XmlAttribute& a : element.attributes) {
    if (a.EffectiveName() == name) return &a;
  }
  return nullptr;
}

const XmlAttribute* FindPlainAttribute(const XmlNode& element, std::string_view name) {
  for (const XmlAttribute& a : element.attributes) {
    if (a.ns.empty() && a.name == name) return &a;
  }
  return nullptr;
}

Result<XmlDocument> ParseAxml(ByteSpan bytes, const Limits& limits, Diagnostics* diagnostics,
                              std::string_view file) {
  Parser parser(bytes, limits, diagnostics, file);
  return parser.Run();
}

std::string FormatXmlTree(const XmlDocument& doc) {
  // Mirrors aapt's printXMLBlock (tools/aapt/XMLNode.cpp): namespaces and elements indent their
  // scope by two spaces; attribute namespaces print as the prefix of the first matching open
  // namespace, else the URI.
  //
  // Depth is not bounded by the parser, so two things aapt does in O(depth) per line are bounded
  // here to keep the dump linear in the document: the indentation stops growing past
  // kMaxIndentDepth levels (deeper than any real layout; aapt would print it all), and the prefix
  // lookup goes through a map from URI to the open namespaces declaring it.
  constexpr uint32_t kMaxIndentDepth = 128;
  std::string out;
  struct OpenNs {
    uint32_t depth;
    std::string prefix, uri;
  };
  std::vector<OpenNs> open;
  std::unordered_map<std::string, std::vector<size_t>> open_by_uri;  // indices into `open`
  auto prefix_of = [&](const std::string& uri) -> std::string {
    if (uri.empty()) return "";
    auto it = open_by_uri.find(uri);
    if (it != open_by_uri.end() && !it->second.empty()) {
      return open[it->second.front()].prefix + ":";  // the outermost, as aapt's forward search
    }
    return uri + ":";
  };
  for (const XmlNode& n : doc.nodes) {
    while (!open.empty() && open.back().depth >= n.depth) {
      open_by_uri[open.back().uri].pop_back();
      open.pop_back();
    }
    std::string indent(2 * std::min(n.depth, kMaxIndentDepth), ' ');
    switch (n.kind) {
      case XmlNodeKind::kNamespace:
        out += fmt::format("{}N: {}={}\n", indent, n.name.empty() ? "<DEF>" : n.name, n.ns);
        open_by_uri[n.ns].push_back(open.size());
        open.push_back({n.depth, n.name.empty() ? "<DEF>" : n.name, n.ns});
        break;
      case XmlNodeKind::kText:
        out += fmt::format("{}C: \"{}\"\n", indent, n.name);
        break;
      case XmlNodeKind::kElement: {
        out += fmt::format("{}E: {}{} (line={})\n", indent, prefix_of(n.ns), n.name, n.line);
        std::string aindent(2 * std::min(n.depth + 1, kMaxIndentDepth), ' ');
        for (const XmlAttribute& a : n.attributes) {
          out += aindent + "A: " + prefix_of(a.ns) + a.name;
          if (a.resource_id != 0) out += fmt::format("(0x{:08x})", a.resource_id);
          const Value& v = a.value;
          switch (v.type) {
            case ValueType::kNull:
              out += "=(null)";
              break;
            case ValueType::kReference:
              out += fmt::format("=@0x{:08x}", v.data);
              break;
            case ValueType::kAttribute:
              out += fmt::format("=?0x{:08x}", v.data);
              break;
            case ValueType::kString:
              out += "=\"" + NormalizeForOutput(a.raw_value.value_or("")) + "\"";
              break;
            default:
              out += fmt::format("=(type 0x{:x})0x{:x}", static_cast<unsigned>(v.type), v.data);
          }
          if (a.raw_value) out += " (Raw: \"" + NormalizeForOutput(*a.raw_value) + "\")";
          out += "\n";
        }
        break;
      }
    }
  }
  return out;
}

}  // namespace piaudit::android
