// Builds the manifest model from binary XML. Follows PackageParser (frameworks/base
// core/java/android/content/pm/PackageParser.java) for defaults and class names, and aapt's
// `dump badging` (tools/aapt/Command.cpp) for implied permissions, so the reasons match aapt's
// text exactly.
#include "android/manifest.h"

#include <fmt/format.h>

#include <charconv>
#include <string>

namespace piaudit::android {
namespace {

// Framework attribute ids (public, stable since their API level); checked against
// framework_attrs.inc by manifest_test.
constexpr uint32_t kAttrName = 0x01010003;
constexpr uint32_t kAttrLabel = 0x01010001;
constexpr uint32_t kAttrIcon = 0x01010002;
constexpr uint32_t kAttrPermission = 0x01010006;
constexpr uint32_t kAttrReadPermission = 0x01010007;
constexpr uint32_t kAttrWritePermission = 0x01010008;
constexpr uint32_t kAttrProtectionLevel = 0x01010009;
constexpr uint32_t kAttrPermissionGroup = 0x0101000a;
constexpr uint32_t kAttrSharedUserId = 0x0101000b;
constexpr uint32_t kAttrHasCode = 0x0101000c;
constexpr uint32_t kAttrEnabled = 0x0101000e;
constexpr uint32_t kAttrDebuggable = 0x0101000f;
constexpr uint32_t kAttrExported = 0x01010010;
constexpr uint32_t kAttrProcess = 0x01010011;
constexpr uint32_t kAttrAuthorities = 0x01010018;
constexpr uint32_t kAttrInitOrder = 0x0101001a;
constexpr uint32_t kAttrGrantUriPermissions = 0x0101001b;
constexpr uint32_t kAttrPriority = 0x0101001c;
constexpr uint32_t kAttrValue = 0x01010024;
constexpr uint32_t kAttrResource = 0x01010025;
constexpr uint32_t kAttrMimeType = 0x01010026;
constexpr uint32_t kAttrScheme = 0x01010027;
constexpr uint32_t kAttrHost = 0x01010028;
constexpr uint32_t kAttrPort = 0x01010029;
constexpr uint32_t kAttrPath = 0x0101002a;
constexpr uint32_t kAttrPathPrefix = 0x0101002b;
constexpr uint32_t kAttrPathPattern = 0x0101002c;
constexpr uint32_t kAttrTargetActivity = 0x01010202;
constexpr uint32_t kAttrMinSdkVersion = 0x0101020c;
constexpr uint32_t kAttrVersionCode = 0x0101021b;
constexpr uint32_t kAttrVersionName = 0x0101021c;
constexpr uint32_t kAttrTargetSdkVersion = 0x01010270;
constexpr uint32_t kAttrMaxSdkVersion = 0x01010271;
constexpr uint32_t kAttrAllowBackup = 0x01010280;
constexpr uint32_t kAttrGlEsVersion = 0x01010281;
constexpr uint32_t kAttrRequired = 0x0101028e;
constexpr uint32_t kAttrInstallLocation = 0x010102b7;
constexpr uint32_t kAttrUsesCleartextTraffic = 0x010104ec;
constexpr uint32_t kAttrAutoVerify = 0x010104ee;
constexpr uint32_t kAttrDirectBootAware = 0x01010505;
constexpr uint32_t kAttrNetworkSecurityConfig = 0x01010527;
constexpr uint32_t kAttrCompileSdkVersion = 0x01010572;
constexpr uint32_t kAttrCompileSdkVersionCodename = 0x01010573;
constexpr uint32_t kAttrVersionCodeMajor = 0x01010576;
constexpr uint32_t kAttrAppComponentFactory = 0x0101057a;
constexpr uint32_t kAttrRequestLegacyExternalStorage = 0x01010603;

// What aapt treats as the "current development" SDK for codenames.
constexpr int32_t kCodenameSdk = 10000;

class Builder {
 public:
  Builder(const XmlDocument& doc, const ResourceTable* res, Diagnostics* diagnostics)
      : doc_(doc), res_(res), diagnostics_(diagnostics) {}

  Result<Manifest> Run();

