#include "analysis/code_fingerprint.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "dex/access_flags.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/instruction.h"

namespace piaudit::analysis {
namespace {

// The hashes are stored in data/fingerprints/, so they must not depend on the platform or the
// standard library: FNV-1a over bytes and a fixed multiply-xorshift to combine.
uint64_t HashBytes(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

uint64_t Mix(uint64_t h, uint64_t v) {
  h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
  return h ^ (h >> 29);
}

// Per dex file: the normalised hash of every string, type, field, method and proto it references,
// computed once on first use (a large dex references each far more often than it holds them).
class DexHasher {
 public:
  DexHasher(const dex::DexFile& dex, const DefinedClasses& defined)
      : dex_(dex),
        defined_(defined),
        strings_(dex.num_strings(), 0),
        types_(dex.num_types(), 0),
        type_defined_(dex.num_types(), 0),
        protos_(dex.num_protos(), 0),
        fields_(dex.num_fields(), 0),
        methods_(dex.num_methods(), 0) {}

  uint64_t String(uint32_t idx) {
    if (idx >= strings_.size()) return 1;
    uint64_t& h = strings_[idx];
    if (h == 0) h = Mix(HashBytes(dex_.GetStringView(idx, &scratch_)), 's') | 1;
    return h;
  }

  uint64_t Type(uint32_t idx) {
    if (idx >= types_.size()) return 1;
    uint64_t& h = types_[idx];
    if (h != 0) return h;
    std::string_view d = dex_.TypeDescriptor(idx, &scratch_);
    size_t dims = 0;
    while (dims < d.size() && d[dims] == '[') ++dims;
    const bool app_class = d.size() > dims && d[dims] == 'L' && defined_.count(d.substr(dims));
    type_defined_[idx] = app_class ? 2 : 1;
    // An app class is any "L;": its name is the obfuscator's to change. The array depth stays.
    h = (app_class ? Mix(HashBytes("L;"), dims) : HashBytes(d)) | 1;
    return h;
  }

  bool IsAppClass(uint32_t idx) {
    if (idx >= types_.size()) return false;
    Type(idx);
    return type_defined_[idx] == 2;
  }

  uint64_t Proto(uint32_t idx) {
    if (idx >= protos_.size()) return 1;
    uint64_t& h = protos_[idx];
    if (h != 0) return h;
    dex::ProtoId p = dex_.GetProtoId(idx);
    uint64_t v = Mix('p', Type(p.return_type));
    dex::TypeList params = dex_.ProtoParameters(idx);
    for (uint32_t i = 0; i < params.size(); ++i) v = Mix(v, Type(params[i]));
    h = v | 1;
    return h;
  }

  uint64_t Field(uint32_t idx) {
    if (idx >= fields_.size()) return 1;
    uint64_t& h = fields_[idx];
    if (h != 0) return h;
    dex::FieldId f = dex_.GetFieldId(idx);
    uint64_t v = Mix('f', Type(f.class_type));
    // The app's own field names are renamed; a framework field (Build.MODEL) keeps its name.
    if (!IsAppClass(f.class_type)) v = Mix(v, HashBytes(dex_.GetStringView(f.name, &scratch_)));
    h = Mix(v, Type(f.type)) | 1;
    return h;
  }

  uint64_t Method(uint32_t idx) {
    if (idx >= methods_.size()) return 1;
    uint64_t& h = methods_[idx];
    if (h != 0) return h;
    dex::MethodId m = dex_.GetMethodId(idx);
    uint64_t v = Mix('m', Type(m.class_type));
    std::string_view name = dex_.GetStringView(m.name, &scratch_);
    // Constructors keep their names under any obfuscator; other app methods do not.
    if (!IsAppClass(m.class_type) || (!name.empty() && name[0] == '<')) v = Mix(v, HashBytes(name));
    h = Mix(v, Proto(m.proto)) | 1;
    return h;
  }

 private:
  const dex::DexFile& dex_;
  const DefinedClasses& defined_;
  std::string scratch_;
  std::vector<uint64_t> strings_, types_;
  std::vector<uint8_t> type_defined_;  // 0 unknown, 1 external, 2 the app's
  std::vector<uint64_t> protos_, fields_, methods_;
};

// A method yields up to two hashes. `exact`: its whole normalised body (opcodes and references in
// order), 0 when shorter than the minimum. `profile`: only the set of external methods and fields
// it uses and the strings it loads, 0 with fewer than kMinProfileTokens of them; it survives the
// edits between two versions of an SDK that leave a method's API use alone (a null check added,
// registers reallocated, a branch reordered), where the exact hash does not.
struct MethodHashes {
  uint64_t exact = 0;
  uint64_t profile = 0;
};
constexpr size_t kMinProfileTokens = 3;

MethodHashes HashMethod(DexHasher& hasher, const dex::DexFile& dex, const dex::EncodedMethod& m,
                        const dex::CodeItem& code, std::vector<uint64_t>* tokens) {
  // Visibility is left out: R8 widens it. Static and constructor-ness stay.
  const uint64_t head = Mix(m.access_flags & (dex::kAccStatic | dex::kAccConstructor),
                            hasher.Proto(dex.GetMethodId(m.method_idx).proto));
  uint64_t h = head;
  tokens->clear();
  dex::InstructionIterator it(code.insns, code.insns_offset);
  dex::Instruction insn;
  uint32_t count = 0;
  while (it.Next(&insn)) {
    if (insn.is_payload()) continue;
    ++count;
    h = Mix(h, static_cast<uint64_t>(insn.opcode) + 0x100);
    switch (insn.index_kind) {
      case dex::IndexKind::kString: {
        const uint64_t v = hasher.String(insn.index);
        h = Mix(h, v);
        tokens->push_back(v);
        break;
      }
      case dex::IndexKind::kType:
        h = Mix(h, hasher.Type(insn.index));
        break;
      case dex::IndexKind::kField: {
        const uint64_t v = hasher.Field(insn.index);
        h = Mix(h, v);
        if (!hasher.IsAppClass(dex.GetFieldId(insn.index).class_type)) tokens->push_back(v);
        break;
      }
      case dex::IndexKind::kMethod:
      case dex::IndexKind::kMethodAndProto: {
        const uint64_t v = hasher.Method(insn.index);
        h = Mix(h, v);
        if (!hasher.IsAppClass(dex.GetMethodId(insn.index).class_type)) tokens->push_back(v);
        break;
      }
      default:
        break;
    }
  }
  // A body that does not decode is the walk's to report (dex_walk.h); here it is just not used.
  if (!it.status().ok() || count < kMinFingerprintInstructions) return {};
  MethodHashes out;
  out.exact = h;
  std::sort(tokens->begin(), tokens->end());
  tokens->erase(std::unique(tokens->begin(), tokens->end()), tokens->end());
  if (tokens->size() >= kMinProfileTokens) {
    uint64_t p = Mix(head, 'P');
    for (uint64_t t : *tokens) p = Mix(p, t);
    out.profile = p;
  }
  return out;
}

}  // namespace

std::vector<ClassFingerprint> FingerprintClasses(
    const dex::DexFile& dex, const DefinedClasses& defined,
    const std::function<bool(std::string_view)>& want) {
  std::vector<ClassFingerprint> out;
  DexHasher hasher(dex, defined);
  dex::ClassData data;
  std::string scratch;
  std::vector<uint64_t> tokens;
  for (uint32_t i = 0; i < dex.num_class_defs(); ++i) {
    Result<dex::ClassDef> def = dex.GetClassDef(i);
    if (!def.ok()) continue;
    std::string_view descriptor = dex.TypeDescriptor(def->class_type, &scratch);
    if (want && !want(descriptor)) continue;
    if (!dex.ReadClassData(*def, &data).ok()) continue;
    ClassFingerprint fp;
    for (const auto* list : {&data.direct_methods, &data.virtual_methods}) {
      for (const dex::EncodedMethod& m : *list) {
        if (m.code_off == 0) continue;
        Result<dex::CodeItem> code = dex.GetCodeItem(m.code_off);
        if (!code.ok()) continue;
        const MethodHashes h = HashMethod(hasher, dex, m, *code, &tokens);
        if (h.exact) fp.methods.push_back(h.exact);
        if (h.profile) fp.methods.push_back(h.profile);
      }
    }
    if (fp.methods.empty()) continue;
    std::sort(fp.methods.begin(), fp.methods.end());
    fp.methods.erase(std::unique(fp.methods.begin(), fp.methods.end()), fp.methods.end());
    fp.descriptor = std::string(dex.TypeDescriptor(def->class_type, &scratch));
    out.push_back(std::move(fp));
  }
  return out;
}

std::vector<FingerprintMatch> MatchFingerprints(const knowledge::KnowledgeBase& kb,
                                                const std::vector<ClassFingerprint>& classes,
                                                const FingerprintThresholds& thresholds) {
  const knowledge::SdkFingerprints& refs = kb.sdk_fingerprints();
  if (refs.sets().empty()) return {};
  struct Candidate {
    uint32_t input = 0;  // index into classes
    uint32_t matched = 0;
  };
  struct PerSet {
    std::vector<Candidate> candidates;
    std::vector<uint32_t> reference_classes;  // hit, with repeats
    uint32_t methods = 0;
  };
  std::unordered_map<uint32_t, PerSet> per_set;
  std::vector<std::pair<uint32_t, uint32_t>> votes;    // (set, count), a handful per class
  std::vector<const knowledge::FingerprintHit*> hits;  // of the class being voted on
  for (uint32_t i = 0; i < classes.size(); ++i) {
    votes.clear();
    hits.clear();
    for (uint64_t h : classes[i].methods) {
      const knowledge::FingerprintHit* hit = refs.Find(h);
      if (!hit) continue;
      hits.push_back(hit);
      auto v = std::find_if(votes.begin(), votes.end(),
                            [&](const auto& p) { return p.first == hit->set; });
      if (v == votes.end()) {
        votes.emplace_back(hit->set, 1);
      } else {
        ++v->second;
      }
    }
    if (votes.empty()) continue;
    // The SDK most of the class's methods point at; ties go to the earlier reference file.
    auto best = std::max_element(votes.begin(), votes.end(), [](const auto& a, const auto& b) {
      return a.second < b.second || (a.second == b.second && a.first > b.first);
    });
    const uint32_t considered = static_cast<uint32_t>(classes[i].methods.size());
    if (best->second < thresholds.min_class_share * considered) continue;
    PerSet& ps = per_set[best->first];
    ps.candidates.push_back({i, best->second});
    ps.methods += best->second;
    for (const knowledge::FingerprintHit* hit : hits) {
      if (hit->set == best->first) ps.reference_classes.push_back(hit->klass);
    }
  }
  std::vector<FingerprintMatch> out;
  for (auto& [set_index, ps] : per_set) {
    std::sort(ps.reference_classes.begin(), ps.reference_classes.end());
    const uint32_t distinct = static_cast<uint32_t>(
        std::unique(ps.reference_classes.begin(), ps.reference_classes.end()) -
        ps.reference_classes.begin());
    if (distinct < thresholds.min_reference_classes) continue;
    const knowledge::SdkFingerprintSet& ref = refs.sets()[set_index];
    FingerprintMatch match;
    match.sdk = kb.FindSdk(ref.sdk);
    if (!match.sdk) continue;  // the loader refuses such a file; kept defensive for hand-built KBs
    match.reference = &ref;
    match.reference_classes_matched = distinct;
    for (const Candidate& c : ps.candidates) {
      FingerprintedClass fc{classes[c.input].descriptor, c.matched,
                            static_cast<uint32_t>(classes[c.input].methods.size())};
      match.classes.push_back(std::move(fc));
      match.methods_matched += c.matched;
    }
    out.push_back(std::move(match));
  }
  std::sort(out.begin(), out.end(), [](const FingerprintMatch& a, const FingerprintMatch& b) {
    return a.sdk->id < b.sdk->id;
  });
  return out;
}

std::vector<knowledge::SdkFingerprintSet> BuildReferenceSets(const std::vector<ReferenceApp>& apps,
                                                             uint32_t min_classes) {
  // Pass 1: who has each hash. kShared marks a hash of app code or of two SDKs.
  const std::string kShared = "\x01shared";
  std::unordered_map<uint64_t, std::string> owner_of_hash;
  for (const ReferenceApp& app : apps) {
    for (const OwnedFingerprint& c : app.classes) {
      const bool reference = app.reference_sdks.count(c.owner) != 0;
      for (uint64_t h : c.fingerprint.methods) {
        const std::string& mine = reference ? c.owner : kShared;
        auto [it, inserted] = owner_of_hash.emplace(h, mine);
        if (!inserted && it->second != mine) it->second = kShared;
      }
    }
  }
  // Pass 2: per SDK, its classes reduced to their distinctive hashes, each distinct class once.
  struct Building {
    std::set<std::vector<uint64_t>> all_classes;  // as met, for reference_classes
    std::set<std::vector<uint64_t>> kept;
    std::vector<std::string> sources;
  };
  std::map<std::string, Building> by_sdk;
  for (const ReferenceApp& app : apps) {
    for (const OwnedFingerprint& c : app.classes) {
      if (!app.reference_sdks.count(c.owner)) continue;
      Building& b = by_sdk[c.owner];
      if (b.sources.empty() || b.sources.back() != app.description)
        b.sources.push_back(app.description);
      b.all_classes.insert(c.fingerprint.methods);
      std::vector<uint64_t> kept;
      for (uint64_t h : c.fingerprint.methods) {
        if (owner_of_hash[h] == c.owner) kept.push_back(h);
      }
      if (!kept.empty()) b.kept.insert(std::move(kept));
    }
  }
  std::vector<knowledge::SdkFingerprintSet> out;
  for (auto& [sdk, b] : by_sdk) {
    if (b.kept.size() < min_classes) continue;
    knowledge::SdkFingerprintSet set;
    set.sdk = sdk;
    for (const std::string& s : b.sources) set.source += (set.source.empty() ? "" : "; ") + s;
    set.sdk_version = "unknown";
    set.reference_classes = static_cast<uint32_t>(b.all_classes.size());
    // Two classes may share a hash (identical methods); the index maps it to the first.
    set.classes.assign(b.kept.begin(), b.kept.end());
    out.push_back(std::move(set));
  }
  return out;
}

}  // namespace piaudit::analysis
