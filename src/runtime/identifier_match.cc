#include "runtime/identifier_match.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <set>
#include <tuple>

namespace piaudit::runtime {
namespace {

enum class Encoding : uint8_t { kRaw, kUrl, kBase64, kHex, kMd5, kSha1, kSha256 };

std::string_view EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kRaw:
      return "raw";
    case Encoding::kUrl:
      return "url";
    case Encoding::kBase64:
      return "base64";
    case Encoding::kHex:
      return "hex";
    case Encoding::kMd5:
      return "md5";
    case Encoding::kSha1:
      return "sha1";
    case Encoding::kSha256:
      return "sha256";
  }
  return "raw";
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}
std::string ToUpper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Upper);
  return out;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::string Digest(const EVP_MD* md, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &size, md, nullptr) != 1) return {};
  return Hex(std::string_view(reinterpret_cast<const char*>(out), size));
}

// RFC 3986 unreserved characters stay; everything else becomes %XX.
std::string PercentEncode(std::string_view s) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 15]);
    }
  }
  return out;
}

std::string Base64(std::string_view bytes, bool url_safe) {
  const char* alphabet = url_safe
                             ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(alphabet[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(acc << (6 - bits)) & 63]);
  return out;
}

// The base64 characters that depend only on `value` when it starts `shift` bytes into a group of
// three: whatever the surrounding bytes, a blob carrying the value contains this substring.
std::string Base64Inner(std::string_view value, int shift, bool url_safe) {
  std::string shifted(static_cast<size_t>(shift), '\0');
  shifted.append(value);
  std::string encoded = Base64(shifted, url_safe);
  size_t first = (8 * static_cast<size_t>(shift) + 5) / 6;
  size_t end = 8 * shifted.size() / 6;
  if (end <= first) return {};
  return encoded.substr(first, end - first);
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return Lower(c) - 'a' + 10;
}

// Why a declared value is not searched for, or empty when it is.
std::string_view PlaceholderReason(std::string_view value) {
  std::string bare;
  for (char c : value) {
    if (c != ':' && c != '-' && c != ' ' && c != '.') bare.push_back(Lower(c));
  }
  if (bare.size() < 6) return "shorter than 6 characters: would match noise";
  if (std::all_of(bare.begin(), bare.end(), [&](char c) { return c == bare[0]; })) {
    return "one repeated character: a placeholder";
  }
  // Values devices report when the real one is withheld: Android's MAC since 6.0, the Android 2.2
  // emulator ANDROID_ID, words and counting sequences that SDKs and ROMs put in.
  static constexpr std::string_view kPlaceholders[] = {
      "020000000000", "9774d56d682e549c", "unknown",         "null",       "none",
      "undefined",    "0123456789abcdef", "123456789abcdef", "0123456789", "123456789012345"};
  for (std::string_view p : kPlaceholders) {
    if (bare == p) return "a placeholder devices report instead of the real value";
  }
  return {};
}

struct Pattern {
  std::string bytes;  // folded to lower case when case_insensitive
  bool case_insensitive = true;
  bool number_start = false;  // must not follow a digit (a decimal prefix of a coordinate)
  std::string_view kind;
  Encoding encoding = Encoding::kRaw;
  uint32_t value_index = 0;
};

}  // namespace

// Aho-Corasick over ASCII-folded bytes, with a dense transition table on byte classes (only the
// bytes patterns use get their own class), so the scan is one table lookup per byte.
struct IdentifierSet::Automaton {
  std::vector<Pattern> patterns;
  std::array<uint8_t, 256> byte_class{};
  uint32_t classes = 1;
  std::vector<uint32_t> next;          // state * classes + class
  std::vector<uint32_t> output_begin;  // per state, into outputs (size states + 1)
  std::vector<uint32_t> outputs;       // pattern ids

