// Tests of ReadApkSignatures: fixture APKs signed by apksigner (v1+v2+v3) at test time, tampered
// copies, hostile signing blocks, and parity with `apksigner verify --print-certs -v` on the
// corpus.
#include "container/apk_signature.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>

#include "base/mapped_file.h"
#include "container/zip_archive.h"
#include "container/zip_builder.h"
#include "support/apk_fixture.h"
#include "support/rotated_apk.h"

namespace piaudit::container {
namespace {

using piaudit::testing::BuildApk;
using piaudit::testing::RunCommand;
using piaudit::testing::ShellQuote;

constexpr char kManifest[] = R"(<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="org.piaudit.sigtest" android:versionCode="1" android:versionName="1.0">
  <uses-sdk android:minSdkVersion="14" android:targetSdkVersion="30"/>
  <application android:label="sig"/>
</manifest>
)";

struct Loaded {
  std::string bytes;
  std::unique_ptr<ZipArchive> zip;
};

Result<ApkSignatures> Verify(const std::string& bytes, bool v1_entries = false,
                             Diagnostics* d = nullptr) {
  auto zip = ZipArchive::Open(ByteSpan(bytes), "t.apk", Limits(), d);
  if (!zip.ok()) return std::move(zip).TakeStatus();
  return ReadApkSignatures(*zip, Limits(), d, v1_entries);
}

// Builds the fixture once per process (aapt + apksigner take a second or two).
const std::string& SignedFixture() {
  static const std::string* bytes = [] {
    piaudit::testing::ApkSpec spec;
    spec.manifest_xml = kManifest;
    spec.resources["values/strings.xml"] =
        "<resources><string name=\"app\">sig</string></resources>";
    // > 1 MiB that deflate cannot shrink: several digest chunks of real entry bytes.
    std::string data(3 << 20, '\0');
    uint32_t x = 12345;
    for (char& c : data) {
      x = x * 1103515245u + 12345u;
      c = static_cast<char>(x >> 24);
    }
    spec.extra_files["assets/data.bin"] = data;
    spec.extra_files["assets/readme.txt"] = "hello";
    auto path = BuildApk(spec, "sigtest");
    if (!path.ok()) return new std::string();
    auto b = piaudit::testing::ReadFile(*path);
    return new std::string(b.ok() ? *b : "");
  }();
  return *bytes;
}

std::string CertSha256OfTestKey() {
  auto key = piaudit::testing::TestSigningKey();
  if (!key.ok()) return "";
  auto r = RunCommand("openssl x509 -in " + ShellQuote(key->second) +
                      " -outform DER | openssl dgst -sha256 -r");
  return r.out.substr(0, 64);
}

TEST(ApkSignatureTest, FixtureVerifiesWithAllSchemes) {
  const std::string& apk = SignedFixture();
  ASSERT_FALSE(apk.empty()) << "fixture build failed";
  Diagnostics d;
  auto sigs = Verify(apk, /*v1_entries=*/true, &d);
  ASSERT_TRUE(sigs.ok()) << sigs.status().ToString();
  EXPECT_TRUE(sigs->has_signing_block);
  EXPECT_TRUE(sigs->v1.present);
  EXPECT_TRUE(sigs->v1.verified) << (sigs->v1.signers.empty() ? ""
                                     : sigs->v1.signers[0].errors.empty()
                                         ? ""
                                         : sigs->v1.signers[0].errors[0]);
  EXPECT_TRUE(sigs->v1_entries_checked);
  EXPECT_TRUE(sigs->v2.present);
  EXPECT_TRUE(sigs->v2.verified);
  EXPECT_TRUE(sigs->v3.present);
  EXPECT_TRUE(sigs->v3.verified);
  ASSERT_EQ(sigs->v3.signers.size(), 1u);
  EXPECT_GT(sigs->v3.signers[0].max_sdk, sigs->v3.signers[0].min_sdk);
  const std::string expected = CertSha256OfTestKey();
  ASSERT_EQ(expected.size(), 64u);
  for (const SchemeResult* s : {&sigs->v1, &sigs->v2, &sigs->v3}) {
    ASSERT_EQ(s->signers.size(), 1u);
    ASSERT_FALSE(s->signers[0].certificates.empty());
    const Certificate& c = s->signers[0].certificates[0];
    EXPECT_EQ(c.sha256_hex, expected);
    EXPECT_EQ(c.key_algorithm, "RSA");
    EXPECT_EQ(c.key_bits, 2048);
    EXPECT_LT(c.not_before, c.not_after);
    EXPECT_FALSE(c.subject.empty());
  }
}

// The content digest reads the APK once and hands every hashed piece back to the owner of the
// bytes (a mapped file drops those pages) in small steps, so the pages of a big APK never pile up;
// v1 entry digests release each entry once hashed. The digest's chunks are hashed on two threads
// and v1 beside them, so the release hint is called from several threads.
std::vector<std::pair<size_t, size_t>> ReleasedPieces(const std::string& apk, bool v1_entries,
                                                      ApkSignatures* sigs) {
  auto zip = ZipArchive::Open(ByteSpan(apk), "t.apk", Limits(), nullptr);
  if (!zip.ok()) return {};
  std::mutex mutex;
  std::vector<std::pair<size_t, size_t>> released;  // [begin, end) offsets in the APK
  const auto* base = reinterpret_cast<const uint8_t*>(apk.data());
  zip->SetReleaseHint([&](ByteSpan span) {
    if (span.data() < base || span.data() + span.size() > base + apk.size()) return;
    std::lock_guard<std::mutex> lock(mutex);
    released.emplace_back(span.data() - base, span.data() - base + span.size());
  });
  auto result = ReadApkSignatures(*zip, Limits(), nullptr, v1_entries);
  if (result.ok()) *sigs = std::move(*result);
  std::sort(released.begin(), released.end());
  return released;
}

TEST(ApkSignatureTest, HashedBytesAreReleasedBehindTheReader) {
  const std::string& apk = SignedFixture();
  ASSERT_FALSE(apk.empty()) << "fixture build failed";
  // The content digest alone: pieces of at most 256 KiB that tile everything before the signing
  // block (> 3 MiB of entries make at least 12), each released once.
  ApkSignatures sigs;
  const auto digest = ReleasedPieces(apk, /*v1_entries=*/false, &sigs);
  ASSERT_TRUE(sigs.v2.verified);
  const size_t block = sigs.signing_block_offset;
  std::vector<std::pair<size_t, size_t>> before_block;
  for (const auto& piece : digest) {
    EXPECT_LE(piece.second - piece.first, 256u * 1024);
    if (piece.first < block) before_block.push_back(piece);
  }
  ASSERT_GE(before_block.size(), 12u);
  EXPECT_EQ(before_block.front().first, 0u);
  for (size_t i = 1; i < before_block.size(); ++i) {
    EXPECT_EQ(before_block[i].first, before_block[i - 1].second) << i;
  }
  EXPECT_EQ(before_block.back().second, block);
  // With v1 entry digests too, everything before the signing block is still released.
  ApkSignatures with_entries;
  const auto all = ReleasedPieces(apk, /*v1_entries=*/true, &with_entries);
  ASSERT_TRUE(with_entries.v1_entries_checked);
  size_t covered = 0;
  for (const auto& [b, e] : all) {
    if (b <= covered) covered = std::max(covered, e);
  }
  EXPECT_GE(covered, block);
}

// A hostile MANIFEST.MF: one value continued over 100k lines and a section of 100k attributes.
// Parsing stays linear in its size (a naive reader copies the growing value per line, or searches
// every attribute per attribute, and never finishes); v1 is then simply not verified.
TEST(ApkSignatureHostileTest, HugeJarManifestsParseInLinearTime) {
  std::string noise;  // base64-like text, so deflate cannot make it look like a zip bomb
  uint32_t x = 7;
  auto next_char = [&x] {
    x = x * 1103515245u + 12345u;
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(x >> 16) & 63];
  };
  std::string manifest = "Manifest-Version: 1.0\r\n\r\nName: a\r\nSHA-256-Digest: ";
  for (int line = 0; line < 100000; ++line) {
    manifest += ' ';
    for (int i = 0; i < 70; ++i) manifest += next_char();
    manifest += "\r\n";
  }
  manifest += "\r\nName: b\r\n";
  for (int i = 0; i < 100000; ++i) {
    manifest += "K" + std::to_string(i) + ": ";
    for (int j = 0; j < 8; ++j) manifest += next_char();
    manifest += "\r\n";
  }
  piaudit::testing::ApkSpec spec;
  spec.manifest_xml = kManifest;
  spec.sign = false;
  spec.extra_files["META-INF/MANIFEST.MF"] = manifest;
  spec.extra_files["META-INF/CERT.SF"] = "Signature-Version: 1.0\r\n\r\n";
  spec.extra_files["META-INF/CERT.RSA"] = "not a PKCS#7 block";
  auto path = BuildApk(spec, "hugejar");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  auto bytes = piaudit::testing::ReadFile(*path);
  ASSERT_TRUE(bytes.ok());
  auto sigs = Verify(*bytes, /*v1_entries=*/true);
  ASSERT_TRUE(sigs.ok()) << sigs.status().ToString();
  EXPECT_TRUE(sigs->v1.present);
  EXPECT_FALSE(sigs->v1.verified);
}

