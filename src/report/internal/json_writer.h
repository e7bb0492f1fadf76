// A streaming JSON writer for the report files: values go straight into a std::string, with no
// document tree in between (building an nlohmann::json tree of a large SARIF log cost more than
// the rest of the rendering together: one std::map node and string copy per field).
//
// The output is byte-for-byte what nlohmann::json::dump(2, ' ', false, error_handler_t::replace)
// printed before, so reports stay identical across the change:
//   - two-space indentation, `"key": value`, empty objects and arrays as `{}` and `[]`;
//   - strings escaped like nlohmann (\" \\ \b \f \n \r \t, other C0 controls as \u00xx, DEL and
//     non-ASCII copied), invalid UTF-8 replaced by U+FFFD, one per maximal invalid subsequence;
//   - integers in decimal, doubles in nlohmann's Grisu2 form ("0.0", "0.85", "1e+20").
// nlohmann's default object is a std::map, so it printed keys in byte order: callers write keys
// in that order themselves (debug builds assert it).
//
// Usage:
//   std::string out;
//   JsonWriter w(&out);
//   w.BeginObject();
//   w.Key("id").String(item.id);
//   w.Key("findings").BeginArray();
//   ...
//   w.EndArray();
//   w.EndObject();
//   w.EndDocument();  // the final newline
#ifndef PIAUDIT_REPORT_INTERNAL_JSON_WRITER_H_
#define PIAUDIT_REPORT_INTERNAL_JSON_WRITER_H_

#include <charconv>
#include <concepts>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace piaudit::report::internal {

// Appends `s` as a JSON string literal (with the quotes), escaped as described above.
void AppendJsonString(std::string* out, std::string_view s);

// The integer types Number() takes: a bool is written with Bool().
template <typename T>
concept JsonInteger = std::integral<T> && !std::same_as<T, bool>;

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();

  // Names the next value of the current object. Keys must come in strictly increasing byte order.
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Bool(bool b);
  JsonWriter& Null();
  JsonWriter& Double(double d);
  template <JsonInteger Integer>
  JsonWriter& Number(Integer n) {
    BeforeValue();
    char buf[24];
    out_->append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
    return *this;
  }
  // An array of strings, the most common array in the reports.
  JsonWriter& StringArray(std::span<const std::string> values);

  // Ends the document: a newline after the root value.
  void EndDocument();

 private:
  struct Container {
    bool is_object = false;
    bool empty = true;
    std::string_view last_key;  // for the key-order check
  };

  // Writes what comes before a value: the separator and indentation inside an array, nothing
  // after a key.
  void BeforeValue();
  // The separator, newline and indentation before the next array element or object key.
  void NewMember();
  void Close(char bracket);

  std::string* out_;
  std::vector<Container> open_;
  bool after_key_ = false;
};

}  // namespace piaudit::report::internal

#endif  // PIAUDIT_REPORT_INTERNAL_JSON_WRITER_H_
