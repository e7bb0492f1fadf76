// The manifest model: what AndroidManifest.xml declares, with Android's defaults and implications
// applied (class names resolved against the package, exported implied by intent filters per target
// SDK, permissions the platform grants implicitly as `aapt dump badging` reports them), and
// resource references resolved through resources.arsc when a table is given.
//
// Built from a parsed XmlDocument (android/axml.h): attributes are matched by framework resource id
// first, as Android's PackageParser does, so obfuscated/blank attribute names still work.
#ifndef PIAUDIT_ANDROID_MANIFEST_H_
#define PIAUDIT_ANDROID_MANIFEST_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "android/arsc.h"
#include "android/axml.h"
#include "base/diagnostics.h"
#include "base/status.h"

namespace piaudit::android {

// A manifest attribute value that may be a resource reference, resolved when possible.
struct ResourceText {
  std::string value;                             // literal string, or default-config resolution
  uint32_t resource_id = 0;                      // non-zero when the attribute was a reference
  std::map<std::string, std::string> by_locale;  // LocaleTag ("" default) -> resolved string
};

struct MetaData {
  std::string name;
  std::string value;          // android:value rendered (Value::ToString), or resolved resource
  uint32_t resource_id = 0;   // android:resource, or a reference in android:value
  std::string resource_name;  // "pkg:type/entry" when resolvable
  uint32_t line = 0;
};

struct UsesPermission {
  std::string name;
  std::string source;              // "uses-permission" or "uses-permission-sdk-23"
  std::optional<int32_t> max_sdk;  // android:maxSdkVersion
  bool required = true;            // android:required (false = optional-permission in aapt)
  uint32_t line = 0;
};

// A permission the platform grants implicitly (aapt's `uses-implied-permission`).
struct ImpliedPermission {
  std::string name;
  std::string reason;              // aapt's exact reason text, e.g. "targetSdkVersion < 4"
  std::optional<int32_t> max_sdk;  // inherited from the implying permission, as aapt prints it
};

struct DeclaredPermission {
  std::string name;
  std::string protection_level;  // "normal", "dangerous", "signature|privileged", ... or ""
  uint32_t protection_level_raw = 0;
  std::string permission_group;
  uint32_t line = 0;
};

struct IntentData {
  std::string scheme, host, port, path, path_prefix, path_pattern, mime_type;
};

struct IntentFilter {
  std::vector<std::string> actions;
  std::vector<std::string> categories;
  std::vector<IntentData> data;
  std::optional<int32_t> priority;
  bool auto_verify = false;
};

enum class ComponentKind : uint8_t { kActivity, kActivityAlias, kService, kReceiver, kProvider };
std::string_view ComponentKindName(ComponentKind kind);  // "activity", "activity-alias", ...

struct Component {
  ComponentKind kind = ComponentKind::kActivity;
  std::string name;                   // fully qualified (".Foo" and "Foo" resolved to pkg.Foo)
  std::string target_activity;        // activity-alias only, fully qualified
  std::optional<bool> exported_attr;  // as written
  bool exported = false;              // effective: attribute, else implied (see manifest.cc)
  bool enabled = true;
  std::string process;
  std::string permission;
  std::string read_permission, write_permission;  // provider only
  std::vector<std::string> authorities;           // provider only (split on ';')
  std::optional<int32_t> init_order;              // provider only
  bool grant_uri_permissions = false;             // provider only
  bool direct_boot_aware = false;
  std::vector<IntentFilter> intent_filters;
  std::vector<MetaData> meta_data;
  uint32_t line = 0;
};

struct Application {
  std::string class_name;  // fully qualified, "" when none
  ResourceText label;
  ResourceText icon;                 // file path(s) for resolved icons
  std::optional<bool> allow_backup;  // absent = platform default (true)
  bool debuggable = false;
  std::optional<bool> uses_cleartext_traffic;  // absent = default by target SDK (true < 28)
  uint32_t network_security_config = 0;        // resource id, 0 when none
  std::string network_security_config_file;    // e.g. "res/xml/network_security_config.xml"
  std::string app_component_factory;
  std::string process;
  std::string permission;
  bool has_code = true;
  bool request_legacy_external_storage = false;
  std::vector<MetaData> meta_data;
  std::vector<std::string> uses_libraries;  // <uses-library> names
  std::vector<std::string> uses_native_libraries;
};

struct UsesFeature {
  std::string name;  // "" with gl_es_version set for the OpenGL feature
  bool required = true;
  uint32_t gl_es_version = 0;
};

struct Queries {
  std::vector<std::string> packages;
  std::vector<IntentFilter> intents;
  std::vector<std::string> providers;  // authorities
};

struct Manifest {
  std::string package;
  std::optional<int64_t> version_code;  // versionCode | versionCodeMajor << 32
  std::string version_name;
  std::optional<int32_t> compile_sdk;  // android:compileSdkVersion (or platformBuildVersionCode)
  std::string compile_sdk_codename;
  std::optional<int32_t> min_sdk;     // absent -> Android's default 1
  std::optional<int32_t> target_sdk;  // absent -> min_sdk
  std::optional<int32_t> max_sdk;
  std::string min_sdk_codename, target_sdk_codename;  // preview builds write strings ("Q")
  std::string shared_user_id;
  std::string install_location;

  // Effective values, as Android computes them (min defaults to 1, target to min).
  int32_t EffectiveMinSdk() const { return min_sdk.value_or(1); }
  int32_t EffectiveTargetSdk() const { return target_sdk.value_or(EffectiveMinSdk()); }

  std::vector<UsesPermission> uses_permissions;  // uses-permission and -sdk-23, document order
  std::vector<ImpliedPermission> implied_permissions;
  std::vector<DeclaredPermission> declared_permissions;
  std::vector<std::string> permission_groups;
  std::vector<UsesFeature> uses_features;
  Application application;
  std::vector<Component> components;  // document order
  std::string launcher_activity;      // first activity/alias with MAIN + LAUNCHER, "" when none
  Queries queries;
};

// Builds the model. `resources` may be null (no resources.arsc): references stay unresolved
// (ResourceText::value empty, resource_id set). Fails only when the root is not <manifest>;
// anything odd inside goes to diagnostics ("manifest.*" codes).
Result<Manifest> BuildManifest(const XmlDocument& doc, const ResourceTable* resources,
                               Diagnostics* diagnostics);

// Resolves ".Foo" / "Foo" / "a.b.Foo" against the package the way PackageParser.buildClassName
// does.
std::string ResolveClassName(std::string_view package, std::string_view name);

}  // namespace piaudit::android

#endif  // PIAUDIT_ANDROID_MANIFEST_H_
