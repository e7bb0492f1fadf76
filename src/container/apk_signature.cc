// APK signature schemes v1 (JAR), v2, v3 and v3.1, parsed with bounded readers and verified with
// OpenSSL's libcrypto, following apksigner's ApkVerifier (tools/apksig).
//
// Tricky parts (more in docs/formats/apk-signing.md):
//  * Every length in the signing block is a prefix chosen by the file. Each nested sequence is read
//    through a Reader over its own slice, so a lying length can never reach past its parent.
//  * The content digest covers the zip "as if there were no signing block": the EOCD copy that is
//    hashed has its central-directory offset replaced by the signing block's offset. Hashing the
//    file as it is would make every signed APK fail.
//  * The public key next to the signatures must equal the one in the first certificate, otherwise
//    an attacker could sign with any key and ship someone else's certificate (apksigner checks it).
//  * v1 verifies the .SF file with the PKCS#7 block, then the .SF's digest of the whole manifest
//    (or, failing that, of each manifest section), as java.util.jar does. Certificates are not
//    chain-validated: Android trusts self-signed developer certificates by design.
#include "container/apk_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "base/concurrency.h"
#include "container/signing_certificates.h"

namespace piaudit::container {
namespace {

constexpr uint32_t kV2BlockId = 0x7109871a;
constexpr uint32_t kV3BlockId = 0xf05368c0;
constexpr uint32_t kV31BlockId = 0x1b93ad61;
constexpr uint32_t kProofOfRotationAttrId = 0x3ba06f8c;
constexpr char kSigningBlockMagic[] = "APK Sig Block 42";
constexpr uint64_t kSigningBlockFooter = 24;  // size field (8) + magic (16)
constexpr uint64_t kChunkSize = 1 << 20;
// Threads hashing chunks when the caller gives no executor (more buy nothing: memory bandwidth).
constexpr uint32_t kMaxDigestThreads = 8;

// --- v2/v3 signature algorithms (apksig SignatureAlgorithm.java) ---
struct AlgorithmInfo {
  uint32_t id;
  const char* key;  // "RSA", "RSA-PSS", "EC", "DSA"
  const EVP_MD* (*md)();
  bool chunked_sha512;  // content digest algorithm: chunked SHA-512 (else SHA-256)
  bool verity;          // content digest is the verity Merkle root (not checked here)
};
const AlgorithmInfo kAlgorithms[] = {
    {0x0101, "RSA-PSS", EVP_sha256, false, false}, {0x0102, "RSA-PSS", EVP_sha512, true, false},
    {0x0103, "RSA", EVP_sha256, false, false},     {0x0104, "RSA", EVP_sha512, true, false},
    {0x0201, "EC", EVP_sha256, false, false},      {0x0202, "EC", EVP_sha512, true, false},
    {0x0301, "DSA", EVP_sha256, false, false},     {0x0421, "RSA", EVP_sha256, false, true},
    {0x0423, "EC", EVP_sha256, false, true},       {0x0425, "DSA", EVP_sha256, false, true},
};
const AlgorithmInfo* FindAlgorithm(uint32_t id) {
  for (const auto& a : kAlgorithms)
    if (a.id == id) return &a;
  return nullptr;
}

// Reads a uint32 length prefix and the slice it announces.
bool ReadLengthPrefixed(Reader* r, ByteSpan* out) {
  uint32_t len;
  size_t save = r->offset();
  if (!r->ReadU32(&len) || !r->ReadBytes(len, out)) {
    r->Seek(save);
    return false;
  }
  return true;
}

Status Malformed(const std::string& what, size_t offset) {
  return InvalidInput(what).AtOffset("signing block", offset);
}

bool SameBytes(const unsigned char* p, int n, ByteSpan bytes) {
  return p != nullptr && n > 0 && static_cast<size_t>(n) == bytes.size() &&
         std::memcmp(p, bytes.data(), bytes.size()) == 0;
}

// Verifies `sig` over `data` with the signer's key, per the v2/v3 algorithm id.
bool VerifySignature(const AlgorithmInfo& alg, EVP_PKEY* key, ByteSpan data, ByteSpan sig,
                     std::string* error) {
  if (key == nullptr) {
    *error = "public key is not a valid SubjectPublicKeyInfo";
    return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, alg.md(), nullptr, key) != 1) {
    *error = "key does not fit the signature algorithm";
    return false;
  }
  if (std::strcmp(alg.key, "RSA-PSS") == 0) {
    // v2 spec: PSS with MGF1 over the same digest and a salt as long as the digest.
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, EVP_MD_get_size(alg.md())) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, alg.md()) != 1) {
      *error = "key does not support RSA-PSS";
      return false;
    }
  }
  if (EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), data.data(), data.size()) != 1) {
    *error = "signature does not verify";
    return false;
  }
  return true;
}

struct ParsedSigner {
  Signer signer;
  std::vector<std::pair<uint32_t, ByteSpan>> digests;  // from signed data
};

// A proof-of-rotation attribute (apksig V3SigningCertificateLineage): the nodes, oldest first,
// and the first reason the chain does not verify ("" when it does). A node that cannot be parsed
// fails the whole attribute, as apksigner fails it; a node whose link does not verify is kept, so
// the certificates it claims are still reported.
struct ParsedLineage {
  std::vector<LineageNode> nodes;
  std::string error;
};

