// Tests for src/dex/dex_file.cc and dex_walk.h on dex files made by the test DexBuilder (each
// accepted by dexdump first): header, id tables, class defs, class data, code items, references,
// MUTF-8 strings, checksum and signature, versions.
#include "dex/dex_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/dex_test_util.h"
#include "dex/dex_walk.h"

namespace piaudit::dex {
namespace {

class DexFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bytes_ = BuildVerified(SampleApp(), "sample_app");
    ASSERT_FALSE(bytes_.empty());
    Result<DexFile> dex =
        DexFile::Open(ByteSpan(bytes_.data(), bytes_.size()), "classes.dex", Limits());
    ASSERT_TRUE(dex.ok()) << dex.status().ToString();
    dex_ = std::make_unique<DexFile>(std::move(dex).value());
  }

  // Finds a class by descriptor.
  ClassDef FindClass(const std::string& descriptor) {
    for (uint32_t i = 0; i < dex_->num_class_defs(); ++i) {
      Result<ClassDef> def = dex_->GetClassDef(i);
      EXPECT_TRUE(def.ok());
      if (def.ok() && dex_->TypeName(def->class_type) == descriptor) return *def;
    }
    ADD_FAILURE() << "no class " << descriptor;
    return ClassDef();
  }

  std::vector<uint8_t> bytes_;
  std::unique_ptr<DexFile> dex_;
};

TEST_F(DexFileTest, HeaderAndIntegrity) {
  EXPECT_EQ(dex_->header().version, 35u);
  EXPECT_EQ(dex_->header().file_size, bytes_.size());
  EXPECT_TRUE(dex_->VerifyChecksum().ok());
  EXPECT_TRUE(dex_->VerifySignature().ok());
  EXPECT_EQ(dex_->num_class_defs(), 2u);
}

TEST_F(DexFileTest, ClassDefsAreOrderedAndResolved) {
  // The builder writes superclasses first; class_defs[0] must be Base.
  Result<ClassDef> first = dex_->GetClassDef(0);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(dex_->TypeName(first->class_type), "Lcom/example/Base;");
  EXPECT_EQ(first->access_flags, kAccPublic | kAccAbstract);

  ClassDef app = FindClass("Lcom/example/App;");
  EXPECT_EQ(dex_->TypeName(app.superclass), "Lcom/example/Base;");
  ASSERT_EQ(app.interfaces.size(), 1u);
  EXPECT_EQ(dex_->TypeName(app.interfaces[0]), "Ljava/lang/Runnable;");
  ASSERT_NE(app.source_file, kNoIndex);
  EXPECT_EQ(dex_->GetString(app.source_file), "App.java");

  ClassData data;
  ASSERT_TRUE(dex_->ReadClassData(app, &data).ok());
  EXPECT_EQ(data.static_fields.size(), 1u);
  EXPECT_EQ(data.instance_fields.size(), 2u);
  // <clinit>, <init>, helper, secret are direct; work, run, nativeThing virtual.
  EXPECT_EQ(data.direct_methods.size(), 4u);
  EXPECT_EQ(data.virtual_methods.size(), 3u);
  EXPECT_EQ(dex_->FieldRefString(data.static_fields[0].field_idx),
            "Lcom/example/App;->TAG:Ljava/lang/String;");
  std::set<std::string> names;
  for (const auto* list : {&data.direct_methods, &data.virtual_methods}) {
    uint32_t prev = 0;
    for (const EncodedMethod& m : *list) {
      EXPECT_GE(m.method_idx, prev);  // the diffs were undone in order
      prev = m.method_idx;
      names.insert(dex_->MethodRefString(m.method_idx));
      const bool has_code = !(m.access_flags & (kAccNative | kAccAbstract));
      EXPECT_EQ(m.code_off != 0, has_code) << dex_->MethodRefString(m.method_idx);
    }
  }
  EXPECT_TRUE(names.count("Lcom/example/App;-><clinit>()V"));
  EXPECT_TRUE(names.count("Lcom/example/App;->helper(IIIIII)V"));
  EXPECT_TRUE(names.count("Lcom/example/App;->nativeThing(J)J"));
}

TEST_F(DexFileTest, CodeItemsCarryRegisterCounts) {
  ClassDef app = FindClass("Lcom/example/App;");
  ClassData data;
  ASSERT_TRUE(dex_->ReadClassData(app, &data).ok());
  bool saw_work = false;
  for (const EncodedMethod& m : data.virtual_methods) {
    if (dex_->MethodRefString(m.method_idx) != "Lcom/example/App;->work(I)V") continue;
    saw_work = true;
    Result<CodeItem> code = dex_->GetCodeItem(m.code_off);
    ASSERT_TRUE(code.ok()) << code.status().ToString();
    EXPECT_EQ(code->registers_size, 4);
    EXPECT_EQ(code->ins_size, 2);  // this + int
    EXPECT_EQ(code->outs_size, 1);
    EXPECT_EQ(code->insns.size(), code->insns_size * 2u);
  }
  EXPECT_TRUE(saw_work);
}

