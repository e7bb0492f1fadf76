// Accessors and lookups of KnowledgeBase; loading and validation are in loader.cc.
#include "knowledge/knowledge_base.h"

#include <algorithm>

#include "base/ascii.h"
#include "knowledge/internal/kb_impl.h"
#include "knowledge/syntax.h"

namespace piaudit::knowledge {

using internal::PrefixIndex;

std::string_view PrefixQualityName(PrefixQuality q) {
  switch (q) {
    case PrefixQuality::kDistinct:
      return "distinct";
    case PrefixQuality::kShared:
      return "shared";
    case PrefixQuality::kBroad:
      return "broad";
  }
  return "unknown";
}

namespace internal {

void PrefixIndex::Put(std::string key, int32_t value, bool is_prefix) {
  std::string slash = key;
  std::replace(slash.begin(), slash.end(), '.', '/');
  auto put = [&](StringMap<int32_t>& m, std::string k) {
    auto [it, inserted] = m.emplace(std::move(k), is_prefix ? value : -1);
    if (!inserted && is_prefix) it->second = value;
  };
  put(dot_, std::move(key));
  put(slash_, std::move(slash));
}

void PrefixIndex::Add(std::string_view dot_prefix, int32_t value) {
  for (size_t i = 0; i < dot_prefix.size(); ++i) {
    if (dot_prefix[i] == '.' || dot_prefix[i] == '$') {
      Put(std::string(dot_prefix.substr(0, i)), -1, false);
    }
  }
  Put(std::string(dot_prefix), value, true);
}

int32_t PrefixIndex::Match(std::string_view name) const {
  const StringMap<int32_t>* map = &dot_;
  char sep = '.';
  if (name.size() >= 2 && name.front() == 'L' && name.back() == ';') {
    name = name.substr(1, name.size() - 2);
    map = &slash_;
    sep = '/';
  } else if (name.find('/') != std::string_view::npos) {
    map = &slash_;
    sep = '/';
  }
  int32_t best = -1;
  const size_t n = name.size();
  for (size_t i = 0; i <= n; ++i) {
    if (i < n && name[i] != sep && name[i] != '$') continue;
    if (i == 0) return -1;
    auto it = map->find(name.substr(0, i));
    if (it == map->end()) break;
    if (it->second >= 0) best = it->second;
  }
  return best;
}

void KbData::BuildIndexes() {
  pi_type_index.clear();
  for (size_t i = 0; i < pi_types.size(); ++i) pi_type_index.emplace(pi_types[i].id, i);
  api_index.clear();
  apis_by_class.clear();
  for (size_t i = 0; i < apis.size(); ++i) {
    api_index.emplace(apis[i].descriptor, i);
    apis_by_class[apis[i].class_descriptor].push_back(&apis[i]);
  }
  permission_index.clear();
  for (size_t i = 0; i < permissions.size(); ++i) permission_index.emplace(permissions[i].name, i);

  sdk_category_index.clear();
  for (size_t i = 0; i < sdk_categories.size(); ++i) {
    sdk_category_index.emplace(sdk_categories[i].id, i);
  }
  sdk_index.clear();
  prefix_owners.clear();
  meta_owners.clear();
  meta_index.clear();
  host_owners.clear();
  host_index.clear();
  StringMap<size_t> prefix_pos;
  auto own = [](std::vector<SdkKeyOwners>& owners, StringMap<size_t>& index, const std::string& key,
                const Sdk* sdk) -> SdkKeyOwners& {
    auto [it, inserted] = index.emplace(key, owners.size());
    if (inserted) owners.push_back(SdkKeyOwners{key, PrefixQuality::kDistinct, {}});
    SdkKeyOwners& o = owners[it->second];
    if (std::find(o.sdks.begin(), o.sdks.end(), sdk) == o.sdks.end()) o.sdks.push_back(sdk);
    return o;
  };
  for (size_t i = 0; i < sdks.size(); ++i) {
    const Sdk* sdk = &sdks[i];
    sdk_index.emplace(sdk->id, i);
    for (const SdkPrefix& p : sdk->prefixes) {
      SdkKeyOwners& o = own(prefix_owners, prefix_pos, p.prefix, sdk);
      o.quality = std::max(o.quality, p.quality);  // the weakest claim wins
    }
    for (const std::string& k : sdk->meta_data) own(meta_owners, meta_index, k, sdk);
    for (const std::string& h : sdk->hosts) {
      own(host_owners, host_index, h.substr(0, 2) == "*." ? h.substr(2) : h, sdk);
    }
  }
  sdk_prefixes = PrefixIndex();
  for (size_t i = 0; i < prefix_owners.size(); ++i) {
    sdk_prefixes.Add(prefix_owners[i].key, static_cast<int32_t>(i));
  }

  packer_index.clear();
  packer_classes = PrefixIndex();
  for (size_t i = 0; i < packers.size(); ++i) {
    packer_index.emplace(packers[i].id, i);
    for (const std::string& c : packers[i].classes) {
      packer_classes.Add(c, static_cast<int32_t>(i));
    }
  }
  app_type_index.clear();
  for (size_t i = 0; i < app_types.size(); ++i) app_type_index.emplace(app_types[i].id, i);
  item_index.clear();
  for (size_t i = 0; i < items.size(); ++i) item_index.emplace(items[i].id, i);
  message_index.clear();
  for (size_t i = 0; i < messages.size(); ++i) message_index.emplace(messages[i].id, i);
  threshold_index.clear();
  for (size_t i = 0; i < thresholds.size(); ++i) threshold_index.emplace(thresholds[i].id, i);
}

const Lexicon& KbData::GetLexicon() const {
  std::call_once(lexicon_once_, [this] {
    for (const PiType& t : pi_types) {
      lexicon_.Add(t.zh, LexiconKind::kPiType, t.id);
      for (const std::string& s : t.synonyms) lexicon_.Add(s, LexiconKind::kPiType, t.id);
    }
    for (const Sdk& s : sdks) {
      for (const std::string& n : s.policy_names) lexicon_.Add(n, LexiconKind::kSdk, s.id);
    }
    lexicon_.Build();
  });
  return lexicon_;
}

}  // namespace internal

namespace {

template <typename T, typename M>
const T* FindIn(const std::vector<T>& v, const M& index, std::string_view key) {
  auto it = index.find(key);
  return it == index.end() ? nullptr : &v[it->second];
}

}  // namespace

KnowledgeBase::KnowledgeBase(std::unique_ptr<internal::KbData> impl) : impl_(std::move(impl)) {}
KnowledgeBase::KnowledgeBase(KnowledgeBase&&) noexcept = default;
KnowledgeBase& KnowledgeBase::operator=(KnowledgeBase&&) noexcept = default;
KnowledgeBase::~KnowledgeBase() = default;

const KbVersion& KnowledgeBase::version() const { return impl_->version; }
const std::string& KnowledgeBase::dir() const { return impl_->dir; }

std::span<const PiType> KnowledgeBase::pi_types() const { return impl_->pi_types; }
const PiType* KnowledgeBase::FindPiType(std::string_view id) const {
  return FindIn(impl_->pi_types, impl_->pi_type_index, id);
}
bool KnowledgeBase::PiTypeIsA(std::string_view type, std::string_view ancestor) const {
  // The loader rejects parent cycles, and the taxonomy is shallow; bound the walk anyway.
  const PiType* t = FindPiType(type);
  for (int depth = 0; t != nullptr && depth < 16; ++depth) {
    if (t->id == ancestor) return true;
    if (t->parent.empty()) return false;
    t = FindPiType(t->parent);
  }
  return false;
}

std::span<const SensitiveApi> KnowledgeBase::apis() const { return impl_->apis; }
const SensitiveApi* KnowledgeBase::FindApi(std::string_view descriptor) const {
  return FindIn(impl_->apis, impl_->api_index, descriptor);
}
std::span<const SensitiveApi* const> KnowledgeBase::ApisOfClass(
    std::string_view class_descriptor) const {
  auto it = impl_->apis_by_class.find(class_descriptor);
  if (it == impl_->apis_by_class.end()) return {};
  return it->second;
}
std::span<const ContentUri> KnowledgeBase::content_uris() const { return impl_->content_uris; }
const ContentUri* KnowledgeBase::MatchContentUri(std::string_view uri) const {
  const ContentUri* best = nullptr;
  for (const ContentUri& c : impl_->content_uris) {
    if (uri.size() < c.uri.size() || uri.substr(0, c.uri.size()) != c.uri) continue;
    if (uri.size() > c.uri.size() && c.uri.back() != '/') {
      const char next = uri[c.uri.size()];
      if (next != '/' && next != '?' && next != '#') continue;
    }
    if (best == nullptr || c.uri.size() > best->uri.size()) best = &c;
  }
  return best;
}
std::span<const PiIntent> KnowledgeBase::intents() const { return impl_->intents; }

std::span<const Permission> KnowledgeBase::permissions() const { return impl_->permissions; }
const Permission* KnowledgeBase::FindPermission(std::string_view name) const {
  if (const Permission* p = FindIn(impl_->permissions, impl_->permission_index, name)) return p;
  if (name.find('.') == std::string_view::npos) {
    return FindIn(impl_->permissions, impl_->permission_index,
                  "android.permission." + std::string(name));
  }
  return nullptr;
}

std::span<const SdkCategory> KnowledgeBase::sdk_categories() const { return impl_->sdk_categories; }
const SdkCategory* KnowledgeBase::FindSdkCategory(std::string_view id) const {
  return FindIn(impl_->sdk_categories, impl_->sdk_category_index, id);
}

std::span<const Sdk> KnowledgeBase::sdks() const { return impl_->sdks; }
const Sdk* KnowledgeBase::FindSdk(std::string_view id) const {
  return FindIn(impl_->sdks, impl_->sdk_index, id);
}
const SdkKeyOwners* KnowledgeBase::MatchClassPrefix(std::string_view class_name) const {
  const int32_t i = impl_->sdk_prefixes.Match(class_name);
  return i < 0 ? nullptr : &impl_->prefix_owners[static_cast<size_t>(i)];
}
std::span<const SdkKeyOwners> KnowledgeBase::sdk_prefixes() const { return impl_->prefix_owners; }
const SdkKeyOwners* KnowledgeBase::FindSdksByMetaData(std::string_view key) const {
  return FindIn(impl_->meta_owners, impl_->meta_index, key);
}
const SdkKeyOwners* KnowledgeBase::MatchHost(std::string_view host) const {
  std::string h(host);
  for (char& c : h) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!h.empty() && h.back() == '.') h.pop_back();  // absolute form "a.b.cn."
  std::string_view v = h;
  while (!v.empty()) {
    if (const SdkKeyOwners* o = FindIn(impl_->host_owners, impl_->host_index, v)) return o;
    const size_t dot = v.find('.');
    if (dot == std::string_view::npos) break;
    v.remove_prefix(dot + 1);
  }
  return nullptr;
}
std::vector<NativeLibMatch> KnowledgeBase::MatchNativeLib(std::string_view file_name) const {
  if (const size_t slash = file_name.rfind('/'); slash != std::string_view::npos) {
    file_name.remove_prefix(slash + 1);
  }
  std::vector<NativeLibMatch> out;
  for (const Sdk& s : impl_->sdks) {
    for (const std::string& p : s.native_libs) {
      if (MatchFilePattern(p, file_name)) out.push_back(NativeLibMatch{&s, nullptr, p});
    }
  }
  for (const Packer& k : impl_->packers) {
    for (const std::string& p : k.native_libs) {
      if (MatchFilePattern(p, file_name)) out.push_back(NativeLibMatch{nullptr, &k, p});
    }
  }
  return out;
}

