// Hostile input for the dex reader, generated in code from a dexdump-checked builder dex:
// truncation at every offset, counts and offsets set to 0xffffffff, byte flips everywhere, code_off
// into the header, instructions and payloads running past their code item, huge and over-long
// LEB128 values, indices out of their tables. The reader must answer with a Status naming the
// structure and offset, or a correct result, and a bad class or method must not hide the others.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/diagnostics.h"
#include "dex/annotations.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/dex_file.h"
#include "dex/dex_test_util.h"
#include "dex/dex_walk.h"
#include "dex/reflection.h"

namespace piaudit::dex {
namespace {

uint32_t Get32(const std::vector<uint8_t>& b, size_t off) {
  return b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) |
         (static_cast<uint32_t>(b[off + 3]) << 24);
}
void Put32(std::vector<uint8_t>* b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*b)[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
void Put16(std::vector<uint8_t>* b, size_t off, uint16_t v) {
  (*b)[off] = v & 0xff;
  (*b)[off + 1] = v >> 8;
}
void Uleb(uint32_t v, std::vector<uint8_t>* out) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v) byte |= 0x80;
    out->push_back(byte);
  } while (v);
}

constexpr uint32_t kClassDefsOffField = 100;
constexpr uint32_t kMethodIdsOffField = 92;

// Opens and walks everything a scan would touch; never crashes (ASan/UBSan in the fuzz build).
struct Outcome {
  Status open;
  DexWalkStats stats;
  std::vector<Diagnostic> diags;
};
Outcome OpenAndWalk(const std::vector<uint8_t>& b) {
  Outcome o;
  Result<DexFile> dex = DexFile::Open(ByteSpan(b.data(), b.size()), "h.dex", Limits());
  if (!dex.ok()) {
    o.open = dex.status();
    return o;
  }
  Diagnostics diags;
  std::string sink;
  ReflectionScanner scanner;
  std::vector<ConstantReflection> found;
  o.stats = ForEachInstruction(*dex, &diags, [&](const MethodView& view, const Instruction& insn) {
    switch (insn.index_kind) {
      case IndexKind::kMethod:
        if (insn.index < dex->num_methods()) sink = dex->MethodRefString(insn.index);
        break;
      case IndexKind::kField:
        if (insn.index < dex->num_fields()) sink = dex->FieldRefString(insn.index);
        break;
      case IndexKind::kString:
        if (insn.index < dex->num_strings()) sink = dex->GetString(insn.index);
        break;
      default:
        break;
    }
    if (insn.dex_pc == 0) (void)scanner.Scan(*dex, *view.code, &found);
  });
  for (uint32_t i = 0; i < dex->num_class_defs(); ++i) {
    Result<ClassDef> def = dex->GetClassDef(i);
    if (def.ok()) (void)ReadClassAnnotations(*dex, *def);
  }
  for (uint32_t i = 0; i < dex->num_methods(); ++i) sink = dex->MethodRefString(i);
  for (uint32_t i = 0; i < dex->num_fields(); ++i) sink = dex->FieldRefString(i);
  o.diags = diags.items();
  return o;
}

class HostileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    good_ = BuildVerified(SampleApp(), "hostile_base");
    ASSERT_FALSE(good_.empty());
    Result<DexFile> dex = DexFile::Open(ByteSpan(good_.data(), good_.size()), "h.dex", Limits());
    ASSERT_TRUE(dex.ok());
    ASSERT_EQ(dex->num_class_defs(), 2u);
    // App is class_defs[1]; remember its methods by name.
    Result<ClassDef> app = dex->GetClassDef(1);
    ASSERT_TRUE(app.ok());
    ClassData data;
    ASSERT_TRUE(dex->ReadClassData(*app, &data).ok());
    for (const auto* list : {&data.direct_methods, &data.virtual_methods}) {
      for (const EncodedMethod& m : *list) {
        methods_[dex->GetString(dex->GetMethodId(m.method_idx).name)] = m;
      }
    }
    ASSERT_TRUE(methods_.count("run") && methods_.count("secret") && methods_.count("helper"));
    num_methods_ = dex->num_methods();
    num_fields_ = dex->num_fields();
    Diagnostics d;
    good_stats_ = ForEachInstruction(*dex, &d, [](const MethodView&, const Instruction&) {});
  }

  // Appends `class_data` after the file and points class_defs[1] (App) at it.
  std::vector<uint8_t> WithAppClassData(const std::vector<uint8_t>& class_data) {
    std::vector<uint8_t> b = good_;
    const uint32_t off = static_cast<uint32_t>(b.size());
    b.insert(b.end(), class_data.begin(), class_data.end());
    Put32(&b, 32, static_cast<uint32_t>(b.size()));  // file_size
    Put32(&b, Get32(b, kClassDefsOffField) + 32 + 24, off);
    return b;
  }

  std::vector<uint8_t> good_;
  std::map<std::string, EncodedMethod> methods_;
  uint32_t num_methods_ = 0, num_fields_ = 0;
  DexWalkStats good_stats_;
};

