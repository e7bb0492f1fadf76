// Tests of the certificate and PKCS#7 layer under the v1/v2/v3 verifiers: blocks made at test time
// by `openssl smime -sign` with RSA, EC and DSA keys, with and without signed attributes, one or
// two signers, detached or not, intact and tampered. Each answer must equal OpenSSL's own
// PKCS7_verify on a block parsed the ordinary way (the reference the fast path stands in for).
#include "container/signing_certificates.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>

#include <string>
#include <vector>

#include "support/apk_fixture.h"

namespace piaudit::container {
namespace {

using piaudit::testing::ReadFile;
using piaudit::testing::RunCommand;
using piaudit::testing::ShellQuote;
using piaudit::testing::WriteFile;

struct Key {
  std::string name;  // "RSA", "EC", "DSA"
  int bits = 0;
  std::string key_pem, cert_pem, cert_der;
};

// A key and self-signed certificate of each kind, made once.
const std::vector<Key>& Keys() {
  static const std::vector<Key>* keys = [] {
    auto* out = new std::vector<Key>();
    const std::string dir = piaudit::testing::MakeTempDir("pkcs7-keys");
    const std::vector<std::pair<Key, std::string>> specs = {
        {{"RSA", 2048}, "-newkey rsa:2048"},
        {{"EC", 256}, "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1"},
        {{"DSA", 2048}, "-newkey dsa:" + dir + "/dsa.params"},
    };
    RunCommand("openssl dsaparam -out " + ShellQuote(dir + "/dsa.params") + " 2048 2>&1");
    for (auto [key, newkey] : specs) {
      key.key_pem = dir + "/" + key.name + ".key";
      key.cert_pem = dir + "/" + key.name + ".pem";
      const std::string der = dir + "/" + key.name + ".der";
      auto r = RunCommand("openssl req -x509 " + newkey + " -nodes -days 30 -subj " +
                          ShellQuote("/CN=pkcs7 " + key.name + "/O=piaudit") + " -keyout " +
                          ShellQuote(key.key_pem) + " -out " + ShellQuote(key.cert_pem) +
                          " 2>&1 && openssl x509 -in " + ShellQuote(key.cert_pem) +
                          " -outform DER -out " + ShellQuote(der));
      auto bytes = ReadFile(der);
      if (r.exit_code != 0 || !bytes.ok()) {
        ADD_FAILURE() << key.name << " key: " << r.out;
        continue;
      }
      key.cert_der = *bytes;
      out->push_back(key);
    }
    return out;
  }();
  return *keys;
}

// `openssl smime -sign` over `content` (binary, SHA-256) by `signers`, DER.
std::string Sign(const std::string& content, const std::vector<const Key*>& signers,
                 const std::string& flags) {
  const std::string dir = piaudit::testing::MakeTempDir("pkcs7-sign");
  if (!WriteFile(dir + "/content", content).ok()) return "";
  std::string cmd = "openssl smime -sign -binary -md sha256 -outform DER " + flags + " -in " +
                    ShellQuote(dir + "/content") + " -out " + ShellQuote(dir + "/block");
  for (const Key* k : signers)
    cmd += " -signer " + ShellQuote(k->cert_pem) + " -inkey " + ShellQuote(k->key_pem);
  auto r = RunCommand(cmd + " 2>&1");
  auto block = ReadFile(dir + "/block");
  if (r.exit_code != 0 || !block.ok()) {
    ADD_FAILURE() << "openssl smime failed: " << r.out;
    return "";
  }
  return *block;
}

// PKCS7_verify on a block parsed the ordinary way: the answer the fast path must give.
bool ReferenceVerify(const std::string& block, const std::string& content) {
  const auto* p = reinterpret_cast<const unsigned char*>(block.data());
  PKCS7* p7 = d2i_PKCS7(nullptr, &p, static_cast<long>(block.size()));
  if (p7 == nullptr) return false;
  BIO* in = BIO_new_mem_buf(content.data(), static_cast<int>(content.size()));
  BIO* buffered = BIO_push(BIO_new(BIO_f_buffer()), in);
  const int ok =
      PKCS7_verify(p7, nullptr, nullptr, buffered, nullptr, PKCS7_NOVERIFY | PKCS7_BINARY);
  BIO_free_all(buffered);
  PKCS7_free(p7);
  return ok == 1;
}

ByteSpan Span(const std::string& s) { return ByteSpan(s); }

constexpr char kContent[] =
    "Signature-Version: 1.0\r\nCreated-By: 1.0 (Android)\r\n"
    "SHA-256-Digest-Manifest: rL5n75BuydwXdiNn3g3GtIfUcqXaz/fDLxJnAJ0Ot8s=\r\n\r\n";

TEST(SigningCertificatesTest, CertificatesOfEveryKeyKindAreDescribed) {
  ASSERT_EQ(Keys().size(), 3u);
  for (const Key& k : Keys()) {
    auto c = DescribeCertificate(Span(k.cert_der));
    ASSERT_TRUE(c.ok()) << k.name << ": " << c.status().ToString();
    EXPECT_EQ(c->key_algorithm, k.name);
    EXPECT_EQ(c->key_bits, k.bits) << k.name;
    EXPECT_EQ(c->subject, "O=piaudit, CN=pkcs7 " + k.name);
    auto digest = RunCommand("openssl x509 -in " + ShellQuote(k.cert_pem) +
                             " -outform DER | openssl dgst -sha256 -r");
    EXPECT_EQ(c->sha256_hex, digest.out.substr(0, 64)) << k.name;
  }
}

// The key built without OpenSSL's decoders is the key the decoders build.
TEST(SigningCertificatesTest, PublicKeyEqualsTheDecodedKey) {
  for (const Key& k : Keys()) {
    X509Ptr parsed = ParseCertificate(Span(k.cert_der));
    ASSERT_TRUE(parsed) << k.name;
    PkeyPtr key = PublicKeyOf(parsed.get());
    ASSERT_TRUE(key) << k.name;
    const auto* p = reinterpret_cast<const unsigned char*>(k.cert_der.data());
    X509Ptr reference(d2i_X509(nullptr, &p, static_cast<long>(k.cert_der.size())));
    ASSERT_TRUE(reference);
    EXPECT_EQ(EVP_PKEY_eq(key.get(), X509_get0_pubkey(reference.get())), 1) << k.name;
  }
}

TEST(SigningCertificatesTest, Pkcs7AnswersAsPkcs7VerifyDoes) {
  ASSERT_EQ(Keys().size(), 3u);
  const std::string content = kContent;
  std::string tampered = content;
  tampered[30] ^= 0x01;
  struct Case {
    std::string what;
    std::vector<const Key*> signers;
    std::string flags;
  };
  std::vector<Case> cases;
  for (const Key& k : Keys()) {
    cases.push_back({k.name + " no attributes", {&k}, "-noattr"});
    cases.push_back({k.name + " signed attributes", {&k}, ""});
    cases.push_back({k.name + " not detached", {&k}, "-noattr -nodetach"});
  }
  cases.push_back({"two signers", {&Keys()[0], &Keys()[1]}, "-noattr"});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string block = Sign(content, c.signers, c.flags);
    ASSERT_FALSE(block.empty());
    const bool detached = c.flags.find("nodetach") == std::string::npos;
    const Pkcs7Verification good = VerifyDetachedPkcs7(Span(block), Span(content), Limits{});
    EXPECT_TRUE(good.is_signed_data);
    EXPECT_EQ(good.verified, ReferenceVerify(block, content));
    if (detached) {
      EXPECT_TRUE(good.verified);
    }
    ASSERT_TRUE(good.signer.has_value());
    // The first signer info's certificate (signer infos are a DER SET, sorted by encoding).
    bool named = false;
    for (const Key* k : c.signers) named = named || good.signer->key_algorithm == k->name;
    EXPECT_TRUE(named) << good.signer->key_algorithm;

    const Pkcs7Verification changed = VerifyDetachedPkcs7(Span(block), Span(tampered), Limits{});
    EXPECT_EQ(changed.verified, ReferenceVerify(block, tampered));
    if (detached) {
      EXPECT_FALSE(changed.verified);
    }

    // The last bytes of a block without attributes or certificates after it are the signature.
    std::string forged = block;
    forged[forged.size() - 3] ^= 0x20;
    const Pkcs7Verification bad = VerifyDetachedPkcs7(Span(forged), Span(content), Limits{});
    EXPECT_EQ(bad.verified, ReferenceVerify(forged, content));
    if (detached) {
      EXPECT_FALSE(bad.verified);
    }
  }
}

// A ContentInfo that says signedData and carries nothing, and blocks over the signer bound.
TEST(SigningCertificatesTest, EmptyOrOversizedSignedDataIsNotVerified) {
  const std::string content = kContent;
  const std::string empty("\x30\x0b\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 13);
  const Pkcs7Verification e = VerifyDetachedPkcs7(Span(empty), Span(content), Limits{});
  EXPECT_TRUE(e.is_signed_data);
  EXPECT_FALSE(e.verified);
  EXPECT_FALSE(e.error.empty());

  ASSERT_FALSE(Keys().empty());
  std::vector<const Key*> many(Limits{}.max_pkcs7_signers + 1, &Keys()[0]);
  const std::string block = Sign(content, many, "-noattr");
  ASSERT_FALSE(block.empty());
  const Pkcs7Verification v = VerifyDetachedPkcs7(Span(block), Span(content), Limits{});
  EXPECT_TRUE(v.is_signed_data);
  EXPECT_FALSE(v.verified);
  EXPECT_NE(v.error.find("signers"), std::string::npos) << v.error;
  EXPECT_TRUE(ReferenceVerify(block, content));  // OpenSSL alone would check all 65
}

TEST(SigningCertificatesTest, NotSignedDataIsSaidSo) {
  const std::string content = kContent;
  for (const std::string& junk :
       {std::string(), std::string("\x30\x03\x02\x01\x01", 5), Keys()[0].cert_der}) {
    const Pkcs7Verification v = VerifyDetachedPkcs7(Span(junk), Span(content), Limits{});
    EXPECT_FALSE(v.is_signed_data);
    EXPECT_FALSE(v.verified);
  }
}

}  // namespace
}  // namespace piaudit::container
