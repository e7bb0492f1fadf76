// APKs whose signing key was rotated (APK Signature Scheme v3 proof-of-rotation), built at test
// time with `apksigner rotate` and `apksigner sign --next-signer --lineage`, and a forged variant
// whose lineage does not verify while its v3 signature still does (what someone holding only the
// new key could make: they can sign the APK, not the old key's approval of their key).
#ifndef PIAUDIT_TESTS_SUPPORT_ROTATED_APK_H_
#define PIAUDIT_TESTS_SUPPORT_ROTATED_APK_H_

#include <string>

#include "base/status.h"

namespace piaudit::testing {

// A signing key of its own: PKCS#8 DER key (apksigner), PEM certificate, PEM private key.
struct TestKey {
  std::string pk8;
  std::string cert;
  std::string pem;
};
// A new RSA 2048 key and self-signed certificate with the subject `subject` ("/CN=...").
Result<TestKey> MakeTestKey(const std::string& subject);

// Signs the aligned unsigned APK `unsigned_apk` with v3 only (min SDK 28, so no v1/v2 keep the
// old key in the APK): `new_key` signs, carrying the lineage old_key -> new_key. Returns the path
// of the signed APK (in a new directory, next to lineage.bin).
Result<std::string> SignRotated(const std::string& unsigned_apk, const TestKey& old_key,
                                const TestKey& new_key);

// Copies the signed APK at `apk` with the last byte of the last lineage node's signature flipped,
// and the v3 signed data signed again with `signer` (RSA PKCS#1 SHA-256, as apksigner signs with an
// RSA key): the v3 signature and digests verify, the proof-of-rotation does not. Returns the path.
Result<std::string> ForgeLineageSignature(const std::string& apk, const TestKey& signer);

}  // namespace piaudit::testing

#endif  // PIAUDIT_TESTS_SUPPORT_ROTATED_APK_H_