  void Build() {
    // Classes of the folded bytes.
    std::array<bool, 256> used{};
    for (const Pattern& p : patterns) {
      for (unsigned char c : p.bytes) used[c] = true;
    }
    byte_class.fill(0);
    for (int c = 0; c < 256; ++c) {
      if (used[c]) byte_class[c] = static_cast<uint8_t>(classes++);
    }
    for (int c = 'A'; c <= 'Z'; ++c) byte_class[c] = byte_class[c + 32];

    // Trie.
    std::vector<std::vector<uint32_t>> own_outputs(1);
    next.assign(classes, 0);
    auto child = [&](uint32_t s, uint32_t c) -> uint32_t& { return next[s * classes + c]; };
    std::vector<std::vector<bool>> is_child(1, std::vector<bool>(classes, false));
    for (uint32_t id = 0; id < patterns.size(); ++id) {
      uint32_t s = 0;
      for (unsigned char ch : patterns[id].bytes) {
        uint32_t c = byte_class[ch];
        if (!is_child[s][c]) {
          uint32_t fresh = static_cast<uint32_t>(own_outputs.size());
          own_outputs.emplace_back();
          is_child.emplace_back(classes, false);
          next.resize(next.size() + classes, 0);
          child(s, c) = fresh;
          is_child[s][c] = true;
        }
        s = child(s, c);
      }
      own_outputs[s].push_back(id);
    }
    // Failure links by breadth-first order turn the trie into a full transition table.
    uint32_t states = static_cast<uint32_t>(own_outputs.size());
    std::vector<uint32_t> fail(states, 0);
    std::vector<std::vector<uint32_t>> all_outputs = own_outputs;
    std::deque<uint32_t> queue;
    for (uint32_t c = 0; c < classes; ++c) {
      if (is_child[0][c]) queue.push_back(child(0, c));
    }
    while (!queue.empty()) {
      uint32_t s = queue.front();
      queue.pop_front();
      const std::vector<uint32_t>& inherited = all_outputs[fail[s]];
      all_outputs[s].insert(all_outputs[s].end(), inherited.begin(), inherited.end());
      for (uint32_t c = 0; c < classes; ++c) {
        if (is_child[s][c]) {
          uint32_t t = child(s, c);
          fail[t] = s == 0 ? 0 : child(fail[s], c);
          queue.push_back(t);
        } else {
          child(s, c) = s == 0 ? 0 : child(fail[s], c);
        }
      }
    }
    output_begin.assign(states + 1, 0);
    for (uint32_t s = 0; s < states; ++s) {
      output_begin[s + 1] = output_begin[s] + static_cast<uint32_t>(all_outputs[s].size());
      outputs.insert(outputs.end(), all_outputs[s].begin(), all_outputs[s].end());
    }
  }

  template <typename OnMatch>
  void Scan(std::string_view text, OnMatch&& on_match) const {
    if (patterns.empty()) return;
    uint32_t s = 0;
    const uint32_t* table = next.data();
    const uint32_t* begin = output_begin.data();
    for (size_t i = 0; i < text.size(); ++i) {
      s = table[s * classes + byte_class[static_cast<unsigned char>(text[i])]];
      if (begin[s] == begin[s + 1]) continue;
      for (uint32_t k = begin[s]; k < begin[s + 1]; ++k) {
        const Pattern& p = patterns[outputs[k]];
        size_t start = i + 1 - p.bytes.size();
        if (!p.case_insensitive && text.compare(start, p.bytes.size(), p.bytes) != 0) continue;
        if (p.number_start && start > 0) {
          char before = text[start - 1];
          if ((before >= '0' && before <= '9') || before == '.') continue;
        }
        on_match(p, start);
      }
    }
  }
};