std::vector<NativeLibMatch> KnowledgeBase::MatchAsset(std::string_view file_name) const {
  if (file_name.rfind("assets/", 0) == 0) file_name.remove_prefix(7);
  std::vector<NativeLibMatch> out;
  for (const Sdk& s : impl_->sdks) {
    for (const std::string& p : s.assets) {
      if (MatchFilePattern(p, file_name)) out.push_back(NativeLibMatch{&s, nullptr, p});
    }
  }
  for (const Packer& k : impl_->packers) {
    for (const std::string& p : k.assets) {
      if (MatchFilePattern(p, file_name)) out.push_back(NativeLibMatch{nullptr, &k, p});
    }
  }
  return out;
}

std::vector<const Sdk*> KnowledgeBase::FindSdksByComponent(std::string_view class_name,
                                                           std::string_view app_package) const {
  std::vector<const Sdk*> out;
  for (const Sdk& s : impl_->sdks) {
    for (const std::string& c : s.components) {
      bool hit = false;
      if (c.front() == '.') {
        hit = !app_package.empty() && class_name.size() == app_package.size() + c.size() &&
              class_name.substr(0, app_package.size()) == app_package &&
              class_name.substr(app_package.size()) == c;
      } else {
        hit = class_name == c;
      }
      if (hit) {
        out.push_back(&s);
        break;
      }
    }
  }
  return out;
}

