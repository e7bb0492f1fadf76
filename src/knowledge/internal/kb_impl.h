// Private state of KnowledgeBase, shared by loader.cc (which fills it) and knowledge_base.cc
// (which answers lookups). Everything lives behind one unique_ptr, so the element addresses that
// indexes and returned pointers refer to never change once Load() has finished.
#ifndef PIAUDIT_KNOWLEDGE_INTERNAL_KB_IMPL_H_
#define PIAUDIT_KNOWLEDGE_INTERNAL_KB_IMPL_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/string_hash.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::knowledge::internal {

using piaudit::StringHash;
using piaudit::StringMap;

// Longest package prefix on a separator boundary, for millions of class names per scan.
//
// Every prefix is stored in dot and slash form, and so is every "stem" (each proper prefix of a
// prefix that ends before a separator). Matching walks the class name's separator positions from
// the shortest candidate up and stops at the first candidate that is neither a prefix nor a stem:
// no longer candidate can then be a prefix. Most framework classes (android.*, androidx.*,
// kotlin.*) stop after one hash lookup, and no string is copied.
class PrefixIndex {
 public:
  void Add(std::string_view dot_prefix, int32_t value);
  // Value of the longest prefix covering `class_name` (dot, slash or "L...;" form), or -1.
  int32_t Match(std::string_view class_name) const;
  bool empty() const { return dot_.empty(); }

 private:
  void Put(std::string key, int32_t value, bool is_prefix);
  StringMap<int32_t> dot_;  // -1 = stem only
  StringMap<int32_t> slash_;
};

struct KbData {
  // Wraps finished data in a KnowledgeBase (whose constructor is private).
  static KnowledgeBase Wrap(std::unique_ptr<KbData> data) { return KnowledgeBase(std::move(data)); }

  std::string dir;
  KbVersion version;

  std::vector<PiType> pi_types;
  StringMap<size_t> pi_type_index;

  std::vector<SensitiveApi> apis;
  StringMap<size_t> api_index;
  StringMap<std::vector<const SensitiveApi*>> apis_by_class;
  std::vector<ContentUri> content_uris;
  std::vector<PiIntent> intents;

  std::vector<Permission> permissions;
  StringMap<size_t> permission_index;

  std::vector<SdkCategory> sdk_categories;
  StringMap<size_t> sdk_category_index;

  std::vector<Sdk> sdks;
  StringMap<size_t> sdk_index;
  std::vector<SdkKeyOwners> prefix_owners;
  PrefixIndex sdk_prefixes;  // value = index into prefix_owners
  std::vector<SdkKeyOwners> meta_owners;
  StringMap<size_t> meta_index;
  std::vector<SdkKeyOwners> host_owners;
  StringMap<size_t> host_index;  // host without "*."

  std::vector<Packer> packers;
  StringMap<size_t> packer_index;
  PrefixIndex packer_classes;  // value = index into packers

  std::vector<AppType> app_types;
  StringMap<size_t> app_type_index;
  std::vector<AppTypeHint> app_type_hints;

  std::vector<Item> items;
  StringMap<size_t> item_index;

  std::vector<Message> messages;
  StringMap<size_t> message_index;

  std::vector<Threshold> thresholds;
  StringMap<size_t> threshold_index;

  WorkCalendar calendar;
  ReviewProcess review_process;

  AndroidFramework android_framework;
  ConsentWords consent_words;
  RuntimeWords runtime_words;
  ScreenWords screen_words;
  PermissionRequestApis permission_requests;
  PolicyLexiconData policy_words;
  SentenceModelHeader sentence_model;
  SdkFingerprints sdk_fingerprints;

  // Builds every lookup from the vectors above. REQUIRES: the vectors are final.
  void BuildIndexes();
  // The PI-type and SDK-name automaton, built on first use: a scan without a policy never needs
  // it, and its dense table is the costliest part of a load.
  const Lexicon& GetLexicon() const;

 private:
  mutable std::once_flag lexicon_once_;
  mutable Lexicon lexicon_;
};

}  // namespace piaudit::knowledge::internal

#endif  // PIAUDIT_KNOWLEDGE_INTERNAL_KB_IMPL_H_
