// Tests of ReadElfFacts on shared objects compiled at test time (host gcc, and clang + lld for the
// Android ABIs), on section-header-stripped copies (the packer case), and on truncated/garbled
// copies, which must fail cleanly.
#include "native/elf_facts.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/apk_fixture.h"

namespace piaudit::native {
namespace {

using piaudit::testing::RunCommand;
using piaudit::testing::ShellQuote;

constexpr char kSource[] = R"(
extern int puts(const char*);
extern int helper_from_dep(int);
const char kTrackUrl[] = "https://api.tracker-example.cn/v1/collect?imei=%s";
const char kClassName[] = "com/example/sdk/LocationCollector";
const char kSig[] = "Lcom/example/sdk/Uploader;";
__attribute__((visibility("hidden"))) int hidden_helper(int x) { return x * 3; }
int JNI_OnLoad(void* vm, void* reserved) { puts(kTrackUrl); return 0x10006; }
int Java_com_example_sdk_Native_collect(void* env, void* thiz) {
  return hidden_helper(helper_from_dep(1)) + kClassName[0] + kSig[0];
}
)";

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Compiles kSource into a shared object for `target` ("" = host gcc) and returns its bytes.
std::string BuildSo(const std::string& target, const std::string& extra_flags = "") {
  static const std::string dir = piaudit::testing::MakeTempDir("elf");
  const std::string tag = target.empty() ? "host" : target;
  const std::string src = dir + "/lib.c", dep_src = dir + "/dep.c";
  if (!piaudit::testing::WriteFile(src, kSource).ok()) return "";
  if (!piaudit::testing::WriteFile(dep_src, "int helper_from_dep(int x) { return x; }\n").ok())
    return "";
  const std::string cc =
      target.empty() ? "gcc" : "clang --target=" + target + " -fuse-ld=lld -nostdlib";
  const std::string out_dir =
      dir + "/" + tag + std::to_string(std::hash<std::string>()(extra_flags));
  const std::string so = out_dir + "/libcollect.so";
  auto r = RunCommand("mkdir -p " + ShellQuote(out_dir) + " && " + cc + " -shared -fPIC -O1 -o " +
                      ShellQuote(out_dir + "/libdep.so") + " " + ShellQuote(dep_src) + " && " + cc +
                      " -shared -fPIC -O1 " + extra_flags + " -Wl,-soname,libcollect.so -o " +
                      ShellQuote(so) + " " + ShellQuote(src) + " -L" + ShellQuote(out_dir) +
                      " -ldep 2>&1");
  if (r.exit_code != 0) {
    ADD_FAILURE() << "compiler failed for " << tag << ": " << r.out;
    return "";
  }
  auto bytes = piaudit::testing::ReadFile(so);
  return bytes.ok() ? *bytes : "";
}

void ExpectFacts(const ElfFacts& f) {
  EXPECT_TRUE(f.has_jni_onload);
  EXPECT_TRUE(Contains(f.jni_exports, "Java_com_example_sdk_Native_collect"));
  EXPECT_TRUE(Contains(f.exported, "JNI_OnLoad"));
  EXPECT_TRUE(Contains(f.exported, "kTrackUrl"));
  EXPECT_FALSE(Contains(f.exported, "hidden_helper"));
  EXPECT_TRUE(Contains(f.imported, "puts"));
  EXPECT_TRUE(Contains(f.imported, "helper_from_dep"));
  EXPECT_TRUE(Contains(f.needed, "libdep.so"));
  EXPECT_EQ(f.soname, "libcollect.so");
  EXPECT_TRUE(Contains(f.hosts, "api.tracker-example.cn"));
  EXPECT_TRUE(Contains(f.urls, "https://api.tracker-example.cn/v1/collect?imei=%s"));
  EXPECT_TRUE(Contains(f.java_classes, "com/example/sdk/LocationCollector"));
  EXPECT_TRUE(Contains(f.java_classes, "com/example/sdk/Uploader"));
  EXPECT_EQ(f.type, 3);  // ET_DYN
}

struct Target {
  std::string triple;
  int elf_class;
  std::string machine;
  std::string abi;
};

TEST(ElfFactsTest, FactsOfLibrariesForEveryAndroidAbi) {
  const Target targets[] = {
      {"", 64, "x86_64", "x86_64"},
      {"aarch64-linux-android21", 64, "aarch64", "arm64-v8a"},
      {"armv7a-linux-androideabi21", 32, "arm", "armeabi-v7a"},
      {"i686-linux-android21", 32, "x86", "x86"},
  };
  for (const auto& t : targets) {
    SCOPED_TRACE(t.triple.empty() ? "host" : t.triple);
    std::string so = BuildSo(t.triple);
    ASSERT_FALSE(so.empty());
    Diagnostics d;
    auto f = ReadElfFacts(ByteSpan(so), "libcollect.so", Limits(), &d);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    EXPECT_EQ(f->elf_class, t.elf_class);
    EXPECT_EQ(f->machine_name, t.machine);
    EXPECT_EQ(f->abi, t.abi);
    EXPECT_TRUE(f->has_section_headers);
    ExpectFacts(*f);
  }
}

// Packers strip the section header table; facts must then come from PT_DYNAMIC, with the symbol
// count from DT_HASH (sysv) or DT_GNU_HASH.
TEST(ElfFactsTest, WithoutSectionHeadersUsesDynamicSegment) {
  for (const std::string style : {"sysv", "gnu"}) {
    for (const std::string triple : {"aarch64-linux-android21", "armv7a-linux-androideabi21"}) {
      SCOPED_TRACE(style + " " + triple);
      std::string so = BuildSo(triple, "-Wl,--hash-style=" + style);
      ASSERT_FALSE(so.empty());
      const bool is64 = so[4] == 2;
      // e_shoff = 0, e_shnum = 0.
      const size_t shoff = is64 ? 40 : 32, shnum = is64 ? 60 : 48;
      for (size_t i = 0; i < (is64 ? 8u : 4u); ++i) so[shoff + i] = 0;
      so[shnum] = so[shnum + 1] = 0;
      auto f = ReadElfFacts(ByteSpan(so), "libpacked.so", Limits(), nullptr);
      ASSERT_TRUE(f.ok()) << f.status().ToString();
      EXPECT_FALSE(f->has_section_headers);
      ExpectFacts(*f);
    }
  }
}

TEST(ElfFactsTest, SymbolLimitTruncatesAndSaysSo) {
  std::string so = BuildSo("");
  ASSERT_FALSE(so.empty());
  Limits limits;
  limits.max_elf_symbols = 2;
  auto f = ReadElfFacts(ByteSpan(so), "lib.so", limits, nullptr);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->symbols_truncated);
  EXPECT_LE(f->exported.size() + f->imported.size(), 2u);
}

