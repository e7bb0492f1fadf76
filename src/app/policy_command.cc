// `piaudit policy FILE|--policy-url URL [--format text|json] [--kb DIR]`: analyses one privacy
// policy and prints the piaudit.policy/1 JSON (docs/schemas/policy.md) or a short text summary.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/kb_location.h"
#include "base/diagnostics.h"
#include "base/huge_pages.h"
#include "base/limits.h"
#include "base/mapped_file.h"
#include "knowledge/knowledge_base.h"
#include "policy/policy_analyzer.h"
#include "policy/policy_fetch.h"
#include "policy/policy_json.h"

namespace piaudit::app {
namespace {

struct PolicyOptions {
  std::string file;
  std::string url;
  std::string format = "text";
  std::string kb;
};

void PrintText(const policy::PolicyAnalysis& a) {
  std::printf("format %s, encoding %s%s, %u chars, %u sentences, %zu sections\n", a.format.c_str(),
              a.encoding.name.c_str(), a.encoding.bom ? " (BOM)" : "", a.text_code_points,
              a.readability.sentences, a.sections.size());
  std::printf(
      "language %s, traditional %.1f%%%s, mean sentence %.1f chars (max %u), jargon %.2f/1000\n",
      a.script.language.c_str(), 100 * a.script.traditional_ratio,
      a.script.traditional_only ? " (traditional only)" : "", a.readability.mean_sentence_chars,
      a.readability.max_sentence_chars, a.readability.jargon_per_1000_chars);
  int counts[policy::kCategoryCount] = {};
  for (const auto& s : a.sentences)
    for (int c = 0; c < policy::kCategoryCount; ++c)
      if (policy::Has(s.categories, static_cast<policy::Category>(c))) ++counts[c];
  std::printf("categories:");
  for (int c = 0; c < policy::kCategoryCount; ++c)
    std::printf(" %s=%d",
                std::string(policy::CategoryName(static_cast<policy::Category>(c))).c_str(),
                counts[c]);
  std::printf("\ndata types (%zu):\n", a.data_types.size());
  for (const auto& d : a.data_types)
    std::printf("  %-24s %s%s%s%s x%u\n", d.type_id.c_str(), d.collected ? "collected " : "",
                d.not_collected ? "not_collected " : "", d.optional ? "optional " : "",
                d.required ? "required " : "", d.mentions);
  std::printf("permissions (%zu):\n", a.permissions.size());
  for (const auto& p : a.permissions)
    std::printf("  %-40s %s\n", p.permission_id.c_str(), p.purpose.c_str());
  std::printf("sdks/third parties (%zu):\n", a.third_parties.size());
  for (const auto& p : a.third_parties)
    std::printf("  %-20s %-24s %s\n", p.sdk_id.empty() ? "-" : p.sdk_id.c_str(), p.name.c_str(),
                p.provider.c_str());
  std::printf("rights (%zu):\n", a.rights.size());
  for (const auto& r : a.rights) {
    std::string conds;
    for (const auto& c : r.conditions) conds += c + " ";
    std::printf("  %-24s %s%s\n", std::string(policy::RightKindName(r.kind)).c_str(), conds.c_str(),
                r.in_app_path.c_str());
  }
  std::printf("channels (%zu):\n", a.channels.size());
  for (const auto& c : a.channels)
    std::printf("  %-15s %s%s\n", std::string(policy::ChannelKindName(c.kind)).c_str(),
                c.value.c_str(), c.complaint ? " (complaints)" : "");
  std::printf("time limits (%zu):\n", a.time_limits.size());
  for (const auto& t : a.time_limits)
    std::printf("  %u %s (%s)\n", t.amount, std::string(policy::TimeUnitName(t.unit)).c_str(),
                std::string(policy::TimeLimitSubjectName(t.applies_to)).c_str());
  for (const auto& w : a.warnings) std::printf("warning: %s\n", w.c_str());
}

int Run(const PolicyOptions& o) {
  if (o.file.empty() == o.url.empty()) {
    std::fprintf(stderr, "piaudit policy: give exactly one of FILE or --policy-url URL\n");
    return kExitUsage;
  }
  KeepHeapMemoryForOneLargeInput();  // one policy, then exit: no memory goes back early
  Limits limits;
  const std::string kb_dir = o.kb.empty() ? DefaultKbDir() : o.kb;
  Diagnostics diags;
  Result<knowledge::KnowledgeBase> kb = knowledge::KnowledgeBase::Load(kb_dir, &diags);
  Result<std::unique_ptr<policy::PolicyAnalyzer>> analyzer =
      kb.ok() ? policy::PolicyAnalyzer::Create(*kb, kb_dir)
              : policy::PolicyAnalyzer::CreateWithoutKnowledge(kb_dir);
  if (!kb.ok()) {
    std::fprintf(stderr,
                 "piaudit policy: warning: knowledge base not loaded (%s); data types, "
                 "permissions and SDKs are not extracted\n",
                 kb.status().ToString().c_str());
  }
  if (!analyzer.ok()) {
    std::fprintf(stderr, "piaudit policy: %s\n", analyzer.status().ToString().c_str());
    return kExitBadInput;
  }
  std::string bytes;
  std::unique_ptr<MappedFile> mapped;  // a local file is mapped, not copied into `bytes`
  ByteSpan input;
  policy::PolicyFormatHint hint = policy::PolicyFormatHint::kAuto;
  if (!o.url.empty()) {
    Result<policy::FetchedPolicy> f = policy::FetchPolicy(o.url, limits);
    if (!f.ok()) {
      std::fprintf(stderr, "piaudit policy: %s\n", f.status().ToString().c_str());
      return kExitBadInput;
    }
    bytes = std::move(f->body);
    hint = f->hint;
    input = ByteSpan(bytes);
  } else {
    Result<std::unique_ptr<MappedFile>> r = MappedFile::Open(o.file, limits.max_policy_bytes);
    if (!r.ok()) {
      std::fprintf(stderr, "piaudit policy: %s\n", r.status().ToString().c_str());
      return kExitBadInput;
    }
    mapped = std::move(r).value();
    input = mapped->bytes();
  }
  Result<policy::PolicyAnalysis> a = (*analyzer)->Analyze(input, hint, limits);
  if (!a.ok()) {
    Status s = std::move(a).TakeStatus();
    s.InFile(o.url.empty() ? o.file : o.url);
    std::fprintf(stderr, "piaudit policy: %s\n", s.ToString().c_str());
    return s.code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
  }
  if (o.format == "json") {
    // Streamed: the DOM of a 50 MiB policy's analysis and its dump cost gigabytes.
    if (!policy::WritePolicyJson(*a, o.url.empty() ? o.file : o.url, stdout)) {
      std::fprintf(stderr, "piaudit policy: writing the JSON failed\n");
      return kExitInternal;
    }
  } else {
    PrintText(*a);
  }
  return kExitOk;
}

}  // namespace

void RegisterPolicyCommand(CLI::App& cli, int* exit_code) {
  auto opts = std::make_shared<PolicyOptions>();
  auto* cmd = cli.add_subcommand("policy", "Analyse a privacy policy (text, HTML or PDF)");
  cmd->footer(std::string("Examples:\n  piaudit policy privacy.html\n  piaudit policy --policy-url "
                          "https://example.com/privacy --format json\n\n") +
              kExitCodesHelp);
  cmd->add_option("file", opts->file, "policy file");
  cmd->add_option("--policy-url", opts->url, "fetch the policy over http(s)");
  cmd->add_option("--format", opts->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--kb", opts->kb, "knowledge directory (default: bundled data/)");
  cmd->callback([opts, exit_code] { *exit_code = Run(*opts); });
}

}  // namespace piaudit::app
