#pragma once
// Counter-based random streams (Random123 Philox4x32-10). A number is a pure function of
// (seed, purpose, run index, draw index), so results never depend on how runs are split over
// ranks, threads, batches or restarts, and every strategy of a run replays the same draws.
// philox.h brings Random123's feature macros, which MicroURNG.hpp needs first.
#include <Random123/philox.h>

#include <Random123/MicroURNG.hpp>
#include <cmath>
#include <cstdint>

#include "wedge/core/simd_math.hpp"

namespace wedge::rng {

using Philox = r123::Philox4x32;

//! What a stream is for; part of the counter so that streams never overlap.
enum class Purpose : std::uint32_t {
  kParameters = 1,      //!< the run's uncertain parameters (Monte Carlo design)
  kShocks = 2,          //!< per-quarter shocks, event and compliance draws
  kPolicySwitch = 3,    //!< the one draw deciding whether the strategy survives the election
  kLatinHypercube = 4,  //!< per-batch stratum permutations (key: batch index)
  kSaltelliB = 5,       //!< the inputs of a Saltelli design's B rows (one stream per input)
  kSobolShift = 16,     //!< the quasi-Monte Carlo design's digital shifts (index: replicate)
};

//! The purpose word of a model's noise stream under noise variant v (NoiseKey): variant 0 is the
//! word itself (the study's own noise), variant 1 another stream (a Saltelli design's B noise).
//! The variant sits in the top byte, which no other purpose word uses.
inline std::uint32_t noise_purpose(Purpose p, std::uint32_t variant) {
  return static_cast<std::uint32_t>(p) | variant << 24;
}

inline Philox::key_type make_key(std::uint64_t seed) {
  return Philox::key_type{
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
}

//! Counter (run low, run high, purpose, draw). The draw word is the last, so MicroURNG can
//! count draws in it.
inline Philox::ctr_type make_counter(std::uint64_t index, Purpose purpose, std::uint32_t draw = 0) {
  return Philox::ctr_type{{static_cast<std::uint32_t>(index),
                           static_cast<std::uint32_t>(index >> 32),
                           static_cast<std::uint32_t>(purpose), draw}};
}

//! A standard URNG over one (seed, purpose, index) stream, for Boost.Random distributions.
//! Call n (from 0) is Philox of the counter with n in its last word; it hands out the four
//! words last first (w3, w2, w1, w0).
using Stream = r123::MicroURNG<Philox>;
inline Stream make_stream(std::uint64_t seed, Purpose purpose, std::uint64_t index) {
  return Stream(make_counter(index, purpose), make_key(seed));
}

//! The purpose word of uncertain parameter p's stream. Each parameter has a stream of its own,
//! so a parameter's value never depends on how many words another parameter's sampler took,
//! and a block of runs can draw one parameter for all its runs at once (vectorised).
//! `base` is kParameters (the Monte Carlo design, a Saltelli design's A rows) or kSaltelliB.
inline std::uint32_t parameter_purpose(int p, Purpose base = Purpose::kParameters) {
  return static_cast<std::uint32_t>(base) | static_cast<std::uint32_t>(p + 1) << 8;
}
inline Stream make_parameter_stream(std::uint64_t seed, int p, std::uint64_t run,
                                    Purpose base = Purpose::kParameters) {
  return Stream(
      Philox::ctr_type{{static_cast<std::uint32_t>(run), static_cast<std::uint32_t>(run >> 32),
                        parameter_purpose(p, base), 0}},
      make_key(seed));
}

//! 32 random bits to a double strictly inside (0, 1): (x + 1/2) / 2^32.
inline double u01(std::uint32_t x) { return (static_cast<double>(x) + 0.5) * 0x1p-32; }
//! The same for a 32-bit value held in a 64-bit integer.
inline double u01(std::uint64_t x) { return (static_cast<double>(x) + 0.5) * 0x1p-32; }

//! Philox4x32-10 on four 32-bit counter words held in 64-bit integers (upper halves zero), so
//! that a vectorised loop works on 64-bit lanes throughout, like the doubles around it (vpmuludq
//! gives the 32 x 32 -> 64 bit products directly). Tests check it bit for bit against
//! Random123's r123::Philox4x32.
inline void philox4x32_10(std::uint64_t& c0, std::uint64_t& c1, std::uint64_t& c2,
                          std::uint64_t& c3, std::uint64_t k0, std::uint64_t k1) {
  constexpr std::uint64_t kLow = 0xFFFFFFFFu;
#pragma GCC unroll 10
  for (int round = 0; round < 10; ++round) {
    const std::uint64_t p0 = 0xD2511F53u * c0;
    const std::uint64_t p1 = 0xCD9E8D57u * c2;
    c0 = ((p1 >> 32) ^ c1 ^ k0) & kLow;
    c1 = p1 & kLow;
    c2 = ((p0 >> 32) ^ c3 ^ k1) & kLow;
    c3 = p0 & kLow;
    k0 = (k0 + 0x9E3779B9u) & kLow;
    k1 = (k1 + 0xBB67AE85u) & kLow;
  }
}

//! The same on 32-bit words.
inline void philox4x32_10(std::uint32_t& c0, std::uint32_t& c1, std::uint32_t& c2,
                          std::uint32_t& c3, std::uint32_t k0, std::uint32_t k1) {
  std::uint64_t w0 = c0, w1 = c1, w2 = c2, w3 = c3;
  philox4x32_10(w0, w1, w2, w3, k0, k1);
  c0 = static_cast<std::uint32_t>(w0), c1 = static_cast<std::uint32_t>(w1);
  c2 = static_cast<std::uint32_t>(w2), c3 = static_cast<std::uint32_t>(w3);
}

//! Two independent N(0, 1) draws from two 32-bit words (Box-Muller, vectorisable).
template <typename Word>
inline void box_muller(Word a, Word b, double& z0, double& z1) {
  const double radius = std::sqrt(-2.0 * simd::log(u01(a)));
  double s, c;
  simd::sincospi(2.0 * u01(b) - 1.0, s, c);
  z0 = radius * c;
  z1 = radius * s;
}

}  // namespace wedge::rng
