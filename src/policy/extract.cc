// Hand-written scanners (no regex engine): each is a single pass with bounded look-around, so the
// 50 MB hostile input costs linear time. See extract.h.
#include "policy/extract.h"

#include <algorithm>

#include "policy/segmenter.h"

namespace piaudit::policy {
namespace {

int CnDigit(char32_t c) {
  switch (c) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
      return 1;
    case U'二':
    case U'两':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}
int CnUnit(char32_t c) {
  switch (c) {
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    default:
      return 0;
  }
}
int Digit(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= U'０' && c <= U'９') return static_cast<int>(c - U'０');
  return -1;
}
bool IsNumChar(char32_t c) { return Digit(c) >= 0 || CnDigit(c) >= 0 || CnUnit(c) > 0; }
bool IsAsciiAlnum(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool StartsWith(std::u32string_view s, size_t at, std::u32string_view p) {
  return s.size() - at >= p.size() && s.substr(at, p.size()) == p;
}

}  // namespace

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2FFFF) || (c >= 0xF900 && c <= 0xFAFF);
}

bool ParseNumber(std::u32string_view s, uint32_t* value) {
  if (s.empty() || s.size() > 12) return false;
  bool all_digits = true;
  for (char32_t c : s) all_digits &= Digit(c) >= 0;
  if (all_digits) {
    uint64_t v = 0;
    for (char32_t c : s) v = v * 10 + Digit(c);
    if (v > 1'000'000) return false;
    *value = static_cast<uint32_t>(v);
    return true;
  }
  uint64_t total = 0, cur = 0;
  bool any = false;
  for (char32_t c : s) {
    int d = CnDigit(c);
    int u = CnUnit(c);
    if (d >= 0) {
      cur = static_cast<uint64_t>(d);
      any = true;
    } else if (u > 0) {
      if (!any && cur == 0) cur = 1;  // 十五 = 15
      total += cur * u;
      cur = 0;
      any = true;
    } else {
      return false;
    }
  }
  total += cur;
  if (!any || total > 1'000'000) return false;
  *value = static_cast<uint32_t>(total);
  return true;
}

std::vector<RawTimeLimit> FindTimeQuantities(std::u32string_view s) {
  std::vector<RawTimeLimit> out;
  size_t i = 0;
  while (i < s.size()) {
    if (!IsNumChar(s[i])) {
      ++i;
      continue;
    }
    size_t b = i;
    while (i < s.size() && IsNumChar(s[i]) && i - b < 12) ++i;
    size_t e = i;
    // A digit run glued to Latin letters or digits (a version, a phone number) is no quantity.
    if (b > 0 && (IsAsciiAlnum(s[b - 1]) || s[b - 1] == '.')) continue;
    uint32_t amount = 0;
    if (!ParseNumber(s.substr(b, e - b), &amount) || amount == 0) continue;
    size_t u = e;
    while (u < s.size() && s[u] == ' ') ++u;
    if (u < s.size() && s[u] == U'个') ++u;
    TimeUnit unit;
    size_t ue;
    if (StartsWith(s, u, U"工作日")) {
      unit = TimeUnit::kWorkingDays;
      ue = u + 3;
    } else if (StartsWith(s, u, U"个工作日")) {
      unit = TimeUnit::kWorkingDays;
      ue = u + 4;
    } else if (StartsWith(s, u, U"自然日")) {
      // 15个自然日内: calendar days, said so to set them apart from working days.
      unit = TimeUnit::kDays;
      ue = u + 3;
    } else if (StartsWith(s, u, U"小时")) {
      unit = TimeUnit::kHours;
      ue = u + 2;
    } else if (StartsWith(s, u, U"天")) {
      unit = TimeUnit::kDays;
      ue = u + 1;
    } else if (StartsWith(s, u, U"日")) {
      // 6月17日 / 17日起 are dates.
      if (b > 0 && (s[b - 1] == U'月' || s[b - 1] == U'年')) continue;
      unit = TimeUnit::kDays;
      ue = u + 1;
    } else if (StartsWith(s, u, U"个月") || (StartsWith(s, u, U"月") && u > e)) {
      unit = TimeUnit::kMonths;
      ue = u + (s[u] == U'个' ? 2 : 1);
    } else if (StartsWith(s, u, U"月")) {
      continue;  // "6月" without 个 is a month name
    } else {
      continue;
    }
    if (b > 0 && s[b - 1] == U'年') continue;
    out.push_back({static_cast<uint32_t>(b), static_cast<uint32_t>(ue), amount, unit});
    i = ue;
  }
  return out;
}

