#include "runtime/owner.h"

#include <algorithm>

#include "base/ascii.h"

namespace piaudit::runtime {
namespace {

bool StartsWithPackage(std::string_view name, std::string_view prefix) {
  if (prefix.empty() || name.size() < prefix.size() ||
      name.compare(0, prefix.size(), prefix) != 0) {
    return false;
  }
  // "com.foo" covers "com.foo.Bar" and "com.foo" itself, not "com.foobar.X"; a prefix written with
  // its trailing dot ("android.") covers what starts with it.
  return prefix.back() == '.' || name.size() == prefix.size() || name[prefix.size()] == '.' ||
         name[prefix.size()] == '$';
}

// The registrable part of a reversed package: com.example.app -> example.com. Two labels only,
// so "com.tencent.mm" gives tencent.com; a package of one label gives nothing.
std::string AppDomain(std::string_view package) {
  size_t first = package.find('.');
  if (first == std::string_view::npos) return "";
  size_t second = package.find('.', first + 1);
  std::string_view tld = package.substr(0, first);
  std::string_view name = package.substr(
      first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1);
  if (tld.empty() || name.empty()) return "";
  return AsciiLower(name) + "." + AsciiLower(tld);
}

bool HostInDomain(std::string_view host, std::string_view domain) {
  if (domain.empty() || host.size() < domain.size()) return false;
  if (host.compare(host.size() - domain.size(), domain.size(), domain) != 0) return false;
  return host.size() == domain.size() || host[host.size() - domain.size() - 1] == '.';
}

}  // namespace

std::string HostOfUrl(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  if (size_t at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  if (!url.empty() && url.front() == '[') return AsciiLower(url.substr(1, url.find(']') - 1));
  return AsciiLower(url.substr(0, url.find(':')));
}

std::string TracePlace(trace::TraceFormat format, uint64_t line_or_entry) {
  const bool lines =
      format == trace::TraceFormat::kPiauditJsonl || format == trace::TraceFormat::kLogcat;
  return (lines ? "line " : "entry ") + std::to_string(line_or_entry);
}

std::string_view FrameClass(std::string_view frame) {
  while (!frame.empty() && (frame.front() == ' ' || frame.front() == '\t')) frame.remove_prefix(1);
  if (frame.substr(0, 3) == "at ") frame.remove_prefix(3);
  frame = frame.substr(0, frame.find('('));
  while (!frame.empty() && frame.back() == ' ') frame.remove_suffix(1);
  size_t dot = frame.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return frame.substr(0, dot);
}

OwnerResolver::OwnerResolver(const knowledge::KnowledgeBase& kb, const Attribution& attribution)
    : kb_(kb), attribution_(attribution), app_domain_(AppDomain(attribution.app_package)) {}

bool OwnerResolver::IsFramework(std::string_view dot_class) const {
  return std::any_of(attribution_.framework_prefixes.begin(), attribution_.framework_prefixes.end(),
                     [&](const std::string& p) { return StartsWithPackage(dot_class, p); });
}

std::string OwnerResolver::OfClass(std::string_view dot_class) const {
  std::string key(dot_class);
  if (auto it = class_owners_.find(key); it != class_owners_.end()) return it->second;
  if (class_owners_.size() > 200'000) class_owners_.clear();
  std::string owner = ResolveClass(dot_class);
  class_owners_.emplace(std::move(key), owner);
  return owner;
}

std::string OwnerResolver::ResolveClass(std::string_view dot_class) const {
  if (attribution_.class_owner) {
    std::string owner = attribution_.class_owner(dot_class);
    if (!owner.empty()) return owner;
  }
  if (!attribution_.app_package.empty() && StartsWithPackage(dot_class, attribution_.app_package)) {
    return "app";
  }
  // The longest catalogue prefix that covers the class.
  const knowledge::SdkKeyOwners* best = nullptr;
  for (const knowledge::SdkKeyOwners& entry : kb_.sdk_prefixes()) {
    if (StartsWithPackage(dot_class, entry.key) && !entry.sdks.empty() &&
        (!best || entry.key.size() > best->key.size())) {
      best = &entry;
    }
  }
  if (best) return best->sdks.front()->id;
  // A class neither the app's package nor any SDK claims is the app's, as in the static analysis
  // (apps ship code under several packages).
  return "app";
}

std::string OwnerResolver::OfStack(std::span<const std::string_view> stack,
                                   int* frame_index) const {
  for (size_t i = 0; i < stack.size(); ++i) {
    std::string_view cls = FrameClass(stack[i]);
    if (cls.empty() || IsFramework(cls)) continue;
    if (frame_index) *frame_index = static_cast<int>(i);
    return OfClass(cls);
  }
  if (frame_index) *frame_index = -1;
  return "unknown";
}

std::string OwnerResolver::OfHost(std::string_view host_text) const {
  std::string host = AsciiLower(host_text);
  if (host.empty()) return "unknown";
  if (const knowledge::SdkKeyOwners* owners = kb_.MatchHost(host)) {
    if (!owners->sdks.empty()) return owners->sdks.front()->id;
  }
  if (HostInDomain(host, app_domain_)) return "app";
  return "unknown";
}

}  // namespace piaudit::runtime
