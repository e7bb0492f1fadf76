// A small binary-XML writer for tests: builds well-formed AXML and, through Options, the hostile
// variants Android still accepts (padded node headers, padded attribute stride, unknown chunks,
// nameless attributes) or must reject (inflated counts, truncation). Header-only, test-only.
#ifndef PIAUDIT_TESTS_ANDROID_AXML_WRITER_H_
#define PIAUDIT_TESTS_ANDROID_AXML_WRITER_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace piaudit::testing {

inline void PutU16(std::string* s, uint16_t v) {
  s->push_back(static_cast<char>(v & 0xff));
  s->push_back(static_cast<char>(v >> 8));
}
inline void PutU32(std::string* s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
inline void SetU32(std::string* s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*s)[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
inline void SetU16(std::string* s, size_t at, uint16_t v) {
  (*s)[at] = static_cast<char>(v & 0xff);
  (*s)[at + 1] = static_cast<char>(v >> 8);
}

// A string pool chunk (UTF-16 or UTF-8, ASCII content only).
inline std::string StringPoolChunk(const std::vector<std::string>& strings, bool utf8,
                                   uint32_t count_override = 0, uint32_t header_pad = 0) {
  std::string data;
  std::vector<uint32_t> offsets;
  for (const std::string& s : strings) {
    offsets.push_back(static_cast<uint32_t>(data.size()));
    if (utf8) {
      data.push_back(static_cast<char>(s.size()));
      data.push_back(static_cast<char>(s.size()));
      data += s;
      data.push_back('\0');
    } else {
      PutU16(&data, static_cast<uint16_t>(s.size()));
      for (char c : s) PutU16(&data, static_cast<uint8_t>(c));
      PutU16(&data, 0);
    }
  }
  while (data.size() % 4) data.push_back('\0');
  const uint32_t header_size = 28 + header_pad;
  std::string chunk;
  PutU16(&chunk, 0x0001);
  PutU16(&chunk, static_cast<uint16_t>(header_size));
  PutU32(&chunk, 0);  // size, patched
  PutU32(&chunk, count_override ? count_override : static_cast<uint32_t>(strings.size()));
  PutU32(&chunk, 0);  // styles
  PutU32(&chunk, utf8 ? 0x100 : 0);
  PutU32(&chunk, header_size + 4 * static_cast<uint32_t>(strings.size()));  // stringsStart
  PutU32(&chunk, 0);
  chunk.append(header_pad, '\0');
  for (uint32_t o : offsets) PutU32(&chunk, o);
  chunk += data;
  SetU32(&chunk, 4, static_cast<uint32_t>(chunk.size()));
  return chunk;
}

class AxmlWriter {
 public:
  struct Options {
    bool utf8 = false;
    uint32_t node_header_pad = 0;  // extra bytes in every node header (header_size grows)
    uint32_t attr_stride_pad = 0;  // attributeSize = 20 + pad
    bool unknown_chunk = false;    // a chunk of type 0x0777 before the first node
    bool omit_resource_map = false;
    uint32_t string_count_override = 0;
  };
  struct Attr {
    std::string ns;  // URI or ""
    std::string name;
    uint32_t res_id = 0;  // framework id for the resource map, 0 = none
    uint8_t type = 0x03;
    uint32_t data = 0;  // for non-strings
    std::string str;    // for strings (also used as the raw value)
  };

  AxmlWriter() = default;
  explicit AxmlWriter(Options options) : o_(options) {}

  void StartNs(const std::string& prefix, const std::string& uri) {
    Node(0x0100, {Ref(prefix), Ref(uri)});
  }
  void EndNs(const std::string& prefix, const std::string& uri) {
    Node(0x0101, {Ref(prefix), Ref(uri)});
  }
  void Start(const std::string& name, const std::vector<Attr>& attrs) {
    // Attribute names with ids must come first in the pool (the map is parallel to it), so
    // ids are registered up front by Register().
    std::string ext;
    PutU32(&ext, 0xffffffff);
    PutU32(&ext, Ref(name));
    PutU16(&ext, 20);
    PutU16(&ext, static_cast<uint16_t>(20 + o_.attr_stride_pad));
    PutU16(&ext, static_cast<uint16_t>(attrs.size()));
    PutU16(&ext, 0);
    PutU16(&ext, 0);
    PutU16(&ext, 0);
    for (const Attr& a : attrs) {
      PutU32(&ext, a.ns.empty() ? 0xffffffff : Ref(a.ns));
      PutU32(&ext, Ref(a.name, a.res_id));
      bool is_str = a.type == 0x03;
      PutU32(&ext, is_str ? Ref(a.str) : 0xffffffff);
      PutU16(&ext, 8);
      ext.push_back('\0');
      ext.push_back(static_cast<char>(a.type));
      PutU32(&ext, is_str ? Ref(a.str) : a.data);
      ext.append(o_.attr_stride_pad, '\0');
    }
    NodeRaw(0x0102, ext);
  }
  void End(const std::string& name) { Node(0x0103, {0xffffffff, Ref(name)}); }

  // Registers attribute names that carry resource ids, in id order; call before anything else.
  void Register(const std::vector<std::pair<std::string, uint32_t>>& names) {
    for (const auto& [n, id] : names) Ref(n, id);
  }

  std::string Build() const {
    std::string body = StringPoolChunk(strings_, o_.utf8, o_.string_count_override);
    if (!o_.omit_resource_map && !ids_.empty()) {
      std::string map;
      PutU16(&map, 0x0180);
      PutU16(&map, 8);
      PutU32(&map, static_cast<uint32_t>(8 + 4 * ids_.size()));
      for (uint32_t id : ids_) PutU32(&map, id);
      body += map;
    }
    if (o_.unknown_chunk) {
      std::string u;
      PutU16(&u, 0x0777);
      PutU16(&u, 8);
      PutU32(&u, 16);
      PutU32(&u, 0xdeadbeef);
      PutU32(&u, 0xcafebabe);
      body += u;
    }
    body += nodes_;
    std::string out;
    PutU16(&out, 0x0003);
    PutU16(&out, 8);
    PutU32(&out, static_cast<uint32_t>(8 + body.size()));
    return out + body;
  }

 private:
  uint32_t Ref(const std::string& s, uint32_t id = 0) {
    auto it = index_.find(s);
    if (it != index_.end()) return it->second;
    uint32_t i = static_cast<uint32_t>(strings_.size());
    strings_.push_back(s);
    index_[s] = i;
    if (id != 0) {
      // Only valid while every earlier string also had an id (Register() first).
      if (ids_.size() == i) ids_.push_back(id);
    }
    return i;
  }
  void Node(uint16_t type, std::vector<uint32_t> ext_words) {
    std::string ext;
    for (uint32_t w : ext_words) PutU32(&ext, w);
    NodeRaw(type, ext);
  }
  void NodeRaw(uint16_t type, const std::string& ext) {
    std::string n;
    PutU16(&n, type);
    PutU16(&n, static_cast<uint16_t>(16 + o_.node_header_pad));
    PutU32(&n, static_cast<uint32_t>(16 + o_.node_header_pad + ext.size()));
    PutU32(&n, ++line_);
    PutU32(&n, 0xffffffff);
    n.append(o_.node_header_pad, '\0');
    nodes_ += n + ext;
  }

  Options o_;
  std::vector<std::string> strings_;
  std::map<std::string, uint32_t> index_;
  std::vector<uint32_t> ids_;
  std::string nodes_;
  uint32_t line_ = 0;
};

}  // namespace piaudit::testing

#endif  // PIAUDIT_TESTS_ANDROID_AXML_WRITER_H_
