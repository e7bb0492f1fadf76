#include "runtime/recordings.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "base/ascii.h"
#include "base/mapped_file.h"
#include "base/utf8.h"
#include "runtime/api_index.h"
#include "runtime/identifier_match.h"
#include "runtime/owner.h"
#include "runtime/recording_file.h"
#include "runtime/screen_facts.h"
#include "trace/time.h"
#include "trace/ui_hierarchy.h"

namespace piaudit::runtime {
namespace {

using evidence::EvidenceRef;
using evidence::RuntimeEventFact;
using evidence::RuntimeFacts;

constexpr int64_t kMinuteMs = 60'000;

struct InputFile {
  std::string path;
  std::optional<RecordingFile> recording;  // unset: not readable, its activity is unknown
  trace::TraceFormat format = trace::TraceFormat::kUnknown;
  evidence::RuntimeFileFact* fact = nullptr;
};

EvidenceRef TraceRef(const InputFile& file, const trace::Event& e, std::string detail,
                     evidence::SourceKind kind = evidence::SourceKind::kTrace) {
  EvidenceRef ref;
  ref.kind = kind;
  ref.file = file.path;
  if (e.line != 0) {
    ref.location = "line " + std::to_string(e.line);
  } else if (e.entry) {
    ref.location = "entry " + std::to_string(*e.entry);
  }
  ref.detail = std::move(detail);
  if (e.t_ms) ref.time = trace::FormatRfc3339Ms(*e.t_ms);
  return ref;
}

void AddUnique(std::vector<std::string>* out, std::string_view value) {
  if (std::find(out->begin(), out->end(), value) == out->end()) out->emplace_back(value);
}

void TrackTime(std::optional<int64_t>* first, std::optional<int64_t>* last, const trace::Event& e) {
  if (!e.t_ms) return;
  if (!*first || *e.t_ms < **first) *first = e.t_ms;
  if (!*last || *e.t_ms > **last) *last = e.t_ms;
}

// Pass 1: the scene (session, consent, permissions, lifecycle, markers, screens, taps).
class SceneSink : public trace::EventSink {
 public:
  SceneSink(InputFile& file, RuntimeFacts& facts, const OwnerResolver& owners,
            const knowledge::ScreenWords& words, const RecordingOptions& options,
            Diagnostics& diagnostics, std::unordered_set<std::string>& hooks_seen)
      : file_(file),
        facts_(facts),
        owners_(owners),
        words_(words),
        options_(options),
        diags_(diagnostics),
        hooks_seen_(hooks_seen) {}

  void OnSession(const trace::Session& s) override {
    evidence::RuntimeFileFact& fact = *file_.fact;
    if (fact.package.empty()) fact.package = s.package;
    if (fact.version_code == 0) fact.version_code = s.version_code;
    if (fact.apk_sha256.empty()) fact.apk_sha256 = s.apk_sha256;
    if (fact.recorder.empty() && !s.recorder_tool.empty()) {
      fact.recorder =
          s.recorder_tool + (s.recorder_version.empty() ? "" : " " + s.recorder_version);
    }
    if (facts_.package.empty()) facts_.package = s.package;
    // A session may name 100,000 hooks; kept once each, and only so many.
    for (const std::string& h : s.hooks_installed) KeepHook(&facts_.hooks_installed, h);
    for (const std::string& h : s.hooks_failed) KeepHook(&facts_.hooks_failed, h);
    for (std::string_view kind : trace::IdentifierKinds(s.identifiers)) {
      AddUnique(&facts_.identifiers_known, kind);
    }
    sessions.push_back(s);
  }

  void OnEvent(const trace::Event& e) override {
    TrackTime(&first, &last, e);
    if (!e.t_ms) ++facts_.untimed_events;
    RuntimeEventFact fact;
    switch (e.type) {
      case trace::EventType::kConsent:
        fact.name = std::string(e.action);
        fact.text = BoundedUtf8(e.text, options_.max_text_bytes);
        break;
      case trace::EventType::kPermissionRequest:
        for (std::string_view p : e.permissions) fact.permissions.emplace_back(p);
        fact.owner = owners_.OfStack(e.stack);
        break;
      case trace::EventType::kPermissionResult:
        fact.permissions.emplace_back(e.permission);
        fact.granted = e.granted;
        break;
      case trace::EventType::kLifecycle:
      case trace::EventType::kMarker:
        fact.name = std::string(e.name);
        break;
      case trace::EventType::kTap:
        fact.text = BoundedUtf8(!e.text.empty() ? e.text : e.resource_id, options_.max_text_bytes);
        fact.name = std::string(e.resource_id.substr(0, options_.max_text_bytes));
        break;
      case trace::EventType::kUi:
        fact.name = std::string(e.activity.substr(0, options_.max_text_bytes));
        ReadScreen(e, &fact);
        break;
      default:
        return;
    }
    fact.type = std::string(trace::EventTypeName(e.type));
    fact.t_ms = e.t_ms;
    fact.ref = TraceRef(file_, e, fact.type);
    if (facts_.timeline.size() >= options_.max_timeline_events) {
      ++facts_.dropped;
      return;
    }
    facts_.timeline.push_back(std::move(fact));
  }

