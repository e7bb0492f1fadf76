// Recordings of the app running, read and judged into runtime facts (evidence::RuntimeFacts).
//
// Every file is read twice, streaming, so memory does not grow with the number of API calls or
// requests: the first pass keeps the few events that set the scene (session, consent, permission
// prompts and answers, lifecycle, markers, screens, taps) and sorts them into one timeline; the
// second pass places every API call and request on that timeline (before or after consent, which
// permissions the user had denied, foreground or background), ties it to its owner (the stack's
// innermost non-framework frame; the host for traffic) and folds it into bounded groups.
#ifndef PIAUDIT_RUNTIME_RECORDINGS_H_
#define PIAUDIT_RUNTIME_RECORDINGS_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostics.h"
#include "evidence/evidence.h"
#include "knowledge/knowledge_base.h"
#include "trace/reader.h"

namespace piaudit::runtime {

// Who a class belongs to. The scan passes the static analysis's answer (catalogue prefixes, and
// renamed SDK code recognised by fingerprints or package inference); without an APK the SDK
// catalogue's prefixes answer alone.
struct Attribution {
  std::string app_package;
  // "app", an SDK id, or "" when it does not know the class. May be empty.
  std::function<std::string(std::string_view dot_class)> class_owner;
  // Stack frames of these packages are the platform's (android., java., kotlin. ...), never an
  // owner: the owner is the innermost frame outside them (knowledge base list).
  std::vector<std::string> framework_prefixes;
};

struct RecordingOptions {
  trace::ReadOptions read;
  // Bounds of the facts kept (the rest is counted in RuntimeFacts::dropped).
  uint32_t max_timeline_events = 50'000;
  uint32_t max_api_groups = 20'000;
  uint32_t max_leaks = 5'000;
  uint32_t max_hosts = 5'000;
  uint32_t max_stack_frames_kept = 32;
  // API ids kept per hooks list: recorders hook a few hundred APIs; a session naming 100,000
  // costs a set lookup each, and only this many are kept.
  uint32_t max_hooks_kept = 10'000;
  uint32_t max_text_bytes = 512;
  uint64_t max_ui_dump_bytes = 32u << 20;
};

// Reads every file (formats detected by content) into one set of runtime facts. A file that cannot
// be read is named in RuntimeFileFact::error and a diagnostic, and the others are still read.
evidence::RuntimeFacts ReadRecordings(std::span<const std::string> files,
                                      const knowledge::KnowledgeBase& kb,
                                      const Attribution& attribution,
                                      const RecordingOptions& options, Diagnostics& diagnostics);

// The files of `paths`: a directory stands for the regular files directly inside it (sorted).
std::vector<std::string> ExpandTracePaths(std::span<const std::string> paths);

}  // namespace piaudit::runtime

#endif  // PIAUDIT_RUNTIME_RECORDINGS_H_
