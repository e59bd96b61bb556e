#pragma once
// Fixed-point helpers shared by the unweighted (stats.cpp) and weighted (stats_weighted.cpp)
// halves of the Tally.
#include <cstdint>

#include "wedge/core/stats.hpp"

namespace wedge::stats::detail {

inline std::int64_t fixed(double x, double scale) { return static_cast<std::int64_t>(x * scale); }

constexpr double kPathShift = 0x1p20;                       // ulp(2^20) = 2^-32 = 1 / kScale
constexpr std::uint64_t kPathBias = 0x4130000000000000ULL;  // the bits of 2^20

__extension__ typedef unsigned __int128 u128;

inline i128 load128(const std::uint64_t* w) {
  return static_cast<i128>((static_cast<u128>(w[1]) << 64) | w[0]);
}
inline void store128(std::uint64_t* w, i128 v) {
  const auto u = static_cast<u128>(v);
  w[0] = static_cast<std::uint64_t>(u);
  w[1] = static_cast<std::uint64_t>(u >> 64);
}
//! Adds v to element i of a kSum128 segment that starts at `seg`.
inline void add128(std::uint64_t* seg, std::size_t i, i128 v) {
  store128(seg + 2 * i, load128(seg + 2 * i) + v);
}
//! A kMin / kMax word (a double's bits) updated with v.
inline void keep_min(std::uint64_t& word, double v) {
  double& a = reinterpret_cast<double&>(word);
  a = v < a ? v : a;
}
inline void keep_max(std::uint64_t& word, double v) {
  double& a = reinterpret_cast<double&>(word);
  a = v > a ? v : a;
}

}  // namespace wedge::stats::detail