  void OnMalformed(uint64_t where, std::string_view why) override {
    if (++malformed_reported_ > 20) return;  // the count says the rest
    diags_.Add(Severity::kWarning, "trace_malformed", file_.path, TracePlace(file_.format, where),
               0, std::string(why));
  }

  std::vector<trace::Session> sessions;
  std::optional<int64_t> first;
  std::optional<int64_t> last;

 private:
  void KeepHook(std::vector<std::string>* list, const std::string& hook) {
    const char* which = list == &facts_.hooks_failed ? "failed:" : "installed:";
    if (!hooks_seen_.insert(which + hook).second) return;
    if (list->size() >= options_.max_hooks_kept) {
      ++facts_.dropped;
      return;
    }
    list->push_back(hook);
  }

  // What the screen shows, from its hierarchy inline or in a dump file beside the trace. A dump
  // path is a name relative to the trace's folder: an absolute path or one with ".." is refused,
  // so a recording cannot make piaudit read files elsewhere.
  void ReadScreen(const trace::Event& e, RuntimeEventFact* fact) {
    if (!e.screenshot.empty()) ReadScreenshot(e, fact);
    std::string xml;
    std::string_view text = e.hierarchy;
    std::string where = file_.path;
    if (text.empty() && !e.dump.empty()) {
      std::filesystem::path rel(std::string(e.dump));
      bool safe = rel.is_relative();
      for (const auto& part : rel) safe &= part != "..";
      if (!safe) {
        Warn(e, "ui dump path '" + std::string(e.dump.substr(0, 200)) +
                    "' is not inside the trace's folder; screen unknown");
        return;
      }
      where = (std::filesystem::path(file_.path).parent_path() / rel).string();
      auto bytes = ReadFileToString(where, options_.max_ui_dump_bytes);
      if (!bytes.ok()) {
        Warn(e, "ui dump: " + bytes.status().ToString() + "; screen unknown");
        return;
      }
      xml = std::move(bytes).value();
      text = xml;
    }
    if (text.empty()) return;
    auto screen = trace::ParseUiHierarchy(text, where, trace::UiLimits{});
    if (!screen.ok()) {
      Warn(e, "ui hierarchy: " + screen.status().ToString() + "; screen unknown");
      return;
    }
    ScreenFacts facts = ComputeScreenFacts(*screen, words_);
    fact->consent_screen = facts.is_consent_screen;
    fact->prechecked_consent = facts.prechecked_consent.has_value();
    fact->policy_link = facts.policy_link.has_value();
    fact->shows_policy = facts.shows_policy;
    fact->purpose_text = !facts.purpose_texts.empty();
    fact->screen_texts = VisibleTexts(*screen);
    if (facts.prechecked_consent && fact->text.empty()) {
      fact->text = BoundedUtf8(facts.prechecked_consent->text, options_.max_text_bytes);
    }
  }

  // The screenshot a ui event names, under the same rule as a dump (inside the trace's folder),
  // kept only when it is a PNG or JPEG of bounded size; its hash pins it for the report.
  void ReadScreenshot(const trace::Event& e, RuntimeEventFact* fact) {
    const std::string folder = std::filesystem::path(file_.path).parent_path().string();
    std::optional<std::string> path = PathInsideFolder(folder, e.screenshot);
    if (!path) {
      Warn(e, "screenshot path '" + std::string(e.screenshot.substr(0, 200)) +
                  "' is not inside the trace's folder; not shown");
      return;
    }
    auto bytes = ReadFileToString(*path, kMaxScreenshotBytes);
    if (!bytes.ok()) {
      Warn(e, "screenshot: " + bytes.status().ToString() + "; not shown");
      return;
    }
    if (ScreenshotMimeType(*bytes).empty()) {
      Warn(e, "screenshot " + *path + " is neither PNG nor JPEG; not shown");
      return;
    }
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(bytes->data()), bytes->size(), digest);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : digest) {
      hex.push_back(kHex[c >> 4]);
      hex.push_back(kHex[c & 15]);
    }
    fact->screenshot = std::move(*path);
    fact->screenshot_sha256 = std::move(hex);
  }

