// One event of a recording of the app running, as every trace reader hands it on.
//
// Recordings come in many formats (piaudit.trace/1 JSON Lines, HAR, pcap, logcat, MobSF's API
// monitor, Camille's xlsx, uiautomator dumps); each reader turns its format into these events and
// passes them, one at a time, to an EventSink. An Event holds views into storage the reader owns
// and reuses: it is valid only during the OnEvent call, so a million-event trace is read without
// one allocation per event. A sink that keeps anything copies it.
//
// The format is documented in docs/schemas/trace.md (piaudit.trace/1 is a contract).
#ifndef PIAUDIT_TRACE_EVENT_H_
#define PIAUDIT_TRACE_EVENT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace piaudit::trace {

enum class EventType : uint8_t {
  kApi,
  kPermissionRequest,
  kPermissionResult,
  kConsent,
  kUi,
  kTap,
  kNetwork,
  kLifecycle,
  kMarker,
  kLog,
  kOther,  // a type piaudit does not know: kept (counted) and ignored, never an error
};
// "api", "permission_request", "permission_result", "consent", "ui", "tap", "network",
// "lifecycle", "marker", "log", "other".
std::string_view EventTypeName(EventType t);
std::optional<EventType> ParseEventType(std::string_view name);  // nullopt also for "other"

enum class AppState : uint8_t { kUnknown, kForeground, kBackground };
std::string_view AppStateName(AppState s);  // "unknown", "foreground", "background"
AppState ParseAppState(std::string_view name);

struct Header {
  std::string_view name;
  std::string_view value;
};

// Views valid only during EventSink::OnEvent. Fields not used by the event's type stay empty.
struct Event {
  EventType type = EventType::kOther;
  std::string_view type_name;  // as written (for kOther)
  // Milliseconds since the Unix epoch, UTC, after the file's clock offset. nullopt: no time (an
  // event without a time cannot be put before or after consent; sinks count it and keep it out).
  std::optional<int64_t> t_ms;
  // Where it is: the 1-based line of a line format (JSONL, logcat), else the 0-based index of the
  // entry (HAR entry, pcap packet, xlsx row, uiautomator node). `line` is 0 when not a line format.
  uint64_t line = 0;
  std::optional<uint64_t> entry;

  // api
  std::string_view api;   // "android.telephony.TelephonyManager.getDeviceId" (data/apis.yaml names)
  std::string_view args;  // raw JSON text of `args`, as written (may be empty)
  std::string_view result;  // the result as text (a JSON string unquoted, anything else raw)
  std::span<const std::string_view> stack;  // innermost frame first: "com.x.Y.m(Y.java:12)"
  std::string_view thread;
  AppState app_state = AppState::kUnknown;

  // permission_request (permissions) / permission_result (permission, granted)
  std::span<const std::string_view> permissions;
  std::string_view permission;
  std::optional<bool> granted;

  // consent: action "shown" / "accepted" / "refused" / "withdrawn"; via; text
  std::string_view action;
  std::string_view via;
  std::string_view text;  // consent text, tap text

  // ui: activity; the uiautomator XML inline (hierarchy) or a path relative to the trace (dump)
  std::string_view activity;
  std::string_view hierarchy;
  std::string_view dump;
  std::string_view screenshot;

  // tap
  std::optional<double> x;
  std::optional<double> y;
  std::string_view resource_id;

  // network: body holds the decoded bytes (body_b64 decoded; HAR text; pcap payload)
  std::string_view method;
  std::string_view url;
  std::string_view host;
  std::string_view ip;
  std::optional<uint16_t> port;
  std::span<const Header> headers;
  std::string_view body;
  bool encrypted = false;  // TLS payload: its content is unknown, not empty

  // lifecycle (name: install, first_start, start, foreground, background, stop, crash, update),
  // marker (name: a scenario step), log (text: one logcat line)
  std::string_view name;
  std::string_view log_line;
};

// The first line of a piaudit.trace/1 file (other formats fill what they know).
struct Identifiers {
  std::vector<std::string> imei;
  std::string android_id;
  std::string mac;
  std::string oaid;
  std::string imsi;
  std::string iccid;
  std::string serial;
  std::string phone_number;
  std::optional<double> lat;
  std::optional<double> lon;

  bool operator==(const Identifiers&) const = default;
};

// The kinds of identifier `ids` gives ("imei", "android_id", "mac", "oaid", "imsi", "iccid",
// "serial", "phone_number", "location"), in that order.
std::vector<std::string_view> IdentifierKinds(const Identifiers& ids);

struct Session {
  std::string schema;  // "piaudit.trace/1"
  std::string package;
  int64_t version_code = 0;
  std::string apk_sha256;
  std::string device_model;
  int32_t android_api = 0;
  std::string recorder_tool;
  std::string recorder_version;
  std::vector<std::string> hooks_installed;  // api ids
  std::vector<std::string> hooks_failed;     // api ids: "no hit" for them is unknown
  Identifiers identifiers;
  std::optional<int64_t> started_at_ms;
  // Milliseconds the recorder says to add to this file's times to put them on the run's common
  // clock (its device clock was off); added to every later event of the file, on top of the
  // reader's clock_offset_ms.
  int64_t clock_offset_ms = 0;
  uint64_t line = 1;

  bool operator==(const Session&) const = default;
};

// Receives what a reader reads, in file order.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void OnSession(const Session& session) {}
  virtual void OnEvent(const Event& event) = 0;
  // A line or entry that could not be read; the reader goes on with the next one.
  virtual void OnMalformed(uint64_t line_or_entry, std::string_view why) {}
};

}  // namespace piaudit::trace

#endif  // PIAUDIT_TRACE_EVENT_H_
