// The instruction scan (see method_scan.h) and the per-reference tables it reads.
#include "analysis/method_scan.h"

#include <algorithm>
#include <cctype>

#include "base/concurrency.h"
#include "base/stop.h"
#include "dex/code_item.h"
#include "dex/instruction.h"
#include "dex/reflection.h"

namespace piaudit::analysis {
namespace {

using dex::Opcode;

// Methods per scan unit: enough work per unit that two threads balance on big dex files.
constexpr size_t kMethodsPerTableUnit = 16384;

struct Param {
  std::string_view type;
  uint8_t pos;  // register offset from the first declared parameter
};

// Splits "name(II[Ljava/lang/String;J)V" into name, params (with register offsets), return.
void ParseSig(std::string_view sig, std::string_view* name, std::vector<Param>* params,
              std::string_view* ret) {
  params->clear();
  const size_t open = sig.find('(');
  const size_t close = sig.rfind(')');
  *name = sig.substr(0, open == std::string_view::npos ? sig.size() : open);
  *ret = close == std::string_view::npos ? std::string_view() : sig.substr(close + 1);
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return;
  size_t i = open + 1;
  uint32_t pos = 0;
  while (i < close) {
    const size_t start = i;
    while (i < close && sig[i] == '[') ++i;
    if (i < close && sig[i] == 'L') {
      const size_t semi = sig.find(';', i);
      i = (semi == std::string_view::npos || semi > close) ? close : semi + 1;
    } else {
      ++i;
    }
    std::string_view type = sig.substr(start, i - start);
    params->push_back({type, static_cast<uint8_t>(std::min<uint32_t>(pos, 255))});
    pos += (type == "J" || type == "D") ? 2 : 1;
  }
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// An application id as apps write other apps' ids: three or more lower-case dotted segments
// ("com.tencent.mm"), not a framework namespace ("android.intent.action...").
bool LooksLikePackage(std::string_view s) {
  if (s.size() > 128 || StartsWith(s, "android.") || StartsWith(s, "java.")) return false;
  size_t dots = 0;
  bool segment_start = true;
  for (char c : s) {
    if (c == '.') {
      if (segment_start) return false;
      ++dots;
      segment_start = true;
      continue;
    }
    const bool lower = c >= 'a' && c <= 'z';
    if (segment_start ? !lower : !(lower || (c >= '0' && c <= '9') || c == '_')) return false;
    segment_start = false;
  }
  return !segment_start && dots >= 2;
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// REQUIRES: `needle` is lower-case ASCII and not empty. Runs on every string constant of the app,
// so candidates are found by their first byte before comparing (no locale calls).
bool ContainsAsciiCaseless(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  const char first = needle[0];
  const char first_upper =
      first >= 'a' && first <= 'z' ? static_cast<char>(first - ('a' - 'A')) : first;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (hay[i] != first && hay[i] != first_upper) continue;
    size_t k = 1;
    while (k < needle.size() && AsciiLower(hay[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

// REQUIRES: as for ContainsAsciiCaseless.
bool StartsWithAsciiCaseless(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t k = 0; k < needle.size(); ++k) {
    if (AsciiLower(hay[k]) != needle[k]) return false;
  }
  return true;
}

size_t CountOf(std::string_view hay, std::string_view needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

RefInfo ComputeRole(const ClassHierarchy& h, uint32_t method,
                    const std::vector<std::string>& names) {
  RefInfo r;
  const std::string& sig = h.model().Sig(method);
  std::string_view name, ret;
  std::vector<Param> params;
  ParseSig(sig, &name, &params, &ret);
  auto find_param = [&](std::string_view type, uint8_t* pos) {
    for (const Param& p : params) {
      if (p.type == type) {
        *pos = p.pos;
        return true;
      }
    }
    return false;
  };
  for (const std::string& n : names) {
    if (n == "Ljava/lang/Class;->forName") r.role = Role::kForName;
    // The URI and package values a query or a PackageManager call is given (see Invoke).
    if (n == "Landroid/net/Uri;->parse" && params.size() == 1 &&
        params[0].type == "Ljava/lang/String;") {
      r.role = Role::kUriParse;
    }
    if ((n == "Landroid/net/Uri;->withAppendedPath" ||
         n == "Landroid/content/ContentUris;->withAppendedId" ||
         n == "Landroid/content/ContentUris;->appendId") &&
        !params.empty() &&
        (params[0].type == "Landroid/net/Uri;" || params[0].type == "Landroid/net/Uri$Builder;")) {
      r.role = Role::kUriDerive;
    }
    if (n == "Landroid/net/Uri;->buildUpon" || n == "Landroid/net/Uri$Builder;->build" ||
        n == "Landroid/net/Uri$Builder;->appendPath" ||
        n == "Landroid/net/Uri$Builder;->appendEncodedPath" ||
        n == "Landroid/net/Uri$Builder;->appendQueryParameter") {
      r.role = Role::kUriDeriveThis;
    }
    if (n == "Landroid/content/Context;->getPackageName" && params.empty()) {
      r.role = Role::kOwnPackageName;
    }
  }
  if (r.role != Role::kNone) return r;
  if (name == "findViewById" && params.size() == 1 && params[0].type == "I") {
    r.role = Role::kFindViewById;
  } else if ((name == "setPositiveButton" || name == "setNegativeButton" ||
              name == "setNeutralButton") &&
             params.size() == 2) {
    r.role = Role::kDialogButton;
    r.pos_a = params[0].pos;
    r.pos_b = params[1].pos;
    r.which = name == "setPositiveButton" ? 1 : name == "setNegativeButton" ? 2 : 3;
  } else if (name == "setOnClickListener" && params.size() == 1) {
    r.role = Role::kSetClickListener;
    r.pos_b = params[0].pos;
  } else if ((StartsWith(name, "put") || StartsWith(name, "set") || StartsWith(name, "save") ||
              StartsWith(name, "write") || StartsWith(name, "encode")) &&
             find_param("Ljava/lang/String;", &r.pos_a) && find_param("Z", &r.pos_b)) {
    r.role = Role::kBoolWriter;
  } else if (ret == "Z" &&
             (StartsWith(name, "get") || StartsWith(name, "is") || StartsWith(name, "read") ||
              StartsWith(name, "decode")) &&
             find_param("Ljava/lang/String;", &r.pos_a)) {
    r.role = Role::kBoolReader;
  }
  return r;
}

}  // namespace

ConsentText::ConsentText(const knowledge::ConsentWords& words) : words_(words) {
  for (const std::string& w : words.privacy_text.words) privacy_.push_back(Prepare(w));
  for (const knowledge::CountedWord& w : words.agree.words) {
    agree_.push_back({Prepare(w.word), Prepare(w.unless)});
  }
  for (const std::string& w : words.agree.veto) agree_veto_.push_back(Prepare(w));
  for (const std::string& w : words.disagree.words) disagree_.push_back(Prepare(w));
}

ConsentText::Word ConsentText::Prepare(std::string_view text) {
  Word w{text, false};
  for (char c : text) w.caseless |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return w;
}

// Words without an ASCII letter (the Chinese ones) go through find, which is much faster than
// the byte loop of the caseless search on the millions of constants of a large app.
bool ConsentText::Contains(std::string_view t, const Word& w) {
  return w.caseless ? ContainsAsciiCaseless(t, w.text) : t.find(w.text) != std::string_view::npos;
}

size_t ConsentText::Count(std::string_view t, const Word& w) {
  if (!w.caseless) return CountOf(t, w.text);
  size_t n = 0;  // overlapping occurrences, as CountOf counts them
  for (size_t i = 0; i + w.text.size() <= t.size(); ++i) {
    n += StartsWithAsciiCaseless(t.substr(i), w.text) ? 1 : 0;
  }
  return n;
}

bool ConsentText::IsPrivacyText(std::string_view t) const {
  for (const Word& w : privacy_) {
    if (Contains(t, w)) return true;
  }
  return false;
}

bool ConsentText::HasDisagreeWord(std::string_view t) const {
  for (const Word& w : disagree_) {
    if (Contains(t, w)) return true;
  }
  return false;
}

bool ConsentText::HasAgreeWord(std::string_view t) const {
  // A word with a negated form ("同意" inside "不同意") counts only beyond that form.
  bool plain = false;
  for (const Counted& c : agree_) {
    if (c.unless.text.empty()) {
      plain = plain || Contains(t, c.word);
    } else if (Count(t, c.word) > Count(t, c.unless)) {
      return true;
    }
  }
  if (!plain) return false;
  for (const Word& v : agree_veto_) {
    if (Contains(t, v)) return false;
  }
  return true;
}

std::vector<std::string> FrameworkNamesOf(const ClassHierarchy& h, uint32_t method) {
  const CodeModel& m = h.model();
  const uint32_t cls = m.methods()[method].cls;
  const std::string& sig = m.Sig(method);
  const std::string name = sig.substr(0, sig.find('('));
  std::vector<std::string> out;
  out.push_back(m.ClassName(cls) + "->" + name);
  const uint32_t ext = h.FirstExternal(cls);
  if (ext == kNoId) return out;
  std::string c = m.ClassName(ext);
  // Up the framework data: bounded by the data's size (it was checked for unknown supers, but a
  // cycle in the data must not loop either).
  for (size_t steps = 0; !c.empty() && steps <= h.framework().classes().size(); ++steps) {
    std::string n = c + "->" + name;
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(std::move(n));
    const FrameworkClass* f = h.framework().Find(c);
    if (f == nullptr) break;
    c = f->super;
  }
  return out;
}

ScanTables BuildScanTables(const ClassHierarchy& h, const ApiCatalog& apis, Executor& executor,
                           uint32_t threads, const StopCondition* stop) {
  const CodeModel& m = h.model();
  ScanTables t;
  const size_t n = m.methods().size();
  t.method.resize(n);
  const size_t units = (n + kMethodsPerTableUnit - 1) / kMethodsPerTableUnit;
  std::vector<std::vector<std::pair<uint32_t, std::vector<uint32_t>>>> unit_apis(units);
  piaudit::RunUnits(executor, units, threads, [&](size_t u) {
    const size_t end = std::min(n, (u + 1) * kMethodsPerTableUnit);
    for (size_t i = u * kMethodsPerTableUnit; i < end; ++i) {
      if (i % 256 == 0 && ShouldStop(stop)) return;  // ~100 us of work between checks
      const uint32_t id = static_cast<uint32_t>(i);
      const MethodInfo& mi = m.methods()[id];
      // An app-defined method is matched by its own name only: the knowledge base lists some
      // library APIs the app bundles (support-library ActivityCompat, Play services'
      // AdvertisingIdClient), while walking up to the framework would wrongly turn an app
      // override into the framework API.
      const std::vector<std::string> names =
          mi.defined ? std::vector<std::string>{m.ClassName(mi.cls) + "->" +
                                                m.Sig(id).substr(0, m.Sig(id).find('('))}
                     : FrameworkNamesOf(h, id);
      RefInfo r = ComputeRole(h, id, mi.defined ? std::vector<std::string>{} : names);
      const std::string& sig = m.Sig(id);
      std::vector<uint32_t> hits;
      for (const std::string& cn : names) {
        if (!mi.defined && h.framework().RulesFor(cn) != nullptr) r.trigger = true;
        const std::string cls = cn.substr(0, cn.find("->"));
        if (apis.OfClass(cls) == nullptr) continue;
        if (const std::vector<uint32_t>* found = apis.Find(cls + "->" + sig)) {
          for (uint32_t a : *found) {
            if (std::find(hits.begin(), hits.end(), a) == hits.end()) hits.push_back(a);
          }
        }
      }
      t.method[id] = r;
      if (!hits.empty()) unit_apis[u].emplace_back(id, std::move(hits));
    }
  });
  for (auto& ua : unit_apis) {
    for (auto& [id, hits] : ua) {
      t.method[id].api_begin = static_cast<uint32_t>(t.api_list.size());
      t.method[id].api_count = static_cast<uint32_t>(hits.size());
      t.api_list.insert(t.api_list.end(), hits.begin(), hits.end());
    }
  }
  // Sensitive static fields, per dex (few classes have any, so filter by class first).
  t.field_api.resize(m.dex().size());
  std::string scratch;
  for (size_t d = 0; d < m.dex().size(); ++d) {
    const dex::DexFile& f = *m.dex()[d].file;
    std::vector<uint32_t>& fa = t.field_api[d];
    fa.assign(f.num_fields(), kNoId);
    for (uint32_t i = 0; i < f.num_fields(); ++i) {
      const dex::FieldId fid = f.GetFieldId(i);
      if (apis.OfClass(f.TypeDescriptor(fid.class_type, &scratch)) == nullptr) continue;
      if (const std::vector<uint32_t>* found = apis.Find(f.FieldRefString(i))) {
        for (uint32_t a : *found) {
          if (apis.api(a).is_field) fa[i] = a;
        }
      }
    }
  }
  return t;
}

namespace {

enum RegKind : uint8_t {
  kUnknown,
  kStr,
  kInt,
  kObj,
  kView,
  kFlag,
  kFieldBool,
  kUri,          // v: string idx of the content:// constant it was parsed from
  kUriApiField,  // v: catalogue index of the sensitive Uri field it was read from
  kUriAppField,  // v: field idx of the app's Uri field it was read from
  kOwnPackage,   // Context.getPackageName()
};
struct Reg {
  RegKind kind = kUnknown;
  uint32_t v = 0;
  uint32_t pc = 0;
};

struct Pending {
  Role role = Role::kNone;
  uint32_t key_str = kNoId;  // string idx of the key
  uint32_t res_id = 0;
  uint32_t pc = 0;
  Reg result;  // what a move-result right after the call holds, when known
};

InvokeKind KindOf(Opcode op) {
  switch (op) {
    case Opcode::kInvokeStatic:
    case Opcode::kInvokeStaticRange:
      return InvokeKind::kStatic;
    case Opcode::kInvokeDirect:
    case Opcode::kInvokeDirectRange:
      return InvokeKind::kDirect;
    case Opcode::kInvokeSuper:
    case Opcode::kInvokeSuperRange:
      return InvokeKind::kSuper;
    case Opcode::kInvokeInterface:
    case Opcode::kInvokeInterfaceRange:
      return InvokeKind::kInterface;
    case Opcode::kInvokePolymorphic:
    case Opcode::kInvokePolymorphicRange:
      return InvokeKind::kPolymorphic;
    default:
      return InvokeKind::kVirtual;
  }
}

class MethodScanner {
 public:
  MethodScanner(const ScanInput& in, uint32_t d, ScanFacts* out)
      : in_(in),
        model_(in.hierarchy->model()),
        tables_(model_.dex()[d]),
        file_(*tables_.file),
        field_api_(in.tables->field_api[d]),
        out_(out) {}

  void Scan(uint32_t method) {
    const MethodInfo& mi = model_.methods()[method];
    if (mi.code_off == 0) return;
    Result<dex::CodeItem> code = file_.GetCodeItem(mi.code_off);
    if (!code.ok()) {
      out_->diags.AddStatus("dex.bad_code_item", code.status());
      ++out_->errors;
      return;
    }
    ++out_->code_items;
    out_->scanned.push_back(method);
    caller_ = method;
    code_ = &*code;
    regs_.assign(code->registers_size, Reg{});
    if ((mi.access_flags & dex::kAccStatic) == 0 && code->ins_size > 0 &&
        code->ins_size <= code->registers_size) {
      regs_[code->registers_size - code->ins_size] = {kObj, mi.cls, 0};
    }
    content_strings_.clear();
    method_strings_.clear();
    unresolved_queries_.clear();
    unresolved_packages_.clear();
    bool reflective = false;
    pending_ = Pending{};
    dex::InstructionIterator it = code->Instructions();
    dex::Instruction insn;
    while (it.Next(&insn)) {
      if (insn.is_payload()) continue;
      ++out_->instructions;
      Pending was = pending_;
      pending_ = Pending{};
      Step(insn, was, &reflective);
    }
    if (!it.status().ok()) {
      out_->diags.AddStatus("dex.bad_instruction", it.status());
      ++out_->errors;
    }
    // A query whose URI register could not be followed takes the personal-information URIs
    // the method holds as constants (built by concatenation, or through a helper); with none it
    // is an unknown provider: a lead without PI.
    for (const auto& [pc, api] : unresolved_queries_) {
      bool matched = false;
      for (const std::string& s : content_strings_) {
        const CatalogUri* u = in_.apis->MatchUri(s);
        if (u == nullptr) continue;
        matched = true;
        out_->api_hits.push_back({caller_, static_cast<uint32_t>(u - in_.apis->uris().data()), pc,
                                  MatchKind::kContentUri, code->insns_offset + 2ull * pc});
      }
      if (!matched) {
        out_->api_hits.push_back({caller_, api, pc, MatchKind::kInvoke,
                                  code->insns_offset + 2ull * pc, Lead::kUnknownProvider});
      }
    }
    // A package probe whose argument is not shown counts when the method names another app's
    // package as a constant (a list of packages probed in a loop); otherwise it is a lead.
    if (!unresolved_packages_.empty()) {
      const bool names_other_app =
          std::any_of(method_strings_.begin(), method_strings_.end(), [&](uint32_t idx) {
            const std::string_view s = file_.GetStringView(idx, &scratch_);
            return s != in_.package && LooksLikePackage(s);
          });
      for (const auto& [pc, api] : unresolved_packages_) {
        out_->api_hits.push_back({caller_, api, pc, MatchKind::kInvoke,
                                  code->insns_offset + 2ull * pc,
                                  names_other_app ? Lead::kNone : Lead::kUnknownPackage});
      }
    }
    // The listed content URIs this class holds (once per method), for Uri fields built here.
    std::vector<uint32_t> seen;
    for (const std::string& s : content_strings_) {
      const CatalogUri* u = in_.apis->MatchUri(s);
      if (u == nullptr) continue;
      const uint32_t idx = static_cast<uint32_t>(u - in_.apis->uris().data());
      if (std::find(seen.begin(), seen.end(), idx) != seen.end()) continue;
      seen.push_back(idx);
      out_->class_uris.push_back({model_.ClassName(mi.cls), idx});
    }
    if (reflective) ScanReflection();
  }

 private:
  Reg& R(uint32_t r) {
    static thread_local Reg dummy;
    if (r >= regs_.size()) {
      dummy = Reg{};
      return dummy;
    }
    return regs_[r];
  }
  void Forget(const dex::Instruction& insn) {
    if ((insn.flags() & dex::kSetsA) == 0) return;
    R(insn.a) = Reg{};
    if (insn.flags() & dex::kWide) R(insn.a + 1) = Reg{};
  }
  uint32_t ClassOfType(uint32_t type_idx) const {
    return type_idx < tables_.type_class.size() ? tables_.type_class[type_idx] : kNoId;
  }

  void Step(const dex::Instruction& insn, const Pending& was, bool* reflective) {
    switch (insn.opcode) {
      case Opcode::kConstString:
      case Opcode::kConstStringJumbo: {
        // Instruction indices are not checked by the decoder (it does not know the tables).
        if (insn.index >= file_.num_strings()) {
          Forget(insn);
          return;
        }
        std::string_view s = file_.GetStringView(insn.index, &scratch_);
        const ConsentText* consent = in_.consent;
        if (consent != nullptr &&
            (consent->IsPrivacyText(s) ||
             (s.size() <= 48 && (consent->HasAgreeWord(s) || consent->HasDisagreeWord(s))))) {
          out_->texts.push_back({caller_, insn.dex_pc, std::string(s)});
        }
        if (StartsWith(s, "content://")) content_strings_.emplace_back(s);
        method_strings_.push_back(insn.index);
        R(insn.a) = {kStr, insn.index, insn.dex_pc};
        return;
      }
      case Opcode::kConst4:
      case Opcode::kConst16:
      case Opcode::kConst:
      case Opcode::kConstHigh16: {
        const uint32_t v = static_cast<uint32_t>(insn.literal);
        if (in_.interesting_literals != nullptr && in_.interesting_literals->count(v)) {
          out_->literals.push_back({caller_, v, insn.dex_pc});
        }
        R(insn.a) = {kInt, v, insn.dex_pc};
        return;
      }
      case Opcode::kNewInstance: {
        const uint32_t cls = ClassOfType(insn.index);
        if (cls != kNoId)
          out_->class_uses.push_back({caller_, cls, insn.dex_pc, ClassUse::kNewInstance});
        R(insn.a) = {kObj, cls, insn.dex_pc};
        return;
      }
      case Opcode::kMove:
      case Opcode::kMoveFrom16:
      case Opcode::kMove16:
      case Opcode::kMoveObject:
      case Opcode::kMoveObjectFrom16:
      case Opcode::kMoveObject16:
        R(insn.a) = R(insn.b);
        return;
      case Opcode::kCheckCast:
        return;  // same object, same facts
      case Opcode::kMoveResult:
      case Opcode::kMoveResultObject: {
        Reg r = was.result;
        if (was.role == Role::kFindViewById && was.res_id != 0) {
          r = {kView, was.res_id, was.pc};
        } else if (was.role == Role::kBoolReader && was.key_str != kNoId) {
          out_->flag_reads.push_back({caller_, was.pc, kNoId, file_.GetString(was.key_str), false});
          r = {kFlag, static_cast<uint32_t>(out_->flag_reads.size() - 1), was.pc};
        }
        R(insn.a) = r;
        return;
      }
      case Opcode::kIfEqz:
      case Opcode::kIfNez: {
        Reg& r = R(insn.a);
        if (r.kind == kFlag && r.v < out_->flag_reads.size() &&
            out_->flag_reads[r.v].branch_pc == kNoId) {
          out_->flag_reads[r.v].branch_pc = insn.dex_pc;
        } else if (r.kind == kFieldBool) {
          out_->flag_reads.push_back({caller_, r.pc, insn.dex_pc, file_.FieldRefString(r.v), true});
          r = Reg{};
        }
        return;
      }
      case Opcode::kSget:
      case Opcode::kSgetWide:
      case Opcode::kSgetObject:
      case Opcode::kSgetBoolean:
      case Opcode::kSgetByte:
      case Opcode::kSgetChar:
      case Opcode::kSgetShort:
      case Opcode::kSput:
      case Opcode::kSputWide:
      case Opcode::kSputObject:
      case Opcode::kSputBoolean:
      case Opcode::kSputByte:
      case Opcode::kSputChar:
      case Opcode::kSputShort:
        StaticField(insn);
        return;
      case Opcode::kIgetObject:
        R(insn.a) = IsAppUriField(insn.index) ? Reg{kUriAppField, insn.index, insn.dex_pc} : Reg{};
        return;
      case Opcode::kIputObject:
        NoteUriFieldWrite(insn);
        return;
      case Opcode::kIget:
      case Opcode::kIgetBoolean: {
        const bool boolean =
            insn.index < file_.num_fields() &&
            (insn.opcode == Opcode::kIgetBoolean || IsBooleanField(file_.GetFieldId(insn.index)));
        R(insn.a) = boolean ? Reg{kFieldBool, insn.index, insn.dex_pc} : Reg{};
        return;
      }
      case Opcode::kIput:
      case Opcode::kIputBoolean:
        if (insn.index < file_.num_fields() &&
            (insn.opcode == Opcode::kIputBoolean || IsBooleanField(file_.GetFieldId(insn.index))) &&
            R(insn.a).kind == kInt && R(insn.a).v == 1) {
          out_->flag_writes.push_back(
              {caller_, insn.dex_pc, file_.FieldRefString(insn.index), true});
        }
        return;
      default:
        break;
    }
    if (insn.is_invoke() && insn.opcode != Opcode::kInvokeCustom &&
        insn.opcode != Opcode::kInvokeCustomRange) {
      Invoke(insn, reflective);
      return;
    }
    Forget(insn);
  }

  // A boolean field written with the plain sput/iput opcodes (legal; d8 uses the -boolean forms).
  bool IsBooleanField(const dex::FieldId& fid) {
    return file_.TypeDescriptor(fid.type, &scratch_) == "Z";
  }
  bool IsUriField(const dex::FieldId& fid) {
    return file_.TypeDescriptor(fid.type, &scratch_) == "Landroid/net/Uri;";
  }
  // A Uri field of a class the app defines (the framework's own are catalogue entries or unknown).
  bool IsAppUriField(uint32_t field_idx) {
    if (field_idx >= file_.num_fields()) return false;
    const dex::FieldId fid = file_.GetFieldId(field_idx);
    if (!IsUriField(fid)) return false;
    const uint32_t cls = ClassOfType(fid.class_type);
    return cls != kNoId && model_.classes()[cls].defined;
  }
  // sput-object / iput-object of a parsed content:// URI into one of the app's Uri fields.
  void NoteUriFieldWrite(const dex::Instruction& insn) {
    const Reg& v = R(insn.a);
    if (v.kind != kUri || !IsAppUriField(insn.index)) return;
    out_->uri_field_writes.push_back(
        {file_.FieldRefString(insn.index), std::string(file_.GetStringView(v.v, &scratch_))});
  }

  void StaticField(const dex::Instruction& insn) {
    if (insn.index >= file_.num_fields()) {
      Forget(insn);
      return;
    }
    const dex::FieldId fid = file_.GetFieldId(insn.index);
    const uint32_t cls = ClassOfType(fid.class_type);
    if (cls != kNoId)
      out_->class_uses.push_back({caller_, cls, insn.dex_pc, ClassUse::kStaticField});
    const bool is_get = insn.opcode <= Opcode::kSgetShort;
    if (is_get) {
      const uint32_t api = field_api_[insn.index];
      if (api != kNoId) {
        out_->api_hits.push_back({caller_, api, insn.dex_pc, MatchKind::kFieldRead,
                                  code_->insns_offset + 2ull * insn.dex_pc});
      }
      if (insn.opcode == Opcode::kSgetBoolean ||
          (insn.opcode == Opcode::kSget && IsBooleanField(fid))) {
        R(insn.a) = {kFieldBool, insn.index, insn.dex_pc};
      } else if (insn.opcode == Opcode::kSgetObject && api != kNoId && IsUriField(fid)) {
        R(insn.a) = {kUriApiField, api, insn.dex_pc};
      } else if (insn.opcode == Opcode::kSgetObject && IsAppUriField(insn.index)) {
        R(insn.a) = {kUriAppField, insn.index, insn.dex_pc};
      } else {
        Forget(insn);
      }
      return;
    }
    if (insn.opcode == Opcode::kSputObject) NoteUriFieldWrite(insn);
    const bool boolean = insn.opcode == Opcode::kSputBoolean ||
                         (insn.opcode == Opcode::kSput && IsBooleanField(fid));
    if (boolean && R(insn.a).kind == kInt && R(insn.a).v == 1) {
      out_->flag_writes.push_back({caller_, insn.dex_pc, file_.FieldRefString(insn.index), true});
    }
  }

  // Register of declared parameter at register offset `pos`.
  uint32_t ArgReg(const dex::Instruction& insn, bool is_static, uint32_t pos, bool* ok) {
    const uint32_t i = pos + (is_static ? 0 : 1);
    *ok = i < insn.ArgCount();
    return *ok ? insn.Arg(i) : 0;
  }

  void Invoke(const dex::Instruction& insn, bool* reflective) {
    if (insn.index >= tables_.method_global.size()) return;
    const uint32_t callee = tables_.method_global[insn.index];
    const InvokeKind kind = KindOf(insn.opcode);
    const bool is_static = kind == InvokeKind::kStatic;
    out_->invokes.push_back({caller_, callee, insn.dex_pc, kind});
    if (is_static) {
      out_->class_uses.push_back(
          {caller_, model_.methods()[callee].cls, insn.dex_pc, ClassUse::kInvokeStatic});
    }
    const RefInfo& ref = in_.tables->method[callee];
    bool ok = false;
    const uint64_t offset = code_->insns_offset + 2ull * insn.dex_pc;
    std::string_view name, ret;
    std::vector<Param> params;
    // Register holding declared parameter `index`, or null when the call does not have it.
    auto arg = [&](int index) -> const Reg* {
      if (params.empty()) ParseSig(model_.Sig(callee), &name, &params, &ret);
      if (index < 0 || static_cast<size_t>(index) >= params.size()) return nullptr;
      const uint32_t reg = ArgReg(insn, is_static, params[index].pos, &ok);
      return ok ? &R(reg) : nullptr;
    };
    for (uint32_t k = 0; k < ref.api_count; ++k) {
      const uint32_t api = in_.tables->api_list[ref.api_begin + k];
      const CatalogApi& a = in_.apis->api(api);
      MatchKind match = MatchKind::kInvoke;
      if (a.const_arg_index >= 0) {
        const Reg* r = arg(a.const_arg_index);
        if (r == nullptr || r->kind != kStr) continue;
        if (file_.GetStringView(r->v, &scratch_) != a.const_arg_value) continue;
        match = MatchKind::kConstArg;
      }
      if (a.package_arg_index >= 0) {
        const Reg* pkg = arg(a.package_arg_index);
        if (IsOwnPackage(pkg)) continue;  // the app's own package: nothing about other apps
        if (pkg == nullptr || pkg->kind != kStr) {
          unresolved_packages_.emplace_back(insn.dex_pc, api);
          continue;
        }
      }
      if (a.uri_arg_index >= 0) {
        QueryHit(api, arg(a.uri_arg_index), insn.dex_pc, offset);
        continue;
      }
      out_->api_hits.push_back({caller_, api, insn.dex_pc, match, offset});
    }
    Pending p;
    p.role = ref.role;
    p.pc = insn.dex_pc;
    switch (ref.role) {
      case Role::kUriParse: {
        const Reg* s = arg(0);
        if (s != nullptr && s->kind == kStr &&
            StartsWith(file_.GetStringView(s->v, &scratch_), "content://")) {
          p.result = {kUri, s->v, insn.dex_pc};
        }
        break;
      }
      case Role::kUriDerive: {
        const Reg* base = arg(0);
        if (base != nullptr &&
            (base->kind == kUri || base->kind == kUriApiField || base->kind == kUriAppField)) {
          p.result = *base;
        }
        break;
      }
      case Role::kUriDeriveThis: {
        const Reg* self = !is_static && insn.ArgCount() > 0 ? &R(insn.Arg(0)) : nullptr;
        if (self != nullptr &&
            (self->kind == kUri || self->kind == kUriApiField || self->kind == kUriAppField)) {
          p.result = *self;
        }
        break;
      }
      case Role::kOwnPackageName:
        p.result = {kOwnPackage, 0, insn.dex_pc};
        break;
      case Role::kBoolWriter: {
        const uint32_t key = ArgReg(insn, is_static, ref.pos_a, &ok);
        if (!ok || R(key).kind != kStr) break;
        const uint32_t val = ArgReg(insn, is_static, ref.pos_b, &ok);
        if (!ok || R(val).kind != kInt || R(val).v != 1) break;
        out_->flag_writes.push_back({caller_, insn.dex_pc, file_.GetString(R(key).v), false});
        break;
      }
      case Role::kBoolReader: {
        const uint32_t key = ArgReg(insn, is_static, ref.pos_a, &ok);
        if (ok && R(key).kind == kStr) p.key_str = R(key).v;
        break;
      }
      case Role::kFindViewById: {
        const uint32_t id = ArgReg(insn, is_static, 0, &ok);
        if (ok && R(id).kind == kInt) p.res_id = R(id).v;
        break;
      }
      case Role::kDialogButton: {
        ButtonFact b{caller_, insn.dex_pc, kNoId, ref.which, 0, {}};
        const uint32_t text = ArgReg(insn, is_static, ref.pos_a, &ok);
        if (ok && R(text).kind == kStr) b.text = file_.GetString(R(text).v);
        if (ok && R(text).kind == kInt) b.res_id = R(text).v;
        const uint32_t l = ArgReg(insn, is_static, ref.pos_b, &ok);
        if (ok && R(l).kind == kObj) b.listener_cls = R(l).v;
        out_->buttons.push_back(std::move(b));
        break;
      }
      case Role::kSetClickListener: {
        ButtonFact b{caller_, insn.dex_pc, kNoId, 0, 0, {}};
        if (!is_static && insn.ArgCount() > 0 && R(insn.Arg(0)).kind == kView) {
          b.res_id = R(insn.Arg(0)).v;
        }
        const uint32_t l = ArgReg(insn, is_static, ref.pos_b, &ok);
        if (ok && R(l).kind == kObj) b.listener_cls = R(l).v;
        out_->buttons.push_back(std::move(b));
        break;
      }
      case Role::kForName:
        *reflective = true;
        break;
      case Role::kNone:
        break;
    }
    if (ref.trigger) {
      TriggerFact t{caller_, callee, insn.dex_pc, kNoId, {}};
      for (uint32_t i = 0; i < insn.ArgCount(); ++i) {
        const Reg& r = R(insn.Arg(i));
        if (r.kind != kObj || r.v == kNoId) continue;
        if (i == 0 && !is_static) {
          t.receiver_cls = r.v;
        } else {
          t.arg_classes.push_back(r.v);
        }
      }
      out_->triggers.push_back(std::move(t));
    }
    pending_ = p;
  }

  // The package argument is the app's own: Context.getPackageName(), or the manifest package as
  // a constant (BuildConfig.APPLICATION_ID is compiled to one).
  bool IsOwnPackage(const Reg* r) {
    if (r == nullptr) return false;
    if (r->kind == kOwnPackage) return true;
    return r->kind == kStr && !in_.package.empty() &&
           file_.GetStringView(r->v, &scratch_) == in_.package;
  }

  // A content query (catalogue entry with uri_arg): the PI type is the URI's. A URI read from a
  // catalogued field (ContactsContract.Contacts.CONTENT_URI) was reported at that read, so the
  // query adds nothing; one parsed from a constant is matched here; one kept in an app field is
  // matched once every method is scanned; anything else waits for the end of the method.
  void QueryHit(uint32_t api, const Reg* uri, uint32_t pc, uint64_t offset) {
    const RegKind kind = uri != nullptr ? uri->kind : kUnknown;
    if (kind == kUriApiField) return;
    if (kind == kUri) {
      const CatalogUri* u = in_.apis->MatchUri(file_.GetStringView(uri->v, &scratch_));
      if (u != nullptr) {
        out_->api_hits.push_back({caller_, static_cast<uint32_t>(u - in_.apis->uris().data()), pc,
                                  MatchKind::kContentUri, offset});
      } else {  // the app's own provider, or one not listed as PI
        out_->api_hits.push_back(
            {caller_, api, pc, MatchKind::kInvoke, offset, Lead::kUnknownProvider});
      }
      return;
    }
    if (kind == kUriAppField) {
      out_->uri_field_queries.push_back({caller_, api, pc, offset, file_.FieldRefString(uri->v)});
      return;
    }
    unresolved_queries_.emplace_back(pc, api);
  }

  void ScanReflection() {
    found_.clear();
    Status s = reflection_.Scan(file_, *code_, &found_);
    (void)s;  // a bad instruction stream was already reported by the main scan
    for (const dex::ConstantReflection& r : found_) {
      if (r.member_name.empty()) continue;
      std::string cls = r.class_name;
      if (cls.empty()) continue;
      if (cls.front() != 'L' || cls.back() != ';') {
        std::replace(cls.begin(), cls.end(), '.', '/');
        cls = "L" + cls + ";";
      }
      const std::vector<uint32_t>* list = in_.apis->OfClass(cls);
      if (list == nullptr) continue;
      for (uint32_t a : *list) {
        const CatalogApi& api = in_.apis->api(a);
        if (api.name != r.member_name) continue;
        // The arguments of a reflective call are not followed: an entry that needs a constant
        // (SystemProperties.get "ro.serialno") counts only when the method holds that constant,
        // so a reflective read of "dalvik.vm.usejit" is not the serial.
        if (api.const_arg_index >= 0 && !HasString(api.const_arg_value)) continue;
        out_->api_hits.push_back(
            {caller_, a, r.dex_pc, MatchKind::kReflection, code_->insns_offset + 2ull * r.dex_pc});
      }
    }
  }

  bool HasString(std::string_view value) {
    for (uint32_t idx : method_strings_) {
      if (file_.GetStringView(idx, &scratch_) == value) return true;
    }
    return false;
  }

  const ScanInput& in_;
  const CodeModel& model_;
  const DexTables& tables_;
  const dex::DexFile& file_;
  const std::vector<uint32_t>& field_api_;
  ScanFacts* out_;
  uint32_t caller_ = 0;
  const dex::CodeItem* code_ = nullptr;
  std::vector<Reg> regs_;
  Pending pending_;
  std::string scratch_;
  std::vector<std::string> content_strings_;
  std::vector<uint32_t> method_strings_;  // const-string indices of the method, in order
  std::vector<std::pair<uint32_t, uint32_t>> unresolved_queries_;   // (dex_pc, query api)
  std::vector<std::pair<uint32_t, uint32_t>> unresolved_packages_;  // (dex_pc, probe api)
  dex::ReflectionScanner reflection_;
  std::vector<dex::ConstantReflection> found_;
};

}  // namespace

void ScanMethods(const ScanInput& in, uint32_t d, size_t first, size_t end, ScanFacts* out) {
  MethodScanner scanner(in, d, out);
  const std::vector<uint32_t>& methods = in.hierarchy->model().dex()[d].defined_methods;
  end = std::min(end, methods.size());
  for (size_t i = first; i < end; ++i) {
    if (ShouldStop(in.stop)) return;
    scanner.Scan(methods[i]);
  }
}

}  // namespace piaudit::analysis
