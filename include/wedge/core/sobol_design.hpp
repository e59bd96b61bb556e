#pragma once
// The quasi-Monte Carlo design: Sobol' points (Boost.Random's `sobol`, Joe and Kuo's direction
// numbers) randomised by digital shifts. Runs are interleaved over kReplicates independent
// shifts: run i is point i / kReplicates of the sequence under shift i % kReplicates, so every
// replicate is a randomised Sobol' sequence of its own and the spread of the replicates' means
// is an honest error estimate. A point is computed from its index alone (Gray-code XOR of the
// direction numbers), so any split of the runs gives the same points.
#include <array>
#include <cstdint>
#include <vector>

namespace wedge {

class SobolDesign {
 public:
  static constexpr int kReplicates = 8;  //!< divides the kernel's block, so lane j % 8 is its shift
  static constexpr int kBits = 64;

  //! The largest dimension Boost's direction-number table supports.
  static unsigned max_dimension();

  SobolDesign(std::uint64_t seed, int dimension);

  static int replicate(std::uint64_t run) { return static_cast<int>(run % kReplicates); }
  static std::uint64_t point_index(std::uint64_t run) { return run / kReplicates; }

  //! Coordinate `dim` of unshifted point k as 64 bits (point 0 is the origin; point k >= 1 is
  //! point k - 1 of Boost's engine, which starts after the origin).
  std::uint64_t point(std::uint64_t k, int dim) const;
  //! Run `run`'s uniforms strictly inside (0, 1), one per dimension, into u[0 .. dimension).
  void uniforms(std::uint64_t run, double* u) const;
  int dimension() const { return dim_; }

 private:
  int dim_;
  std::vector<std::uint64_t> directions_;  // [bit][dimension]
  std::vector<std::uint64_t> shifts_;      // [replicate][dimension]
};

}  // namespace wedge
