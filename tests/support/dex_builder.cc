// DexBuilder layout. Written independently of src/dex (own MUTF-8 and adler32, OpenSSL SHA-1) so
// a misunderstanding of the format in the reader is not silently shared by the writer; dexdump is
// the referee (WriteAndVerifyDex).
//
// Layout of the file written (all sections 4-byte aligned):
//   header | string_ids | type_ids | proto_ids | field_ids | method_ids | class_defs |
//   data: code_items | type_lists | string_data | class_data | map_list
// Sort orders the runtime's verifier insists on: strings by UTF-16 code units; types by string
// index; protos by (return type, parameter list); fields by (class, name, type); methods by
// (class, name, proto); class_defs superclass and interfaces first; class_data members by index.
#include "support/dex_builder.h"

#include <openssl/sha.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace piaudit::testing {
namespace {

constexpr uint32_t kNoIndex = 0xffffffff;

// ---- text helpers ----

// Splits a proto "(IJLjava/lang/String;)V" into parameter descriptors and return descriptor.
bool ParseProto(std::string_view proto, std::vector<std::string>* params, std::string* ret) {
  if (proto.empty() || proto[0] != '(') return false;
  size_t i = 1;
  params->clear();
  while (i < proto.size() && proto[i] != ')') {
    size_t start = i;
    while (i < proto.size() && proto[i] == '[') ++i;
    if (i >= proto.size()) return false;
    if (proto[i] == 'L') {
      size_t semi = proto.find(';', i);
      if (semi == std::string_view::npos) return false;
      i = semi + 1;
    } else {
      if (std::string_view("ZBSCIJFD").find(proto[i]) == std::string_view::npos) return false;
      ++i;
    }
    params->emplace_back(proto.substr(start, i - start));
  }
  if (i >= proto.size()) return false;
  *ret = std::string(proto.substr(i + 1));
  return !ret->empty();
}

char ShortyChar(const std::string& desc) {
  return desc[0] == '[' || desc[0] == 'L' ? 'L' : desc[0];
}

bool SplitMember(std::string_view ref, char sep, std::string* cls, std::string* name,
                 std::string* rest) {
  size_t arrow = ref.find("->");
  if (arrow == std::string_view::npos) return false;
  *cls = std::string(ref.substr(0, arrow));
  std::string_view tail = ref.substr(arrow + 2);
  size_t s = tail.find(sep);
  if (s == std::string_view::npos || s == 0) return false;
  *name = std::string(tail.substr(0, s));
  *rest = std::string(tail.substr(sep == ':' ? s + 1 : s));
  return !cls->empty() && !rest->empty();
}

// UTF-8 -> code points (the builder's inputs are valid UTF-8 test strings).
std::vector<uint32_t> CodePoints(std::string_view s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    uint8_t b = s[i];
    int n = b < 0x80 ? 0 : b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
    uint32_t cp = n == 0 ? b : n == 1 ? (b & 0x1f) : n == 2 ? (b & 0x0f) : (b & 0x07);
    for (int k = 1; k <= n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3f);
    out.push_back(cp);
    i += n + 1;
  }
  return out;
}

std::u16string Utf16(std::string_view s) {
  std::u16string out;
  for (uint32_t cp : CodePoints(s)) {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

void PutMutf8Unit(uint32_t u, std::vector<uint8_t>* out) {
  if (u != 0 && u < 0x80) {
    out->push_back(static_cast<uint8_t>(u));
  } else if (u < 0x800) {  // includes U+0000 as C0 80
    out->push_back(static_cast<uint8_t>(0xc0 | (u >> 6)));
    out->push_back(static_cast<uint8_t>(0x80 | (u & 0x3f)));
  } else {
    out->push_back(static_cast<uint8_t>(0xe0 | (u >> 12)));
    out->push_back(static_cast<uint8_t>(0x80 | ((u >> 6) & 0x3f)));
    out->push_back(static_cast<uint8_t>(0x80 | (u & 0x3f)));
  }
}

// ---- byte writer ----
class Out {
 public:
  size_t size() const { return b_.size(); }
  void U8(uint8_t v) { b_.push_back(v); }
  void U16(uint16_t v) {
    U8(v & 0xff);
    U8(v >> 8);
  }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) U8(static_cast<uint8_t>(v >> (8 * i)));
  }
  void Uleb(uint32_t v) {
    do {
      uint8_t byte = v & 0x7f;
      v >>= 7;
      if (v != 0) byte |= 0x80;
      U8(byte);
    } while (v != 0);
  }
  void Align4() {
    while (b_.size() % 4 != 0) U8(0);
  }
  void Bytes(const std::vector<uint8_t>& v) { b_.insert(b_.end(), v.begin(), v.end()); }
  void PatchU32(size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) b_[at + i] = static_cast<uint8_t>(v >> (8 * i));
  }
  std::vector<uint8_t>& bytes() { return b_; }

 private:
  std::vector<uint8_t> b_;
};

uint32_t Adler32(const uint8_t* p, size_t n) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < n; ++i) {
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  return (b << 16) | a;
}

uint32_t InsnUnits(const BuilderInsn& insn) {
  if (insn.is_label) return 0;
  if (!insn.raw.empty()) return static_cast<uint32_t>(insn.raw.size());
  switch (insn.opcode) {
    case 0x00:
    case 0x01:
    case 0x07:
    case 0x0a:
    case 0x0c:
    case 0x0e:
    case 0x0f:
    case 0x11:
    case 0x12:
    case 0x27:
      return 1;
    case 0x1b:
    case 0x6e:
    case 0x6f:
    case 0x70:
    case 0x71:
    case 0x72:
    case 0x74:
    case 0x75:
    case 0x76:
    case 0x77:
    case 0x78:
      return 3;
    default:
      return 2;
  }
}

