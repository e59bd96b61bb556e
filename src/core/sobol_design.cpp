#include "wedge/core/sobol_design.hpp"

#include <boost/random/sobol.hpp>
#include <stdexcept>

#include "wedge/core/rng.hpp"

namespace wedge {

unsigned SobolDesign::max_dimension() { return boost::random::default_sobol_table::max_dimension; }

SobolDesign::SobolDesign(std::uint64_t seed, int dimension) : dim_(dimension) {
  if (dimension < 1 || static_cast<unsigned>(dimension) > max_dimension())
    throw std::logic_error("SobolDesign: dimension out of Boost's range");
  const auto D = static_cast<std::size_t>(dimension);
  // Direction number r of every dimension, read off Boost's engine: its point n is the XOR of
  // the directions at the set bits of gray(n + 1), and gray(2^(r+1) - 1) = 2^r.
  boost::random::sobol engine(static_cast<std::size_t>(dimension));
  directions_.resize(kBits * D);
  for (int r = 0; r < kBits; ++r) {
    engine.seed(r == kBits - 1 ? ~std::uint64_t{0} - 1 : (std::uint64_t{2} << r) - 2);
    for (std::size_t d = 0; d < D; ++d) directions_[static_cast<std::size_t>(r) * D + d] = engine();
  }
  // One 64-bit digital shift per replicate and dimension, from the seed's own Philox stream.
  shifts_.resize(kReplicates * D);
  rng::Philox philox;
  const auto key = rng::make_key(seed);
  for (std::size_t r = 0; r < kReplicates; ++r)
    for (std::size_t d = 0; d < D; ++d) {
      const auto w = philox(
          rng::make_counter(r, rng::Purpose::kSobolShift, static_cast<std::uint32_t>(d)), key);
      shifts_[r * D + d] = static_cast<std::uint64_t>(w[0]) << 32 | w[1];
    }
}

std::uint64_t SobolDesign::point(std::uint64_t k, int dim) const {
  const auto D = static_cast<std::size_t>(dim_);
  std::uint64_t g = k ^ (k >> 1), x = 0;
  for (std::size_t r = 0; g != 0; ++r, g >>= 1)
    if (g & 1) x ^= directions_[r * D + static_cast<std::size_t>(dim)];
  return x;
}

void SobolDesign::uniforms(std::uint64_t run, double* u) const {
  const std::uint64_t k = point_index(run);
  const auto* shift = shifts_.data() + static_cast<std::size_t>(replicate(run) * dim_);
  for (int d = 0; d < dim_; ++d) {
    // The top 53 bits of the shifted point, centred in their interval: never 0 or 1.
    const std::uint64_t x = point(k, d) ^ shift[d];
    u[d] = (static_cast<double>(x >> 11) + 0.5) * 0x1p-53;
  }
}

}  // namespace wedge