Result<ParsedLineage> ParseLineage(ByteSpan value, const Limits& limits) {
  ParsedLineage out;
  const auto fail = [&out](std::string why) {
    if (out.error.empty()) out.error = "proof-of-rotation: " + std::move(why);
  };
  Reader r(value);
  uint32_t version;
  if (!r.ReadU32(&version)) return InvalidInput("proof-of-rotation: no version");
  if (version != 1) fail("unknown version " + std::to_string(version));
  PkeyPtr previous_key;
  uint32_t previous_algorithm = 0;
  std::vector<std::string> seen;  // at most max_signer_items certificates
  while (!r.AtEnd()) {
    if (out.nodes.size() >= limits.max_signer_items)
      return LimitExceeded("proof-of-rotation: too many nodes");
    ByteSpan node;
    if (!ReadLengthPrefixed(&r, &node)) return InvalidInput("proof-of-rotation: node length");
    Reader nr(node);
    ByteSpan signed_data, signature;
    uint32_t flags, algo;
    if (!ReadLengthPrefixed(&nr, &signed_data) || !nr.ReadU32(&flags) || !nr.ReadU32(&algo) ||
        !ReadLengthPrefixed(&nr, &signature)) {
      return InvalidInput("proof-of-rotation: malformed node");
    }
    // Signed data: the certificate and the algorithm the previous node signed this one with.
    Reader sr(signed_data);
    ByteSpan cert;
    uint32_t signed_algorithm = 0;
    if (!ReadLengthPrefixed(&sr, &cert)) return InvalidInput("proof-of-rotation: no certificate");
    if (!sr.ReadU32(&signed_algorithm))
      return InvalidInput("proof-of-rotation: no signature algorithm in a node's signed data");
    X509Ptr x = ParseCertificate(cert);
    if (!x) return InvalidInput("proof-of-rotation: certificate is not valid DER X.509");
    PkeyPtr key;
    LineageNode n;
    n.certificate = DescribeCertificate(x.get(), cert, &key);
    n.flags = flags;
    n.signature_algorithm_id = algo;
    const std::string number = "certificate #" + std::to_string(out.nodes.size() + 1);
    if (!out.nodes.empty()) {
      const AlgorithmInfo* alg = FindAlgorithm(previous_algorithm);
      std::string error;
      if (signed_algorithm != previous_algorithm) {
        fail(number + " names another signature algorithm than the previous node signs with");
      } else if (alg == nullptr) {
        fail(number + " is signed with an unknown algorithm");
      } else if (VerifySignature(*alg, previous_key.get(), signed_data, signature, &error)) {
        n.signed_by_previous = true;
      } else {
        fail(number + " is not signed by the previous certificate's key (" + error + ")");
      }
    }
    if (std::find(seen.begin(), seen.end(), n.certificate.sha256_hex) != seen.end())
      fail(number + " appears twice");
    seen.push_back(n.certificate.sha256_hex);
    previous_key = std::move(key);
    previous_algorithm = algo;
    out.nodes.push_back(std::move(n));
  }
  if (out.nodes.empty()) fail("no certificates");
  return out;
}