std::span<const Packer> KnowledgeBase::packers() const { return impl_->packers; }
const Packer* KnowledgeBase::FindPacker(std::string_view id) const {
  return FindIn(impl_->packers, impl_->packer_index, id);
}
const Packer* KnowledgeBase::MatchPackerClass(std::string_view class_name) const {
  const int32_t i = impl_->packer_classes.Match(class_name);
  return i < 0 ? nullptr : &impl_->packers[static_cast<size_t>(i)];
}

const Packer* KnowledgeBase::FindPackerByApplication(std::string_view name) const {
  for (const Packer& p : impl_->packers) {
    for (const std::string& a : p.application_classes) {
      if (a == name) return &p;
    }
  }
  return nullptr;
}

std::span<const AppType> KnowledgeBase::app_types() const { return impl_->app_types; }
const AppType* KnowledgeBase::FindAppType(std::string_view id) const {
  return FindIn(impl_->app_types, impl_->app_type_index, id);
}
std::span<const AppTypeHint> KnowledgeBase::app_type_hints() const { return impl_->app_type_hints; }

namespace {}  // namespace

std::vector<AppTypeGuess> KnowledgeBase::GuessAppTypes(std::string_view package,
                                                       std::span<const std::string> labels,
                                                       std::string_view store_category) const {
  const std::string pkg = AsciiLower(package);
  std::vector<std::string> labs;
  for (const std::string& l : labels) labs.push_back(AsciiLower(l));
  const std::string cat = AsciiLower(store_category);
  std::vector<AppTypeGuess> out;
  auto credit = [&](const AppTypeHint& h, int points, std::string reason) {
    const AppType* t = FindAppType(h.type);
    if (t == nullptr) return;
    auto it = std::find_if(out.begin(), out.end(), [t](const auto& g) { return g.type == t; });
    if (it == out.end()) it = out.insert(out.end(), AppTypeGuess{t, 0, {}});
    it->score += points;
    it->reasons.push_back(std::move(reason));
  };
  for (const AppTypeHint& h : impl_->app_type_hints) {
    for (const std::string& c : h.store_categories) {
      if (!cat.empty() && AsciiLower(c) == cat) credit(h, 2, "store category '" + c + "'");
    }
    for (const std::string& k : h.keywords) {
      const std::string kw = AsciiLower(k);
      if (kw.empty()) continue;
      if (std::any_of(labs.begin(), labs.end(),
                      [&kw](const std::string& l) { return l.find(kw) != std::string::npos; })) {
        credit(h, 2, "keyword '" + k + "' in label");
        continue;
      }
      for (size_t pos = pkg.find(kw); pos != std::string::npos; pos = pkg.find(kw, pos + 1)) {
        if (pos == 0 || pkg[pos - 1] == '.' || pkg[pos - 1] == '_') {
          credit(h, 1, "keyword '" + k + "' in package name");
          break;
        }
      }
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const AppTypeGuess& a, const AppTypeGuess& b) { return a.score > b.score; });
  return out;
}

