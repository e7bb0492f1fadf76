// Parity with ART's dexdump (Debian package) on every classes*.dex of every corpus APK.
//
// For each dex: `dexdump -d` is parsed line by line and compared with what our reader decodes:
// class count, direct/virtual method counts, static/instance field counts, the number of
// instructions (payloads excluded), and per method the multiset of invoke instructions (opcode +
// target reference) and of const-string string indices. dexdump prints references as
// "Lpkg/Cls;.name:(args)ret"; they are normalised to ours, "Lpkg/Cls;->name(args)ret".
// `dexdump -a` is compared with ReadClassAnnotations for EnclosingClass, EnclosingMethod (name
// only: that is all dexdump prints) and InnerClass (flags and name) of every class.
// Skips when the corpus or dexdump is missing.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "base/diagnostics.h"
#include "base/mapped_file.h"
#include "dex/annotations.h"
#include "dex/dex_file.h"
#include "dex/dex_walk.h"

namespace piaudit::dex {
namespace {

namespace fs = std::filesystem;

struct Summary {
  uint64_t classes = 0, direct = 0, virtuals = 0, static_fields = 0, instance_fields = 0;
  uint64_t instructions = 0;
  std::map<std::string, int64_t> invokes;        // "method\top\tref" -> count
  std::map<std::string, int64_t> const_strings;  // "method\tstring_idx" -> count
  uint64_t invoke_sites = 0, const_string_sites = 0;
};

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// "Lpkg/Cls;.name:(args)ret" -> "Lpkg/Cls;->name(args)ret". Member names cannot contain '.' or
// ':' in dex, so the last '.' before the first ":(" separates class and name.
std::string NormaliseRef(const std::string& ref) {
  const size_t colon = ref.find(":(");
  if (colon == std::string::npos) return ref;
  const size_t dot = ref.rfind('.', colon);
  if (dot == std::string::npos) return ref;
  return ref.substr(0, dot) + "->" + ref.substr(dot + 1, colon - dot - 1) + ref.substr(colon + 1);
}

std::string Unquote(const std::string& line) {
  const size_t a = line.find('\'');
  const size_t b = line.rfind('\'');
  return a == std::string::npos || b <= a ? "" : line.substr(a + 1, b - a - 1);
}

bool StartsWith(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// Parses `dexdump -d` output. Returns false when dexdump could not run.
bool ParseDexdump(const std::string& path, Summary* out, std::string* error) {
  FILE* p = popen(("dexdump -d " + Quote(path) + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return false;
  enum Section { kNone, kStatic, kInstance, kDirect, kVirtual } section = kNone;
  std::string cls, name, method;
  // dexdump prints string constants raw, so a const-string whose value has newlines continues
  // on the next lines; its "// string@" tail is on the last one.
  bool in_string = false;
  auto add_const_string = [&](const std::string& text) {
    const size_t at = text.rfind("// string@");
    const uint32_t idx = std::strtoul(text.c_str() + at + 10, nullptr, 16);
    ++out->const_strings[method + "\t" + std::to_string(idx)];
    ++out->const_string_sites;
  };
  char* buf = nullptr;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&buf, &cap, p)) > 0) {
    std::string line(buf, n);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (in_string) {
      if (line.find("\" // string@") != std::string::npos) {
        add_const_string(line);
        in_string = false;
      }
      continue;
    }
    if (StartsWith(line, "Class #")) {
      ++out->classes;
      section = kNone;
    } else if (StartsWith(line, "  Class descriptor  : ")) {
      cls = Unquote(line);
    } else if (StartsWith(line, "  Static fields     -")) {
      section = kStatic;
    } else if (StartsWith(line, "  Instance fields   -")) {
      section = kInstance;
    } else if (StartsWith(line, "  Direct methods    -")) {
      section = kDirect;
    } else if (StartsWith(line, "  Virtual methods   -")) {
      section = kVirtual;
    } else if (StartsWith(line, "  source_file_idx")) {
      section = kNone;
    } else if (StartsWith(line, "    #") && line.find(": (in ") != std::string::npos) {
      switch (section) {
        case kStatic:
          ++out->static_fields;
          break;
        case kInstance:
          ++out->instance_fields;
          break;
        case kDirect:
          ++out->direct;
          break;
        case kVirtual:
          ++out->virtuals;
          break;
        case kNone:
          break;
      }
    } else if (StartsWith(line, "      name          : ")) {
      name = Unquote(line);
    } else if (StartsWith(line, "      type          : ") &&
               (section == kDirect || section == kVirtual)) {
      method = cls + "->" + name + Unquote(line);
    } else {
      // Instruction lines: "<hex addr>: <hex units> |<dex_pc>: <mnemonic> ...".
      const size_t bar = line.find('|');
      if (bar == std::string::npos || bar + 7 > line.size() || line[bar + 5] != ':' ||
          !isxdigit(static_cast<unsigned char>(line[bar + 1]))) {
        continue;
      }
      const std::string rest = line.substr(bar + 7);
      const std::string op = rest.substr(0, rest.find(' '));
      if (op == "array-data" || op == "packed-switch-data" || op == "sparse-switch-data") continue;
      ++out->instructions;
      if (StartsWith(op, "invoke-") && rest.find("// method@") != std::string::npos) {
        const size_t start = rest.find("}, ");
        size_t end = rest.rfind(" // method@");
        if (start == std::string::npos || end == std::string::npos || end < start) {
          *error = "cannot parse: " + line;
          continue;
        }
        std::string ref = rest.substr(start + 3, end - start - 3);
        if (StartsWith(op, "invoke-polymorphic")) ref = ref.substr(0, ref.rfind(", ("));
        ++out->invokes[method + "\t" + op + "\t" + NormaliseRef(ref)];
        ++out->invoke_sites;
      } else if (StartsWith(op, "const-string")) {
        if (rest.find("\" // string@") == std::string::npos) {
          in_string = true;
        } else {
          add_const_string(rest);
        }
      }
    }
  }
  free(buf);
  const int rc = pclose(p);
  return rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0;
}

Summary Ours(const DexFile& dex, Diagnostics* diags) {
  Summary s;
  // Counts of fields and methods come from the class data; instructions from the walk.
  ClassData data;
  for (uint32_t i = 0; i < dex.num_class_defs(); ++i) {
    ++s.classes;
    Result<ClassDef> def = dex.GetClassDef(i);
    if (!def.ok() || !dex.ReadClassData(*def, &data).ok()) continue;
    s.static_fields += data.static_fields.size();
    s.instance_fields += data.instance_fields.size();
    s.direct += data.direct_methods.size();
    s.virtuals += data.virtual_methods.size();
  }
  std::string method;
  // Keyed by method_idx, not by pointer: the walk reuses its ClassData buffers between classes.
  uint32_t last = kNoIndex;
  DexWalkStats stats =
      ForEachInstruction(dex, diags, [&](const MethodView& view, const Instruction& insn) {
        if (view.method->method_idx != last) {
          last = view.method->method_idx;
          method = dex.MethodRefString(view.method->method_idx);
        }
        if (insn.is_invoke() && (insn.index_kind == IndexKind::kMethod ||
                                 insn.index_kind == IndexKind::kMethodAndProto)) {
          ++s.invokes[method + "\t" + std::string(OpcodeName(insn.opcode)) + "\t" +
                      dex.MethodRefString(insn.index)];
          ++s.invoke_sites;
        } else if (insn.opcode == Opcode::kConstString ||
                   insn.opcode == Opcode::kConstStringJumbo) {
          ++s.const_strings[method + "\t" + std::to_string(insn.index)];
          ++s.const_string_sites;
        }
      });
  s.instructions = stats.instructions;
  return s;
}

// Class annotations as `dexdump -a` prints them, keyed by class_def index:
//   "Class #12 annotations:" / "Annotations on class" /
//   "  VISIBILITY_SYSTEM Ldalvik/annotation/EnclosingMethod; value=Lcls;.name:(..)V"
// Each class maps to "EnclosingClass=..;EnclosingMethod=..;InnerClass=flags,name;" text.
std::map<uint32_t, std::string> DexdumpAnnotations(const std::string& path) {
  std::map<uint32_t, std::string> out;
  FILE* p = popen(("dexdump -a " + Quote(path) + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return out;
  char* buf = nullptr;
  size_t cap = 0;
  ssize_t n;
  uint32_t cls = 0;
  bool in_class_section = false;
  while ((n = getline(&buf, &cap, p)) > 0) {
    std::string line(buf, n);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (StartsWith(line, "Class #") && line.find(" annotations:") != std::string::npos) {
      cls = std::strtoul(line.c_str() + 7, nullptr, 10);
      in_class_section = false;
    } else if (StartsWith(line, "Annotations on class")) {
      in_class_section = true;
    } else if (StartsWith(line, "Annotations on ")) {
      in_class_section = false;
    } else if (in_class_section && StartsWith(line, "  VISIBILITY_SYSTEM Ldalvik/annotation/")) {
      const std::string rest = line.substr(std::strlen("  VISIBILITY_SYSTEM Ldalvik/annotation/"));
      if (StartsWith(rest, "EnclosingClass; value=")) {
        out[cls] += "EnclosingClass=" + rest.substr(22) + ";";
      } else if (StartsWith(rest, "EnclosingMethod; value=")) {
        out[cls] += "EnclosingMethod=" + rest.substr(23) + ";";
      } else if (StartsWith(rest, "InnerClass; accessFlags=")) {
        const std::string tail = rest.substr(24);
        const size_t sp = tail.find(" name=");
        std::string name = tail.substr(sp + 6);
        if (name.size() >= 2 && name.front() == '"') name = name.substr(1, name.size() - 2);
        out[cls] += "InnerClass=" + tail.substr(0, sp) + "," + name + ";";
      }
    }
  }
  free(buf);
  pclose(p);
  return out;
}

std::map<uint32_t, std::string> OurAnnotations(const DexFile& dex, uint64_t* errors) {
  std::map<uint32_t, std::string> out;
  for (uint32_t i = 0; i < dex.num_class_defs(); ++i) {
    Result<ClassDef> def = dex.GetClassDef(i);
    if (!def.ok()) continue;
    Result<ClassAnnotations> a = ReadClassAnnotations(dex, *def);
    if (!a.ok()) {
      ++*errors;
      continue;
    }
    std::string text;
    // dexdump prints them in annotation_set order, which is sorted by type index; so are ours
    // once emitted in the same order as the types list.
    for (uint32_t type : a->types) {
      const std::string d = dex.TypeName(type);
      if (d == "Ldalvik/annotation/EnclosingClass;" && a->enclosing_class != kNoIndex) {
        text += "EnclosingClass=" + dex.TypeName(a->enclosing_class) + ";";
      } else if (d == "Ldalvik/annotation/EnclosingMethod;" && a->enclosing_method != kNoIndex) {
        // dexdump -a prints only the method's name for a VALUE_METHOD.
        text += "EnclosingMethod=" + dex.GetString(dex.GetMethodId(a->enclosing_method).name) + ";";
      } else if (d == "Ldalvik/annotation/InnerClass;") {
        text += "InnerClass=" + std::to_string(a->inner_access_flags) + "," +
                (a->inner_name == kNoIndex ? "null" : dex.GetString(a->inner_name)) + ";";
      }
    }
    if (!text.empty()) out[i] = text;
  }
  return out;
}

// Lists (at most 10) keys whose counts differ.
std::string Diff(const std::map<std::string, int64_t>& a, const std::map<std::string, int64_t>& b) {
  std::map<std::string, int64_t> d = a;
  for (const auto& [k, v] : b) d[k] -= v;
  std::string out;
  int shown = 0;
  for (const auto& [k, v] : d) {
    if (v == 0) continue;
    if (++shown > 10) break;
    out += "  " + std::to_string(v) + " x " + k + "\n";
  }
  return out;
}

TEST(DexdumpParityTest, CorpusMatchesDexdump) {
  const fs::path apks = fs::path(PIAUDIT_CORPUS_DIR) / "apks";
  if (!fs::is_directory(apks)) GTEST_SKIP() << "corpus not found at " << apks;
  if (std::system("dexdump >/dev/null 2>&1; command -v dexdump >/dev/null") != 0) {
    GTEST_SKIP() << "dexdump not installed";
  }
  const fs::path tmp = fs::path(::testing::TempDir()) / "dexdump_parity";
  fs::create_directories(tmp);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(apks)) {
    if (e.path().extension() == ".apk") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  uint64_t dex_files = 0, classes = 0, methods = 0, fields = 0, insns = 0, invoke_sites = 0,
           const_strings = 0, annotated_classes = 0;
  for (const fs::path& apk : files) {
    // List classes*.dex entries with unzip; an APK unzip cannot read is skipped (the container
    // tests own broken archives).
    FILE* p = popen(("unzip -Z1 " + Quote(apk.string()) + " 2>/dev/null").c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::vector<std::string> entries;
    char line[4096];
    while (fgets(line, sizeof(line), p)) {
      std::string e(line);
      while (!e.empty() && (e.back() == '\n' || e.back() == '\r')) e.pop_back();
      if (StartsWith(e, "classes") && e.size() > 4 && e.substr(e.size() - 4) == ".dex" &&
          e.find('/') == std::string::npos) {
        entries.push_back(e);
      }
    }
    pclose(p);
    for (const std::string& entry : entries) {
      SCOPED_TRACE(apk.filename().string() + "!" + entry);
      const fs::path out = tmp / (apk.stem().string() + "." + entry);
      const std::string cmd = "unzip -p " + Quote(apk.string()) + " " + Quote(entry) + " > " +
                              Quote(out.string()) + " 2>/dev/null";
      if (std::system(cmd.c_str()) != 0) continue;
      Summary theirs;
      std::string parse_error;
      if (!ParseDexdump(out.string(), &theirs, &parse_error)) {
        std::cout << "[ skipped  ] dexdump refused " << apk.filename() << "!" << entry << "\n";
        continue;
      }
      EXPECT_TRUE(parse_error.empty()) << parse_error;
      Result<std::unique_ptr<MappedFile>> mapped = MappedFile::Open(out.string(), 1ull << 30);
      ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
      Diagnostics diags;
      // ART loads these dex files, so its string checks (MUTF-8, utf16_size) must pass too.
      Result<DexFile> dex = DexFile::Open((*mapped)->bytes(), entry, Limits(), &diags);
      ASSERT_TRUE(dex.ok()) << dex.status().ToString();
      EXPECT_EQ(dex->num_invalid_strings(), 0u);
      Summary ours = Ours(*dex, &diags);
      EXPECT_TRUE(diags.items().empty())
          << diags.items().size() << " diagnostics, first: " << diags.items()[0].ToString();
      EXPECT_EQ(ours.classes, theirs.classes);
      EXPECT_EQ(ours.direct, theirs.direct);
      EXPECT_EQ(ours.virtuals, theirs.virtuals);
      EXPECT_EQ(ours.static_fields, theirs.static_fields);
      EXPECT_EQ(ours.instance_fields, theirs.instance_fields);
      EXPECT_EQ(ours.instructions, theirs.instructions);
      EXPECT_EQ(ours.invoke_sites, theirs.invoke_sites);
      EXPECT_TRUE(ours.invokes == theirs.invokes) << "invokes (ours - dexdump):\n"
                                                  << Diff(ours.invokes, theirs.invokes);
      EXPECT_TRUE(ours.const_strings == theirs.const_strings)
          << "const-strings (ours - dexdump):\n"
          << Diff(ours.const_strings, theirs.const_strings);
      uint64_t annotation_errors = 0;
      const std::map<uint32_t, std::string> our_ann = OurAnnotations(*dex, &annotation_errors);
      const std::map<uint32_t, std::string> their_ann = DexdumpAnnotations(out.string());
      EXPECT_EQ(annotation_errors, 0u);
      EXPECT_EQ(our_ann.size(), their_ann.size());
      int shown = 0;
      for (const auto& [cls, text] : their_ann) {
        auto it = our_ann.find(cls);
        const std::string mine = it == our_ann.end() ? "<none>" : it->second;
        if (mine != text && ++shown <= 5) {
          ADD_FAILURE() << "class_defs[" << cls << "] dexdump: " << text << " ours: " << mine;
        }
      }
      annotated_classes += their_ann.size();
      ++dex_files;
      classes += ours.classes;
      methods += ours.direct + ours.virtuals;
      fields += ours.static_fields + ours.instance_fields;
      insns += ours.instructions;
      invoke_sites += ours.invoke_sites;
      const_strings += ours.const_string_sites;
      fs::remove(out);
    }
  }
  std::cout << "[ parity   ] dex files " << dex_files << ", classes " << classes << ", methods "
            << methods << ", fields " << fields << ", instructions " << insns << ", invoke sites "
            << invoke_sites << ", const-string sites " << const_strings
            << ", classes with EnclosingClass/EnclosingMethod/InnerClass " << annotated_classes
            << "\n";
  ::testing::Test::RecordProperty("dex_files", static_cast<int>(dex_files));
  ::testing::Test::RecordProperty("invoke_sites", static_cast<int>(invoke_sites));
  EXPECT_GT(dex_files, 0u);
}

}  // namespace
}  // namespace piaudit::dex