// Parses one signer of a v2/v3 block and verifies its signed-data signature.
Result<ParsedSigner> ParseSigner(ByteSpan bytes, bool is_v3, const Limits& limits) {
  ParsedSigner out;
  Signer& s = out.signer;
  Reader r(bytes);
  ByteSpan signed_data, signatures, public_key;
  uint32_t min_sdk = 0, max_sdk = 0;
  if (!ReadLengthPrefixed(&r, &signed_data)) return Malformed("signer: signed data length", 0);
  if (is_v3 && (!r.ReadU32(&min_sdk) || !r.ReadU32(&max_sdk)))
    return Malformed("signer: min/max SDK", r.offset());
  if (!ReadLengthPrefixed(&r, &signatures)) return Malformed("signer: signatures length", 0);
  if (!ReadLengthPrefixed(&r, &public_key)) return Malformed("signer: public key length", 0);
  s.min_sdk = min_sdk;
  s.max_sdk = max_sdk;

  // Signed data: digests, certificates, [min/max SDK], additional attributes.
  Reader sd(signed_data);
  ByteSpan digests, certs, attrs;
  if (!ReadLengthPrefixed(&sd, &digests) || !ReadLengthPrefixed(&sd, &certs))
    return Malformed("signed data: digests/certificates length", 0);
  if (is_v3) {
    uint32_t smin, smax;
    if (!sd.ReadU32(&smin) || !sd.ReadU32(&smax)) return Malformed("signed data: min/max SDK", 0);
    if (smin != min_sdk || smax != max_sdk) {
      s.errors.push_back("min/max SDK in signed data (" + std::to_string(smin) + "," +
                         std::to_string(smax) + ") differ from the signer's (" +
                         std::to_string(min_sdk) + "," + std::to_string(max_sdk) + ")");
    }
  }
  if (!ReadLengthPrefixed(&sd, &attrs)) return Malformed("signed data: attributes length", 0);

  Reader dr(digests);
  while (!dr.AtEnd()) {
    if (out.digests.size() >= limits.max_signer_items) return LimitExceeded("too many digests");
    ByteSpan item, digest;
    uint32_t algo;
    if (!ReadLengthPrefixed(&dr, &item)) return Malformed("digest record length", 0);
    Reader ir(item);
    if (!ir.ReadU32(&algo) || !ReadLengthPrefixed(&ir, &digest))
      return Malformed("digest record", 0);
    out.digests.emplace_back(algo, digest);
  }
  Reader cr(certs);
  X509Ptr first_cert;
  PkeyPtr first_cert_key;
  while (!cr.AtEnd()) {
    if (s.certificates.size() >= limits.max_signer_items)
      return LimitExceeded("too many certificates");
    ByteSpan cert;
    if (!ReadLengthPrefixed(&cr, &cert)) return Malformed("certificate length", 0);
    X509Ptr x = ParseCertificate(cert);
    if (!x) return InvalidInput("certificate is not valid DER X.509");
    s.certificates.push_back(
        DescribeCertificate(x.get(), cert, first_cert ? nullptr : &first_cert_key));
    if (!first_cert) first_cert = std::move(x);
  }
  if (s.certificates.empty()) s.errors.push_back("no certificates");
  Reader ar(attrs);
  uint32_t nattrs = 0;
  while (!ar.AtEnd()) {
    if (++nattrs > limits.max_signer_items) return LimitExceeded("too many additional attributes");
    ByteSpan item;
    uint32_t id;
    if (!ReadLengthPrefixed(&ar, &item)) return Malformed("attribute length", 0);
    Reader ir(item);
    if (!ir.ReadU32(&id)) return Malformed("attribute id", 0);
    if (is_v3 && id == kProofOfRotationAttrId) {
      auto lineage = ParseLineage(item.From(4), limits);
      if (lineage.ok()) {
        s.lineage = std::move(lineage->nodes);
        s.lineage_error = std::move(lineage->error);
        // The chain must end at the key that signs this APK (apksigner: POR_CERT_MISMATCH).
        if (s.lineage_error.empty() && !s.lineage.empty() && !s.certificates.empty() &&
            s.lineage.back().certificate.sha256_hex != s.certificates.front().sha256_hex) {
          s.lineage_error = "proof-of-rotation: the last certificate is not the signer's";
        }
      } else {
        s.lineage_error = std::string(lineage.status().message());
      }
      if (!s.lineage_error.empty()) s.errors.push_back(s.lineage_error);
    }
  }

  // The first certificate's key must be the key that signed. Usually its stored
  // SubjectPublicKeyInfo is byte for byte the signer's, and the key built to describe it serves;
  // otherwise the re-encoded key is compared (as apksigner does) and the signer's key decoded.
  bool key_matches_certificate = false;
  PkeyPtr key;
  if (first_cert) {
    unsigned char* stored = nullptr;
    int n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(first_cert.get()), &stored);
    key_matches_certificate = SameBytes(stored, n, public_key);
    OPENSSL_free(stored);
    if (key_matches_certificate) {
      key = std::move(first_cert_key);
    } else if (first_cert_key) {
      unsigned char* reencoded = nullptr;
      n = i2d_PUBKEY(first_cert_key.get(), &reencoded);
      key_matches_certificate = SameBytes(reencoded, n, public_key);
      OPENSSL_free(reencoded);
    }
  }
  if (!key) {
    const unsigned char* p = public_key.data();
    key.reset(d2i_PUBKEY(nullptr, &p, static_cast<long>(public_key.size())));
  }

  // Signatures: verify every one whose algorithm we know; apksigner requires the set of
  // signature algorithms to equal the set of digest algorithms.
  Reader gr(signatures);
  int verified = 0, known = 0;
  std::vector<uint32_t> sig_algos;
  while (!gr.AtEnd()) {
    if (sig_algos.size() >= limits.max_signer_items) return LimitExceeded("too many signatures");
    ByteSpan item, sig;
    uint32_t algo;
    if (!ReadLengthPrefixed(&gr, &item)) return Malformed("signature record length", 0);
    Reader ir(item);
    if (!ir.ReadU32(&algo) || !ReadLengthPrefixed(&ir, &sig))
      return Malformed("signature record", 0);
    sig_algos.push_back(algo);
    s.signature_algorithm_ids.push_back(algo);
    const AlgorithmInfo* alg = FindAlgorithm(algo);
    if (alg == nullptr) continue;  // unknown algorithms are skipped, as apksigner does
    ++known;
    std::string error;
    if (VerifySignature(*alg, key.get(), signed_data, sig, &error)) {
      ++verified;
    } else {
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%04x", algo);
      s.errors.push_back(std::string("signature ") + buf + ": " + error);
    }
  }
  if (known == 0) s.errors.push_back("no signature with a supported algorithm");
  std::vector<uint32_t> digest_algos;
  for (auto& [a, d] : out.digests) digest_algos.push_back(a);
  if (sig_algos != digest_algos)
    s.errors.push_back("signature algorithms differ from digest algorithms");
  if (first_cert && !key_matches_certificate)
    s.errors.push_back("public key does not match the first certificate");
  s.signature_verified = known > 0 && verified == known && s.errors.empty();
  // The lineage is vouched for by the signed data that carries it.
  s.lineage_verified = !s.lineage.empty() && s.lineage_error.empty() && s.signature_verified;
  return out;
}

Result<std::vector<ParsedSigner>> ParseSchemeBlockInternal(ByteSpan value, bool is_v3,
                                                           const Limits& limits) {
  Reader r(value);
  ByteSpan signers;
  if (!ReadLengthPrefixed(&r, &signers)) return Malformed("signer sequence length", 0);
  std::vector<ParsedSigner> out;
  Reader sr(signers);
  while (!sr.AtEnd()) {
    if (out.size() >= limits.max_signers)
      return LimitExceeded("more than " + std::to_string(limits.max_signers) + " signers");
    ByteSpan signer;
    size_t at = sr.offset() + 4;
    if (!ReadLengthPrefixed(&sr, &signer)) return Malformed("signer length", sr.offset() + 4);
    auto p = ParseSigner(signer, is_v3, limits);
    if (!p.ok()) return std::move(p).TakeStatus().ShiftOffset(at);
    out.push_back(std::move(*p));
  }
  if (out.empty()) return InvalidInput("no signers").AtOffset("signing block", 0);
  return out;
}

