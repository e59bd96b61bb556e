#include "wedge/core/sampling.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <numbers>
#include <numeric>
#include <sstream>

#include "wedge/core/error.hpp"
#include "wedge/core/rng.hpp"

namespace wedge {
namespace {

namespace bm = boost::math;
namespace br = boost::random;

// Whole-number Gamma shapes up to this are drawn exactly as sums of unit exponentials.
constexpr double kMaxWholeShape = 16.0;
bool whole_shape(double k) { return k == std::floor(k) && k >= 1.0 && k <= kMaxWholeShape; }

// Gamma(k, 1) for a whole-number shape k <= 16 (every default prior): exactly the sum of k unit
// exponentials, -log(u_1 ... u_k): k uniforms and one log (simd::log, so that the vectorised
// block sampler below gives the same bits). Much faster than a general gamma sampler.
double draw_whole_gamma(double shape, rng::Stream& stream) {
  double prod = 1.0;
  for (int i = 0; i < static_cast<int>(shape); ++i) prod *= rng::u01(stream());
  return -simd::log(prod);
}

// The last step of a Beta draw, X / (X + Y) stretched over [lo, lo + span], shared by the
// scalar and the vector sampler so both round alike.
inline double beta_from_gammas(double x, double y, double lo, double span) {
  return lo + span * (x / (x + y));
}

// log of a Gamma(shape, 1) draw for any other shape, from Boost.Random's gamma sampler: it
// gives the same numbers with any C++ standard library (libstdc++'s std::gamma_distribution
// and libc++'s differ), at some cost in speed for these shapes only. Below 1 it uses
// Gamma(a) = Gamma(a + 1) U^(1/a) in logs: for small shapes the draw itself often underflows
// to 0 (Beta(0.005, 0.005) would then be 0/0).
double draw_log_gamma(double shape, rng::Stream& stream) {
  if (shape >= 1.0) return std::log(br::gamma_distribution<double>(shape, 1.0)(stream));
  const double g = br::gamma_distribution<double>(shape + 1.0, 1.0)(stream);
  return std::log(g) + std::log(rng::u01(stream())) / shape;
}

// Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b); for shapes that are not whole
// numbers as 1 / (1 + exp(log Y - log X)), which neither underflows nor divides 0 by 0.
double draw_beta(double a, double b, rng::Stream& stream, double lo = 0.0, double span = 1.0) {
  if (whole_shape(a) && whole_shape(b)) {
    const double x = draw_whole_gamma(a, stream);
    const double y = draw_whole_gamma(b, stream);
    return beta_from_gammas(x, y, lo, span);
  }
  const double lx = draw_log_gamma(a, stream);
  const double ly = draw_log_gamma(b, stream);
  return lo + span / (1.0 + std::exp(ly - lx));
}

const bm::normal_distribution<double> kStdNormal(0.0, 1.0);

// Gaussian-copula correlation between the latent normals that gives Spearman rank
// correlation r between the parameters: 2 sin(pi r / 6).
double pearson_from_spearman(double r) { return 2.0 * std::sin(std::numbers::pi * r / 6.0); }

std::vector<int> copula_members(const std::vector<Correlation>& corr) {
  std::vector<int> m;
  for (const auto& c : corr)
    for (int p : {c.a, c.b})
      if (std::find(m.begin(), m.end(), p) == m.end()) m.push_back(p);
  std::sort(m.begin(), m.end());
  return m;
}

// Lower Cholesky factor L of the symmetric n x n matrix A (row-major). Returns n when A is
// positive definite, otherwise the index of the failing pivot (its value in `pivot`).
std::size_t cholesky_factor(const std::vector<double>& A, std::size_t n, std::vector<double>& L,
                            double& pivot) {
  L.assign(n * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    double d = A[j * n + j];
    for (std::size_t k = 0; k < j; ++k) d -= L[j * n + k] * L[j * n + k];
    if (d <= 1e-10) {
      pivot = d;
      return j;
    }
    L[j * n + j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = A[i * n + j];
      for (std::size_t k = 0; k < j; ++k) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / L[j * n + j];
    }
  }
  return n;
}

// Cholesky factor of the latent correlation matrix; returns false (and the failing pivot)
// when the matrix is not positive definite.
bool cholesky(const std::vector<Correlation>& corr, const std::vector<int>& members,
              std::vector<double>& L, std::string& why) {
  const std::size_t n = members.size();
  std::vector<double> A(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) A[i * n + i] = 1.0;
  auto pos = [&](int p) {
    return static_cast<std::size_t>(std::find(members.begin(), members.end(), p) - members.begin());
  };
  for (const auto& c : corr) {
    const std::size_t i = pos(c.a), j = pos(c.b);
    A[i * n + j] = A[j * n + i] = pearson_from_spearman(c.rank);
  }
  double pivot = 0.0;
  const std::size_t failed = cholesky_factor(A, n, L, pivot);
  if (failed == n) return true;
  why = "pivot at input " + std::to_string(members[failed]) + " is " + std::to_string(pivot);
  return false;
}

// Inverse of a lower-triangular n x n matrix (row-major), by forward substitution.
std::vector<double> lower_inverse(const std::vector<double>& L, std::size_t n) {
  std::vector<double> X(n * n, 0.0);
  for (std::size_t c = 0; c < n; ++c)
    for (std::size_t i = c; i < n; ++i) {
      double s = i == c ? 1.0 : 0.0;
      for (std::size_t k = c; k < i; ++k) s -= L[i * n + k] * X[k * n + c];
      X[i * n + c] = s / L[i * n + i];
    }
  return X;
}

}  // namespace

bool correlation_is_positive_definite(const std::vector<Correlation>& c, std::string& why) {
  std::vector<double> L;
  return cholesky(c, copula_members(c), L, why);
}

ParameterSampler::ParameterSampler(const Config& cfg, rng::Purpose streams)
    : cfg_(cfg),
      streams_(streams),
      lhs_(cfg.design == Design::kLatinHypercube),
      P_(cfg.num_inputs()) {
  copula_params_ = copula_members(cfg.correlations);
  std::string why;
  if (!copula_params_.empty() && !cholesky(cfg.correlations, copula_params_, cholesky_, why))
    throw std::logic_error("correlation matrix not positive definite: " + why);
  for (const Input& in : cfg.inputs) edges_.push_back(wedge::decile_edges(in.prior));
  if (cfg.design == Design::kSobol && P_ > 0) sobol_.emplace(cfg.seed, P_);
  if (lhs_) {
    strata_.resize(static_cast<std::size_t>(P_) * cfg.batch_size);
    if (!copula_params_.empty()) {
      // van der Waerden scores of the strata, for Iman-Conover (prepare_batch).
      scores_.resize(cfg.batch_size);
      const double n1 = static_cast<double>(cfg.batch_size) + 1.0;
      for (std::uint64_t k = 0; k < cfg.batch_size; ++k)
        scores_[k] = bm::quantile(kStdNormal, static_cast<double>(k + 1) / n1);
    }
  }
}

void ParameterSampler::prepare_batch(std::uint64_t batch) {
  if (!lhs_ || batch == prepared_batch_) return;
  const std::uint64_t n = cfg_.batch_size;
  for (int p = 0; p < P_; ++p) {
    // Fisher-Yates over the strata, driven by the (seed, LHS, batch) stream of this parameter.
    std::uint32_t* perm = strata_.data() + static_cast<std::size_t>(p) * n;
    for (std::uint64_t i = 0; i < n; ++i) perm[i] = static_cast<std::uint32_t>(i);
    rng::Philox philox;
    const auto key = rng::make_key(cfg_.seed);
    for (std::uint64_t i = n - 1; i > 0; --i) {
      const auto ctr = rng::Philox::ctr_type{
          {static_cast<std::uint32_t>(batch), static_cast<std::uint32_t>(batch >> 32),
           static_cast<std::uint32_t>(rng::Purpose::kLatinHypercube),
           static_cast<std::uint32_t>(p) << 24 | static_cast<std::uint32_t>(i)}};
      const auto r = philox(ctr, key);
      // 64 random bits reduced to [0, i] by multiply-shift; bias is below 2^-40.
      const std::uint64_t bits = (static_cast<std::uint64_t>(r[0]) << 32) | r[1];
      __extension__ typedef unsigned __int128 u128;
      const auto j = static_cast<std::uint64_t>((static_cast<u128>(bits) * (i + 1)) >> 64);
      std::swap(perm[i], perm[j]);
    }
  }
  if (!copula_params_.empty()) induce_rank_correlation(batch);
  prepared_batch_ = batch;
}

void ParameterSampler::induce_rank_correlation(std::uint64_t batch) {
  // Iman & Conover (1982): rearrange the correlated parameters' strata so that their rank
  // correlation approaches the target while each keeps exactly one run per stratum. Scores
  // S (runs x m) are the normal scores of the independent permutations; with E = F F^T their
  // sample correlation and C = P P^T the target, the rows of S (P F^-1)^T have correlation C,
  // and each parameter's strata are reassigned in the rank order of its column.
  const std::size_t n = cfg_.batch_size, m = copula_params_.size();
  std::vector<double> S(n * m), E(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    const std::uint32_t* perm = strata_.data() + static_cast<std::size_t>(copula_params_[i]) * n;
    for (std::size_t j = 0; j < n; ++j) S[j * m + i] = scores_[perm[j]];
  }
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t b = 0; b <= a; ++b) E[a * m + b] += S[j * m + a] * S[j * m + b];
  for (std::size_t a = 0; a < m; ++a)
    for (std::size_t b = 0; b < a; ++b)
      E[b * m + a] = E[a * m + b] /= std::sqrt(E[a * m + a] * E[b * m + b]);
  for (std::size_t a = 0; a < m; ++a) E[a * m + a] = 1.0;
  std::vector<double> F;
  double pivot = 0.0;
  if (cholesky_factor(E, m, F, pivot) != m)
    throw Error("Latin hypercube batch " + std::to_string(batch) +
                ": the strata's score correlation is singular; use a larger [study] batch_size");
  const std::vector<double> Finv = lower_inverse(F, m);
  std::vector<double> M(m * m, 0.0);  // P F^-1, lower triangular
  for (std::size_t a = 0; a < m; ++a)
    for (std::size_t b = 0; b <= a; ++b)
      for (std::size_t k = b; k <= a; ++k) M[a * m + b] += cholesky_[a * m + k] * Finv[k * m + b];
  std::vector<double> t(n);
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0.0;
      for (std::size_t k = 0; k <= i; ++k) s += M[i * m + k] * S[j * m + k];
      t[j] = s;
    }
    // Ties broken by run position, so every rank orders alike.
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
      return t[x] < t[y] || (t[x] == t[y] && x < y);
    });
    std::uint32_t* perm = strata_.data() + static_cast<std::size_t>(copula_params_[i]) * n;
    for (std::size_t r = 0; r < n; ++r) perm[order[r]] = static_cast<std::uint32_t>(r);
  }
}