 private:
  const XmlAttribute* Attr(const XmlNode& el, uint32_t id, std::string_view name) const {
    return FindAttribute(el, id, name);
  }
  // The attribute as a string: literal strings as is, references resolved (default config) when
  // a table is present, other typed values rendered.
  std::optional<std::string> Str(const XmlNode& el, uint32_t id, std::string_view name) const;
  std::optional<int64_t> Int(const XmlNode& el, uint32_t id, std::string_view name) const;
  std::optional<bool> Bool(const XmlNode& el, uint32_t id, std::string_view name) const;
  Value Resolved(const Value& v) const;
  ResourceText Text(const XmlNode& el, uint32_t id, std::string_view name, bool per_locale) const;
  MetaData ReadMetaData(const XmlNode& el) const;
  IntentFilter ReadIntentFilter(const XmlNode& el) const;
  void ReadComponent(const XmlNode& el, ComponentKind kind);
  void ReadApplication(const XmlNode& el);
  void ReadUsesSdk(const XmlNode& el);
  void ComputeImpliedPermissions();
  void Warn(std::string code, const XmlNode& el, std::string message) const {
    if (diagnostics_) {
      diagnostics_->Add(Severity::kWarning, std::move(code), "AndroidManifest.xml", el.name,
                        el.offset, std::move(message));
    }
  }