std::vector<RawMatch> FindEmails(std::u32string_view s) {
  std::vector<RawMatch> out;
  auto local = [](char32_t c) {
    return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  };
  auto dom = [](char32_t c) { return IsAsciiAlnum(c) || c == '.' || c == '-'; };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '@' && s[i] != U'＠') continue;
    size_t b = i;
    while (b > 0 && local(s[b - 1]) && i - b < 64) --b;
    size_t e = i + 1;
    while (e < s.size() && dom(s[e]) && e - i < 255) ++e;
    while (e > i + 1 && s[e - 1] == '.') --e;
    if (b == i || e == i + 1) continue;
    std::u32string_view d = s.substr(i + 1, e - i - 1);
    size_t dot = d.rfind('.');
    if (dot == std::u32string_view::npos || d.size() - dot < 3) continue;
    std::string v = ToUtf8(s.substr(b, e - b));
    for (char& c : v)
      if (c >= 'A' && c <= 'Z') c += 32;
    out.push_back({static_cast<uint32_t>(b), static_cast<uint32_t>(e), v});
    i = e;
  }
  return out;
}

std::vector<RawMatch> FindUrls(std::u32string_view s) {
  std::vector<RawMatch> out;
  for (size_t i = 0; i < s.size(); ++i) {
    bool http = StartsWith(s, i, U"http://") || StartsWith(s, i, U"https://");
    bool www = !http && StartsWith(s, i, U"www.") && (i == 0 || !IsAsciiAlnum(s[i - 1]));
    if (!http && !www) continue;
    size_t e = i;
    while (e < s.size() && s[e] > 0x20 && s[e] < 0x7F && s[e] != '"' && s[e] != '<' &&
           s[e] != '>' && e - i < 2048)
      ++e;
    while (e > i && (s[e - 1] == '.' || s[e - 1] == ',' || s[e - 1] == ')' || s[e - 1] == ';')) --e;
    if (e - i < 8) continue;
    out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(e), ToUtf8(s.substr(i, e - i))});
    i = e;
  }
  return out;
}

std::vector<RawMatch> FindPhones(std::u32string_view s) {
  std::vector<RawMatch> out;
  size_t i = 0;
  while (i < s.size()) {
    if (Digit(s[i]) < 0 ||
        (i > 0 && (IsAsciiAlnum(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '@'))) {
      ++i;
      continue;
    }
    size_t b = i;
    std::string digits;
    size_t e = i;
    while (e < s.size() && e - b < 24) {
      int d = Digit(s[e]);
      if (d >= 0) {
        digits.push_back(static_cast<char>('0' + d));
        ++e;
      } else if ((s[e] == '-' || s[e] == ' ' || s[e] == U'－' || s[e] == U'—') &&
                 e + 1 < s.size() && Digit(s[e + 1]) >= 0) {
        ++e;
      } else {
        break;
      }
    }
    i = e;
    if (e < s.size() && (IsAsciiAlnum(s[e]) || s[e] == '@' || s[e] == '.')) continue;
    // Followed by a unit or date mark: a quantity, not a number to call.
    if (e < s.size() && (s[e] == U'年' || s[e] == U'月' || s[e] == U'日' || s[e] == U'个' ||
                         s[e] == U'天' || s[e] == U'元' || s[e] == U'%'))
      continue;
    size_t n = digits.size();
    bool service = n == 5 && (digits.rfind("95", 0) == 0 || digits.rfind("96", 0) == 0 ||
                              digits.rfind("100", 0) == 0 || digits.rfind("123", 0) == 0);
    bool hotline = n == 10 && (digits.rfind("400", 0) == 0 || digits.rfind("800", 0) == 0);
    bool mobile = n == 11 && digits[0] == '1';
    bool landline = n >= 10 && n <= 12 && digits[0] == '0';
    bool generic = n >= 7 && n <= 8;
    if (!(service || hotline || mobile || landline || generic)) continue;
    out.push_back({static_cast<uint32_t>(b), static_cast<uint32_t>(e), digits});
  }
  return out;
}

std::vector<RawMatch> FindCompanies(std::u32string_view s, std::span<const std::u32string> suffixes,
                                    std::span<const std::u32string> lead_words) {
  std::vector<RawMatch> out;
  // The first characters of the suffixes (有, 股, 集): other positions are skipped without
  // comparing.
  std::u32string firsts;
  for (const std::u32string& suf : suffixes) {
    if (!suf.empty() && firsts.find(suf[0]) == std::u32string::npos) firsts += suf[0];
  }
  size_t i = 0;
  while (i < s.size()) {
    if (firsts.find(s[i]) == std::u32string::npos) {
      ++i;
      continue;
    }
    size_t len = 0;  // the longest suffix here (有限责任公司 before 有限公司)
    for (const std::u32string& suf : suffixes)
      if (suf.size() > len && StartsWith(s, i, suf)) len = suf.size();
    if (len == 0) {
      ++i;
      continue;
    }
    size_t e = i + len;
    size_t b = i;
    // Walk back over the name: Han, Latin, digits and brackets, at most 30 code points.
    while (b > 0 && i - b < 30) {
      char32_t c = s[b - 1];
      if (IsHan(c) || IsAsciiAlnum(c) || c == U'（' || c == U'）' || c == '(' || c == ')') {
        --b;
      } else {
        break;
      }
    }
    // Drop leading function words a sentence puts before the name.
    bool moved = true;
    while (moved && b < i) {
      moved = false;
      for (const std::u32string& l : lead_words)
        if (StartsWith(s, b, l) && i - b > 2) {
          b += l.size();
          moved = true;
        }
    }
    if (i - b >= 2)
      out.push_back(
          {static_cast<uint32_t>(b), static_cast<uint32_t>(e), ToUtf8(s.substr(b, e - b))});
    i = e;
  }
  return out;
}

std::vector<RawMatch> FindPostalAddresses(std::u32string_view s,
                                          std::u32string_view address_chars) {
  std::vector<RawMatch> out;
  auto part = [](char32_t c) {
    return IsHan(c) || IsAsciiAlnum(c) || Digit(c) >= 0 || c == U'（' || c == U'）' || c == '(' ||
           c == ')' || c == '-' || c == U'－' || c == ' ';
  };
  constexpr size_t kBack = 60, kAhead = 40;  // the longest address in the corpus is ~50
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] != U'号' || Digit(s[i - 1]) < 0) continue;
    size_t b = i, e = i + 1;
    while (b > 0 && part(s[b - 1]) && i - b < kBack) --b;
    while (e < s.size() && part(s[e]) && e - i < kAhead) ++e;
    while (b < i && s[b] == ' ') ++b;
    while (e > i + 1 && s[e - 1] == ' ') --e;
    std::u32string seen;
    for (size_t k = b; k < e; ++k)
      if (address_chars.find(s[k]) != std::u32string_view::npos &&
          seen.find(s[k]) == std::u32string::npos)
        seen.push_back(s[k]);
    if (seen.size() >= 3)
      out.push_back(
          {static_cast<uint32_t>(b), static_cast<uint32_t>(e), ToUtf8(s.substr(b, e - b))});
    i = e;
  }
  return out;
}

