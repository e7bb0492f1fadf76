// Pattern scanners over code points that a lexicon cannot express: numbers with units (time
// limits, Chinese numerals included), e-mail addresses, phone numbers, URLs, company names and
// in-app paths (设置-账号与安全-注销账号). Each returns ranges relative to the view passed in and
// is linear in its length.
#ifndef PIAUDIT_POLICY_EXTRACT_H_
#define PIAUDIT_POLICY_EXTRACT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy_analysis.h"

namespace piaudit::policy {

// Parses Chinese numerals (十五, 三十, 一百二十, 两) or digits (ASCII and full-width).
// Returns false when s is not a number or exceeds 1e6.
bool ParseNumber(std::u32string_view s, uint32_t* value);

struct RawTimeLimit {
  uint32_t start = 0, end = 0;  // the number and its unit
  uint32_t amount = 0;
  TimeUnit unit = TimeUnit::kDays;
};
// Every "<number>[个]<unit>" in s, dates (2022年6月17日) excluded.
std::vector<RawTimeLimit> FindTimeQuantities(std::u32string_view s);

struct RawMatch {
  uint32_t start = 0, end = 0;
  std::string value;
};
std::vector<RawMatch> FindEmails(std::u32string_view s);
std::vector<RawMatch> FindUrls(std::u32string_view s);
// Digit runs shaped like phone numbers (7..16 digits with - or spaces, 400/800 numbers, 95xxx).
std::vector<RawMatch> FindPhones(std::u32string_view s);
// "XX有限公司" and the like: a name ending with the longest of `suffixes` (有限公司, 集团, ...),
// without the `lead_words` (由, 向, ...) a sentence puts before it (lexicon.yaml company_suffixes,
// company_lead_words).
std::vector<RawMatch> FindCompanies(std::u32string_view s, std::span<const std::u32string> suffixes,
                                    std::span<const std::u32string> lead_words);
// In-app navigation paths: at least two short segments joined by - — > → ＞ / 、 with the first
// segment starting in `first_words` (设置, 我的, ...: lexicon.yaml path_starts). value is the path
// with segments joined by "-".
std::vector<RawMatch> FindInAppPaths(std::u32string_view s,
                                     std::span<const std::u32string> first_words);

// Postal addresses printed without a cue: a street number (a digit and 号) in a run of Han, digits
// and brackets with at least two more of `address_chars` (市, 区, 路 ...), e.g.
// "北京市海淀区上地十街10号". The caller decides where an address can be a channel.
std::vector<RawMatch> FindPostalAddresses(std::u32string_view s, std::u32string_view address_chars);

bool IsHan(char32_t c);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_EXTRACT_H_
