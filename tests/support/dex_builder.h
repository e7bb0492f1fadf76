// A test-only writer of small, valid DEX 035 files, so tests never commit binary fixtures.
//
// Describe classes, fields and methods, write method bodies as a list of instructions with named
// labels, and Build() lays out a complete dex: sorted and de-duplicated string/type/proto/field/
// method ids, class_defs ordered superclass-first, ULEB128 class data, code items, a map list, the
// adler32 checksum and the SHA-1 signature. Every dex a test uses must first pass Debian's
// `dexdump` (WriteAndVerifyDex) so a bug in the builder cannot hide a bug in the reader.
//
//   DexBuilder b;
//   auto& c = b.AddClass("Lcom/example/App;", "Landroid/app/Application;");
//   c.AddMethod("onCreate", "()V", kAccPublic, /*registers=*/3)
//       .InvokeSuper("Landroid/app/Application;->onCreate()V", {2})
//       .InvokeStatic("Lcom/example/Sdk;->init(Landroid/content/Context;)V", {2})
//       .ReturnVoid();
//   std::vector<uint8_t> bytes = b.Build();
//
// Conventions (as javac/d8 write them): the arguments occupy the LAST ins registers, "this" first
// for instance methods, so with registers=3 and proto "()V" `this` is v2. ins_size is computed from
// the proto (long/double take two). outs_size is computed from the invokes. References are written
// as text: methods "Lcls;->name(args)ret", fields "Lcls;->name:Type", types as descriptors.
// Register numbers are not checked against the formats (tests of hostile input need that
// freedom); Raw() appends arbitrary code units.
#ifndef PIAUDIT_TESTS_SUPPORT_DEX_BUILDER_H_
#define PIAUDIT_TESTS_SUPPORT_DEX_BUILDER_H_

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "dex/access_flags.h"

namespace piaudit::testing {

using dex::kAccAbstract;
using dex::kAccConstructor;
using dex::kAccFinal;
using dex::kAccInterface;
using dex::kAccNative;
using dex::kAccPrivate;
using dex::kAccProtected;
using dex::kAccPublic;
using dex::kAccStatic;
using dex::kAccSynthetic;

class DexBuilder;

// One instruction as the builder stores it before layout (references still textual).
struct BuilderInsn {
  enum class Ref : uint8_t { kNone, kString, kType, kField, kMethod };
  uint8_t opcode = 0;
  Ref ref_kind = Ref::kNone;
  std::string ref;    // text of the reference
  std::string label;  // branch target label, or the label defined (opcode 0xff marker)
  bool is_label = false;
  std::vector<uint32_t> regs;
  int32_t literal = 0;
  std::vector<uint16_t> raw;  // Raw(): emitted as is
};

class MethodBuilder {
 public:
  MethodBuilder(std::string name, std::string proto, uint32_t access_flags, uint16_t registers)
      : name_(std::move(name)),
        proto_(std::move(proto)),
        access_flags_(access_flags),
        registers_(registers) {}

