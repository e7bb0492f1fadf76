#include "runtime/api_index.h"

#include <algorithm>

namespace piaudit::runtime {
namespace {

void AddUnique(std::vector<std::string>* out, const std::string& value) {
  if (std::find(out->begin(), out->end(), value) == out->end()) out->push_back(value);
}

// The content:// URIs written in the arguments (JSON text, so a URI ends at a quote).
std::vector<std::string_view> ContentUris(std::string_view args) {
  std::vector<std::string_view> uris;
  size_t pos = 0;
  while ((pos = args.find("content://", pos)) != std::string_view::npos) {
    size_t end = args.find_first_of("\"' ,]}\\", pos);
    uris.push_back(args.substr(pos, end == std::string_view::npos ? end : end - pos));
    pos += 10;
  }
  return uris;
}

}  // namespace

std::string RecorderApiName(std::string_view class_descriptor, std::string_view member) {
  std::string name;
  if (class_descriptor.size() >= 2 && class_descriptor.front() == 'L' &&
      class_descriptor.back() == ';') {
    class_descriptor = class_descriptor.substr(1, class_descriptor.size() - 2);
  }
  name.reserve(class_descriptor.size() + member.size() + 1);
  for (char c : class_descriptor) name.push_back(c == '/' ? '.' : c);
  name.push_back('.');
  name.append(member);
  return name;
}

ApiIndex::ApiIndex(const knowledge::KnowledgeBase& kb) : kb_(kb) {
  for (const knowledge::SensitiveApi& api : kb.apis()) {
    by_name_[RecorderApiName(api.class_descriptor, api.name)].push_back(&api);
  }
}

std::vector<std::string> ApiIndex::PiOf(std::string_view api, std::string_view args,
                                        std::vector<std::string>* permissions) const {
  std::vector<std::string> pi;
  auto it = by_name_.find(std::string(api));
  if (it == by_name_.end()) return pi;
  for (const knowledge::SensitiveApi* entry : it->second) {
    if (entry->const_arg) {
      // The constant is a JSON string among the arguments ("android_id"); without arguments the
      // call cannot be told from a harmless one.
      if (args.find("\"" + entry->const_arg->value + "\"") == std::string_view::npos) continue;
    }
    if (entry->uri_arg) {
      for (std::string_view uri : ContentUris(args)) {
        if (const knowledge::ContentUri* match = kb_.MatchContentUri(uri)) {
          for (const std::string& type : match->pi) AddUnique(&pi, type);
          if (permissions) {
            for (const std::string& p : match->permissions) AddUnique(permissions, p);
          }
        }
      }
      continue;
    }
    for (const std::string& type : entry->pi) AddUnique(&pi, type);
    if (permissions) {
      for (const std::string& p : entry->permissions) AddUnique(permissions, p);
    }
  }
  return pi;
}

}  // namespace piaudit::runtime
