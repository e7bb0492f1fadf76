// The knowledge base: everything piaudit knows about personal information (PI) in Android apps,
// loaded from the YAML tree under data/ (see docs/knowledge.md for the file formats).
//
// Knowledge is data, not code: a regulator edits data/*.yaml and runs `piaudit kb check`; no
// compiler is needed. Load() validates every file against its schema and reports each problem as
// "<file>:<line>: <structure>: <what was found and what is allowed>", so a broken file is never
// silently skipped. All cross references (an SDK naming a PI type, an app type naming its
// necessary PI, a related SDK id) are checked at load time, so the accessors below never return
// dangling ids.
//
// Ownership: a KnowledgeBase owns every struct it returns; pointers, spans and string_views it
// hands out stay valid as long as the KnowledgeBase lives (it is movable, the element addresses
// do not change on move). It is immutable after Load() and safe to share between threads.
//
// Lookups are built once at load time:
//   - FindApi(descriptor): hash map keyed by the full dexdump-style descriptor; ApisOfClass() is
//     the per-class index (for matching by name when overloads differ).
//   - MatchClassPrefix(class name): longest SDK package prefix on a '.', '/' or '$' boundary.
//     Accepts "com.foo.Bar", "com/foo/Bar" and "Lcom/foo/Bar;" without copying.
//   - FindSdksByMetaData / MatchNativeLib / MatchHost / MatchContentUri.
//   - lexicon(): one Aho-Corasick matcher over every PI synonym and SDK policy name (built on
//     first use).
//
// Load() also reads the data other modules match or walk, so that all of data/ is checked by
// `piaudit kb check` and loaded once per process: the Android framework model of the call graph,
// the consent and permission-request word lists (word_lists.h), the SDK categories, and the
// policy analyser's lexicon, jargon and model header (policy_data.h).
#ifndef PIAUDIT_KNOWLEDGE_KNOWLEDGE_BASE_H_
#define PIAUDIT_KNOWLEDGE_KNOWLEDGE_BASE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostics.h"
#include "base/status.h"
#include "knowledge/android_framework.h"
#include "knowledge/calendar.h"
#include "knowledge/data_location.h"
#include "knowledge/lexicon.h"
#include "knowledge/messages.h"
#include "knowledge/policy_data.h"
#include "knowledge/review_process.h"
#include "knowledge/screen_words.h"
#include "knowledge/sdk_fingerprints.h"
#include "knowledge/word_lists.h"