bool HasDiag(const Outcome& o, const std::string& code) {
  for (const Diagnostic& d : o.diags) {
    if (d.code == code) return true;
  }
  return false;
}

TEST_F(HostileTest, TruncatedAtEveryOffsetIsTruncated) {
  for (size_t len = 0; len < good_.size(); ++len) {
    std::vector<uint8_t> b(good_.begin(), good_.begin() + len);
    Outcome o = OpenAndWalk(b);
    ASSERT_FALSE(o.open.ok()) << len;
    EXPECT_EQ(o.open.code(), StatusCode::kTruncated) << len << ": " << o.open.ToString();
    EXPECT_EQ(o.open.file(), "h.dex");
  }
  // Trailing bytes after file_size are ignored, not read.
  std::vector<uint8_t> longer = good_;
  longer.resize(good_.size() + 100, 0xee);
  Outcome o = OpenAndWalk(longer);
  EXPECT_TRUE(o.open.ok());
  EXPECT_EQ(o.stats.instructions, good_stats_.instructions);
}

TEST_F(HostileTest, HeaderFieldsSetToHugeValues) {
  for (uint32_t field = 32; field <= 108; field += 4) {
    for (uint32_t value : {0xffffffffu, 0x80000000u, 0x7ffffffcu}) {
      std::vector<uint8_t> b = good_;
      Put32(&b, field, value);
      Outcome o = OpenAndWalk(b);
      if (field == 44 || field == 48) {  // link_size / link_off: unused by readers
        EXPECT_TRUE(o.open.ok()) << field;
        continue;
      }
      ASSERT_FALSE(o.open.ok()) << "field " << field << " = " << value;
      EXPECT_TRUE(o.open.offset().has_value());
      EXPECT_FALSE(o.open.structure().empty());
    }
  }
}

TEST_F(HostileTest, EveryByteFlippedNeverCrashesAndChecksumNotices) {
  size_t opened = 0;
  for (size_t i = 12; i < good_.size(); ++i) {
    for (uint8_t x : {uint8_t{0xff}, uint8_t{0x80}, uint8_t{0x01}}) {
      std::vector<uint8_t> b = good_;
      b[i] ^= x;
      Outcome o = OpenAndWalk(b);
      if (!o.open.ok()) {
        EXPECT_TRUE(o.open.offset().has_value()) << o.open.ToString();
        continue;
      }
      ++opened;
      Result<DexFile> dex = DexFile::Open(ByteSpan(b.data(), b.size()), "h.dex", Limits());
      ASSERT_TRUE(dex.ok());
      // adler32 sees every single-byte change after the checksum field.
      EXPECT_FALSE(dex->VerifyChecksum().ok()) << i;
      for (const Diagnostic& d : o.diags) EXPECT_TRUE(d.has_offset) << d.ToString();
    }
  }
  EXPECT_GT(opened, 0u);
}

TEST_F(HostileTest, CodeOffIntoTheHeaderFailsOnlyThatMethod) {
  std::vector<uint8_t> cd;
  for (uint32_t v : {0u, 0u, 2u, 0u}) Uleb(v, &cd);
  const EncodedMethod& secret = methods_["secret"];
  const EncodedMethod& helper = methods_["helper"];
  ASSERT_LT(helper.method_idx, secret.method_idx);
  Uleb(helper.method_idx, &cd);
  Uleb(helper.access_flags, &cd);
  Uleb(0x10, &cd);  // inside the header
  Uleb(secret.method_idx - helper.method_idx, &cd);
  Uleb(secret.access_flags, &cd);
  Uleb(secret.code_off, &cd);
  Outcome o = OpenAndWalk(WithAppClassData(cd));
  ASSERT_TRUE(o.open.ok()) << o.open.ToString();
  EXPECT_EQ(o.stats.classes, 2u);
  EXPECT_EQ(o.stats.methods, 2u + 2u);
  EXPECT_EQ(o.stats.code_items, 1u + 1u);  // Base.<init> and secret
  ASSERT_EQ(o.diags.size(), 1u);
  EXPECT_EQ(o.diags[0].code, "dex.bad_code_item");
  EXPECT_EQ(o.diags[0].offset, 0x10u);
  EXPECT_EQ(o.diags[0].file, "h.dex");
}