IdentifierSet::IdentifierSet(const trace::Identifiers& ids) : automaton_(new Automaton) {
  std::set<std::tuple<std::string, bool, std::string_view, Encoding>> seen;
  auto add = [&](std::string bytes, bool case_insensitive, std::string_view kind, Encoding encoding,
                 uint32_t value_index, bool number_start = false) {
    if (bytes.size() < 6) return;
    if (case_insensitive) bytes = ToLower(bytes);
    if (!seen.emplace(bytes, case_insensitive, kind, encoding).second) return;
    automaton_->patterns.push_back(
        {std::move(bytes), case_insensitive, number_start, kind, encoding, value_index});
  };
  // `text_forms` are searched raw, percent-encoded, base64 and hex; `digest_forms` hashed too.
  auto add_value = [&](std::string_view kind, std::string value,
                       const std::vector<std::string>& text_forms,
                       const std::vector<std::string>& digest_forms) {
    uint32_t index = static_cast<uint32_t>(values_.size());
    values_.push_back(std::move(value));
    for (const std::string& form : text_forms) {
      add(form, true, kind, Encoding::kRaw, index);
      std::string url = PercentEncode(form);
      if (url != form) add(url, true, kind, Encoding::kUrl, index);
      for (bool url_safe : {false, true}) {
        for (int shift = 0; shift < 3; ++shift) {
          add(Base64Inner(form, shift, url_safe), false, kind, Encoding::kBase64, index);
        }
      }
      add(Hex(form), true, kind, Encoding::kHex, index);
    }
    for (const std::string& form : digest_forms) {
      add(Digest(EVP_md5(), form), true, kind, Encoding::kMd5, index);
      add(Digest(EVP_sha1(), form), true, kind, Encoding::kSha1, index);
      add(Digest(EVP_sha256(), form), true, kind, Encoding::kSha256, index);
    }
  };
  auto usable = [&](std::string_view kind, const std::string& value) {
    if (value.empty()) return false;
    std::string_view why = PlaceholderReason(value);
    if (why.empty()) return true;
    skipped_.push_back({kind, value, why});
    return false;
  };
  // Hex-like and alphanumeric values: SDKs upper- or lower-case them before hashing.
  auto add_cased = [&](std::string_view kind, const std::string& value) {
    if (!usable(kind, value)) return;
    std::vector<std::string> forms = {value};
    for (std::string cased : {ToLower(value), ToUpper(value)}) {
      if (std::find(forms.begin(), forms.end(), cased) == forms.end()) forms.push_back(cased);
    }
    add_value(kind, value, forms, forms);
  };

  for (const std::string& imei : ids.imei) add_cased("imei", imei);
  add_cased("android_id", ids.android_id);
  add_cased("oaid", ids.oaid);
  add_cased("imsi", ids.imsi);
  add_cased("iccid", ids.iccid);
  add_cased("serial", ids.serial);

  if (usable("mac", ids.mac)) {
    std::string digits;
    for (char c : ids.mac) {
      if (IsHexDigit(c)) digits.push_back(Lower(c));
    }
    std::vector<std::string> forms;
    if (digits.size() == 12) {
      for (char separator : {':', '-', '\0'}) {
        std::string form;
        for (size_t i = 0; i < 12; i += 2) {
          if (i && separator) form.push_back(separator);
          form.append(digits, i, 2);
        }
        forms.push_back(form);
        forms.push_back(ToUpper(form));
      }
    } else {
      forms = {ids.mac, ToLower(ids.mac), ToUpper(ids.mac)};
    }
    add_value("mac", ids.mac, forms, forms);
  }

  if (usable("phone_number", ids.phone_number)) {
    std::string national;
    for (char c : ids.phone_number) {
      if (c >= '0' && c <= '9') national.push_back(c);
    }
    // Mainland numbers are 11 digits starting with 1; "+86"/"86" in front is the same number.
    if (national.size() == 13 && national.starts_with("861")) national.erase(0, 2);
    // The national digits are inside every prefixed text form; digests differ for each.
    add_value("phone_number", ids.phone_number, {national},
              {national, "+86" + national, "86" + national});
  }

  // Coordinates: the decimal text with at least 3 decimals (about 100 m), and at least 6
  // characters, as a prefix of whatever precision the app sends. Both truncation and rounding to
  // the last decimal kept are searched, because apps do either.
  for (std::optional<double> coordinate : {ids.lat, ids.lon}) {
    if (!coordinate || !std::isfinite(*coordinate) || std::fabs(*coordinate) > 180) continue;
    // Truncated on the text, not with floating point: 39.9 * 1000 is 39899.999...
    char precise[64];
    std::snprintf(precise, sizeof precise, "%.9f", *coordinate);
    std::string_view digits(precise);
    size_t point = digits.find('.');
    size_t decimals = std::max<size_t>(3, point + 1 < 6 ? 6 - point - 1 : 0);
    std::vector<std::string> forms = {std::string(digits.substr(0, point + 1 + decimals))};
    char rounded[64];
    std::snprintf(rounded, sizeof rounded, "%.*f", static_cast<int>(decimals), *coordinate);
    if (forms[0] != rounded) forms.push_back(rounded);
    if (std::all_of(forms[0].begin(), forms[0].end(),
                    [](char c) { return c == '0' || c == '.' || c == '-'; })) {
      skipped_.push_back({"location", forms[0], "0,0 is the placeholder of no fix"});
      continue;
    }
    for (const std::string& form : forms) {
      uint32_t index = static_cast<uint32_t>(values_.size());
      values_.push_back(form);
      add(form, true, "location", Encoding::kRaw, index, /*number_start=*/true);
      for (bool url_safe : {false, true}) {
        for (int shift = 0; shift < 3; ++shift) {
          add(Base64Inner(form, shift, url_safe), false, "location", Encoding::kBase64, index);
        }
      }
      add(Hex(form), true, "location", Encoding::kHex, index);
    }
  }
  automaton_->Build();
}

IdentifierSet::~IdentifierSet() = default;
IdentifierSet::IdentifierSet(IdentifierSet&&) noexcept = default;
IdentifierSet& IdentifierSet::operator=(IdentifierSet&&) noexcept = default;

bool IdentifierSet::empty() const { return automaton_->patterns.empty(); }
size_t IdentifierSet::pattern_count() const { return automaton_->patterns.size(); }

