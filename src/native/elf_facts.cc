// A bounded ELF reader for the facts an auditor needs from an app's native libraries. Spec: the
// System V gABI (ELF header, section/program headers, .dynamic, .dynsym, DT_HASH, DT_GNU_HASH).
//
// Why our own reader and not libelf's elf_memory: elfutils' libelf trusts section sizes for some
// lazy conversions and has had a long series of fuzzer-found crashes on hostile files (it is
// built for toolchains, which read their own output); it also wants a mutable buffer and gives
// no byte offsets for errors. We need ~5 structures, each read through ByteSpan with checks by
// subtraction, so the reader is small enough to review and fuzz on its own.
//
// Tricky parts:
//  * Packed/"sstripped" libraries (common in Chinese packers) have no section headers. Then the
//    dynamic table comes from PT_DYNAMIC, string/symbol tables from virtual addresses mapped
//    through PT_LOAD, and the symbol count from DT_HASH's nchain or by walking DT_GNU_HASH chains.
//  * Every count (symbols, GNU hash chain length) is bounded by Limits::max_elf_symbols, and the
//    notable-string scan by Limits::max_elf_strings; hitting a bound sets *_truncated.
//  * Big-endian files are read too (never seen in APKs, but a fuzzer will produce them).
#include "native/elf_facts.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <set>
#include <string>

namespace piaudit::native {
namespace {

constexpr uint32_t kShtDynamic = 6;
constexpr uint32_t kShtDynsym = 11;
constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPtDynamic = 2;
constexpr int64_t kDtNull = 0;
constexpr int64_t kDtNeeded = 1;
constexpr int64_t kDtHash = 4;
constexpr int64_t kDtStrtab = 5;
constexpr int64_t kDtSymtab = 6;
constexpr int64_t kDtStrsz = 10;
constexpr int64_t kDtSoname = 14;
constexpr int64_t kDtGnuHash = 0x6ffffef5;
constexpr size_t kMinStringRun = 6;
constexpr size_t kMaxStringRun = 4096;

std::string Hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// Endian- and class-aware loads. All return nullopt when out of range.
class ElfView {
 public:
  ElfView(ByteSpan b, bool is64, bool le) : b_(b), is64_(is64), le_(le) {}
  bool is64() const { return is64_; }
  ByteSpan bytes() const { return b_; }
  std::optional<uint64_t> U(size_t off, size_t n) const {
    if (!b_.Contains(off, n)) return std::nullopt;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) {
      uint64_t byte = b_[off + i];
      v |= le_ ? byte << (8 * i) : byte << (8 * (n - 1 - i));
    }
    return v;
  }
  std::optional<uint64_t> U16(size_t off) const { return U(off, 2); }
  std::optional<uint64_t> U32(size_t off) const { return U(off, 4); }
  // Address-sized word (Elf32_Addr/Off = 4, Elf64 = 8).
  std::optional<uint64_t> Word(size_t off) const { return U(off, is64_ ? 8 : 4); }

 private:
  ByteSpan b_;
  bool is64_;
  bool le_;
};

struct Segment {
  uint32_t type;
  uint64_t offset, vaddr, filesz;
};

struct Section {
  uint32_t type;
  uint32_t link;
  uint64_t offset, size, entsize;
};

// Maps a virtual address to a file offset through the PT_LOAD segments.
std::optional<uint64_t> VaddrToOffset(const std::vector<Segment>& segs, uint64_t vaddr) {
  for (const auto& s : segs) {
    if (s.type != kPtLoad) continue;
    if (vaddr >= s.vaddr && vaddr - s.vaddr < s.filesz) return s.offset + (vaddr - s.vaddr);
  }
  return std::nullopt;
}

// A NUL-terminated string at `off` inside `table`, or nullopt.
std::optional<std::string> StringAt(ByteSpan table, uint64_t off) {
  if (off >= table.size()) return std::nullopt;
  ByteSpan rest = table.From(off);
  const void* nul = std::memchr(rest.data(), 0, rest.size());
  if (nul == nullptr) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(rest.data()),
                     static_cast<const uint8_t*>(nul) - rest.data());
}

