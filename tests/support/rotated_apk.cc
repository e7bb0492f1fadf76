#include "support/rotated_apk.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>

#include "support/apk_fixture.h"

namespace piaudit::testing {
namespace {

constexpr uint32_t kV3BlockId = 0xf05368c0;
constexpr uint32_t kProofOfRotationAttrId = 0x3ba06f8c;
constexpr uint32_t kRsaPkcs1Sha256 = 0x0103;

// A slice of the file: offset and size.
struct Span {
  size_t offset = 0;
  size_t size = 0;
  size_t end() const { return offset + size; }
};

std::optional<uint64_t> Le(const std::string& s, size_t at, int bytes) {
  if (at > s.size() || s.size() - at < static_cast<size_t>(bytes)) return std::nullopt;
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

// The uint32-length-prefixed slice at *at (which must end within `limit`); advances *at past it.
std::optional<Span> Prefixed(const std::string& s, size_t* at, size_t limit) {
  const auto len = Le(s, *at, 4);
  if (!len || *at + 4 + *len > limit) return std::nullopt;
  Span out{*at + 4, static_cast<size_t>(*len)};
  *at = out.end();
  return out;
}

Status Broken(const std::string& what) {
  return InternalError("forging the lineage: " + what + " (not an apksigner v3 layout?)");
}

// RSA PKCS#1 v1.5 SHA-256 signature of `data` with the PEM private key at `pem_path`.
Result<std::string> SignRsaSha256(const std::string& pem_path, const std::string& data) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(pem_path.c_str(), "r"), std::fclose);
  if (!f) return InternalError("cannot open " + pem_path);
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(
      PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t n = 0;
  if (!key || !ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    return InternalError("OpenSSL cannot sign with " + pem_path);
  }
  std::string sig(n, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &n,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return InternalError("OpenSSL signing failed");
  }
  sig.resize(n);
  return sig;
}

}  // namespace

Result<TestKey> MakeTestKey(const std::string& subject) {
  const std::string dir = MakeTempDir("key");
  TestKey k{dir + "/key.pk8", dir + "/cert.pem", dir + "/key.pem"};
  CommandResult r =
      RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj " +
                 ShellQuote(subject) + " -keyout " + ShellQuote(k.pem) + " -out " +
                 ShellQuote(k.cert) + " 2>&1 && openssl pkcs8 -topk8 -nocrypt -outform DER -in " +
                 ShellQuote(k.pem) + " -out " + ShellQuote(k.pk8) + " 2>&1");
  if (r.exit_code != 0) return InternalError("openssl key generation failed: " + r.out);
  return k;
}

Result<std::string> SignRotated(const std::string& unsigned_apk, const TestKey& old_key,
                                const TestKey& new_key) {
  const std::string dir = MakeTempDir("rotated");
  const std::string lineage = dir + "/lineage.bin", out = dir + "/rotated.apk";
  CommandResult r = RunCommand(
      "apksigner rotate --out " + ShellQuote(lineage) + " --old-signer --key " +
      ShellQuote(old_key.pk8) + " --cert " + ShellQuote(old_key.cert) + " --new-signer --key " +
      ShellQuote(new_key.pk8) + " --cert " + ShellQuote(new_key.cert) +
      " 2>&1 && apksigner sign --min-sdk-version 28 --v1-signing-enabled false "
      "--v2-signing-enabled false --v3-signing-enabled true --key " +
      ShellQuote(old_key.pk8) + " --cert " + ShellQuote(old_key.cert) + " --next-signer --key " +
      ShellQuote(new_key.pk8) + " --cert " + ShellQuote(new_key.cert) + " --lineage " +
      ShellQuote(lineage) + " --out " + ShellQuote(out) + " " + ShellQuote(unsigned_apk) + " 2>&1");
  if (r.exit_code != 0) return InternalError("apksigner rotate/sign failed: " + r.out);
  return out;
}