void ParameterSampler::sample_uniforms(std::uint64_t run, std::vector<double>& u) const {
  const std::uint64_t n = cfg_.batch_size, j = run % n;
  for (int p = 0; p < P_; ++p) {
    auto stream = rng::make_parameter_stream(cfg_.seed, p, run, streams_);
    const double v = rng::u01(stream());
    u[p] = (strata_[static_cast<std::size_t>(p) * n + j] + v) / static_cast<double>(n);
  }
}

std::uint8_t ParameterSampler::decile_of(int param, double x) const {
  if (cfg_.inputs[static_cast<std::size_t>(param)].prior.family == Family::kFixed) return 0;
  std::uint8_t d = 0;
  for (double e : edges_[static_cast<std::size_t>(param)])
    d = static_cast<std::uint8_t>(d + (x >= e ? 1 : 0));
  return d;
}

void ParameterSampler::sample(std::uint64_t run, std::vector<double>& x,
                              std::vector<std::uint8_t>& decile) const {
  x.resize(static_cast<std::size_t>(P_));
  decile.resize(static_cast<std::size_t>(P_));
  if (sobol_) {
    sample_sobol(run, x);
    for (int p = 0; p < P_; ++p) decile[p] = decile_of(p, x[p]);
    return;
  }
  std::vector<double> u(static_cast<std::size_t>(P_));
  const bool lhs = lhs_;
  if (lhs) {
    if (run / cfg_.batch_size != prepared_batch_)
      throw std::logic_error("ParameterSampler: batch not prepared");
    sample_uniforms(run, u);
  }
  for (int p = 0; p < P_; ++p) {
    const Prior& pr = cfg_.inputs[static_cast<std::size_t>(p)].prior;
    const bool in_copula =
        std::find(copula_params_.begin(), copula_params_.end(), p) != copula_params_.end();
    if (pr.family == Family::kFixed)
      x[p] = pr.p[0];
    else if (!lhs && !in_copula)
      x[p] = draw_monte_carlo(p, run);
    // otherwise set below through the quantile function
  }
  if (!copula_params_.empty() && !lhs) {
    // Gaussian copula: latent normals drawn from each parameter's stream, correlated by the
    // Cholesky factor, back to uniforms, then through each prior's quantile function. (The Latin
    // hypercube's strata were already rearranged to the target ranks: prepare_batch.)
    const std::size_t m = copula_params_.size();
    std::vector<double> z(m), zc(m);
    br::normal_distribution<double> normal;
    for (std::size_t i = 0; i < m; ++i) {
      auto stream = rng::make_parameter_stream(cfg_.seed, copula_params_[i], run, streams_);
      z[i] = normal(stream);
    }
    for (std::size_t i = 0; i < m; ++i) {
      double s = 0.0;
      for (std::size_t k = 0; k <= i; ++k) s += cholesky_[i * m + k] * z[k];
      zc[i] = s;
    }
    for (std::size_t i = 0; i < m; ++i) {
      const double ui = std::clamp(bm::cdf(kStdNormal, zc[i]), 0x1p-53, 1.0 - 0x1p-53);
      u[copula_params_[i]] = ui;
    }
    for (int p : copula_params_)
      x[p] = prior_quantile(cfg_.inputs[static_cast<std::size_t>(p)].prior, u[p]);
  }
  if (lhs)
    for (int p = 0; p < P_; ++p)
      if (cfg_.inputs[static_cast<std::size_t>(p)].prior.family != Family::kFixed)
        x[p] = prior_quantile(cfg_.inputs[static_cast<std::size_t>(p)].prior, u[p]);
  for (int p = 0; p < P_; ++p) decile[p] = decile_of(p, x[p]);
}