std::vector<IdentifierMatch> IdentifierSet::FindIdentifiers(std::string_view haystack,
                                                            std::string_view where) const {
  std::vector<IdentifierMatch> matches;
  automaton_->Scan(haystack, [&](const Pattern& p, size_t offset) {
    matches.push_back({p.kind, EncodingName(p.encoding), std::string(where), offset, false,
                       values_[p.value_index]});
  });
  // Overlapping forms of one value (upper and lower case fold alike; standard and URL-safe base64
  // agree without '+' and '/') are reported once.
  std::sort(matches.begin(), matches.end(), [](const IdentifierMatch& a, const IdentifierMatch& b) {
    return std::tie(a.offset, a.kind, a.encoding) < std::tie(b.offset, b.kind, b.encoding);
  });
  matches.erase(std::unique(matches.begin(), matches.end(),
                            [](const IdentifierMatch& a, const IdentifierMatch& b) {
                              return a.offset == b.offset && a.kind == b.kind &&
                                     a.encoding == b.encoding;
                            }),
                matches.end());
  return matches;
}

namespace {

// Decoded text and, for each of its bytes, the offset in the original text it came from.
struct Decoded {
  std::string text;
  std::vector<uint32_t> origin;

  void Push(char c, size_t from) {
    text.push_back(c);
    origin.push_back(static_cast<uint32_t>(from));
  }
};

// %XX decoded ('+' stays: it is a space only in forms, and a base64 character everywhere).
// `origin_of` maps the input's offsets to the original text's.
template <typename OriginOf>
bool PercentDecode(std::string_view in, OriginOf origin_of, Decoded* out) {
  bool changed = false;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && IsHexDigit(in[i + 1]) && IsHexDigit(in[i + 2])) {
      out->Push(static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])), origin_of(i));
      i += 2;
      changed = true;
    } else {
      out->Push(in[i], origin_of(i));
    }
  }
  return changed;
}

// JSON string escapes that hide identifiers: "\/" (org.json writes every '/' so, breaking base64)
// and \u00XX. Other escapes stay as written.
bool JsonUnescape(std::string_view in, Decoded* out) {
  bool changed = false;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\\' && i + 1 < in.size()) {
      char e = in[i + 1];
      if (e == '/' || e == '"' || e == '\\') {
        out->Push(e, i);
        ++i;
        changed = true;
        continue;
      }
      if (e == 'u' && i + 5 < in.size() && in[i + 2] == '0' && in[i + 3] == '0' &&
          IsHexDigit(in[i + 4]) && IsHexDigit(in[i + 5])) {
        out->Push(static_cast<char>(HexValue(in[i + 4]) * 16 + HexValue(in[i + 5])), i);
        i += 5;
        changed = true;
        continue;
      }
    }
    out->Push(in[i], i);
  }
  return changed;
}

bool LooksLikeJson(std::string_view body) {
  size_t i = body.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (body[i] == '{' || body[i] == '[');
}

}  // namespace

std::vector<IdentifierMatch> IdentifierSet::FindInNetworkEvent(const trace::Event& event) const {
  std::vector<IdentifierMatch> found;
  if (empty()) return found;
  // Searches `text` and its decoded form; `where_of(offset)` names the part a match is in.
  auto search = [&](std::string_view text, bool json, auto&& where_of) {
    size_t first = found.size();
    for (IdentifierMatch& m : FindIdentifiers(text, "")) {
      m.where = where_of(m.offset);
      found.push_back(std::move(m));
    }
    // Offsets past 4 GiB cannot be mapped back; bodies are far smaller (max_body_bytes).
    if (text.size() > UINT32_MAX) return;
    Decoded unescaped, decoded;
    bool changed = json && JsonUnescape(text, &unescaped);
    if (changed) {
      changed |= PercentDecode(
          unescaped.text, [&](size_t i) { return unescaped.origin[i]; }, &decoded);
    } else {
      changed = PercentDecode(
          text, [](size_t i) { return i; }, &decoded);
    }
    if (!changed) return;
    size_t raw_end = found.size();
    for (IdentifierMatch& m : FindIdentifiers(decoded.text, "")) {
      m.offset = decoded.origin[m.offset];
      m.where = where_of(m.offset);
      m.after_decoding = true;
      bool seen = false;
      for (size_t k = first; k < raw_end && !seen; ++k) {
        const IdentifierMatch& raw = found[k];
        seen = raw.kind == m.kind && raw.where == m.where &&
               (raw.encoding == m.encoding || (m.encoding == "raw" && raw.encoding == "url"));
      }
      if (!seen) found.push_back(std::move(m));
    }
  };

  size_t query = event.url.find('?');
  search(event.url, false, [&](uint64_t offset) -> std::string {
    return query != std::string_view::npos && offset > query ? "query" : "url";
  });
  for (const trace::Header& header : event.headers) {
    std::string where = "header:" + std::string(header.name);
    search(header.value, false, [&](uint64_t) { return where; });
  }
  search(event.body, LooksLikeJson(event.body), [](uint64_t) -> std::string { return "body"; });
  return found;
}

}  // namespace piaudit::runtime
