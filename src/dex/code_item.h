// A checked view of one code_item: register counts and the insns array (DexFile::GetCodeItem).
//
// Tricky: insns_size counts 16-bit code units, not bytes; insns need not be 2-byte aligned in
// memory (a dex stored in an APK is aligned only if the APK was zipaligned), so every read goes
// through ByteSpan byte loads. tries/handlers follow insns after 2 bytes of padding when
// insns_size is odd; GetCodeItem checks they fit, the handlers are decoded on demand.
#ifndef PIAUDIT_DEX_CODE_ITEM_H_
#define PIAUDIT_DEX_CODE_ITEM_H_

#include <cstdint>

#include "base/byte_span.h"
#include "dex/instruction.h"

namespace piaudit::dex {

struct CodeItem {
  uint32_t offset = 0;  // file offset of the code_item
  uint16_t registers_size = 0;
  uint16_t ins_size = 0;  // the last ins_size registers hold the arguments ("this" first)
  uint16_t outs_size = 0;
  uint16_t tries_size = 0;
  uint32_t debug_info_off = 0;
  uint32_t insns_size = 0;    // in code units
  uint32_t insns_offset = 0;  // file offset of insns[0]
  ByteSpan insns;             // 2 * insns_size bytes
  ByteSpan tries;             // tries_size * 8 bytes of try_item (may be empty)

  InstructionIterator Instructions() const { return InstructionIterator(insns, insns_offset); }
};

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_CODE_ITEM_H_
