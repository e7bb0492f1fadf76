// The sensitive-API catalogue in the form the code scan needs (descriptor -> entries, class ->
// entries, content URI prefixes), built from the knowledge base (data/apis.yaml) or by hand in
// tests. Several entries may share a descriptor when they differ by a constant argument
// (Settings$Secure.getString with "android_id" vs "bluetooth_address", SystemProperties.get with
// "ro.serialno" vs "ro.product.model").
#ifndef PIAUDIT_ANALYSIS_SENSITIVE_CALLS_H_
#define PIAUDIT_ANALYSIS_SENSITIVE_CALLS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace piaudit::knowledge {
class KnowledgeBase;
}  // namespace piaudit::knowledge

namespace piaudit::analysis {

struct CatalogApi {
  std::string
      descriptor;  // "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"
  std::string class_descriptor;  // filled by Add from descriptor
  std::string name;              // filled by Add
  bool is_field = false;         // filled by Add ("->NAME:Type")
  std::vector<std::string> pi;
  std::vector<std::string> permissions;
  // The permissions Android checks before the API returns anything (full names): an app holding
  // none of them reads nothing through it. Empty: not guarded (no permission, or one listed that
  // only filters results, knowledge::Permission::guards).
  std::vector<std::string> guards;
  std::string term;
  int const_arg_index = -1;  // declared parameter index (receiver not counted), -1 = none
  std::string const_arg_value;
  // Declared parameter holding the content URI that decides the PI type (ContentResolver.query),
  // -1 = none. Such an entry has no `pi` of its own: a URI the code does not show is an unknown
  // provider, reported as a lead without PI.
  int uri_arg_index = -1;
  // Declared parameter naming the package the call is about (PackageManager.getPackageInfo),
  // -1 = none. On the app's own package the call yields no PI.
  int package_arg_index = -1;
};

struct CatalogUri {
  std::string uri;  // "content://com.android.contacts"
  std::vector<std::string> pi;
  std::vector<std::string> permissions;
  std::vector<std::string> guards;  // as CatalogApi::guards
};

class ApiCatalog {
 public:
  static ApiCatalog FromKnowledge(const knowledge::KnowledgeBase& kb);

  // Adds an entry; class_descriptor / name / is_field are derived from descriptor.
  void Add(CatalogApi api);
  void AddUri(CatalogUri uri) { uris_.push_back(std::move(uri)); }

  const CatalogApi& api(uint32_t i) const { return apis_[i]; }
  uint32_t size() const { return static_cast<uint32_t>(apis_.size()); }
  // Entry indices for a full descriptor; null when none.
  const std::vector<uint32_t>* Find(std::string_view descriptor) const;
  // Entry indices declared on a class descriptor; null when none.
  const std::vector<uint32_t>* OfClass(std::string_view class_descriptor) const;
  // Longest URI that prefixes `uri` on a '/' boundary (or equals it); null when none.
  const CatalogUri* MatchUri(std::string_view uri) const;
  const std::vector<CatalogUri>& uris() const { return uris_; }

 private:
  std::vector<CatalogApi> apis_;
  std::vector<CatalogUri> uris_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_descriptor_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_class_;
};

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_SENSITIVE_CALLS_H_