TEST(ApkSignatureTest, FlippedEntryByteBreaksV2AndV3Digests) {
  std::string apk = SignedFixture();
  ASSERT_FALSE(apk.empty());
  auto zip = ZipArchive::Open(ByteSpan(apk), "t.apk", Limits(), nullptr);
  ASSERT_TRUE(zip.ok());
  const ZipEntry* e = zip->Find("assets/data.bin");
  ASSERT_NE(e, nullptr);
  const uint64_t at = e->data_offset + 1000;
  apk[at] = static_cast<char>(apk[at] ^ 0x01);
  auto sigs = Verify(apk, /*v1_entries=*/true);
  ASSERT_TRUE(sigs.ok());
  EXPECT_TRUE(sigs->v2.present);
  EXPECT_FALSE(sigs->v2.verified);
  ASSERT_EQ(sigs->v2.signers.size(), 1u);
  EXPECT_TRUE(sigs->v2.signers[0].signature_verified);  // the signed data is intact
  EXPECT_FALSE(sigs->v2.signers[0].digests_verified);
  EXPECT_FALSE(sigs->v3.verified);
  // v1 covers entries only through MANIFEST.MF digests: caught when entries are checked.
  EXPECT_FALSE(sigs->v1.verified);
}

// The v2 ID-value pair of a signed APK's signing block, if it has one.
std::optional<SigningBlockPair> V2Pair(const std::string& apk) {
  auto zip = ZipArchive::Open(ByteSpan(apk), "t.apk", Limits(), nullptr);
  if (!zip.ok()) return std::nullopt;
  auto pairs = ParseSigningBlock(ByteSpan(apk), zip->central_directory_offset());
  if (!pairs.ok()) return std::nullopt;
  for (const auto& p : *pairs)
    if (p.id == 0x7109871a) return p;
  return std::nullopt;
}

