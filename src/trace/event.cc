#include "trace/event.h"

#include <array>
#include <utility>

namespace piaudit::trace {
namespace {

constexpr std::array<std::pair<EventType, std::string_view>, 11> kEventTypeNames = {{
    {EventType::kApi, "api"},
    {EventType::kPermissionRequest, "permission_request"},
    {EventType::kPermissionResult, "permission_result"},
    {EventType::kConsent, "consent"},
    {EventType::kUi, "ui"},
    {EventType::kTap, "tap"},
    {EventType::kNetwork, "network"},
    {EventType::kLifecycle, "lifecycle"},
    {EventType::kMarker, "marker"},
    {EventType::kLog, "log"},
    {EventType::kOther, "other"},
}};

}  // namespace

std::string_view EventTypeName(EventType t) {
  for (const auto& [type, name] : kEventTypeNames) {
    if (type == t) return name;
  }
  return "other";
}

std::optional<EventType> ParseEventType(std::string_view name) {
  for (const auto& [type, known] : kEventTypeNames) {
    if (known == name && type != EventType::kOther) return type;
  }
  return std::nullopt;
}

std::string_view AppStateName(AppState s) {
  switch (s) {
    case AppState::kForeground:
      return "foreground";
    case AppState::kBackground:
      return "background";
    case AppState::kUnknown:
      break;
  }
  return "unknown";
}

std::vector<std::string_view> IdentifierKinds(const Identifiers& ids) {
  std::vector<std::string_view> kinds;
  auto add = [&](bool present, std::string_view kind) {
    if (present) kinds.push_back(kind);
  };
  add(!ids.imei.empty(), "imei");
  add(!ids.android_id.empty(), "android_id");
  add(!ids.mac.empty(), "mac");
  add(!ids.oaid.empty(), "oaid");
  add(!ids.imsi.empty(), "imsi");
  add(!ids.iccid.empty(), "iccid");
  add(!ids.serial.empty(), "serial");
  add(!ids.phone_number.empty(), "phone_number");
  add(ids.lat.has_value() && ids.lon.has_value(), "location");
  return kinds;
}

AppState ParseAppState(std::string_view name) {
  if (name == "foreground") return AppState::kForeground;
  if (name == "background") return AppState::kBackground;
  return AppState::kUnknown;
}

}  // namespace piaudit::trace
