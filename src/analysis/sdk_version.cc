#include "analysis/sdk_version.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <utility>

#include "container/zip_archive.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/encoded_value.h"
#include "dex/instruction.h"
#include "knowledge/syntax.h"

namespace piaudit::analysis {
namespace {

// A <clinit> longer than this is not the short initialiser a version constant lives in; the walk
// stops there (a hostile class cannot make it long).
constexpr uint32_t kMaxClinitInstructions = 20000;
// static_values never hold more values than a class has static fields; a class_data_item cannot
// list more than this many in practice (the dex format's 16-bit field indices per class bound it).
constexpr uint32_t kMaxStaticValues = 65536;

constexpr std::string_view kStringType = "Ljava/lang/String;";

struct ParsedRef {
  std::string class_descriptor;  // "Lcom/x/Y;"
  std::string member;            // "SDK_VERSION" or "getVersion"
  bool is_field = false;
};

// "Lcom/x/Y;->NAME:Ljava/lang/String;" or "Lcom/x/Y;->name()Ljava/lang/String;" (the loader
// checked the grammar; anything else yields nullopt).
std::optional<ParsedRef> ParseRef(std::string_view ref) {
  const size_t arrow = ref.find("->");
  if (arrow == std::string_view::npos) return std::nullopt;
  ParsedRef out;
  out.class_descriptor = std::string(ref.substr(0, arrow));
  const std::string_view rest = ref.substr(arrow + 2);
  const size_t colon = rest.find(':');
  const size_t paren = rest.find('(');
  if (colon != std::string_view::npos && (paren == std::string_view::npos || colon < paren)) {
    out.is_field = true;
    out.member = std::string(rest.substr(0, colon));
  } else if (paren != std::string_view::npos) {
    out.member = std::string(rest.substr(0, paren));
  } else {
    return std::nullopt;
  }
  return out;
}

std::string DescriptorOfDot(std::string_view dot_class) {
  std::string d = "L";
  for (char c : dot_class) d.push_back(c == '.' ? '/' : c);
  d.push_back(';');
  return d;
}

bool InPackage(std::string_view dot_class, std::string_view package) {
  return !package.empty() && dot_class.size() > package.size() &&
         dot_class.compare(0, package.size(), package) == 0 && dot_class[package.size()] == '.';
}

struct ClassAt {
  const dex::DexFile* dex = nullptr;
  dex::ClassDef def;
};

// The string value of static String field `name` of `cls`: its encoded initial value, else the
// constant <clinit> stores into it. "" when neither shows one.
std::string StaticStringValue(const ClassAt& cls, std::string_view name) {
  const dex::DexFile& dex = *cls.dex;
  dex::ClassData data;
  if (!dex.ReadClassData(cls.def, &data).ok()) return "";
  size_t position = data.static_fields.size();
  uint32_t field_idx = dex::kNoIndex;
  for (size_t i = 0; i < data.static_fields.size(); ++i) {
    const dex::FieldRef f = dex.GetFieldRef(data.static_fields[i].field_idx);
    if (f.name == name && f.type == kStringType) {
      position = i;
      field_idx = data.static_fields[i].field_idx;
      break;
    }
  }
  if (field_idx == dex::kNoIndex) return "";
  if (cls.def.static_values_off != 0) {
    std::vector<dex::EncodedValue> values;
    const uint32_t max_values =
        static_cast<uint32_t>(std::min<size_t>(data.static_fields.size(), kMaxStaticValues));
    if (dex::ReadEncodedArray(dex.bytes(), cls.def.static_values_off, max_values, &values).ok() &&
        position < values.size() && values[position].type == dex::ValueType::kString &&
        values[position].index() < dex.num_strings()) {
      return dex.GetString(values[position].index());
    }
  }
  for (const dex::EncodedMethod& m : data.direct_methods) {
    if (m.code_off == 0 || dex.GetMethodRef(m.method_idx).name != "<clinit>") continue;
    auto code = dex.GetCodeItem(m.code_off);
    if (!code.ok()) return "";
    dex::InstructionIterator it = code->Instructions();
    dex::Instruction insn;
    dex::Instruction previous;
    bool have_previous = false;
    for (uint32_t n = 0; n < kMaxClinitInstructions && it.Next(&insn); ++n) {
      if (insn.opcode == dex::Opcode::kSputObject && insn.index == field_idx && have_previous &&
          (previous.opcode == dex::Opcode::kConstString ||
           previous.opcode == dex::Opcode::kConstStringJumbo) &&
          previous.a == insn.a && previous.index < dex.num_strings()) {
        return dex.GetString(previous.index);
      }
      previous = insn;
      have_previous = true;
    }
    return "";
  }
  return "";
}

// The constant returned by method `ref` ("Lcom/x/Y;->getVersion()Ljava/lang/String;") of `cls`
// when its whole code is `const-string vA; return-object vA`; "" otherwise.
std::string ReturnedConstant(const ClassAt& cls, std::string_view ref) {
  const dex::DexFile& dex = *cls.dex;
  dex::ClassData data;
  if (!dex.ReadClassData(cls.def, &data).ok()) return "";
  for (const auto* list : {&data.direct_methods, &data.virtual_methods}) {
    for (const dex::EncodedMethod& m : *list) {
      if (m.code_off == 0 || dex.MethodRefString(m.method_idx) != ref) continue;
      auto code = dex.GetCodeItem(m.code_off);
      if (!code.ok()) return "";
      dex::InstructionIterator it = code->Instructions();
      dex::Instruction first;
      dex::Instruction second;
      if (!it.Next(&first) || !it.Next(&second)) return "";
      if ((first.opcode != dex::Opcode::kConstString &&
           first.opcode != dex::Opcode::kConstStringJumbo) ||
          second.opcode != dex::Opcode::kReturnObject || second.a != first.a ||
          first.index >= dex.num_strings()) {
        return "";
      }
      return dex.GetString(first.index);
    }
  }
  return "";
}

}  // namespace

std::string CleanVersion(std::string_view raw) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!raw.empty() && space(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && space(raw.back())) raw.remove_suffix(1);
  if (raw.empty() || raw.size() > kMaxSdkVersionBytes) return "";
  bool digit = false;
  for (char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return "";
    digit |= c >= '0' && c <= '9';
  }
  return digit ? std::string(raw) : "";
}