// Chunked digest (v2 spec "Integrity-protected contents"): each section in 1 MiB chunks,
// H(0xa5 || len32 || chunk); then H(0x5a || count32 || chunk digests). The chunks are independent,
// so up to kMaxDigestThreads threads of the executor hash them: SHA-256 of the whole APK is most of
// `piaudit info` (1.6 GB/s per core with SHA-NI; a 40 MB APK is 25 ms on one core). Each thread
// hands its bytes back to the archive as it goes, so the pages of a big APK never pile up.
class ChunkedDigester {
 public:
  static constexpr size_t kReleaseStep = 256 * 1024;
  ChunkedDigester(const EVP_MD* md, const ZipArchive& zip, Executor& executor)
      : md_(md), zip_(zip), executor_(executor) {}
  void AddSection(ByteSpan s) {
    for (size_t off = 0; off < s.size(); off += kChunkSize)
      chunks_.push_back(*s.Slice(off, std::min<size_t>(kChunkSize, s.size() - off)));
  }
  // The top-level digest, or empty when OpenSSL fails.
  std::vector<uint8_t> Finish() {
    const int md_size = EVP_MD_get_size(md_);
    if (md_size <= 0 || chunks_.size() > UINT32_MAX) return {};
    digest_size_ = static_cast<size_t>(md_size);
    digests_.assign(chunks_.size() * digest_size_, 0);
    std::atomic<bool> ok{true};
    const uint32_t threads = std::min(std::thread::hardware_concurrency(), kMaxDigestThreads);
    RunUnits(executor_, chunks_.size(), threads, [&](size_t i) {
      if (ok && !HashChunk(i)) ok = false;
    });
    if (!ok) return {};
    uint8_t prefix[5] = {0x5a};
    const auto count = static_cast<uint32_t>(chunks_.size());
    for (int i = 0; i < 4; ++i) prefix[1 + i] = static_cast<uint8_t>(count >> (8 * i));
    MdCtxPtr ctx(EVP_MD_CTX_new());
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), md_, nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), prefix, 5) != 1 ||
        EVP_DigestUpdate(ctx.get(), digests_.data(), digests_.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), out, &n) != 1) {
      return {};
    }
    return std::vector<uint8_t>(out, out + n);
  }

 private:
  bool HashChunk(size_t index) {
    MdCtxPtr owned(EVP_MD_CTX_new());
    EVP_MD_CTX* ctx = owned.get();
    if (ctx == nullptr) return false;
    const ByteSpan chunk = chunks_[index];
    uint8_t prefix[5] = {0xa5};
    const auto len = static_cast<uint32_t>(chunk.size());
    for (int i = 0; i < 4; ++i) prefix[1 + i] = static_cast<uint8_t>(len >> (8 * i));
    if (EVP_DigestInit_ex(ctx, md_, nullptr) != 1 || EVP_DigestUpdate(ctx, prefix, 5) != 1)
      return false;
    for (size_t part = 0; part < chunk.size(); part += kReleaseStep) {
      ByteSpan piece = *chunk.Slice(part, std::min(kReleaseStep, chunk.size() - part));
      if (EVP_DigestUpdate(ctx, piece.data(), piece.size()) != 1) return false;
      zip_.ReleaseHint(piece);
    }
    unsigned int n = 0;
    return EVP_DigestFinal_ex(ctx, digests_.data() + index * digest_size_, &n) == 1 &&
           n == digest_size_;
  }

  const EVP_MD* md_;
  const ZipArchive& zip_;
  Executor& executor_;
  std::vector<ByteSpan> chunks_;
  std::vector<uint8_t> digests_;  // chunk i's digest at i * digest_size_
  size_t digest_size_ = 0;
};

// Computes the content digests the signed data must match, once per digest kind.
class ContentDigests {
 public:
  ContentDigests(const ZipArchive& zip, uint64_t block_offset, Executor& executor)
      : zip_(zip), block_(block_offset), executor_(executor) {}
  // Digest for a v2/v3 algorithm, or nullopt when the algorithm's digest is not computed here.
  std::optional<std::vector<uint8_t>> For(const AlgorithmInfo& alg) {
    if (alg.verity) return std::nullopt;
    auto& slot = alg.chunked_sha512 ? sha512_ : sha256_;
    if (!slot) slot = Compute(alg.chunked_sha512 ? EVP_sha512() : EVP_sha256());
    return slot;
  }

 private:
  std::vector<uint8_t> Compute(const EVP_MD* md) {
    ByteSpan file = zip_.bytes();
    ChunkedDigester d(md, zip_, executor_);
    const uint64_t cd = zip_.central_directory_offset();
    const uint64_t eocd = zip_.eocd_offset();
    // Precondition: block_ <= cd <= eocd < file.size() (checked when the archive was opened and
    // the block located).
    std::vector<uint8_t> eocd_copy(file.begin() + eocd, file.end());
    if (eocd_copy.size() >= 20) {
      // Replace the CD offset (or 0xffffffff for zip64 - then the real one is elsewhere, and the
      // digest will simply not match: apksigner does not support zip64 APKs either).
      uint32_t v = static_cast<uint32_t>(block_);
      for (int i = 0; i < 4; ++i) eocd_copy[16 + i] = static_cast<uint8_t>(v >> (8 * i));
    }
    d.AddSection(*file.Slice(0, block_));
    d.AddSection(*file.Slice(cd, eocd - cd));
    d.AddSection(ByteSpan(eocd_copy.data(), eocd_copy.size()));
    return d.Finish();
  }
  const ZipArchive& zip_;
  uint64_t block_;
  Executor& executor_;
  std::optional<std::vector<uint8_t>> sha256_, sha512_;
};

