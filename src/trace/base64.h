// Base64 as recorders write it: the standard and the URL-safe alphabets, padding optional.
// Hand-written because OpenSSL's EVP_DecodeBlock takes only the standard alphabet, demands
// padding and pads its output with zero bytes; the whole decoder is a table and a loop.
#ifndef PIAUDIT_TRACE_BASE64_H_
#define PIAUDIT_TRACE_BASE64_H_

#include <string>
#include <string_view>

namespace piaudit::trace {

// Appends the decoded bytes of `text` to `out`. False (out unspecified) when `text` holds a
// character outside both alphabets, padding before the end, or a length no encoder produces.
bool DecodeBase64(std::string_view text, std::string* out);

}  // namespace piaudit::trace

#endif  // PIAUDIT_TRACE_BASE64_H_
