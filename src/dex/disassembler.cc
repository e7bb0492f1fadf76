// Instruction text. Operands follow each format's syntax in the Dalvik bytecode spec.
#include "dex/disassembler.h"

#include <cinttypes>
#include <cstdio>

namespace piaudit::dex {
namespace {

void Reg(uint32_t r, std::string* out) {
  out->push_back('v');
  out->append(std::to_string(r));
}

void Index(const DexFile& dex, IndexKind kind, uint32_t idx, std::string* out) {
  auto bad = [&](const char* what) {
    out->append("<bad ").append(what).append("@").append(std::to_string(idx)).append(">");
  };
  switch (kind) {
    case IndexKind::kString:
      if (idx >= dex.num_strings()) return bad("string");
      out->push_back('"');
      out->append(dex.GetString(idx));
      out->push_back('"');
      return;
    case IndexKind::kType:
      if (idx >= dex.num_types()) return bad("type");
      out->append(dex.TypeName(idx));
      return;
    case IndexKind::kField:
      if (idx >= dex.num_fields()) return bad("field");
      dex.AppendFieldRef(idx, out);
      return;
    case IndexKind::kMethod:
    case IndexKind::kMethodAndProto:
      if (idx >= dex.num_methods()) return bad("method");
      dex.AppendMethodRef(idx, out);
      return;
    case IndexKind::kProto:
      if (idx >= dex.num_protos()) return bad("proto");
      out->append(dex.ProtoString(idx));
      return;
    case IndexKind::kCallSite:
      out->append("call_site@").append(std::to_string(idx));
      return;
    case IndexKind::kMethodHandle:
      out->append("method_handle@").append(std::to_string(idx));
      return;
    case IndexKind::kNone:
      return;
  }
}

}  // namespace

void AppendInstructionText(const DexFile& dex, const Instruction& insn, std::string* out) {
  switch (insn.payload) {
    case PayloadKind::kPackedSwitch:
      out->append("packed-switch-data");
      return;
    case PayloadKind::kSparseSwitch:
      out->append("sparse-switch-data");
      return;
    case PayloadKind::kFillArrayData:
      out->append("array-data");
      return;
    case PayloadKind::kNone:
      break;
  }
  out->append(OpcodeName(insn.opcode));
  char buf[64];
  const int32_t target = static_cast<int32_t>(insn.dex_pc) + insn.branch_offset;
  switch (insn.format) {
    case Format::k10x:
      break;
    case Format::k12x:
    case Format::k22x:
    case Format::k32x:
      out->push_back(' '), Reg(insn.a, out), out->append(", "), Reg(insn.b, out);
      break;
    case Format::k11x:
      out->push_back(' '), Reg(insn.a, out);
      break;
    case Format::k11n:
    case Format::k21s:
    case Format::k21h:
    case Format::k31i:
    case Format::k51l:
      snprintf(buf, sizeof(buf), ", #%" PRId64, insn.literal);
      out->push_back(' '), Reg(insn.a, out), out->append(buf);
      break;
    case Format::k10t:
    case Format::k20t:
    case Format::k30t:
      snprintf(buf, sizeof(buf), " %04x", static_cast<uint32_t>(target));
      out->append(buf);
      break;
    case Format::k21t:
    case Format::k31t:
      snprintf(buf, sizeof(buf), ", %04x", static_cast<uint32_t>(target));
      out->push_back(' '), Reg(insn.a, out), out->append(buf);
      break;
    case Format::k22t:
      snprintf(buf, sizeof(buf), ", %04x", static_cast<uint32_t>(target));
      out->push_back(' '), Reg(insn.a, out), out->append(", "), Reg(insn.b, out), out->append(buf);
      break;
    case Format::k21c:
    case Format::k31c:
      out->push_back(' '), Reg(insn.a, out), out->append(", ");
      Index(dex, insn.index_kind, insn.index, out);
      break;
    case Format::k22c:
      out->push_back(' '), Reg(insn.a, out), out->append(", "), Reg(insn.b, out), out->append(", ");
      Index(dex, insn.index_kind, insn.index, out);
      break;
    case Format::k23x:
      out->push_back(' '), Reg(insn.a, out), out->append(", "), Reg(insn.b, out);
      out->append(", "), Reg(insn.c, out);
      break;
    case Format::k22b:
    case Format::k22s:
      snprintf(buf, sizeof(buf), ", #%" PRId64, insn.literal);
      out->push_back(' '), Reg(insn.a, out), out->append(", "), Reg(insn.b, out), out->append(buf);
      break;
    case Format::k35c:
    case Format::k45cc:
    case Format::k3rc:
    case Format::k4rcc:
      out->append(" {");
      for (uint32_t i = 0; i < insn.ArgCount(); ++i) {
        if (i) out->append(", ");
        Reg(insn.Arg(i), out);
      }
      out->append("}, ");
      Index(dex, insn.index_kind, insn.index, out);
      if (insn.proto_index != kNoIndex) {
        out->append(", ");
        Index(dex, IndexKind::kProto, insn.proto_index, out);
      }
      break;
  }
}

}  // namespace piaudit::dex