struct ProtoKey {
  uint32_t ret;
  std::vector<uint32_t> params;
  bool operator<(const ProtoKey& o) const {
    return std::tie(ret, params) < std::tie(o.ret, o.params);
  }
};

// Everything Build() resolves, in one place.
class Layout {
 public:
  explicit Layout(const DexBuilder& b) : b_(b) {}
  Result<std::vector<uint8_t>> Run();

 private:
  Status Collect();
  Status CollectMethodRef(const std::string& ref);
  Status CollectFieldRef(const std::string& ref);
  void Finalize();
  uint32_t S(const std::string& s) const { return string_idx_.at(s); }
  uint32_t T(const std::string& t) const { return type_idx_.at(t); }
  uint32_t P(const std::string& proto) const;
  uint32_t F(const std::string& ref) const;
  uint32_t M(const std::string& ref) const;
  Result<std::vector<uint16_t>> Encode(const MethodBuilder& m, uint16_t* outs) const;

  const DexBuilder& b_;
  std::set<std::string> strings_;
  std::set<std::string> types_;
  std::set<std::string> protos_;
  std::set<std::tuple<std::string, std::string, std::string>> fields_;   // cls, name, type
  std::set<std::tuple<std::string, std::string, std::string>> methods_;  // cls, name, proto

  std::vector<std::string> string_list_;
  std::map<std::string, uint32_t> string_idx_;
  std::vector<std::string> type_list_;
  std::map<std::string, uint32_t> type_idx_;
  std::vector<std::pair<ProtoKey, std::string>> proto_list_;  // key, text
  std::map<std::string, uint32_t> proto_idx_;
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> field_list_;  // class, name, type
  std::map<std::tuple<uint32_t, uint32_t, uint32_t>, uint32_t> field_idx_;
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> method_list_;  // class, name, proto
  std::map<std::tuple<uint32_t, uint32_t, uint32_t>, uint32_t> method_idx_;
};

void AddProtoStrings(const std::string& proto, std::set<std::string>* protos,
                     std::set<std::string>* types, std::set<std::string>* strings) {
  std::vector<std::string> params;
  std::string ret;
  ParseProto(proto, &params, &ret);
  std::string shorty(1, ShortyChar(ret));
  for (const auto& p : params) {
    types->insert(p);
    shorty += ShortyChar(p);
  }
  types->insert(ret);
  strings->insert(shorty);
  protos->insert(proto);
}

Status Layout::CollectMethodRef(const std::string& ref) {
  std::string cls, name, proto;
  std::vector<std::string> params;
  std::string ret;
  if (!SplitMember(ref, '(', &cls, &name, &proto) || !ParseProto(proto, &params, &ret)) {
    return InvalidInput("malformed method reference '" + ref + "'");
  }
  types_.insert(cls);
  strings_.insert(name);
  AddProtoStrings(proto, &protos_, &types_, &strings_);
  methods_.insert({cls, name, proto});
  return Status();
}

Status Layout::CollectFieldRef(const std::string& ref) {
  std::string cls, name, type;
  if (!SplitMember(ref, ':', &cls, &name, &type)) {
    return InvalidInput("malformed field reference '" + ref + "'");
  }
  types_.insert(cls);
  types_.insert(type);
  strings_.insert(name);
  fields_.insert({cls, name, type});
  return Status();
}

Status Layout::Collect() {
  for (const std::string& s : b_.extra_strings()) strings_.insert(s);
  for (const ClassBuilder& c : b_.classes()) {
    types_.insert(c.descriptor());
    if (!c.superclass().empty()) types_.insert(c.superclass());
    for (const auto& i : c.interfaces()) types_.insert(i);
    if (!c.source_file().empty()) strings_.insert(c.source_file());
    for (const BuilderField& f : c.fields()) {
      RETURN_IF_ERROR(CollectFieldRef(c.descriptor() + "->" + f.name + ":" + f.type));
      if (f.string_value) strings_.insert(*f.string_value);
    }
    for (const MethodBuilder& m : c.methods()) {
      RETURN_IF_ERROR(CollectMethodRef(c.descriptor() + "->" + m.name() + m.proto()));
      for (const BuilderInsn& insn : m.insns()) {
        switch (insn.ref_kind) {
          case BuilderInsn::Ref::kNone:
            break;
          case BuilderInsn::Ref::kString:
            strings_.insert(insn.ref);
            break;
          case BuilderInsn::Ref::kType:
            types_.insert(insn.ref);
            break;
          case BuilderInsn::Ref::kField:
            RETURN_IF_ERROR(CollectFieldRef(insn.ref));
            break;
          case BuilderInsn::Ref::kMethod:
            RETURN_IF_ERROR(CollectMethodRef(insn.ref));
            break;
        }
      }
    }
  }
  for (const auto& t : types_) strings_.insert(t);
  return Status();
}