  // Constants.
  MethodBuilder& ConstString(uint32_t reg, std::string_view value);       // const-string (21c)
  MethodBuilder& ConstStringJumbo(uint32_t reg, std::string_view value);  // 31c
  MethodBuilder& Const4(uint32_t reg, int32_t value);                     // -8..7
  MethodBuilder& Const16(uint32_t reg, int32_t value);                    // -32768..32767
  MethodBuilder& ConstClass(uint32_t reg, std::string_view type);
  // Invokes. `method` is "Lcls;->name(args)ret"; args are the argument registers, "this" first.
  MethodBuilder& InvokeVirtual(std::string_view method, std::initializer_list<uint32_t> args);
  MethodBuilder& InvokeSuper(std::string_view method, std::initializer_list<uint32_t> args);
  MethodBuilder& InvokeDirect(std::string_view method, std::initializer_list<uint32_t> args);
  MethodBuilder& InvokeStatic(std::string_view method, std::initializer_list<uint32_t> args);
  MethodBuilder& InvokeInterface(std::string_view method, std::initializer_list<uint32_t> args);
  // Range forms: registers first_reg .. first_reg + count - 1.
  MethodBuilder& InvokeVirtualRange(std::string_view method, uint32_t first_reg, uint32_t count);
  MethodBuilder& InvokeSuperRange(std::string_view method, uint32_t first_reg, uint32_t count);
  MethodBuilder& InvokeDirectRange(std::string_view method, uint32_t first_reg, uint32_t count);
  MethodBuilder& InvokeStaticRange(std::string_view method, uint32_t first_reg, uint32_t count);
  MethodBuilder& InvokeInterfaceRange(std::string_view method, uint32_t first_reg, uint32_t count);
  MethodBuilder& MoveResult(uint32_t reg);
  MethodBuilder& MoveResultObject(uint32_t reg);
  MethodBuilder& Move(uint32_t dst, uint32_t src);        // move (12x, regs < 16)
  MethodBuilder& MoveObject(uint32_t dst, uint32_t src);  // move-object (12x)
  // Fields: `field` is "Lcls;->name:Type".
  MethodBuilder& Sget(uint32_t reg, std::string_view field);
  MethodBuilder& SgetObject(uint32_t reg, std::string_view field);
  MethodBuilder& Sput(uint32_t reg, std::string_view field);
  MethodBuilder& SputObject(uint32_t reg, std::string_view field);
  MethodBuilder& Iget(uint32_t reg, uint32_t obj, std::string_view field);
  MethodBuilder& IgetObject(uint32_t reg, uint32_t obj, std::string_view field);
  MethodBuilder& Iput(uint32_t reg, uint32_t obj, std::string_view field);
  MethodBuilder& IputObject(uint32_t reg, uint32_t obj, std::string_view field);
  // Objects.
  MethodBuilder& NewInstance(uint32_t reg, std::string_view type);
  MethodBuilder& CheckCast(uint32_t reg, std::string_view type);
  // Control flow. Labels are names local to the method; a branch may precede its label.
  MethodBuilder& Label(std::string_view name);
  MethodBuilder& IfEqz(uint32_t reg, std::string_view label);
  MethodBuilder& IfNez(uint32_t reg, std::string_view label);
  MethodBuilder& Goto(std::string_view label);  // goto/16 (always fits)
  MethodBuilder& ReturnVoid();
  MethodBuilder& Return(uint32_t reg);
  MethodBuilder& ReturnObject(uint32_t reg);
  MethodBuilder& Throw(uint32_t reg);
  MethodBuilder& Nop();
  // Appends raw code units (for hostile-input tests; dexdump may refuse the result).
  MethodBuilder& Raw(std::vector<uint16_t> units);

  const std::string& name() const { return name_; }
  const std::string& proto() const { return proto_; }
  uint32_t access_flags() const { return access_flags_; }
  uint16_t registers() const { return registers_; }
  bool has_code() const { return (access_flags_ & (kAccAbstract | kAccNative)) == 0; }
  const std::vector<BuilderInsn>& insns() const { return insns_; }

 private:
  MethodBuilder& Add(BuilderInsn insn);
  MethodBuilder& Invoke(uint8_t opcode, std::string_view method,
                        std::initializer_list<uint32_t> args);
  MethodBuilder& InvokeRange(uint8_t opcode, std::string_view method, uint32_t first_reg,
                             uint32_t count);
  MethodBuilder& Ref(uint8_t opcode, BuilderInsn::Ref kind, std::string_view ref,
                     std::vector<uint32_t> regs);

