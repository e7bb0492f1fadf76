// Who made a recorded call (from its stack) and who a host belongs to.
#ifndef PIAUDIT_RUNTIME_OWNER_H_
#define PIAUDIT_RUNTIME_OWNER_H_

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "knowledge/knowledge_base.h"
#include "runtime/recordings.h"
#include "trace/reader.h"

namespace piaudit::runtime {

// "com.x.Y.m(Y.java:12)", "at com.x.Y.m(Unknown Source)", "com.x.Y.m" -> "com.x.Y"; "" when the
// frame names no class.
std::string_view FrameClass(std::string_view frame);

// The host of "https://user@Host.example:8443/p?q" -> "host.example" (lower case); "" when the URL
// has no scheme.
std::string HostOfUrl(std::string_view url);

// "line N" for line formats (JSON Lines, logcat), "entry N" for the others (HAR entry, pcap
// packet, xlsx row): how a place in a recording is named in refs and messages.
std::string TracePlace(trace::TraceFormat format, uint64_t line_or_entry);

class OwnerResolver {
 public:
  OwnerResolver(const knowledge::KnowledgeBase& kb, const Attribution& attribution);

  // The owner of the innermost frame outside the platform's packages: "app" or an SDK id;
  // "unknown" when there is no stack (or only platform frames). `frame_index` receives the index
  // of the deciding frame (-1 with "unknown").
  std::string OfStack(std::span<const std::string_view> stack, int* frame_index = nullptr) const;

  // An SDK id for a host of the SDK catalogue, "app" for the app's own domain (the package read
  // backwards: com.example.app -> example.com and its subdomains), else "unknown".
  std::string OfHost(std::string_view host) const;

  bool IsFramework(std::string_view dot_class) const;

 private:
  std::string OfClass(std::string_view dot_class) const;
  std::string ResolveClass(std::string_view dot_class) const;

  const knowledge::KnowledgeBase& kb_;
  const Attribution& attribution_;
  std::string app_domain_;  // "example.com", empty when the package gives none
  // Stacks repeat: a million calls come from a few hundred classes.
  mutable std::unordered_map<std::string, std::string> class_owners_;
};

}  // namespace piaudit::runtime

#endif  // PIAUDIT_RUNTIME_OWNER_H_
