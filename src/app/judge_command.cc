// `piaudit judge EVIDENCE.json [--kb DIR] [-o DIR] [--format json,sarif,html] [--fail-on ...]
//  [--baseline FILE] [--write-baseline FILE]`
// Runs the rules and writes the reports from an evidence record (`piaudit scan --format evidence`,
// schema piaudit.evidence/1) without the APK: what a batch store keeps, and what a re-judgement
// with a newer knowledge base reads. The record is untrusted input (bounded, strictly read).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/kb_location.h"
#include "app/verdict_summary.h"
#include "base/limits.h"
#include "base/mapped_file.h"
#include "base/version.h"
#include "evidence/evidence_json.h"
#include "knowledge/knowledge_base.h"
#include "report/write_reports.h"
#include "rules/evaluate.h"

namespace piaudit::app {
namespace {

struct JudgeFlags {
  std::string evidence;
  ReportFlags report;
};

int RunJudge(const JudgeFlags& flags) {
  ReportGate gate;
  if (int rc = PrepareReportGate("judge", flags.report, &gate); rc != kExitOk) {
    return rc;
  }
  const Limits limits;
  Result<std::string> text = ReadFileToString(flags.evidence, limits.max_evidence_record_bytes);
  if (!text.ok()) {
    std::fprintf(stderr, "piaudit judge: %s\n", text.status().ToString().c_str());
    return kExitBadInput;
  }
  evidence::EvidenceRecordInfo recorded;
  Result<evidence::AppEvidence> e =
      evidence::ReadEvidenceJson(*text, flags.evidence, limits, &recorded);
  if (!e.ok()) {
    std::fprintf(stderr, "piaudit judge: %s\n", e.status().ToString().c_str());
    return kExitBadInput;
  }
  Diagnostics kb_diagnostics;
  Result<knowledge::KnowledgeBase> kb = knowledge::KnowledgeBase::Load(
      flags.report.kb_dir.empty() ? DefaultKbDir() : flags.report.kb_dir, &kb_diagnostics);
  if (!kb.ok()) {
    std::fprintf(stderr, "piaudit judge: knowledge base: %s\n", kb.status().ToString().c_str());
    return kExitBadInput;
  }
  std::vector<rules::ItemResult> items = rules::EvaluateAll(*e, *kb);
  const std::string generated_at = GeneratedAt();
  const std::string today = generated_at.substr(0, 10);
  report::ReportInput in;
  in.baseline = gate.baseline.Apply(items, today);
  in.evidence = &*e;
  in.items = items;
  in.kb = &*kb;
  in.tool_version = kToolVersion;
  in.kb_version = kb->version().version;
  in.generated_at = generated_at;
  in.lang = gate.lang;
  in.inputs.push_back(DescribeInput("evidence", flags.evidence));
  if (!flags.report.baseline.empty()) {
    in.inputs.push_back(DescribeInput("baseline", flags.report.baseline));
  }
  Result<std::vector<std::string>> written =
      report::WriteReportFiles(flags.report.out_dir, gate.formats, in);
  PrintVerdictSummary(*e, items, written.ok() ? *written : std::vector<std::string>(), in.baseline,
                      in.lang);
  if (!written.ok()) {
    std::fprintf(stderr, "piaudit judge: %s\n", written.status().ToString().c_str());
    return kExitInternal;
  }
  if (int rc = gate.baseline.Write("judge", flags.report.write_baseline, items, today);
      rc != kExitOk) {
    return rc;
  }
  return ExitCodeForFindings(items, gate.fail_on);
}

}  // namespace

void RegisterJudgeCommand(CLI::App& cli, int* exit_code) {
  auto flags = std::make_shared<JudgeFlags>();
  auto* cmd = cli.add_subcommand(
      "judge", "judge the 31 items again from an evidence record, without the APK");
  cmd->add_option("evidence", flags->evidence, "evidence.json written by piaudit scan")->required();
  AddReportFlags(
      cmd, "comma-separated: json, sarif, html, pdf (report.html printed by Chromium), evidence",
      &flags->report);
  cmd->footer(std::string("Examples:\n  piaudit scan app.apk --format evidence -o rec/   (once, "
                          "keeps rec/evidence.json)\n  piaudit judge rec/evidence.json --kb "
                          "newer-data/ -o out/ --format json,html,pdf\n\n") +
              kExitCodesHelp);
  cmd->callback([flags, exit_code] { *exit_code = RunJudge(*flags); });
}

}  // namespace piaudit::app