TEST_F(DexFileTest, WalkDecodesEveryReferenceKind) {
  Diagnostics diags;
  std::multiset<std::string> invokes;
  std::multiset<std::string> fields;
  std::vector<std::string> strings;
  std::vector<std::string> types;
  DexWalkStats stats =
      ForEachInstruction(*dex_, &diags, [&](const MethodView& view, const Instruction& insn) {
        switch (insn.index_kind) {
          case IndexKind::kMethod:
            ASSERT_LT(insn.index, dex_->num_methods());
            invokes.insert(std::string(OpcodeName(insn.opcode)) + " " +
                           dex_->MethodRefString(insn.index));
            break;
          case IndexKind::kField:
            ASSERT_LT(insn.index, dex_->num_fields());
            fields.insert(std::string(OpcodeName(insn.opcode)) + " " +
                          dex_->FieldRefString(insn.index));
            break;
          case IndexKind::kString:
            strings.push_back(dex_->GetString(insn.index));
            break;
          case IndexKind::kType:
            types.push_back(dex_->TypeName(insn.index));
            break;
          default:
            break;
        }
      });
  EXPECT_TRUE(diags.items().empty());
  EXPECT_EQ(stats.errors, 0u);
  EXPECT_EQ(stats.classes, 2u);
  EXPECT_EQ(stats.methods, 2u + 7u);
  EXPECT_EQ(stats.code_items, 1u + 6u);  // Base.<init>; App minus nativeThing
  for (const char* want : {
           "invoke-super Lcom/example/Base;->toString()Ljava/lang/String;",
           "invoke-static Landroid/util/Log;->i(Ljava/lang/String;Ljava/lang/String;)I",
           "invoke-direct Ljava/lang/StringBuilder;-><init>()V",
           "invoke-virtual Ljava/lang/StringBuilder;->toString()Ljava/lang/String;",
           "invoke-interface Ljava/lang/CharSequence;->length()I",
           "invoke-static/range Lcom/example/App;->helper(IIIIII)V",
           "invoke-virtual/range Lcom/example/App;->work(I)V",
           "invoke-direct/range Lcom/example/App;->secret()V",
           "invoke-interface/range Ljava/lang/Runnable;->run()V",
           "invoke-super/range Lcom/example/Base;->hashCode()I",
       }) {
    EXPECT_EQ(invokes.count(want), 1u) << want;
  }
  EXPECT_EQ(invokes.count("invoke-direct Ljava/lang/Object;-><init>()V"), 1u);
  EXPECT_EQ(fields.count("sget-object Landroid/os/Build;->SERIAL:Ljava/lang/String;"), 1u);
  EXPECT_EQ(fields.count("iput Lcom/example/App;->counter:I"), 1u);
  EXPECT_EQ(fields.count("sput-object Lcom/example/App;->TAG:Ljava/lang/String;"), 1u);
  EXPECT_NE(std::find(strings.begin(), strings.end(), TrickyString()), strings.end());
  EXPECT_NE(std::find(strings.begin(), strings.end(), "jumbo"), strings.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "Ljava/lang/StringBuilder;"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "Ljava/lang/CharSequence;"), types.end());
}

TEST_F(DexFileTest, InvokeArgumentsFollowTheInsConvention) {
  Diagnostics diags;
  bool checked = false;
  ForEachInstruction(*dex_, &diags, [&](const MethodView& view, const Instruction& insn) {
    if (insn.opcode == Opcode::kInvokeVirtual &&
        dex_->MethodRefString(insn.index) == "Lcom/example/App;->work(I)V") {
      ASSERT_EQ(insn.ArgCount(), 2u);
      EXPECT_EQ(insn.Arg(0), 7u);  // "this" is the first of the last ins registers
      EXPECT_EQ(insn.Arg(1), 2u);
      checked = true;
    }
    if (insn.opcode == Opcode::kInvokeStaticRange) {
      ASSERT_EQ(insn.ArgCount(), 6u);
      EXPECT_EQ(insn.Arg(5), 5u);
    }
  });
  EXPECT_TRUE(checked);
}