void VerifySchemeBlock(ByteSpan value, bool is_v3, const Limits& limits, ContentDigests* digests,
                       SchemeResult* out) {
  out->present = true;
  auto parsed = ParseSchemeBlockInternal(value, is_v3, limits);
  if (!parsed.ok()) {
    out->errors.push_back(parsed.status().ToString());
    return;
  }
  bool all = true;
  for (ParsedSigner& p : *parsed) {
    Signer& s = p.signer;
    int checked = 0;
    bool digests_ok = true;
    for (auto& [algo, digest] : p.digests) {
      const AlgorithmInfo* alg = FindAlgorithm(algo);
      if (alg == nullptr) continue;
      auto expected = digests->For(*alg);
      if (!expected) continue;  // verity: covered by the companion non-verity digest
      ++checked;
      if (expected->size() != digest.size() ||
          std::memcmp(expected->data(), digest.data(), digest.size()) != 0) {
        digests_ok = false;
        char buf[16];
        std::snprintf(buf, sizeof buf, "0x%04x", algo);
        s.errors.push_back(std::string("content digest ") + buf +
                           " does not match the APK contents");
      }
    }
    if (checked == 0) {
      digests_ok = false;
      s.errors.push_back("no content digest with a supported algorithm");
    }
    s.digests_verified = digests_ok;
    all = all && s.signature_verified && s.digests_verified && s.errors.empty();
    out->signers.push_back(std::move(s));
  }
  out->verified = all && !out->signers.empty();
}

// ---------------- v1 (JAR signing) ----------------

// A manifest/.SF section: its attributes and the raw bytes it spans (including the blank line
// that ends it), which is what per-section digests cover.
// Attributes are views into the manifest bytes, or into JarManifest::joined for values continued
// over several lines: a manifest names every entry of the APK, and a map of strings per section
// was the largest part of `piaudit info`'s heap.
using JarAttrs = std::vector<std::pair<std::string_view, std::string_view>>;

struct JarSection {
  JarAttrs attrs;  // in file order; a repeated key keeps its last value
  ByteSpan raw;
};

struct JarManifest {
  std::vector<JarSection> sections;
  std::deque<std::string> joined;  // values of continued lines (stable addresses)
};

std::optional<std::string_view> FindAttr(const JarAttrs& attrs, std::string_view key) {
  for (const auto& [k, v] : attrs) {
    if (k == key) return v;
  }
  return std::nullopt;
}

// Splits a JAR manifest into sections; handles CRLF/LF/CR and 72-byte continuation lines. At most
// `max_attributes` attributes are kept per section (Limits::max_jar_attributes: the bound keeps the
// duplicate-key search linear in the manifest's size whatever a hostile one holds).
JarManifest ParseJarManifest(ByteSpan bytes, size_t max_sections, size_t max_attributes) {
  JarManifest out;
  std::vector<JarSection>& sections = out.sections;
  size_t pos = 0, start = 0;
  JarSection cur;
  std::string_view* last_value = nullptr;  // the value a continuation line extends
  std::string* last_joined = nullptr;      // its storage in out.joined once continued
  auto flush = [&](size_t end) {
    cur.raw = *bytes.Slice(start, end - start);
    if (!cur.attrs.empty() || sections.empty()) sections.push_back(std::move(cur));
    cur = JarSection();
    start = end;
    last_value = nullptr;
    last_joined = nullptr;
  };
  while (pos < bytes.size() && sections.size() < max_sections) {
    size_t eol = pos;
    while (eol < bytes.size() && bytes[eol] != '\n' && bytes[eol] != '\r') ++eol;
    std::string_view line = bytes.Slice(pos, eol - pos)->AsStringView();
    size_t next = eol;
    if (next < bytes.size() && bytes[next] == '\r') ++next;
    if (next < bytes.size() && bytes[next] == '\n' && (next == eol || bytes[eol] == '\r')) ++next;
    if (next == eol) next = eol + (eol < bytes.size() ? 1 : 0);
    if (line.empty()) {
      flush(next);
    } else if (line[0] == ' ' && last_value != nullptr) {
      // Appended in place: a value continued over many lines costs its length, not its square.
      if (last_joined == nullptr) last_joined = &out.joined.emplace_back(*last_value);
      last_joined->append(line.substr(1));
      *last_value = *last_joined;
    } else {
      size_t colon = line.find(": ");
      if (colon != std::string_view::npos) {
        const std::string_view key = line.substr(0, colon);
        const std::string_view value = line.substr(colon + 2);
        auto it = std::find_if(cur.attrs.begin(), cur.attrs.end(),
                               [&](const auto& kv) { return kv.first == key; });
        if (it != cur.attrs.end()) {
          it->second = value;
          last_value = &it->second;
        } else if (cur.attrs.size() < max_attributes) {
          cur.attrs.emplace_back(key, value);
          last_value = &cur.attrs.back().second;
        } else {
          last_value = nullptr;  // past the bound: ignored, with its continuation lines
        }
        last_joined = nullptr;
      }
    }
    pos = next;
  }
  if (start < bytes.size() || sections.empty()) flush(bytes.size());
  return out;
}

