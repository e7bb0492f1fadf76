#include "runtime/timeline.h"

#include <algorithm>
#include <memory>

#include "base/utf8.h"
#include "runtime/owner.h"
#include "runtime/recording_file.h"

namespace piaudit::runtime {
namespace {

class SummarySink : public trace::EventSink {
 public:
  explicit SummarySink(TraceSummary& s) : s_(s) {}
  void OnSession(const trace::Session& session) override {
    if (!s_.session) s_.session = session;
  }
  void OnEvent(const trace::Event& e) override {
    ++s_.by_type[static_cast<size_t>(e.type)];
    if (!e.t_ms) {
      ++s_.untimed;
    } else {
      if (!s_.first_ms || *e.t_ms < *s_.first_ms) s_.first_ms = e.t_ms;
      if (!s_.last_ms || *e.t_ms > *s_.last_ms) s_.last_ms = e.t_ms;
    }
    if (e.type == trace::EventType::kConsent && s_.consent.size() < 1000) {
      s_.consent.emplace_back(e.t_ms, std::string(e.action));
    }
  }
  void OnMalformed(uint64_t where, std::string_view why) override {
    if (s_.first_malformed.size() < 10) {
      s_.first_malformed.push_back(TracePlace(s_.format, where) + ": " + std::string(why));
    }
  }

 private:
  TraceSummary& s_;
};

std::string What(const trace::Event& e) {
  auto join = [](std::span<const std::string_view> parts) {
    std::string out;
    for (std::string_view p : parts) {
      if (!out.empty()) out += ",";
      out += p;
    }
    return out;
  };
  std::string what;
  switch (e.type) {
    case trace::EventType::kApi:
      what = std::string(e.api);
      break;
    case trace::EventType::kPermissionRequest:
      what = join(e.permissions);
      break;
    case trace::EventType::kPermissionResult:
      what = std::string(e.permission) +
             (e.granted ? (*e.granted ? " granted" : " denied") : " (no answer recorded)");
      break;
    case trace::EventType::kConsent:
      what = std::string(e.action) + (e.via.empty() ? "" : " via " + std::string(e.via));
      break;
    case trace::EventType::kUi:
      what = std::string(e.activity);
      break;
    case trace::EventType::kTap:
      what = std::string(!e.text.empty() ? e.text : e.resource_id);
      break;
    case trace::EventType::kNetwork:
      what = std::string(e.method) + " " +
             std::string(!e.url.empty() ? e.url : (!e.host.empty() ? e.host : e.ip));
      break;
    case trace::EventType::kLifecycle:
    case trace::EventType::kMarker:
      what = std::string(e.name);
      break;
    case trace::EventType::kLog:
      what = std::string(e.log_line);
      break;
    case trace::EventType::kOther:
      what = std::string(e.type_name);
      break;
  }
  return BoundedUtf8(what, 300);
}

class TimelineSink : public trace::EventSink {
 public:
  TimelineSink(Timeline& t, const OwnerResolver& owners, uint32_t file, uint64_t max)
      : t_(t), owners_(owners), file_(file), max_(max) {}
  void OnEvent(const trace::Event& e) override {
    if (t_.entries.size() >= max_) {
      ++t_.dropped;
      return;
    }
    TimelineEntry entry;
    entry.t_ms = e.t_ms;
    entry.file = file_;
    entry.line = e.line;
    entry.entry = e.entry;
    entry.type = e.type;
    entry.what = What(e);
    if (e.type == trace::EventType::kApi || e.type == trace::EventType::kPermissionRequest) {
      entry.owner = owners_.OfStack(e.stack);
    } else if (e.type == trace::EventType::kNetwork) {
      std::string host = !e.host.empty() ? std::string(e.host) : HostOfUrl(e.url);
      entry.owner = !e.stack.empty() ? owners_.OfStack(e.stack)
                                     : owners_.OfHost(!host.empty() ? host : std::string(e.ip));
    }
    t_.entries.push_back(std::move(entry));
  }

 private:
  Timeline& t_;
  const OwnerResolver& owners_;
  uint32_t file_;
  uint64_t max_;
};

}  // namespace

Result<TraceSummary> SummariseTrace(const std::string& path, const trace::ReadOptions& options) {
  Result<RecordingFile> file = RecordingFile::Open(path, options);
  if (!file.ok()) return file.status();
  TraceSummary s;
  s.file = path;
  s.format = file->format();
  SummarySink sink(s);
  trace::ReadStats stats;
  if (Status status = file->Read(options, sink, &stats); !status.ok()) return status;
  s.events = stats.events;
  s.malformed = stats.malformed;
  return s;
}

Result<Timeline> MergeTimeline(std::span<const std::string> files,
                               const knowledge::KnowledgeBase& kb, const Attribution& attribution,
                               const trace::ReadOptions& options, uint64_t max_entries) {
  Timeline timeline;
  OwnerResolver owners(kb, attribution);
  for (size_t i = 0; i < files.size(); ++i) {
    Result<RecordingFile> file = RecordingFile::Open(files[i], options);
    if (!file.ok()) return file.status();
    TimelineSink sink(timeline, owners, static_cast<uint32_t>(i), max_entries);
    if (Status status = file->Read(options, sink, nullptr); !status.ok()) return status;
  }
  std::stable_sort(timeline.entries.begin(), timeline.entries.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) {
                     if (a.t_ms.has_value() != b.t_ms.has_value()) return a.t_ms.has_value();
                     return a.t_ms && *a.t_ms < *b.t_ms;
                   });
  return timeline;
}

}  // namespace piaudit::runtime