TEST(ElfFactsTest, StringLimitTruncatesAndSaysSo) {
  std::string so = BuildSo("");
  ASSERT_FALSE(so.empty());
  Limits limits;
  limits.max_elf_strings = 1;
  auto f = ReadElfFacts(ByteSpan(so), "lib.so", limits, nullptr);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->strings_truncated);
  EXPECT_LE(f->urls.size() + f->java_classes.size(), 1u);
}

// Strings are printable runs of at least 6 bytes, cut into pieces of 4096; the scan skips through
// binary bytes several at a time, so runs at every edge are checked: too short, exactly 6, cut at
// 4096, and ending at the end of the file.
TEST(ElfFactsTest, StringRunsAtTheirEdges) {
  std::string so = BuildSo("");
  ASSERT_FALSE(so.empty());
  so += std::string(
      "\x01"
      "com/ab/Cd"
      "\x02",
      11);                                               // 9 bytes: a class
  so += std::string("\x01q/r/s\x01", 7);                 // 5 bytes: too short to be a string
  so += "\x01" + std::string(4096, 'x') + "com/zz/Yyy";  // the second piece is a class
  so += std::string("\x01\x02\x03", 3);
  so += "http://t.example.org/x\x01";
  so += "a/bc/d";  // exactly 6 bytes, at the end of the file
  auto f = ReadElfFacts(ByteSpan(so), "lib.so", Limits(), nullptr);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_TRUE(Contains(f->java_classes, "com/ab/Cd"));
  EXPECT_FALSE(Contains(f->java_classes, "q/r/s"));
  EXPECT_TRUE(Contains(f->java_classes, "com/zz/Yyy"));
  EXPECT_TRUE(Contains(f->urls, "http://t.example.org/x"));
  EXPECT_TRUE(Contains(f->hosts, "t.example.org"));
  EXPECT_TRUE(Contains(f->java_classes, "a/bc/d"));
  ExpectFacts(*f);  // the appended bytes change nothing else
}

TEST(ElfFactsHostileTest, NotElfAndTinyInputsAreRejected) {
  for (std::string s : {std::string(),
                        std::string("\x7f"
                                    "ELF"),
                        std::string(100, 'x'),
                        std::string("\x7f"
                                    "ELF\x03\x01\x01",
                                    7) +
                            std::string(60, '\0')}) {
    auto f = ReadElfFacts(ByteSpan(s), "bad.so", Limits(), nullptr);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.status().file(), "bad.so");
  }
}

TEST(ElfFactsHostileTest, TruncatedCopiesFailCleanly) {
  std::string so = BuildSo("aarch64-linux-android21");
  ASSERT_FALSE(so.empty());
  int failed = 0;
  for (size_t n = 0; n < so.size(); n += std::max<size_t>(1, so.size() / 400)) {
    std::string cut = so.substr(0, n);
    Diagnostics d;
    auto f = ReadElfFacts(ByteSpan(cut), "cut.so", Limits(), &d);
    if (!f.ok()) {
      ++failed;
      EXPECT_FALSE(f.status().message().empty());
    }
  }
  EXPECT_GT(failed, 0);
}

TEST(ElfFactsHostileTest, GarbledHeadersNeverCrash) {
  std::string so = BuildSo("armv7a-linux-androideabi21");
  ASSERT_FALSE(so.empty());
  // Flip every byte of the ELF header and program headers, and set counts to extremes.
  for (size_t i = 0; i < std::min<size_t>(so.size(), 52 + 32 * 10); ++i) {
    for (uint8_t x : {0x01, 0x80, 0xff}) {
      std::string s = so;
      s[i] = static_cast<char>(s[i] ^ x);
      auto f = ReadElfFacts(ByteSpan(s), "flip.so", Limits(), nullptr);
      if (f.ok()) {
        EXPECT_LE(f->exported.size(), Limits().max_elf_symbols);
      }
    }
  }
}

}  // namespace
}  // namespace piaudit::native
