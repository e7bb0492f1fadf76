// Dalvik instruction decoding and a bounded instruction iterator.
//
// The opcode table lives in dex_instruction_list.h; this header expands it into enums and
// property lookups and declares Instruction (one decoded instruction, a plain value with no heap
// memory) and InstructionIterator, which walks a code item's insns like ART's
// SafeDexInstructionIterator: it never reads past the insns array even when an instruction or a
// payload declares a size that does not fit, and stops with a Status naming the dex_pc and the
// byte offset instead.
//
// Tricky:
//  * Payloads (packed-switch, sparse-switch, fill-array-data) are data inside the instruction
//    stream. They start with a "nop" unit whose high byte is 1, 2 or 3. The iterator reports them
//    as Instruction{opcode=kNop, payload=...} with their full size, so a caller that ignores nops
//    ignores payloads, and the next instruction is decoded at the right place.
//  * Unused opcodes decode as one-unit k10x with kUnused set (dexdump prints them the same way);
//    the iterator keeps going, the caller decides whether that matters.
//  * Register operands are as the format defines them (vA, vB, vC; ART's names). For invokes and
//    filled-new-array use ArgCount()/Arg(i), which hide the 35c vs 3rc difference.
#ifndef PIAUDIT_DEX_INSTRUCTION_H_
#define PIAUDIT_DEX_INSTRUCTION_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/byte_span.h"
#include "base/status.h"
#include "dex/dex_instruction_list.h"

namespace piaudit::dex {

inline constexpr uint32_t kNoIndex = 0xffffffff;

enum class Opcode : uint8_t {
#define PIAUDIT_DEX_OPCODE_ENUM(value, name, mnemonic, format, index, flags) name = value,
  PIAUDIT_DEX_INSTRUCTION_LIST(PIAUDIT_DEX_OPCODE_ENUM)
#undef PIAUDIT_DEX_OPCODE_ENUM
};

enum class Format : uint8_t {
#define PIAUDIT_DEX_FORMAT_ENUM(name, size) name,
  PIAUDIT_DEX_FORMAT_LIST(PIAUDIT_DEX_FORMAT_ENUM)
#undef PIAUDIT_DEX_FORMAT_ENUM
};

// What the instruction's constant-pool index refers to.
enum class IndexKind : uint8_t {
  kNone,
  kString,          // string_ids
  kType,            // type_ids
  kField,           // field_ids
  kMethod,          // method_ids
  kMethodAndProto,  // method_ids + proto_ids (invoke-polymorphic: index, proto_index)
  kCallSite,        // call_site_ids (invoke-custom)
  kMethodHandle,    // method_handles
  kProto,           // proto_ids (const-method-type)
};

// Bit flags from the table's last column.
enum OpcodeFlag : uint16_t {
  kContinue = 1 << 0,  // may fall through to the next instruction
  kBranch = 1 << 1,    // has a branch target (goto, if-*)
  kSwitch = 1 << 2,    // packed-switch / sparse-switch
  kThrow = 1 << 3,     // may throw
  kReturn = 1 << 4,    // return*
  kInvoke = 1 << 5,    // invoke-*
  kSetsA = 1 << 6,     // writes register vA
  kWide = 1 << 7,      // the register it writes is a pair (vA, vA+1)
  kUnused = 1 << 8,    // opcode value not assigned
};

enum class PayloadKind : uint8_t { kNone, kPackedSwitch, kSparseSwitch, kFillArrayData };

std::string_view OpcodeName(Opcode op);  // dexdump mnemonic, e.g. "invoke-virtual/range"
Format OpcodeFormat(Opcode op);
IndexKind OpcodeIndexKind(Opcode op);
uint16_t OpcodeFlags(Opcode op);
uint32_t FormatSizeInCodeUnits(Format f);
std::string_view FormatName(Format f);  // "22c"
std::string_view IndexKindName(IndexKind k);

inline bool IsInvoke(Opcode op) { return OpcodeFlags(op) & kInvoke; }
// invoke-*/range, invoke-polymorphic/range, invoke-custom/range, filled-new-array/range.
inline bool IsRangeFormat(Format f) { return f == Format::k3rc || f == Format::k4rcc; }

// One decoded instruction. Plain value: decoding never allocates.
struct Instruction {
  uint32_t dex_pc = 0;  // in 16-bit code units from the start of insns
  uint32_t size = 0;    // in code units, including a payload's data
  Opcode opcode = Opcode::kNop;
  Format format = Format::k10x;
  IndexKind index_kind = IndexKind::kNone;
  PayloadKind payload = PayloadKind::kNone;
  // Constant-pool index (string/type/field/method/call-site/method-handle/proto) or kNoIndex.
  // For 22c (iget*, iput*, instance-of, new-array) it is CCCC; for 21c/31c BBBB(BBBB); for
  // 35c/3rc/45cc/4rcc BBBB.
  uint32_t index = kNoIndex;
  uint32_t proto_index = kNoIndex;  // 45cc / 4rcc only: HHHH
  uint32_t a = 0, b = 0, c = 0;     // register operands as the format names them
  int64_t literal = 0;        // 11n/21s/21h/31i/51l/22b/22s, sign-extended; 21h already shifted
  int32_t branch_offset = 0;  // 10t/20t/30t/21t/22t/31t target (or payload) = dex_pc + offset
  uint8_t arg_count = 0;      // 35c/45cc: 0..5 registers in args; 3rc/4rcc: AA (first is first_arg)
  uint8_t args[5] = {0, 0, 0, 0, 0};
  uint32_t first_arg = 0;  // 3rc/4rcc: CCCC

  uint16_t flags() const { return OpcodeFlags(opcode); }
  bool is_payload() const { return payload != PayloadKind::kNone; }
  bool is_invoke() const { return IsInvoke(opcode); }
  // Argument registers of invoke-*/filled-new-array in both the list and the range forms.
  uint32_t ArgCount() const { return arg_count; }
  // REQUIRES: i < ArgCount()
  uint32_t Arg(uint32_t i) const {
    return IsRangeFormat(format) ? first_arg + i : (i < 5 ? args[i] : 0);
  }
};

// Decodes the instruction at code unit `dex_pc` of `insns` (the code item's insns bytes, an even
// count). `insns_file_offset` is only used to place errors (file offset of insns[0]). Fails when
// the instruction or its payload does not fit in insns.
Status DecodeInstruction(ByteSpan insns, uint32_t dex_pc, uint32_t insns_file_offset,
                         Instruction* out);

// Walks every instruction of a code item in order. Cannot run past insns. Usage:
//   InstructionIterator it(code.insns, code.insns_offset);
//   Instruction insn;
//   while (it.Next(&insn)) { ... }
//   if (!it.status().ok()) { /* the code lied; instructions before dex_pc were valid */ }
class InstructionIterator {
 public:
  InstructionIterator(ByteSpan insns, uint32_t insns_file_offset)
      : insns_(insns), insns_file_offset_(insns_file_offset) {}

  // Decodes the next instruction into *out. False at the end or on error (see status()).
  bool Next(Instruction* out);
  const Status& status() const { return status_; }
  uint32_t dex_pc() const { return dex_pc_; }

 private:
  ByteSpan insns_;
  uint32_t insns_file_offset_;
  uint32_t dex_pc_ = 0;
  bool done_ = false;
  Status status_;
};

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_INSTRUCTION_H_
