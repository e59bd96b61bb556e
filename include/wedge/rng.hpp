#pragma once
// Counter-based random streams (Random123 Philox4x32-10). A number is a pure function of
// (seed, purpose, run index, draw index), so results never depend on how runs are split over
// ranks, threads, batches or restarts, and every strategy of a run replays the same draws.
// philox.h brings Random123's feature macros, which MicroURNG.hpp needs first.
#include <Random123/philox.h>

#include <Random123/MicroURNG.hpp>

#include <cmath>
#include <cstdint>

#include "wedge/simd_math.hpp"

namespace wedge::rng {

using Philox = r123::Philox4x32;

//! What a stream is for; part of the counter so that streams never overlap.
enum class Purpose : std::uint32_t {
  kParameters = 1,      //!< the run's uncertain parameters (Monte Carlo design)
  kShocks = 2,          //!< per-quarter shocks, event and compliance draws
  kPolicySwitch = 3,    //!< the one draw deciding whether the strategy survives the election
  kLatinHypercube = 4,  //!< per-batch stratum permutations (key: batch index)
};

inline Philox::key_type make_key(std::uint64_t seed) {
  return Philox::key_type{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
}

//! Counter (run low, run high, purpose, draw). The draw word is the last, so MicroURNG can
//! count draws in it.
inline Philox::ctr_type make_counter(std::uint64_t index, Purpose purpose, std::uint32_t draw = 0) {
  return Philox::ctr_type{{static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32),
                           static_cast<std::uint32_t>(purpose), draw}};
}

//! A standard URNG over one (seed, purpose, index) stream, for Boost.Random distributions.
using Stream = r123::MicroURNG<Philox>;
inline Stream make_stream(std::uint64_t seed, Purpose purpose, std::uint64_t index) {
  return Stream(make_counter(index, purpose), make_key(seed));
}

//! 32 random bits to a double strictly inside (0, 1): (x + 1/2) / 2^32.
inline double u01(std::uint32_t x) { return (static_cast<double>(x) + 0.5) * 0x1p-32; }

//! Philox4x32-10 on four counter words, written out so that GCC vectorises it across the runs of
//! a block (Random123's own version does not); tests check it bit for bit against r123::Philox4x32.
inline void philox4x32_10(std::uint32_t& c0, std::uint32_t& c1, std::uint32_t& c2, std::uint32_t& c3,
                          std::uint32_t k0, std::uint32_t k1) {
#pragma GCC unroll 10
  for (int round = 0; round < 10; ++round) {
    const std::uint64_t p0 = static_cast<std::uint64_t>(0xD2511F53u) * c0;
    const std::uint64_t p1 = static_cast<std::uint64_t>(0xCD9E8D57u) * c2;
    const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
    const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
}

//! Two independent N(0, 1) draws from two 32-bit words (Box-Muller, vectorisable).
inline void box_muller(std::uint32_t a, std::uint32_t b, double& z0, double& z1) {
  const double radius = std::sqrt(-2.0 * simd::log(u01(a)));
  double s, c;
  simd::sincospi(2.0 * u01(b) - 1.0, s, c);
  z0 = radius * c;
  z1 = radius * s;
}

}  // namespace wedge::rng