TEST_F(HostileTest, HugeAndOverlongLeb128InClassData) {
  const std::vector<std::vector<uint8_t>> cases = {
      {0xff, 0xff, 0xff, 0xff, 0xff, 0x01},     // 6-byte ULEB: longer than a uint32 allows
      {0xff, 0xff, 0xff},                       // runs off the end of the file
      {0xff, 0xff, 0xff, 0x7f, 0, 0, 0},        // 0x0fffffff static fields
      {0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0},  // 0xffffffff direct methods
  };
  for (const auto& cd : cases) {
    Outcome o = OpenAndWalk(WithAppClassData(cd));
    ASSERT_TRUE(o.open.ok());
    EXPECT_EQ(o.stats.classes, 1u);  // Base still read
    ASSERT_EQ(o.diags.size(), 1u);
    EXPECT_EQ(o.diags[0].code, "dex.bad_class_data");
    EXPECT_EQ(o.diags[0].structure, "class_defs[1].class_data");
  }
}

TEST_F(HostileTest, IndexDiffsThatWrapOrOverflowAreRejected) {
  // Two direct methods: the second "diff" 0xffffffff would wrap around to method_idx - 1.
  std::vector<uint8_t> wrap;
  for (uint32_t v : {0u, 0u, 2u, 0u}) Uleb(v, &wrap);
  Uleb(1, &wrap), Uleb(kAccStatic, &wrap), Uleb(0, &wrap);
  Uleb(0xffffffff, &wrap), Uleb(kAccStatic, &wrap), Uleb(0, &wrap);
  std::vector<uint8_t> past;
  for (uint32_t v : {1u, 0u, 0u, 0u}) Uleb(v, &past);
  Uleb(num_fields_, &past), Uleb(kAccStatic, &past);
  for (const auto& cd : {wrap, past}) {
    Outcome o = OpenAndWalk(WithAppClassData(cd));
    ASSERT_TRUE(o.open.ok());
    ASSERT_EQ(o.diags.size(), 1u);
    EXPECT_EQ(o.diags[0].code, "dex.bad_class_data");
    EXPECT_NE(o.diags[0].message.find("_ids_size"), std::string::npos) << o.diags[0].message;
  }
}

TEST_F(HostileTest, InstructionRunningPastItsCodeItem) {
  const uint32_t code_off = methods_["run"].code_off;
  // run() starts with sget-object (2 units); cut insns to 1 unit.
  std::vector<uint8_t> b = good_;
  Put32(&b, code_off + 12, 1);
  Outcome o = OpenAndWalk(b);
  ASSERT_TRUE(o.open.ok());
  ASSERT_TRUE(HasDiag(o, "dex.bad_instruction"));
  EXPECT_EQ(o.diags[0].offset, code_off + 16u);
  EXPECT_EQ(o.diags[0].file, "h.dex");
  EXPECT_GT(o.stats.instructions, 0u);  // the other methods were still decoded

  // insns_size larger than the file.
  b = good_;
  Put32(&b, code_off + 12, 0xffffffff);
  o = OpenAndWalk(b);
  ASSERT_TRUE(o.open.ok());
  ASSERT_EQ(o.diags.size(), 1u);
  EXPECT_EQ(o.diags[0].code, "dex.bad_code_item");

  // A payload claiming 0xffff switch targets.
  b = good_;
  Put16(&b, code_off + 16, 0x0100);
  Put16(&b, code_off + 18, 0xffff);
  o = OpenAndWalk(b);
  ASSERT_TRUE(o.open.ok());
  ASSERT_TRUE(HasDiag(o, "dex.bad_instruction"));

  // ins_size > registers_size.
  b = good_;
  Put16(&b, code_off + 2, 0xffff);
  o = OpenAndWalk(b);
  ASSERT_TRUE(HasDiag(o, "dex.bad_code_item"));
}