// A reader over a v2 block value, at the first signer's signatures (signed data skipped).
Reader AtFirstSignerSignatures(ByteSpan value) {
  Reader r(value);
  uint32_t len;
  r.ReadU32(&len);  // signers
  r.ReadU32(&len);  // signer
  r.ReadU32(&len);  // signed data
  r.Skip(len);
  return r;
}

// Offset of the first signature bytes of the first signer of a v2 block value.
size_t FirstSignatureOffset(ByteSpan value) {
  Reader r = AtFirstSignerSignatures(value);
  uint32_t len;
  r.ReadU32(&len);  // signatures
  r.ReadU32(&len);  // signature record
  r.ReadU32(&len);  // algorithm id
  r.ReadU32(&len);  // signature length
  return r.offset() + 10;
}

TEST(ApkSignatureTest, FlippedSignatureByteBreaksV2Signature) {
  std::string apk = SignedFixture();
  ASSERT_FALSE(apk.empty());
  const std::optional<SigningBlockPair> v2 = V2Pair(apk);
  ASSERT_TRUE(v2.has_value());
  const size_t at = v2->offset + FirstSignatureOffset(v2->value);
  apk[at] = static_cast<char>(apk[at] ^ 0x40);
  auto sigs = Verify(apk);
  ASSERT_TRUE(sigs.ok());
  EXPECT_FALSE(sigs->v2.verified);
  ASSERT_EQ(sigs->v2.signers.size(), 1u);
  EXPECT_FALSE(sigs->v2.signers[0].signature_verified);
  // v3 lives in its own block and still verifies; so does v1.
  EXPECT_TRUE(sigs->v3.verified);
  EXPECT_TRUE(sigs->v1.verified);
  // The certificate is still reported: the auditor wants to know who claims to have signed.
  ASSERT_FALSE(sigs->v2.signers[0].certificates.empty());
}

// Offset and size of the public key (SubjectPublicKeyInfo) of the first signer of a v2 block.
std::pair<size_t, size_t> FirstPublicKey(ByteSpan value) {
  Reader r = AtFirstSignerSignatures(value);
  uint32_t len;
  r.ReadU32(&len);  // signatures
  r.Skip(len);
  r.ReadU32(&len);  // public key
  return {r.offset(), len};
}

