// The Dalvik opcode table, written once (like ART's libdexfile/dex/dex_instruction_list.h).
//
// Every opcode, its mnemonic (as dexdump prints it), its format, the kind of constant-pool index
// it references, and its control-flow/data-flow flags. `instruction.h` expands this table into the
// Opcode enum and the per-opcode property arrays; nothing else hard-codes opcode numbers.
//
// Spec: https://source.android.com/docs/core/runtime/dalvik-bytecode and
// https://source.android.com/docs/core/runtime/instruction-formats
//
// Tricky: the unused slots (0x3e-0x43, 0x73, 0x79-0x7a, 0xe3-0xf9) decode as one code unit with
// format k10x and flag kUnused, as ART's dexdump prints them; the verifier in ART refuses them, we
// report them to the visitor and keep going. 0x00 is also the first unit of the three payload
// pseudo-instructions; the decoder recognises those from the high byte (see instruction.h).
//
// Columns: V(opcode_value, EnumName, "mnemonic", Format, IndexKind, flags)
// Flags: kContinue (may fall through), kBranch, kSwitch, kThrow (may throw explicitly), kReturn,
// kInvoke, kSetsA (writes vA), kWide (vA is a register pair when written), kUnused.
#ifndef PIAUDIT_DEX_DEX_INSTRUCTION_LIST_H_
#define PIAUDIT_DEX_DEX_INSTRUCTION_LIST_H_

