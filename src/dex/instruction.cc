// Opcode property tables (expanded from dex_instruction_list.h) and the instruction decoder.
//
// The decoder reads only code units it has checked are inside insns: the format size (or the
// payload size, computed in 64 bits) is compared with the units left before any operand is read.
#include "dex/instruction.h"

#include <cstdarg>
#include <cstdio>
#include <string>

namespace piaudit::dex {
namespace {

struct OpInfo {
  const char* name;
  Format format;
  IndexKind index_kind;
  uint16_t flags;
};

constexpr OpInfo kOpInfo[256] = {
#define PIAUDIT_DEX_OPINFO(value, name, mnemonic, format, index, flags) \
  {mnemonic, Format::format, IndexKind::index, static_cast<uint16_t>(flags)},
    PIAUDIT_DEX_INSTRUCTION_LIST(PIAUDIT_DEX_OPINFO)
#undef PIAUDIT_DEX_OPINFO
};

constexpr uint8_t kFormatSize[] = {
#define PIAUDIT_DEX_FORMAT_SIZE(name, size) size,
    PIAUDIT_DEX_FORMAT_LIST(PIAUDIT_DEX_FORMAT_SIZE)
#undef PIAUDIT_DEX_FORMAT_SIZE
};

constexpr const char* kFormatName[] = {
#define PIAUDIT_DEX_FORMAT_NAME(name, size) #name,
    PIAUDIT_DEX_FORMAT_LIST(PIAUDIT_DEX_FORMAT_NAME)
#undef PIAUDIT_DEX_FORMAT_NAME
};

std::string Fmt(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string Fmt(const char* format, ...) {
  char buf[160];
  va_list ap;
  va_start(ap, format);
  vsnprintf(buf, sizeof(buf), format, ap);
  va_end(ap);
  return buf;
}

Status At(Status s, uint32_t dex_pc, uint32_t insns_file_offset) {
  char structure[48];
  snprintf(structure, sizeof(structure), "insns@%04x", dex_pc);
  return std::move(s.AtOffset(structure, static_cast<uint64_t>(insns_file_offset) + 2ull * dex_pc));
}

}  // namespace

std::string_view OpcodeName(Opcode op) { return kOpInfo[static_cast<uint8_t>(op)].name; }
Format OpcodeFormat(Opcode op) { return kOpInfo[static_cast<uint8_t>(op)].format; }
IndexKind OpcodeIndexKind(Opcode op) { return kOpInfo[static_cast<uint8_t>(op)].index_kind; }
uint16_t OpcodeFlags(Opcode op) { return kOpInfo[static_cast<uint8_t>(op)].flags; }
uint32_t FormatSizeInCodeUnits(Format f) { return kFormatSize[static_cast<uint8_t>(f)]; }
std::string_view FormatName(Format f) {
  return std::string_view(kFormatName[static_cast<uint8_t>(f)]).substr(1);  // drop the 'k'
}
std::string_view IndexKindName(IndexKind k) {
  switch (k) {
    case IndexKind::kNone:
      return "none";
    case IndexKind::kString:
      return "string";
    case IndexKind::kType:
      return "type";
    case IndexKind::kField:
      return "field";
    case IndexKind::kMethod:
      return "method";
    case IndexKind::kMethodAndProto:
      return "method_and_proto";
    case IndexKind::kCallSite:
      return "call_site";
    case IndexKind::kMethodHandle:
      return "method_handle";
    case IndexKind::kProto:
      return "proto";
  }
  return "?";
}

Status DecodeInstruction(ByteSpan insns, uint32_t dex_pc, uint32_t insns_file_offset,
                         Instruction* out) {
  const uint32_t units = static_cast<uint32_t>(insns.size() / 2);
  if (dex_pc >= units) {
    return At(InternalError("dex_pc past the end of insns"), dex_pc, insns_file_offset);
  }
  const uint8_t* p = insns.data() + 2 * static_cast<size_t>(dex_pc);
  const uint32_t left = units - dex_pc;
  // REQUIRES: i < the number of units checked to be left.
  auto u = [p](uint32_t i) -> uint32_t { return p[2 * i] | (p[2 * i + 1] << 8); };
  const uint32_t u0 = u(0);
  const uint8_t op = u0 & 0xff;
  *out = Instruction();
  out->dex_pc = dex_pc;
  out->opcode = static_cast<Opcode>(op);
  const OpInfo& info = kOpInfo[op];
  out->format = info.format;
  out->index_kind = info.index_kind;

  if (op == 0 && (u0 >> 8) >= 1 && (u0 >> 8) <= 3) {
    // Payload pseudo-instruction: its size comes from its own header, which must fit first.
    uint64_t size_units = 0;
    const uint32_t ident = u0 >> 8;
    if (ident == 3) {
      if (left < 4) {
        return At(Truncated("fill-array-data payload header runs past the end of insns"), dex_pc,
                  insns_file_offset);
      }
      const uint64_t width = u(1);
      const uint64_t count = u(2) | (static_cast<uint64_t>(u(3)) << 16);
      size_units = 4 + (width * count + 1) / 2;
      out->payload = PayloadKind::kFillArrayData;
    } else {
      if (left < 2) {
        return At(Truncated("switch payload header runs past the end of insns"), dex_pc,
                  insns_file_offset);
      }
      const uint64_t count = u(1);
      if (ident == 1) {
        size_units = 4 + count * 2;
        out->payload = PayloadKind::kPackedSwitch;
      } else {
        size_units = 2 + count * 4;
        out->payload = PayloadKind::kSparseSwitch;
      }
    }
    if (size_units > left) {
      return At(Truncated(Fmt("payload of %llu code units, only %u left in insns",
                              static_cast<unsigned long long>(size_units), left)),
                dex_pc, insns_file_offset);
    }
    out->size = static_cast<uint32_t>(size_units);
    return Status();
  }

  const uint32_t size = kFormatSize[static_cast<uint8_t>(info.format)];
  if (size > left) {
    return At(
        Truncated(Fmt("%s needs %u code units, only %u left in insns", info.name, size, left)),
        dex_pc, insns_file_offset);
  }
  out->size = size;
  const uint32_t aa = u0 >> 8;
  const uint32_t a4 = (u0 >> 8) & 0xf;
  const uint32_t b4 = u0 >> 12;
  switch (info.format) {
    case Format::k10x:
      break;
    case Format::k12x:
      out->a = a4;
      out->b = b4;
      break;
    case Format::k11n:
      out->a = a4;
      out->literal = static_cast<int16_t>(u0) >> 12;
      break;
    case Format::k11x:
      out->a = aa;
      break;
    case Format::k10t:
      out->branch_offset = static_cast<int8_t>(aa);
      break;
    case Format::k20t:
      out->branch_offset = static_cast<int16_t>(u(1));
      break;
    case Format::k22x:
      out->a = aa;
      out->b = u(1);
      break;
    case Format::k21t:
      out->a = aa;
      out->branch_offset = static_cast<int16_t>(u(1));
      break;
    case Format::k21s:
      out->a = aa;
      out->literal = static_cast<int16_t>(u(1));
      break;
    case Format::k21h:
      out->a = aa;
      if (out->opcode == Opcode::kConstHigh16) {
        out->literal = static_cast<int32_t>(u(1) << 16);
      } else {
        out->literal = static_cast<int64_t>(static_cast<uint64_t>(u(1)) << 48);
      }
      break;
    case Format::k21c:
      out->a = aa;
      out->index = u(1);
      break;
    case Format::k23x:
      out->a = aa;
      out->b = u(1) & 0xff;
      out->c = u(1) >> 8;
      break;
    case Format::k22b:
      out->a = aa;
      out->b = u(1) & 0xff;
      out->literal = static_cast<int8_t>(u(1) >> 8);
      break;
    case Format::k22t:
      out->a = a4;
      out->b = b4;
      out->branch_offset = static_cast<int16_t>(u(1));
      break;
    case Format::k22s:
      out->a = a4;
      out->b = b4;
      out->literal = static_cast<int16_t>(u(1));
      break;
    case Format::k22c:
      out->a = a4;
      out->b = b4;
      out->index = u(1);
      break;
    case Format::k32x:
      out->a = u(1);
      out->b = u(2);
      break;
    case Format::k30t:
      out->branch_offset = static_cast<int32_t>(u(1) | (u(2) << 16));
      break;
    case Format::k31t:
      out->a = aa;
      out->branch_offset = static_cast<int32_t>(u(1) | (u(2) << 16));
      break;
    case Format::k31i:
      out->a = aa;
      out->literal = static_cast<int32_t>(u(1) | (u(2) << 16));
      break;
    case Format::k31c:
      out->a = aa;
      out->index = u(1) | (u(2) << 16);
      break;
    case Format::k35c:
    case Format::k45cc: {
      const uint32_t count = b4;
      if (count > 5) {
        return At(
            InvalidInput(Fmt("%s has %u argument registers, at most 5 allowed", info.name, count)),
            dex_pc, insns_file_offset);
      }
      out->a = count;
      out->arg_count = static_cast<uint8_t>(count);
      out->index = u(1);
      const uint32_t regs = u(2);
      out->args[0] = regs & 0xf;
      out->args[1] = (regs >> 4) & 0xf;
      out->args[2] = (regs >> 8) & 0xf;
      out->args[3] = (regs >> 12) & 0xf;
      out->args[4] = static_cast<uint8_t>(a4);
      out->c = out->args[0];
      if (info.format == Format::k45cc) out->proto_index = u(3);
      break;
    }
    case Format::k3rc:
    case Format::k4rcc:
      out->a = aa;
      out->arg_count = static_cast<uint8_t>(aa);
      out->index = u(1);
      out->first_arg = u(2);
      out->c = out->first_arg;
      if (info.format == Format::k4rcc) out->proto_index = u(3);
      break;
    case Format::k51l:
      out->a = aa;
      out->literal = static_cast<int64_t>(
          static_cast<uint64_t>(u(1)) | (static_cast<uint64_t>(u(2)) << 16) |
          (static_cast<uint64_t>(u(3)) << 32) | (static_cast<uint64_t>(u(4)) << 48));
      break;
  }
  return Status();
}

bool InstructionIterator::Next(Instruction* out) {
  if (done_ || dex_pc_ >= insns_.size() / 2) {
    done_ = true;
    return false;
  }
  Status s = DecodeInstruction(insns_, dex_pc_, insns_file_offset_, out);
  if (!s.ok()) {
    status_ = std::move(s);
    done_ = true;
    return false;
  }
  dex_pc_ += out->size;
  return true;
}

}  // namespace piaudit::dex