std::span<const Item> KnowledgeBase::items() const { return impl_->items; }
const Item* KnowledgeBase::FindItem(std::string_view id) const {
  return FindIn(impl_->items, impl_->item_index, id);
}

std::span<const Message> KnowledgeBase::messages() const { return impl_->messages; }
const Message* KnowledgeBase::FindMessage(std::string_view id) const {
  return FindIn(impl_->messages, impl_->message_index, id);
}

std::span<const Threshold> KnowledgeBase::thresholds() const { return impl_->thresholds; }
const Threshold* KnowledgeBase::FindThreshold(std::string_view id) const {
  return FindIn(impl_->thresholds, impl_->threshold_index, id);
}

const WorkCalendar& KnowledgeBase::calendar() const { return impl_->calendar; }
const Lexicon& KnowledgeBase::lexicon() const { return impl_->GetLexicon(); }

const AndroidFramework& KnowledgeBase::android_framework() const {
  return impl_->android_framework;
}
const ReviewProcess& KnowledgeBase::review_process() const { return impl_->review_process; }
const ConsentWords& KnowledgeBase::consent_words() const { return impl_->consent_words; }
const RuntimeWords& KnowledgeBase::runtime_words() const { return impl_->runtime_words; }
const ScreenWords& KnowledgeBase::screen_words() const { return impl_->screen_words; }
const PermissionRequestApis& KnowledgeBase::permission_requests() const {
  return impl_->permission_requests;
}
const PolicyLexiconData& KnowledgeBase::policy_words() const { return impl_->policy_words; }
const SentenceModelHeader& KnowledgeBase::sentence_model() const { return impl_->sentence_model; }
const SdkFingerprints& KnowledgeBase::sdk_fingerprints() const { return impl_->sdk_fingerprints; }

}  // namespace piaudit::knowledge
