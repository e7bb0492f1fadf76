// What `piaudit trace check` and `piaudit trace show` print: a summary of each recording, and
// every event of all of them on one timeline with its owner.
#ifndef PIAUDIT_RUNTIME_TIMELINE_H_
#define PIAUDIT_RUNTIME_TIMELINE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "knowledge/knowledge_base.h"
#include "runtime/recordings.h"
#include "trace/event.h"
#include "trace/reader.h"

namespace piaudit::runtime {

struct TraceSummary {
  std::string file;
  trace::TraceFormat format = trace::TraceFormat::kUnknown;
  std::optional<trace::Session> session;
  // Events by trace::EventType (index = the enum's value).
  std::array<uint64_t, static_cast<size_t>(trace::EventType::kOther) + 1> by_type{};
  uint64_t events = 0;
  uint64_t malformed = 0;
  uint64_t untimed = 0;
  std::optional<int64_t> first_ms;
  std::optional<int64_t> last_ms;
  // Consent events: (time, action), in file order.
  std::vector<std::pair<std::optional<int64_t>, std::string>> consent;
  // The first malformed lines or entries, "line 7: t: not an RFC 3339 time".
  std::vector<std::string> first_malformed;
};

// Reads one file. A fatal error (unreadable, not a recording, a limit) is the Status, naming the
// file and the line or offset.
Result<TraceSummary> SummariseTrace(const std::string& path, const trace::ReadOptions& options);

struct TimelineEntry {
  std::optional<int64_t> t_ms;
  uint32_t file = 0;  // index into the files given
  uint64_t line = 0;
  std::optional<uint64_t> entry;
  trace::EventType type = trace::EventType::kOther;
  std::string what;   // "android.telephony.TelephonyManager.getDeviceId", "GET http://...", ...
  std::string owner;  // api, network, permission_request: "app", an SDK id or "unknown"
};

struct Timeline {
  std::vector<TimelineEntry> entries;  // in time order, untimed last
  uint64_t dropped = 0;                // past max_entries
};

// Every event of `files` with its owner. Fatal errors of a file are returned at once.
Result<Timeline> MergeTimeline(std::span<const std::string> files,
                               const knowledge::KnowledgeBase& kb, const Attribution& attribution,
                               const trace::ReadOptions& options, uint64_t max_entries);

}  // namespace piaudit::runtime

#endif  // PIAUDIT_RUNTIME_TIMELINE_H_