std::vector<MetaInfVersionFile> CollectMetaInfVersionFiles(const container::ZipArchive& zip) {
  std::vector<MetaInfVersionFile> out;
  constexpr std::string_view kDir = "META-INF/";
  constexpr std::string_view kExt = ".version";
  for (const container::ZipEntry& e : zip.entries()) {
    if (out.size() >= kMaxMetaInfVersionFiles) break;
    const std::string_view name = e.name;
    if (name.size() <= kDir.size() + kExt.size() || name.compare(0, kDir.size(), kDir) != 0 ||
        name.compare(name.size() - kExt.size(), kExt.size(), kExt) != 0 ||
        name.find('/', kDir.size()) != std::string_view::npos) {
      continue;
    }
    if (e.uncompressed_size > kMaxMetaInfVersionFileBytes ||
        e.compressed_size > kMaxMetaInfVersionFileBytes + 64) {
      continue;
    }
    auto data = zip.Read(e);
    if (!data.ok()) continue;
    const ByteSpan bytes = data->bytes();
    const size_t n = std::min(bytes.size(), kMaxMetaInfVersionFileBytes);
    out.push_back({std::string(name), std::string(reinterpret_cast<const char*>(bytes.data()), n)});
  }
  return out;
}

void ReadSdkVersions(std::span<const dex::DexFile* const> dexes,
                     std::span<const MetaInfVersionFile> meta_inf,
                     std::span<const std::string> app_packages, std::vector<SdkFinding>* findings) {
  // The classes any finding may read from, found in one pass over the class definitions.
  std::unordered_map<std::string, std::optional<ClassAt>> wanted;
  auto build_config_of = [&](const SdkFinding& f) {
    std::vector<std::string> out;
    for (const knowledge::SdkPrefix& p : f.sdk->prefixes) {
      if (p.quality != knowledge::PrefixQuality::kDistinct) continue;
      const std::string dot = p.prefix + ".BuildConfig";
      bool app = false;
      for (const std::string& pkg : app_packages) app |= InPackage(dot, pkg);
      if (!app) out.push_back(DescriptorOfDot(dot));
    }
    return out;
  };
  for (const SdkFinding& f : *findings) {
    if (f.sdk == nullptr) continue;
    for (const knowledge::SdkVersionLocation& loc : f.sdk->version) {
      if (auto r = ParseRef(loc.ref)) wanted.emplace(r->class_descriptor, std::nullopt);
    }
    if (f.presence == Presence::kCode) {
      for (std::string& d : build_config_of(f)) wanted.emplace(std::move(d), std::nullopt);
    }
  }
  if (!wanted.empty()) {
    std::string scratch;
    for (const dex::DexFile* dex : dexes) {
      if (dex == nullptr) continue;
      for (uint32_t i = 0; i < dex->num_class_defs(); ++i) {
        auto def = dex->GetClassDef(i);
        if (!def.ok()) continue;
        auto it = wanted.find(std::string(dex->TypeDescriptor(def->class_type, &scratch)));
        if (it == wanted.end() || it->second) continue;  // first definition wins
        it->second = ClassAt{dex, *def};
      }
    }
  }
  auto class_at = [&](const std::string& descriptor) -> const ClassAt* {
    auto it = wanted.find(descriptor);
    return it != wanted.end() && it->second ? &*it->second : nullptr;
  };

  for (SdkFinding& f : *findings) {
    if (f.sdk == nullptr) continue;
    SdkVersionReading reading;
    for (const knowledge::SdkVersionLocation& loc : f.sdk->version) {
      if (!loc.meta_inf.empty()) {
        for (const MetaInfVersionFile& file : meta_inf) {
          const std::string_view base = std::string_view(file.name).substr(9);  // "META-INF/"
          if (!knowledge::MatchFilePattern(loc.meta_inf, base)) continue;
          std::string v = CleanVersion(file.content);
          if (v.empty()) continue;
          reading = {std::move(v), "meta-inf", file.name, file.name};
          break;
        }
      } else if (auto r = ParseRef(loc.ref)) {
        const ClassAt* cls = class_at(r->class_descriptor);
        if (cls == nullptr) continue;
        std::string v = CleanVersion(r->is_field ? StaticStringValue(*cls, r->member)
                                                 : ReturnedConstant(*cls, loc.ref));
        if (!v.empty()) {
          reading = {std::move(v), r->is_field ? "field" : "method", cls->dex->name(), loc.ref};
        }
      }
      if (!reading.version.empty()) break;
    }
    if (reading.version.empty() && f.presence == Presence::kCode) {
      for (const std::string& descriptor : build_config_of(f)) {
        const ClassAt* cls = class_at(descriptor);
        if (cls == nullptr) continue;
        std::string v = CleanVersion(StaticStringValue(*cls, "VERSION_NAME"));
        if (v.empty()) continue;
        reading = {std::move(v), "build-config", cls->dex->name(),
                   descriptor + "->VERSION_NAME:Ljava/lang/String;"};
        break;
      }
    }
    if (!reading.version.empty()) f.version = std::move(reading);
  }
}

}  // namespace piaudit::analysis
