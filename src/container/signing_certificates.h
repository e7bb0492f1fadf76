// Certificates and PKCS#7 blocks of APK signatures, over OpenSSL's libcrypto, for
// apk_signature.cc (not a public interface of the container library).
//
// Why not plain d2i_X509 / d2i_PKCS7 / PKCS7_verify: OpenSSL 3.0 decodes the public key of every
// certificate it parses through its provider decoders, 0.1-0.5 ms per certificate, more than the
// rest of `piaudit info` on a small APK, whether or not the key is used. Here certificates and
// PKCS#7 blocks are parsed by the same OpenSSL templates in a library context that has no
// algorithms (the "null" provider), so that decoding finds nothing and is skipped; the key is
// built only where a signature is verified or described: RSA keys (nearly every APK) from their
// modulus and exponent, other keys through the decoders as before.
#ifndef PIAUDIT_CONTAINER_SIGNING_CERTIFICATES_H_
#define PIAUDIT_CONTAINER_SIGNING_CERTIFICATES_H_

#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <string>

#include "base/byte_span.h"
#include "base/limits.h"
#include "base/status.h"
#include "container/apk_signature.h"

namespace piaudit::container {

template <typename T, void (*F)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX, EVP_MD_CTX_free>>;

// Parses one DER certificate (without decoding its key); null when it is not X.509.
X509Ptr ParseCertificate(ByteSpan der);

// The certificate's public key, or null when OpenSSL cannot decode it.
PkeyPtr PublicKeyOf(X509* certificate);

// Describes a parsed certificate; `der` is its encoding as stored, which is what apksigner hashes.
// The description needs the public key; `key`, when given, receives it for the caller to verify
// with, so it is built once.
Certificate DescribeCertificate(X509* certificate, ByteSpan der, PkeyPtr* key = nullptr);
Result<Certificate> DescribeCertificate(ByteSpan der);

// A JAR signature block (*.RSA, *.DSA, *.EC) checked against its .SF file, as
// PKCS7_verify(NOVERIFY | NOCHAIN | BINARY) checks it: every signer's certificate must be in the
// block and its signature over `content` must verify. Certificates are not chain-validated.
// A block with more than limits.max_pkcs7_signers signers or limits.max_pkcs7_certificates
// certificates is not verified.
struct Pkcs7Verification {
  bool is_signed_data = false;  // false: not a PKCS#7 SignedData at all
  bool verified = false;
  std::string error;                  // why it is not verified, when the block says more than no
  std::optional<Certificate> signer;  // the first signer's certificate, when the block names it
};
Pkcs7Verification VerifyDetachedPkcs7(ByteSpan block, ByteSpan content, const Limits& limits);

}  // namespace piaudit::container

#endif  // PIAUDIT_CONTAINER_SIGNING_CERTIFICATES_H_