std::optional<std::vector<uint8_t>> Base64Decode(std::string_view s) {
  std::vector<uint8_t> out(s.size() * 3 / 4 + 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(s.data()),
                          static_cast<int>(s.size()));
  if (n < 0) return std::nullopt;
  size_t pad = 0;
  if (!s.empty() && s.back() == '=') ++pad;
  if (s.size() > 1 && s[s.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - std::min<size_t>(pad, static_cast<size_t>(n)));
  return out;
}

// JAR digest attribute names ("SHA-256-Digest", "SHA1-Digest-Manifest", ...) to OpenSSL digests.
const EVP_MD* JarDigest(std::string_view alg) {
  if (alg == "SHA-256") return EVP_sha256();
  if (alg == "SHA1" || alg == "SHA-1") return EVP_sha1();
  if (alg == "SHA-384") return EVP_sha384();
  if (alg == "SHA-512") return EVP_sha512();
  if (alg == "MD5") return EVP_md5();
  return nullptr;
}

// Finds "<ALG><suffix>" attributes and checks them against `data`; returns (checked, matched).
std::pair<int, int> CheckDigestAttrs(const JarAttrs& attrs, std::string_view suffix,
                                     ByteSpan data) {
  int checked = 0, matched = 0;
  for (const auto& [key, value] : attrs) {
    if (key.size() <= suffix.size() || key.substr(key.size() - suffix.size()) != suffix) continue;
    const EVP_MD* md = JarDigest(key.substr(0, key.size() - suffix.size()));
    if (md == nullptr) continue;
    auto expected = Base64Decode(value);
    if (!expected) continue;
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data.data(), data.size(), out, &n, md, nullptr) != 1) continue;
    ++checked;
    if (n == expected->size() && std::memcmp(out, expected->data(), n) == 0) ++matched;
  }
  return {checked, matched};
}

bool EndsWithCaseless(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char a = s[s.size() - suffix.size() + i], b = suffix[i];
    if (std::toupper(static_cast<unsigned char>(a)) != std::toupper(static_cast<unsigned char>(b)))
      return false;
  }
  return true;
}

void VerifyV1(const ZipArchive& zip, const Limits& limits, bool v2_present, bool v3_present,
              bool verify_entries, ApkSignatures* out, Diagnostics* diags) {
  SchemeResult& v1 = out->v1;
  const ZipEntry* manifest_entry = zip.Find("META-INF/MANIFEST.MF");
  std::vector<const ZipEntry*> blocks;
  for (const ZipEntry& e : zip.entries()) {
    std::string_view n = e.name;
    if (n.substr(0, 9) != "META-INF/" || n.find('/', 9) != std::string_view::npos) continue;
    if (EndsWithCaseless(n, ".RSA") || EndsWithCaseless(n, ".DSA") || EndsWithCaseless(n, ".EC"))
      blocks.push_back(&e);
  }
  if (blocks.empty()) return;
  v1.present = true;
  if (manifest_entry == nullptr) {
    v1.errors.push_back("META-INF/MANIFEST.MF missing");
    return;
  }
  auto manifest_data = zip.Read(*manifest_entry, diags);
  if (!manifest_data.ok()) {
    v1.errors.push_back(manifest_data.status().ToString());
    return;
  }
  const ByteSpan manifest = manifest_data->bytes();
  const JarManifest mf = ParseJarManifest(manifest, limits.max_entries, limits.max_jar_attributes);
  std::unordered_map<std::string_view, const JarSection*> by_name;
  by_name.reserve(mf.sections.size());
  for (const auto& s : mf.sections) {
    if (auto name = FindAttr(s.attrs, "Name")) by_name[*name] = &s;
  }

  bool all = true;
  for (const ZipEntry* block_entry : blocks) {
    Signer s;
    std::string base = block_entry->name.substr(0, block_entry->name.rfind('.'));
    const ZipEntry* sf_entry = zip.Find(base + ".SF");
    auto block = zip.Read(*block_entry, diags);
    if (sf_entry == nullptr || !block.ok()) {
      s.errors.push_back(sf_entry == nullptr ? base + ".SF missing" : block.status().ToString());
      all = false;
      v1.signers.push_back(std::move(s));
      continue;
    }
    auto sf = zip.Read(*sf_entry, diags);
    if (!sf.ok()) {
      s.errors.push_back(sf.status().ToString());
      all = false;
      v1.signers.push_back(std::move(s));
      continue;
    }
    const Pkcs7Verification pkcs7 = VerifyDetachedPkcs7(block->bytes(), sf->bytes(), limits);
    if (!pkcs7.is_signed_data) {
      s.errors.push_back(block_entry->name + " is not a PKCS#7 SignedData");
      all = false;
      v1.signers.push_back(std::move(s));
      continue;
    }
    if (pkcs7.signer) s.certificates.push_back(*pkcs7.signer);
    s.signature_verified = pkcs7.verified;
    if (!s.signature_verified) {
      s.errors.push_back(base + ".SF signature does not verify" +
                         (pkcs7.error.empty() ? "" : ": " + pkcs7.error));
    }

    // .SF -> manifest digests.
    const JarManifest sf_manifest =
        ParseJarManifest(sf->bytes(), limits.max_entries, limits.max_jar_attributes);
    const std::vector<JarSection>& sf_sections = sf_manifest.sections;
    bool digests_ok = false;
    if (!sf_sections.empty()) {
      const auto& main = sf_sections[0].attrs;
      auto [checked, matched] = CheckDigestAttrs(main, "-Digest-Manifest", manifest);
      if (checked > 0 && matched == checked) {
        digests_ok = true;
      } else {
        // Fall back to per-section digests (java.util.jar.JarVerifier does the same).
        int sec_checked = 0, sec_ok = 0;
        for (size_t i = 1; i < sf_sections.size(); ++i) {
          const auto name = FindAttr(sf_sections[i].attrs, "Name");
          if (!name) continue;
          auto ms = by_name.find(*name);
          ++sec_checked;
          if (ms == by_name.end()) continue;
          auto [c, m] = CheckDigestAttrs(sf_sections[i].attrs, "-Digest", ms->second->raw);
          if (c > 0 && m == c) ++sec_ok;
        }
        digests_ok = sec_checked > 0 && sec_ok == sec_checked;
      }
      // Stripping protection: the .SF names the newer schemes the APK was signed with; if one is
      // missing now, someone removed it to downgrade verification (apksigner fails v1 then).
      if (const auto signed_with = FindAttr(main, "X-Android-APK-Signed")) {
        const std::string v(*signed_with);
        if ((v.find('2') != std::string::npos && !v2_present) ||
            (v.find('3') != std::string::npos && !v3_present)) {
          s.errors.push_back("X-Android-APK-Signed: " + v +
                             " but that scheme's signature is missing (stripped)");
          digests_ok = false;
        }
      }
    }
    if (!digests_ok && s.errors.empty())
      s.errors.push_back(base + ".SF digests do not match MANIFEST.MF");
    s.digests_verified = digests_ok;
    all = all && s.signature_verified && s.digests_verified && s.errors.empty();
    v1.signers.push_back(std::move(s));
  }

  if (verify_entries && all) {
    // Every entry named in the manifest must exist and hash to its digest; every entry outside
    // META-INF must be named (an unsigned extra file would be loaded unprotected).
    // Entries are read in file order and their pages released behind the reader, as for the
    // v2/v3 digests: hashing every entry must not leave the whole APK resident.
    uint64_t bad = 0;
    std::vector<std::pair<const ZipEntry*, const JarSection*>> in_file_order;
    in_file_order.reserve(by_name.size());
    for (const auto& [name, section] : by_name) {
      const ZipEntry* e = zip.Find(name);
      if (e == nullptr) {
        ++bad;
        continue;
      }
      in_file_order.emplace_back(e, section);
    }
    std::sort(in_file_order.begin(), in_file_order.end(), [](const auto& a, const auto& b) {
      return a.first->local_header_offset < b.first->local_header_offset;
    });
    const uint8_t* release_from = nullptr;
    for (const auto& [e, section] : in_file_order) {
      auto data = zip.Read(*e, diags);
      if (!data.ok()) {
        ++bad;
        continue;
      }
      auto [c, m] = CheckDigestAttrs(section->attrs, "-Digest", data->bytes());
      if (c == 0 || m != c) ++bad;
      if (auto stored = zip.StoredBytes(*e); stored.ok()) {
        if (release_from == nullptr || release_from > stored->data()) release_from = stored->data();
        const uint8_t* end = stored->data() + stored->size();
        if (end > release_from) {
          zip.ReleaseHint(ByteSpan(release_from, static_cast<size_t>(end - release_from)));
          release_from = end;
        }
      }
    }
    for (const ZipEntry& e : zip.entries()) {
      if (e.name.rfind("META-INF/", 0) == 0 || (!e.name.empty() && e.name.back() == '/')) continue;
      if (by_name.find(e.name) == by_name.end()) ++bad;
    }
    out->v1_entries_checked = true;
    if (bad > 0) {
      v1.errors.push_back(std::to_string(bad) +
                          " entries missing from or not matching "
                          "MANIFEST.MF");
      all = false;
    }
  }
  if (diags && !all) {
    diags->Add(Severity::kWarning, "apk.v1_not_verified", zip.name(), "META-INF", 0,
               "v1 (JAR) signature present but not verified");
  }
  v1.verified = all && !v1.signers.empty();
}

}  // namespace

