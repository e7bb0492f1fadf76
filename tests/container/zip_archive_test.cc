// Tests of ZipArchive: normal reads, hostile archives generated in code, and equivalence with
// Android's own libziparchive (Debian's android-libziparchive, loaded with dlopen and run in a
// forked child because it aborts on some inputs). Where we deliberately differ from libziparchive
// the test asserts both verdicts, so a change on either side is noticed.
#include "container/zip_archive.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>

#include "base/mapped_file.h"
#include "container/zip_builder.h"
#include "support/apk_fixture.h"

namespace piaudit::container {
namespace {

using piaudit::testing::BuildZip;
using piaudit::testing::ZipBuilderEntry;
using piaudit::testing::ZipBuildOptions;

ByteSpan Span(const std::string& s) { return ByteSpan(s); }

bool HasDiagnostic(const Diagnostics& d, std::string_view code) {
  for (const auto& item : d.items())
    if (item.code == code) return true;
  return false;
}

// ---- libziparchive oracle ----
struct AndroidVerdict {
  bool available = false;
  bool crashed = false;
  int open_rc = 0;     // 0 ok, else libziparchive's negative error code
  int find_rc = 0;     // when an entry was looked up
  int extract_rc = 0;  // when an entry was extracted
};

// Runs libziparchive on `bytes` in a child process. The mangled names are those of
// android-libziparchive 29 (Android 10); the ZipEntry struct is opaque to us (a large buffer).
AndroidVerdict RunLibziparchive(const std::string& bytes, const std::string& entry = "",
                                uint32_t extract_size = 0) {
  AndroidVerdict v;
  void* lib = dlopen("/usr/lib/x86_64-linux-gnu/android/libziparchive.so.0", RTLD_NOW);
  if (lib == nullptr) return v;
  using OpenFn = int32_t (*)(const void*, size_t, const char*, void**);
  using FindFn = int32_t (*)(void*, std::string_view, void*);
  using ExtractFn = int32_t (*)(void*, void*, uint8_t*, uint32_t);
  auto open =
      reinterpret_cast<OpenFn>(dlsym(lib, "_Z21OpenArchiveFromMemoryPKvmPKcPP10ZipArchive"));
  auto find = reinterpret_cast<FindFn>(
      dlsym(lib, "_Z9FindEntryP10ZipArchiveSt17basic_string_viewIcSt11char_traitsIcEEP8ZipEntry"));
  auto extract =
      reinterpret_cast<ExtractFn>(dlsym(lib, "_Z15ExtractToMemoryP10ZipArchiveP8ZipEntryPhj"));
  if (!open || !find || !extract) return v;
  v.available = true;
  int pipefd[2];
  if (pipe(pipefd) != 0) return AndroidVerdict{};
  pid_t pid = fork();
  if (pid == 0) {
    close(pipefd[0]);
    // Silence libziparchive's warnings (they go to stderr on the host).
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, 2);
    int32_t rc[3] = {0, 0, 0};
    void* handle = nullptr;
    rc[0] = open(bytes.data(), bytes.size(), "test", &handle);
    if (rc[0] == 0 && !entry.empty()) {
      alignas(16) uint8_t zip_entry[512] = {};
      rc[1] = find(handle, entry, zip_entry);
      if (rc[1] == 0) {
        std::vector<uint8_t> out(extract_size + 1);
        rc[2] = extract(handle, zip_entry, out.data(), extract_size);
      }
    }
    if (write(pipefd[1], rc, sizeof rc) != sizeof rc) _exit(3);
    _exit(0);
  }
  close(pipefd[1]);
  int32_t rc[3] = {0, 0, 0};
  ssize_t n = read(pipefd[0], rc, sizeof rc);
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (n != sizeof rc || !WIFEXITED(status)) {
    v.crashed = true;
    return v;
  }
  v.open_rc = rc[0];
  v.find_rc = rc[1];
  v.extract_rc = rc[2];
  return v;
}

std::vector<ZipBuilderEntry> TwoEntries() {
  return {ZipBuilderEntry{.name = "AndroidManifest.xml", .data = std::string(5000, 'm')},
          ZipBuilderEntry{.name = "assets/a.txt", .data = "hello stored", .method = 0}};
}

TEST(ZipArchiveTest, ReadsDeflatedAndStoredEntries) {
  auto z = BuildZip(TwoEntries());
  Diagnostics d;
  auto zip = ZipArchive::Open(Span(z.bytes), "t.zip", Limits(), &d);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  ASSERT_EQ(zip->entries().size(), 2u);
  const ZipEntry* m = zip->Find("AndroidManifest.xml");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->method, 8);
  auto data = zip->Read(*m);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->bytes().AsStringView(), std::string(5000, 'm'));
  const ZipEntry* a = zip->Find("assets/a.txt");
  ASSERT_NE(a, nullptr);
  auto stored = zip->Read(*a);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->bytes().AsStringView(), "hello stored");
  // Zero-copy: a stored entry is a view into the archive bytes.
  EXPECT_GE(stored->bytes().data(), reinterpret_cast<const uint8_t*>(z.bytes.data()));
  EXPECT_LT(stored->bytes().data(),
            reinterpret_cast<const uint8_t*>(z.bytes.data()) + z.bytes.size());
  EXPECT_EQ(zip->Find("missing"), nullptr);
  EXPECT_TRUE(d.items().empty()) << d.items()[0].ToString();
  EXPECT_EQ(zip->central_directory_offset(), z.cd_offset);
  EXPECT_EQ(zip->eocd_offset(), z.eocd_offset);
}