void ParameterSampler::sample_sobol(std::uint64_t run, std::vector<double>& x) const {
  std::vector<double> u(static_cast<std::size_t>(P_));
  sobol_->uniforms(run, u.data());
  if (!copula_params_.empty()) {
    // The Gaussian copula as in the Monte Carlo design, on the points' normal scores: a smooth
    // map, so the points keep their low discrepancy in the copula's coordinates.
    const std::size_t m = copula_params_.size();
    std::vector<double> z(m);
    for (std::size_t i = 0; i < m; ++i)
      z[i] = bm::quantile(kStdNormal, u[static_cast<std::size_t>(copula_params_[i])]);
    for (std::size_t i = 0; i < m; ++i) {
      double s = 0.0;
      for (std::size_t k = 0; k <= i; ++k) s += cholesky_[i * m + k] * z[k];
      u[static_cast<std::size_t>(copula_params_[i])] =
          std::clamp(bm::cdf(kStdNormal, s), 0x1p-53, 1.0 - 0x1p-53);
    }
  }
  for (int p = 0; p < P_; ++p) {
    const Prior& pr = cfg_.inputs[static_cast<std::size_t>(p)].prior;
    x[p] =
        pr.family == Family::kFixed ? pr.p[0] : prior_quantile(pr, u[static_cast<std::size_t>(p)]);
  }
}

