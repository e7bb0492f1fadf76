// libFuzzer target for the certificates and PKCS#7 blocks of JAR (v1) signatures: the input is
// parsed as a signature block over a fixed .SF text (parse, signer lookup, verification or its
// fallback to PKCS7_verify) and as a DER certificate (description, public key).
#include <cstddef>
#include <cstdint>

#include "container/signing_certificates.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;
  static const char kSignatureFile[] =
      "Signature-Version: 1.0\r\nCreated-By: 1.0 (Android)\r\n\r\n";
  const ByteSpan input(data, size);
  (void)container::VerifyDetachedPkcs7(
      input, ByteSpan(reinterpret_cast<const uint8_t*>(kSignatureFile), sizeof kSignatureFile - 1),
      Limits{});
  (void)container::DescribeCertificate(input);
  return 0;
}