TEST(ZipArchiveTest, ReadPrefixInflatesOnlyWhatIsAsked) {
  auto z = BuildZip(TwoEntries());
  auto zip = ZipArchive::Open(Span(z.bytes), "t.zip", Limits(), nullptr);
  ASSERT_TRUE(zip.ok());
  auto p = zip->ReadPrefix(*zip->Find("AndroidManifest.xml"), 16);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(std::string(p->begin(), p->end()), std::string(16, 'm'));
  auto s = zip->ReadPrefix(*zip->Find("assets/a.txt"), 100);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(std::string(s->begin(), s->end()), "hello stored");
}

TEST(ZipArchiveTest, AgreesWithLibziparchiveOnValidArchive) {
  auto z = BuildZip(TwoEntries());
  auto v = RunLibziparchive(z.bytes, "AndroidManifest.xml", 5000);
  if (!v.available) GTEST_SKIP() << "android-libziparchive not installed";
  EXPECT_FALSE(v.crashed);
  EXPECT_EQ(v.open_rc, 0);
  EXPECT_EQ(v.find_rc, 0);
  EXPECT_EQ(v.extract_rc, 0);
}

// Each hostile case: the bytes, whether Open must succeed, and whether libziparchive's
// OpenArchiveFromMemory agrees (same_as_android = false marks a documented divergence).
struct HostileCase {
  std::string label;
  std::string bytes;
  bool we_accept;
  bool android_accepts;
  StatusCode code = StatusCode::kInvalidInput;
  std::string unreadable_entry = "";  // accepted, but Read of this one entry must fail
};