namespace {

// Uncertain coefficients with a uniform, normal or lognormal prior are drawn from the first
// Philox call of their stream by inverse transform or Box-Muller, written once for the scalar
// and the vector sampler (simd::log, sincospi and exp give the same bits in both), so that a
// block of runs draws them in one vector loop. (The model's parameters keep Boost.Random's
// samplers, whose numbers earlier versions produced.)
bool fast_family(const Input& in) {
  return in.coefficient >= 0 &&
         (in.prior.family == Family::kUniform || in.prior.family == Family::kNormal ||
          in.prior.family == Family::kLogNormal);
}

template <Family kFamily>
inline double fast_draw(const Prior& pr, std::uint64_t w3, std::uint64_t w2) {
  if constexpr (kFamily == Family::kUniform) {
    return pr.p[0] + (pr.p[1] - pr.p[0]) * rng::u01(w3);
  } else {
    double z0, z1;
    rng::box_muller(w3, w2, z0, z1);
    const double v = pr.p[0] + pr.p[1] * z0;
    if constexpr (kFamily == Family::kLogNormal) return simd::exp(v);
    return v;
  }
}

// The first call of input p's stream for run `run`: words w3 and w2 (the order MicroURNG hands
// them out).
inline void first_words(std::uint64_t k0, std::uint64_t k1, std::uint64_t purpose,
                        std::uint64_t run, std::uint64_t& w3, std::uint64_t& w2) {
  std::uint64_t w0 = run & 0xFFFFFFFFu, w1 = run >> 32;
  w2 = purpose, w3 = 0;
  rng::philox4x32_10(w0, w1, w2, w3, k0, k1);
}

template <Family kFamily>
void fast_block(const Prior& pr, std::uint64_t seed, std::uint64_t purpose, std::uint64_t first_run,
                double* out) {
  const auto key = rng::make_key(seed);
  const std::uint64_t k0 = key[0], k1 = key[1];
#pragma omp simd
  for (int j = 0; j < kBlock; ++j) {
    std::uint64_t w3, w2;
    first_words(k0, k1, purpose, first_run + static_cast<std::uint64_t>(j), w3, w2);
    out[j] = fast_draw<kFamily>(pr, w3, w2);
  }
}

double fast_scalar(const Prior& pr, std::uint64_t seed, std::uint64_t purpose, std::uint64_t run) {
  const auto key = rng::make_key(seed);
  std::uint64_t w3, w2;
  first_words(key[0], key[1], purpose, run, w3, w2);
  switch (pr.family) {
    case Family::kUniform: return fast_draw<Family::kUniform>(pr, w3, w2);
    case Family::kNormal: return fast_draw<Family::kNormal>(pr, w3, w2);
    default: return fast_draw<Family::kLogNormal>(pr, w3, w2);
  }
}

}  // namespace