bool IsUrlChar(uint8_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

// "com/example/Foo", "Lcom/example/Foo;" -> internal class name, else empty.
std::string AsJavaClassName(std::string_view s) {
  if (s.size() > 2 && s.front() == 'L' && s.back() == ';') s = s.substr(1, s.size() - 2);
  if (s.empty() || s.size() > 512 || !(s[0] >= 'a' && s[0] <= 'z')) return "";
  int slashes = 0;
  bool seg_start = true;
  for (char c : s) {
    if (c == '/') {
      if (seg_start) return "";
      ++slashes;
      seg_start = true;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '$';
    if (!ok) return "";
    if (seg_start && c >= '0' && c <= '9') return "";
    seg_start = false;
  }
  if (seg_start || slashes < 2) return "";
  return std::string(s);
}

void ScanStrings(ByteSpan bytes, const Limits& limits, ElfFacts* f) {
  std::set<std::string> urls, hosts, classes;
  size_t total = 0;
  auto full = [&] { return total >= limits.max_elf_strings; };
  // Every byte of every library passes through here (most of `piaudit info` on an app with native
  // code). Runs are found Boyer-Moore style: a run of kMinStringRun starting at i needs
  // data[i + kMinStringRun - 1] printable, so machine code is crossed up to kMinStringRun bytes
  // per look; runs longer than kMaxStringRun are cut into pieces of that length.
  const uint8_t* const data = bytes.data();
  const size_t size = bytes.size();
  auto printable = [](uint8_t c) { return static_cast<uint8_t>(c - 0x20) <= 0x7e - 0x20; };
  size_t i = 0;
  while (size - i >= kMinStringRun && !full()) {
    size_t need = kMinStringRun;  // data[i + need - 1] is the next byte to look at
    while (need > 0 && printable(data[i + need - 1])) --need;
    if (need > 0) {
      i += need;  // no run of kMinStringRun can start at or before the unprintable byte
      continue;
    }
    const size_t start = i;
    const size_t limit = start + std::min(kMaxStringRun, size - start);
    i += kMinStringRun;
    while (i < limit && printable(data[i])) ++i;
    std::string_view run(reinterpret_cast<const char*>(data + start), i - start);
    // URLs anywhere in the run.
    if (run.find("://") != std::string_view::npos) {
      for (std::string_view scheme : {"https://", "http://", "wss://", "ws://"}) {
        size_t p = 0;
        while ((p = run.find(scheme, p)) != std::string_view::npos && !full()) {
          size_t e = p + scheme.size();
          while (e < run.size() && IsUrlChar(static_cast<uint8_t>(run[e]))) ++e;
          std::string_view url = run.substr(p, e - p);
          std::string_view rest = url.substr(scheme.size());
          size_t host_end = rest.find_first_of("/:?#");
          std::string_view host = rest.substr(0, host_end);
          // "http://%s" format strings have no host; keep the URL, not the host.
          if (urls.insert(std::string(url)).second) ++total;
          if (!host.empty() && host.find('%') == std::string_view::npos &&
              host.find('.') != std::string_view::npos) {
            hosts.insert(std::string(host));
          }
          p = e;
        }
      }
    }
    std::string cls = AsJavaClassName(run);
    if (!cls.empty() && !full() && classes.insert(cls).second) ++total;
  }
  if (full()) f->strings_truncated = true;
  f->urls.assign(urls.begin(), urls.end());
  f->hosts.assign(hosts.begin(), hosts.end());
  f->java_classes.assign(classes.begin(), classes.end());
}

// Number of symbols covered by a DT_GNU_HASH table: highest bucket start, then walk that chain
// to its end marker (low bit set). Bounded by max_symbols.
std::optional<uint64_t> GnuHashSymbolCount(const ElfView& v, uint64_t off, uint64_t max_symbols) {
  auto nbuckets = v.U32(off);
  auto symoffset = v.U32(off + 4);
  auto bloom_size = v.U32(off + 8);
  if (!nbuckets || !symoffset || !bloom_size) return std::nullopt;
  const uint64_t word = v.is64() ? 8 : 4;
  if (*bloom_size > v.bytes().size() / word || *nbuckets > v.bytes().size() / 4)
    return std::nullopt;
  const uint64_t buckets = off + 16 + *bloom_size * word;
  uint64_t max_index = 0;
  for (uint64_t b = 0; b < *nbuckets; ++b) {
    auto idx = v.U32(buckets + 4 * b);
    if (!idx) return std::nullopt;
    max_index = std::max<uint64_t>(max_index, *idx);
  }
  if (max_index < *symoffset) return *symoffset;
  const uint64_t chains = buckets + 4 * *nbuckets;
  uint64_t i = max_index;
  while (i - *symoffset <= max_symbols) {
    auto h = v.U32(chains + 4 * (i - *symoffset));
    if (!h) return std::nullopt;
    if (*h & 1) return i + 1;
    ++i;
  }
  return max_symbols + 1;
}

}  // namespace

std::string_view ElfMachineName(uint16_t machine) {
  switch (machine) {
    case 3:
      return "x86";
    case 8:
      return "mips";
    case 40:
      return "arm";
    case 62:
      return "x86_64";
    case 183:
      return "aarch64";
    case 243:
      return "riscv";
    case 258:
      return "loongarch";
    default:
      return "unknown";
  }
}

Result<ElfFacts> ReadElfFacts(ByteSpan bytes, std::string_view file, const Limits& limits,
                              Diagnostics* diagnostics) {
  const std::string fname(file);
  if (bytes.size() < 16) {
    return Truncated("file of " + std::to_string(bytes.size()) + " bytes has no ELF ident")
        .At(fname, "e_ident", 0);
  }
  if (bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
    return InvalidInput("bad ELF magic").At(fname, "e_ident", 0);
  }
  const uint8_t cls = bytes[4], data = bytes[5];
  if ((cls != 1 && cls != 2) || (data != 1 && data != 2)) {
    return InvalidInput("EI_CLASS " + std::to_string(cls) + " / EI_DATA " + std::to_string(data) +
                        " not 1 or 2")
        .At(fname, "e_ident", 4);
  }
  const bool is64 = cls == 2;
  ElfView v(bytes, is64, data == 1);
  const size_t ehsize = is64 ? 64 : 52;
  if (bytes.size() < ehsize) {
    return Truncated("ELF header needs " + std::to_string(ehsize) + " bytes, file has " +
                     std::to_string(bytes.size()))
        .At(fname, "elf header", 0);
  }
  ElfFacts f;
  f.elf_class = is64 ? 64 : 32;
  f.little_endian = data == 1;
  f.type = static_cast<uint16_t>(*v.U16(16));
  f.machine = static_cast<uint16_t>(*v.U16(18));
  f.machine_name = std::string(ElfMachineName(f.machine));
  if (f.machine_name == "unknown") f.machine_name = "unknown(" + std::to_string(f.machine) + ")";
  switch (f.machine) {
    case 40:
      f.abi = "armeabi-v7a";
      break;
    case 183:
      f.abi = "arm64-v8a";
      break;
    case 3:
      f.abi = "x86";
      break;
    case 62:
      f.abi = "x86_64";
      break;
    case 8:
      f.abi = is64 ? "mips64" : "mips";
      break;
    case 243:
      f.abi = "riscv64";
      break;
    default:
      break;
  }
  const uint64_t phoff = *v.Word(is64 ? 32 : 28);
  const uint64_t shoff = *v.Word(is64 ? 40 : 32);
  const size_t base = is64 ? 54 : 42;
  const uint64_t phentsize = *v.U16(base), phnum = *v.U16(base + 2);
  const uint64_t shentsize = *v.U16(base + 4), shnum = *v.U16(base + 6);

  // Program headers.
  std::vector<Segment> segs;
  if (phnum > 0) {
    const uint64_t need = is64 ? 56 : 32;
    if (phentsize < need || phoff > bytes.size() || phnum > (bytes.size() - phoff) / phentsize) {
      return Truncated("program header table (" + std::to_string(phnum) + " x " +
                       std::to_string(phentsize) + " at " + Hex(phoff) + ") runs past the file")
          .At(fname, "program headers", phoff);
    }
    for (uint64_t i = 0; i < phnum; ++i) {
      const uint64_t o = phoff + i * phentsize;
      Segment s;
      s.type = static_cast<uint32_t>(*v.U32(o));
      if (is64) {
        s.offset = *v.U(o + 8, 8);
        s.vaddr = *v.U(o + 16, 8);
        s.filesz = *v.U(o + 32, 8);
      } else {
        s.offset = *v.U32(o + 4);
        s.vaddr = *v.U32(o + 8);
        s.filesz = *v.U32(o + 16);
      }
      segs.push_back(s);
    }
  }

  // Section headers (optional: stripped by packers).
  std::vector<Section> secs;
  if (shoff != 0 && shnum > 0) {
    const uint64_t need = is64 ? 64 : 40;
    if (shentsize < need || shoff > bytes.size() || shnum > (bytes.size() - shoff) / shentsize) {
      if (diagnostics) {
        diagnostics->Add(Severity::kWarning, "elf.bad_section_headers", fname, "section headers",
                         shoff, "section header table runs past the file; using program headers");
      }
    } else {
      f.has_section_headers = true;
      for (uint64_t i = 0; i < shnum; ++i) {
        const uint64_t o = shoff + i * shentsize;
        Section s;
        s.type = static_cast<uint32_t>(*v.U32(o + 4));
        if (is64) {
          s.offset = *v.U(o + 24, 8);
          s.size = *v.U(o + 32, 8);
          s.link = static_cast<uint32_t>(*v.U32(o + 40));
          s.entsize = *v.U(o + 56, 8);
        } else {
          s.offset = *v.U32(o + 16);
          s.size = *v.U32(o + 20);
          s.link = static_cast<uint32_t>(*v.U32(o + 24));
          s.entsize = *v.U32(o + 36);
        }
        secs.push_back(s);
      }
    }
  }
  auto section_span = [&](const Section& s) -> std::optional<ByteSpan> {
    return bytes.Slice(s.offset, s.size);
  };

  // Dynamic table: prefer the section (its sh_link names the string table), else PT_DYNAMIC.
  std::optional<ByteSpan> dynamic, dynstr;
  for (const Section& s : secs) {
    if (s.type != kShtDynamic) continue;
    dynamic = section_span(s);
    if (!dynamic) {
      return Truncated(".dynamic section runs past the file").At(fname, ".dynamic", s.offset);
    }
    if (s.link < secs.size()) dynstr = section_span(secs[s.link]);
    break;
  }
  if (!dynamic) {
    for (const Segment& s : segs) {
      if (s.type != kPtDynamic) continue;
      dynamic = bytes.Slice(s.offset, s.filesz);
      if (!dynamic) {
        return Truncated("PT_DYNAMIC runs past the file").At(fname, "PT_DYNAMIC", s.offset);
      }
      break;
    }
  }
  std::vector<uint64_t> needed_offsets;
  std::optional<uint64_t> soname_offset, strtab_vaddr, strsz, symtab_vaddr, hash_vaddr,
      gnu_hash_vaddr;
  if (dynamic) {
    const uint64_t entsz = is64 ? 16 : 8;
    const uint64_t n = std::min<uint64_t>(dynamic->size() / entsz, limits.max_elf_dynamic_entries);
    ElfView dv(*dynamic, is64, f.little_endian);
    for (uint64_t i = 0; i < n; ++i) {
      const int64_t tag = static_cast<int64_t>(*dv.Word(i * entsz));
      const uint64_t val = *dv.Word(i * entsz + entsz / 2);
      if (tag == kDtNull) break;
      switch (tag) {
        case kDtNeeded:
          if (needed_offsets.size() < limits.max_elf_symbols) needed_offsets.push_back(val);
          break;
        case kDtSoname:
          soname_offset = val;
          break;
        case kDtStrtab:
          strtab_vaddr = val;
          break;
        case kDtStrsz:
          strsz = val;
          break;
        case kDtSymtab:
          symtab_vaddr = val;
          break;
        case kDtHash:
          hash_vaddr = val;
          break;
        case kDtGnuHash:
          gnu_hash_vaddr = val;
          break;
        default:
          break;
      }
    }
    if (!dynstr && strtab_vaddr) {
      auto off = VaddrToOffset(segs, *strtab_vaddr);
      if (off) {
        uint64_t size = strsz ? std::min<uint64_t>(
                                    *strsz, bytes.size() - std::min<uint64_t>(*off, bytes.size()))
                              : bytes.size() - std::min<uint64_t>(*off, bytes.size());
        dynstr = bytes.Slice(*off, size);
      }
    }
    if (dynstr) {
      for (uint64_t off : needed_offsets) {
        auto s = StringAt(*dynstr, off);
        if (s) f.needed.push_back(std::move(*s));
      }
      if (soname_offset) {
        auto s = StringAt(*dynstr, *soname_offset);
        if (s) f.soname = std::move(*s);
      }
    } else if (!needed_offsets.empty() && diagnostics) {
      diagnostics->Add(Severity::kWarning, "elf.no_dynstr", fname, ".dynamic", 0,
                       "DT_NEEDED entries present but the dynamic string table is not found");
    }
  }

  // Dynamic symbols: .dynsym section, else DT_SYMTAB with a count from DT_HASH / DT_GNU_HASH.
  std::optional<ByteSpan> dynsym, symstr;
  for (const Section& s : secs) {
    if (s.type != kShtDynsym) continue;
    dynsym = section_span(s);
    if (!dynsym) {
      return Truncated(".dynsym runs past the file").At(fname, ".dynsym", s.offset);
    }
    if (s.link < secs.size()) symstr = section_span(secs[s.link]);
    if (!symstr) {
      return Truncated(".dynsym string table runs past the file").At(fname, ".dynstr", s.offset);
    }
    break;
  }
  const uint64_t symsz = is64 ? 24 : 16;
  if (!dynsym && symtab_vaddr && dynstr) {
    auto off = VaddrToOffset(segs, *symtab_vaddr);
    std::optional<uint64_t> count;
    if (hash_vaddr) {
      if (auto h = VaddrToOffset(segs, *hash_vaddr)) {
        if (auto nchain = v.U32(*h + 4)) count = *nchain;
      }
    } else if (gnu_hash_vaddr) {
      if (auto h = VaddrToOffset(segs, *gnu_hash_vaddr))
        count = GnuHashSymbolCount(v, *h, limits.max_elf_symbols);
    }
    if (off && count) {
      const uint64_t avail = (bytes.size() - std::min<uint64_t>(*off, bytes.size())) / symsz;
      if (*count > avail) {
        return Truncated("symbol table of " + std::to_string(*count) +
                         " entries runs past the file")
            .At(fname, "DT_SYMTAB", *off);
      }
      dynsym = bytes.Slice(*off, *count * symsz);
      symstr = dynstr;
    }
  }
  if (dynsym && symstr) {
    uint64_t n = dynsym->size() / symsz;
    if (n > limits.max_elf_symbols) {
      n = limits.max_elf_symbols;
      f.symbols_truncated = true;
    }
    ElfView sv(*dynsym, is64, f.little_endian);
    uint64_t bad_names = 0;
    for (uint64_t i = 1; i < n; ++i) {  // symbol 0 is the undefined null symbol
      const uint64_t o = i * symsz;
      uint64_t name = *sv.U32(o);
      uint8_t info, other;
      uint16_t shndx;
      if (is64) {
        info = static_cast<uint8_t>(*sv.U(o + 4, 1));
        other = static_cast<uint8_t>(*sv.U(o + 5, 1));
        shndx = static_cast<uint16_t>(*sv.U16(o + 6));
      } else {
        info = static_cast<uint8_t>(*sv.U(o + 12, 1));
        other = static_cast<uint8_t>(*sv.U(o + 13, 1));
        shndx = static_cast<uint16_t>(*sv.U16(o + 14));
      }
      const uint8_t bind = info >> 4, type = info & 0xf;
      if (type == 3 || type == 4) continue;  // STT_SECTION, STT_FILE
      auto s = StringAt(*symstr, name);
      if (!s) {
        ++bad_names;
        continue;
      }
      if (s->empty()) continue;
      if (shndx == 0) {
        f.imported.push_back(std::move(*s));
        continue;
      }
      const bool global = bind == 1 || bind == 2 || bind == 10;  // GLOBAL, WEAK, GNU_UNIQUE
      const uint8_t visibility = other & 3;
      if (!global || visibility == 1 || visibility == 2) continue;  // local, internal, hidden
      if (*s == "JNI_OnLoad") f.has_jni_onload = true;
      if (s->rfind("Java_", 0) == 0) f.jni_exports.push_back(*s);
      f.exported.push_back(std::move(*s));
    }
    if (bad_names > 0 && diagnostics) {
      diagnostics->Add(Severity::kWarning, "elf.bad_symbol_name", fname, ".dynsym", 0,
                       std::to_string(bad_names) + " symbol names point outside the string table");
    }
  }
  ScanStrings(bytes, limits, &f);
  return f;
}

}  // namespace piaudit::native
