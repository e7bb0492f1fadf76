// Sentence and section segmentation; see segmenter.h. HeadingLevel must stay identical to
// scripts/policy/features.py is_heading (the classifier was trained with that context).
#include "policy/segmenter.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>

#include "base/huge_pages.h"
#include "base/utf8.h"

namespace piaudit::policy {
namespace {

bool IsCnNum(char32_t c) {
  return c == U'一' || c == U'二' || c == U'三' || c == U'四' || c == U'五' || c == U'六' ||
         c == U'七' || c == U'八' || c == U'九' || c == U'十';
}
bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool In(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

// Python's str.strip(): Unicode whitespace.
bool IsPySpace(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

bool IsSentenceEnd(char32_t c) {
  return c == U'。' || c == U'！' || c == U'？' || c == U'；' || c == U'!' || c == U'?' ||
         c == U';';
}
bool IsCloser(char32_t c) {
  return c == U'”' || c == U'’' || c == U'」' || c == U'』' || c == U'）' || c == U')' ||
         c == U'"' || c == U'】' || c == U'》';
}
bool IsBullet(char32_t c) {
  return c == U'•' || c == U'·' || c == U'●' || c == U'○' || c == U'◆' || c == U'■' || c == U'-' ||
         c == U'*' || c == U'▪' || c == U'◇' || c == U'√' || (c >= U'①' && c <= U'⑳');
}

bool HasLatinProse(std::u32string_view line) {
  size_t latin = 0;
  bool period_space = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char32_t c = line[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++latin;
    if (c == '.' && i + 1 < line.size() && line[i + 1] == ' ') period_space = true;
  }
  return period_space && latin * 2 > line.size();
}

}  // namespace

int HeadingLevel(std::u32string_view t) {
  while (!t.empty() && IsPySpace(t.front())) t.remove_prefix(1);
  while (!t.empty() && IsPySpace(t.back())) t.remove_suffix(1);
  size_t n = t.size();
  if (n == 0 || n > 40 || In(t.back(), U"。；;：:，,")) return 0;
  if (t[0] == U'第') {
    size_t j = 1;
    while (j < n && (IsCnNum(t[j]) || IsDigit(t[j]))) ++j;
    return (j > 1 && j < n && In(t[j], U"章节条部分")) ? 1 : 0;
  }
  if (t[0] == U'（' || t[0] == U'(') {
    size_t j = 1;
    while (j < n && (IsCnNum(t[j]) || IsDigit(t[j]))) ++j;
    return (j > 1 && j < n && In(t[j], U"）)")) ? 2 : 0;
  }
  if (IsCnNum(t[0])) {
    size_t j = 0;
    while (j < n && IsCnNum(t[j])) ++j;
    return (j < n && In(t[j], U"、.．")) ? 1 : 0;
  }
  if (IsDigit(t[0])) {
    size_t j = 0, dots = 0;
    while (j < n && (IsDigit(t[j]) || t[j] == '.')) dots += t[j++] == '.';
    if (!(j < n && In(t[j], U"、.． \t") && j <= 8)) return 0;
    return dots >= 2 || (dots == 1 && t[j - 1] != '.') ? 3 : 2;
  }
  if ((t[0] == U'【' || t[0] == U'[') && (t.back() == U'】' || t.back() == U']')) return 1;
  return 0;
}

std::u32string ToU32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  AdviseHugePages(out.data(), out.capacity() * sizeof(char32_t));
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    char32_t cp;
    size_t n;
    if (c < 0x80) {
      cp = c;
      n = 1;
    } else if (c < 0xE0 && i + 1 < s.size()) {
      cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
      n = 2;
    } else if (c < 0xF0 && i + 2 < s.size()) {
      cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      n = 3;
    } else if (i + 3 < s.size()) {
      cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) |
           (s[i + 3] & 0x3F);
      n = 4;
    } else {
      cp = 0xFFFD;  // only reachable on invalid input; callers sanitize first
      n = 1;
    }
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string ToUtf8(std::u32string_view s) {
  std::string o;
  o.reserve(s.size() * 3);
  for (char32_t c : s) AppendUtf8(c <= 0x10ffff ? c : 0xfffd, &o);
  return o;
}

void Segment(std::u32string_view text, const std::vector<HeadingMark>& html_headings,
             const std::vector<TableRow>& table_rows, std::vector<Sentence>* sentences,
             std::vector<Section>* sections, uint32_t max_sentence_chars) {
  // At least one code point per piece, whatever the caller's limit.
  const size_t max_sentence = std::max<uint32_t>(max_sentence_chars, 1);
  std::vector<TextRange> raw;  // untrimmed pieces
  std::vector<bool> line_start;
  auto emit = [&](size_t s, size_t e, bool first_in_line) {
    // Trim whitespace; drop empty pieces; cut very long ones.
    while (s < e && IsPySpace(text[s])) ++s;
    while (e > s && IsPySpace(text[e - 1])) --e;
    while (e - s > max_sentence) {
      raw.push_back({static_cast<uint32_t>(s), static_cast<uint32_t>(s + max_sentence)});
      line_start.push_back(first_in_line);
      first_in_line = false;
      s += max_sentence;
    }
    if (e > s) {
      raw.push_back({static_cast<uint32_t>(s), static_cast<uint32_t>(e)});
      line_start.push_back(first_in_line);
    }
  };
  std::unique_ptr<icu::BreakIterator> icu_iter;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = pos;
    while (eol < text.size() && text[eol] != '\n' && text[eol] != '\r' && text[eol] != 0x2028 &&
           text[eol] != 0x2029)
      ++eol;
    std::u32string_view line = text.substr(pos, eol - pos);
    const bool latin_prose = HasLatinProse(line);
    if (latin_prose) {
      if (!icu_iter) {
        UErrorCode err = U_ZERO_ERROR;
        icu_iter.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), err));
        if (U_FAILURE(err)) icu_iter.reset();
      }
    }
    if (latin_prose && icu_iter) {
      icu::UnicodeString u = icu::UnicodeString::fromUTF32(
          reinterpret_cast<const UChar32*>(line.data()), static_cast<int32_t>(line.size()));
      icu_iter->setText(u);
      int32_t prev16 = 0;
      size_t prev_cp = 0;
      bool first = true;
      for (int32_t b = icu_iter->next(); b != icu::BreakIterator::DONE; b = icu_iter->next()) {
        size_t cp = prev_cp + static_cast<size_t>(u.countChar32(prev16, b - prev16));
        emit(pos + prev_cp, pos + cp, first);
        first = false;
        prev16 = b;
        prev_cp = cp;
      }
    } else {
      size_t s = pos;
      bool first = true;
      for (size_t i = pos; i < eol; ++i) {
        if (!IsSentenceEnd(text[i])) continue;
        size_t e = i + 1;
        while (e < eol && (IsCloser(text[e]) || IsSentenceEnd(text[e]))) ++e;
        emit(s, e, first);
        first = false;
        s = e;
        i = e - 1;
      }
      emit(s, eol, first);
    }
    pos = eol + 1;
  }

  // Table rows: a row is one line; merge its pieces into one sentence.
  sentences->clear();
  sentences->reserve(raw.size());
  size_t tr = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    while (tr < table_rows.size() && table_rows[tr].range.end <= raw[i].start) ++tr;
    Sentence s;
    s.range = raw[i];
    if (tr < table_rows.size() && raw[i].start >= table_rows[tr].range.start &&
        raw[i].start < table_rows[tr].range.end) {
      s.table_row = static_cast<int32_t>(tr);
      while (i + 1 < raw.size() && raw[i + 1].start < table_rows[tr].range.end &&
             raw[i + 1].end - s.range.start <= max_sentence) {
        s.range.end = raw[++i].end;
      }
    }
    s.list_item = line_start[i] && IsBullet(text[s.range.start]);
    if (!s.list_item && line_start[i]) {
      // "1." / "(1)" / "1、" enumerators that are not headings.
      size_t j = s.range.start;
      if (text[j] == '(' || text[j] == U'（') ++j;
      size_t d = j;
      while (d < s.range.end && IsDigit(text[d])) ++d;
      if (d > j && d < s.range.end && In(text[d], U".、)）．")) s.list_item = true;
    }
    sentences->push_back(s);
  }

  // Sections: numbered headings and HTML headings, in order.
  sections->clear();
  size_t hh = 0;
  for (size_t i = 0; i < sentences->size(); ++i) {
    Sentence& s = (*sentences)[i];
    int level = 0;
    while (hh < html_headings.size() && html_headings[hh].range.end <= s.range.start) ++hh;
    if (hh < html_headings.size() && html_headings[hh].range.start <= s.range.start &&
        s.range.end <= html_headings[hh].range.end && s.range.end - s.range.start <= 80)
      level = html_headings[hh].level;
    if (s.table_row < 0) {
      int l = HeadingLevel(text.substr(s.range.start, s.range.end - s.range.start));
      if (l > 0) level = level ? std::min(level, l) : l;
    }
    if (level > 0) {
      Section sec;
      sec.heading = s.range;
      sec.body = {s.range.start, static_cast<uint32_t>(text.size())};
      sec.heading_text = ToUtf8(text.substr(s.range.start, s.range.end - s.range.start));
      sec.level = level;
      // Close open sections of the same or a deeper level.
      for (size_t k = sections->size(); k > 0; --k) {
        Section& o = (*sections)[k - 1];
        if (o.body.end != text.size()) continue;
        if (o.level >= level)
          o.body.end = s.range.start;
        else
          break;
      }
      sections->push_back(std::move(sec));
    }
    s.section = sections->empty() ? -1 : static_cast<int32_t>(sections->size() - 1);
  }
}

}  // namespace piaudit::policy
