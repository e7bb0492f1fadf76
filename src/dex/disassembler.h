// One-line text of a decoded instruction, close to dexdump's but with piaudit's reference style
// ("invoke-virtual {v0, v1}, Lcom/Foo;->bar(I)V"). Used by the dex dumper and by evidence text.
#ifndef PIAUDIT_DEX_DISASSEMBLER_H_
#define PIAUDIT_DEX_DISASSEMBLER_H_

#include <string>

#include "dex/dex_file.h"
#include "dex/instruction.h"

namespace piaudit::dex {

// Appends the text of `insn` to *out. Out-of-range indices print as "<bad method@1234>".
void AppendInstructionText(const DexFile& dex, const Instruction& insn, std::string* out);

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_DISASSEMBLER_H_