double ParameterSampler::draw_monte_carlo(int p, std::uint64_t run) const {
  // Monte Carlo: Boost.Random distributions fed by the parameter's own Philox stream.
  const Input& in = cfg_.inputs[static_cast<std::size_t>(p)];
  const Prior& pr = in.prior;
  if (fast_family(in)) return fast_scalar(pr, cfg_.seed, rng::parameter_purpose(p, streams_), run);
  auto stream = rng::make_parameter_stream(cfg_.seed, p, run, streams_);
  switch (pr.family) {
    case Family::kUniform: return br::uniform_real_distribution<double>(pr.p[0], pr.p[1])(stream);
    case Family::kNormal: return br::normal_distribution<double>(pr.p[0], pr.p[1])(stream);
    case Family::kLogNormal: return br::lognormal_distribution<double>(pr.p[0], pr.p[1])(stream);
    case Family::kBeta: return draw_beta(pr.p[0], pr.p[1], stream);
    case Family::kTriangular:
      return br::triangle_distribution<double>(pr.p[0], pr.p[1], pr.p[2])(stream);
    case Family::kPert: {
      const auto s = pert_shape(pr);
      return draw_beta(s.a, s.b, stream, pr.p[0], pr.p[2] - pr.p[0]);
    }
    case Family::kTruncatedNormal: return prior_quantile(pr, rng::u01(stream()));
    case Family::kFixed: break;
  }
  return pr.p[0];
}

