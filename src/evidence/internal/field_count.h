// The number of fields of an aggregate struct, at compile time, so the evidence record and its
// test can prove that every field of every evidence struct is listed (a field added to
// evidence.h and forgotten in evidence_json.cc stops the build instead of silently not being
// stored).
//
// How: T{f1, ..., fN} with N placeholder initialisers that convert to anything compiles for
// N <= the number of fields and not beyond (the technique of Boost.PFR). Placeholders convert to
// T& so that copy-initialising a std::string or std::optional from one is not ambiguous.
// REQUIRES: T is an aggregate without base classes (every evidence struct is).
#ifndef PIAUDIT_EVIDENCE_INTERNAL_FIELD_COUNT_H_
#define PIAUDIT_EVIDENCE_INTERNAL_FIELD_COUNT_H_

#include <cstddef>
#include <type_traits>
#include <utility>

namespace piaudit::evidence::internal {

struct AnyField {
  template <typename T>
  operator T&() const&&;  // declared only: used in unevaluated requires-expressions
};

template <typename T, std::size_t... I>
constexpr bool BraceInitializableWith(std::index_sequence<I...>) {
  return requires { T{(void(I), AnyField{})...}; };
}

template <typename T, std::size_t N = 0>
constexpr std::size_t AggregateFieldCount() {
  static_assert(std::is_aggregate_v<T>);
  if constexpr (N < 64 && BraceInitializableWith<T>(std::make_index_sequence<N + 1>())) {
    return AggregateFieldCount<T, N + 1>();
  } else {
    return N;
  }
}

}  // namespace piaudit::evidence::internal

#endif  // PIAUDIT_EVIDENCE_INTERNAL_FIELD_COUNT_H_