void Layout::Finalize() {
  string_list_.assign(strings_.begin(), strings_.end());
  std::sort(string_list_.begin(), string_list_.end(),
            [](const std::string& a, const std::string& b) { return Utf16(a) < Utf16(b); });
  for (uint32_t i = 0; i < string_list_.size(); ++i) string_idx_[string_list_[i]] = i;
  type_list_.assign(types_.begin(), types_.end());
  std::sort(type_list_.begin(), type_list_.end(),
            [&](const std::string& a, const std::string& b) { return S(a) < S(b); });
  for (uint32_t i = 0; i < type_list_.size(); ++i) type_idx_[type_list_[i]] = i;
  for (const std::string& p : protos_) {
    std::vector<std::string> params;
    std::string ret;
    ParseProto(p, &params, &ret);
    ProtoKey key{T(ret), {}};
    for (const auto& x : params) key.params.push_back(T(x));
    proto_list_.push_back({key, p});
  }
  std::sort(proto_list_.begin(), proto_list_.end());
  for (uint32_t i = 0; i < proto_list_.size(); ++i) proto_idx_[proto_list_[i].second] = i;
  for (const auto& [cls, name, type] : fields_) field_list_.push_back({T(cls), S(name), T(type)});
  std::sort(field_list_.begin(), field_list_.end());
  for (uint32_t i = 0; i < field_list_.size(); ++i) field_idx_[field_list_[i]] = i;
  for (const auto& [cls, name, proto] : methods_) {
    method_list_.push_back({T(cls), S(name), proto_idx_.at(proto)});
  }
  std::sort(method_list_.begin(), method_list_.end());
  for (uint32_t i = 0; i < method_list_.size(); ++i) method_idx_[method_list_[i]] = i;
}

uint32_t Layout::P(const std::string& proto) const { return proto_idx_.at(proto); }

uint32_t Layout::F(const std::string& ref) const {
  std::string cls, name, type;
  SplitMember(ref, ':', &cls, &name, &type);
  return field_idx_.at({T(cls), S(name), T(type)});
}

uint32_t Layout::M(const std::string& ref) const {
  std::string cls, name, proto;
  SplitMember(ref, '(', &cls, &name, &proto);
  return method_idx_.at({T(cls), S(name), P(proto)});
}

uint32_t InsWords(const MethodBuilder& m) {
  std::vector<std::string> params;
  std::string ret;
  ParseProto(m.proto(), &params, &ret);
  uint32_t words = (m.access_flags() & kAccStatic) ? 0 : 1;
  for (const auto& p : params) words += (p == "J" || p == "D") ? 2 : 1;
  return words;
}

Result<std::vector<uint16_t>> Layout::Encode(const MethodBuilder& m, uint16_t* outs) const {
  std::map<std::string, uint32_t> labels;
  uint32_t pc = 0;
  for (const BuilderInsn& insn : m.insns()) {
    if (insn.is_label) labels[insn.label] = pc;
    pc += InsnUnits(insn);
  }
  std::vector<uint16_t> code;
  *outs = 0;
  for (const BuilderInsn& insn : m.insns()) {
    if (insn.is_label) continue;
    if (!insn.raw.empty()) {
      code.insert(code.end(), insn.raw.begin(), insn.raw.end());
      continue;
    }
    const uint32_t here = static_cast<uint32_t>(code.size());
    const uint16_t op = insn.opcode;
    const auto& r = insn.regs;
    uint32_t idx = 0;
    switch (insn.ref_kind) {
      case BuilderInsn::Ref::kNone:
        break;
      case BuilderInsn::Ref::kString:
        idx = S(insn.ref);
        break;
      case BuilderInsn::Ref::kType:
        idx = T(insn.ref);
        break;
      case BuilderInsn::Ref::kField:
        idx = F(insn.ref);
        break;
      case BuilderInsn::Ref::kMethod:
        idx = M(insn.ref);
        break;
    }
    auto target = [&]() -> Result<int32_t> {
      auto it = labels.find(insn.label);
      if (it == labels.end())
        return InvalidInput("unknown label '" + insn.label + "' in " + m.name());
      return static_cast<int32_t>(it->second) - static_cast<int32_t>(here);
    };
    switch (op) {
      case 0x00:
      case 0x0e:  // nop, return-void
        code.push_back(op);
        break;
      case 0x0a:
      case 0x0c:
      case 0x0f:
      case 0x11:
      case 0x27:  // 11x
        code.push_back(static_cast<uint16_t>(op | (r[0] << 8)));
        break;
      case 0x01:
      case 0x07:  // 12x
        code.push_back(static_cast<uint16_t>(op | ((r[0] & 0xf) << 8) | ((r[1] & 0xf) << 12)));
        break;
      case 0x12:  // const/4
        code.push_back(
            static_cast<uint16_t>(op | ((r[0] & 0xf) << 8) | ((insn.literal & 0xf) << 12)));
        break;
      case 0x13:  // const/16
        code.push_back(static_cast<uint16_t>(op | (r[0] << 8)));
        code.push_back(static_cast<uint16_t>(insn.literal));
        break;
      case 0x1a:
      case 0x1c:
      case 0x1f:
      case 0x22:
      case 0x60:
      case 0x62:
      case 0x67:
      case 0x69:
        if (idx > 0xffff) return InvalidInput("index too large for a 21c instruction");
        code.push_back(static_cast<uint16_t>(op | (r[0] << 8)));
        code.push_back(static_cast<uint16_t>(idx));
        break;
      case 0x1b:  // const-string/jumbo
        code.push_back(static_cast<uint16_t>(op | (r[0] << 8)));
        code.push_back(static_cast<uint16_t>(idx & 0xffff));
        code.push_back(static_cast<uint16_t>(idx >> 16));
        break;
      case 0x52:
      case 0x54:
      case 0x59:
      case 0x5b:  // 22c
        code.push_back(static_cast<uint16_t>(op | ((r[0] & 0xf) << 8) | ((r[1] & 0xf) << 12)));
        code.push_back(static_cast<uint16_t>(idx));
        break;
      case 0x6e:
      case 0x6f:
      case 0x70:
      case 0x71:
      case 0x72: {  // 35c
        if (r.size() > 5) return InvalidInput("more than 5 registers in a non-range invoke");
        uint32_t regs[5] = {0, 0, 0, 0, 0};
        for (size_t i = 0; i < r.size(); ++i) regs[i] = r[i] & 0xf;
        code.push_back(static_cast<uint16_t>(op | (regs[4] << 8) | (r.size() << 12)));
        code.push_back(static_cast<uint16_t>(idx));
        code.push_back(
            static_cast<uint16_t>(regs[0] | (regs[1] << 4) | (regs[2] << 8) | (regs[3] << 12)));
        *outs = std::max<uint16_t>(*outs, static_cast<uint16_t>(r.size()));
        break;
      }
      case 0x74:
      case 0x75:
      case 0x76:
      case 0x77:
      case 0x78:  // 3rc: regs = {first, count}
        code.push_back(static_cast<uint16_t>(op | (r[1] << 8)));
        code.push_back(static_cast<uint16_t>(idx));
        code.push_back(static_cast<uint16_t>(r[0]));
        *outs = std::max<uint16_t>(*outs, static_cast<uint16_t>(r[1]));
        break;
      case 0x38:
      case 0x39: {  // 21t
        ASSIGN_OR_RETURN(int32_t off, target());
        code.push_back(static_cast<uint16_t>(op | (r[0] << 8)));
        code.push_back(static_cast<uint16_t>(off));
        break;
      }
      case 0x29: {  // goto/16
        ASSIGN_OR_RETURN(int32_t off, target());
        code.push_back(op);
        code.push_back(static_cast<uint16_t>(off));
        break;
      }
      default:
        return InternalError("builder cannot encode opcode " + std::to_string(op));
    }
  }
  return code;
}