namespace {

// Beta(ka, kb) with whole-number shapes for the 64 runs of a block, in one vector loop: the
// same uniforms in the same order as draw_beta on the parameter's MicroURNG stream (call c is
// Philox of counter word 3 = c, its words handed out last first), the same products and logs.
void whole_beta_block(std::uint64_t seed, std::uint64_t purpose, std::uint64_t first_run, int ka,
                      int kb, double lo, double span, double* out) {
  const auto key = rng::make_key(seed);
  const std::uint64_t k0 = key[0], k1 = key[1];
  const int n = ka + kb;
  alignas(64) double pa[kBlock], pb[kBlock];
  for (int j = 0; j < kBlock; ++j) pa[j] = pb[j] = 1.0;
  for (int c = 0; 4 * c < n; ++c) {
    // Which of this call's four uniforms go to X (the first ka) and to Y (the next kb).
    double to_a[4], to_b[4];
    for (int m = 0; m < 4; ++m) {
      const int i = 4 * c + m;
      to_a[m] = i < ka ? 1.0 : 0.0;
      to_b[m] = i >= ka && i < n ? 1.0 : 0.0;
    }
#pragma omp simd
    for (int j = 0; j < kBlock; ++j) {
      const std::uint64_t run = first_run + static_cast<std::uint64_t>(j);
      std::uint64_t w0 = run & 0xFFFFFFFFu, w1 = run >> 32, w2 = purpose,
                    w3 = static_cast<std::uint64_t>(c);
      rng::philox4x32_10(w0, w1, w2, w3, k0, k1);
      const double u0 = rng::u01(w3), u1 = rng::u01(w2), u2 = rng::u01(w1), u3 = rng::u01(w0);
      double a = pa[j], b = pb[j];
      a = to_a[0] != 0.0 ? a * u0 : a, b = to_b[0] != 0.0 ? b * u0 : b;
      a = to_a[1] != 0.0 ? a * u1 : a, b = to_b[1] != 0.0 ? b * u1 : b;
      a = to_a[2] != 0.0 ? a * u2 : a, b = to_b[2] != 0.0 ? b * u2 : b;
      a = to_a[3] != 0.0 ? a * u3 : a, b = to_b[3] != 0.0 ? b * u3 : b;
      pa[j] = a, pb[j] = b;
    }
  }
#pragma omp simd
  for (int j = 0; j < kBlock; ++j)
    out[j] = beta_from_gammas(-simd::log(pa[j]), -simd::log(pb[j]), lo, span);
}

}  // namespace

void ParameterSampler::sample_block(std::uint64_t first_run, BlockParams& params,
                                    BlockDeciles& deciles) const {
  if (params.rows() != P_) params.resize(P_);
  deciles.resize(static_cast<std::size_t>(P_));
  if (lhs_ || sobol_ || !copula_params_.empty()) {
    // Quantile-function designs: run by run.
    std::vector<double> x;
    std::vector<std::uint8_t> d;
    for (int j = 0; j < kBlock; ++j) {
      sample(first_run + static_cast<std::uint64_t>(j), x, d);
      for (int p = 0; p < P_; ++p)
        params[p][j] = x[static_cast<std::size_t>(p)],
        deciles[static_cast<std::size_t>(p)][j] = d[static_cast<std::size_t>(p)];
    }
    return;
  }
  for (int p = 0; p < P_; ++p) {
    const Prior& pr = cfg_.inputs[static_cast<std::size_t>(p)].prior;
    double* x = params[p];
    const PertShape shape =
        pr.family == Family::kPert ? pert_shape(pr) : PertShape{pr.p[0], pr.p[1]};
    if ((pr.family == Family::kBeta || pr.family == Family::kPert) && whole_shape(shape.a) &&
        whole_shape(shape.b)) {
      const bool pert = pr.family == Family::kPert;
      whole_beta_block(cfg_.seed, rng::parameter_purpose(p, streams_), first_run,
                       static_cast<int>(shape.a), static_cast<int>(shape.b), pert ? pr.p[0] : 0.0,
                       pert ? pr.p[2] - pr.p[0] : 1.0, x);
    } else if (pr.family == Family::kFixed) {
      for (int j = 0; j < kBlock; ++j) x[j] = pr.p[0];
    } else if (fast_family(cfg_.inputs[static_cast<std::size_t>(p)])) {
      const std::uint64_t purpose = rng::parameter_purpose(p, streams_);
      if (pr.family == Family::kUniform)
        fast_block<Family::kUniform>(pr, cfg_.seed, purpose, first_run, x);
      else if (pr.family == Family::kNormal)
        fast_block<Family::kNormal>(pr, cfg_.seed, purpose, first_run, x);
      else
        fast_block<Family::kLogNormal>(pr, cfg_.seed, purpose, first_run, x);
    } else {
      for (int j = 0; j < kBlock; ++j)
        x[j] = draw_monte_carlo(p, first_run + static_cast<std::uint64_t>(j));
    }
    std::uint8_t* d = deciles[static_cast<std::size_t>(p)].data();
    if (pr.family == Family::kFixed) {
      for (int j = 0; j < kBlock; ++j) d[j] = 0;
      continue;
    }
    const auto& e = edges_[static_cast<std::size_t>(p)];
#pragma omp simd
    for (int j = 0; j < kBlock; ++j) {
      int k = 0;
      for (double edge : e) k += x[j] >= edge ? 1 : 0;
      d[j] = static_cast<std::uint8_t>(k);
    }
  }
}

}  // namespace wedge
