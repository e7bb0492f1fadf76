// Hash containers keyed by std::string that are searched by std::string_view without building a
// string (heterogeneous lookup): for lookups made millions of times per scan or per policy.
#ifndef PIAUDIT_BASE_STRING_HASH_H_
#define PIAUDIT_BASE_STRING_HASH_H_

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace piaudit {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

}  // namespace piaudit

#endif  // PIAUDIT_BASE_STRING_HASH_H_
