// The evidence record: AppEvidence as versioned JSON ("piaudit.evidence/1"), written after a scan
// and read back later, so a batch store keeps the evidence and `piaudit judge evidence.json` can
// run the rules again (new rules, a new knowledge base) without the APK.
//
// The contract, field by field, is docs/schemas/evidence.md. In short:
//   {"schema": "piaudit.evidence/1", "tool_version": ..., "kb_version": ..., "generated_at": ...,
//    "evidence": {every field of AppEvidence, keys = field names, in declaration order}}
// Enums are written by name (the *Name functions of evidence.h), optionals as null, pairs as
// two-element arrays, doubles in the shortest form that reads back to the same bits.
//
// Lossless except for two things JSON cannot carry: invalid UTF-8 in a string (APK text is
// untrusted) is written as U+FFFD, and a non-finite double is written as null (read back as NaN).
// So ReadEvidenceJson(WriteEvidenceJson(e)) == e for every e with valid UTF-8 and finite doubles,
// and WriteEvidenceJson(ReadEvidenceJson(WriteEvidenceJson(e))) == WriteEvidenceJson(e) always.
//
// The reader treats its input as hostile (a record may come from anywhere): it never throws,
// never recurses on input depth, and bounds nesting, container sizes and the number of values
// (Limits::max_evidence_json_*); the caller bounds the text size. Errors name the file and either
// the byte offset (syntax) or the JSON path (content):
//   evidence.json+0x1a2: json: syntax error while parsing object key - ...
//   evidence.json: evidence.sensitive_calls[3].before_consent: unknown value "maybe" (allowed: ...)
#ifndef PIAUDIT_EVIDENCE_EVIDENCE_JSON_H_
#define PIAUDIT_EVIDENCE_EVIDENCE_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/limits.h"
#include "base/status.h"
#include "evidence/evidence.h"

namespace piaudit::evidence {

// The schema id this code writes and the only one it reads. The number is the major version: a
// field added keeps /1 (old readers ignore it); a field removed or whose meaning changes makes /2.
inline constexpr std::string_view kEvidenceSchemaId = "piaudit.evidence/1";

// Provenance printed in the record's header, given by the caller (the writer reads no clock, so
// the same evidence and info give the same bytes).
struct EvidenceRecordInfo {
  std::string tool_version;  // piaudit version that wrote the record, e.g. "0.1.0"
  std::string kb_version;    // knowledge-base version the evidence was gathered with
  std::string generated_at;  // RFC 3339 timestamp, e.g. "2024-05-01T12:00:00Z" (not interpreted)

  bool operator==(const EvidenceRecordInfo&) const = default;
};

// The record as pretty JSON (2-space indent, fields in a fixed order, "schema" first, a final
// newline). Never fails: invalid UTF-8 is replaced (see above).
std::string WriteEvidenceJson(const AppEvidence& e, const EvidenceRecordInfo& info);

// Reads a record written by WriteEvidenceJson (any tool version writing kEvidenceSchemaId).
// `file_name` only labels errors. On success fills *info_out when it is not null.
//   kInvalidInput   syntax error (with byte offset), not an evidence record, a field missing, of
//                   the wrong type or out of range, an unknown enum name, a duplicate key
//   kTruncated      the text ends inside the JSON document (offset = its length)
//   kUnsupported    another major version ("piaudit.evidence/2")
//   kLimitExceeded  nesting, one container or the total number of values over `limits`
//                   (max_evidence_json_depth, _elements, _values)
// Unknown fields are ignored (forward compatible within /1); every field of /1 is required.
// REQUIRES: the caller has bounded text.size() (e.g. by the batch store's or command's limit).
Result<AppEvidence> ReadEvidenceJson(std::string_view text, std::string_view file_name,
                                     const Limits& limits, EvidenceRecordInfo* info_out);

}  // namespace piaudit::evidence

#endif  // PIAUDIT_EVIDENCE_EVIDENCE_JSON_H_
