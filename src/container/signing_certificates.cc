#include "container/signing_certificates.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/provider.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <string>
#include <vector>

#include "container/digest.h"

namespace piaudit::container {
namespace {

using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using Pkcs7Ptr = std::unique_ptr<PKCS7, OpenSslDeleter<PKCS7, PKCS7_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BIGNUM, BN_free>>;
using ParamBuildPtr =
    std::unique_ptr<OSSL_PARAM_BLD, OpenSslDeleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, OpenSslDeleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
void FreeSequence(ASN1_SEQUENCE_ANY* s) { sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free); }
using SequencePtr =
    std::unique_ptr<ASN1_SEQUENCE_ANY, OpenSslDeleter<ASN1_SEQUENCE_ANY, FreeSequence>>;

// A library context with no algorithms at all: OpenSSL's templates parse certificates there as
// anywhere, and the key decoding they attempt finds no decoder and is skipped (see the header).
// Null if OpenSSL cannot make one; parsing then happens in the default context, keys and all.
OSSL_LIB_CTX* ParseOnlyContext() {
  static OSSL_LIB_CTX* const context = [] {
    OSSL_LIB_CTX* c = OSSL_LIB_CTX_new();
    if (c != nullptr && OSSL_PROVIDER_load(c, "null") == nullptr) {
      OSSL_LIB_CTX_free(c);
      c = nullptr;
    }
    return c;
  }();
  return context;
}

template <typename T>
T* ParseOnly(ByteSpan der, const ASN1_ITEM* item) {
  const unsigned char* p = der.data();
  return reinterpret_cast<T*>(ASN1_item_d2i_ex(nullptr, &p, static_cast<long>(der.size()), item,
                                               ParseOnlyContext(), nullptr));
}

std::string HexLower(const uint8_t* p, size_t n) {
  static const char* k = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    s[2 * i] = k[p[i] >> 4];
    s[2 * i + 1] = k[p[i] & 15];
  }
  return s;
}

std::string DigestHex(const EVP_MD* md, ByteSpan data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out, &n, md, nullptr) != 1) return "";
  return HexLower(out, n);
}

