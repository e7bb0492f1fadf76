// PI inventory; see inventory.h.
#include "report/internal/inventory.h"

#include <algorithm>
#include <map>
#include <set>

namespace piaudit::report::internal {

namespace {

void AddUnique(std::vector<std::string>* v, const std::string& s) {
  if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
}

}  // namespace

std::vector<PiInventoryEntry> BuildPiInventory(const evidence::AppEvidence& ev,
                                               const knowledge::KnowledgeBase* kb) {
  std::map<std::string, PiInventoryEntry> m;
  auto entry = [&](const std::string& id) -> PiInventoryEntry& {
    PiInventoryEntry& e = m[id];
    e.id = id;
    return e;
  };
  for (const auto& call : ev.sensitive_calls) {
    PiInventoryEntry& e = entry(call.pi_type);
    AddUnique(&e.code_owners, call.owner.empty() ? "app" : call.owner);
    e.call_sites++;
  }
  for (const auto& perm : ev.permissions) {
    std::vector<std::string> types = perm.pi_types;
    if (types.empty() && kb) {
      if (const knowledge::Permission* p = kb->FindPermission(perm.name)) types = p->pi;
    }
    for (const auto& t : types) AddUnique(&entry(t).permissions, perm.name);
  }
  for (const auto& sdk : ev.sdks) {
    for (const auto& t : sdk.pi_types) AddUnique(&entry(t).sdks_documented, sdk.id);
  }
  bool analysed = ev.policy.analysed;
  if (analysed) {
    for (const auto& d : ev.policy.data_types) entry(d.type_id);
  }
  for (auto& [id, e] : m) {
    if (kb) {
      if (const knowledge::PiType* t = kb->FindPiType(id)) {
        e.zh = t->zh;
        e.en = t->en;
        e.sensitive = t->sensitive;
      }
    }
    if (!analysed) {
      e.policy = "no_policy";
      continue;
    }
    const evidence::PolicyDataType* exact = nullptr;
    const evidence::PolicyDataType* group = nullptr;
    for (const auto& d : ev.policy.data_types) {
      if (d.type_id == id)
        exact = &d;
      else if (!group && d.collected && kb && kb->PiTypeIsA(id, d.type_id))
        group = &d;
    }
    if (exact) {
      e.policy = exact->collected && exact->not_collected ? "both"
                 : exact->collected                       ? "collected"
                                                          : "not_collected";
      e.purposes = exact->functions;
    } else if (group) {
      e.policy = "covered_by:" + group->type_id;
      e.purposes = group->functions;
    } else {
      e.policy = "not_mentioned";
    }
  }
  std::vector<PiInventoryEntry> out;
  out.reserve(m.size());
  for (auto& [id, e] : m) out.push_back(std::move(e));
  return out;
}

std::string SdkDisplayName(const evidence::AppEvidence& ev, const knowledge::KnowledgeBase* kb,
                           const std::string& id) {
  if (kb) {
    if (const knowledge::Sdk* s = kb->FindSdk(id)) {
      return (s->zh.empty() ? s->en : s->zh) + " (" + id + ")";
    }
  }
  for (const auto& s : ev.sdks) {
    if (s.id == id && !s.name.empty()) return s.name + " (" + id + ")";
  }
  return id;
}

}  // namespace piaudit::report::internal
