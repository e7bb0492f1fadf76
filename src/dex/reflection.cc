// Constant-name reflection finder (see reflection.h for what it does and does not find).
#include "dex/reflection.h"

#include <string_view>

namespace piaudit::dex {
namespace {

enum Kind : uint8_t { kUnknown = 0, kString = 1, kClassFromName = 2, kClassConst = 3 };

enum class Api { kOther, kForName, kLoadClass, kMemberLookup };

Api Classify(const DexFile& dex, uint32_t method_idx, std::string_view* name_out) {
  const MethodId id = dex.GetMethodId(method_idx);
  std::string scratch;
  const std::string_view cls = dex.TypeDescriptor(id.class_type, &scratch);
  const bool is_class = cls == "Ljava/lang/Class;";
  const bool is_loader = cls == "Ljava/lang/ClassLoader;" ||
                         cls == "Ldalvik/system/DexClassLoader;" ||
                         cls == "Ldalvik/system/PathClassLoader;";
  if (!is_class && !is_loader) return Api::kOther;
  const std::string_view name = dex.StringData(id.name);  // ASCII names compare as raw bytes
  *name_out = name;
  if (is_class && name == "forName") return Api::kForName;
  if (is_loader && name == "loadClass") return Api::kLoadClass;
  if (is_class && (name == "getMethod" || name == "getDeclaredMethod" || name == "getField" ||
                   name == "getDeclaredField")) {
    return Api::kMemberLookup;
  }
  return Api::kOther;
}

}  // namespace

Status ReflectionScanner::Scan(const DexFile& dex, const CodeItem& code,
                               std::vector<ConstantReflection>* out) {
  regs_.assign(code.registers_size, RegValue());
  auto get = [&](uint32_t r) -> RegValue { return r < regs_.size() ? regs_[r] : RegValue(); };
  auto set = [&](uint32_t r, RegValue v) {
    if (r < regs_.size()) regs_[r] = v;
  };
  RegValue pending;  // what the last invoke returned, for the move-result that follows
  InstructionIterator it = code.Instructions();
  Instruction insn;
  while (it.Next(&insn)) {
    if (insn.is_payload()) continue;
    RegValue result;
    switch (insn.opcode) {
      case Opcode::kConstString:
      case Opcode::kConstStringJumbo:
        set(insn.a, insn.index < dex.num_strings() ? RegValue{kString, insn.index} : RegValue());
        break;
      case Opcode::kConstClass:
        set(insn.a, insn.index < dex.num_types() ? RegValue{kClassConst, insn.index} : RegValue());
        break;
      case Opcode::kMoveResultObject:
        set(insn.a, pending);
        break;
      case Opcode::kMoveObject:
      case Opcode::kMoveObjectFrom16:
      case Opcode::kMoveObject16:
        set(insn.a, get(insn.b));
        break;
      default:
        if (insn.is_invoke() && insn.index_kind == IndexKind::kMethod &&
            insn.index < dex.num_methods()) {
          std::string_view api_name;
          const Api api = Classify(dex, insn.index, &api_name);
          if ((api == Api::kForName && insn.ArgCount() >= 1) ||
              (api == Api::kLoadClass && insn.ArgCount() >= 2)) {
            const RegValue arg = get(insn.Arg(api == Api::kForName ? 0 : 1));
            if (arg.kind == kString) {
              result = RegValue{kClassFromName, arg.idx};
              out->push_back(ConstantReflection{insn.dex_pc, dex.GetString(arg.idx), "",
                                                std::string(api_name)});
            }
          } else if (api == Api::kMemberLookup && insn.ArgCount() >= 2) {
            const RegValue receiver = get(insn.Arg(0));
            const RegValue member = get(insn.Arg(1));
            if (member.kind == kString &&
                (receiver.kind == kClassFromName || receiver.kind == kClassConst)) {
              out->push_back(ConstantReflection{insn.dex_pc,
                                                receiver.kind == kClassFromName
                                                    ? dex.GetString(receiver.idx)
                                                    : dex.TypeName(receiver.idx),
                                                dex.GetString(member.idx), std::string(api_name)});
            }
          }
        } else if (insn.flags() & kSetsA) {
          set(insn.a, RegValue());
          if (insn.flags() & kWide) set(insn.a + 1, RegValue());
        }
        break;
    }
    pending = result;
  }
  return it.status();
}

}  // namespace piaudit::dex
