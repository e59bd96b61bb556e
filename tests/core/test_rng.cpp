#include <gtest/gtest.h>

#include <cmath>

#include "wedge/core/rng.hpp"

namespace wedge {
namespace {

TEST(Rng, VectorPhiloxMatchesRandom123BitForBit) {
  rng::Philox reference;
  for (std::uint64_t seed : {0ull, 1ull, 20250301ull, 0xFFFFFFFFFFFFFFFFull})
    for (std::uint64_t run : {0ull, 7ull, 1ull << 33, 123456789012ull})
      for (std::uint32_t draw : {0u, 1u, 119u}) {
        const auto ctr = rng::make_counter(run, rng::Purpose::kShocks, draw);
        const auto want = reference(ctr, rng::make_key(seed));
        std::uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
        const auto key = rng::make_key(seed);
        rng::philox4x32_10(c0, c1, c2, c3, key[0], key[1]);
        EXPECT_EQ(c0, want[0]);
        EXPECT_EQ(c1, want[1]);
        EXPECT_EQ(c2, want[2]);
        EXPECT_EQ(c3, want[3]);
      }
}

TEST(Rng, Random123KnownAnswer) {
  // Known-answer vector of Philox4x32-10 from Random123's kat_vectors (all-ones inputs).
  rng::Philox philox;
  const rng::Philox::ctr_type ctr = {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}};
  const rng::Philox::key_type key = {{0xffffffff, 0xffffffff}};
  const auto r = philox(ctr, key);
  EXPECT_EQ(r[0], 0x408f276du);
  EXPECT_EQ(r[1], 0x41c83b0eu);
  EXPECT_EQ(r[2], 0xa20bc7c6u);
  EXPECT_EQ(r[3], 0x6d5451fdu);
}

TEST(Rng, UniformStaysInsideTheOpenInterval) {
  EXPECT_GT(rng::u01(std::uint32_t{0}), 0.0);
  EXPECT_LT(rng::u01(0xFFFFFFFFu), 1.0);
}

TEST(Rng, StreamsDifferByPurposeAndRun) {
  auto a = rng::make_stream(1, rng::Purpose::kParameters, 5);
  auto b = rng::make_stream(1, rng::Purpose::kParameters, 6);
  auto c = rng::make_stream(1, rng::Purpose::kShocks, 5);
  auto a2 = rng::make_stream(1, rng::Purpose::kParameters, 5);
  const auto x = a();
  EXPECT_NE(x, b());
  EXPECT_NE(x, c());
  EXPECT_EQ(x, a2());
}

TEST(Rng, BoxMullerMoments) {
  const auto key = rng::make_key(42);
  double s = 0, s2 = 0, s4 = 0;
  const int n = 400000;
  for (int i = 0; i < n / 2; ++i) {
    std::uint32_t c0 = static_cast<std::uint32_t>(i), c1 = 0, c2 = 9, c3 = 0;
    rng::philox4x32_10(c0, c1, c2, c3, key[0], key[1]);
    double z0, z1;
    rng::box_muller(c0, c1, z0, z1);
    for (double z : {z0, z1}) s += z, s2 += z * z, s4 += z * z * z * z;
  }
  EXPECT_NEAR(s / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(s2 / n, 1.0, 5.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR(s4 / n, 3.0, 5.0 * std::sqrt(96.0 / n));
}

}  // namespace
}  // namespace wedge
