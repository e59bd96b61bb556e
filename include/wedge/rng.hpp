#pragma once
// Counter-based random streams (Random123 Philox4x32-10). A number is a pure function of
// (seed, purpose, run index, draw index), so results never depend on how runs are split over
// ranks, threads, batches or restarts, and every strategy of a run replays the same draws.
// philox.h brings Random123's feature macros, which MicroURNG.hpp needs first.
#include <Random123/philox.h>

#include <Random123/MicroURNG.hpp>

#include <cstdint>

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

}  // namespace wedge::rng