namespace piaudit::knowledge {

namespace internal {
struct KbData;  // private state, see internal/kb_impl.h
}  // namespace internal

// data/kb.yaml: which knowledge every report was produced with.
struct KbVersion {
  std::string id;       // "piaudit-kb-cn"
  std::string version;  // "2026.11.0"
  std::string date;     // "2026-11-22"
  std::vector<std::string> sources;
};

// data/pi_types.yaml. Groups (device_id, location, device_info, ...) are PI types too; a concrete
// type names its group in `parent`, so a policy that discloses 设备标识符 covers imei at a weaker
// match level than one that says IMEI.
struct PiType {
  std::string id;
  std::string zh;
  std::string en;
  bool sensitive = false;  // GB/T 35273-2020 附录B
  std::string gbt35273;    // BASIC, IDENTITY, BIOMETRIC, NET_ID, HEALTH, PROPERTY, COMMS,
                           // CONTACTS, BROWSING, DEVICE, LOCATION, OTHER
  std::string parent;      // id of the group type, or empty
  bool group = false;      // true for umbrella types that are mostly parents
  std::vector<std::string> synonyms;  // words policies actually use (zh and en)
  std::string note;
  std::string source;
  DataLocation where;
};

// A constant argument that must be present for an API to yield the PI type, e.g.
// Settings$Secure.getString(resolver, "android_id"). `index` counts declared parameters from 0
// (the receiver is not counted).
struct ConstArg {
  int index = 0;
  std::string value;
};

// data/apis.yaml: a method or field reference in dexdump/smali form:
//   Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;
//   Landroid/os/Build;->SERIAL:Ljava/lang/String;
struct SensitiveApi {
  std::string descriptor;        // full reference, the FindApi key
  std::string class_descriptor;  // "Landroid/os/Build;"
  std::string name;              // "getDeviceId" / "SERIAL"
  std::string signature;         // "()Ljava/lang/String;" or field type "Ljava/lang/String;"
  bool is_field = false;
  std::vector<std::string> pi;           // PI type ids; empty with uri_arg
  std::vector<std::string> permissions;  // "android.permission.READ_PHONE_STATE"
  std::optional<ConstArg> const_arg;
  // The PI type is that of the content URI passed as this declared parameter
  // (ContentResolver.query): `content_uris` decides, and a URI the code does not show is an
  // unknown provider, not PI.
  std::optional<int> uri_arg;
  // The call is about the package named by this declared parameter (PackageManager.getPackageInfo):
  // on the app's own package it reads nothing about other apps, so it yields no PI.
  std::optional<int> package_arg;
  std::string api_levels;  // free text: "deprecated 26; null for non-privileged apps from 29"
  std::string term;        // enforcement wording (通报用语), e.g. "获取IMEI"
  std::string source;
  DataLocation where;
};

// data/apis.yaml `content_uris`: ContentResolver.query on a URI with this prefix reads PI.
struct ContentUri {
  std::string uri;  // "content://com.android.contacts"
  std::vector<std::string> pi;
  std::vector<std::string> permissions;
  std::string source;
  DataLocation where;
};

// data/apis.yaml `intents`: an intent action whose result hands the app PI.
struct PiIntent {
  std::string action;  // "android.intent.action.PICK"
  std::string data;    // optional data URI / MIME that qualifies it
  std::vector<std::string> pi;
  std::string note;
  std::string source;
  DataLocation where;
};

// data/permissions.yaml
struct Permission {
  std::string name;  // "android.permission.READ_PHONE_STATE"
  bool dangerous = false;
  std::string protection;  // "dangerous", "normal", "signature|privileged", "appop", ...
  std::string group;       // permission group, e.g. "PHONE"
  std::vector<std::string> pi;
  std::string api_levels;
  std::string term;  // enforcement wording, e.g. "读取电话状态"
  std::string note;
  // Android refuses the APIs listed with this permission (apis.yaml) to an app that does not
  // declare it, so their calls in such an app read nothing. False for a permission that only
  // filters or zeroes results on new targets (QUERY_ALL_PACKAGES, AD_ID) or that is a network
  // right rather than a read right (INTERNET).
  bool guards = true;
  std::string source;
  DataLocation where;
};

// data/sdk_categories.yaml: a category an SDK entry may name, and what the rules make of it.
struct SdkCategory {
  std::string id;  // "push", "login-share"
  std::string zh;
  std::string en;
  bool targeting = false;        // pushes or shows targeted content (IM-3.6)
  bool third_party_app = false;  // hands the user to another app: login, share (IM-5.3)
  // SDKs of this category take personal information by what they do (ads, analytics, push...):
  // `kb check` rejects such an SDK entry without PI types, so IM-5.1 can always name them.
  bool collects_pi = false;
  std::string note;
  std::string source;
  DataLocation where;
};

// How much an SDK package prefix proves (sdk-facts.md conventions).
enum class PrefixQuality : uint8_t {
  kDistinct,  // proves this SDK
  kShared,    // proves the vendor; several of its SDKs use it
  kBroad,     // too general to report alone; needs a second signal
};
std::string_view PrefixQualityName(PrefixQuality q);

struct SdkPrefix {
  std::string prefix;  // dot form: "cn.jpush.android"
  PrefixQuality quality = PrefixQuality::kDistinct;
  bool unverified = false;
};

// Signals for recognising an SDK whose classes were renamed by an obfuscator.
struct SdkFeatures {
  std::vector<std::string> strings;         // characteristic string constants
  std::vector<std::string> hosts;           // hosts compiled into the code
  std::vector<std::string> class_suffixes;  // class simple names that survive (manifest)
};

// Where an SDK keeps its own version string (data/sdks/*.yaml `version`, docs/knowledge.md).
// Exactly one of `ref` and `meta_inf` is set.
struct SdkVersionLocation {
  // "Lcom/x/Y;->SDK_VERSION:Ljava/lang/String;": a static String field (its encoded initial value,
  // or the constant <clinit> stores in it); "Lcom/x/Y;->getVersion()Ljava/lang/String;": a method
  // whose code is `const-string vA, "..."; return-object vA`.
  std::string ref;
  // A file name under META-INF/ ('*' = any run) whose whole content is the version, as Gradle
  // writes for AndroidX, Play services and Firebase:
  // "com.google.android.gms_play-services-ads.version".
  std::string meta_inf;
  std::string source;
  int line = 0;
};

// data/sdks/*.yaml
struct Sdk {
  std::string id;  // stable, from sdk-facts.md
  std::string zh;
  std::string en;
  std::string provider;
  std::string category;  // an id of data/sdk_categories.yaml: push, analytics, crash, ads, ...
  std::vector<SdkPrefix> prefixes;
  // Exodus-style class-name patterns that are not package prefixes (".sizmek.", ".LigatusManager"):
  // searched anywhere in the dot class name, '.' matching any one character as in exodus-core's
  // regular expressions. Weak evidence: they never make an SDK the owner of a class.
  std::vector<std::string> class_patterns;
  std::vector<std::string> components;   // manifest class names; ".wxapi.WXEntryActivity" = suffix
  std::vector<std::string> meta_data;    // manifest <meta-data> keys
  std::vector<std::string> native_libs;  // "libjcore*.so" ('*' matches any run)
  std::vector<std::string> assets;       // file names under assets/
  std::vector<std::string> hosts;        // "stats.jpush.cn", "*.jpush.cn"
  std::vector<std::string> pi;           // PI type ids it is documented to collect
  // Where `pi` comes from when that is not `source` (the vendor's data-disclosure page, ...).
  std::string pi_source;
  std::string privacy_policy;             // URL
  std::string website;                    // the vendor's or product's site (Exodus `website`)
  std::vector<std::string> policy_names;  // names a privacy policy uses for it
  std::vector<std::string> related;       // ids of SDKs that may share prefixes with it
  SdkFeatures features;
  // Where its version string is, tried in this order (then the generic BuildConfig fallback).
  std::vector<SdkVersionLocation> version;
  std::string note;
  std::string source;
  bool unverified = false;  // the entry as a whole is from general knowledge
  DataLocation where;
};

// data/packers.yaml
struct Packer {
  std::string id;
  std::string zh;
  std::string en;
  std::string provider;
  std::vector<std::string> classes;              // stub class/package prefixes (dot form)
  std::vector<std::string> application_classes;  // <application android:name> values
  std::vector<std::string> native_libs;          // patterns as for Sdk
  std::vector<std::string> assets;               // patterns as for native_libs
  std::string note;
  std::string source;
  DataLocation where;
};

// data/app_types.yaml: one of the 39 types of 国信办秘字〔2021〕14号.
struct AppType {
  std::string id;  // "map-navigation"
  int number = 0;  // 1..39, the row in the regulation
  std::string zh;
  std::string en;
  std::string basic_function;             // 基本功能服务
  std::vector<std::string> necessary;     // official wording of each necessary item (zh)
  std::vector<std::string> necessary_pi;  // PI type ids those items map to
  bool none = false;                      // 无须个人信息，即可使用基本功能服务
  std::string note;
  std::string source;
  DataLocation where;
};

// data/app_types.yaml `category_map`: hints for inferring an app's type.
struct AppTypeHint {
  std::string type;                           // AppType id
  std::vector<std::string> store_categories;  // app-store / Android category names
  std::vector<std::string> keywords;          // substrings of package name or label
  DataLocation where;
};

struct AppTypeGuess {
  const AppType* type = nullptr;
  int score = 0;
  std::vector<std::string> reasons;  // "keyword 'taxi' in package name", in the order found
};

// data/items.yaml: one of the 31 items of 国信办秘字〔2019〕191号.
struct Item {
  std::string id;        // "IM-3.1"
  std::string category;  // "IM-3"
  std::string category_zh;
  std::string category_en;
  std::string zh;  // key phrase
  std::string en;
  std::vector<std::string> evidence;  // subset of S, P, D, N, V, M
  std::vector<std::string> related;   // clauses of the other regulations
  std::string remediation;
  std::string source;
  DataLocation where;
};

// data/thresholds.yaml: T1..T26 of timing-rules.md.
struct Threshold {
  std::string id;               // "T7"
  std::optional<double> value;  // absent for "no number" rows
  std::string unit;             // hours, taps, working_days, calendar_days, years, ...
  std::string applies_to;
  std::vector<std::string> items;  // IM ids it serves
  std::string status;              // V, S, M, V/M, S/M, gap
  std::string source;
  DataLocation where;
};

// Owners of one key (a prefix, a host, a meta-data key): several SDKs of one vendor may share it.
struct SdkKeyOwners {
  std::string key;
  PrefixQuality quality = PrefixQuality::kDistinct;  // for prefixes: the weakest declared quality
  std::vector<const Sdk*> sdks;  // the SDKs that declared this key, in declaration order
};

struct NativeLibMatch {
  const Sdk* sdk = nullptr;  // exactly one of sdk / packer is set
  const Packer* packer = nullptr;
  std::string_view pattern;
};

class KnowledgeBase {
 public:
  // Loads and validates the whole tree under `dir`. Every problem found is added to `diags`
  // (when not null) as an error diagnostic with file and line; the first one is returned.
  static Result<KnowledgeBase> Load(const std::string& dir, Diagnostics* diags);

