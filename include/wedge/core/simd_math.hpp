#pragma once
// Branch-free exp, log and sin/cos(pi x) that GCC vectorises inside `#pragma omp simd` loops.
// They are plain arithmetic, so a value is the same whether computed in a vector lane or in
// scalar code on the same build (glibc's vector math offers no such promise), and they need
// no -ffast-math. Accuracy is within a few ulp over the ranges the model uses (tested).
#include <bit>
#include <cstdint>

namespace wedge::simd {

inline double exp(double x) {
  x = x < -708.0 ? -708.0 : (x > 708.0 ? 708.0 : x);
  // k = round(x / ln 2) with the 1.5 * 2^52 trick; r = x - k ln 2 in two parts.
  constexpr double kShift = 0x1.8p52;
  const double t = x * 0x1.71547652b82fep0 + kShift;
  const double k = t - kShift;
  const double r = (x - k * 0x1.62e42fee00000p-1) - k * 0x1.a39ef35793c76p-33;
  // Taylor series to r^12 on |r| <= ln2/2: truncation below 2e-16.
  double p = 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const auto ki = static_cast<std::int64_t>(k);
  return p * std::bit_cast<double>(static_cast<std::uint64_t>(ki + 1023) << 52);
}

//! Natural log for normal (not subnormal) positive x.
inline double log(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  auto e = static_cast<std::int64_t>(bits >> 52) - 1023;
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  const bool big = m > 0x1.6a09e667f3bcdp0;  // sqrt(2): keep m in [sqrt(1/2), sqrt(2))
  m = big ? 0.5 * m : m;
  e = big ? e + 1 : e;
  const double f = (m - 1.0) / (m + 1.0);
  const double s = f * f;
  // log(m) = 2 atanh(f) = 2 f (1 + s/3 + s^2/5 + ...), |f| <= 0.1716.
  double p = 1.0 / 23.0;
  p = p * s + 1.0 / 21.0;
  p = p * s + 1.0 / 19.0;
  p = p * s + 1.0 / 17.0;
  p = p * s + 1.0 / 15.0;
  p = p * s + 1.0 / 13.0;
  p = p * s + 1.0 / 11.0;
  p = p * s + 1.0 / 9.0;
  p = p * s + 1.0 / 7.0;
  p = p * s + 1.0 / 5.0;
  p = p * s + 1.0 / 3.0;
  p = p * s + 1.0;
  const double de = static_cast<double>(e);
  return de * 0x1.62e42fee00000p-1 + (2.0 * f * p + de * 0x1.a39ef35793c76p-33);
}

//! sin(pi v) and cos(pi v) for v in [-1, 1].
inline void sincospi(double v, double& s, double& c) {
  constexpr double kShift = 0x1.8p52;
  const double q = (2.0 * v + kShift) - kShift;          // nearest quadrant
  const double a = (v - 0.5 * q) * 0x1.921fb54442d18p1;  // |a| <= pi/4
  const double a2 = a * a;
  // Taylor series of sin and cos on |a| <= pi/4, to a^17 and a^18 (truncation below 1e-17).
  double sp = 1.0 / 355687428096000.0;
  sp = sp * a2 - 1.0 / 1307674368000.0;
  sp = sp * a2 + 1.0 / 6227020800.0;
  sp = sp * a2 - 1.0 / 39916800.0;
  sp = sp * a2 + 1.0 / 362880.0;
  sp = sp * a2 - 1.0 / 5040.0;
  sp = sp * a2 + 1.0 / 120.0;
  sp = sp * a2 - 1.0 / 6.0;
  const double sa = a + a * a2 * sp;
  double cp = -1.0 / 6402373705728000.0;
  cp = cp * a2 + 1.0 / 20922789888000.0;
  cp = cp * a2 - 1.0 / 87178291200.0;
  cp = cp * a2 + 1.0 / 479001600.0;
  cp = cp * a2 - 1.0 / 3628800.0;
  cp = cp * a2 + 1.0 / 40320.0;
  cp = cp * a2 - 1.0 / 720.0;
  cp = cp * a2 + 1.0 / 24.0;
  cp = cp * a2 - 0.5;
  const double ca = 1.0 + a2 * cp;
  const auto qi = static_cast<std::int64_t>(q) & 3;
  const bool swap = (qi & 1) != 0;
  const double s0 = swap ? ca : sa, c0 = swap ? sa : ca;
  s = (qi == 2 || qi == 3) ? -s0 : s0;
  c = (qi == 1 || qi == 2) ? -c0 : c0;
}

inline double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

}  // namespace wedge::simd