Result<std::vector<SigningBlockPair>> ParseSigningBlock(ByteSpan file, uint64_t cd_offset,
                                                        uint64_t* block_offset) {
  if (cd_offset > file.size()) {
    return InvalidInput("central directory offset past the end of the file")
        .AtOffset("signing block", cd_offset);
  }
  if (cd_offset < kSigningBlockFooter + 8 ||
      std::memcmp(file.data() + cd_offset - 16, kSigningBlockMagic, 16) != 0) {
    return NotFound("no APK Signing Block before the central directory")
        .AtOffset("signing block", cd_offset);
  }
  const uint64_t footer = cd_offset - kSigningBlockFooter;
  const uint64_t size2 = *file.U64At(footer);
  // size excludes its own leading field; the block holds at least the footer.
  if (size2 < kSigningBlockFooter || size2 > cd_offset - 8) {
    return InvalidInput("APK Signing Block size " + std::to_string(size2) +
                        " does not fit before the central directory at " +
                        std::to_string(cd_offset))
        .AtOffset("signing block", footer);
  }
  const uint64_t start = cd_offset - size2 - 8;
  const uint64_t size1 = *file.U64At(start);
  if (size1 != size2) {
    return InvalidInput("APK Signing Block size fields disagree: " + std::to_string(size1) +
                        " vs " + std::to_string(size2))
        .AtOffset("signing block", start);
  }
  if (block_offset) *block_offset = start;
  std::vector<SigningBlockPair> pairs;
  const ByteSpan body = *file.Slice(start + 8, footer - (start + 8));
  Reader r(body);
  while (!r.AtEnd()) {
    const uint64_t at = start + 8 + r.offset();
    uint64_t len;
    uint32_t id;
    if (!r.ReadU64(&len)) {
      return InvalidInput("truncated ID-value pair length").AtOffset("signing block", at);
    }
    if (len < 4 || len > r.remaining()) {
      return InvalidInput("ID-value pair length " + std::to_string(len) +
                          " runs past the signing block")
          .AtOffset("signing block", at);
    }
    r.ReadU32(&id);
    ByteSpan value;
    r.ReadBytes(static_cast<size_t>(len - 4), &value);
    if (pairs.size() >= 4096) {
      return LimitExceeded("more than 4096 ID-value pairs").AtOffset("signing block", at);
    }
    pairs.push_back(SigningBlockPair{id, value, at + 12});
  }
  return pairs;
}

