// APK signatures: the v1 JAR scheme (META-INF/MANIFEST.MF, *.SF, *.RSA/*.DSA/*.EC) and the APK
// Signing Block schemes v2 (0x7109871a), v3 (0xf05368c0) and v3.1 (0x1b93ad61), verified the way
// apksigner verifies them. Specs: source.android.com/docs/security/features/apksigning/{v2,v3}
// and the JAR File Specification; our notes and the traps are in docs/formats/apk-signing.md.
//
// For an auditor the signer certificate identifies the developer (and the SHA-256 of its DER
// encoding is what app stores and MIIT filings quote), so certificates are reported even when a
// signature does not verify; "verified" is reported per scheme and per signer.
#ifndef PIAUDIT_CONTAINER_APK_SIGNATURE_H_
#define PIAUDIT_CONTAINER_APK_SIGNATURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/byte_span.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/status.h"
#include "container/zip_archive.h"

namespace piaudit {
class Executor;  // base/concurrency.h
}  // namespace piaudit

namespace piaudit::container {

struct Certificate {
  std::string subject;     // RFC 2253 DN, as apksigner prints it ("CN=..., OU=..., O=...")
  std::string issuer;      // RFC 2253 DN
  std::string serial_hex;  // lowercase hex, no leading zeros
  int64_t not_before = 0;  // seconds since the Unix epoch (UTC)
  int64_t not_after = 0;
  std::string sha256_hex;     // SHA-256 of the DER certificate, lowercase hex (apksigner's value)
  std::string sha1_hex;       // SHA-1 of the DER certificate
  std::string md5_hex;        // MD5 of the DER certificate (still quoted by some stores)
  std::string key_algorithm;  // "RSA", "EC", "DSA", or OpenSSL's short name
  int key_bits = 0;
  std::string signature_algorithm;  // of the certificate itself, e.g. "sha256WithRSAEncryption"
};

// One proof-of-rotation entry (v3 lineage): a certificate of the app's signing history and what
// it may still do. Each node's signed data (its certificate and the algorithm id) is signed by the
// PREVIOUS node's key, so only the holder of the old key could have named the new one; the first
// node is asserted by nobody but the APK (apksig SigningCertificateLineage).
struct LineageNode {
  Certificate certificate;
  uint32_t flags = 0;  // INSTALLED_DATA=1, SHARED_USER_ID=2, PERMISSION=4, ROLLBACK=8, AUTH=16
  uint32_t signature_algorithm_id = 0;  // algorithm this node's key signs the NEXT node with
  bool signed_by_previous = false;      // verified with the previous node's key (first: false)
};

struct Signer {
  std::vector<Certificate> certificates;          // first is the signer's own certificate
  std::vector<uint32_t> signature_algorithm_ids;  // v2/v3: 0x0103 RSA-PKCS1-SHA256, 0x0201 ECDSA...
  uint32_t min_sdk = 0;                           // v3/v3.1 only
  uint32_t max_sdk = 0;                           // v3/v3.1 only
  bool signature_verified = false;   // signed data (v2/v3) or .SF (v1) signature checked
  bool digests_verified = false;     // content digests (v2/v3) or manifest digests (v1)
  std::vector<LineageNode> lineage;  // v3 proof-of-rotation, oldest first; may be empty
  // The lineage verifies: every node after the first is signed by the previous node's key, no
  // certificate appears twice, the last node is this signer's own certificate, and the signed
  // data carrying the lineage verifies. Otherwise `lineage_error` says why (also in `errors`:
  // apksigner rejects a v3 signer whose proof-of-rotation does not verify).
  bool lineage_verified = false;
  std::string lineage_error;
  std::vector<std::string> errors;  // why this signer did not verify
};

struct SchemeResult {
  bool present = false;
  bool verified = false;  // present, every signer verified, and digests match
  std::vector<Signer> signers;
  std::vector<std::string> errors;  // scheme-level problems (block malformed, no signers, ...)
};

struct ApkSignatures {
  SchemeResult v1;
  SchemeResult v2;
  SchemeResult v3;
  SchemeResult v31;
  bool has_signing_block = false;
  uint64_t signing_block_offset = 0;  // first byte of the block (its leading size field)
  uint64_t signing_block_size = 0;    // whole block including both size fields and the magic
  // IDs of every ID-value pair in the signing block, in order (padding 0x42726577, source stamp
  // 0x6dff800d, channel blocks such as Walle's 0x71777777, ...): evidence of channel tagging.
  std::vector<uint32_t> block_ids;
  // v1: true when every entry's digest in MANIFEST.MF was checked against the entry bytes.
  bool v1_entries_checked = false;
};

// One signing certificate as the APK presents it across its schemes: the schemes that carry it
// ("v1", "v2", "v3", "v3.1", in that order) and whether every signer using it verified. An APK
// signed by one key under v1+v2+v3 has one; a v3 key rotation or a multi-signer APK has more.
struct DistinctSigner {
  const Certificate* certificate = nullptr;  // points into the ApkSignatures it came from
  std::vector<std::string> schemes;
  bool verified = true;
  // The longest proof-of-rotation a v3/v3.1 signer with this certificate carries (null: none),
  // and whether it verifies (Signer::lineage_verified, and that signer's digests match).
  const std::vector<LineageNode>* lineage = nullptr;
  bool lineage_verified = false;
};
// In order of first appearance (v1 first); signers without a certificate are skipped.
std::vector<DistinctSigner> DistinctSigners(const ApkSignatures& signatures);

// Reads and verifies every signature scheme of `zip`. Fails only when the archive itself cannot be
// read; a malformed or non-verifying signature is reported in the SchemeResult (and diagnostics),
// since an auditor still wants the rest of the facts. `verify_v1_entries` additionally hashes every
// entry named in MANIFEST.MF (costly on big APKs: inflates everything, under the Limits budgets).
// v1 is verified beside v2/v3 and the content digests are hashed in parallel on `executor` (not
// owned); nullptr starts a small pool for the call (as many threads as cores, at most 8).
Result<ApkSignatures> ReadApkSignatures(const ZipArchive& zip, const Limits& limits,
                                        Diagnostics* diagnostics, bool verify_v1_entries = false,
                                        Executor* executor = nullptr);

// Initialises OpenSSL for a short process whose only cryptography is signature verification: no
// system configuration file, no error-string tables, no legacy name table of every cipher, and no
// clean-up at exit (the process is about to end). That start-up is about 1 ms of a 4 ms `piaudit
// info`; verification fetches its algorithms from the default provider all the same. Call before
// any other OpenSSL use, and never in a process that makes TLS connections: the system's TLS
// settings (minimum version, security level) live in the configuration file this skips, and OpenSSL
// reads it once per process.
void InitCryptoForVerificationOnly();

// One ID-value pair of the APK Signing Block.
struct SigningBlockPair {
  uint32_t id = 0;
  ByteSpan value;
  uint64_t offset = 0;  // of the value, in the file
};

// Locates and parses the APK Signing Block that ends at `cd_offset` in `file`: checks the magic
// "APK Sig Block 42", that both size fields agree and lie inside the file, and that every pair
// lies inside the block. NotFound when there is no block (magic absent).
Result<std::vector<SigningBlockPair>> ParseSigningBlock(ByteSpan file, uint64_t cd_offset,
                                                        uint64_t* block_offset = nullptr);

// Parses (does not verify digests of the zip sections) a v2/v3 scheme block value, reporting
// signers with their certificates and whether their signed-data signature verifies. Exposed for
// the fuzzer; ReadApkSignatures is the normal entry point.
Result<std::vector<Signer>> ParseSchemeBlock(ByteSpan value, bool is_v3, const Limits& limits);

}  // namespace piaudit::container

#endif  // PIAUDIT_CONTAINER_APK_SIGNATURE_H_
