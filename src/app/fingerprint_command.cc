// `piaudit kb fingerprint APK... -o DIR [--min-classes N] [--shaded SEGMENT ...] [--kb DIR]`:
// builds the reference code fingerprints of data/fingerprints/ (knowledge/sdk_fingerprints.h)
// from apps that ship SDKs under their real package names. Each SDK the catalogue finds with its
// code in an input becomes DIR/<sdk>.fp, holding only the method hashes that no other SDK and no
// app code of the inputs share. scripts/knowledge/build_fingerprints.sh runs it on the corpus.
//
// `--shaded` names package segments of libraries that SDKs copy into their own packages
// (com/x/sdk/okhttp3/...): classes under such a segment count as app code, so that a shaded copy
// of a common library never becomes the fingerprint of one SDK.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "analysis/app_code.h"
#include "analysis/code_fingerprint.h"
#include "app/commands.h"
#include "app/kb_location.h"
#include "knowledge/knowledge_base.h"
#include "knowledge/sdk_fingerprints.h"

namespace piaudit::app {
namespace {

struct FingerprintOptions {
  std::vector<std::string> apks;
  std::string out_dir;
  std::string kb_dir;
  uint32_t min_classes = 3;
  std::vector<std::string> shaded;
};

bool UnderShadedSegment(std::string_view descriptor, const std::vector<std::string>& shaded) {
  for (const std::string& seg : shaded) {
    if (descriptor.find("/" + seg + "/") != std::string_view::npos) return true;
  }
  return false;
}

void Run(const FingerprintOptions& o, int* exit_code) {
  const std::string kb_dir = o.kb_dir.empty() ? DefaultKbDir() : o.kb_dir;
  Result<knowledge::KnowledgeBase> kb = knowledge::KnowledgeBase::Load(kb_dir, nullptr);
  if (!kb.ok()) {
    std::fprintf(stderr, "piaudit kb fingerprint: knowledge base %s: %s\n", kb_dir.c_str(),
                 kb.status().ToString().c_str());
    *exit_code = kExitInternal;
    return;
  }
  std::vector<analysis::ReferenceApp> apps;
  for (const std::string& path : o.apks) {
    analysis::CodeOptions options;
    options.analyze_calls = false;
    options.keep_fingerprints = true;
    apk::ApkFactsOptions fo = analysis::CodeFactsOptions(options);
    fo.hash_file = true;
    Result<apk::ApkFacts> facts = apk::ReadApkFacts(path, fo);
    if (!facts.ok()) {
      // One unreadable input does not spoil the references built from the others.
      std::fprintf(stderr, "piaudit kb fingerprint: skipped %s\n",
                   facts.status().ToString().c_str());
      continue;
    }
    analysis::ReferenceApp app;
    app.description = std::filesystem::path(path).filename().string() + " sha256 " + facts->sha256;
    Result<analysis::CodeReport> report =
        analysis::BuildCodeReportFromFacts(std::move(facts).value(), *kb, options);
    if (!report.ok()) {
      std::fprintf(stderr, "piaudit kb fingerprint: skipped %s\n",
                   report.status().ToString().c_str());
      continue;
    }
    for (const analysis::SdkFinding& f : report->sdks) {
      if (f.presence == analysis::Presence::kCode && !f.code_absent && f.classes > 0)
        app.reference_sdks.insert(f.sdk->id);
    }
    for (analysis::OwnedFingerprint& c : report->class_fingerprints) {
      if (UnderShadedSegment(c.fingerprint.descriptor, o.shaded)) c.owner = "app";
      app.classes.push_back(std::move(c));
    }
    std::fprintf(stderr, "%s: %zu classes fingerprinted, %zu SDKs with code\n", path.c_str(),
                 app.classes.size(), app.reference_sdks.size());
    apps.push_back(std::move(app));
  }
  std::vector<knowledge::SdkFingerprintSet> sets =
      analysis::BuildReferenceSets(apps, o.min_classes);
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "piaudit kb fingerprint: cannot create %s: %s\n", o.out_dir.c_str(),
                 ec.message().c_str());
    *exit_code = kExitBadInput;
    return;
  }
  for (const knowledge::SdkFingerprintSet& set : sets) {
    size_t hashes = 0;
    for (const auto& c : set.classes) hashes += c.size();
    const std::string file = (std::filesystem::path(o.out_dir) / (set.sdk + ".fp")).string();
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << knowledge::FormatSdkFingerprints(
        set,
        "Reference code fingerprints of SDK '" + set.sdk +
            "' (docs/knowledge.md#fingerprints).\n"
            "Built by `piaudit kb fingerprint` (scripts/knowledge/build_fingerprints.sh); do not "
            "edit by hand.");
    if (!out) {
      std::fprintf(stderr, "piaudit kb fingerprint: cannot write %s\n", file.c_str());
      *exit_code = kExitInternal;
      return;
    }
    std::printf("%s: %zu classes, %zu method hashes (of %u classes in the inputs)\n", file.c_str(),
                set.classes.size(), hashes, set.reference_classes);
  }
  *exit_code = kExitOk;
}

}  // namespace

void RegisterKbFingerprintCommand(CLI::App& kb, int* exit_code) {
  auto opts = std::make_shared<FingerprintOptions>();
  auto* cmd = kb.add_subcommand(
      "fingerprint",
      "Build SDK reference fingerprints (data/fingerprints/*.fp) from APKs with unrenamed SDKs");
  cmd->add_option("apks", opts->apks, "APK files")->required();
  cmd->add_option("-o,--out", opts->out_dir, "Output directory (one <sdk>.fp per SDK)")->required();
  cmd->add_option("--min-classes", opts->min_classes,
                  "Leave out SDKs with fewer distinctive classes than this")
      ->capture_default_str();
  cmd->add_option("--shaded", opts->shaded,
                  "Package segment of a library SDKs copy into their packages (okhttp3, gson ...): "
                  "classes under it count as app code");
  cmd->add_option("--kb", opts->kb_dir, "Knowledge base directory (default: bundled data/)");
  cmd->footer(
      "Example:\n  piaudit kb fingerprint ../shared/corpus/apks/*.apk -o data/fingerprints "
      "--shaded okhttp3 --shaded okio\n"
      "Exit codes: 0 written; 3 the output directory cannot be made; 4 knowledge base broken or "
      "a file cannot be written.");
  cmd->callback([opts, exit_code] { Run(*opts, exit_code); });
}

}  // namespace piaudit::app
