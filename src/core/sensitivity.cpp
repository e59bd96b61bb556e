#include "wedge/core/sensitivity.hpp"

#include <bit>
#include <cmath>
#include <limits>

namespace wedge {
namespace {

using stats::i128;

// The per-factor terms, in storage order after the kSobolShared terms a, a^2, a^3, a^4, b.
enum FactorTerm : int { kD, kD2, kBD, kBD2, kB2D2, kAD, kA2D, kABD, kA2BD, kD4, kA2D2, kAD2 };
enum SharedTerm : int { kSA, kSA2, kSA3, kSA4, kSB };
static_assert(kAD2 + 1 == kSobolPerFactor && kSB + 1 == kSobolShared);

// A term t (|t| <= 16) as a fixed-point number of scale 2^80 in two 64-bit parts: hi = round(t
// 2^46) and lo = round((t 2^46 - hi) 2^34) (all exact but the last rounding), so that t ~ (hi 2^34
// + lo) / 2^80 within 2^-81. Both roundings use the 1.5 2^52 trick (exact for magnitudes below
// 2^51, which both parts are), so the loop vectorises without a double-to-int64 instruction.
constexpr double kHiScale = 0x1p46, kLoScale = 0x1p34, kMagic = 0x1.8p52;
constexpr int kLoBits = 34;
static_assert(kSobolScale == kHiScale * kLoScale);

inline std::int64_t magic_bits(double x) { return std::bit_cast<std::int64_t>(x); }

// Sums of N per-lane terms over lanes [l0, l1): fill(t) writes t[k][lane] for every lane.
template <int N, typename Fill>
void add_terms(int l0, int l1, Fill fill, i128* out) {
  alignas(64) double t[N][kBlock];
  fill(t);
  const std::int64_t m = magic_bits(kMagic);
  for (int k = 0; k < N; ++k) {
    std::int64_t hi = 0, lo = 0;
    const double* v = t[k];
#pragma omp simd reduction(+ : hi, lo)
    for (int j = l0; j < l1; ++j) {
      const double x = v[j] * kHiScale;
      const double big = x + kMagic;
      const double r = (x - (big - kMagic)) * kLoScale;
      hi += magic_bits(big) - m;
      lo += magic_bits(r + kMagic) - m;
    }
    out[k] += static_cast<i128>(hi) * (i128{1} << kLoBits) + lo;
  }
}

void shared_terms(const double* a, const double* b, int lo, int hi, i128* out) {
  add_terms<kSobolShared>(
      lo, hi,
      [&](double(*t)[kBlock]) {
#pragma omp simd
        for (int j = 0; j < kBlock; ++j) {
          const double x = a[j], x2 = x * x;
          t[kSA][j] = x, t[kSA2][j] = x2, t[kSA3][j] = x2 * x, t[kSA4][j] = x2 * x2;
          t[kSB][j] = b[j];
        }
      },
      out);
}

void factor_terms(const double* a, const double* b, const double* e, int lo, int hi, i128* out) {
  add_terms<kSobolPerFactor>(
      lo, hi,
      [&](double(*t)[kBlock]) {
#pragma omp simd
        for (int j = 0; j < kBlock; ++j) {
          const double x = a[j], y = b[j], d = e[j] - x;
          const double d2 = d * d, x2 = x * x, yd = y * d;
          t[kD][j] = d, t[kD2][j] = d2, t[kBD][j] = yd, t[kBD2][j] = yd * d;
          t[kB2D2][j] = yd * yd, t[kAD][j] = x * d, t[kA2D][j] = x2 * d, t[kABD][j] = x * yd;
          t[kA2BD][j] = x2 * yd, t[kD4][j] = d2 * d2, t[kA2D2][j] = x2 * d2, t[kAD2][j] = x * d2;
        }
      },
      out);
}

}  // namespace

std::vector<Factor> sensitivity_factors(const Config& cfg) {
  std::vector<Factor> f;
  std::vector<bool> grouped(static_cast<std::size_t>(cfg.num_inputs()), false);
  for (const auto& g : cfg.sensitivity_groups)
    for (int i : g.inputs) grouped[static_cast<std::size_t>(i)] = true;
  for (int i = 0; i < cfg.num_inputs(); ++i) {
    const Input& in = cfg.inputs[static_cast<std::size_t>(i)];
    if (!grouped[static_cast<std::size_t>(i)] && in.prior.family != Family::kFixed)
      f.push_back({in.name, {i}, false});
  }
  for (const auto& g : cfg.sensitivity_groups) f.push_back({g.name, g.inputs, false});
  f.push_back({"intrinsic", {}, true});
  return f;
}

double sobol_outcome_scale(const OutcomeInfo& o) {
  const double m = std::max(std::abs(o.range.lo), std::abs(o.range.hi));
  if (!(m > 0.0) || !std::isfinite(m)) return 1.0;
  int e = 0;
  std::frexp(m, &e);  // m < 2^e
  return std::ldexp(1.0, e);
}

SobolTally::SobolTally(const Config& cfg) : cfg_(cfg), layout_(cfg) {
  for (const auto& o : cfg.outcomes) inv_scale_.push_back(1.0 / sobol_outcome_scale(o));
  const auto n = static_cast<std::size_t>(layout_.sobol_series * layout_.O * kBlock);
  za_.assign(n, 0.0), zb_.assign(n, 0.0), ze_.assign(n, 0.0);
  sums_.assign(layout_.segment(stats::Seg::kSobolSum).length, 0);
}

void SobolTally::scaled(const std::vector<BlockOutcomes>& out, AlignedVector<double>& z) const {
  const int O = layout_.O;
  for (int s = 0; s < layout_.S; ++s)
    for (int o = 0; o < O; ++o) {
      const double* y = out[static_cast<std::size_t>(s)][o];
      double* r = z.data() + static_cast<std::size_t>((s * O + o) * kBlock);
      const double k = inv_scale_[static_cast<std::size_t>(o)];
#pragma omp simd
      for (int j = 0; j < kBlock; ++j) r[j] = y[j] * k;
    }
  for (int p = 0; p < layout_.pairs; ++p) {
    const auto [sa, sb] = layout_.pair_list[static_cast<std::size_t>(p)];
    for (int o = 0; o < O; ++o) {
      const double* ya = out[static_cast<std::size_t>(sa)][o];
      const double* yb = out[static_cast<std::size_t>(sb)][o];
      double* r = z.data() + static_cast<std::size_t>(((layout_.S + p) * O + o) * kBlock);
      const double k = 0.5 * inv_scale_[static_cast<std::size_t>(o)];
#pragma omp simd
      for (int j = 0; j < kBlock; ++j) r[j] = (ya[j] - yb[j]) * k;
    }
  }
}

void SobolTally::set_base(const std::vector<BlockOutcomes>& a,
                          const std::vector<BlockOutcomes>& b) {
  scaled(a, za_);
  scaled(b, zb_);
  for (int s = 0; s < layout_.sobol_series; ++s)
    for (int o = 0; o < layout_.O; ++o) {
      const auto r = static_cast<std::size_t>((s * layout_.O + o) * kBlock);
      i128* out = sums_.data() + layout_.sobol_index(s, o);
      shared_terms(za_.data() + r, zb_.data() + r, lo_, hi_, out);
    }
}

void SobolTally::add_factor(int f, const std::vector<BlockOutcomes>& ab) {
  scaled(ab, ze_);
  for (int s = 0; s < layout_.sobol_series; ++s)
    for (int o = 0; o < layout_.O; ++o) {
      const auto r = static_cast<std::size_t>((s * layout_.O + o) * kBlock);
      i128* out = sums_.data() + layout_.sobol_index(s, o, kSobolShared + f * kSobolPerFactor);
      factor_terms(za_.data() + r, zb_.data() + r, ze_.data() + r, lo_, hi_, out);
    }
}

void SobolTally::flush_into(stats::Accumulators& acc) {
  for (std::size_t i = 0; i < sums_.size(); ++i) {
    if (sums_[i] != 0) acc.add_sum(stats::Seg::kSobolSum, i, sums_[i]);
    sums_[i] = 0;
  }
}

namespace {

using Real = long double;  // 64-bit mantissa: the expansions below cancel a few digits

// The estimators of one series x outcome x factor from the sums (scaled units). With m the
// grand mean of every design row (A, B and all AB rows, as OpenTURNS centres), c = y - m:
//   V      = sum (a - mean a)^2 / (n - 1)
//   first  = sum c_b (c_e - c_a) / (n - 1) / V            (Saltelli 2010; OpenTURNS'
//                                                          Mauntz-Kucherenko estimator)
//   total  = sum (c_a - c_e)^2 / (2n - 1) / V             (Jansen 1999, OpenTURNS' Jansen)
// and delta-method variances g' C g / n, with C the unbiased covariance of the per-row pair
// (u, c_a^2) and g the gradient of psi(X, Y) = X / Y (first) or X / (2Y) (total) at the means:
// OpenTURNS' computeAsymptoticDistribution for the same estimators.
struct Sums {
  Real n, a, a2, a3, a4;
};

Real delta_variance(Real n, Real su, Real su2, Real suv, Real sv, Real sv2, Real factor) {
  const Real mu = su / n, mv = sv / n;
  const Real cuu = (su2 - n * mu * mu) / (n - 1), cvv = (sv2 - n * mv * mv) / (n - 1);
  const Real cuv = (suv - n * mu * mv) / (n - 1);
  const Real gu = factor / mv, gv = -factor * mu / (mv * mv);
  return (gu * gu * cuu + 2 * gu * gv * cuv + gv * gv * cvv) / n;
}

}  // namespace

SobolTable sobol_indices(const Config& cfg, const stats::Accumulators& acc) {
  const stats::Layout& L = acc.layout();
  SobolTable t;
  t.series = L.sobol_series, t.outcomes = L.O, t.factors = L.sobol_factors;
  for (const auto& s : cfg.strategies) t.series_names.push_back(s.name);
  for (const auto& [a, b] : L.pair_list)
    t.series_names.push_back(cfg.strategies[static_cast<std::size_t>(a)].name + " - " +
                             cfg.strategies[static_cast<std::size_t>(b)].name);
  for (const auto& f : sensitivity_factors(cfg)) t.factor_names.push_back(f.name);
  t.base_rows = acc.runs();
  const auto cells = static_cast<std::size_t>(t.series * t.outcomes * t.factors);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (auto* v : {&t.first, &t.first_low, &t.first_high, &t.total, &t.total_low, &t.total_high,
                  &t.first_se, &t.total_se})
    v->assign(cells, nan);
  t.variance.assign(static_cast<std::size_t>(t.series * t.outcomes), nan);
  const Real n = static_cast<Real>(t.base_rows);
  if (t.base_rows < 2 || t.factors == 0) return t;
  constexpr Real z = 1.959963984540054L;
  const int K = t.factors;
  for (int s = 0; s < t.series; ++s)
    for (int o = 0; o < t.outcomes; ++o) {
      const auto get = [&](int term) {
        return static_cast<Real>(acc.sum(stats::Seg::kSobolSum, L.sobol_index(s, o, term))) /
               static_cast<Real>(kSobolScale);
      };
      const auto fterm = [&](int j, int term) {
        return get(kSobolShared + j * kSobolPerFactor + term);
      };
      const Real a = get(kSA), a2 = get(kSA2), a3 = get(kSA3), a4 = get(kSA4), b = get(kSB);
      Real total_rows = a * (K + 1) + b;  // sum of every design row: e_j = a + d_j
      for (int j = 0; j < K; ++j) total_rows += fterm(j, kD);
      const Real m = total_rows / (n * (K + 2));
      const Real scale =
          sobol_outcome_scale(cfg.outcomes[static_cast<std::size_t>(o)]) * (s >= L.S ? 2.0 : 1.0);
      const Real V = (a2 - a * a / n) / (n - 1);
      t.variance[static_cast<std::size_t>(s * t.outcomes + o)] =
          static_cast<double>(V * scale * scale);
      if (!(V > 0)) continue;
      // sum (a - m)^2 and sum (a - m)^4: the second member of both pairs.
      const Real sv = a2 - 2 * m * a + n * m * m;
      const Real sv2 = a4 - 4 * m * a3 + 6 * m * m * a2 - 4 * m * m * m * a + n * m * m * m * m;
      for (int j = 0; j < K; ++j) {
        const auto T = [&](int term) { return fterm(j, term); };
        // First order: u = (b - m) d.
        const Real su = T(kBD) - m * T(kD);
        const Real su2 = T(kB2D2) - 2 * m * T(kBD2) + m * m * T(kD2);
        const Real suv = T(kA2BD) - 2 * m * T(kABD) + m * m * T(kBD) -
                         m * (T(kA2D) - 2 * m * T(kAD) + m * m * T(kD));
        const Real first = su / (n - 1) / V;
        const Real var_first = delta_variance(n, su, su2, suv, sv, sv2, 1);
        // Total order: u = d^2.
        const Real tu = T(kD2), tu2 = T(kD4);
        const Real tuv = T(kA2D2) - 2 * m * T(kAD2) + m * m * T(kD2);
        const Real total = tu / (2 * n - 1) / V;
        const Real var_total = delta_variance(n, tu, tu2, tuv, sv, sv2, 0.5L);
        const std::size_t i = t.at(s, o, j);
        const Real se_f = std::sqrt(std::max<Real>(var_first, 0));
        const Real se_t = std::sqrt(std::max<Real>(var_total, 0));
        t.first[i] = static_cast<double>(first), t.first_se[i] = static_cast<double>(se_f);
        t.first_low[i] = static_cast<double>(first - z * se_f);
        t.first_high[i] = static_cast<double>(first + z * se_f);
        t.total[i] = static_cast<double>(total), t.total_se[i] = static_cast<double>(se_t);
        t.total_low[i] = static_cast<double>(total - z * se_t);
        t.total_high[i] = static_cast<double>(total + z * se_t);
      }
    }
  return t;
}

}  // namespace wedge