Result<std::string> ForgeLineageSignature(const std::string& apk, const TestKey& signer) {
  ASSIGN_OR_RETURN(std::string s, ReadFile(apk));
  // End of central directory (no comment: apksigner writes none), then the signing block.
  if (s.size() < 22 || s.compare(s.size() - 22, 4, "PK\x05\x06") != 0)
    return Broken("no end of central directory at the end");
  const size_t cd = static_cast<size_t>(*Le(s, s.size() - 22 + 16, 4));
  if (cd < 32 || cd > s.size() || s.compare(cd - 16, 16, "APK Sig Block 42") != 0)
    return Broken("no signing block");
  const uint64_t block_size = *Le(s, cd - 24, 8);
  if (block_size + 8 > cd) return Broken("signing block size");
  size_t at = cd - static_cast<size_t>(block_size) - 8 + 8;
  std::optional<Span> v3;
  while (at + 12 <= cd - 24) {
    const uint64_t len = *Le(s, at, 8);
    if (len < 4 || at + 8 + len > cd - 24) return Broken("ID-value pair length");
    if (*Le(s, at + 8, 4) == kV3BlockId) v3 = Span{at + 12, static_cast<size_t>(len - 4)};
    at += 8 + static_cast<size_t>(len);
  }
  if (!v3) return Broken("no v3 block");
  at = v3->offset;
  auto signers = Prefixed(s, &at, v3->end());
  if (!signers) return Broken("signers");
  at = signers->offset;
  auto first = Prefixed(s, &at, signers->end());
  if (!first) return Broken("signer");
  at = first->offset;
  auto signed_data = Prefixed(s, &at, first->end());
  at += 8;  // min and max SDK
  auto signatures = Prefixed(s, &at, first->end());
  if (!signed_data || !signatures) return Broken("signed data");

  // The signed data's attributes: the proof-of-rotation, its last node's signature.
  at = signed_data->offset;
  auto digests = Prefixed(s, &at, signed_data->end());
  auto certificates = Prefixed(s, &at, signed_data->end());
  at += 8;  // min and max SDK
  auto attributes = Prefixed(s, &at, signed_data->end());
  if (!digests || !certificates || !attributes) return Broken("signed data fields");
  std::optional<Span> last_node;
  at = attributes->offset;
  while (at < attributes->end()) {
    auto item = Prefixed(s, &at, attributes->end());
    if (!item || item->size < 8) return Broken("attribute");
    if (*Le(s, item->offset, 4) != kProofOfRotationAttrId) continue;
    size_t node_at = item->offset + 8;  // id, version
    while (node_at < item->end()) {
      last_node = Prefixed(s, &node_at, item->end());
      if (!last_node) return Broken("lineage node");
    }
  }
  if (!last_node) return Broken("no proof-of-rotation");
  at = last_node->offset;
  auto node_signed_data = Prefixed(s, &at, last_node->end());
  at += 8;  // flags, signature algorithm
  auto node_signature = Prefixed(s, &at, last_node->end());
  if (!node_signed_data || !node_signature || node_signature->size == 0)
    return Broken("lineage node fields");
  s[node_signature->end() - 1] = static_cast<char>(s[node_signature->end() - 1] ^ 0x01);

  // The signed data changed: sign it again, in place (an RSA signature keeps its length).
  ASSIGN_OR_RETURN(const std::string sig,
                   SignRsaSha256(signer.pem, s.substr(signed_data->offset, signed_data->size)));
  at = signatures->offset;
  int replaced = 0;
  while (at < signatures->end()) {
    auto record = Prefixed(s, &at, signatures->end());
    if (!record) return Broken("signature record");
    size_t in = record->offset + 4;
    auto value = Prefixed(s, &in, record->end());
    if (!value || *Le(s, record->offset, 4) != kRsaPkcs1Sha256 || value->size != sig.size())
      return Broken("a signature other than RSA PKCS#1 SHA-256 of the key's length");
    s.replace(value->offset, value->size, sig);
    ++replaced;
  }
  if (replaced == 0) return Broken("no signature");
  const std::string out = MakeTempDir("forged") + "/forged.apk";
  RETURN_IF_ERROR(WriteFile(out, s));
  return out;
}

}  // namespace piaudit::testing
