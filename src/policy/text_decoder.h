// Turns the raw bytes of a policy into UTF-8 text, detecting the encoding.
//
// Detection order (first that applies wins): a BOM (UTF-8, UTF-16LE/BE); valid UTF-8; UTF-16
// without BOM, recognised by NUL bytes concentrated on odd (LE) or even (BE) positions, as ASCII
// and CJK-with-ASCII text produces; otherwise GB18030 (a superset of GBK and GB2312, the encoding
// of most Chinese pages that are not UTF-8). Conversion goes through ICU ucnv with the substitute
// callback, so invalid sequences become U+FFFD and are counted, never a crash.
//
// The BOM is removed; nothing else is normalised, because every offset piaudit reports counts code
// points of exactly this text.
#ifndef PIAUDIT_POLICY_TEXT_DECODER_H_
#define PIAUDIT_POLICY_TEXT_DECODER_H_

#include <string>
#include <string_view>

#include "base/byte_span.h"
#include "base/status.h"
#include "policy/policy_analysis.h"

namespace piaudit::policy {

struct DecodedText {
  std::string utf8;
  EncodingInfo encoding;
};

// REQUIRES: the caller has bounded raw.size() (Limits::max_policy_bytes).
Result<DecodedText> DecodeText(ByteSpan raw);

// Copies utf8 replacing every invalid sequence (and NUL) with U+FFFD; returns the count replaced.
uint32_t SanitizeUtf8(std::string_view in, std::string* out);

// Number of code points of valid UTF-8 text.
uint32_t CountCodePoints(std::string_view utf8);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_TEXT_DECODER_H_
