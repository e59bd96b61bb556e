#include <gtest/gtest.h>

#include <cmath>

#include "wedge/core/simd_math.hpp"

namespace wedge {
namespace {

double rel(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

TEST(SimdMath, ExpIsAccurate) {
  double worst = 0;
  for (double x = -700.0; x <= 700.0; x += 0.0137)
    worst = std::max(worst, rel(simd::exp(x), std::exp(x)));
  EXPECT_LT(worst, 4e-16);
  EXPECT_EQ(simd::exp(0.0), 1.0);
}

TEST(SimdMath, LogIsAccurate) {
  double worst = 0;
  for (double x = 1e-300; x < 1e300; x *= 1.0173) {
    const double want = std::log(x);
    worst = std::max(worst, std::abs(simd::log(x) - want) / std::max(std::abs(want), 1.0));
  }
  for (double x = 0.5; x < 2.0; x += 1e-5)
    worst = std::max(worst, std::abs(simd::log(x) - std::log(x)));
  EXPECT_LT(worst, 4e-16);
  EXPECT_EQ(simd::log(1.0), 0.0);
}

TEST(SimdMath, SinCosPiAreAccurate) {
  double worst = 0;
  for (double v = -1.0; v <= 1.0; v += 1.0 / 4099.0) {
    double s, c;
    simd::sincospi(v, s, c);
    worst = std::max({worst, std::abs(s - std::sin(M_PI * v)), std::abs(c - std::cos(M_PI * v))});
  }
  EXPECT_LT(worst, 1e-15);
}

TEST(SimdMath, SigmoidIsSymmetric) {
  for (double x : {-30.0, -2.0, 0.0, 0.5, 3.0})
    EXPECT_NEAR(simd::sigmoid(x) + simd::sigmoid(-x), 1.0, 1e-15);
}

}  // namespace
}  // namespace wedge