  void Warn(const trace::Event& e, std::string message) {
    diags_.Add(
        Severity::kWarning, "trace_ui", file_.path,
        e.line ? "line " + std::to_string(e.line) : "entry " + std::to_string(e.entry.value_or(0)),
        0, std::move(message));
  }

  InputFile& file_;
  RuntimeFacts& facts_;
  const OwnerResolver& owners_;
  const knowledge::ScreenWords& words_;
  const RecordingOptions& options_;
  Diagnostics& diags_;
  uint32_t malformed_reported_ = 0;
  // "installed:"/"failed:" + API id of every hook kept, across the run's files.
  std::unordered_set<std::string>& hooks_seen_;
};

// The scene as lookups by time, built once after pass 1.
class Scene {
 public:
  explicit Scene(const std::vector<RuntimeEventFact>& timeline) {
    for (const RuntimeEventFact& e : timeline) {
      if (e.type == "consent") {
        any_consent_ = true;
        if (e.t_ms && (e.name == "accepted" || e.name == "refused" || e.name == "withdrawn")) {
          consent_.emplace_back(*e.t_ms, e.name);
        }
      } else if (e.type == "permission_result" && e.t_ms && e.granted && !e.permissions.empty()) {
        permission_[e.permissions.front()].emplace_back(*e.t_ms, *e.granted);
      } else if (e.type == "lifecycle" && e.t_ms) {
        if (e.name == "foreground" || e.name == "start" || e.name == "first_start") {
          state_.emplace_back(*e.t_ms, trace::AppState::kForeground);
        } else if (e.name == "background" || e.name == "stop") {
          state_.emplace_back(*e.t_ms, trace::AppState::kBackground);
        }
      }
    }
    std::stable_sort(consent_.begin(), consent_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::stable_sort(state_.begin(), state_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [name, results] : permission_) {
      std::stable_sort(results.begin(), results.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
    }
  }

  // Where `t` falls relative to the user's consent choices (RuntimeApiFact::phase).
  std::string_view Phase(std::optional<int64_t> t) const {
    if (!t) return "untimed";
    const auto* last = LastAtOrBefore(consent_, *t);
    if (!last) return any_consent_ ? "before_consent" : "no_consent_recorded";
    if (last->second == "accepted") return "after_consent";
    if (last->second == "refused") return "after_refusal";
    return "after_withdrawal";
  }

  trace::AppState StateAt(std::optional<int64_t> t) const {
    if (!t) return trace::AppState::kUnknown;
    const auto* last = LastAtOrBefore(state_, *t);
    return last ? last->second : trace::AppState::kUnknown;
  }

  // The first of `permissions` whose latest answer before `t` was a refusal; "" none.
  std::string DeniedAt(const std::vector<std::string>& permissions,
                       std::optional<int64_t> t) const {
    if (!t) return "";
    for (const std::string& p : permissions) {
      auto it = permission_.find(p);
      if (it == permission_.end()) continue;
      const auto* last = LastAtOrBefore(it->second, *t);
      if (last && !last->second) return p;
    }
    return "";
  }

 private:
  template <typename V>
  static const std::pair<int64_t, V>* LastAtOrBefore(const std::vector<std::pair<int64_t, V>>& v,
                                                     int64_t t) {
    auto it = std::upper_bound(v.begin(), v.end(), t,
                               [](int64_t value, const auto& e) { return value < e.first; });
    return it == v.begin() ? nullptr : &*(it - 1);
  }

  bool any_consent_ = false;
  std::vector<std::pair<int64_t, std::string>> consent_;
  std::vector<std::pair<int64_t, trace::AppState>> state_;
  std::map<std::string, std::vector<std::pair<int64_t, bool>>> permission_;
};

struct MinuteBucket {
  uint64_t count = 0;
  int64_t first_t = 0;
  EvidenceRef first_ref;
};

// Pass 2: every API call and request, placed on the scene and grouped.
class ActivitySink : public trace::EventSink {
 public:
  ActivitySink(RuntimeFacts& facts, const Scene& scene, const ApiIndex& apis,
               const OwnerResolver& owners, const IdentifierSet& identifiers,
               const RecordingOptions& options)
      : facts_(facts),
        scene_(scene),
        apis_(apis),
        owners_(owners),
        identifiers_(identifiers),
        options_(options) {}

  void SetFile(const InputFile* file) { file_ = file; }

  void OnEvent(const trace::Event& e) override {
    if (e.type == trace::EventType::kApi) {
      ++facts_.api_events;
      OnApi(e);
    } else if (e.type == trace::EventType::kNetwork) {
      ++facts_.network_events;
      OnNetwork(e);
    }
  }

  void Finish() {
    for (auto& [key, bucket] : rates_) {
      auto& [api, state] = key;
      std::vector<std::pair<int64_t, const MinuteBucket*>> minutes;
      minutes.reserve(bucket.size());
      for (const auto& [minute, b] : bucket) minutes.emplace_back(minute, &b);
      std::sort(minutes.begin(), minutes.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      uint64_t best = 0, window = 0;
      size_t best_start = 0;
      for (size_t lo = 0, hi = 0; hi < minutes.size(); ++hi) {
        window += minutes[hi].second->count;
        while (minutes[hi].first - minutes[lo].first >= 60) window -= minutes[lo++].second->count;
        if (window > best) {
          best = window;
          best_start = lo;
        }
      }
      evidence::RuntimeRateFact rate;
      rate.api = api;
      rate.pi_types = rate_pi_[api];
      rate.app_state = std::string(trace::AppStateName(state));
      rate.max_per_hour = best;
      if (!minutes.empty()) rate.ref = minutes[best_start].second->first_ref;
      facts_.rates.push_back(std::move(rate));
    }
    std::sort(facts_.rates.begin(), facts_.rates.end(), [](const auto& a, const auto& b) {
      return std::tie(b.max_per_hour, a.api, a.app_state) <
             std::tie(a.max_per_hour, b.api, b.app_state);
    });
  }

 private:
  void OnApi(const trace::Event& e) {
    permissions_.clear();
    std::vector<std::string> pi = apis_.PiOf(e.api, e.args, &permissions_);
    if (pi.empty()) return;  // not a PI read piaudit can name
    int frame = -1;
    std::string owner = owners_.OfStack(e.stack, &frame);
    std::string_view phase = scene_.Phase(e.t_ms);
    trace::AppState state =
        e.app_state != trace::AppState::kUnknown ? e.app_state : scene_.StateAt(e.t_ms);
    // Through a denied permission the platform answers with an exception or an empty value; only
    // a call that returned something read PI despite the refusal.
    std::string denied = ReturnedValue(e.result) ? scene_.DeniedAt(permissions_, e.t_ms) : "";
    std::string api(e.api);
    auto key = std::make_tuple(api, owner, std::string(phase), state, denied);
    auto it = groups_.find(key);
    if (it == groups_.end()) {
      if (groups_.size() >= options_.max_api_groups) {
        ++facts_.dropped;
        return;
      }
      evidence::RuntimeApiFact fact;
      fact.api = api;
      fact.pi_types = pi;
      fact.owner = owner;
      fact.phase = std::string(phase);
      fact.app_state = std::string(trace::AppStateName(state));
      fact.denied_permission = denied;
      it = groups_.emplace(std::move(key), facts_.api_calls.size()).first;
      facts_.api_calls.push_back(std::move(fact));
      first_ms_.push_back(INT64_MAX);
    }
    evidence::RuntimeApiFact& group = facts_.api_calls[it->second];
    ++group.count;
    // The group's first call, in time: files are merged in any order, so an earlier call may be
    // read after a later one. Its ref and stack are that call's.
    int64_t& first_ms = first_ms_[it->second];
    if (group.count == 1 || (e.t_ms && *e.t_ms < first_ms)) {
      first_ms = e.t_ms.value_or(INT64_MAX);
      group.stack.clear();
      for (size_t i = 0; i < e.stack.size() && i < options_.max_stack_frames_kept; ++i) {
        group.stack.emplace_back(e.stack[i].substr(0, options_.max_text_bytes));
      }
      std::string detail = api;
      if (frame >= 0) detail += " from " + std::string(FrameClass(e.stack[frame]));
      group.ref = TraceRef(*file_, e, std::move(detail));
    }
    if (e.t_ms) {
      auto rate_key = std::make_pair(api, state);
      auto& minutes = rates_[rate_key];
      if (rate_pi_.find(api) == rate_pi_.end()) rate_pi_[api] = pi;
      int64_t minute = *e.t_ms >= 0 ? *e.t_ms / kMinuteMs : (*e.t_ms - kMinuteMs + 1) / kMinuteMs;
      MinuteBucket& b = minutes[minute];
      if (b.count == 0 || *e.t_ms < b.first_t) {
        b.first_t = *e.t_ms;
        b.first_ref = TraceRef(*file_, e, api);
      }
      ++b.count;
    }
  }

  void OnNetwork(const trace::Event& e) {
    std::string host = !e.host.empty() ? AsciiLower(e.host) : HostOfUrl(e.url);
    if (host.empty()) host = std::string(e.ip);
    if (host.empty()) return;
    std::string_view phase = scene_.Phase(e.t_ms);
    auto it = hosts_.find(host);
    if (it == hosts_.end()) {
      if (hosts_.size() >= options_.max_hosts) {
        ++facts_.dropped;
        return;
      }
      evidence::RuntimeHostFact fact;
      fact.host = host;
      fact.owner = owners_.OfHost(host);
      fact.first_phase = std::string(phase);
      fact.content_unknown = true;
      fact.ref = TraceRef(*file_, e, std::string(e.method) + " " + BoundedUtf8(e.url, 200),
                          evidence::SourceKind::kNetwork);
      it = hosts_.emplace(host, facts_.hosts.size()).first;
      facts_.hosts.push_back(std::move(fact));
    }
    evidence::RuntimeHostFact& fact = facts_.hosts[it->second];
    ++fact.requests;
    bool content_known = !e.encrypted && e.method != "DNS" && e.method != "TLS";
    if (content_known) fact.content_unknown = false;
    if (!content_known || identifiers_.empty()) return;
    for (const IdentifierMatch& m : identifiers_.FindInNetworkEvent(e)) {
      auto key = std::make_tuple(host, std::string(m.kind), std::string(m.encoding), m.where,
                                 std::string(phase));
      auto leak = leaks_.find(key);
      if (leak == leaks_.end()) {
        if (leaks_.size() >= options_.max_leaks) {
          ++facts_.dropped;
          continue;
        }
        evidence::RuntimeLeakFact f;
        f.host = host;
        f.owner = fact.owner;
        f.identifier = std::string(m.kind);
        f.encoding = std::string(m.encoding);
        f.where = m.where;
        f.phase = std::string(phase);
        f.ref = TraceRef(*file_, e,
                         std::string(m.kind) + " as " + std::string(m.encoding) + " in the " +
                             m.where + " at byte " + std::to_string(m.offset) + ": " +
                             std::string(e.method) + " " + BoundedUtf8(e.url, 200),
                         evidence::SourceKind::kNetwork);
        leak = leaks_.emplace(std::move(key), facts_.leaks.size()).first;
        facts_.leaks.push_back(std::move(f));
      }
      ++facts_.leaks[leak->second].count;
    }
  }

  static bool ReturnedValue(std::string_view result) {
    if (result.empty() || result == "null" || result == "\"\"" || result == "[]" ||
        result == "{}") {
      return false;
    }
    return result.find("Exception") == std::string_view::npos;
  }

  RuntimeFacts& facts_;
  const Scene& scene_;
  const ApiIndex& apis_;
  const OwnerResolver& owners_;
  const IdentifierSet& identifiers_;
  const RecordingOptions& options_;
  const InputFile* file_ = nullptr;
  std::vector<std::string> permissions_;
  std::map<std::tuple<std::string, std::string, std::string, trace::AppState, std::string>, size_t>
      groups_;
  std::vector<int64_t> first_ms_;  // per api_calls group: time of its first call (INT64_MAX: none)
  std::map<std::pair<std::string, trace::AppState>, std::unordered_map<int64_t, MinuteBucket>>
      rates_;
  std::unordered_map<std::string, std::vector<std::string>> rate_pi_;
  std::unordered_map<std::string, size_t> hosts_;
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>, size_t>
      leaks_;
};

// Every identifier the sessions give, in one set (a run recorded in several files, or the same
// device in several runs).
trace::Identifiers MergeIdentifiers(const std::vector<trace::Session>& sessions) {
  trace::Identifiers all;
  auto take = [](std::string* into, const std::string& value) {
    if (into->empty()) *into = value;
  };
  for (const trace::Session& s : sessions) {
    const trace::Identifiers& ids = s.identifiers;
    for (const std::string& imei : ids.imei) {
      if (std::find(all.imei.begin(), all.imei.end(), imei) == all.imei.end()) {
        all.imei.push_back(imei);
      }
    }
    take(&all.android_id, ids.android_id);
    take(&all.mac, ids.mac);
    take(&all.oaid, ids.oaid);
    take(&all.imsi, ids.imsi);
    take(&all.iccid, ids.iccid);
    take(&all.serial, ids.serial);
    take(&all.phone_number, ids.phone_number);
    if (!all.lat && ids.lat && ids.lon) {
      all.lat = ids.lat;
      all.lon = ids.lon;
    }
  }
  return all;
}

bool TimelineBefore(const RuntimeEventFact& a, const RuntimeEventFact& b) {
  // Timed events in time order, untimed ones after them (in file order: the sort is stable).
  if (a.t_ms.has_value() != b.t_ms.has_value()) return a.t_ms.has_value();
  return a.t_ms && *a.t_ms < *b.t_ms;
}

}  // namespace

std::vector<std::string> ExpandTracePaths(std::span<const std::string> paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::string> inside;
      for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
        if (entry.is_regular_file(ec)) inside.push_back(entry.path().string());
      }
      std::sort(inside.begin(), inside.end());
      files.insert(files.end(), inside.begin(), inside.end());
    } else {
      files.push_back(path);
    }
  }
  return files;
}