int64_t AsnTimeToUnix(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

std::string NameToString(X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return "";
  // RFC 2253 order and escaping, ", " separators and raw UTF-8, as Java's X500Principal prints
  // (what apksigner shows as "certificate DN").
  unsigned long flags =
      (XN_FLAG_RFC2253 & ~XN_FLAG_SEP_MASK & ~ASN1_STRFLGS_ESC_MSB) | XN_FLAG_SEP_CPLUS_SPC;
  X509_NAME_print_ex(bio.get(), name, 0, flags);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

// An rsaEncryption key from its RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent
// INTEGER }, as OpenSSL's RSA decoder reads it (which ignores the algorithm parameters too).
// Null for any other key, or any other shape: the decoders then decide.
PkeyPtr RsaPublicKey(X509_PUBKEY* spki) {
  ASN1_OBJECT* algorithm = nullptr;
  const unsigned char* bits = nullptr;
  int size = 0;
  if (X509_PUBKEY_get0_param(&algorithm, &bits, &size, nullptr, spki) != 1 ||
      OBJ_obj2nid(algorithm) != NID_rsaEncryption || size <= 0) {
    return nullptr;
  }
  SequencePtr sequence(d2i_ASN1_SEQUENCE_ANY(nullptr, &bits, size));
  if (!sequence || sk_ASN1_TYPE_num(sequence.get()) != 2) return nullptr;
  BignumPtr parts[2];
  for (int i = 0; i < 2; ++i) {
    const ASN1_TYPE* t = sk_ASN1_TYPE_value(sequence.get(), i);
    if (t->type != V_ASN1_INTEGER) return nullptr;  // negative numbers are V_ASN1_NEG_INTEGER
    parts[i].reset(ASN1_INTEGER_to_BN(t->value.integer, nullptr));
    if (!parts[i]) return nullptr;
  }
  ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (!build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, parts[0].get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, parts[1].get()) != 1) {
    return nullptr;
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(build.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return PkeyPtr(key);
}

// PKCS7_verify on `block` parsed in the default context, keys and all.
bool VerifyWithPkcs7Verify(ByteSpan block, ByteSpan content) {
  const unsigned char* p = block.data();
  Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, static_cast<long>(block.size())));
  if (!p7) return false;
  // OpenSSL 3.0's PKCS7_verify copies a memory-BIO content into a temporary BIO that it leaks
  // when PKCS7_dataInit fails on a malformed block (found by fuzz/container/zip_fuzzer). A
  // buffering BIO on top of the memory BIO is read in place, so nothing is copied or leaked.
  BioPtr in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  BioPtr buffered(BIO_new(BIO_f_buffer()));
  if (!in || !buffered) return false;
  BIO_push(buffered.get(), in.get());
  const int ok = PKCS7_verify(p7.get(), nullptr, nullptr, buffered.get(), nullptr,
                              PKCS7_NOVERIFY | PKCS7_NOCHAIN | PKCS7_BINARY);
  BIO_pop(buffered.get());  // each BioPtr frees its own BIO
  return ok == 1;
}

// What PKCS7_verify(NOVERIFY | NOCHAIN | BINARY) answers, worked out on the parse-only block for
// the case every JAR signer produces: detached content, no authenticated attributes, every digest
// algorithm known and the signer's among those announced. nullopt for anything else, which
// PKCS7_verify then decides. `signers` is PKCS7_get0_signers' answer (null: a signer's
// certificate is missing); `first_key`, when set, is the first signer's key, already built.
std::optional<bool> VerifyPlainSignedData(PKCS7* p7, STACK_OF(X509) * signers, PkeyPtr first_key,
                                          ByteSpan content) {
  if (!PKCS7_get_detached(p7)) return std::nullopt;
  STACK_OF(PKCS7_SIGNER_INFO)* infos = PKCS7_get_signer_info(p7);
  const int count = sk_PKCS7_SIGNER_INFO_num(infos);
  if (count <= 0 || signers == nullptr || sk_X509_num(signers) != count) return false;
  // PKCS7_verify digests the content with every algorithm the block announces, and fails on one
  // it does not know.
  std::vector<int> announced;
  STACK_OF(X509_ALGOR)* algorithms = p7->d.sign->md_algs;
  for (int i = 0; i < sk_X509_ALGOR_num(algorithms); ++i) {
    const int nid = OBJ_obj2nid(sk_X509_ALGOR_value(algorithms, i)->algorithm);
    if (EVP_get_digestbynid(nid) == nullptr) return std::nullopt;
    announced.push_back(nid);
  }
  for (int i = 0; i < count; ++i) {
    PKCS7_SIGNER_INFO* info = sk_PKCS7_SIGNER_INFO_value(infos, i);
    if (sk_X509_ATTRIBUTE_num(info->auth_attr) > 0) return std::nullopt;
    const int nid = OBJ_obj2nid(info->digest_alg->algorithm);
    const EVP_MD* md = EVP_get_digestbynid(nid);
    // (PKCS7_verify also accepts a signature algorithm's OID here, for broken signers.)
    if (md == nullptr || std::find(announced.begin(), announced.end(), nid) == announced.end())
      return std::nullopt;
    PkeyPtr key =
        i == 0 && first_key ? std::move(first_key) : PublicKeyOf(sk_X509_value(signers, i));
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key.get()) != 1 ||
        EVP_DigestVerify(ctx.get(), info->enc_digest->data,
                         static_cast<size_t>(info->enc_digest->length), content.data(),
                         content.size()) != 1) {
      return false;
    }
  }
  return true;
}

}  // namespace

X509Ptr ParseCertificate(ByteSpan der) {
  return X509Ptr(ParseOnly<X509>(der, ASN1_ITEM_rptr(X509)));
}

PkeyPtr PublicKeyOf(X509* certificate) {
  ERR_set_mark();  // a certificate parsed without its key reports that as an error
  EVP_PKEY* decoded = X509_get0_pubkey(certificate);
  ERR_pop_to_mark();
  if (decoded != nullptr && EVP_PKEY_up_ref(decoded) == 1) return PkeyPtr(decoded);
  X509_PUBKEY* spki = X509_get_X509_PUBKEY(certificate);
  if (spki == nullptr) return nullptr;
  if (PkeyPtr rsa = RsaPublicKey(spki)) return rsa;
  unsigned char* der = nullptr;
  const int n = i2d_X509_PUBKEY(spki, &der);
  PkeyPtr key;
  if (n > 0) {
    const unsigned char* p = der;
    key.reset(d2i_PUBKEY(nullptr, &p, n));
  }
  OPENSSL_free(der);
  return key;
}