std::vector<HostileCase> HostileCases() {
  std::vector<HostileCase> cases;
  auto base = TwoEntries();
  cases.push_back({"janus_prefix",
                   BuildZip(base, ZipBuildOptions{.prefix = "dex\n035\0junk"}).bytes, false,
                   false});
  {
    auto dup = base;
    dup.push_back(ZipBuilderEntry{.name = "assets/a.txt", .data = "evil twin", .method = 0});
    cases.push_back({"duplicate_name", BuildZip(dup).bytes, false, false});
  }
  cases.push_back({"count_0xffff", BuildZip(base, ZipBuildOptions{.count_override = 0xffff}).bytes,
                   false, false});
  // Android reads only the declared count and ignores the extra record; we reject (see .cc).
  cases.push_back({"count_smaller_than_records",
                   BuildZip(base, ZipBuildOptions{.count_override = 1}).bytes, false, true});
  cases.push_back({"count_zero_empty_archive",
                   BuildZip(base, ZipBuildOptions{.count_override = 0}).bytes, false, false});
  cases.push_back({"trailing_bytes_after_eocd",
                   BuildZip(base, ZipBuildOptions{.trailing = "XYZ"}).bytes, false, false});
  cases.push_back(
      {"comment_length_past_end",
       BuildZip(base, ZipBuildOptions{.comment = "abc", .comment_len_override = 50}).bytes, false,
       false});
  cases.push_back(
      {"comment_ok", BuildZip(base, ZipBuildOptions{.comment = "signed by me"}).bytes, true, true});
  {
    auto z = BuildZip(base);
    std::string s = z.bytes;
    piaudit::testing::SetU32(&s, z.eocd_offset + 12, 0xffffffffu);  // cd size -> zip64 needed
    cases.push_back({"cd_size_0xffffffff_without_zip64", s, false, false});
  }
  {
    auto z = BuildZip(base);
    std::string s = z.bytes;
    piaudit::testing::SetU32(&s, z.eocd_offset + 16, static_cast<uint32_t>(z.eocd_offset));
    cases.push_back({"cd_offset_past_eocd", s, false, false});
  }
  {
    auto bad = base;
    bad[1].name = std::string("assets/a\0b", 10);
    cases.push_back({"name_with_nul", BuildZip(bad).bytes, false, false});
    bad[1].name = "assets/\xff\xfe.txt";
    cases.push_back({"name_invalid_utf8", BuildZip(bad).bytes, false, false});
    bad[1].name = "../../etc/passwd";
    cases.push_back({"name_dot_dot_is_data", BuildZip(bad).bytes, true, true});
    bad[1].name = "assets/\xe4\xb8\xad\xe6\x96\x87.txt";  // UTF-8 Chinese
    cases.push_back({"name_utf8_chinese", BuildZip(bad).bytes, true, true});
  }
  {
    auto z = BuildZip(base);
    std::string s = z.bytes;
    piaudit::testing::SetU32(&s, z.central_offsets[1] + 42, static_cast<uint32_t>(z.cd_offset));
    cases.push_back({"local_header_offset_at_cd", s, false, false});
  }
  {
    // Android opens it and fails only FindEntry of that entry; so do we (Read fails).
    auto bad = base;
    bad[1].local_name = "assets/b.txt";
    cases.push_back({"local_name_differs", BuildZip(bad).bytes, true, true,
                     StatusCode::kInvalidInput, "assets/a.txt"});
    bad[1].local_name = "assets/a.txt.longer";
    cases.push_back({"local_name_length_differs", BuildZip(bad).bytes, true, true,
                     StatusCode::kInvalidInput, "assets/a.txt"});
  }
  cases.push_back({"not_a_zip", std::string(100, 'A'), false, false});
  cases.push_back({"tiny", std::string("PK\x05\x06", 4), false, false});
  return cases;
}

TEST(ZipArchiveHostileTest, EachCaseGivesTheExpectedVerdict) {
  for (const auto& c : HostileCases()) {
    SCOPED_TRACE(c.label);
    Diagnostics d;
    auto zip = ZipArchive::Open(Span(c.bytes), c.label + ".zip", Limits(), &d);
    EXPECT_EQ(zip.ok(), c.we_accept) << zip.status().ToString();
    if (!zip.ok()) {
      // Clear error: names the file, and either a structure or an offset.
      EXPECT_EQ(zip.status().file(), c.label + ".zip");
      EXPECT_FALSE(zip.status().message().empty());
      EXPECT_TRUE(zip.status().offset().has_value()) << zip.status().ToString();
    } else {
      for (const auto& e : zip->entries()) {
        auto r = zip->Read(e);
        EXPECT_EQ(r.ok(), e.name != c.unreadable_entry) << e.name << ": " << r.status().ToString();
      }
    }
  }
}