// The signer's key is checked against its first certificate: with a byte of the key's modulus
// changed, the key no longer matches the certificate and the signature no longer verifies.
TEST(ApkSignatureTest, SignerKeyThatIsNotTheCertificatesIsReported) {
  std::string apk = SignedFixture();
  ASSERT_FALSE(apk.empty());
  const std::optional<SigningBlockPair> v2 = V2Pair(apk);
  ASSERT_TRUE(v2.has_value());
  const auto [key_at, key_size] = FirstPublicKey(v2->value);
  ASSERT_GT(key_size, 64u);
  const size_t at = v2->offset + key_at + key_size - 40;  // inside the modulus
  apk[at] = static_cast<char>(apk[at] ^ 0x10);
  auto sigs = Verify(apk);
  ASSERT_TRUE(sigs.ok());
  ASSERT_EQ(sigs->v2.signers.size(), 1u);
  const Signer& signer = sigs->v2.signers[0];
  EXPECT_FALSE(signer.signature_verified);
  EXPECT_FALSE(sigs->v2.verified);
  EXPECT_NE(std::find(signer.errors.begin(), signer.errors.end(),
                      "public key does not match the first certificate"),
            signer.errors.end());
  EXPECT_TRUE(sigs->v3.verified);  // the v3 block keeps its own copy of the key
}

TEST(ApkSignatureTest, UnsignedApkHasNoSchemes) {
  // Built in code (no signer involved at all).
  auto z = piaudit::testing::BuildZip(
      {piaudit::testing::ZipBuilderEntry{.name = "AndroidManifest.xml", .data = "x"},
       piaudit::testing::ZipBuilderEntry{.name = "META-INF/MANIFEST.MF",
                                         .data = "Manifest-Version: 1.0\r\n\r\n"}});
  auto sigs = Verify(z.bytes);
  ASSERT_TRUE(sigs.ok());
  EXPECT_FALSE(sigs->has_signing_block);
  EXPECT_FALSE(sigs->v1.present);
  EXPECT_FALSE(sigs->v2.present);
  EXPECT_FALSE(sigs->v3.present);
}

TEST(ApkSignatureTest, V1WithoutSignatureFileIsPresentButNotVerified) {
  auto z = piaudit::testing::BuildZip(
      {piaudit::testing::ZipBuilderEntry{.name = "AndroidManifest.xml", .data = "x"},
       piaudit::testing::ZipBuilderEntry{.name = "META-INF/MANIFEST.MF",
                                         .data = "Manifest-Version: 1.0\r\n\r\n"},
       piaudit::testing::ZipBuilderEntry{.name = "META-INF/CERT.RSA", .data = "not pkcs7"}});
  auto sigs = Verify(z.bytes);
  ASSERT_TRUE(sigs.ok());
  EXPECT_TRUE(sigs->v1.present);
  EXPECT_FALSE(sigs->v1.verified);
  ASSERT_EQ(sigs->v1.signers.size(), 1u);
  EXPECT_FALSE(sigs->v1.signers[0].errors.empty());
}

