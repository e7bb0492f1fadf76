// Stable names of the policy enums, as used in JSON (docs/schemas/policy.md).
#include "policy/policy_analysis.h"

namespace piaudit::policy {

std::string_view CategoryName(Category c) {
  static constexpr std::string_view k[] = {
      "collection", "permission",       "sharing",      "use",     "retention",
      "security",   "special_audience", "edit_control", "contact", "policy_change",
      "cessation",  "summary",          "risk"};
  return k[static_cast<int>(c) % kCategoryCount];
}

std::string_view CategoryZhName(Category c) {
  static constexpr std::string_view k[] = {"数据收集",
                                           "权限获取",
                                           "共享、委托、转让、公开（披露）",
                                           "使用",
                                           "存储方式",
                                           "安全措施",
                                           "特殊人群",
                                           "数据、权限管理",
                                           "联系方式",
                                           "隐私政策的授权、修改与变更",
                                           "停止运营",
                                           "摘要",
                                           "潜在风险"};
  return k[static_cast<int>(c) % kCategoryCount];
}

std::string_view SpanKindName(SpanKind k) {
  switch (k) {
    case SpanKind::kDataType:
      return "data_type";
    case SpanKind::kPermission:
      return "permission";
    case SpanKind::kThirdParty:
      return "third_party";
    case SpanKind::kSdk:
      return "sdk";
    case SpanKind::kPurpose:
      return "purpose";
    case SpanKind::kRight:
      return "right";
    case SpanKind::kComplaintChannel:
      return "complaint_channel";
    case SpanKind::kContact:
      return "contact";
    case SpanKind::kTimeLimit:
      return "time_limit";
    case SpanKind::kCondition:
      return "condition";
    case SpanKind::kAction:
      return "action";
    case SpanKind::kFirstParty:
      return "first_party";
    case SpanKind::kDataSubject:
      return "data_subject";
  }
  return "unknown";
}

std::string_view NecessityName(Necessity n) {
  switch (n) {
    case Necessity::kOptional:
      return "optional";
    case Necessity::kRequired:
      return "required";
    default:
      return "unspecified";
  }
}

std::string_view RightKindName(RightKind k) {
  switch (k) {
    case RightKind::kAccess:
      return "access";
    case RightKind::kCorrection:
      return "correction";
    case RightKind::kDeletion:
      return "deletion";
    case RightKind::kAccountCancellation:
      return "account_cancellation";
    case RightKind::kWithdrawConsent:
      return "withdraw_consent";
    case RightKind::kPersonalizationOptOut:
      return "personalization_opt_out";
    case RightKind::kCopy:
      return "copy";
    case RightKind::kComplaint:
      return "complaint";
  }
  return "unknown";
}

std::string_view ChannelKindName(ChannelKind k) {
  switch (k) {
    case ChannelKind::kEmail:
      return "email";
    case ChannelKind::kPhone:
      return "phone";
    case ChannelKind::kPostalAddress:
      return "postal_address";
    case ChannelKind::kInAppPath:
      return "in_app_path";
    case ChannelKind::kOnlineService:
      return "online_service";
    case ChannelKind::kWeb:
      return "web";
  }
  return "unknown";
}

std::string_view TimeUnitName(TimeUnit u) {
  switch (u) {
    case TimeUnit::kWorkingDays:
      return "working_days";
    case TimeUnit::kDays:
      return "days";
    case TimeUnit::kHours:
      return "hours";
    case TimeUnit::kMonths:
      return "months";
  }
  return "unknown";
}

std::string_view TimeLimitSubjectName(TimeLimitSubject s) {
  switch (s) {
    case TimeLimitSubject::kRequest:
      return "request";
    case TimeLimitSubject::kComplaint:
      return "complaint";
    case TimeLimitSubject::kAccountCancellation:
      return "account_cancellation";
    case TimeLimitSubject::kRetention:
      return "retention";
    default:
      return "unknown";
  }
}

}  // namespace piaudit::policy