// clang-format off
#define PIAUDIT_DEX_INSTRUCTION_LIST(V) \
  V(0x00, kNop, "nop", k10x, kNone, kContinue) \
  V(0x01, kMove, "move", k12x, kNone, kContinue | kSetsA) \
  V(0x02, kMoveFrom16, "move/from16", k22x, kNone, kContinue | kSetsA) \
  V(0x03, kMove16, "move/16", k32x, kNone, kContinue | kSetsA) \
  V(0x04, kMoveWide, "move-wide", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0x05, kMoveWideFrom16, "move-wide/from16", k22x, kNone, kContinue | kSetsA | kWide) \
  V(0x06, kMoveWide16, "move-wide/16", k32x, kNone, kContinue | kSetsA | kWide) \
  V(0x07, kMoveObject, "move-object", k12x, kNone, kContinue | kSetsA) \
  V(0x08, kMoveObjectFrom16, "move-object/from16", k22x, kNone, kContinue | kSetsA) \
  V(0x09, kMoveObject16, "move-object/16", k32x, kNone, kContinue | kSetsA) \
  V(0x0a, kMoveResult, "move-result", k11x, kNone, kContinue | kSetsA) \
  V(0x0b, kMoveResultWide, "move-result-wide", k11x, kNone, kContinue | kSetsA | kWide) \
  V(0x0c, kMoveResultObject, "move-result-object", k11x, kNone, kContinue | kSetsA) \
  V(0x0d, kMoveException, "move-exception", k11x, kNone, kContinue | kSetsA) \
  V(0x0e, kReturnVoid, "return-void", k10x, kNone, kReturn) \
  V(0x0f, kReturn, "return", k11x, kNone, kReturn) \
  V(0x10, kReturnWide, "return-wide", k11x, kNone, kReturn) \
  V(0x11, kReturnObject, "return-object", k11x, kNone, kReturn) \
  V(0x12, kConst4, "const/4", k11n, kNone, kContinue | kSetsA) \
  V(0x13, kConst16, "const/16", k21s, kNone, kContinue | kSetsA) \
  V(0x14, kConst, "const", k31i, kNone, kContinue | kSetsA) \
  V(0x15, kConstHigh16, "const/high16", k21h, kNone, kContinue | kSetsA) \
  V(0x16, kConstWide16, "const-wide/16", k21s, kNone, kContinue | kSetsA | kWide) \
  V(0x17, kConstWide32, "const-wide/32", k31i, kNone, kContinue | kSetsA | kWide) \
  V(0x18, kConstWide, "const-wide", k51l, kNone, kContinue | kSetsA | kWide) \
  V(0x19, kConstWideHigh16, "const-wide/high16", k21h, kNone, kContinue | kSetsA | kWide) \
  V(0x1a, kConstString, "const-string", k21c, kString, kContinue | kThrow | kSetsA) \
  V(0x1b, kConstStringJumbo, "const-string/jumbo", k31c, kString, kContinue | kThrow | kSetsA) \
  V(0x1c, kConstClass, "const-class", k21c, kType, kContinue | kThrow | kSetsA) \
  V(0x1d, kMonitorEnter, "monitor-enter", k11x, kNone, kContinue | kThrow) \
  V(0x1e, kMonitorExit, "monitor-exit", k11x, kNone, kContinue | kThrow) \
  V(0x1f, kCheckCast, "check-cast", k21c, kType, kContinue | kThrow) \
  V(0x20, kInstanceOf, "instance-of", k22c, kType, kContinue | kThrow | kSetsA) \
  V(0x21, kArrayLength, "array-length", k12x, kNone, kContinue | kThrow | kSetsA) \
  V(0x22, kNewInstance, "new-instance", k21c, kType, kContinue | kThrow | kSetsA) \
  V(0x23, kNewArray, "new-array", k22c, kType, kContinue | kThrow | kSetsA) \
  V(0x24, kFilledNewArray, "filled-new-array", k35c, kType, kContinue | kThrow) \
  V(0x25, kFilledNewArrayRange, "filled-new-array/range", k3rc, kType, kContinue | kThrow) \
  V(0x26, kFillArrayData, "fill-array-data", k31t, kNone, kContinue | kThrow) \
  V(0x27, kThrow, "throw", k11x, kNone, kThrow) \
  V(0x28, kGoto, "goto", k10t, kNone, kBranch) \
  V(0x29, kGoto16, "goto/16", k20t, kNone, kBranch) \
  V(0x2a, kGoto32, "goto/32", k30t, kNone, kBranch) \
  V(0x2b, kPackedSwitch, "packed-switch", k31t, kNone, kContinue | kSwitch) \
  V(0x2c, kSparseSwitch, "sparse-switch", k31t, kNone, kContinue | kSwitch) \
  V(0x2d, kCmplFloat, "cmpl-float", k23x, kNone, kContinue | kSetsA) \
  V(0x2e, kCmpgFloat, "cmpg-float", k23x, kNone, kContinue | kSetsA) \
  V(0x2f, kCmplDouble, "cmpl-double", k23x, kNone, kContinue | kSetsA) \
  V(0x30, kCmpgDouble, "cmpg-double", k23x, kNone, kContinue | kSetsA) \
  V(0x31, kCmpLong, "cmp-long", k23x, kNone, kContinue | kSetsA) \
  V(0x32, kIfEq, "if-eq", k22t, kNone, kContinue | kBranch) \
  V(0x33, kIfNe, "if-ne", k22t, kNone, kContinue | kBranch) \
  V(0x34, kIfLt, "if-lt", k22t, kNone, kContinue | kBranch) \
  V(0x35, kIfGe, "if-ge", k22t, kNone, kContinue | kBranch) \
  V(0x36, kIfGt, "if-gt", k22t, kNone, kContinue | kBranch) \
  V(0x37, kIfLe, "if-le", k22t, kNone, kContinue | kBranch) \
  V(0x38, kIfEqz, "if-eqz", k21t, kNone, kContinue | kBranch) \
  V(0x39, kIfNez, "if-nez", k21t, kNone, kContinue | kBranch) \
  V(0x3a, kIfLtz, "if-ltz", k21t, kNone, kContinue | kBranch) \
  V(0x3b, kIfGez, "if-gez", k21t, kNone, kContinue | kBranch) \
  V(0x3c, kIfGtz, "if-gtz", k21t, kNone, kContinue | kBranch) \
  V(0x3d, kIfLez, "if-lez", k21t, kNone, kContinue | kBranch) \
  V(0x3e, kUnused3E, "unused-3e", k10x, kNone, kUnused) \
  V(0x3f, kUnused3F, "unused-3f", k10x, kNone, kUnused) \
  V(0x40, kUnused40, "unused-40", k10x, kNone, kUnused) \
  V(0x41, kUnused41, "unused-41", k10x, kNone, kUnused) \
  V(0x42, kUnused42, "unused-42", k10x, kNone, kUnused) \
  V(0x43, kUnused43, "unused-43", k10x, kNone, kUnused) \
  V(0x44, kAget, "aget", k23x, kNone, kContinue | kThrow | kSetsA) \
  V(0x45, kAgetWide, "aget-wide", k23x, kNone, kContinue | kThrow | kSetsA | kWide) \
  V(0x46, kAgetObject, "aget-object", k23x, kNone, kContinue | kThrow | kSetsA) \
  V(0x47, kAgetBoolean, "aget-boolean", k23x, kNone, kContinue | kThrow | kSetsA) \
  V(0x48, kAgetByte, "aget-byte", k23x, kNone, kContinue | kThrow | kSetsA) \
  V(0x49, kAgetChar, "aget-char", k23x, kNone, kContinue | kThrow | kSetsA) \
  V(0x4a, kAgetShort, "aget-short", k23x, kNone, kContinue | kThrow | kSetsA) \
  V(0x4b, kAput, "aput", k23x, kNone, kContinue | kThrow) \
  V(0x4c, kAputWide, "aput-wide", k23x, kNone, kContinue | kThrow) \
  V(0x4d, kAputObject, "aput-object", k23x, kNone, kContinue | kThrow) \
  V(0x4e, kAputBoolean, "aput-boolean", k23x, kNone, kContinue | kThrow) \
  V(0x4f, kAputByte, "aput-byte", k23x, kNone, kContinue | kThrow) \
  V(0x50, kAputChar, "aput-char", k23x, kNone, kContinue | kThrow) \
  V(0x51, kAputShort, "aput-short", k23x, kNone, kContinue | kThrow) \
  V(0x52, kIget, "iget", k22c, kField, kContinue | kThrow | kSetsA) \
  V(0x53, kIgetWide, "iget-wide", k22c, kField, kContinue | kThrow | kSetsA | kWide) \
  V(0x54, kIgetObject, "iget-object", k22c, kField, kContinue | kThrow | kSetsA) \
  V(0x55, kIgetBoolean, "iget-boolean", k22c, kField, kContinue | kThrow | kSetsA) \
  V(0x56, kIgetByte, "iget-byte", k22c, kField, kContinue | kThrow | kSetsA) \
  V(0x57, kIgetChar, "iget-char", k22c, kField, kContinue | kThrow | kSetsA) \
  V(0x58, kIgetShort, "iget-short", k22c, kField, kContinue | kThrow | kSetsA) \
  V(0x59, kIput, "iput", k22c, kField, kContinue | kThrow) \
  V(0x5a, kIputWide, "iput-wide", k22c, kField, kContinue | kThrow) \
  V(0x5b, kIputObject, "iput-object", k22c, kField, kContinue | kThrow) \
  V(0x5c, kIputBoolean, "iput-boolean", k22c, kField, kContinue | kThrow) \
  V(0x5d, kIputByte, "iput-byte", k22c, kField, kContinue | kThrow) \
  V(0x5e, kIputChar, "iput-char", k22c, kField, kContinue | kThrow) \
  V(0x5f, kIputShort, "iput-short", k22c, kField, kContinue | kThrow) \
  V(0x60, kSget, "sget", k21c, kField, kContinue | kThrow | kSetsA) \
  V(0x61, kSgetWide, "sget-wide", k21c, kField, kContinue | kThrow | kSetsA | kWide) \
  V(0x62, kSgetObject, "sget-object", k21c, kField, kContinue | kThrow | kSetsA) \
  V(0x63, kSgetBoolean, "sget-boolean", k21c, kField, kContinue | kThrow | kSetsA) \
  V(0x64, kSgetByte, "sget-byte", k21c, kField, kContinue | kThrow | kSetsA) \
  V(0x65, kSgetChar, "sget-char", k21c, kField, kContinue | kThrow | kSetsA) \
  V(0x66, kSgetShort, "sget-short", k21c, kField, kContinue | kThrow | kSetsA) \
  V(0x67, kSput, "sput", k21c, kField, kContinue | kThrow) \
  V(0x68, kSputWide, "sput-wide", k21c, kField, kContinue | kThrow) \
  V(0x69, kSputObject, "sput-object", k21c, kField, kContinue | kThrow) \
  V(0x6a, kSputBoolean, "sput-boolean", k21c, kField, kContinue | kThrow) \
  V(0x6b, kSputByte, "sput-byte", k21c, kField, kContinue | kThrow) \
  V(0x6c, kSputChar, "sput-char", k21c, kField, kContinue | kThrow) \
  V(0x6d, kSputShort, "sput-short", k21c, kField, kContinue | kThrow) \
  V(0x6e, kInvokeVirtual, "invoke-virtual", k35c, kMethod, kContinue | kThrow | kInvoke) \
  V(0x6f, kInvokeSuper, "invoke-super", k35c, kMethod, kContinue | kThrow | kInvoke) \
  V(0x70, kInvokeDirect, "invoke-direct", k35c, kMethod, kContinue | kThrow | kInvoke) \
  V(0x71, kInvokeStatic, "invoke-static", k35c, kMethod, kContinue | kThrow | kInvoke) \
  V(0x72, kInvokeInterface, "invoke-interface", k35c, kMethod, kContinue | kThrow | kInvoke) \
  V(0x73, kUnused73, "unused-73", k10x, kNone, kUnused) \
  V(0x74, kInvokeVirtualRange, "invoke-virtual/range", k3rc, kMethod, kContinue | kThrow | kInvoke) \
  V(0x75, kInvokeSuperRange, "invoke-super/range", k3rc, kMethod, kContinue | kThrow | kInvoke) \
  V(0x76, kInvokeDirectRange, "invoke-direct/range", k3rc, kMethod, kContinue | kThrow | kInvoke) \
  V(0x77, kInvokeStaticRange, "invoke-static/range", k3rc, kMethod, kContinue | kThrow | kInvoke) \
  V(0x78, kInvokeInterfaceRange, "invoke-interface/range", k3rc, kMethod, kContinue | kThrow | kInvoke) \
  V(0x79, kUnused79, "unused-79", k10x, kNone, kUnused) \
  V(0x7a, kUnused7A, "unused-7a", k10x, kNone, kUnused) \
  V(0x7b, kNegInt, "neg-int", k12x, kNone, kContinue | kSetsA) \
  V(0x7c, kNotInt, "not-int", k12x, kNone, kContinue | kSetsA) \
  V(0x7d, kNegLong, "neg-long", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0x7e, kNotLong, "not-long", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0x7f, kNegFloat, "neg-float", k12x, kNone, kContinue | kSetsA) \
  V(0x80, kNegDouble, "neg-double", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0x81, kIntToLong, "int-to-long", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0x82, kIntToFloat, "int-to-float", k12x, kNone, kContinue | kSetsA) \
  V(0x83, kIntToDouble, "int-to-double", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0x84, kLongToInt, "long-to-int", k12x, kNone, kContinue | kSetsA) \
  V(0x85, kLongToFloat, "long-to-float", k12x, kNone, kContinue | kSetsA) \
  V(0x86, kLongToDouble, "long-to-double", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0x87, kFloatToInt, "float-to-int", k12x, kNone, kContinue | kSetsA) \
  V(0x88, kFloatToLong, "float-to-long", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0x89, kFloatToDouble, "float-to-double", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0x8a, kDoubleToInt, "double-to-int", k12x, kNone, kContinue | kSetsA) \
  V(0x8b, kDoubleToLong, "double-to-long", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0x8c, kDoubleToFloat, "double-to-float", k12x, kNone, kContinue | kSetsA) \
  V(0x8d, kIntToByte, "int-to-byte", k12x, kNone, kContinue | kSetsA) \
  V(0x8e, kIntToChar, "int-to-char", k12x, kNone, kContinue | kSetsA) \
  V(0x8f, kIntToShort, "int-to-short", k12x, kNone, kContinue | kSetsA) \
  V(0x90, kAddInt, "add-int", k23x, kNone, kContinue | kSetsA) \
  V(0x91, kSubInt, "sub-int", k23x, kNone, kContinue | kSetsA) \
  V(0x92, kMulInt, "mul-int", k23x, kNone, kContinue | kSetsA) \
  V(0x93, kDivInt, "div-int", k23x, kNone, kContinue | kThrow | kSetsA) \
  V(0x94, kRemInt, "rem-int", k23x, kNone, kContinue | kThrow | kSetsA) \
  V(0x95, kAndInt, "and-int", k23x, kNone, kContinue | kSetsA) \
  V(0x96, kOrInt, "or-int", k23x, kNone, kContinue | kSetsA) \
  V(0x97, kXorInt, "xor-int", k23x, kNone, kContinue | kSetsA) \
  V(0x98, kShlInt, "shl-int", k23x, kNone, kContinue | kSetsA) \
  V(0x99, kShrInt, "shr-int", k23x, kNone, kContinue | kSetsA) \
  V(0x9a, kUshrInt, "ushr-int", k23x, kNone, kContinue | kSetsA) \
  V(0x9b, kAddLong, "add-long", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0x9c, kSubLong, "sub-long", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0x9d, kMulLong, "mul-long", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0x9e, kDivLong, "div-long", k23x, kNone, kContinue | kThrow | kSetsA | kWide) \
  V(0x9f, kRemLong, "rem-long", k23x, kNone, kContinue | kThrow | kSetsA | kWide) \
  V(0xa0, kAndLong, "and-long", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0xa1, kOrLong, "or-long", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0xa2, kXorLong, "xor-long", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0xa3, kShlLong, "shl-long", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0xa4, kShrLong, "shr-long", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0xa5, kUshrLong, "ushr-long", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0xa6, kAddFloat, "add-float", k23x, kNone, kContinue | kSetsA) \
  V(0xa7, kSubFloat, "sub-float", k23x, kNone, kContinue | kSetsA) \
  V(0xa8, kMulFloat, "mul-float", k23x, kNone, kContinue | kSetsA) \
  V(0xa9, kDivFloat, "div-float", k23x, kNone, kContinue | kSetsA) \
  V(0xaa, kRemFloat, "rem-float", k23x, kNone, kContinue | kSetsA) \
  V(0xab, kAddDouble, "add-double", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0xac, kSubDouble, "sub-double", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0xad, kMulDouble, "mul-double", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0xae, kDivDouble, "div-double", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0xaf, kRemDouble, "rem-double", k23x, kNone, kContinue | kSetsA | kWide) \
  V(0xb0, kAddInt2Addr, "add-int/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xb1, kSubInt2Addr, "sub-int/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xb2, kMulInt2Addr, "mul-int/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xb3, kDivInt2Addr, "div-int/2addr", k12x, kNone, kContinue | kThrow | kSetsA) \
  V(0xb4, kRemInt2Addr, "rem-int/2addr", k12x, kNone, kContinue | kThrow | kSetsA) \
  V(0xb5, kAndInt2Addr, "and-int/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xb6, kOrInt2Addr, "or-int/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xb7, kXorInt2Addr, "xor-int/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xb8, kShlInt2Addr, "shl-int/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xb9, kShrInt2Addr, "shr-int/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xba, kUshrInt2Addr, "ushr-int/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xbb, kAddLong2Addr, "add-long/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xbc, kSubLong2Addr, "sub-long/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xbd, kMulLong2Addr, "mul-long/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xbe, kDivLong2Addr, "div-long/2addr", k12x, kNone, kContinue | kThrow | kSetsA | kWide) \
  V(0xbf, kRemLong2Addr, "rem-long/2addr", k12x, kNone, kContinue | kThrow | kSetsA | kWide) \
  V(0xc0, kAndLong2Addr, "and-long/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xc1, kOrLong2Addr, "or-long/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xc2, kXorLong2Addr, "xor-long/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xc3, kShlLong2Addr, "shl-long/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xc4, kShrLong2Addr, "shr-long/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xc5, kUshrLong2Addr, "ushr-long/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xc6, kAddFloat2Addr, "add-float/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xc7, kSubFloat2Addr, "sub-float/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xc8, kMulFloat2Addr, "mul-float/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xc9, kDivFloat2Addr, "div-float/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xca, kRemFloat2Addr, "rem-float/2addr", k12x, kNone, kContinue | kSetsA) \
  V(0xcb, kAddDouble2Addr, "add-double/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xcc, kSubDouble2Addr, "sub-double/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xcd, kMulDouble2Addr, "mul-double/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xce, kDivDouble2Addr, "div-double/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xcf, kRemDouble2Addr, "rem-double/2addr", k12x, kNone, kContinue | kSetsA | kWide) \
  V(0xd0, kAddIntLit16, "add-int/lit16", k22s, kNone, kContinue | kSetsA) \
  V(0xd1, kRsubInt, "rsub-int", k22s, kNone, kContinue | kSetsA) \
  V(0xd2, kMulIntLit16, "mul-int/lit16", k22s, kNone, kContinue | kSetsA) \
  V(0xd3, kDivIntLit16, "div-int/lit16", k22s, kNone, kContinue | kThrow | kSetsA) \
  V(0xd4, kRemIntLit16, "rem-int/lit16", k22s, kNone, kContinue | kThrow | kSetsA) \
  V(0xd5, kAndIntLit16, "and-int/lit16", k22s, kNone, kContinue | kSetsA) \
  V(0xd6, kOrIntLit16, "or-int/lit16", k22s, kNone, kContinue | kSetsA) \
  V(0xd7, kXorIntLit16, "xor-int/lit16", k22s, kNone, kContinue | kSetsA) \
  V(0xd8, kAddIntLit8, "add-int/lit8", k22b, kNone, kContinue | kSetsA) \
  V(0xd9, kRsubIntLit8, "rsub-int/lit8", k22b, kNone, kContinue | kSetsA) \
  V(0xda, kMulIntLit8, "mul-int/lit8", k22b, kNone, kContinue | kSetsA) \
  V(0xdb, kDivIntLit8, "div-int/lit8", k22b, kNone, kContinue | kThrow | kSetsA) \
  V(0xdc, kRemIntLit8, "rem-int/lit8", k22b, kNone, kContinue | kThrow | kSetsA) \
  V(0xdd, kAndIntLit8, "and-int/lit8", k22b, kNone, kContinue | kSetsA) \
  V(0xde, kOrIntLit8, "or-int/lit8", k22b, kNone, kContinue | kSetsA) \
  V(0xdf, kXorIntLit8, "xor-int/lit8", k22b, kNone, kContinue | kSetsA) \
  V(0xe0, kShlIntLit8, "shl-int/lit8", k22b, kNone, kContinue | kSetsA) \
  V(0xe1, kShrIntLit8, "shr-int/lit8", k22b, kNone, kContinue | kSetsA) \
  V(0xe2, kUshrIntLit8, "ushr-int/lit8", k22b, kNone, kContinue | kSetsA) \
  V(0xe3, kUnusedE3, "unused-e3", k10x, kNone, kUnused) \
  V(0xe4, kUnusedE4, "unused-e4", k10x, kNone, kUnused) \
  V(0xe5, kUnusedE5, "unused-e5", k10x, kNone, kUnused) \
  V(0xe6, kUnusedE6, "unused-e6", k10x, kNone, kUnused) \
  V(0xe7, kUnusedE7, "unused-e7", k10x, kNone, kUnused) \
  V(0xe8, kUnusedE8, "unused-e8", k10x, kNone, kUnused) \
  V(0xe9, kUnusedE9, "unused-e9", k10x, kNone, kUnused) \
  V(0xea, kUnusedEA, "unused-ea", k10x, kNone, kUnused) \
  V(0xeb, kUnusedEB, "unused-eb", k10x, kNone, kUnused) \
  V(0xec, kUnusedEC, "unused-ec", k10x, kNone, kUnused) \
  V(0xed, kUnusedED, "unused-ed", k10x, kNone, kUnused) \
  V(0xee, kUnusedEE, "unused-ee", k10x, kNone, kUnused) \
  V(0xef, kUnusedEF, "unused-ef", k10x, kNone, kUnused) \
  V(0xf0, kUnusedF0, "unused-f0", k10x, kNone, kUnused) \
  V(0xf1, kUnusedF1, "unused-f1", k10x, kNone, kUnused) \
  V(0xf2, kUnusedF2, "unused-f2", k10x, kNone, kUnused) \
  V(0xf3, kUnusedF3, "unused-f3", k10x, kNone, kUnused) \
  V(0xf4, kUnusedF4, "unused-f4", k10x, kNone, kUnused) \
  V(0xf5, kUnusedF5, "unused-f5", k10x, kNone, kUnused) \
  V(0xf6, kUnusedF6, "unused-f6", k10x, kNone, kUnused) \
  V(0xf7, kUnusedF7, "unused-f7", k10x, kNone, kUnused) \
  V(0xf8, kUnusedF8, "unused-f8", k10x, kNone, kUnused) \
  V(0xf9, kUnusedF9, "unused-f9", k10x, kNone, kUnused) \
  V(0xfa, kInvokePolymorphic, "invoke-polymorphic", k45cc, kMethodAndProto, kContinue | kThrow | kInvoke) \
  V(0xfb, kInvokePolymorphicRange, "invoke-polymorphic/range", k4rcc, kMethodAndProto, kContinue | kThrow | kInvoke) \
  V(0xfc, kInvokeCustom, "invoke-custom", k35c, kCallSite, kContinue | kThrow | kInvoke) \
  V(0xfd, kInvokeCustomRange, "invoke-custom/range", k3rc, kCallSite, kContinue | kThrow | kInvoke) \
  V(0xfe, kConstMethodHandle, "const-method-handle", k21c, kMethodHandle, kContinue | kThrow | kSetsA) \
  V(0xff, kConstMethodType, "const-method-type", k21c, kProto, kContinue | kThrow | kSetsA)

// Formats: V(EnumName, size_in_code_units). Names follow the spec ("22c": 2 units, 2 registers,
// constant-pool index).
#define PIAUDIT_DEX_FORMAT_LIST(V) \
  V(k10x, 1) V(k12x, 1) V(k11n, 1) V(k11x, 1) V(k10t, 1) \
  V(k20t, 2) V(k22x, 2) V(k21t, 2) V(k21s, 2) V(k21h, 2) V(k21c, 2) V(k23x, 2) V(k22b, 2) \
  V(k22t, 2) V(k22s, 2) V(k22c, 2) \
  V(k32x, 3) V(k30t, 3) V(k31t, 3) V(k31i, 3) V(k31c, 3) V(k35c, 3) V(k3rc, 3) \
  V(k45cc, 4) V(k4rcc, 4) V(k51l, 5)
// clang-format on

#endif  // PIAUDIT_DEX_DEX_INSTRUCTION_LIST_H_