  KnowledgeBase(KnowledgeBase&&) noexcept;
  KnowledgeBase& operator=(KnowledgeBase&&) noexcept;
  ~KnowledgeBase();

  const KbVersion& version() const;
  const std::string& dir() const;

  std::span<const PiType> pi_types() const;
  const PiType* FindPiType(std::string_view id) const;
  // True when `type` is `ancestor` or has it as a (transitive) parent.
  bool PiTypeIsA(std::string_view type, std::string_view ancestor) const;

  std::span<const SensitiveApi> apis() const;
  const SensitiveApi* FindApi(std::string_view descriptor) const;
  // Every API entry declared on `class_descriptor` ("Landroid/os/Build;"); empty when none.
  std::span<const SensitiveApi* const> ApisOfClass(std::string_view class_descriptor) const;
  std::span<const ContentUri> content_uris() const;
  // Longest declared URI that prefixes `uri` on a '/' boundary (or equals it).
  const ContentUri* MatchContentUri(std::string_view uri) const;
  std::span<const PiIntent> intents() const;

  std::span<const Permission> permissions() const;
  // Accepts "android.permission.CAMERA" or the short "CAMERA".
  const Permission* FindPermission(std::string_view name) const;

  std::span<const SdkCategory> sdk_categories() const;
  const SdkCategory* FindSdkCategory(std::string_view id) const;

