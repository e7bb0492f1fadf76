#include "apk/policy_locate.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "base/ascii.h"

namespace piaudit::apk {
namespace {

// A policy shorter than this cannot state collection rules; it is a link or a title.
constexpr size_t kMinPolicyBytes = 300;

bool Contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

bool CandidateEntry(std::string_view name) {
  if (name.rfind("assets/", 0) != 0 && name.rfind("res/raw", 0) != 0) return false;
  std::string lower = AsciiLower(name);
  for (std::string_view ext : {".html", ".htm", ".txt", ".md", ".xhtml"}) {
    if (lower.size() >= ext.size() &&
        lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0)
      return true;
  }
  return false;
}

// A licence or open-source notice by its name (assets/licenses.html, res/raw/third_party_notice
// .txt): never the privacy policy, even when it quotes one (data/consent_words.yaml
// not_policy_names).
bool NamesALicence(const knowledge::WordList& not_policy, std::string_view name) {
  const std::string lower = AsciiLower(name);
  for (const std::string& w : not_policy.words)
    if (Contains(lower, w)) return true;
  return false;
}

bool HasAsciiLetter(std::string_view s) {
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  }
  return false;
}

}  // namespace

int PolicyLikeScore(const knowledge::BundledPolicyWords& words, std::string_view name,
                    std::string_view text) {
  if (text.size() < kMinPolicyBytes) return 0;
  int score = 0;
  std::string lower_name = AsciiLower(name);
  for (const std::string& n : words.file_name.words) {
    if (Contains(lower_name, n)) {
      score += words.file_name.weight;
      break;
    }
  }
  // Content decides: a policy names itself and talks about collecting personal information
  // (traditional script included). Words with an ASCII letter are lower-case in the data and
  // matched in the lowered first MiB; the others exactly in the whole text. (UTF-16 files are not
  // matched here; they are rare in assets and still found by name.)
  std::string lower;
  bool lowered = false;
  for (const knowledge::WeightedWords& group : words.text) {
    for (const std::string& w : group.words) {
      const bool caseless = HasAsciiLetter(w);
      if (caseless && !lowered) {
        lower = AsciiLower(text.substr(0, std::min<size_t>(text.size(), 1 << 20)));
        lowered = true;
      }
      if (Contains(caseless ? std::string_view(lower) : text, w)) {
        score += group.weight;
        break;
      }
    }
  }
  return score >= words.min_score ? score : 0;
}

std::optional<BundledPolicy> LocateBundledPolicy(ApkFacts& facts,
                                                 const std::vector<std::string>& string_resources,
                                                 const knowledge::ConsentWords& words,
                                                 const Limits& limits) {
  std::optional<BundledPolicy> best;
  auto consider = [&best](BundledPolicy candidate) {
    if (candidate.score == 0) return;
    if (!best || candidate.score > best->score ||
        (candidate.score == best->score && candidate.bytes.size() > best->bytes.size())) {
      best = std::move(candidate);
    }
  };
  if (facts.zip) {
    uint32_t candidates = 0;
    for (const container::ZipEntry& entry : facts.zip->entries()) {
      if (!CandidateEntry(entry.name) || NamesALicence(words.not_policy_names, entry.name))
        continue;
      if (++candidates > limits.max_policy_candidates) break;
      if (entry.uncompressed_size > limits.max_policy_bytes) {
        facts.diagnostics.Add(Severity::kWarning, "policy.candidate_too_large", entry.name, "",
                              entry.local_header_offset,
                              "declared size " + std::to_string(entry.uncompressed_size) +
                                  " exceeds max_policy_bytes");
        continue;
      }
      auto data = facts.zip->Read(entry);
      if (!data.ok()) {
        facts.diagnostics.AddStatus("policy.candidate_unreadable", data.status());
        continue;
      }
      BundledPolicy candidate;
      candidate.file = entry.name;
      candidate.bytes = std::string(data->bytes().AsStringView());
      candidate.score = PolicyLikeScore(words.bundled_policy, entry.name, candidate.bytes);
      consider(std::move(candidate));
    }
  }
  for (const std::string& text : string_resources) {
    if (text.size() < 2000) continue;  // a resource policy is long; titles and links are not one
    BundledPolicy candidate;
    candidate.file = "resources.arsc (string resource)";
    candidate.from_resource_string = true;
    candidate.bytes = text;
    candidate.score = PolicyLikeScore(words.bundled_policy, "", text);
    consider(std::move(candidate));
  }
  return best;
}

}  // namespace piaudit::apk
