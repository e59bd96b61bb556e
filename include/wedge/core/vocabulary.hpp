#pragma once
// The words a model speaks: each concept (parameters, levers, states, events, outcomes,
// coefficients) is one table of terms in the order of its enum, with the TOML key, a long name
// and a unit. The configuration reader, the kernel (through the enum), the result file's names
// and the docs all read the same table; `in_enum_order` makes a misordered table a compile error.
#include <array>
#include <cstddef>
#include <string_view>

namespace wedge {

//! One word of a vocabulary: `id` is its enum value.
struct Term {
  int id;
  std::string_view key;        //!< TOML key and name in the result file
  std::string_view long_name;  //!< what it means, for the result file and the docs
  std::string_view unit;       //!< "1" for dimensionless
};

//! Continuous outcomes get fixed-width bins over their range; integer and binary outcomes get
//! one bin per value, so their quantiles are exact.
enum class OutcomeKind { kContinuous, kInteger, kBinary };

//! An outcome of a model: its term and its kind.
struct OutcomeTerm {
  Term term;
  OutcomeKind kind;
};

//! A closed interval of values.
struct Range {
  double lo, hi;
};

//! The values a number of the configuration may take (open or closed at each end).
struct Bounds {
  double lo, hi;
  bool lo_open = false, hi_open = false;
  static constexpr Bounds closed(double lo, double hi) { return {lo, hi, false, false}; }
  static constexpr Bounds positive() { return {0.0, 1e300, true, false}; }
  static constexpr Bounds non_negative() { return {0.0, 1e300, false, false}; }
  static constexpr Bounds any() { return {-1e300, 1e300, false, false}; }
  static constexpr Bounds unit() { return {0.0, 1.0, false, false}; }
  constexpr bool contains(double x) const {
    return (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
  }
};

//! A numeric coefficient of a model: its term, the TOML section it sits in ("targets.alignment")
//! and the values it may take. Any coefficient may be given a prior instead of a number.
struct CoefficientTerm {
  Term term;
  std::string_view section;
  Bounds bounds;
};

constexpr int term_id(const Term& t) { return t.id; }
constexpr int term_id(const OutcomeTerm& t) { return t.term.id; }
constexpr int term_id(const CoefficientTerm& t) { return t.term.id; }

//! True when entry i of `table` describes enum value i (use in a static_assert).
template <typename T, std::size_t N>
constexpr bool in_enum_order(const std::array<T, N>& table) {
  for (std::size_t i = 0; i < N; ++i)
    if (term_id(table[i]) != static_cast<int>(i)) return false;
  return true;
}

}  // namespace wedge