TEST_F(HostileTest, IdTableIndicesOutOfRange) {
  std::vector<uint8_t> b = good_;
  const uint32_t method_ids = Get32(b, kMethodIdsOffField);
  Put16(&b, method_ids + 2, 0xffff);  // method_ids[0].proto_idx
  Outcome o = OpenAndWalk(b);
  ASSERT_FALSE(o.open.ok());
  EXPECT_EQ(o.open.structure(), "method_ids[0]");
  EXPECT_EQ(o.open.offset(), method_ids + 2u);
  EXPECT_NE(o.open.message().find("proto_idx 65535 >= proto_ids_size"), std::string::npos);

  b = good_;
  Put32(&b, Get32(b, 60), 0xffffffff);  // string_ids[0].string_data_off
  o = OpenAndWalk(b);
  ASSERT_FALSE(o.open.ok());
  EXPECT_EQ(o.open.structure(), "string_ids[0]");

  // A bad superclass affects only its class.
  b = good_;
  Put32(&b, Get32(b, kClassDefsOffField) + 32 + 8, 0xfffe);
  o = OpenAndWalk(b);
  ASSERT_TRUE(o.open.ok());
  EXPECT_EQ(o.stats.classes, 1u);
  ASSERT_EQ(o.diags.size(), 1u);
  EXPECT_EQ(o.diags[0].code, "dex.bad_class_def");
  EXPECT_EQ(o.diags[0].structure, "class_defs[1]");
}

TEST_F(HostileTest, OverlappingStringDataIsBoundedNotQuadratic) {
  testing::DexBuilder builder = SampleApp();
  const std::string long_string(4000, 'x');
  builder.AddString(long_string);
  std::vector<uint8_t> b = BuildVerified(builder, "long_string");
  ASSERT_FALSE(b.empty());
  Result<DexFile> dex = DexFile::Open(ByteSpan(b.data(), b.size()), "h.dex", Limits());
  ASSERT_TRUE(dex.ok());
  const uint32_t string_ids = Get32(b, 60);
  uint32_t long_off = 0;
  for (uint32_t i = 0; i < dex->num_strings(); ++i) {
    if (dex->StringData(i) == long_string) long_off = Get32(b, string_ids + 4 * i);
  }
  ASSERT_NE(long_off, 0u);
  // Every string id now points at the 4000-byte string: more than twice the file is scanned.
  for (uint32_t i = 0; i < dex->num_strings(); ++i) Put32(&b, string_ids + 4 * i, long_off);
  Outcome o = OpenAndWalk(b);
  ASSERT_FALSE(o.open.ok());
  EXPECT_EQ(o.open.code(), StatusCode::kLimitExceeded) << o.open.ToString();
}

// Invalid MUTF-8 in string data: ART's verifier (CheckIntraStringDataItem) rejects the file. We
// keep reading it (the rest of the code is what an auditor needs) and record one error diagnostic
// naming the dex, the first bad string_ids[i], the offset of the bad byte and the count.
TEST_F(HostileTest, InvalidMutf8IsReportedAgainstTheDexAndTheRestIsStillRead) {
  testing::DexBuilder builder = SampleApp();
  builder.AddString("https://one.example/BADBYTE");
  builder.AddString("https://two.example/BADBYTE");
  std::vector<uint8_t> b = BuildVerified(builder, "bad_mutf8");
  ASSERT_FALSE(b.empty());
  Diagnostics clean;
  Result<DexFile> dex =
      DexFile::Open(ByteSpan(b.data(), b.size()), "classes2.dex", Limits(), &clean);
  ASSERT_TRUE(dex.ok()) << dex.status().ToString();
  EXPECT_TRUE(clean.items().empty());  // embedded NUL, CJK and an emoji are all valid MUTF-8
  EXPECT_EQ(dex->num_invalid_strings(), 0u);
  uint32_t first_idx = kNoIndex;
  size_t first_byte = 0;
  for (uint32_t i = 0; i < dex->num_strings(); ++i) {
    std::string_view data = dex->StringData(i);
    const size_t at = data.find("BADBYTE");
    if (at == std::string_view::npos) continue;
    const size_t off = reinterpret_cast<const uint8_t*>(data.data()) + at - b.data();
    if (first_idx == kNoIndex) {
      first_idx = i;
      first_byte = off;
    }
    b[off] = 0xff;  // a byte MUTF-8 never holds; the length still matches utf16_size
  }
  ASSERT_NE(first_idx, kNoIndex);

  Diagnostics d;
  Result<DexFile> bad = DexFile::Open(ByteSpan(b.data(), b.size()), "classes2.dex", Limits(), &d);
  ASSERT_TRUE(bad.ok()) << bad.status().ToString();
  EXPECT_EQ(bad->num_invalid_strings(), 2u);
  ASSERT_EQ(d.items().size(), 1u);
  const Diagnostic& diag = d.items()[0];
  EXPECT_EQ(diag.code, "dex.invalid_mutf8");
  EXPECT_EQ(diag.severity, Severity::kError);
  EXPECT_EQ(diag.file, "classes2.dex");
  EXPECT_EQ(diag.structure, "string_ids[" + std::to_string(first_idx) + "]");
  EXPECT_TRUE(diag.has_offset);
  EXPECT_EQ(diag.offset, first_byte);
  EXPECT_NE(diag.message.find("illegal start byte 0xff"), std::string::npos) << diag.message;
  EXPECT_NE(diag.message.find("and 1 more"), std::string::npos) << diag.message;
  EXPECT_NE(diag.message.find("ART"), std::string::npos) << diag.message;
  // The string decodes with U+FFFD, and the code is read exactly as before.
  EXPECT_NE(bad->GetString(first_idx).find("\xef\xbf\xbd"), std::string::npos);
  Outcome o = OpenAndWalk(b);
  ASSERT_TRUE(o.open.ok());
  EXPECT_EQ(o.stats.classes, good_stats_.classes);
  EXPECT_EQ(o.stats.methods, good_stats_.methods);
  EXPECT_EQ(o.stats.instructions, good_stats_.instructions);
  EXPECT_TRUE(o.diags.empty());
  // Without a list, Open still counts them.
  Result<DexFile> quiet = DexFile::Open(ByteSpan(b.data(), b.size()), "classes2.dex", Limits());
  ASSERT_TRUE(quiet.ok());
  EXPECT_EQ(quiet->num_invalid_strings(), 2u);
}