TEST(ZipArchiveHostileTest, VerdictsMatchLibziparchive) {
  if (!RunLibziparchive(BuildZip(TwoEntries()).bytes).available)
    GTEST_SKIP() << "android-libziparchive not installed";
  for (const auto& c : HostileCases()) {
    SCOPED_TRACE(c.label);
    auto v = RunLibziparchive(c.bytes);
    EXPECT_FALSE(v.crashed);
    EXPECT_EQ(v.open_rc == 0, c.android_accepts) << "libziparchive rc " << v.open_rc;
  }
}

// Broad equivalence: every single-byte corruption of a small archive gets the same Open verdict
// from us and from libziparchive, local headers and entry names included (a local header is
// checked by Android only when its entry is looked up, so no flip there may fail Open).
TEST(ZipArchiveHostileTest, FlippedByteVerdictsMatchLibziparchive) {
  auto z = BuildZip(TwoEntries());
  if (!RunLibziparchive(z.bytes).available) {
    GTEST_SKIP() << "android-libziparchive not installed";
  }
  int compared = 0, mismatches = 0;
  for (size_t i = 0; i < z.bytes.size(); ++i) {
    for (uint8_t x : {0x01, 0x80}) {
      std::string s = z.bytes;
      s[i] = static_cast<char>(s[i] ^ x);
      auto ours = ZipArchive::Open(Span(s), "flip.zip", Limits(), nullptr);
      auto v = RunLibziparchive(s);
      ASSERT_FALSE(v.crashed) << "libziparchive crashed at byte " << i;
      ++compared;
      if (ours.ok() != (v.open_rc == 0)) {
        ++mismatches;
        ADD_FAILURE() << "byte " << i << " ^ " << int(x) << ": ours "
                      << (ours.ok() ? "accepts" : ours.status().ToString()) << ", android rc "
                      << v.open_rc;
      }
    }
  }
  EXPECT_GT(compared, 300);
  EXPECT_EQ(mismatches, 0);
}

TEST(ZipArchiveHostileTest, DotDotNameIsFoundVerbatim) {
  auto entries = TwoEntries();
  entries[1].name = "../../evil.so";
  auto z = BuildZip(entries);
  auto zip = ZipArchive::Open(Span(z.bytes), "t.zip", Limits(), nullptr);
  ASSERT_TRUE(zip.ok());
  ASSERT_NE(zip->Find("../../evil.so"), nullptr);
  EXPECT_EQ(zip->Find("evil.so"), nullptr);
}