Result<std::vector<uint8_t>> Layout::Run() {
  RETURN_IF_ERROR(Collect());
  Finalize();

  // class_defs order: a class after its superclass and interfaces when they are defined here.
  std::vector<const ClassBuilder*> order;
  {
    std::map<std::string, const ClassBuilder*> defined;
    for (const ClassBuilder& c : b_.classes()) {
      if (!defined.emplace(c.descriptor(), &c).second) {
        return InvalidInput("class " + c.descriptor() + " defined twice");
      }
    }
    std::set<std::string> placed;
    // Repeated passes (no recursion): each pass places every class whose supertypes are placed.
    while (order.size() < defined.size()) {
      size_t before = order.size();
      for (const ClassBuilder& c : b_.classes()) {
        if (placed.count(c.descriptor())) continue;
        bool ready = true;
        std::vector<std::string> supers = c.interfaces();
        if (!c.superclass().empty()) supers.push_back(c.superclass());
        for (const auto& s : supers) {
          if (defined.count(s) && !placed.count(s)) ready = false;
        }
        if (ready) {
          placed.insert(c.descriptor());
          order.push_back(&c);
        }
      }
      if (order.size() == before) return InvalidInput("cyclic class hierarchy");
    }
  }

  Out out;
  const uint32_t kHeader = 0x70;
  const uint32_t string_ids_off = kHeader;
  const uint32_t type_ids_off = string_ids_off + 4 * string_list_.size();
  const uint32_t proto_ids_off = type_ids_off + 4 * type_list_.size();
  const uint32_t field_ids_off = proto_ids_off + 12 * proto_list_.size();
  const uint32_t method_ids_off = field_ids_off + 8 * field_list_.size();
  const uint32_t class_defs_off = method_ids_off + 8 * method_list_.size();
  const uint32_t data_off = class_defs_off + 32 * order.size();

  // Data section, built separately then appended.
  Out data;
  auto abs = [&](size_t data_pos) { return static_cast<uint32_t>(data_off + data_pos); };
  // Code items.
  std::map<const MethodBuilder*, uint32_t> code_off;
  uint32_t code_items = 0;
  size_t code_start = data.size();
  for (const ClassBuilder* c : order) {
    for (const MethodBuilder& m : c->methods()) {
      if (!m.has_code()) continue;
      uint16_t outs = 0;
      ASSIGN_OR_RETURN(std::vector<uint16_t> insns, Encode(m, &outs));
      const uint32_t ins = InsWords(m);
      if (m.registers() < ins) {
        return InvalidInput(c->descriptor() + "->" + m.name() + ": registers " +
                            std::to_string(m.registers()) + " < ins " + std::to_string(ins));
      }
      data.Align4();
      code_off[&m] = abs(data.size());
      data.U16(m.registers());
      data.U16(static_cast<uint16_t>(ins));
      data.U16(outs);
      data.U16(0);  // tries_size
      data.U32(0);  // debug_info_off
      data.U32(static_cast<uint32_t>(insns.size()));
      for (uint16_t u : insns) data.U16(u);
      ++code_items;
    }
  }
  // Type lists: proto parameters and interfaces.
  uint32_t type_lists = 0;
  uint32_t first_type_list_off = 0;
  std::vector<uint32_t> proto_params_off(proto_list_.size(), 0);
  for (size_t i = 0; i < proto_list_.size(); ++i) {
    const auto& params = proto_list_[i].first.params;
    if (params.empty()) continue;
    data.Align4();
    proto_params_off[i] = abs(data.size());
    if (type_lists == 0) first_type_list_off = proto_params_off[i];
    data.U32(static_cast<uint32_t>(params.size()));
    for (uint32_t t : params) data.U16(static_cast<uint16_t>(t));
    ++type_lists;
  }
  std::map<const ClassBuilder*, uint32_t> interfaces_off;
  for (const ClassBuilder* c : order) {
    if (c->interfaces().empty()) continue;
    data.Align4();
    interfaces_off[c] = abs(data.size());
    if (type_lists == 0) first_type_list_off = interfaces_off[c];
    data.U32(static_cast<uint32_t>(c->interfaces().size()));
    for (const auto& t : c->interfaces()) data.U16(static_cast<uint16_t>(T(t)));
    ++type_lists;
  }
  // String data.
  size_t string_data_start = data.size();
  std::vector<uint32_t> string_data_off(string_list_.size());
  for (size_t i = 0; i < string_list_.size(); ++i) {
    string_data_off[i] = abs(data.size());
    const std::u16string u = Utf16(string_list_[i]);
    data.Uleb(static_cast<uint32_t>(u.size()));
    std::vector<uint8_t> mutf8;
    for (char16_t unit : u) PutMutf8Unit(unit, &mutf8);
    data.Bytes(mutf8);
    data.U8(0);
  }
  // Class data.
  size_t class_data_start = data.size();
  uint32_t class_datas = 0;
  std::map<const ClassBuilder*, uint32_t> class_data_off;
  for (const ClassBuilder* c : order) {
    if (c->fields().empty() && c->methods().empty()) continue;
    class_data_off[c] = abs(data.size());
    ++class_datas;
    std::vector<std::pair<uint32_t, uint32_t>> sfields, ifields;
    for (const BuilderField& f : c->fields()) {
      auto& list = (f.access_flags & kAccStatic) ? sfields : ifields;
      list.push_back({F(c->descriptor() + "->" + f.name + ":" + f.type), f.access_flags});
    }
    struct EM {
      uint32_t idx, flags, code;
      bool operator<(const EM& o) const { return idx < o.idx; }
    };
    std::vector<EM> direct, virt;
    for (const MethodBuilder& m : c->methods()) {
      const bool is_direct = (m.access_flags() & (kAccStatic | kAccPrivate | kAccConstructor)) != 0;
      EM em{M(c->descriptor() + "->" + m.name() + m.proto()), m.access_flags(),
            m.has_code() ? code_off.at(&m) : 0};
      (is_direct ? direct : virt).push_back(em);
    }
    std::sort(sfields.begin(), sfields.end());
    std::sort(ifields.begin(), ifields.end());
    std::sort(direct.begin(), direct.end());
    std::sort(virt.begin(), virt.end());
    data.Uleb(static_cast<uint32_t>(sfields.size()));
    data.Uleb(static_cast<uint32_t>(ifields.size()));
    data.Uleb(static_cast<uint32_t>(direct.size()));
    data.Uleb(static_cast<uint32_t>(virt.size()));
    for (const auto* list : {&sfields, &ifields}) {
      uint32_t prev = 0;
      for (const auto& [idx, flags] : *list) {
        data.Uleb(idx - prev);
        data.Uleb(flags);
        prev = idx;
      }
    }
    for (const auto* list : {&direct, &virt}) {
      uint32_t prev = 0;
      for (const EM& em : *list) {
        data.Uleb(em.idx - prev);
        data.Uleb(em.flags);
        data.Uleb(em.code);
        prev = em.idx;
      }
    }
  }
  // Static values: an encoded_array per class with a valued static field, one value per static
  // field in class_data order up to the last valued one (null for those without a value).
  size_t static_values_start = data.size();
  uint32_t static_value_arrays = 0;
  std::map<const ClassBuilder*, uint32_t> static_values_off;
  for (const ClassBuilder* c : order) {
    std::vector<std::pair<uint32_t, const BuilderField*>> sfields;
    for (const BuilderField& f : c->fields()) {
      if (f.access_flags & kAccStatic)
        sfields.push_back({F(c->descriptor() + "->" + f.name + ":" + f.type), &f});
    }
    std::sort(sfields.begin(), sfields.end());
    size_t count = 0;
    for (size_t i = 0; i < sfields.size(); ++i) {
      if (sfields[i].second->string_value) count = i + 1;
    }
    if (count == 0) continue;
    static_values_off[c] = abs(data.size());
    ++static_value_arrays;
    data.Uleb(static_cast<uint32_t>(count));
    for (size_t i = 0; i < count; ++i) {
      const BuilderField& f = *sfields[i].second;
      if (!f.string_value) {
        data.U8(0x1e);  // VALUE_NULL
        continue;
      }
      const uint32_t idx = S(*f.string_value);
      const int width = idx <= 0xff ? 1 : idx <= 0xffff ? 2 : idx <= 0xffffff ? 3 : 4;
      data.U8(static_cast<uint8_t>(((width - 1) << 5) | 0x17));  // VALUE_STRING
      for (int b = 0; b < width; ++b) data.U8(static_cast<uint8_t>(idx >> (8 * b)));
    }
  }
  // Map list.
  data.Align4();
  const uint32_t map_off = abs(data.size());
  struct MapEntry {
    uint16_t type;
    uint32_t size, off;
  };
  std::vector<MapEntry> map = {{0x0000, 1, 0}};
  auto add = [&](uint16_t type, size_t size, uint32_t off) {
    if (size != 0) map.push_back({type, static_cast<uint32_t>(size), off});
  };
  add(0x0001, string_list_.size(), string_ids_off);
  add(0x0002, type_list_.size(), type_ids_off);
  add(0x0003, proto_list_.size(), proto_ids_off);
  add(0x0004, field_list_.size(), field_ids_off);
  add(0x0005, method_list_.size(), method_ids_off);
  add(0x0006, order.size(), class_defs_off);
  add(0x2001, code_items, abs(code_start));
  add(0x1001, type_lists, first_type_list_off);
  add(0x2002, string_list_.size(), abs(string_data_start));
  add(0x2000, class_datas, abs(class_data_start));
  add(0x2005, static_value_arrays, abs(static_values_start));
  map.push_back({0x1000, 1, map_off});
  data.U32(static_cast<uint32_t>(map.size()));
  for (const MapEntry& e : map) {
    data.U16(e.type);
    data.U16(0);
    data.U32(e.size);
    data.U32(e.off);
  }

  const uint32_t file_size = static_cast<uint32_t>(data_off + data.size());
  // Header.
  const uint8_t magic[8] = {'d', 'e', 'x', '\n', '0', '3', '5', 0};
  for (uint8_t m : magic) out.U8(m);
  out.U32(0);                              // checksum, patched below
  for (int i = 0; i < 20; ++i) out.U8(0);  // signature, patched below
  out.U32(file_size);
  out.U32(kHeader);
  out.U32(0x12345678);
  out.U32(0);  // link_size
  out.U32(0);  // link_off
  out.U32(map_off);
  auto table = [&](size_t n, uint32_t off) {
    out.U32(static_cast<uint32_t>(n));
    out.U32(n == 0 ? 0 : off);
  };
  table(string_list_.size(), string_ids_off);
  table(type_list_.size(), type_ids_off);
  table(proto_list_.size(), proto_ids_off);
  table(field_list_.size(), field_ids_off);
  table(method_list_.size(), method_ids_off);
  table(order.size(), class_defs_off);
  out.U32(static_cast<uint32_t>(data.size()));
  out.U32(data_off);
  // Id tables.
  for (uint32_t off : string_data_off) out.U32(off);
  for (const auto& t : type_list_) out.U32(S(t));
  for (size_t i = 0; i < proto_list_.size(); ++i) {
    const auto& [key, text] = proto_list_[i];
    std::vector<std::string> params;
    std::string ret;
    ParseProto(text, &params, &ret);
    std::string shorty(1, ShortyChar(ret));
    for (const auto& p : params) shorty += ShortyChar(p);
    out.U32(S(shorty));
    out.U32(key.ret);
    out.U32(proto_params_off[i]);
  }
  for (const auto& [cls, name, type] : field_list_) {
    out.U16(static_cast<uint16_t>(cls));
    out.U16(static_cast<uint16_t>(type));
    out.U32(name);
  }
  for (const auto& [cls, name, proto] : method_list_) {
    out.U16(static_cast<uint16_t>(cls));
    out.U16(static_cast<uint16_t>(proto));
    out.U32(name);
  }
  for (const ClassBuilder* c : order) {
    out.U32(T(c->descriptor()));
    out.U32(c->access_flags());
    out.U32(c->superclass().empty() ? kNoIndex : T(c->superclass()));
    out.U32(interfaces_off.count(c) ? interfaces_off.at(c) : 0);
    out.U32(c->source_file().empty() ? kNoIndex : S(c->source_file()));
    out.U32(0);  // annotations_off
    out.U32(class_data_off.count(c) ? class_data_off.at(c) : 0);
    out.U32(static_values_off.count(c) ? static_values_off.at(c) : 0);
  }
  if (out.size() != data_off) return InternalError("builder layout mismatch");
  out.Bytes(data.bytes());

  std::vector<uint8_t>& bytes = out.bytes();
  SHA1(bytes.data() + 32, bytes.size() - 32, bytes.data() + 12);
  out.PatchU32(8, Adler32(bytes.data() + 12, bytes.size() - 12));
  return std::move(bytes);
}

}  // namespace

