// SHA-256 of bytes as lowercase hex: the one identity every layer names files and records by
// (an APK's sha256, an uploaded file's name in the service, an audit entry's hash).
#ifndef PIAUDIT_CONTAINER_DIGEST_H_
#define PIAUDIT_CONTAINER_DIGEST_H_

#include <string>
#include <string_view>

#include "base/byte_span.h"

namespace piaudit::container {

// "" only if OpenSSL fails (it does not for in-memory bytes).
std::string Sha256Hex(ByteSpan data);
inline std::string Sha256Hex(std::string_view text) { return Sha256Hex(ByteSpan(text)); }

}  // namespace piaudit::container

#endif  // PIAUDIT_CONTAINER_DIGEST_H_