TEST(ZipArchiveHostileTest, LocalHeaderSizeMismatchIsDiagnosedAndReadFromCentral) {
  auto entries = TwoEntries();
  entries[0].local_usize_override = 1;  // local header lies
  auto z = BuildZip(entries);
  Diagnostics d;
  auto zip = ZipArchive::Open(Span(z.bytes), "t.zip", Limits(), &d);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  EXPECT_TRUE(HasDiagnostic(d, "zip.local_header_mismatch"));
  auto r = zip->Read(*zip->Find("AndroidManifest.xml"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes().size(), 5000u);
  // libziparchive refuses to find the entry (kInconsistentInformation = -8 in Android 10).
  auto v = RunLibziparchive(z.bytes, "AndroidManifest.xml", 5000);
  if (v.available) {
    EXPECT_EQ(v.open_rc, 0);
    EXPECT_NE(v.find_rc, 0);
  }
}

// A local header whose name disagrees with the central directory (here on the dex, the classic
// place to hide code from one tool) loses that entry only: libziparchive opens such an archive and
// refuses just that entry's FindEntry, so the manifest and every other entry stay readable.
TEST(ZipArchiveHostileTest, LocalNameMismatchMakesOnlyThatEntryUnreadable) {
  std::vector<ZipBuilderEntry> entries = {
      ZipBuilderEntry{.name = "AndroidManifest.xml", .data = std::string(5000, 'm')},
      ZipBuilderEntry{.name = "classes.dex", .data = "dex\n035", .local_name = "classes.dey"},
      ZipBuilderEntry{.name = "classes2.dex", .data = "dex\n035", .local_name = "c.dex"},
      ZipBuilderEntry{.name = "res/raw/a.bin", .data = "raw", .method = 0}};
  auto z = BuildZip(entries);
  Diagnostics d;
  auto zip = ZipArchive::Open(Span(z.bytes), "t.apk", Limits(), &d);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  ASSERT_EQ(zip->entries().size(), 4u);

  // Reported once at Open (aggregated), error severity, with the first entry's offset.
  int found = 0;
  for (const Diagnostic& item : d.items()) {
    if (item.code != "zip.local_name_mismatch") continue;
    ++found;
    EXPECT_EQ(item.severity, Severity::kError);
    EXPECT_EQ(item.file, "t.apk");
    EXPECT_EQ(item.structure, "local header");
    EXPECT_EQ(item.offset, z.local_offsets[1]);
    EXPECT_NE(item.message.find("'classes.dex'"), std::string::npos) << item.message;
    EXPECT_NE(item.message.find("and 1 more"), std::string::npos) << item.message;
  }
  EXPECT_EQ(found, 1);
  EXPECT_FALSE(HasDiagnostic(d, "zip.unreadable_entry"));

  // Reading a bad entry fails with the archive, the structure naming the entry, and the offset.
  for (size_t k : {1, 2}) {
    SCOPED_TRACE(entries[k].name);
    const ZipEntry* e = zip->Find(entries[k].name);
    ASSERT_NE(e, nullptr);
    auto r = zip->Read(*e);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(r.status().file(), "t.apk");
    EXPECT_EQ(r.status().structure(), "local header of '" + entries[k].name + "'");
    EXPECT_EQ(r.status().offset(), z.local_offsets[k]);
    EXPECT_NE(r.status().message().find("name"), std::string_view::npos);
    EXPECT_FALSE(zip->ReadPrefix(*e, 4).ok());
    EXPECT_FALSE(zip->StoredBytes(*e).ok());
  }
  // The rest of the archive reads normally.
  auto m = zip->Read(*zip->Find("AndroidManifest.xml"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->bytes().AsStringView(), std::string(5000, 'm'));
  auto raw = zip->Read(*zip->Find("res/raw/a.bin"));
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_EQ(raw->bytes().AsStringView(), "raw");

  // The oracle: Android opens the archive, refuses the dex entry, extracts the manifest.
  auto dex = RunLibziparchive(z.bytes, "classes.dex", 7);
  if (dex.available) {
    EXPECT_EQ(dex.open_rc, 0);
    EXPECT_NE(dex.find_rc, 0);
    auto manifest = RunLibziparchive(z.bytes, "AndroidManifest.xml", 5000);
    EXPECT_EQ(manifest.open_rc, 0);
    EXPECT_EQ(manifest.find_rc, 0);
    EXPECT_EQ(manifest.extract_rc, 0);
  }
}

TEST(ZipArchiveHostileTest, EncryptionFlagOnPlainEntryIsAcceptedWithDiagnostic) {
  auto entries = TwoEntries();
  entries[0].flags = 1;
  auto z = BuildZip(entries);
  Diagnostics d;
  auto zip = ZipArchive::Open(Span(z.bytes), "t.zip", Limits(), &d);
  ASSERT_TRUE(zip.ok());
  EXPECT_TRUE(HasDiagnostic(d, "zip.encryption_flag"));
  auto r = zip->Read(*zip->Find("AndroidManifest.xml"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes().AsStringView(), std::string(5000, 'm'));
  auto v = RunLibziparchive(z.bytes, "AndroidManifest.xml", 5000);
  if (v.available) {
    EXPECT_EQ(v.extract_rc, 0) << "Android ignores the encryption flag too";
  }
}

TEST(ZipArchiveHostileTest, UnknownMethodIsReadAsStored) {
  auto entries = TwoEntries();
  entries[1].method = 0x1234;  // SoumniBot-style bogus method
  auto z = BuildZip(entries);
  Diagnostics d;
  auto zip = ZipArchive::Open(Span(z.bytes), "t.zip", Limits(), &d);
  ASSERT_TRUE(zip.ok());
  EXPECT_TRUE(HasDiagnostic(d, "zip.unknown_method"));
  auto r = zip->Read(*zip->Find("assets/a.txt"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes().AsStringView(), "hello stored");
  // libziparchive's extraction API refuses it (documented divergence: androidfw reads it).
  auto v = RunLibziparchive(z.bytes, "assets/a.txt", 12);
  if (v.available) {
    EXPECT_NE(v.extract_rc, 0);
  }
}

TEST(ZipArchiveHostileTest, WrongCrcOnStoredEntryIsAcceptedWithDiagnostic) {
  auto entries = TwoEntries();
  entries[1].crc_override = 0xdeadbeef;
  auto z = BuildZip(entries);
  Diagnostics d;
  auto zip = ZipArchive::Open(Span(z.bytes), "t.zip", Limits(), &d);
  ASSERT_TRUE(zip.ok());
  auto r = zip->Read(*zip->Find("assets/a.txt"), &d);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(HasDiagnostic(d, "zip.crc_mismatch"));
  // Without a list, the anomaly is kept by the archive, which survives being moved (callers keep
  // archives and diagnostic lists in structs that move).
  ZipArchive moved = std::move(*zip);
  EXPECT_TRUE(moved.read_diagnostics().empty());
  ASSERT_TRUE(moved.Read(*moved.Find("assets/a.txt")).ok());
  ASSERT_EQ(moved.read_diagnostics().size(), 1u);
  EXPECT_EQ(moved.read_diagnostics()[0].code, "zip.crc_mismatch");
}

TEST(ZipArchiveHostileTest, ZipBombOverPerEntryBudgetIsRefused) {
  auto z = BuildZip({ZipBuilderEntry{.name = "bomb", .data = std::string(8 << 20, '\0')}});
  Limits limits;
  limits.max_entry_inflated_bytes = 1 << 20;
  auto zip = ZipArchive::Open(Span(z.bytes), "bomb.zip", limits, nullptr);
  ASSERT_TRUE(zip.ok());
  auto r = zip->Read(zip->entries()[0]);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
}

TEST(ZipArchiveHostileTest, CompressionRatioBombIsRefused) {
  auto z = BuildZip({ZipBuilderEntry{.name = "bomb", .data = std::string(4 << 20, '\0')}});
  Limits limits;
  limits.max_compression_ratio = 100;
  auto zip = ZipArchive::Open(Span(z.bytes), "bomb.zip", limits, nullptr);
  ASSERT_TRUE(zip.ok());
  auto r = zip->Read(zip->entries()[0]);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(r.status().message().find("ratio"), std::string_view::npos);
}

TEST(ZipArchiveHostileTest, DeclaredSmallButInflatesHugeIsCaughtWithoutAllocating) {
  ZipBuilderEntry e{.name = "liar", .data = std::string(64 << 20, 'z')};
  e.cd_usize_override = 100;
  e.local_usize_override = 100;
  auto z = BuildZip({e});
  auto zip = ZipArchive::Open(Span(z.bytes), "liar.zip", Limits(), nullptr);
  ASSERT_TRUE(zip.ok());
  auto r = zip->Read(zip->entries()[0]);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("more than the declared"), std::string_view::npos);
}

TEST(ZipArchiveHostileTest, TotalInflationBudgetIsShared) {
  std::vector<ZipBuilderEntry> entries;
  for (int i = 0; i < 4; ++i)
    entries.push_back(
        ZipBuilderEntry{.name = "e" + std::to_string(i), .data = std::string(400 << 10, 'a' + i)});
  auto z = BuildZip(entries);
  Limits limits;
  limits.max_total_inflated_bytes = 1 << 20;
  auto zip = ZipArchive::Open(Span(z.bytes), "t.zip", limits, nullptr);
  ASSERT_TRUE(zip.ok());
  int ok = 0, limited = 0;
  for (const auto& e : zip->entries()) {
    auto r = zip->Read(e);
    if (r.ok()) ++ok;
    if (!r.ok() && r.status().code() == StatusCode::kLimitExceeded) ++limited;
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(limited, 2);
}

TEST(ZipArchiveHostileTest, OverlappingEntriesAreDiagnosed) {
  // Entry "b"'s local header and data are embedded as the stored data of "a"; the central record
  // of "b" points inside "a".
  auto inner = BuildZip({ZipBuilderEntry{.name = "b", .data = "inner data", .method = 0}});
  std::string b_local = inner.bytes.substr(0, inner.cd_offset);
  ZipBuilderEntry a{.name = "a", .data = b_local, .method = 0};
  ZipBuilderEntry b{.name = "b", .data = "inner data", .method = 0};
  b.cd_offset_override = 30 + 1;  // a's data offset
  auto z = BuildZip({a, b});
  Diagnostics d;
  auto zip = ZipArchive::Open(Span(z.bytes), "overlap.zip", Limits(), &d);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  EXPECT_TRUE(HasDiagnostic(d, "zip.overlapping_entries"));
  auto r = zip->Read(*zip->Find("b"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes().AsStringView(), "inner data");
}

TEST(ZipArchiveHostileTest, FakeEocdInCommentIsHandledLikeAndroid) {
  // A comment that ends with a second EOCD record: the backward search finds it first.
  auto z = BuildZip(TwoEntries());
  std::string fake = z.bytes.substr(z.eocd_offset, 22);
  auto z2 = BuildZip(TwoEntries(), ZipBuildOptions{.comment = "x" + fake});
  auto zip = ZipArchive::Open(Span(z2.bytes), "fake.zip", Limits(), nullptr);
  auto v = RunLibziparchive(z2.bytes);
  if (v.available) {
    EXPECT_EQ(zip.ok(), v.open_rc == 0) << zip.status().ToString();
  }
  if (zip.ok()) {
    EXPECT_EQ(zip->eocd_offset(), z2.bytes.size() - 22);
  }
}

// Rewrites a small archive's EOCD to point at a zip64 EOCD record through a locator.
std::string WithZip64Eocd(const piaudit::testing::ZipLayout& z, uint64_t num_records) {
  using piaudit::testing::PutU16;
  using piaudit::testing::PutU32;
  auto put64 = [](std::string* s, uint64_t v) {
    PutU32(s, static_cast<uint32_t>(v));
    PutU32(s, static_cast<uint32_t>(v >> 32));
  };
  std::string s = z.bytes.substr(0, z.eocd_offset);
  const uint64_t z64 = s.size();
  PutU32(&s, 0x06064b50);
  put64(&s, 44);
  PutU16(&s, 45);
  PutU16(&s, 45);
  PutU32(&s, 0);
  PutU32(&s, 0);
  put64(&s, num_records);
  put64(&s, num_records);
  put64(&s, z.eocd_offset - z.cd_offset);
  put64(&s, z.cd_offset);
  PutU32(&s, 0x07064b50);
  PutU32(&s, 0);
  put64(&s, z64);
  PutU32(&s, 1);
  std::string eocd = z.bytes.substr(z.eocd_offset);
  piaudit::testing::SetU16(&eocd, 8, 0xffff);
  piaudit::testing::SetU16(&eocd, 10, 0xffff);
  piaudit::testing::SetU32(&eocd, 12, 0xffffffffu);
  piaudit::testing::SetU32(&eocd, 16, 0xffffffffu);
  return s + eocd;
}

TEST(ZipArchiveTest, Zip64EndOfCentralDirectoryIsFollowed) {
  auto z = BuildZip(TwoEntries());
  std::string s = WithZip64Eocd(z, 2);
  auto zip = ZipArchive::Open(Span(s), "z64.zip", Limits(), nullptr);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  EXPECT_EQ(zip->entries().size(), 2u);
  EXPECT_EQ(zip->central_directory_offset(), z.cd_offset);
  auto r = zip->Read(*zip->Find("AndroidManifest.xml"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes().size(), 5000u);
  // A zip64 record count the directory cannot hold is refused before any allocation.
  std::string lie = WithZip64Eocd(z, uint64_t{1} << 40);
  auto bad = ZipArchive::Open(Span(lie), "z64.zip", Limits(), nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kLimitExceeded);
  Limits many;
  many.max_entries = 0xffffffffu;
  std::string lie2 = WithZip64Eocd(z, 1000);
  auto bad2 = ZipArchive::Open(Span(lie2), "z64.zip", many, nullptr);
  ASSERT_FALSE(bad2.ok());
  EXPECT_NE(bad2.status().message().find("holds at most"), std::string_view::npos);
}

TEST(ZipArchiveTest, DataDescriptorFlagUsesCentralSizes) {
  auto entries = TwoEntries();
  entries[0].flags = 0x0008;
  entries[0].local_usize_override = 0;  // with a data descriptor the local sizes may be zero
  auto z = BuildZip(entries);
  Diagnostics d;
  auto zip = ZipArchive::Open(Span(z.bytes), "dd.zip", Limits(), &d);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  EXPECT_FALSE(HasDiagnostic(d, "zip.local_header_mismatch"));
  auto r = zip->Read(*zip->Find("AndroidManifest.xml"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes().size(), 5000u);
}

TEST(ZipArchiveHostileTest, TruncatedAtEveryOffsetFailsCleanly) {
  auto z = BuildZip(TwoEntries(), ZipBuildOptions{.comment = "c"});
  int accepted = 0;
  for (size_t n = 0; n < z.bytes.size(); ++n) {
    std::string cut = z.bytes.substr(0, n);
    auto zip = ZipArchive::Open(Span(cut), "cut.zip", Limits(), nullptr);
    if (!zip.ok()) {
      EXPECT_FALSE(zip.status().message().empty());
      continue;
    }
    ++accepted;
    for (const auto& e : zip->entries()) (void)zip->Read(e);
  }
  // Cutting off any byte of the EOCD or comment breaks the comment-length rule.
  EXPECT_EQ(accepted, 0);
}

TEST(ZipArchiveHostileTest, FlippedBytesNeverCrash) {
  auto z = BuildZip(TwoEntries());
  for (size_t i = 0; i < z.bytes.size(); ++i) {
    for (uint8_t x : {0x01, 0x80, 0xff}) {
      std::string s = z.bytes;
      s[i] = static_cast<char>(s[i] ^ x);
      Diagnostics d;
      auto zip = ZipArchive::Open(Span(s), "flip.zip", Limits(), &d);
      if (!zip.ok()) continue;
      for (const auto& e : zip->entries()) {
        auto r = zip->Read(e);
        if (r.ok()) {
          EXPECT_LE(r->bytes().size(), 5000u + 0xff000000u);
        }
      }
    }
  }
  SUCCEED();
}

// ---- corpus: same entry list as unzip, every entry readable, CRCs right, Android agrees ----
TEST(ZipArchiveCorpusTest, EntriesMatchUnzipAndAndroidVerdict) {
  auto apks = piaudit::testing::CorpusApks();
  if (apks.empty()) GTEST_SKIP() << "corpus not found at " << PIAUDIT_CORPUS_DIR;
  for (const auto& path : apks) {
    SCOPED_TRACE(path);
    auto file = MappedFile::Open(path, Limits().max_archive_bytes);
    ASSERT_TRUE(file.ok());
    Diagnostics d;
    auto zip = ZipArchive::Open((*file)->bytes(), path, Limits(), &d);
    std::string bytes((*file)->bytes().AsStringView());
    auto v = RunLibziparchive(bytes);
    if (v.available) {
      EXPECT_FALSE(v.crashed);
      EXPECT_EQ(zip.ok(), v.open_rc == 0)
          << zip.status().ToString() << " / android rc " << v.open_rc;
    }
    if (!zip.ok()) continue;
    auto listing = piaudit::testing::RunCommand("unzip -Z1 " + piaudit::testing::ShellQuote(path));
    std::multiset<std::string> theirs;
    std::istringstream in(listing.out);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) theirs.insert(line);
    std::multiset<std::string> ours;
    for (const auto& e : zip->entries()) ours.insert(e.name);
    EXPECT_EQ(ours, theirs);
    for (const auto& e : zip->entries()) {
      auto r = zip->Read(e);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
    }
    EXPECT_FALSE(HasDiagnostic(d, "zip.crc_mismatch"));
  }
}

}  // namespace
}  // namespace piaudit::container