// ---- MethodBuilder ----

MethodBuilder& MethodBuilder::Add(BuilderInsn insn) {
  insns_.push_back(std::move(insn));
  return *this;
}

MethodBuilder& MethodBuilder::Ref(uint8_t opcode, BuilderInsn::Ref kind, std::string_view ref,
                                  std::vector<uint32_t> regs) {
  BuilderInsn i;
  i.opcode = opcode;
  i.ref_kind = kind;
  i.ref = std::string(ref);
  i.regs = std::move(regs);
  return Add(std::move(i));
}

MethodBuilder& MethodBuilder::Invoke(uint8_t opcode, std::string_view method,
                                     std::initializer_list<uint32_t> args) {
  return Ref(opcode, BuilderInsn::Ref::kMethod, method, std::vector<uint32_t>(args));
}

MethodBuilder& MethodBuilder::InvokeRange(uint8_t opcode, std::string_view method,
                                          uint32_t first_reg, uint32_t count) {
  return Ref(opcode, BuilderInsn::Ref::kMethod, method, {first_reg, count});
}

MethodBuilder& MethodBuilder::ConstString(uint32_t reg, std::string_view value) {
  return Ref(0x1a, BuilderInsn::Ref::kString, value, {reg});
}
MethodBuilder& MethodBuilder::ConstStringJumbo(uint32_t reg, std::string_view value) {
  return Ref(0x1b, BuilderInsn::Ref::kString, value, {reg});
}
MethodBuilder& MethodBuilder::Const4(uint32_t reg, int32_t value) {
  BuilderInsn i;
  i.opcode = 0x12;
  i.regs = {reg};
  i.literal = value;
  return Add(std::move(i));
}
MethodBuilder& MethodBuilder::Const16(uint32_t reg, int32_t value) {
  BuilderInsn i;
  i.opcode = 0x13;
  i.regs = {reg};
  i.literal = value;
  return Add(std::move(i));
}
MethodBuilder& MethodBuilder::ConstClass(uint32_t reg, std::string_view type) {
  return Ref(0x1c, BuilderInsn::Ref::kType, type, {reg});
}
MethodBuilder& MethodBuilder::InvokeVirtual(std::string_view m, std::initializer_list<uint32_t> a) {
  return Invoke(0x6e, m, a);
}
MethodBuilder& MethodBuilder::InvokeSuper(std::string_view m, std::initializer_list<uint32_t> a) {
  return Invoke(0x6f, m, a);
}
MethodBuilder& MethodBuilder::InvokeDirect(std::string_view m, std::initializer_list<uint32_t> a) {
  return Invoke(0x70, m, a);
}
MethodBuilder& MethodBuilder::InvokeStatic(std::string_view m, std::initializer_list<uint32_t> a) {
  return Invoke(0x71, m, a);
}
MethodBuilder& MethodBuilder::InvokeInterface(std::string_view m,
                                              std::initializer_list<uint32_t> a) {
  return Invoke(0x72, m, a);
}
MethodBuilder& MethodBuilder::InvokeVirtualRange(std::string_view m, uint32_t f, uint32_t n) {
  return InvokeRange(0x74, m, f, n);
}
MethodBuilder& MethodBuilder::InvokeSuperRange(std::string_view m, uint32_t f, uint32_t n) {
  return InvokeRange(0x75, m, f, n);
}
MethodBuilder& MethodBuilder::InvokeDirectRange(std::string_view m, uint32_t f, uint32_t n) {
  return InvokeRange(0x76, m, f, n);
}
MethodBuilder& MethodBuilder::InvokeStaticRange(std::string_view m, uint32_t f, uint32_t n) {
  return InvokeRange(0x77, m, f, n);
}
MethodBuilder& MethodBuilder::InvokeInterfaceRange(std::string_view m, uint32_t f, uint32_t n) {
  return InvokeRange(0x78, m, f, n);
}
MethodBuilder& MethodBuilder::MoveResult(uint32_t reg) {
  return Ref(0x0a, BuilderInsn::Ref::kNone, "", {reg});
}
MethodBuilder& MethodBuilder::MoveResultObject(uint32_t reg) {
  return Ref(0x0c, BuilderInsn::Ref::kNone, "", {reg});
}
MethodBuilder& MethodBuilder::Move(uint32_t dst, uint32_t src) {
  return Ref(0x01, BuilderInsn::Ref::kNone, "", {dst, src});
}
MethodBuilder& MethodBuilder::MoveObject(uint32_t dst, uint32_t src) {
  return Ref(0x07, BuilderInsn::Ref::kNone, "", {dst, src});
}
MethodBuilder& MethodBuilder::Sget(uint32_t reg, std::string_view f) {
  return Ref(0x60, BuilderInsn::Ref::kField, f, {reg});
}
MethodBuilder& MethodBuilder::SgetObject(uint32_t reg, std::string_view f) {
  return Ref(0x62, BuilderInsn::Ref::kField, f, {reg});
}
MethodBuilder& MethodBuilder::Sput(uint32_t reg, std::string_view f) {
  return Ref(0x67, BuilderInsn::Ref::kField, f, {reg});
}
MethodBuilder& MethodBuilder::SputObject(uint32_t reg, std::string_view f) {
  return Ref(0x69, BuilderInsn::Ref::kField, f, {reg});
}
MethodBuilder& MethodBuilder::Iget(uint32_t reg, uint32_t obj, std::string_view f) {
  return Ref(0x52, BuilderInsn::Ref::kField, f, {reg, obj});
}
MethodBuilder& MethodBuilder::IgetObject(uint32_t reg, uint32_t obj, std::string_view f) {
  return Ref(0x54, BuilderInsn::Ref::kField, f, {reg, obj});
}
MethodBuilder& MethodBuilder::Iput(uint32_t reg, uint32_t obj, std::string_view f) {
  return Ref(0x59, BuilderInsn::Ref::kField, f, {reg, obj});
}
MethodBuilder& MethodBuilder::IputObject(uint32_t reg, uint32_t obj, std::string_view f) {
  return Ref(0x5b, BuilderInsn::Ref::kField, f, {reg, obj});
}
MethodBuilder& MethodBuilder::NewInstance(uint32_t reg, std::string_view type) {
  return Ref(0x22, BuilderInsn::Ref::kType, type, {reg});
}
MethodBuilder& MethodBuilder::CheckCast(uint32_t reg, std::string_view type) {
  return Ref(0x1f, BuilderInsn::Ref::kType, type, {reg});
}
MethodBuilder& MethodBuilder::Label(std::string_view name) {
  BuilderInsn i;
  i.is_label = true;
  i.label = std::string(name);
  return Add(std::move(i));
}
MethodBuilder& MethodBuilder::IfEqz(uint32_t reg, std::string_view label) {
  BuilderInsn i;
  i.opcode = 0x38;
  i.regs = {reg};
  i.label = std::string(label);
  return Add(std::move(i));
}
MethodBuilder& MethodBuilder::IfNez(uint32_t reg, std::string_view label) {
  BuilderInsn i;
  i.opcode = 0x39;
  i.regs = {reg};
  i.label = std::string(label);
  return Add(std::move(i));
}
MethodBuilder& MethodBuilder::Goto(std::string_view label) {
  BuilderInsn i;
  i.opcode = 0x29;
  i.label = std::string(label);
  return Add(std::move(i));
}
MethodBuilder& MethodBuilder::ReturnVoid() { return Ref(0x0e, BuilderInsn::Ref::kNone, "", {}); }
MethodBuilder& MethodBuilder::Return(uint32_t reg) {
  return Ref(0x0f, BuilderInsn::Ref::kNone, "", {reg});
}
MethodBuilder& MethodBuilder::ReturnObject(uint32_t reg) {
  return Ref(0x11, BuilderInsn::Ref::kNone, "", {reg});
}
MethodBuilder& MethodBuilder::Throw(uint32_t reg) {
  return Ref(0x27, BuilderInsn::Ref::kNone, "", {reg});
}
MethodBuilder& MethodBuilder::Nop() { return Ref(0x00, BuilderInsn::Ref::kNone, "", {}); }
MethodBuilder& MethodBuilder::Raw(std::vector<uint16_t> units) {
  BuilderInsn i;
  i.raw = std::move(units);
  return Add(std::move(i));
}