Result<std::vector<Signer>> ParseSchemeBlock(ByteSpan value, bool is_v3, const Limits& limits) {
  ASSIGN_OR_RETURN(auto parsed, ParseSchemeBlockInternal(value, is_v3, limits));
  std::vector<Signer> out;
  for (auto& p : parsed) out.push_back(std::move(p.signer));
  return out;
}

void InitCryptoForVerificationOnly() {
  OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
                          OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ATEXIT,
                      nullptr);
}

Result<ApkSignatures> ReadApkSignatures(const ZipArchive& zip, const Limits& limits,
                                        Diagnostics* diagnostics, bool verify_v1_entries,
                                        Executor* executor) {
  // A caller without an executor (`piaudit info`, a test) gets what this function always did: the
  // v1 thread and up to kMaxDigestThreads - 1 digest helpers, started here and joined before it
  // returns. No process-wide default pool: that would be global mutable state.
  std::optional<ThreadPool> own_pool;
  if (executor == nullptr) {
    executor = &own_pool.emplace(
        std::max(1u, std::min(std::thread::hardware_concurrency(), kMaxDigestThreads)));
  }
  ApkSignatures sigs;
  uint64_t block_offset = 0;
  auto pairs = ParseSigningBlock(zip.bytes(), zip.central_directory_offset(), &block_offset);
  const auto has_block = [&](uint32_t id) {
    return pairs.ok() && std::any_of(pairs->begin(), pairs->end(),
                                     [id](const SigningBlockPair& p) { return p.id == id; });
  };
  // v1 needs only to know which newer schemes are present (stripping protection), so it is
  // verified on its own thread while v2/v3 are: in OpenSSL 3 parsing a certificate or a PKCS#7
  // block costs ~0.1-0.5 ms, about what the content digest of a few MB costs. Its results and
  // diagnostics are moved in afterwards, in the order a sequential run gives.
  ApkSignatures v1_part;
  Diagnostics v1_diagnostics;
  const auto verify_v1 = [&] {
    VerifyV1(zip, limits, has_block(kV2BlockId), has_block(kV3BlockId), verify_v1_entries, &v1_part,
             diagnostics != nullptr ? &v1_diagnostics : nullptr);
  };
  const auto verify_signing_block = [&] {
    if (pairs.ok()) {
      sigs.has_signing_block = true;
      sigs.signing_block_offset = block_offset;
      sigs.signing_block_size = zip.central_directory_offset() - block_offset;
      ContentDigests digests(zip, block_offset, *executor);
      for (const auto& pair : *pairs) {
        sigs.block_ids.push_back(pair.id);
        SchemeResult* target = pair.id == kV2BlockId    ? &sigs.v2
                               : pair.id == kV3BlockId  ? &sigs.v3
                               : pair.id == kV31BlockId ? &sigs.v31
                                                        : nullptr;
        if (target == nullptr) continue;
        if (target->present) {
          target->errors.push_back("scheme block appears twice");
          target->verified = false;
          continue;
        }
        VerifySchemeBlock(pair.value, pair.id != kV2BlockId, limits, &digests, target);
      }
    } else if (pairs.status().code() != StatusCode::kNotFound) {
      if (diagnostics) {
        diagnostics->AddStatus("apk.signing_block_malformed",
                               Status(pairs.status()).InFile(zip.name()));
      }
      sigs.v2.errors.push_back(pairs.status().ToString());
    }
    for (SchemeResult* s : {&sigs.v2, &sigs.v3, &sigs.v31}) {
      if (s->present && !s->verified && diagnostics) {
        std::string why = s->errors.empty() ? "" : s->errors[0];
        for (const auto& sg : s->signers)
          if (why.empty() && !sg.errors.empty()) why = sg.errors[0];
        diagnostics->Add(Severity::kWarning, "apk.signature_not_verified", zip.name(),
                         "signing block", sigs.signing_block_offset,
                         std::string(s == &sigs.v2   ? "v2"
                                     : s == &sigs.v3 ? "v3"
                                                     : "v3.1") +
                             " signature present but not verified: " + why);
      }
    }
  };
  RunBeside(*executor, verify_v1, verify_signing_block);
  sigs.v1 = std::move(v1_part.v1);
  sigs.v1_entries_checked = v1_part.v1_entries_checked;
  if (diagnostics != nullptr) diagnostics->Merge(std::move(v1_diagnostics));
  return sigs;
}

std::vector<DistinctSigner> DistinctSigners(const ApkSignatures& signatures) {
  std::vector<DistinctSigner> out;
  const std::pair<const char*, const SchemeResult*> schemes[] = {{"v1", &signatures.v1},
                                                                 {"v2", &signatures.v2},
                                                                 {"v3", &signatures.v3},
                                                                 {"v3.1", &signatures.v31}};
  for (const auto& [name, result] : schemes) {
    for (const Signer& signer : result->signers) {
      if (signer.certificates.empty()) continue;
      const Certificate& certificate = signer.certificates.front();
      auto same = [&](const DistinctSigner& d) {
        return d.certificate->sha256_hex == certificate.sha256_hex;
      };
      auto found = std::find_if(out.begin(), out.end(), same);
      if (found == out.end()) found = out.insert(out.end(), DistinctSigner{&certificate, {}, true});
      // One scheme may carry the same certificate twice (a hostile block); name the scheme once.
      if (found->schemes.empty() || found->schemes.back() != name) found->schemes.push_back(name);
      found->verified = found->verified && signer.signature_verified && signer.digests_verified;
      if (!signer.lineage.empty() &&
          (found->lineage == nullptr || signer.lineage.size() > found->lineage->size())) {
        found->lineage = &signer.lineage;
        found->lineage_verified = signer.lineage_verified && signer.digests_verified;
      }
    }
  }
  return out;
}

}  // namespace piaudit::container
