// Grammar checks for knowledge-file identifiers. Deliberately strict: the data is written by
// hand, and a typo in a descriptor (a missing ';', '.' instead of '/') would make a rule silently
// never fire, which is worse than a load error.
#include "knowledge/syntax.h"

namespace piaudit::knowledge {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

// Simple names inside class descriptors: dex allows more (any non-reserved code point) but the
// knowledge files only name Java/Kotlin classes; '-' appears in some generated names.
bool IsSimpleNameChar(char c) { return IsIdentChar(c) || c == '-'; }

// Consumes one type descriptor at text[*pos]; false when malformed.
bool ConsumeType(std::string_view text, size_t* pos, bool void_ok) {
  size_t p = *pos;
  int dims = 0;
  while (p < text.size() && text[p] == '[') {
    ++p;
    if (++dims > 255) return false;  // dex limit on array dimensions
  }
  if (p >= text.size()) return false;
  const char c = text[p];
  if (c == 'V') {
    if (!void_ok || dims > 0) return false;
    *pos = p + 1;
    return true;
  }
  if (c == 'Z' || c == 'B' || c == 'S' || c == 'C' || c == 'I' || c == 'J' || c == 'F' ||
      c == 'D') {
    *pos = p + 1;
    return true;
  }
  if (c != 'L') return false;
  ++p;
  size_t seg_len = 0;
  while (p < text.size() && text[p] != ';') {
    if (text[p] == '/') {
      if (seg_len == 0) return false;
      seg_len = 0;
    } else if (IsSimpleNameChar(text[p])) {
      ++seg_len;
    } else {
      return false;
    }
    ++p;
  }
  if (p >= text.size() || seg_len == 0) return false;
  *pos = p + 1;
  return true;
}

}  // namespace

bool IsValidTypeDescriptor(std::string_view text, bool void_ok) {
  size_t pos = 0;
  return ConsumeType(text, &pos, void_ok) && pos == text.size();
}

bool ParseJvmReference(std::string_view text, JvmReference* out, std::string* why) {
  auto fail = [why](const char* msg) {
    if (why) *why = msg;
    return false;
  };
  if (text.empty() || text[0] != 'L') return fail("must start with 'L' (class descriptor)");
  const size_t arrow = text.find(";->");
  if (arrow == std::string_view::npos) return fail("missing ';->' after the class descriptor");
  const std::string_view cls = text.substr(0, arrow + 1);
  if (cls.find('.') != std::string_view::npos) {
    return fail("class descriptor uses '.'; write packages with '/' (Landroid/os/Build;)");
  }
  if (!IsValidTypeDescriptor(cls, false)) return fail("malformed class descriptor");
  const std::string_view rest = text.substr(arrow + 3);
  size_t p = 0;
  if (rest.substr(0, 6) == "<init>") {
    p = 6;
  } else if (rest.substr(0, 8) == "<clinit>") {
    p = 8;
  } else {
    if (rest.empty() || !IsIdentStart(rest[0])) return fail("member name must be an identifier");
    while (p < rest.size() && IsIdentChar(rest[p])) ++p;
  }
  const std::string_view name = rest.substr(0, p);
  if (p >= rest.size()) return fail("missing '(' (method) or ':' (field) after the member name");
  if (rest[p] == ':') {
    const std::string_view type = rest.substr(p + 1);
    if (!IsValidTypeDescriptor(type, false)) return fail("malformed field type");
    if (out) *out = JvmReference{cls, name, type, true};
    return true;
  }
  if (rest[p] != '(') return fail("unexpected character after the member name");
  size_t q = p + 1;
  while (q < rest.size() && rest[q] != ')') {
    if (!ConsumeType(rest, &q, false)) return fail("malformed parameter type");
  }
  if (q >= rest.size()) return fail("missing ')'");
  ++q;
  if (!ConsumeType(rest, &q, true) || q != rest.size()) return fail("malformed return type");
  if (out) *out = JvmReference{cls, name, rest.substr(p), false};
  return true;
}

bool IsValidPackagePrefix(std::string_view text, std::string* why) {
  auto fail = [why](const char* msg) {
    if (why) *why = msg;
    return false;
  };
  int segments = 0;
  size_t i = 0;
  while (true) {
    if (i >= text.size() || !IsIdentStart(text[i])) {
      return fail("each dot-separated part must start with a letter, '_' or '$'");
    }
    while (i < text.size() && IsIdentChar(text[i])) ++i;
    ++segments;
    if (i == text.size()) break;
    if (text[i] != '.') return fail("only letters, digits, '_', '$' and '.' are allowed");
    ++i;
  }
  if (segments < 2) return fail("a prefix needs at least two parts (com.vendor)");
  return true;
}

bool IsValidHostPattern(std::string_view text, std::string* why) {
  auto fail = [why](const char* msg) {
    if (why) *why = msg;
    return false;
  };
  std::string_view h = text;
  if (h.substr(0, 2) == "*.") h.remove_prefix(2);
  int labels = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < h.size() &&
           ((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= '0' && h[i] <= '9') || h[i] == '-')) {
      ++i;
    }
    if (i == start) return fail("empty label or a character outside [a-z0-9-]");
    ++labels;
    if (i == h.size()) break;
    if (h[i] != '.') return fail("a character outside [a-z0-9.-] (write hosts in lower case)");
    ++i;
  }
  if (labels < 2) return fail("a host needs at least two labels");
  return true;
}

bool IsValidFilePattern(std::string_view text, std::string* why) {
  auto fail = [why](const char* msg) {
    if (why) *why = msg;
    return false;
  };
  if (text.empty()) return fail("empty pattern");
  int stars = 0;
  for (char c : text) {
    if (c == '*') ++stars;
    if (c == '/' || c == '\\') return fail("a file name, not a path");
    if (static_cast<unsigned char>(c) < 0x20 || c == ' ') return fail("control character or space");
  }
  if (stars > 1) return fail("at most one '*'");
  if (text == "*") return fail("'*' alone matches every file");
  return true;
}

bool MatchFilePattern(std::string_view pattern, std::string_view name) {
  const size_t star = pattern.find('*');
  if (star == std::string_view::npos) return pattern == name;
  const std::string_view pre = pattern.substr(0, star);
  const std::string_view post = pattern.substr(star + 1);
  return name.size() >= pre.size() + post.size() && name.substr(0, pre.size()) == pre &&
         name.substr(name.size() - post.size()) == post;
}

std::string ToDotClassName(std::string_view name) {
  if (name.size() >= 2 && name.front() == 'L' && name.back() == ';') {
    name = name.substr(1, name.size() - 2);
  }
  std::string out(name);
  for (char& c : out) {
    if (c == '/') c = '.';
  }
  return out;
}

}  // namespace piaudit::knowledge
