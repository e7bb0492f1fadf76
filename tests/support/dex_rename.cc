#include "support/dex_rename.h"

#include <cstring>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/limits.h"
#include "dex/checksum.h"
#include "dex/dex_file.h"

namespace piaudit::testing {
namespace {

class Namer {
 public:
  Namer(uint64_t seed, std::unordered_set<std::string> taken)
      : rng_(seed), taken_(std::move(taken)) {}

  // Random lowercase letters of `n`, never a string the dex already holds or one handed out;
  // empty when none is found (a one-letter name space can be full): the name is then kept.
  std::string Letters(size_t n) {
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      std::string s(n, 'a');
      for (char& c : s) c = static_cast<char>('a' + rng_() % 26);
      if (taken_.insert(s).second) return s;
    }
    return "";
  }

  // A descriptor of the same length: kRename keeps the '/' and '$' structure, kFlatten moves it
  // into package "o". Unique among all strings; empty (keep the name) when none is found.
  std::string Descriptor(std::string_view old, RenameMode mode) {
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      std::string s(old);
      if (mode == RenameMode::kFlatten && old.size() >= 5) {
        s = "Lo/";
        for (size_t i = 3; i + 1 < old.size(); ++i) s += static_cast<char>('a' + rng_() % 26);
        s += ';';
      } else {
        for (size_t i = 1; i + 1 < s.size(); ++i) {
          if (s[i] != '/' && s[i] != '$') s[i] = static_cast<char>('a' + rng_() % 26);
        }
      }
      if (taken_.insert(s).second) return s;
    }
    return "";
  }

 private:
  static constexpr int kAttempts = 200;
  std::mt19937_64 rng_;
  std::unordered_set<std::string> taken_;
};

}  // namespace

Result<RenameResult> RenameDexClasses(std::string_view dex_bytes, const RenamePlan& plan) {
  Limits limits;
  Result<dex::DexFile> opened = dex::DexFile::Open(ByteSpan(dex_bytes), "fixture.dex", limits);
  if (!opened.ok()) return opened.status();
  const dex::DexFile& dex = *opened;
  RenameResult result;
  result.dex = std::string(dex_bytes);
  auto offset_of = [&](uint32_t string_idx) {
    return static_cast<size_t>(dex.StringData(string_idx).data() - dex_bytes.data());
  };
  // Only ASCII strings are rewritten: a same-length rewrite of MUTF-8 must keep the byte count.
  auto ascii = [](std::string_view s) {
    for (unsigned char c : s)
      if (c >= 0x80) return false;
    return true;
  };
  std::unordered_set<std::string> taken;
  for (uint32_t i = 0; i < dex.num_strings(); ++i) taken.emplace(dex.StringData(i));
  Namer namer(plan.seed, std::move(taken));

  // --- classes ---
  std::vector<bool> selected_type(dex.num_types(), false);
  std::unordered_map<std::string, std::string> new_name;  // old descriptor -> new
  for (uint32_t i = 0; i < dex.num_class_defs(); ++i) {
    Result<dex::ClassDef> def = dex.GetClassDef(i);
    if (!def.ok()) continue;
    std::string_view d = dex.StringData(dex.TypeStringIndex(def->class_type));
    if (!ascii(d) || (plan.select && !plan.select(d))) continue;
    std::string fresh = namer.Descriptor(d, plan.mode);
    if (fresh.empty()) continue;
    selected_type[def->class_type] = true;
    new_name.emplace(std::string(d), std::move(fresh));
  }
  // Patch every type descriptor naming a selected class, arrays of it included.
  for (uint32_t t = 0; t < dex.num_types(); ++t) {
    const uint32_t sidx = dex.TypeStringIndex(t);
    std::string_view d = dex.StringData(sidx);
    size_t dims = 0;
    while (dims < d.size() && d[dims] == '[') ++dims;
    auto it = new_name.find(std::string(d.substr(dims)));
    if (it == new_name.end()) continue;
    std::memcpy(result.dex.data() + offset_of(sidx) + dims, it->second.data(), it->second.size());
    if (dims == 0) result.original_of.emplace(it->second, it->first);
  }

  // --- members used only by renamed classes ---
  if (plan.rename_members) {
    // A name string shared with any member of a class kept (the framework's included) stays.
    std::unordered_map<uint32_t, bool> only_selected;  // name string -> renamable
    auto note = [&](uint32_t class_type, uint32_t name) {
      const bool sel = class_type < selected_type.size() && selected_type[class_type];
      auto [it, inserted] = only_selected.emplace(name, sel);
      if (!inserted) it->second = it->second && sel;
    };
    for (uint32_t m = 0; m < dex.num_methods(); ++m) {
      dex::MethodId id = dex.GetMethodId(m);
      note(id.class_type, id.name);
    }
    for (uint32_t f = 0; f < dex.num_fields(); ++f) {
      dex::FieldId id = dex.GetFieldId(f);
      note(id.class_type, id.name);
    }
    for (const auto& [name, renamable] : only_selected) {
      std::string_view s = dex.StringData(name);
      if (!renamable || s.empty() || s[0] == '<' || !ascii(s)) continue;
      std::string fresh = namer.Letters(s.size());
      if (fresh.empty()) continue;
      std::memcpy(result.dex.data() + offset_of(name), fresh.data(), fresh.size());
      ++result.members_renamed;
    }
  }

  // --- header integrity codes ---
  auto* bytes = reinterpret_cast<uint8_t*>(result.dex.data());
  std::array<uint8_t, 20> sha = dex::Sha1(ByteSpan(bytes + 32, result.dex.size() - 32));
  std::memcpy(bytes + 12, sha.data(), sha.size());
  const uint32_t adler = dex::Adler32(ByteSpan(bytes + 12, result.dex.size() - 12));
  for (int i = 0; i < 4; ++i) bytes[8 + i] = static_cast<uint8_t>(adler >> (8 * i));
  return result;
}

}  // namespace piaudit::testing