TEST_F(DexFileTest, Mutf8StringsDecodeToUtf8) {
  bool found = false;
  for (uint32_t i = 0; i < dex_->num_strings(); ++i) {
    std::string scratch;
    std::string_view raw = dex_->StringData(i);
    std::string_view decoded = dex_->GetStringView(i, &scratch);
    if (decoded == TrickyString()) {
      found = true;
      // On disk: NUL as C0 80, the emoji as two 3-byte surrogates (ED A0 BD ED B8 80).
      EXPECT_EQ(raw.find('\0'), std::string_view::npos);
      EXPECT_NE(raw.find("\xc0\x80"), std::string_view::npos);
      EXPECT_NE(raw.find("\xed\xa0\xbd\xed\xb8\x80"), std::string_view::npos);
      EXPECT_EQ(decoded.data(), scratch.data());
    } else if (raw == "Lcom/example/App;") {
      // ASCII fast path: a view into the file, scratch untouched.
      EXPECT_GE(decoded.data(), reinterpret_cast<const char*>(bytes_.data()));
      EXPECT_LT(decoded.data(), reinterpret_cast<const char*>(bytes_.data() + bytes_.size()));
      EXPECT_TRUE(scratch.empty());
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(DexFileTest, MethodAndFieldRefStructs) {
  for (uint32_t i = 0; i < dex_->num_methods(); ++i) {
    MethodRef ref = dex_->GetMethodRef(i);
    EXPECT_EQ(ref.ToString(), dex_->MethodRefString(i));
    EXPECT_EQ(ref.proto, dex_->ProtoString(dex_->GetMethodId(i).proto));
    EXPECT_EQ(ref.class_descriptor.front(), 'L');
  }
  for (uint32_t i = 0; i < dex_->num_fields(); ++i) {
    FieldRef ref = dex_->GetFieldRef(i);
    EXPECT_EQ(ref.ToString(), dex_->FieldRefString(i));
  }
}

TEST_F(DexFileTest, ChecksumAndSignatureMismatchAreReportedNotFatal) {
  std::vector<uint8_t> copy = bytes_;
  // Change string data only ("App.java" -> "Bpp.java"): structure stays valid.
  const std::string needle = "App.java";
  auto it = std::search(copy.begin(), copy.end(), needle.begin(), needle.end());
  ASSERT_NE(it, copy.end());
  *it = 'B';
  Result<DexFile> dex = DexFile::Open(ByteSpan(copy.data(), copy.size()), "x.dex", Limits());
  ASSERT_TRUE(dex.ok()) << dex.status().ToString();
  Status c = dex->VerifyChecksum();
  EXPECT_EQ(c.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(c.structure(), "header.checksum");
  EXPECT_EQ(dex->VerifySignature().code(), StatusCode::kInvalidInput);
}

TEST_F(DexFileTest, AcceptsKnownVersionsOnly) {
  for (const char* v : {"035", "037", "038", "039", "040"}) {
    std::vector<uint8_t> copy = bytes_;
    std::copy(v, v + 3, copy.begin() + 4);
    Result<DexFile> dex = DexFile::Open(ByteSpan(copy.data(), copy.size()), "v.dex", Limits());
    ASSERT_TRUE(dex.ok()) << v << ": " << dex.status().ToString();
    EXPECT_EQ(dex->header().version, static_cast<uint32_t>(std::stoi(v)));
  }
  for (const char* v : {"036", "042", "099", "0a5"}) {
    std::vector<uint8_t> copy = bytes_;
    std::copy(v, v + 3, copy.begin() + 4);
    Result<DexFile> dex = DexFile::Open(ByteSpan(copy.data(), copy.size()), "v.dex", Limits());
    EXPECT_FALSE(dex.ok()) << v;
  }
  // 041 needs the 0x78-byte header.
  std::vector<uint8_t> copy = bytes_;
  std::copy_n("041", 3, copy.begin() + 4);
  Result<DexFile> dex = DexFile::Open(ByteSpan(copy.data(), copy.size()), "v.dex", Limits());
  ASSERT_FALSE(dex.ok());
  EXPECT_EQ(dex.status().structure(), "header.header_size");
}

TEST_F(DexFileTest, ErrorsNameFileStructureAndOffset) {
  std::vector<uint8_t> copy = bytes_;
  copy[0] = 'D';
  Result<DexFile> dex = DexFile::Open(ByteSpan(copy.data(), copy.size()), "classes7.dex", Limits());
  ASSERT_FALSE(dex.ok());
  EXPECT_EQ(dex.status().ToString().rfind("classes7.dex+0x0: header.magic:", 0), 0u)
      << dex.status().ToString();
}

TEST_F(DexFileTest, WalkSplitsIntoClassRangesForThreads) {
  Diagnostics d1, d2;
  uint64_t n_all =
      ForEachInstruction(*dex_, &d1, [](const MethodView&, const Instruction&) {}).instructions;
  uint64_t n_a = ForEachInstruction(
                     *dex_, &d2, [](const MethodView&, const Instruction&) {}, 0, 1)
                     .instructions;
  uint64_t n_b = ForEachInstruction(
                     *dex_, &d2, [](const MethodView&, const Instruction&) {}, 1)
                     .instructions;
  EXPECT_GT(n_a, 0u);
  EXPECT_GT(n_b, 0u);
  EXPECT_EQ(n_a + n_b, n_all);
}

TEST_F(DexFileTest, ConcurrentWalksOfOneDexFileAgree) {
  // DexFile is immutable after Open: threads share it with no locking.
  auto walk = [&](std::string* out) {
    Diagnostics diags;
    ForEachInstruction(*dex_, &diags, [&](const MethodView&, const Instruction& insn) {
      if (insn.index_kind == IndexKind::kMethod) dex_->AppendMethodRef(insn.index, out);
      if (insn.index_kind == IndexKind::kString) out->append(dex_->GetString(insn.index));
    });
  };
  std::string expected;
  walk(&expected);
  ASSERT_FALSE(expected.empty());
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (auto& r : results) {
    threads.emplace_back([&walk, &r] {
      for (int i = 0; i < 20; ++i) {
        std::string s;
        walk(&s);
        r = s;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r, expected);
}

}  // namespace
}  // namespace piaudit::dex
