// ApiCatalog: lookups over the sensitive-API entries.
#include "analysis/sensitive_calls.h"

#include "knowledge/knowledge_base.h"

namespace piaudit::analysis {

namespace {

// The permissions of an entry when every one of them is checked by Android; none when one only
// filters results (then the API answers an app without any of them).
std::vector<std::string> Guards(const knowledge::KnowledgeBase& kb,
                                const std::vector<std::string>& permissions) {
  for (const std::string& p : permissions) {
    const knowledge::Permission* kp = kb.FindPermission(p);
    if (kp == nullptr || !kp->guards) return {};
  }
  return permissions;
}

}  // namespace

ApiCatalog ApiCatalog::FromKnowledge(const knowledge::KnowledgeBase& kb) {
  ApiCatalog c;
  for (const knowledge::SensitiveApi& a : kb.apis()) {
    CatalogApi e;
    e.descriptor = a.descriptor;
    e.pi = a.pi;
    e.permissions = a.permissions;
    e.guards = Guards(kb, a.permissions);
    e.term = a.term;
    if (a.const_arg) {
      e.const_arg_index = a.const_arg->index;
      e.const_arg_value = a.const_arg->value;
    }
    e.uri_arg_index = a.uri_arg.value_or(-1);
    e.package_arg_index = a.package_arg.value_or(-1);
    c.Add(std::move(e));
  }
  for (const knowledge::ContentUri& u : kb.content_uris()) {
    c.AddUri({u.uri, u.pi, u.permissions, Guards(kb, u.permissions)});
  }
  return c;
}

void ApiCatalog::Add(CatalogApi api) {
  const size_t arrow = api.descriptor.find("->");
  if (arrow != std::string::npos) {
    api.class_descriptor = api.descriptor.substr(0, arrow);
    const std::string rest = api.descriptor.substr(arrow + 2);
    const size_t paren = rest.find('(');
    const size_t colon = rest.find(':');
    api.is_field = paren == std::string::npos && colon != std::string::npos;
    api.name = rest.substr(0, api.is_field ? colon : paren);
  }
  const uint32_t idx = static_cast<uint32_t>(apis_.size());
  by_descriptor_[api.descriptor].push_back(idx);
  by_class_[api.class_descriptor].push_back(idx);
  apis_.push_back(std::move(api));
}

const std::vector<uint32_t>* ApiCatalog::Find(std::string_view descriptor) const {
  auto it = by_descriptor_.find(std::string(descriptor));
  return it == by_descriptor_.end() ? nullptr : &it->second;
}

const std::vector<uint32_t>* ApiCatalog::OfClass(std::string_view class_descriptor) const {
  auto it = by_class_.find(std::string(class_descriptor));
  return it == by_class_.end() ? nullptr : &it->second;
}

const CatalogUri* ApiCatalog::MatchUri(std::string_view uri) const {
  const CatalogUri* best = nullptr;
  for (const CatalogUri& u : uris_) {
    if (uri.size() < u.uri.size() || uri.compare(0, u.uri.size(), u.uri) != 0) continue;
    if (uri.size() > u.uri.size() && uri[u.uri.size()] != '/' && u.uri.back() != '/') continue;
    if (best == nullptr || u.uri.size() > best->uri.size()) best = &u;
  }
  return best;
}

}  // namespace piaudit::analysis