Certificate DescribeCertificate(X509* x, ByteSpan der, PkeyPtr* key_out) {
  Certificate c;
  c.subject = NameToString(X509_get_subject_name(x));
  c.issuer = NameToString(X509_get_issuer_name(x));
  if (const ASN1_INTEGER* serial = X509_get0_serialNumber(x)) {
    BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
    if (bn) {
      char* hex = BN_bn2hex(bn.get());
      if (hex) {
        c.serial_hex = hex;
        OPENSSL_free(hex);
      }
    }
    std::transform(c.serial_hex.begin(), c.serial_hex.end(), c.serial_hex.begin(),
                   [](char ch) { return static_cast<char>(std::tolower(ch)); });
    const size_t nz = c.serial_hex.find_first_not_of('0');
    if (nz == std::string::npos) {
      c.serial_hex.assign(1, '0');
    } else if (c.serial_hex[0] != '-') {
      c.serial_hex.erase(0, nz);
    }
  }
  c.not_before = AsnTimeToUnix(X509_get0_notBefore(x));
  c.not_after = AsnTimeToUnix(X509_get0_notAfter(x));
  c.sha256_hex = DigestHex(EVP_sha256(), der);
  c.sha1_hex = DigestHex(EVP_sha1(), der);
  c.md5_hex = DigestHex(EVP_md5(), der);
  PkeyPtr key = PublicKeyOf(x);
  if (key) {
    int id = EVP_PKEY_get_base_id(key.get());
    c.key_algorithm = id == EVP_PKEY_RSA   ? "RSA"
                      : id == EVP_PKEY_EC  ? "EC"
                      : id == EVP_PKEY_DSA ? "DSA"
                                           : OBJ_nid2sn(id);
    c.key_bits = EVP_PKEY_get_bits(key.get());
  }
  c.signature_algorithm = OBJ_nid2ln(X509_get_signature_nid(x));
  if (key_out != nullptr) *key_out = std::move(key);
  return c;
}

Result<Certificate> DescribeCertificate(ByteSpan der) {
  X509Ptr x = ParseCertificate(der);
  if (!x) return InvalidInput("certificate is not valid DER X.509");
  return DescribeCertificate(x.get(), der);
}

Pkcs7Verification VerifyDetachedPkcs7(ByteSpan block, ByteSpan content, const Limits& limits) {
  Pkcs7Verification out;
  Pkcs7Ptr p7(ParseOnly<PKCS7>(block, ASN1_ITEM_rptr(PKCS7)));
  if (!p7 || !PKCS7_type_is_signed(p7.get())) return out;
  out.is_signed_data = true;
  if (p7->d.sign == nullptr) {  // the content of a ContentInfo is optional
    out.error = "the SignedData is empty";
    return out;
  }
  const int signer_count = sk_PKCS7_SIGNER_INFO_num(PKCS7_get_signer_info(p7.get()));
  const int certificate_count = sk_X509_num(p7->d.sign->cert);
  if ((signer_count > 0 && static_cast<uint32_t>(signer_count) > limits.max_pkcs7_signers) ||
      (certificate_count > 0 &&
       static_cast<uint32_t>(certificate_count) > limits.max_pkcs7_certificates)) {
    out.error = "more than " + std::to_string(limits.max_pkcs7_signers) + " signers or " +
                std::to_string(limits.max_pkcs7_certificates) + " certificates";
    return out;
  }
  // The signer's certificate is the one reported (apksigner prints it, not the whole chain).
  STACK_OF(X509)* signers = PKCS7_get0_signers(p7.get(), nullptr, 0);
  PkeyPtr first_key;
  if (signers != nullptr && sk_X509_num(signers) > 0) {
    X509* x = sk_X509_value(signers, 0);
    unsigned char* der = nullptr;
    const int n = i2d_X509(x, &der);
    if (n > 0)
      out.signer = DescribeCertificate(x, ByteSpan(der, static_cast<size_t>(n)), &first_key);
    OPENSSL_free(der);
  }
  const std::optional<bool> plain =
      VerifyPlainSignedData(p7.get(), signers, std::move(first_key), content);
  sk_X509_free(signers);
  out.verified = plain ? *plain : VerifyWithPkcs7Verify(block, content);
  return out;
}

std::string Sha256Hex(ByteSpan data) { return DigestHex(EVP_sha256(), data); }

}  // namespace piaudit::container