// Key rotation: apksigner signs v1/v2 with the old key and v3 with the new one, carrying a
// proof-of-rotation lineage (old -> new) in the v3 signed data.
TEST(ApkSignatureTest, V3LineageAfterKeyRotation) {
  const std::string& apk = SignedFixture();
  ASSERT_FALSE(apk.empty());
  const std::string dir = piaudit::testing::MakeTempDir("rotation");
  auto old_key = piaudit::testing::TestSigningKey();
  ASSERT_TRUE(old_key.ok());
  const std::string new_pem = dir + "/new.pem", new_key = dir + "/new.pk8",
                    new_cert = dir + "/new_cert.pem", in = dir + "/in.apk", out = dir + "/out.apk",
                    lineage = dir + "/lineage.bin";
  ASSERT_TRUE(piaudit::testing::WriteFile(in, apk).ok());
  auto r = RunCommand(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "
      "'/CN=piaudit rotated/O=piaudit' -keyout " +
      ShellQuote(new_pem) + " -out " + ShellQuote(new_cert) +
      " 2>&1 && openssl pkcs8 -topk8 -nocrypt -in " + ShellQuote(new_pem) + " -outform DER -out " +
      ShellQuote(new_key) + " 2>&1 && apksigner rotate --out " + ShellQuote(lineage) +
      " --old-signer --key " + ShellQuote(old_key->first) + " --cert " +
      ShellQuote(old_key->second) + " --new-signer --key " + ShellQuote(new_key) + " --cert " +
      ShellQuote(new_cert) + " 2>&1 && apksigner sign --min-sdk-version 14 --key " +
      ShellQuote(old_key->first) + " --cert " + ShellQuote(old_key->second) +
      " --next-signer --key " + ShellQuote(new_key) + " --cert " + ShellQuote(new_cert) +
      " --lineage " + ShellQuote(lineage) + " --out " + ShellQuote(out) + " " + ShellQuote(in) +
      " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto bytes = piaudit::testing::ReadFile(out);
  ASSERT_TRUE(bytes.ok());
  auto sigs = Verify(*bytes);
  ASSERT_TRUE(sigs.ok());
  EXPECT_TRUE(sigs->v1.verified);
  EXPECT_TRUE(sigs->v2.verified);
  EXPECT_TRUE(sigs->v3.verified);
  ASSERT_EQ(sigs->v3.signers.size(), 1u);
  const Signer& v3 = sigs->v3.signers[0];
  ASSERT_FALSE(v3.certificates.empty());
  EXPECT_EQ(v3.certificates[0].key_algorithm, "EC");
  EXPECT_EQ(v3.certificates[0].key_bits, 256);
  EXPECT_NE(v3.certificates[0].subject.find("piaudit rotated"), std::string::npos);
  ASSERT_EQ(v3.lineage.size(), 2u);
  EXPECT_EQ(v3.lineage[0].certificate.sha256_hex, CertSha256OfTestKey());
  EXPECT_EQ(v3.lineage[1].certificate.sha256_hex, v3.certificates[0].sha256_hex);
  // The old RSA key signed the new EC certificate into the lineage.
  EXPECT_TRUE(v3.lineage_verified) << v3.lineage_error;
  EXPECT_FALSE(v3.lineage[0].signed_by_previous);  // the first node is self-asserted
  EXPECT_TRUE(v3.lineage[1].signed_by_previous);
  // v1 and v2 stay with the original key, so older platforms see the old identity.
  ASSERT_EQ(sigs->v2.signers.size(), 1u);
  EXPECT_EQ(sigs->v2.signers[0].certificates[0].sha256_hex, CertSha256OfTestKey());
}

// The SHA-256 of a PEM certificate's DER encoding, as apksigner prints it.
std::string CertSha256(const std::string& pem) {
  auto r =
      RunCommand("openssl x509 -in " + ShellQuote(pem) + " -outform DER | openssl dgst -sha256 -r");
  return r.out.substr(0, 64);
}

// A v3-only APK (min SDK 28: no v1/v2 keep the old key) signed by key B with the lineage A -> B,
// and a forged copy whose lineage node B is not signed by A (the v3 signature is made again with
// B, so only the lineage is wrong).
struct RotatedPair {
  piaudit::testing::TestKey old_key, new_key;
  std::string rotated, forged;
};
const RotatedPair* Rotated() {
  static const RotatedPair* pair = []() -> RotatedPair* {
    piaudit::testing::ApkSpec spec;
    spec.manifest_xml = kManifest;
    spec.resources["values/strings.xml"] = "<resources><string name=\"app\">r</string></resources>";
    spec.sign = false;
    auto unsigned_apk = BuildApk(spec, "rotation-v3");
    auto a = piaudit::testing::MakeTestKey("/CN=piaudit old key/O=piaudit");
    auto b = piaudit::testing::MakeTestKey("/CN=piaudit new key/O=piaudit");
    if (!unsigned_apk.ok() || !a.ok() || !b.ok()) return nullptr;
    auto rotated = piaudit::testing::SignRotated(*unsigned_apk, *a, *b);
    if (!rotated.ok()) {
      ADD_FAILURE() << rotated.status().ToString();
      return nullptr;
    }
    auto forged = piaudit::testing::ForgeLineageSignature(*rotated, *b);
    if (!forged.ok()) {
      ADD_FAILURE() << forged.status().ToString();
      return nullptr;
    }
    return new RotatedPair{*a, *b, *rotated, *forged};
  }();
  return pair;
}

TEST(ApkSignatureTest, V3OnlyRotationLineageVerifiesAsApksignerReadsIt) {
  const RotatedPair* p = Rotated();
  ASSERT_NE(p, nullptr);
  auto bytes = piaudit::testing::ReadFile(p->rotated);
  ASSERT_TRUE(bytes.ok());
  auto sigs = Verify(*bytes);
  ASSERT_TRUE(sigs.ok());
  EXPECT_FALSE(sigs->v1.present);
  EXPECT_FALSE(sigs->v2.present);
  EXPECT_TRUE(sigs->v3.verified);
  ASSERT_EQ(sigs->v3.signers.size(), 1u);
  const Signer& v3 = sigs->v3.signers[0];
  EXPECT_TRUE(v3.lineage_verified) << v3.lineage_error;
  EXPECT_TRUE(v3.lineage_error.empty());
  ASSERT_EQ(v3.lineage.size(), 2u);
  EXPECT_EQ(v3.lineage[0].certificate.sha256_hex, CertSha256(p->old_key.cert));
  EXPECT_EQ(v3.lineage[1].certificate.sha256_hex, CertSha256(p->new_key.cert));
  EXPECT_EQ(v3.certificates[0].sha256_hex, CertSha256(p->new_key.cert));
  EXPECT_TRUE(v3.lineage[1].signed_by_previous);
  // The only key in the APK is the new one; the old one is known through the lineage alone.
  const std::vector<DistinctSigner> distinct = DistinctSigners(*sigs);
  ASSERT_EQ(distinct.size(), 1u);
  ASSERT_NE(distinct[0].lineage, nullptr);
  EXPECT_EQ(distinct[0].lineage->size(), 2u);
  EXPECT_TRUE(distinct[0].lineage_verified);

  // apksigner agrees: the APK verifies and its lineage lists the same certificates, in order.
  auto verify =
      RunCommand("apksigner verify --min-sdk-version 28 " + ShellQuote(p->rotated) + " 2>&1");
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  auto lineage =
      RunCommand("apksigner lineage --in " + ShellQuote(p->rotated) + " --print-certs 2>&1");
  ASSERT_EQ(lineage.exit_code, 0) << lineage.out;
  std::vector<std::string> listed;
  const std::regex line("Signer #\\d+ in lineage certificate SHA-256 digest: ([0-9a-f]{64})");
  for (std::sregex_iterator it(lineage.out.begin(), lineage.out.end(), line), end; it != end; ++it)
    listed.push_back((*it)[1]);
  ASSERT_EQ(listed.size(), v3.lineage.size()) << lineage.out;
  for (size_t i = 0; i < listed.size(); ++i)
    EXPECT_EQ(listed[i], v3.lineage[i].certificate.sha256_hex) << i;
  // The flags apksigner prints as capabilities (installed data, shared UID, permission, auth).
  EXPECT_NE(v3.lineage[0].flags & 1u, 0u);
}

TEST(ApkSignatureTest, ForgedLineageIsListedButNotVerified) {
  const RotatedPair* p = Rotated();
  ASSERT_NE(p, nullptr);
  auto bytes = piaudit::testing::ReadFile(p->forged);
  ASSERT_TRUE(bytes.ok());
  auto sigs = Verify(*bytes);
  ASSERT_TRUE(sigs.ok());
  ASSERT_EQ(sigs->v3.signers.size(), 1u);
  const Signer& v3 = sigs->v3.signers[0];
  ASSERT_EQ(v3.lineage.size(), 2u);  // the claimed history is still reported
  EXPECT_FALSE(v3.lineage_verified);
  EXPECT_FALSE(v3.lineage[1].signed_by_previous);
  EXPECT_NE(v3.lineage_error.find("certificate #2 is not signed by the previous"),
            std::string::npos)
      << v3.lineage_error;
  // Only the lineage is wrong: the signed data's own signature (made again with B) verifies, and
  // the one error is the lineage's. apksigner rejects the signer all the same, and so do we.
  ASSERT_EQ(v3.errors.size(), 1u) << v3.errors[0];
  EXPECT_EQ(v3.errors[0], v3.lineage_error);
  EXPECT_FALSE(v3.signature_verified);
  EXPECT_FALSE(sigs->v3.verified);
  EXPECT_TRUE(sigs->v3.signers[0].digests_verified);
  auto verify =
      RunCommand("apksigner verify --min-sdk-version 28 " + ShellQuote(p->forged) + " 2>&1");
  EXPECT_NE(verify.exit_code, 0) << verify.out;
  const std::vector<DistinctSigner> distinct = DistinctSigners(*sigs);
  ASSERT_EQ(distinct.size(), 1u);
  EXPECT_FALSE(distinct[0].lineage_verified);
}

TEST(ApkSignatureHostileTest, SigningBlockSizeLiesAreRejected) {
  std::string apk = SignedFixture();
  ASSERT_FALSE(apk.empty());
  auto zip = ZipArchive::Open(ByteSpan(apk), "t.apk", Limits(), nullptr);
  ASSERT_TRUE(zip.ok());
  const uint64_t cd = zip->central_directory_offset();
  uint64_t start = 0;
  ASSERT_TRUE(ParseSigningBlock(ByteSpan(apk), cd, &start).ok());
  for (uint64_t bad : {uint64_t{0}, uint64_t{23}, cd, ~uint64_t{0}, uint64_t{1} << 40}) {
    std::string s = apk;
    for (int i = 0; i < 8; ++i) s[cd - 24 + i] = static_cast<char>(bad >> (8 * i));
    auto r = ParseSigningBlock(ByteSpan(s), cd);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    // The whole pipeline reports it and goes on (v1 still verifies).
    auto zip2 = ZipArchive::Open(ByteSpan(s), "t.apk", Limits(), nullptr);
    ASSERT_TRUE(zip2.ok());
    Diagnostics d;
    auto sigs = ReadApkSignatures(*zip2, Limits(), &d);
    ASSERT_TRUE(sigs.ok());
    EXPECT_FALSE(sigs->v2.verified);
    EXPECT_TRUE(d.HasErrors());
  }
  // The two size fields disagree.
  std::string s = apk;
  s[start] = static_cast<char>(s[start] ^ 0x08);
  EXPECT_FALSE(ParseSigningBlock(ByteSpan(s), cd).ok());
}

TEST(ApkSignatureHostileTest, EveryByteOfTheSigningBlockFlippedNeverCrashes) {
  std::string apk = SignedFixture();
  ASSERT_FALSE(apk.empty());
  auto zip = ZipArchive::Open(ByteSpan(apk), "t.apk", Limits(), nullptr);
  ASSERT_TRUE(zip.ok());
  const uint64_t cd = zip->central_directory_offset();
  uint64_t start = 0;
  auto pairs = ParseSigningBlock(ByteSpan(apk), cd, &start);
  ASSERT_TRUE(pairs.ok());
  // Parse-only (no digests of the 3 MiB file) so every position can be tried quickly.
  int verified_after_flip = 0, positions = 0;
  for (const auto& p : *pairs) {
    if (p.id != 0x7109871a && p.id != 0xf05368c0) continue;
    std::string value(p.value.AsStringView());
    for (size_t i = 0; i < value.size(); i += 3) {
      std::string v = value;
      v[i] = static_cast<char>(v[i] ^ 0x21);
      auto signers = ParseSchemeBlock(ByteSpan(v), p.id == 0xf05368c0, Limits());
      ++positions;
      if (signers.ok()) {
        for (const auto& s : *signers) verified_after_flip += s.signature_verified ? 1 : 0;
      }
    }
  }
  EXPECT_GT(positions, 100);
  // Flipping a byte of signed data, signature or key must never leave a verifying signer, except
  // in bytes outside what is signed (certificate-free length slack does not exist in v2/v3).
  EXPECT_EQ(verified_after_flip, 0);
}

TEST(ApkSignatureHostileTest, TruncatedSchemeBlocksFailCleanly) {
  std::string apk = SignedFixture();
  ASSERT_FALSE(apk.empty());
  auto zip = ZipArchive::Open(ByteSpan(apk), "t.apk", Limits(), nullptr);
  ASSERT_TRUE(zip.ok());
  auto pairs = ParseSigningBlock(ByteSpan(apk), zip->central_directory_offset());
  ASSERT_TRUE(pairs.ok());
  for (const auto& p : *pairs) {
    if (p.id != 0x7109871a) continue;
    for (size_t n = 0; n < p.value.size(); n += 7) {
      auto r = ParseSchemeBlock(*p.value.Slice(0, n), false, Limits());
      EXPECT_FALSE(r.ok());
    }
  }
}

TEST(ApkSignatureHostileTest, InvalidApkGivesAClearAnswer) {
  std::string dir = piaudit::testing::CorpusDir();
  if (dir.empty()) GTEST_SKIP() << "corpus not found at " << PIAUDIT_CORPUS_DIR;
  auto bytes = piaudit::testing::ReadFile(dir + "/apks/Invalid.apk");
  ASSERT_TRUE(bytes.ok());
  Diagnostics d;
  auto sigs = Verify(*bytes, true, &d);
  if (!sigs.ok()) {
    EXPECT_FALSE(sigs.status().message().empty());
  } else {
    EXPECT_TRUE(sigs->v1.present);
  }
}

// ---- parity with apksigner on the corpus ----
struct ApksignerView {
  std::map<int, bool> verified;     // scheme -> "Verified using vN scheme" value
  std::vector<std::string> sha256;  // "Signer #k certificate SHA-256 digest"
  std::vector<std::string> sha1;    // "... SHA-1 digest"
  std::vector<std::string> md5;  // "... MD5 digest" (the "app signature" WeChat and Alipay ask for)
  std::vector<std::string> dn;   // "Signer #k certificate DN"
  bool ran = false;
};

ApksignerView RunApksigner(const std::string& path) {
  ApksignerView v;
  auto r = RunCommand("apksigner verify --print-certs -v " + ShellQuote(path) + " 2>&1");
  std::istringstream in(r.out);
  std::smatch m;
  static const std::regex kScheme(R"(^Verified using v(\d) scheme.*: (true|false)$)");
  static const std::regex kSha(R"(^Signer #\d+ certificate SHA-256 digest: ([0-9a-f]+)$)");
  static const std::regex kSha1(R"(^Signer #\d+ certificate SHA-1 digest: ([0-9a-f]+)$)");
  static const std::regex kMd5(R"(^Signer #\d+ certificate MD5 digest: ([0-9a-f]+)$)");
  static const std::regex kDn(R"(^Signer #\d+ certificate DN: (.*)$)");
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, m, kScheme)) {
      v.verified[std::stoi(m[1])] = m[2] == "true";
      v.ran = true;
    } else if (std::regex_match(line, m, kSha)) {
      v.sha256.push_back(m[1]);
    } else if (std::regex_match(line, m, kSha1)) {
      v.sha1.push_back(m[1]);
    } else if (std::regex_match(line, m, kMd5)) {
      v.md5.push_back(m[1]);
    } else if (std::regex_match(line, m, kDn)) {
      v.dn.push_back(m[1]);
    }
  }
  return v;
}