  std::span<const Sdk> sdks() const;
  const Sdk* FindSdk(std::string_view id) const;
  // Longest SDK prefix covering the class name, or null. Accepts dot, slash and "L...;" forms.
  const SdkKeyOwners* MatchClassPrefix(std::string_view class_name) const;
  std::span<const SdkKeyOwners> sdk_prefixes() const;
  const SdkKeyOwners* FindSdksByMetaData(std::string_view key) const;
  // Host suffix match on a label boundary ("a.stats.jpush.cn" matches "*.jpush.cn").
  const SdkKeyOwners* MatchHost(std::string_view host) const;
  // Native lib file name ("libjcore221.so", path prefix ignored) against SDK and packer patterns.
  std::vector<NativeLibMatch> MatchNativeLib(std::string_view file_name) const;
  // Same for a file under assets/ ("assets/ijiami.dat" or "ijiami.dat") against `assets`.
  std::vector<NativeLibMatch> MatchAsset(std::string_view file_name) const;
  // SDKs declaring a manifest component: the full class name, or a ".suffix" entry such as
  // ".wxapi.WXEntryActivity" when `class_name` is `app_package` + suffix.
  std::vector<const Sdk*> FindSdksByComponent(std::string_view class_name,
                                              std::string_view app_package) const;

  // data/fingerprints/*.fp: reference code fingerprints of SDKs (sdk_fingerprints.h); empty when
  // the tree has no fingerprints folder.
  const SdkFingerprints& sdk_fingerprints() const;