evidence::RuntimeFacts ReadRecordings(std::span<const std::string> paths,
                                      const knowledge::KnowledgeBase& kb,
                                      const Attribution& attribution,
                                      const RecordingOptions& options, Diagnostics& diagnostics) {
  RuntimeFacts facts;
  facts.files.reserve(paths.size());
  std::vector<InputFile> inputs(paths.size());
  OwnerResolver owners(kb, attribution);
  std::vector<trace::Session> sessions;
  std::unordered_set<std::string> hooks_seen;

  // Pass 1: open, recognise and read the scene of every file.
  for (size_t i = 0; i < paths.size(); ++i) {
    InputFile& in = inputs[i];
    in.path = paths[i];
    facts.files.emplace_back();
    in.fact = &facts.files.back();
    in.fact->file = in.path;
    Result<RecordingFile> opened = RecordingFile::Open(in.path, options.read);
    if (!opened.ok()) {
      in.fact->error = opened.status().ToString();
      diagnostics.AddStatus("trace_unreadable", opened.status());
      continue;
    }
    in.recording.emplace(std::move(opened).value());
    in.format = in.recording->format();
    in.fact->format = std::string(trace::TraceFormatName(in.format));
    SceneSink scene_sink(in, facts, owners, kb.screen_words(), options, diagnostics, hooks_seen);
    trace::ReadStats stats;
    Status status = in.recording->Read(options.read, scene_sink, &stats);
    in.fact->events = stats.events;
    in.fact->malformed = stats.malformed;
    if (scene_sink.first) in.fact->first_time = trace::FormatRfc3339Ms(*scene_sink.first);
    if (scene_sink.last) in.fact->last_time = trace::FormatRfc3339Ms(*scene_sink.last);
    sessions.insert(sessions.end(), scene_sink.sessions.begin(), scene_sink.sessions.end());
    if (!status.ok()) {
      in.fact->error = status.ToString();
      diagnostics.AddStatus("trace_unreadable", status);
      in.recording.reset();  // its activity is unknown: pass 2 skips it
    }
  }
  std::stable_sort(facts.timeline.begin(), facts.timeline.end(), TimelineBefore);

  // Pass 2: the activity, on the scene.
  Scene scene(facts.timeline);
  ApiIndex apis(kb);
  IdentifierSet identifiers(MergeIdentifiers(sessions));
  for (const SkippedIdentifier& skipped : identifiers.skipped()) {
    diagnostics.Add(Severity::kInfo, "trace_identifier_skipped", "(session)",
                    std::string(skipped.kind), 0,
                    "not searched in traffic: " + std::string(skipped.why));
  }
  ActivitySink activity(facts, scene, apis, owners, identifiers, options);
  for (InputFile& in : inputs) {
    if (!in.recording) continue;
    activity.SetFile(&in);
    (void)in.recording->Read(options.read, activity, nullptr);
  }
  activity.Finish();
  return facts;
}

}  // namespace piaudit::runtime