std::string NoSpaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

TEST(ApkSignatureCorpusTest, MatchesApksigner) {
  auto apks = piaudit::testing::CorpusApks();
  if (apks.empty()) GTEST_SKIP() << "corpus not found at " << PIAUDIT_CORPUS_DIR;
  int compared = 0;
  for (const auto& path : apks) {
    SCOPED_TRACE(path);
    ApksignerView theirs = RunApksigner(path);
    auto file = MappedFile::Open(path, Limits().max_archive_bytes);
    ASSERT_TRUE(file.ok());
    auto zip = ZipArchive::Open((*file)->bytes(), path, Limits(), nullptr);
    if (!zip.ok()) {
      EXPECT_FALSE(theirs.ran) << "apksigner verified an archive we reject: "
                               << zip.status().ToString();
      continue;
    }
    auto ours = ReadApkSignatures(*zip, Limits(), nullptr, /*verify_v1_entries=*/true);
    ASSERT_TRUE(ours.ok());
    if (!theirs.ran) continue;  // apksigner gave up (e.g. no AndroidManifest.xml)
    ++compared;
    // apksigner skips v1 when v2/v3 exist and minSdk >= 24, and v2 when v3 exists and
    // minSdk >= 28; it then prints false. Where it checked, we must agree.
    const bool v1_ours = ours->v1.verified, v2_ours = ours->v2.verified,
               v3_ours = ours->v3.verified;
    if (theirs.verified[1]) {
      EXPECT_TRUE(v1_ours);
    }
    if (theirs.verified[2]) {
      EXPECT_TRUE(v2_ours);
    }
    if (theirs.verified[3]) {
      EXPECT_TRUE(v3_ours);
    }
    if (!ours->v2.present && !ours->v3.present) {
      EXPECT_EQ(theirs.verified[1], v1_ours);
    }
    if (!ours->v3.present) {
      EXPECT_EQ(theirs.verified[2], v2_ours);
    }
    EXPECT_EQ(theirs.verified[3], v3_ours);
    // Signer certificates: apksigner prints the newest scheme's signers.
    const SchemeResult& best = ours->v3.verified   ? ours->v3
                               : ours->v2.verified ? ours->v2
                                                   : ours->v1;
    ASSERT_EQ(best.signers.size(), theirs.sha256.size());
    for (size_t i = 0; i < best.signers.size(); ++i) {
      ASSERT_FALSE(best.signers[i].certificates.empty());
      EXPECT_EQ(best.signers[i].certificates[0].sha256_hex, theirs.sha256[i]);
      ASSERT_EQ(theirs.sha1.size(), theirs.sha256.size());
      ASSERT_EQ(theirs.md5.size(), theirs.sha256.size());
      EXPECT_EQ(best.signers[i].certificates[0].sha1_hex, theirs.sha1[i]);
      EXPECT_EQ(best.signers[i].certificates[0].md5_hex, theirs.md5[i]);
      if (i < theirs.dn.size()) {
        EXPECT_EQ(NoSpaces(best.signers[i].certificates[0].subject), NoSpaces(theirs.dn[i]));
      }
    }
  }
  EXPECT_GE(compared, 10);
}

}  // namespace
}  // namespace piaudit::container
