// `piaudit trace check FILE...` and `piaudit trace show FILE... [--format text|json]`: recordings
// of the app running (piaudit.trace/1 and the formats of other recorders, docs/schemas/trace.md)
// checked and summarised, or shown as one timeline with each event's owner.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/kb_location.h"
#include "knowledge/knowledge_base.h"
#include "runtime/recordings.h"
#include "runtime/timeline.h"
#include "trace/time.h"

namespace piaudit::app {
namespace {

struct TraceFlags {
  std::vector<std::string> files;
  std::string format = "text";
  std::string kb_dir;
  std::string package;
  int64_t clock_offset_ms = 0;
  uint64_t max_events = 2'000'000;
};

std::string TimeText(std::optional<int64_t> t) {
  return t ? trace::FormatRfc3339Ms(*t) : std::string("(no time)");
}

int Check(const TraceFlags& flags) {
  trace::ReadOptions options;
  options.clock_offset_ms = flags.clock_offset_ms;
  for (const std::string& file : runtime::ExpandTracePaths(flags.files)) {
    Result<runtime::TraceSummary> summary = runtime::SummariseTrace(file, options);
    if (!summary.ok()) {
      std::fprintf(stderr, "piaudit trace check: %s\n", summary.status().ToString().c_str());
      return kExitBadInput;
    }
    const runtime::TraceSummary& s = *summary;
    std::printf("%s: %s, %llu events", file.c_str(),
                std::string(trace::TraceFormatName(s.format)).c_str(),
                static_cast<unsigned long long>(s.events));
    if (s.malformed) {
      std::printf(", %llu malformed (skipped)", static_cast<unsigned long long>(s.malformed));
    }
    std::printf("\n");
    if (s.session) {
      const trace::Session& session = *s.session;
      std::printf("  session: %s versionCode %lld, %s API %d, recorder %s %s\n",
                  session.package.c_str(), static_cast<long long>(session.version_code),
                  session.device_model.c_str(), session.android_api, session.recorder_tool.c_str(),
                  session.recorder_version.c_str());
      std::printf("  hooks: %zu installed, %zu failed%s\n", session.hooks_installed.size(),
                  session.hooks_failed.size(),
                  session.hooks_failed.empty() ? "" : " (no call of those is unknown, not absent)");
      for (const std::string& h : session.hooks_failed) std::printf("    failed: %s\n", h.c_str());
      const std::vector<std::string_view> kinds = trace::IdentifierKinds(session.identifiers);
      std::printf("  identifiers: %s\n", kinds.empty()
                                             ? "(none given: traffic cannot be searched)"
                                             : fmt::format("{}", fmt::join(kinds, ", ")).c_str());
    } else {
      std::printf("  session: none (no package, hooks or identifiers stated)\n");
    }
    std::printf("  span: %s .. %s", TimeText(s.first_ms).c_str(), TimeText(s.last_ms).c_str());
    if (s.untimed)
      std::printf(" (%llu events without a time)", static_cast<unsigned long long>(s.untimed));
    std::printf("\n  by type:");
    for (size_t i = 0; i < s.by_type.size(); ++i) {
      if (s.by_type[i]) {
        std::printf(" %s %llu",
                    std::string(trace::EventTypeName(static_cast<trace::EventType>(i))).c_str(),
                    static_cast<unsigned long long>(s.by_type[i]));
      }
    }
    std::printf("\n");
    if (s.consent.empty()) {
      std::printf("  consent: no consent event (every read counts as before consent)\n");
    }
    for (const auto& [t, action] : s.consent) {
      std::printf("  consent: %s at %s\n", action.c_str(), TimeText(t).c_str());
    }
    for (const std::string& m : s.first_malformed) {
      std::fprintf(stderr, "piaudit trace check: warning: %s: %s\n", file.c_str(), m.c_str());
    }
  }
  return kExitOk;
}

int Show(const TraceFlags& flags) {
  Result<knowledge::KnowledgeBase> kb =
      knowledge::KnowledgeBase::Load(flags.kb_dir.empty() ? DefaultKbDir() : flags.kb_dir, nullptr);
  if (!kb.ok()) {
    std::fprintf(stderr, "piaudit trace show: knowledge base: %s\n",
                 kb.status().ToString().c_str());
    return kExitBadInput;
  }
  trace::ReadOptions options;
  options.clock_offset_ms = flags.clock_offset_ms;
  std::vector<std::string> files = runtime::ExpandTracePaths(flags.files);
  runtime::Attribution attribution;
  attribution.app_package = flags.package;
  attribution.framework_prefixes = kb->runtime_words().framework_frames.words;
  Result<runtime::Timeline> timeline =
      runtime::MergeTimeline(files, *kb, attribution, options, flags.max_events);
  if (!timeline.ok()) {
    std::fprintf(stderr, "piaudit trace show: %s\n", timeline.status().ToString().c_str());
    return kExitBadInput;
  }
  auto where = [&](const runtime::TimelineEntry& e) {
    return files[e.file] + (e.line ? ":" + std::to_string(e.line)
                                   : (e.entry ? "#" + std::to_string(*e.entry) : std::string()));
  };
  if (flags.format == "json") {
    nlohmann::ordered_json out;
    out["schema"] = "piaudit.timeline/1";
    out["files"] = files;
    out["dropped"] = timeline->dropped;
    nlohmann::ordered_json events = nlohmann::ordered_json::array();
    for (const runtime::TimelineEntry& e : timeline->entries) {
      nlohmann::ordered_json j;
      j["t"] = e.t_ms ? nlohmann::ordered_json(trace::FormatRfc3339Ms(*e.t_ms)) : nullptr;
      j["type"] = trace::EventTypeName(e.type);
      j["what"] = e.what;
      if (!e.owner.empty()) j["owner"] = e.owner;
      j["file"] = files[e.file];
      if (e.line) j["line"] = e.line;
      if (e.entry) j["entry"] = *e.entry;
      events.push_back(std::move(j));
    }
    out["events"] = std::move(events);
    std::printf("%s\n", out.dump(1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return kExitOk;
  }
  for (const runtime::TimelineEntry& e : timeline->entries) {
    std::printf("%-24s %-18s %-14s %s  [%s]\n", TimeText(e.t_ms).c_str(),
                std::string(trace::EventTypeName(e.type)).c_str(),
                e.owner.empty() ? "-" : e.owner.c_str(), e.what.c_str(), where(e).c_str());
  }
  if (timeline->dropped) {
    std::printf("(%llu more events not shown: past --max-events)\n",
                static_cast<unsigned long long>(timeline->dropped));
  }
  return kExitOk;
}

}  // namespace

void RegisterTraceCommand(CLI::App& cli, int* exit_code) {
  auto flags = std::make_shared<TraceFlags>();
  auto* trace = cli.add_subcommand(
      "trace", "Recordings of the app running: check them, show them as one timeline");
  trace->require_subcommand(1);
  trace->footer(std::string("Formats (detected by content): piaudit.trace/1 JSON Lines, HAR 1.2, "
                            "pcap/pcapng,\nlogcat (threadtime, epoch, year), MobSF api_monitor, "
                            "Camille xlsx, uiautomator XML.\nSee docs/schemas/trace.md.\n\n"
                            "Examples:\n  piaudit trace check run1.jsonl capture.har\n"
                            "  piaudit trace show recordings/ --format json\n\n") +
                kExitCodesHelp);
  auto add_common = [flags](CLI::App* c) {
    c->add_option("files", flags->files, "recording files or directories")->required();
    c->add_option("--clock-offset-ms", flags->clock_offset_ms,
                  "milliseconds added to every time read (the recorder's clock error)");
  };
  auto* check = trace->add_subcommand(
      "check",
      "Validate and summarise: events by type, time span, consent, hooks, identifiers "
      "(exit 3 on the first fatal error; malformed lines are counted and skipped)");
  add_common(check);
  check->callback([flags, exit_code] { *exit_code = Check(*flags); });
  auto* show = trace->add_subcommand("show", "Every event on one timeline, with its owner");
  add_common(show);
  show->add_option("--format", flags->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  show->add_option("--package", flags->package,
                   "the app's package (its own classes and domain are 'app')");
  show->add_option("--max-events", flags->max_events, "events shown at most");
  show->add_option("--kb", flags->kb_dir, "Knowledge-base directory (default: bundled data/)");
  show->callback([flags, exit_code] { *exit_code = Show(*flags); });
}

}  // namespace piaudit::app