std::vector<RawMatch> FindInAppPaths(std::u32string_view s,
                                     std::span<const std::u32string> first_words) {
  std::vector<RawMatch> out;
  auto is_sep = [](char32_t c) {
    return c == '-' || c == U'—' || c == U'－' || c == '>' || c == U'＞' || c == U'→' ||
           c == U'》' || c == U'>' || c == U'/' || c == U'–';
  };
  auto is_quote = [](char32_t c) {
    return c == U'“' || c == U'”' || c == U'"' || c == U'「' || c == U'」' || c == U'【' ||
           c == U'】' || c == U'‘' || c == U'’' || c == U'《' || c == U'[' || c == U']';
  };
  // A path needs a separator; most sentences have none.
  bool any_sep = false;
  for (char32_t c : s) any_sep |= is_sep(c);
  if (!any_sep) return out;
  for (size_t i = 0; i < s.size(); ++i) {
    size_t b = i;
    while (b < s.size() && is_quote(s[b])) ++b;
    bool first_ok = false;
    // (The first character is compared before the call: this runs at every position.)
    for (const std::u32string& f : first_words)
      if (f.empty() || (b < s.size() && s[b] == f[0] && StartsWith(s, b, f))) first_ok = true;
    if (!first_ok) continue;
    // Collect segments.
    std::vector<std::u32string> segs;
    size_t p = b;
    size_t last_end = b;
    while (p < s.size() && segs.size() < 8) {
      size_t q = p;
      while (q < s.size() && (IsHan(s[q]) || IsAsciiAlnum(s[q]) || s[q] == U'与' || s[q] == ' ') &&
             q - p < 14 && !is_sep(s[q]))
        ++q;
      if (q == p) break;
      // Cut by the length bound in the middle of words: prose ("《隐私政策》及其相关事宜…"), not a
      // menu item.
      if (q - p >= 14 && q < s.size() && (IsHan(s[q]) || IsAsciiAlnum(s[q]))) break;
      segs.emplace_back(s.substr(p, q - p));
      size_t r = q;
      while (r < s.size() && is_quote(s[r])) ++r;
      last_end = r;
      size_t sep = r;
      while (sep < s.size() && (s[sep] == ' ' || is_quote(s[sep]))) ++sep;
      if (sep < s.size() && is_sep(s[sep])) {
        size_t n = sep;
        while (n < s.size() && (is_sep(s[n]) || s[n] == ' ')) ++n;
        while (n < s.size() && is_quote(s[n])) ++n;
        p = n;
      } else {
        break;
      }
    }
    if (segs.size() < 2) continue;
    std::u32string v;
    for (size_t k = 0; k < segs.size(); ++k) {
      if (k) v.push_back('-');
      std::u32string seg = segs[k];
      while (!seg.empty() && seg.back() == ' ') seg.pop_back();
      v += seg;
    }
    out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(last_end), ToUtf8(v)});
    i = last_end;
  }
  return out;
}

}  // namespace piaudit::policy