  std::span<const Packer> packers() const;
  const Packer* FindPacker(std::string_view id) const;
  // Packer whose stub class/package prefix covers the class name (any form), or null.
  const Packer* MatchPackerClass(std::string_view class_name) const;
  // Packer whose <application android:name> list contains `name` exactly, or null.
  const Packer* FindPackerByApplication(std::string_view name) const;

  std::span<const AppType> app_types() const;
  const AppType* FindAppType(std::string_view id) const;
  std::span<const AppTypeHint> app_type_hints() const;
  // App types whose category_map hints match, best first: a keyword (ASCII case-insensitive) at
  // the start of a package-name segment ("map" in com.x.map, not in bitmap; 1 point) or anywhere
  // in a label (2 points: labels are written for users, package names are terse), or a store
  // category equal to `store_category` (2 points). Ties keep the order of the hints in the data.
  // A hint, not a verdict: an app may have several types, and a report must say it was inferred.
  std::vector<AppTypeGuess> GuessAppTypes(std::string_view package,
                                          std::span<const std::string> labels,
                                          std::string_view store_category) const;

  std::span<const Item> items() const;
  const Item* FindItem(std::string_view id) const;

  // data/messages.yaml: every sentence a report shows, in zh and en (messages.h).
  std::span<const Message> messages() const;
  const Message* FindMessage(std::string_view id) const;

  std::span<const Threshold> thresholds() const;
  const Threshold* FindThreshold(std::string_view id) const;

  const WorkCalendar& calendar() const;
  // data/review/process.yaml: the oversight process src/review enforces (review_process.h).
  const ReviewProcess& review_process() const;
  // Every PI synonym (kind kPiType) and SDK policy name (kind kSdk).
  const Lexicon& lexicon() const;

  // data/android_framework.yaml: framework classes, their callbacks and the implicit-edge rules
  // the call graph needs (the app's dex files do not contain the framework).
  const AndroidFramework& android_framework() const;
  // data/consent_words.yaml and data/permission_requests.yaml: the words and names the analysis
  // and the APK readers match (word_lists.h says what each list is for and how it is matched).
  const ConsentWords& consent_words() const;
  // data/runtime/runtime_words.yaml: words for reading recordings (runtime attribution).
  const RuntimeWords& runtime_words() const;
  // data/runtime/screen_words.yaml: what a screen of the running app is for (screen_words.h).
  const ScreenWords& screen_words() const;
  const PermissionRequestApis& permission_requests() const;
  // data/policy/lexicon.yaml and jargon.txt, for the policy analyser's automata and patterns.
  const PolicyLexiconData& policy_words() const;
  // The checked header of data/policy/sentence_model.bin. The weights are read by the policy
  // analyser when it is built (with the same checks, policy_data.h), not by every load.
  const SentenceModelHeader& sentence_model() const;

 private:
  friend struct internal::KbData;
  explicit KnowledgeBase(std::unique_ptr<internal::KbData> impl);
  std::unique_ptr<internal::KbData> impl_;
};

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_KNOWLEDGE_BASE_H_