// ---- ClassBuilder / DexBuilder ----

MethodBuilder& ClassBuilder::AddMethod(std::string_view name, std::string_view proto,
                                       uint32_t access_flags, uint16_t registers) {
  return methods_.emplace_back(std::string(name), std::string(proto), access_flags, registers);
}
MethodBuilder& ClassBuilder::AddConstructor(std::string_view proto, uint16_t registers,
                                            uint32_t access_flags) {
  return AddMethod("<init>", proto, access_flags | kAccConstructor, registers);
}
MethodBuilder& ClassBuilder::AddStaticInitializer(uint16_t registers) {
  return AddMethod("<clinit>", "()V", kAccStatic | kAccConstructor, registers);
}
ClassBuilder& ClassBuilder::AddField(std::string_view name, std::string_view type,
                                     uint32_t access_flags) {
  fields_.push_back(BuilderField{std::string(name), std::string(type), access_flags});
  return *this;
}
ClassBuilder& ClassBuilder::AddStaticStringField(std::string_view name, std::string_view value,
                                                 uint32_t access_flags) {
  fields_.push_back(BuilderField{std::string(name), "Ljava/lang/String;", access_flags | kAccStatic,
                                 std::string(value)});
  return *this;
}
ClassBuilder& ClassBuilder::AddInterface(std::string_view descriptor) {
  interfaces_.emplace_back(descriptor);
  return *this;
}
ClassBuilder& ClassBuilder::SetSourceFile(std::string_view file) {
  source_file_ = std::string(file);
  return *this;
}