  std::string name_;
  std::string proto_;
  uint32_t access_flags_;
  uint16_t registers_;
  std::vector<BuilderInsn> insns_;
};

struct BuilderField {
  std::string name;
  std::string type;
  uint32_t access_flags = 0;  // kAccStatic makes it a static field
  // A static String field's initial value (class_def_item static_values), as d8 writes a
  // `static final String X = "..."` constant; nullopt: none.
  std::optional<std::string> string_value;
};

class ClassBuilder {
 public:
  ClassBuilder(std::string descriptor, std::string superclass, uint32_t access_flags)
      : descriptor_(std::move(descriptor)),
        superclass_(std::move(superclass)),
        access_flags_(access_flags) {}

  // Methods with kAccStatic, kAccPrivate or kAccConstructor are direct, the others virtual.
  // registers must be >= the ins the proto needs (checked by Build()).
  MethodBuilder& AddMethod(std::string_view name, std::string_view proto, uint32_t access_flags,
                           uint16_t registers);
  // "<init>" with kAccPublic | kAccConstructor. Empty body: add instructions, e.g.
  //   c.AddConstructor("()V", 1).InvokeDirect("Ljava/lang/Object;-><init>()V", {0}).ReturnVoid();
  MethodBuilder& AddConstructor(std::string_view proto, uint16_t registers,
                                uint32_t access_flags = kAccPublic);
  // "<clinit>" with kAccStatic | kAccConstructor.
  MethodBuilder& AddStaticInitializer(uint16_t registers);
  ClassBuilder& AddField(std::string_view name, std::string_view type, uint32_t access_flags);
  // A static String field with an initial value in static_values (kAccStatic is added).
  ClassBuilder& AddStaticStringField(std::string_view name, std::string_view value,
                                     uint32_t access_flags = kAccPublic | kAccFinal);
  ClassBuilder& AddInterface(std::string_view descriptor);
  ClassBuilder& SetSourceFile(std::string_view file);

  const std::string& descriptor() const { return descriptor_; }
  const std::string& superclass() const { return superclass_; }
  uint32_t access_flags() const { return access_flags_; }
  const std::vector<std::string>& interfaces() const { return interfaces_; }
  const std::string& source_file() const { return source_file_; }
  const std::deque<MethodBuilder>& methods() const { return methods_; }
  const std::vector<BuilderField>& fields() const { return fields_; }

 private:
  std::string descriptor_;
  std::string superclass_;
  uint32_t access_flags_;
  std::vector<std::string> interfaces_;
  std::string source_file_;
  std::deque<MethodBuilder> methods_;  // deque: references stay valid while adding
  std::vector<BuilderField> fields_;
};

class DexBuilder {
 public:
  // `superclass` empty means none (only java.lang.Object has none).
  ClassBuilder& AddClass(std::string_view descriptor,
                         std::string_view superclass = "Ljava/lang/Object;",
                         uint32_t access_flags = kAccPublic);
  // Adds a string to the pool without using it (e.g. a URL an analysis should find).
  DexBuilder& AddString(std::string_view s);

  // Lays out the dex. Fails on a malformed reference, an unknown label, too few registers.
  Result<std::vector<uint8_t>> TryBuild() const;
  // Same; on failure returns an empty vector (tests then fail on the empty dex).
  std::vector<uint8_t> Build() const;

  const std::deque<ClassBuilder>& classes() const { return classes_; }
  const std::vector<std::string>& extra_strings() const { return extra_strings_; }

 private:
  std::deque<ClassBuilder> classes_;
  std::vector<std::string> extra_strings_;
};

// Runs Debian's `dexdump -d <path>` and returns its stdout. Fails when dexdump is missing, exits
// non-zero, or prints "Failure" / "ERROR" (on stderr or stdout diagnostic lines).
Result<std::string> RunDexdump(const std::string& path);
// Builds `builder`, writes the dex to `path`, and checks it with RunDexdump. Returns the bytes.
Result<std::vector<uint8_t>> WriteAndVerifyDex(const DexBuilder& builder, const std::string& path);

}  // namespace piaudit::testing

#endif  // PIAUDIT_TESTS_SUPPORT_DEX_BUILDER_H_