// A utf16_size that disagrees with the string data is rejected by ART too.
TEST_F(HostileTest, Utf16SizeMismatchIsReported) {
  testing::DexBuilder builder = SampleApp();
  builder.AddString("exactly-seventeen");
  std::vector<uint8_t> b = BuildVerified(builder, "bad_utf16_size");
  ASSERT_FALSE(b.empty());
  Result<DexFile> dex = DexFile::Open(ByteSpan(b.data(), b.size()), "classes.dex", Limits());
  ASSERT_TRUE(dex.ok());
  uint32_t idx = kNoIndex;
  for (uint32_t i = 0; i < dex->num_strings(); ++i) {
    if (dex->StringData(i) == "exactly-seventeen") idx = i;
  }
  ASSERT_NE(idx, kNoIndex);
  const uint32_t data_off = Get32(b, Get32(b, 60) + 4 * idx);
  ASSERT_EQ(b[data_off], 17);
  b[data_off] = 16;
  Diagnostics d;
  Result<DexFile> bad = DexFile::Open(ByteSpan(b.data(), b.size()), "classes.dex", Limits(), &d);
  ASSERT_TRUE(bad.ok());
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].structure, "string_ids[" + std::to_string(idx) + "]");
  EXPECT_EQ(d.items()[0].offset, data_off + 1 + 16);
  EXPECT_NE(d.items()[0].message.find("longer than indicated utf16_size 0x10"), std::string::npos)
      << d.items()[0].message;
}

TEST_F(HostileTest, ProtoParameterListsAreCapped) {
  // Point proto_ids[0].parameters_off at a list claiming 256 entries.
  std::vector<uint8_t> b = good_;
  while (b.size() % 4) b.push_back(0);
  const uint32_t list_off = static_cast<uint32_t>(b.size());
  b.resize(b.size() + 4 + 2 * 256, 0);
  Put32(&b, list_off, 256);
  Put32(&b, 32, static_cast<uint32_t>(b.size()));
  Put32(&b, Get32(b, 76) + 8, list_off);
  Outcome o = OpenAndWalk(b);
  ASSERT_FALSE(o.open.ok());
  EXPECT_EQ(o.open.structure(), "proto_ids[0].parameters");
  EXPECT_NE(o.open.message().find("256 > 255"), std::string::npos) << o.open.message();
}

TEST_F(HostileTest, MapListDisagreeingWithHeaderIsRejected) {
  std::vector<uint8_t> b = good_;
  const uint32_t map_off = Get32(b, 52);
  const uint32_t count = Get32(b, map_off);
  bool patched = false;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t item = map_off + 4 + 12 * i;
    if ((b[item] | (b[item + 1] << 8)) == 0x0005) {  // method_id_item
      Put32(&b, item + 4, Get32(b, item + 4) - 1);
      patched = true;
    }
  }
  ASSERT_TRUE(patched);
  Outcome o = OpenAndWalk(b);
  ASSERT_FALSE(o.open.ok());
  EXPECT_EQ(o.open.structure().substr(0, 9), "map_list[");
}

}  // namespace
}  // namespace piaudit::dex
