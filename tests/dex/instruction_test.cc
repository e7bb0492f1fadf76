// Tests for src/dex/instruction.cc: the opcode table, every format's operand decoding, payload
// skipping, and an iterator that stops (with a Status) instead of reading past insns.
#include "dex/instruction.h"

#include <gtest/gtest.h>

#include <vector>

namespace piaudit::dex {
namespace {

std::vector<uint8_t> Bytes(const std::vector<uint16_t>& units) {
  std::vector<uint8_t> b;
  for (uint16_t u : units) {
    b.push_back(u & 0xff);
    b.push_back(u >> 8);
  }
  return b;
}

Instruction DecodeOne(const std::vector<uint16_t>& units) {
  std::vector<uint8_t> b = Bytes(units);
  Instruction insn;
  Status s = DecodeInstruction(ByteSpan(b.data(), b.size()), 0, 0x100, &insn);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return insn;
}

TEST(InstructionTest, TableIsConsistent) {
  int unused = 0, invokes = 0;
  for (int op = 0; op < 256; ++op) {
    const Opcode o = static_cast<Opcode>(op);
    EXPECT_FALSE(OpcodeName(o).empty()) << op;
    const uint32_t size = FormatSizeInCodeUnits(OpcodeFormat(o));
    EXPECT_GE(size, 1u);
    EXPECT_LE(size, 5u);
    // The format name's first digit is the size in code units ("22c" -> 2).
    EXPECT_EQ(static_cast<uint32_t>(FormatName(OpcodeFormat(o))[0] - '0'), size) << op;
    if (OpcodeFlags(o) & kUnused) ++unused;
    if (OpcodeFlags(o) & kInvoke) {
      ++invokes;
      EXPECT_NE(OpcodeIndexKind(o), IndexKind::kNone) << op;
    }
  }
  // 0x3e-0x43 (6), 0x73, 0x79-0x7a (2), 0xe3-0xf9 (23).
  EXPECT_EQ(unused, 32);
  // 5 invoke kinds x 2 forms + polymorphic x 2 + custom x 2.
  EXPECT_EQ(invokes, 14);
  EXPECT_EQ(OpcodeName(Opcode::kInvokeVirtualRange), "invoke-virtual/range");
  EXPECT_EQ(OpcodeFormat(Opcode::kInvokePolymorphic), Format::k45cc);
}

TEST(InstructionTest, EveryOpcodeDecodesWithItsFormatSize) {
  for (int op = 0; op < 256; ++op) {
    std::vector<uint16_t> units(5, 0);
    units[0] = static_cast<uint16_t>(op);
    Instruction insn = DecodeOne(units);
    EXPECT_EQ(insn.opcode, static_cast<Opcode>(op));
    EXPECT_EQ(insn.size, FormatSizeInCodeUnits(OpcodeFormat(insn.opcode))) << op;
    EXPECT_FALSE(insn.is_payload());
  }
}

TEST(InstructionTest, Format35cListsFiveRegisters) {
  // invoke-virtual {v1, v2, v3, v4, v5}, method@0x1234: A=5 G=5, regs C..F = 1,2,3,4.
  Instruction insn = DecodeOne({0x556e, 0x1234, 0x4321});
  EXPECT_EQ(insn.opcode, Opcode::kInvokeVirtual);
  EXPECT_EQ(insn.index_kind, IndexKind::kMethod);
  EXPECT_EQ(insn.index, 0x1234u);
  ASSERT_EQ(insn.ArgCount(), 5u);
  EXPECT_EQ(insn.Arg(0), 1u);
  EXPECT_EQ(insn.Arg(3), 4u);
  EXPECT_EQ(insn.Arg(4), 5u);
}

TEST(InstructionTest, Format3rcIsARange) {
  Instruction insn = DecodeOne({0x0777, 0x0042, 0x0100});  // invoke-static/range {v256..v262}
  EXPECT_EQ(insn.opcode, Opcode::kInvokeStaticRange);
  EXPECT_EQ(insn.index, 0x42u);
  ASSERT_EQ(insn.ArgCount(), 7u);
  EXPECT_EQ(insn.Arg(0), 256u);
  EXPECT_EQ(insn.Arg(6), 262u);
}

TEST(InstructionTest, Format45ccAnd4rccCarryAProto) {
  Instruction p = DecodeOne({0x21fa, 0x0010, 0x0043, 0x0007});
  EXPECT_EQ(p.opcode, Opcode::kInvokePolymorphic);
  EXPECT_EQ(p.index, 0x10u);
  EXPECT_EQ(p.proto_index, 7u);
  ASSERT_EQ(p.ArgCount(), 2u);
  EXPECT_EQ(p.Arg(0), 3u);
  EXPECT_EQ(p.Arg(1), 4u);
  Instruction r = DecodeOne({0x03fb, 0x0011, 0x0005, 0x0009});
  EXPECT_EQ(r.index, 0x11u);
  EXPECT_EQ(r.proto_index, 9u);
  EXPECT_EQ(r.Arg(2), 7u);
  Instruction c = DecodeOne({0x10fc, 0x0002, 0x0003});  // invoke-custom {v3}, call_site@2
  EXPECT_EQ(c.index_kind, IndexKind::kCallSite);
  EXPECT_EQ(c.index, 2u);
}

TEST(InstructionTest, LiteralsAreSignExtendedAndShifted) {
  EXPECT_EQ(DecodeOne({0xf312}).literal, -1);  // const/4 v3, #-1
  EXPECT_EQ(DecodeOne({0xf312}).a, 3u);
  EXPECT_EQ(DecodeOne({0x0113, 0xfffe}).literal, -2);          // const/16
  EXPECT_EQ(DecodeOne({0x0015, 0x1234}).literal, 0x12340000);  // const/high16
  EXPECT_EQ(DecodeOne({0x0019, 0x8000}).literal, static_cast<int64_t>(0x8000000000000000ull));
  EXPECT_EQ(DecodeOne({0x0014, 0x5678, 0x1234}).literal, 0x12345678);
  EXPECT_EQ(DecodeOne({0x0018, 0x4444, 0x3333, 0x2222, 0x1111}).literal, 0x1111222233334444);
  Instruction lit8 = DecodeOne({0x02d8, 0xfe01});  // add-int/lit8 v2, v1, #-2
  EXPECT_EQ(lit8.a, 2u);
  EXPECT_EQ(lit8.b, 1u);
  EXPECT_EQ(lit8.literal, -2);
}

TEST(InstructionTest, BranchesAndFieldOperands) {
  EXPECT_EQ(DecodeOne({0xfe28}).branch_offset, -2);          // goto -2
  EXPECT_EQ(DecodeOne({0x0038, 0x0010}).branch_offset, 16);  // if-eqz v0, +16
  EXPECT_EQ(DecodeOne({0x002a, 0x0000, 0x8000}).branch_offset, INT32_MIN);
  Instruction iget = DecodeOne({0x2154, 0x0033});  // iget-object v1, v2, field@0x33
  EXPECT_EQ(iget.a, 1u);
  EXPECT_EQ(iget.b, 2u);
  EXPECT_EQ(iget.index, 0x33u);
  EXPECT_EQ(iget.index_kind, IndexKind::kField);
  Instruction jumbo = DecodeOne({0x051b, 0x0001, 0x0002});
  EXPECT_EQ(jumbo.index, 0x20001u);
  EXPECT_EQ(jumbo.index_kind, IndexKind::kString);
}

TEST(InstructionTest, IteratorSkipsPayloads) {
  // packed-switch v0 -> payload at +4; return-void; nop pad; payload(2 targets); sparse payload
  // (1 entry); fill-array-data payload (3 x 2-byte elements); return-void.
  std::vector<uint16_t> units = {0x002b, 0x0004, 0x0000,  // packed-switch v0, +4
                                 0x000e,                  // return-void
                                 0x0100, 0x0002, 0x0000, 0x0000, 1, 0, 2, 0,  // 8 units
                                 0x0200, 0x0001, 5,      0,      7, 0,        // 6 units
                                 0x0300, 0x0002, 0x0003, 0x0000, 1, 2, 3,     // 7 units
                                 0x000e};
  std::vector<uint8_t> b = Bytes(units);
  InstructionIterator it(ByteSpan(b.data(), b.size()), 0);
  Instruction insn;
  std::vector<std::pair<uint32_t, PayloadKind>> seen;
  while (it.Next(&insn)) seen.push_back({insn.dex_pc, insn.payload});
  ASSERT_TRUE(it.status().ok()) << it.status().ToString();
  ASSERT_EQ(seen.size(), 6u);
  EXPECT_EQ(seen[2], std::make_pair(4u, PayloadKind::kPackedSwitch));
  EXPECT_EQ(seen[3], std::make_pair(12u, PayloadKind::kSparseSwitch));
  EXPECT_EQ(seen[4], std::make_pair(18u, PayloadKind::kFillArrayData));
  EXPECT_EQ(seen[5].first, 25u);
}

TEST(InstructionTest, IteratorStopsWhenAnInstructionRunsPastInsns) {
  // const-wide (5 units) with only 3 present.
  std::vector<uint8_t> b = Bytes({0x000e, 0x0018, 0x1111, 0x2222});
  InstructionIterator it(ByteSpan(b.data(), b.size()), 0x200);
  Instruction insn;
  int n = 0;
  while (it.Next(&insn)) ++n;
  EXPECT_EQ(n, 1);
  ASSERT_FALSE(it.status().ok());
  EXPECT_EQ(it.status().code(), StatusCode::kTruncated);
  EXPECT_EQ(it.status().offset(), 0x202u);  // insns + 2 * dex_pc 1
  EXPECT_NE(it.status().message().find("const-wide"), std::string_view::npos);
}

TEST(InstructionTest, IteratorStopsOnALyingPayload) {
  // packed-switch payload claiming 0xffff targets in a 4-unit array; fill-array-data claiming
  // 0xffffffff elements of width 0xffff (the size in 64 bits must not wrap).
  for (const auto& units : std::vector<std::vector<uint16_t>>{
           {0x0100, 0xffff, 0, 0}, {0x0300, 0xffff, 0xffff, 0xffff, 0}, {0x0200}, {0x0300, 1}}) {
    std::vector<uint8_t> b = Bytes(units);
    InstructionIterator it(ByteSpan(b.data(), b.size()), 0);
    Instruction insn;
    EXPECT_FALSE(it.Next(&insn));
    EXPECT_EQ(it.status().code(), StatusCode::kTruncated);
    EXPECT_FALSE(it.Next(&insn));  // stays stopped
  }
}

TEST(InstructionTest, TooManyArgumentsIsInvalid) {
  std::vector<uint8_t> b = Bytes({0x606e, 0x0000, 0x0000});  // A = 6
  Instruction insn;
  Status s = DecodeInstruction(ByteSpan(b.data(), b.size()), 0, 0, &insn);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
}

TEST(InstructionTest, OddByteCountIgnoresTheHalfUnit) {
  std::vector<uint8_t> b = {0x0e, 0x00, 0x0e};
  InstructionIterator it(ByteSpan(b.data(), b.size()), 0);
  Instruction insn;
  int n = 0;
  while (it.Next(&insn)) ++n;
  EXPECT_EQ(n, 1);
  EXPECT_TRUE(it.status().ok());
}

}  // namespace
}  // namespace piaudit::dex