ClassBuilder& DexBuilder::AddClass(std::string_view descriptor, std::string_view superclass,
                                   uint32_t access_flags) {
  return classes_.emplace_back(std::string(descriptor), std::string(superclass), access_flags);
}

DexBuilder& DexBuilder::AddString(std::string_view s) {
  extra_strings_.emplace_back(s);
  return *this;
}

Result<std::vector<uint8_t>> DexBuilder::TryBuild() const {
  Layout layout(*this);
  return layout.Run();
}

std::vector<uint8_t> DexBuilder::Build() const {
  Result<std::vector<uint8_t>> r = TryBuild();
  if (!r.ok()) {
    fprintf(stderr, "DexBuilder::Build failed: %s\n", r.status().ToString().c_str());
    return {};
  }
  return std::move(r).value();
}

Result<std::string> RunDexdump(const std::string& path) {
  const std::string err_path = path + ".dexdump.err";
  const std::string cmd = "dexdump -d '" + path + "' 2>'" + err_path + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return IoError("cannot run dexdump");
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  std::ifstream err_in(err_path);
  std::stringstream err;
  err << err_in.rdbuf();
  std::remove(err_path.c_str());
  const std::string err_text = err.str();
  if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
    if (WIFEXITED(rc) && WEXITSTATUS(rc) == 127) return NotFound("dexdump not installed");
    return InvalidInput("dexdump failed on " + path + ": " + err_text.substr(0, 2000));
  }
  if (err_text.find("Failure") != std::string::npos ||
      err_text.find("ERROR") != std::string::npos || err_text.find(" E ") != std::string::npos) {
    return InvalidInput("dexdump complained about " + path + ": " + err_text.substr(0, 2000));
  }
  // stdout: dexdump reports a refused file as "Failure to ..." on a line of its own (string
  // constants in the disassembly are quoted, so only line starts are checked).
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("Failure", 0) == 0 || line.rfind("ERROR", 0) == 0) {
      return InvalidInput("dexdump refused " + path + ": " + line);
    }
  }
  return out;
}

Result<std::vector<uint8_t>> WriteAndVerifyDex(const DexBuilder& builder, const std::string& path) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, builder.TryBuild());
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return IoError("cannot write " + path);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
    if (!f) return IoError("cannot write " + path);
  }
  RETURN_IF_ERROR(RunDexdump(path));
  return bytes;
}

}  // namespace piaudit::testing