  const XmlDocument& doc_;
  const ResourceTable* res_;
  Diagnostics* diagnostics_;
  Manifest m_;
  int32_t aapt_target_sdk_ = 0;  // aapt's running targetSdk (max of min and target seen)
};

Value Builder::Resolved(const Value& v) const {
  if (!v.IsReference() || res_ == nullptr || v.data == 0) return v;
  std::optional<Value> r = res_->ResolveForLocale(v.data, ResConfig());
  return r ? *r : v;
}

std::optional<std::string> Builder::Str(const XmlNode& el, uint32_t id,
                                        std::string_view name) const {
  const XmlAttribute* a = Attr(el, id, name);
  if (a == nullptr) return std::nullopt;
  if (a->value.type == ValueType::kString) return a->value.string;
  Value v = Resolved(a->value);
  if (v.type == ValueType::kString) return v.string;
  if (a->value.IsReference() && a->raw_value) return *a->raw_value;
  return v.ToString();
}

std::optional<int64_t> Builder::Int(const XmlNode& el, uint32_t id, std::string_view name) const {
  const XmlAttribute* a = Attr(el, id, name);
  if (a == nullptr) return std::nullopt;
  Value v = Resolved(a->value);
  if (v.IsInt()) return static_cast<int32_t>(v.data);
  if (v.type == ValueType::kString) {
    int64_t out = 0;
    const std::string& s = v.string;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size()) return out;
  }
  return std::nullopt;
}

std::optional<bool> Builder::Bool(const XmlNode& el, uint32_t id, std::string_view name) const {
  const XmlAttribute* a = Attr(el, id, name);
  if (a == nullptr) return std::nullopt;
  Value v = Resolved(a->value);
  if (v.IsInt()) return v.data != 0;
  if (v.type == ValueType::kString) {
    if (v.string == "true") return true;
    if (v.string == "false") return false;
  }
  Warn("manifest.bad_boolean", el, fmt::format("attribute {} is not a boolean", name));
  return std::nullopt;
}

ResourceText Builder::Text(const XmlNode& el, uint32_t id, std::string_view name,
                           bool per_locale) const {
  ResourceText t;
  const XmlAttribute* a = Attr(el, id, name);
  if (a == nullptr) return t;
  std::vector<ResConfig> locales;
  if (per_locale && res_ != nullptr) locales = res_->Locales();
  if (a->value.IsReference()) {
    t.resource_id = a->value.data;
    if (res_ != nullptr) {
      if (auto v = res_->ResolveForLocale(t.resource_id, ResConfig());
          v && v->type == ValueType::kString) {
        t.value = v->string;
        if (!t.value.empty()) t.by_locale[""] = t.value;
      }
      for (const ResConfig& l : locales) {
        auto v = res_->ResolveForLocale(t.resource_id, l);
        if (v && v->type == ValueType::kString && !v->string.empty()) {
          t.by_locale[l.LocaleTag()] = v->string;
        }
      }
    }
    return t;
  }
  t.value = a->value.type == ValueType::kString ? a->value.string : a->value.ToString();
  if (!t.value.empty()) {
    // aapt prints a literal label once per locale of the table; keep the same shape.
    t.by_locale[""] = t.value;
    for (const ResConfig& l : locales) t.by_locale[l.LocaleTag()] = t.value;
  }
  return t;
}

MetaData Builder::ReadMetaData(const XmlNode& el) const {
  MetaData md;
  md.line = el.line;
  md.name = Str(el, kAttrName, "name").value_or("");
  if (const XmlAttribute* r = Attr(el, kAttrResource, "resource")) {
    if (r->value.IsReference()) {
      md.resource_id = r->value.data;
    } else if (r->value.type == ValueType::kString) {
      md.value = r->value.string;
    }
  }
  if (const XmlAttribute* v = Attr(el, kAttrValue, "value")) {
    if (v->value.IsReference()) {
      md.resource_id = v->value.data;
      Value rv = Resolved(v->value);
      md.value = rv.IsReference() ? "" : rv.ToString();
    } else {
      md.value = v->value.ToString();
    }
  }
  if (md.resource_id && res_ != nullptr) {
    md.resource_name = res_->ResourceName(md.resource_id).value_or("");
    if (md.value.empty()) {
      if (auto rv = res_->ResolveForLocale(md.resource_id, ResConfig()); rv && !rv->IsReference()) {
        md.value = rv->ToString();
      }
    }
  }
  return md;
}

IntentFilter Builder::ReadIntentFilter(const XmlNode& el) const {
  IntentFilter f;
  if (auto p = Int(el, kAttrPriority, "priority")) f.priority = static_cast<int32_t>(*p);
  f.auto_verify = Bool(el, kAttrAutoVerify, "autoVerify").value_or(false);
  for (uint32_t c : el.children) {
    const XmlNode& n = doc_.nodes[c];
    if (n.kind != XmlNodeKind::kElement) continue;
    if (n.name == "action") {
      f.actions.push_back(Str(n, kAttrName, "name").value_or(""));
    } else if (n.name == "category") {
      f.categories.push_back(Str(n, kAttrName, "name").value_or(""));
    } else if (n.name == "data") {
      IntentData d;
      d.scheme = Str(n, kAttrScheme, "scheme").value_or("");
      d.host = Str(n, kAttrHost, "host").value_or("");
      d.port = Str(n, kAttrPort, "port").value_or("");
      d.path = Str(n, kAttrPath, "path").value_or("");
      d.path_prefix = Str(n, kAttrPathPrefix, "pathPrefix").value_or("");
      d.path_pattern = Str(n, kAttrPathPattern, "pathPattern").value_or("");
      d.mime_type = Str(n, kAttrMimeType, "mimeType").value_or("");
      f.data.push_back(std::move(d));
    }
  }
  return f;
}

void Builder::ReadComponent(const XmlNode& el, ComponentKind kind) {
  Component c;
  c.kind = kind;
  c.line = el.line;
  std::string raw_name = Str(el, kAttrName, "name").value_or("");
  if (raw_name.empty()) Warn("manifest.component_without_name", el, "component has no name");
  c.name = ResolveClassName(m_.package, raw_name);
  if (kind == ComponentKind::kActivityAlias) {
    c.target_activity =
        ResolveClassName(m_.package, Str(el, kAttrTargetActivity, "targetActivity").value_or(""));
  }
  c.exported_attr = Bool(el, kAttrExported, "exported");
  c.enabled = Bool(el, kAttrEnabled, "enabled").value_or(true);
  c.process = Str(el, kAttrProcess, "process").value_or("");
  c.permission = Str(el, kAttrPermission, "permission").value_or("");
  c.direct_boot_aware = Bool(el, kAttrDirectBootAware, "directBootAware").value_or(false);
  if (kind == ComponentKind::kProvider) {
    c.read_permission = Str(el, kAttrReadPermission, "readPermission").value_or("");
    c.write_permission = Str(el, kAttrWritePermission, "writePermission").value_or("");
    std::string auth = Str(el, kAttrAuthorities, "authorities").value_or("");
    size_t start = 0;
    while (start <= auth.size() && !auth.empty()) {
      size_t semi = auth.find(';', start);
      std::string part =
          auth.substr(start, semi == std::string::npos ? std::string::npos : semi - start);
      if (!part.empty()) c.authorities.push_back(part);
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
    if (auto io = Int(el, kAttrInitOrder, "initOrder")) c.init_order = static_cast<int32_t>(*io);
    c.grant_uri_permissions =
        Bool(el, kAttrGrantUriPermissions, "grantUriPermissions").value_or(false);
  }
  for (uint32_t ci : el.children) {
    const XmlNode& n = doc_.nodes[ci];
    if (n.kind != XmlNodeKind::kElement) continue;
    if (n.name == "intent-filter") {
      c.intent_filters.push_back(ReadIntentFilter(n));
    } else if (n.name == "meta-data") {
      c.meta_data.push_back(ReadMetaData(n));
    }
  }
  // Exported when not written (PackageParser): providers are exported by default before API 17;
  // other components are exported iff they have an intent filter. (Since API 31 an explicit value
  // is required when there are filters; installs without one fail, we still report the rule.)
  if (c.exported_attr) {
    c.exported = *c.exported_attr;
  } else if (kind == ComponentKind::kProvider) {
    c.exported = m_.EffectiveTargetSdk() < 17;
  } else {
    c.exported = !c.intent_filters.empty();
    if (c.exported && m_.EffectiveTargetSdk() >= 31) {
      Warn("manifest.implicit_export", el,
           fmt::format("{} has intent filters but no android:exported with targetSdk {} "
                       "(Android 12+ refuses to install this)",
                       c.name, m_.EffectiveTargetSdk()));
    }
  }
  if (m_.launcher_activity.empty() &&
      (kind == ComponentKind::kActivity || kind == ComponentKind::kActivityAlias)) {
    for (const IntentFilter& f : c.intent_filters) {
      bool main = false, launcher = false;
      for (const std::string& a : f.actions) main |= a == "android.intent.action.MAIN";
      for (const std::string& k : f.categories) launcher |= k == "android.intent.category.LAUNCHER";
      if (main && launcher) m_.launcher_activity = c.name;
    }
  }
  m_.components.push_back(std::move(c));
}

void Builder::ReadApplication(const XmlNode& el) {
  Application& app = m_.application;
  std::string cls = Str(el, kAttrName, "name").value_or("");
  if (!cls.empty()) app.class_name = ResolveClassName(m_.package, cls);
  app.label = Text(el, kAttrLabel, "label", /*per_locale=*/true);
  app.icon = Text(el, kAttrIcon, "icon", /*per_locale=*/false);
  app.allow_backup = Bool(el, kAttrAllowBackup, "allowBackup");
  app.debuggable = Bool(el, kAttrDebuggable, "debuggable").value_or(false);
  app.uses_cleartext_traffic = Bool(el, kAttrUsesCleartextTraffic, "usesCleartextTraffic");
  if (const XmlAttribute* a = Attr(el, kAttrNetworkSecurityConfig, "networkSecurityConfig")) {
    if (a->value.IsReference()) {
      app.network_security_config = a->value.data;
      Value v = Resolved(a->value);
      if (v.type == ValueType::kString) app.network_security_config_file = v.string;
    }
  }
  if (auto f = Str(el, kAttrAppComponentFactory, "appComponentFactory")) {
    app.app_component_factory = ResolveClassName(m_.package, *f);
  }
  app.process = Str(el, kAttrProcess, "process").value_or("");
  app.permission = Str(el, kAttrPermission, "permission").value_or("");
  app.has_code = Bool(el, kAttrHasCode, "hasCode").value_or(true);
  app.request_legacy_external_storage =
      Bool(el, kAttrRequestLegacyExternalStorage, "requestLegacyExternalStorage").value_or(false);
  for (uint32_t ci : el.children) {
    const XmlNode& n = doc_.nodes[ci];
    if (n.kind != XmlNodeKind::kElement) continue;
    if (n.name == "activity") {
      ReadComponent(n, ComponentKind::kActivity);
    } else if (n.name == "activity-alias") {
      ReadComponent(n, ComponentKind::kActivityAlias);
    } else if (n.name == "service") {
      ReadComponent(n, ComponentKind::kService);
    } else if (n.name == "receiver") {
      ReadComponent(n, ComponentKind::kReceiver);
    } else if (n.name == "provider") {
      ReadComponent(n, ComponentKind::kProvider);
    } else if (n.name == "meta-data") {
      app.meta_data.push_back(ReadMetaData(n));
    } else if (n.name == "uses-library") {
      app.uses_libraries.push_back(Str(n, kAttrName, "name").value_or(""));
    } else if (n.name == "uses-native-library") {
      app.uses_native_libraries.push_back(Str(n, kAttrName, "name").value_or(""));
    }
  }
}

void Builder::ReadUsesSdk(const XmlNode& el) {
  // aapt: an integer minSdkVersion sets targetSdk; a string is a codename ("Donut" = 4, others
  // the development SDK); targetSdkVersion raises it.
  auto read = [&](uint32_t id, std::string_view name, std::optional<int32_t>* num,
                  std::string* codename) {
    const XmlAttribute* a = Attr(el, id, name);
    if (a == nullptr) return;
    Value v = Resolved(a->value);
    if (v.IsInt()) {
      *num = static_cast<int32_t>(v.data);
    } else if (v.type == ValueType::kString) {
      int32_t n = 0;
      auto [p, ec] = std::from_chars(v.string.data(), v.string.data() + v.string.size(), n);
      if (ec == std::errc() && p == v.string.data() + v.string.size()) {
        *num = n;
      } else if (codename) {
        *codename = v.string;
        *num = v.string == "Donut" ? 4 : kCodenameSdk;
      }
    }
  };
  read(kAttrMinSdkVersion, "minSdkVersion", &m_.min_sdk, &m_.min_sdk_codename);
  read(kAttrTargetSdkVersion, "targetSdkVersion", &m_.target_sdk, &m_.target_sdk_codename);
  read(kAttrMaxSdkVersion, "maxSdkVersion", &m_.max_sdk, nullptr);
  if (m_.min_sdk) aapt_target_sdk_ = *m_.min_sdk;
  if (m_.target_sdk && aapt_target_sdk_ < *m_.target_sdk) aapt_target_sdk_ = *m_.target_sdk;
}

void Builder::ComputeImpliedPermissions() {
  // tools/aapt/Command.cpp (dump badging), in aapt's order. Only <uses-permission> counts (not
  // -sdk-23), as in aapt.
  bool has_write_ext = false, has_read_ext = false, has_read_phone = false;
  bool has_read_contacts = false, has_write_contacts = false;
  bool has_read_call_log = false, has_write_call_log = false;
  std::optional<int32_t> write_ext_max;
  for (const UsesPermission& p : m_.uses_permissions) {
    if (p.source != "uses-permission") continue;
    if (p.name == "android.permission.WRITE_EXTERNAL_STORAGE") {
      has_write_ext = true;
      write_ext_max = p.max_sdk;
    } else if (p.name == "android.permission.READ_EXTERNAL_STORAGE") {
      has_read_ext = true;
    } else if (p.name == "android.permission.READ_PHONE_STATE") {
      has_read_phone = true;
    } else if (p.name == "android.permission.READ_CONTACTS") {
      has_read_contacts = true;
    } else if (p.name == "android.permission.WRITE_CONTACTS") {
      has_write_contacts = true;
    } else if (p.name == "android.permission.READ_CALL_LOG") {
      has_read_call_log = true;
    } else if (p.name == "android.permission.WRITE_CALL_LOG") {
      has_write_call_log = true;
    }
  }
  auto& out = m_.implied_permissions;
  if (aapt_target_sdk_ < 4) {
    if (!has_write_ext) {
      out.push_back({"android.permission.WRITE_EXTERNAL_STORAGE", "targetSdkVersion < 4", {}});
      has_write_ext = true;
    }
    if (!has_read_phone) {
      out.push_back({"android.permission.READ_PHONE_STATE", "targetSdkVersion < 4", {}});
    }
  }
  if (!has_read_ext && has_write_ext) {
    out.push_back({"android.permission.READ_EXTERNAL_STORAGE", "requested WRITE_EXTERNAL_STORAGE",
                   write_ext_max});
  }
  if (aapt_target_sdk_ < 16) {
    if (!has_read_call_log && has_read_contacts) {
      out.push_back({"android.permission.READ_CALL_LOG",
                     "targetSdkVersion < 16 and requested READ_CONTACTS",
                     {}});
    }
    if (!has_write_call_log && has_write_contacts) {
      out.push_back({"android.permission.WRITE_CALL_LOG",
                     "targetSdkVersion < 16 and requested WRITE_CONTACTS",
                     {}});
    }
  }
}

std::string ProtectionLevelName(uint32_t level) {
  static constexpr const char* kBase[] = {"normal", "dangerous", "signature", "signatureOrSystem"};
  std::string s = (level & 0xf) < 4 ? kBase[level & 0xf] : fmt::format("0x{:x}", level & 0xf);
  static constexpr std::pair<uint32_t, const char*> kFlags[] = {{0x10, "privileged"},
                                                                {0x20, "development"},
                                                                {0x40, "appop"},
                                                                {0x80, "pre23"},
                                                                {0x100, "installer"},
                                                                {0x200, "verifier"},
                                                                {0x400, "preinstalled"},
                                                                {0x800, "setup"},
                                                                {0x1000, "instant"},
                                                                {0x2000, "runtime"},
                                                                {0x4000, "oem"},
                                                                {0x8000, "vendorPrivileged"},
                                                                {0x10000, "textClassifier"}};
  for (const auto& [bit, name] : kFlags) {
    if (level & bit) s += std::string("|") + name;
  }
  return s;
}

Result<Manifest> Builder::Run() {
  const XmlNode* root = doc_.RootElement();
  if (root == nullptr) {
    return InvalidInput("no root element").At("AndroidManifest.xml", "manifest", 0);
  }
  if (root->name != "manifest") {
    return InvalidInput(fmt::format("root element <{}>, expected <manifest>", root->name))
        .At("AndroidManifest.xml", "manifest", root->offset);
  }
  if (const XmlAttribute* p = FindPlainAttribute(*root, "package")) {
    m_.package = p->value.type == ValueType::kString ? p->value.string : p->raw_value.value_or("");
  }
  if (m_.package.empty()) Warn("manifest.no_package", *root, "<manifest> has no package");
  if (auto vc = Int(*root, kAttrVersionCode, "versionCode")) {
    int64_t code = static_cast<uint32_t>(*vc);
    if (auto major = Int(*root, kAttrVersionCodeMajor, "versionCodeMajor")) {
      code |= static_cast<int64_t>(static_cast<uint32_t>(*major)) << 32;
    }
    m_.version_code = code;
  }
  m_.version_name = Str(*root, kAttrVersionName, "versionName").value_or("");
  if (auto c = Int(*root, kAttrCompileSdkVersion, "compileSdkVersion")) {
    m_.compile_sdk = static_cast<int32_t>(*c);
  } else if (const XmlAttribute* p = FindPlainAttribute(*root, "platformBuildVersionCode")) {
    Value v = p->value;
    if (v.IsInt()) m_.compile_sdk = static_cast<int32_t>(v.data);
  }
  m_.compile_sdk_codename =
      Str(*root, kAttrCompileSdkVersionCodename, "compileSdkVersionCodename").value_or("");
  m_.shared_user_id = Str(*root, kAttrSharedUserId, "sharedUserId").value_or("");
  if (const XmlAttribute* il = Attr(*root, kAttrInstallLocation, "installLocation")) {
    if (il->value.IsInt()) {
      static constexpr const char* kLoc[] = {"auto", "internalOnly", "preferExternal"};
      m_.install_location = il->value.data < 3 ? kLoc[il->value.data] : il->value.ToString();
    }
  }
  // uses-sdk first: exported defaults and implied permissions depend on the target SDK wherever
  // <uses-sdk> appears.
  for (const XmlNode* n : doc_.ChildElements(*root, "uses-sdk")) ReadUsesSdk(*n);
  for (uint32_t ci : root->children) {
    const XmlNode& n = doc_.nodes[ci];
    if (n.kind != XmlNodeKind::kElement) continue;
    if (n.name == "uses-permission" || n.name == "uses-permission-sdk-23" ||
        n.name == "uses-permission-sdk-m") {
      UsesPermission p;
      p.name = Str(n, kAttrName, "name").value_or("");
      p.source = n.name == "uses-permission" ? "uses-permission" : "uses-permission-sdk-23";
      if (auto ms = Int(n, kAttrMaxSdkVersion, "maxSdkVersion")) {
        p.max_sdk = static_cast<int32_t>(*ms);
      }
      p.required = Bool(n, kAttrRequired, "required").value_or(true);
      p.line = n.line;
      if (p.name.empty()) {
        Warn("manifest.permission_without_name", n, "uses-permission without a name");
        continue;
      }
      m_.uses_permissions.push_back(std::move(p));
    } else if (n.name == "permission") {
      DeclaredPermission d;
      d.name = Str(n, kAttrName, "name").value_or("");
      if (auto pl = Int(n, kAttrProtectionLevel, "protectionLevel")) {
        d.protection_level_raw = static_cast<uint32_t>(*pl);
        d.protection_level = ProtectionLevelName(d.protection_level_raw);
      } else {
        d.protection_level = "normal";
      }
      d.permission_group = Str(n, kAttrPermissionGroup, "permissionGroup").value_or("");
      d.line = n.line;
      m_.declared_permissions.push_back(std::move(d));
    } else if (n.name == "permission-group") {
      m_.permission_groups.push_back(Str(n, kAttrName, "name").value_or(""));
    } else if (n.name == "uses-feature") {
      UsesFeature f;
      f.name = Str(n, kAttrName, "name").value_or("");
      f.required = Bool(n, kAttrRequired, "required").value_or(true);
      if (auto gl = Int(n, kAttrGlEsVersion, "glEsVersion")) {
        f.gl_es_version = static_cast<uint32_t>(*gl);
      }
      m_.uses_features.push_back(std::move(f));
    } else if (n.name == "queries") {
      for (uint32_t qi : n.children) {
        const XmlNode& q = doc_.nodes[qi];
        if (q.kind != XmlNodeKind::kElement) continue;
        if (q.name == "package") {
          m_.queries.packages.push_back(Str(q, kAttrName, "name").value_or(""));
        } else if (q.name == "intent") {
          m_.queries.intents.push_back(ReadIntentFilter(q));
        } else if (q.name == "provider") {
          m_.queries.providers.push_back(Str(q, kAttrAuthorities, "authorities").value_or(""));
        }
      }
    }
  }
  std::vector<const XmlNode*> apps = doc_.ChildElements(*root, "application");
  if (apps.size() > 1) {
    Warn("manifest.multiple_applications", *apps[1],
         "more than one <application>; Android reads the first");
  }
  if (!apps.empty()) ReadApplication(*apps.front());
  ComputeImpliedPermissions();
  return std::move(m_);
}

}  // namespace

std::string_view ComponentKindName(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::kActivity:
      return "activity";
    case ComponentKind::kActivityAlias:
      return "activity-alias";
    case ComponentKind::kService:
      return "service";
    case ComponentKind::kReceiver:
      return "receiver";
    case ComponentKind::kProvider:
      return "provider";
  }
  return "unknown";
}

std::string ResolveClassName(std::string_view package, std::string_view name) {
  // PackageParser.buildClassName: ".Foo" -> pkg + ".Foo"; "Foo" (no dot) -> pkg + ".Foo";
  // anything with a dot elsewhere is already qualified.
  if (name.empty()) return "";
  if (name.front() == '.') return std::string(package) + std::string(name);
  if (name.find('.') == std::string_view::npos) {
    return std::string(package) + "." + std::string(name);
  }
  return std::string(name);
}

Result<Manifest> BuildManifest(const XmlDocument& doc, const ResourceTable* resources,
                               Diagnostics* diagnostics) {
  Builder b(doc, resources, diagnostics);
  return b.Run();
}

}  // namespace piaudit::android
