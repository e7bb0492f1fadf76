// The PI a recorded API call read, from data/apis.yaml, by the name recorders hook it under.
#ifndef PIAUDIT_RUNTIME_API_INDEX_H_
#define PIAUDIT_RUNTIME_API_INDEX_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "knowledge/knowledge_base.h"

namespace piaudit::runtime {

class ApiIndex {
 public:
  explicit ApiIndex(const knowledge::KnowledgeBase& kb);

  // "android.telephony.TelephonyManager.getDeviceId" (nested classes with '$':
  // "android.provider.Settings$Secure.getString"). False when the knowledge base does not know the
  // API as a PI read (then the call is not a PI read piaudit can name).
  bool Known(std::string_view api) const { return by_name_.count(std::string(api)) != 0; }

  // The PI types the call read, given its recorded arguments (raw JSON text): an overload that
  // reads PI only for a constant argument (Settings.Secure.getString(.., "android_id")) or a
  // content URI (ContentResolver.query) counts only when the arguments show it. Appends
  // permissions guarding that PI to `permissions` when not null.
  std::vector<std::string> PiOf(std::string_view api, std::string_view args,
                                std::vector<std::string>* permissions) const;

 private:
  const knowledge::KnowledgeBase& kb_;
  std::unordered_map<std::string, std::vector<const knowledge::SensitiveApi*>> by_name_;
};

// "Landroid/provider/Settings$Secure;" + "getString" ->
// "android.provider.Settings$Secure.getString".
std::string RecorderApiName(std::string_view class_descriptor, std::string_view member);

}  // namespace piaudit::runtime

#endif  // PIAUDIT_RUNTIME_API_INDEX_H_
