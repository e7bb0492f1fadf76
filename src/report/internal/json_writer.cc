// Streaming JSON writer; see json_writer.h for the output format it reproduces.
#include "report/internal/json_writer.h"

#include <array>
#include <cassert>
#include <nlohmann/json.hpp>

#include "base/utf8.h"

namespace piaudit::report::internal {

namespace {

constexpr char kReplacementCharacter[] = "\xEF\xBF\xBD";  // U+FFFD
constexpr size_t kIndentStep = 2;

// Bytes that are copied as they are: printable ASCII except the quote and the backslash. A table,
// because strings are almost all such bytes and this test runs once per byte of the report.
constexpr std::array<bool, 256> kPlainAscii = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

void AppendEscapedControl(std::string* out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '\b':
      out->append("\\b");
      return;
    case '\t':
      out->append("\\t");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\f':
      out->append("\\f");
      return;
    case '\r':
      out->append("\\r");
      return;
    default: {
      const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out->append(escaped, sizeof escaped);
    }
  }
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(s.data());
  const size_t size = s.size();
  out->push_back('"');
  size_t copied_up_to = 0;  // bytes before this index are already in *out
  size_t i = 0;
  while (i < size) {
    const unsigned char c = bytes[i];
    if (kPlainAscii[c]) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t invalid_length = 0;
      if (size_t length = WellFormedUtf8Length(
              std::string_view(reinterpret_cast<const char*>(bytes), size), i, &invalid_length)) {
        i += length;
        continue;
      }
      out->append(s.data() + copied_up_to, i - copied_up_to);
      out->append(kReplacementCharacter);
      i += invalid_length;
      copied_up_to = i;
      continue;
    }
    out->append(s.data() + copied_up_to, i - copied_up_to);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else {
      AppendEscapedControl(out, c);
    }
    copied_up_to = ++i;
  }
  out->append(s.data() + copied_up_to, size - copied_up_to);
  out->push_back('"');
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_->push_back('{');
  open_.emplace_back().is_object = true;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  assert(!open_.empty() && open_.back().is_object && !after_key_);
  Close('}');
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_->push_back('[');
  open_.emplace_back().is_object = false;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  assert(!open_.empty() && !open_.back().is_object);
  Close(']');
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  assert(!open_.empty() && open_.back().is_object && !after_key_);
  // nlohmann's std::map printed keys in byte order (and kept one value per key).
  assert(open_.back().empty || open_.back().last_key < key);
  open_.back().last_key = key;
  NewMember();
  AppendJsonString(out_, key);
  out_->append(": ");
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendJsonString(out_, s);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool b) {
  BeforeValue();
  out_->append(b ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_->append("null");
  return *this;
}

JsonWriter& JsonWriter::Double(double d) {
  BeforeValue();
  // nlohmann prints doubles with Grisu2, which is not always the shortest round-trip form that
  // std::to_chars gives (about 0.1% of random doubles differ in the last digit), so the one
  // double of a report (app_type.confidence) is formatted by nlohmann itself to stay identical.
  out_->append(nlohmann::json(d).dump());
  return *this;
}

JsonWriter& JsonWriter::StringArray(std::span<const std::string> values) {
  BeginArray();
  for (const std::string& v : values) String(v);
  return EndArray();
}

void JsonWriter::EndDocument() {
  assert(open_.empty());
  out_->push_back('\n');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  assert(open_.empty() || !open_.back().is_object);  // an object's value needs a Key() first
  if (!open_.empty()) NewMember();
}

void JsonWriter::NewMember() {
  Container& c = open_.back();
  if (c.empty) {
    out_->push_back('\n');
    c.empty = false;
  } else {
    out_->append(",\n");
  }
  out_->append(open_.size() * kIndentStep, ' ');
}

void JsonWriter::Close(char bracket) {
  const bool empty = open_.back().empty;
  open_.pop_back();
  if (!empty) {
    out_->push_back('\n');
    out_->append(open_.size() * kIndentStep, ' ');
  }
  out_->push_back(bracket);
}

}  // namespace piaudit::report::internal
