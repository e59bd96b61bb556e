#include <gtest/gtest.h>

#include <boost/random/sobol.hpp>
#include <cmath>
#include <vector>

#include "wedge/core/sobol_design.hpp"

namespace wedge {
namespace {

constexpr int kDim = 5;

TEST(SobolDesign, PointsAreBoostsSobolSequence) {
  // Point 0 is the origin; point k >= 1 is point k - 1 of Boost's engine (which starts after
  // the origin), read straight from the engine here.
  const SobolDesign design(1, kDim);
  boost::random::sobol engine(kDim);
  for (int d = 0; d < kDim; ++d) EXPECT_EQ(design.point(0, d), 0u);
  for (std::uint64_t k = 1; k <= 300; ++k)
    for (int d = 0; d < kDim; ++d) EXPECT_EQ(design.point(k, d), engine()) << k << " " << d;
  // Any point from its index alone (seek): far into the sequence.
  for (std::uint64_t k : {1000003ull, 123456789012ull, (1ull << 40) + 7}) {
    engine.seed(k - 1);
    for (int d = 0; d < kDim; ++d) EXPECT_EQ(design.point(k, d), engine()) << k;
  }
  // The textbook values: the second point is (1/2, ..., 1/2), the third (3/4, 1/4, ...).
  EXPECT_EQ(design.point(1, 0), 1ull << 63);
  EXPECT_EQ(design.point(2, 0), 3ull << 62);
  EXPECT_EQ(design.point(2, 1), 1ull << 62);
}

TEST(SobolDesign, RunsInterleaveShiftedReplicates) {
  const SobolDesign a(7, kDim), b(8, kDim);
  constexpr int R = SobolDesign::kReplicates;
  double u[kDim], v[kDim], w[kDim];
  for (std::uint64_t run = 0; run < 64; ++run) {
    a.uniforms(run, u);
    for (int d = 0; d < kDim; ++d) EXPECT_TRUE(u[d] > 0.0 && u[d] < 1.0);
  }
  // Two runs of one point under two shifts differ; the same run under two seeds too.
  a.uniforms(0, u), a.uniforms(1, v), b.uniforms(0, w);
  EXPECT_NE(u[0], v[0]);
  EXPECT_NE(u[0], w[0]);
  EXPECT_EQ(SobolDesign::replicate(8 * 11 + 3), 3);
  EXPECT_EQ(SobolDesign::point_index(8 * 11 + 3), 11u);
  static_assert(R == 8);
}

TEST(SobolDesign, EachReplicateIsANet) {
  // A digital shift keeps the net property: the first 2^m points of every replicate put exactly
  // one point in each of the 2^m intervals of every coordinate (a plain random sample would not).
  const SobolDesign design(3, kDim);
  constexpr int m = 10, n = 1 << m;
  double u[kDim];
  for (int r = 0; r < SobolDesign::kReplicates; ++r) {
    std::vector<std::vector<int>> hits(kDim, std::vector<int>(n, 0));
    for (int k = 0; k < n; ++k) {
      design.uniforms(
          static_cast<std::uint64_t>(k) * SobolDesign::kReplicates + static_cast<std::uint64_t>(r),
          u);
      for (int d = 0; d < kDim; ++d) ++hits[d][static_cast<std::size_t>(u[d] * n)];
    }
    for (int d = 0; d < kDim; ++d)
      for (int i = 0; i < n; ++i) ASSERT_EQ(hits[d][i], 1) << "replicate " << r << " dim " << d;
  }
}

TEST(SobolDesign, DimensionLimitIsBoosts) {
  const unsigned boosts = boost::random::default_sobol_table::max_dimension;
  EXPECT_EQ(SobolDesign::max_dimension(), boosts);
  EXPECT_GE(SobolDesign::max_dimension(), 255u);  // every study's inputs fit
}

}  // namespace
}  // namespace wedge
