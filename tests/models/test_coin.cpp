// The coin model: a Beta(a, b) prior on p and a success in each quarter with probability p, so
// evidence on the successes of the history has a closed-form posterior (conjugate for a count,
// a mixture for a count observed with error, one-dimensional quadrature for p observed with
// error). The weighted statistics must match these within Monte Carlo error: every tolerance
// below is 4 standard errors of the estimate over the effective sample size (and a KS band at
// the 0.1% level for the posterior's CDF), plus the histogram's bin width where it interpolates.
#include <gtest/gtest.h>

#include <array>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/binomial.hpp>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>
#include <utility>

#include "posterior_util.hpp"
#include "test_util.hpp"
#include "wedge/analyses/summary.hpp"
#include "wedge/core/model.hpp"
#include "wedge/core/rng.hpp"
#include "wedge/io/config_reader.hpp"

namespace wedge {
namespace {

constexpr int kSuccesses = 0, kLate = 1, kFirst = 2;  // the coin's outcomes
constexpr double kA = 2, kB = 3;                      // configs/coin.toml: p ~ Beta(2, 3)
constexpr int kHistory = 8, kQuarters = 16;           // its decision quarter and horizon
constexpr std::uint64_t kRuns = 1 << 19;

Config coin() {
  Config cfg = load_config(test::source_path("configs/coin.toml"));
  cfg.batch_size = 8192;
  return cfg;
}

// "k successes in the first n quarters", wrong with probability `error`.
Evidence successes(int k, int n, double error) {
  Evidence e;
  e.kind = EvidenceKind::kEventCount;
  e.name = "successes";
  e.event = 0;
  e.from_quarter = 0;
  e.quarter = n - 1;
  e.count = k;
  e.error = error;
  return e;
}

// The probability of k successes in n quarters under the prior (Beta-binomial).
double beta_binomial(int k, int n, double a, double b) {
  return boost::math::binomial_coefficient<double>(static_cast<unsigned>(n),
                                                   static_cast<unsigned>(k)) *
         boost::math::beta(a + k, b + n - k) / boost::math::beta(a, b);
}

// Kish's ESS over N runs, N m1^2 / m2 (m_r: the prior expectation of w^r), and its standard
// error by the delta method from the sample moments' covariance.
struct Kish {
  double ess, se;
};
Kish kish(double N, const std::array<double, 5>& m) {
  const double d1 = 2 * N * m[1] / m[2], d2 = -N * m[1] * m[1] / (m[2] * m[2]);
  const double var = d1 * d1 * (m[2] - m[1] * m[1]) + 2 * d1 * d2 * (m[3] - m[1] * m[2]) +
                     d2 * d2 * (m[4] - m[2] * m[2]);
  return {N * m[1] * m[1] / m[2], std::sqrt(var / N)};
}

// A posterior given by its CDF: checks the engine's posterior of p (mean, 5% and 95% quantiles,
// the histogram's CDF at every bin edge) against it, over the effective sample size.
void expect_posterior(const stats::Accumulators& acc, const Prior& prior,
                      const std::function<double(double)>& cdf, double mean, double sd) {
  const double ess = acc.mass().ess;
  EXPECT_NEAR(test::posterior_mean(acc, 0), mean, 4 * sd / std::sqrt(ess));
  // The CDF at the bin edges: exact values of the closed form, no interpolation. Kolmogorov's
  // band at the 0.1% level, 1.95 / sqrt(ESS), bounds the largest difference.
  const auto shares = test::input_shares(acc, 1, 0);
  double below = 0, largest = 0;
  for (int b = 1; b < stats::kInputBins; ++b) {
    below += shares[static_cast<std::size_t>(b - 1)];
    const double edge = prior_quantile(prior, b / 100.0);
    largest = std::max(largest, std::abs(below - cdf(edge)));
  }
  EXPECT_LT(largest, 1.95 / std::sqrt(ess));
  // The 5% and 95% quantiles: interpolated in prior-CDF space, then mapped through the prior's
  // quantile. The sampling error of a quantile q is sqrt(q (1 - q) / ESS) in the posterior's
  // CDF; the interpolation adds at most the bin's width.
  for (double q : {0.05, 0.95}) {
    const double u = test::cdf_space_quantile(shares, q);
    const double x = prior_quantile(prior, u);
    const int bin = static_cast<int>(u * 100);
    const double bin_width = prior_quantile(prior, std::min(bin + 1, 99) / 100.0) -
                             prior_quantile(prior, std::max(bin, 1) / 100.0);
    EXPECT_NEAR(cdf(x), q, 4 * std::sqrt(q * (1 - q) / ess) + cdf(x + bin_width) - cdf(x))
        << "quantile " << q;
    std::printf("%.0f%% quantile %.5f: the closed form's CDF there is %.5f\n", 100 * q, x, cdf(x));
  }
  std::printf("posterior mean %.5f (closed form %.5f), ESS %.1f, largest CDF gap %.4f\n",
              test::posterior_mean(acc, 0), mean, ess, largest);
}

TEST(Coin, ConfigurationDeclaresAHistoryAndAnEvent) {
  const Config cfg = coin();
  EXPECT_EQ(cfg.model, "coin");
  ASSERT_TRUE(cfg.history.has_value());
  EXPECT_EQ(cfg.decision_quarter, kHistory);
  EXPECT_EQ(cfg.quarters, kQuarters);
  ASSERT_EQ(cfg.events.size(), 1u);
  EXPECT_EQ(cfg.events[0].quarter_outcome, kFirst);
  EXPECT_EQ(cfg.inputs[0].prior.family, Family::kBeta);
}

// The model itself: successes at rate p, the late ones after the decision quarter, the first
// one's quarter; the same in every strategy (the lever has no effect).
TEST(Coin, SuccessesHappenAtRateP) {
  const Config cfg = coin();
  const auto outs = test::simulate(cfg, 0, 20000);
  double total = 0, late = 0, never = 0;
  for (std::size_t r = 0; r < 20000; ++r) {
    total += outs[0][kSuccesses][r], late += outs[0][kLate][r];
    never += outs[0][kFirst][r] < 0 ? 1 : 0;
    ASSERT_LE(outs[0][kLate][r], outs[0][kSuccesses][r]);
    ASSERT_EQ(outs[0][kSuccesses][r] == 0, outs[0][kFirst][r] < 0);
  }
  const double p = kA / (kA + kB);  // E successes = quarters x E p
  EXPECT_NEAR(total / 20000, kQuarters * p, 0.06);
  EXPECT_NEAR(late / 20000, (kQuarters - kHistory) * p, 0.04);
  // P(no success in 16 quarters) = B(a, b + 16) / B(a, b).
  EXPECT_NEAR(never / 20000, boost::math::beta(kA, kB + kQuarters) / boost::math::beta(kA, kB),
              0.004);
}

// Hard evidence, k successes in the first n quarters: weights 0 or 1, the posterior
// Beta(a + k, b + n - k), an ESS of N x BetaBinomial(k; n, a, b).
TEST(Coin, CountEvidenceGivesTheConjugatePosterior) {
  Config cfg = coin();
  const int k = 3, n = kHistory;
  cfg.evidence = {successes(k, n, 0.0)};
  const auto acc = test::run_range(cfg, 0, kRuns);
  const double pk = beta_binomial(k, n, kA, kB);
  const double expected_ess = kRuns * pk, se_ess = std::sqrt(kRuns * pk * (1 - pk));
  const stats::Mass m = acc.mass();
  // Every kept run weighs exactly 1: the mass counts them, Kish's ESS equals their number.
  EXPECT_EQ(m.n % kWeightOne, 0u);
  EXPECT_DOUBLE_EQ(m.ess, static_cast<double>(m.n / kWeightOne));
  EXPECT_NEAR(m.ess, expected_ess, 4 * se_ess);
  std::printf("ESS %.0f, closed form N x BetaBinomial = %.1f +- %.1f\n", m.ess, expected_ess,
              se_ess);
  const boost::math::beta_distribution<> post(kA + k, kB + n - k);
  expect_posterior(
      acc, cfg.inputs[0].prior, [&](double x) { return boost::math::cdf(post, x); },
      boost::math::mean(post), boost::math::standard_deviation(post));
  // The forecast after the evidence: successes in the 8 quarters left, Beta-binomial with the
  // posterior's shape (mean 8 (a + k) / (a + b + n)); before it, with the prior's.
  const double left = kQuarters - kHistory;
  const auto predictive = [&](double a, double b, double& mean, double& sd) {
    mean = left * a / (a + b);
    sd = std::sqrt(left * a * b * (a + b + left) / ((a + b) * (a + b) * (a + b + 1)));
  };
  double mean, sd;
  predictive(kA + k, kB + n - k, mean, sd);
  EXPECT_NEAR(test::outcome_mean(acc, 0, kLate), mean, 4 * sd / std::sqrt(m.ess));
  std::printf("late successes after the evidence %.4f (closed form %.4f +- %.4f)\n",
              test::outcome_mean(acc, 0, kLate), mean, sd / std::sqrt(m.ess));
  predictive(kA, kB, mean, sd);
  const double before = static_cast<double>(acc.sum(stats::Seg::kPriorOutcomeSum,
                                                    acc.layout().outcome_index(0, kLate))) /
                        stats::kScale / static_cast<double>(kRuns);
  EXPECT_NEAR(before, mean, 4 * sd / std::sqrt(static_cast<double>(kRuns)));
  // The prior side of the inputs' histogram is the prior: 1% per bin.
  const auto prior = test::input_shares(acc, 0, 0);
  for (double s : prior) EXPECT_NEAR(s, 0.01, 4 * std::sqrt(0.01 * 0.99 / kRuns));
}

// The same count observed with error e: each run weighs 1 - e if its count matches, e if not,
// so the posterior is the mixture of the prior (weight e) and the conjugate posterior (weight
// (1 - 2e) BB(k)), over Z = e + (1 - 2e) BB(k).
TEST(Coin, SoftCountEvidenceGivesTheMixturePosterior) {
  Config cfg = coin();
  const int k = 6, n = kHistory;
  const double e = 0.1;
  cfg.evidence = {successes(k, n, e)};
  const auto acc = test::run_range(cfg, 0, kRuns);
  const double pk = beta_binomial(k, n, kA, kB), z = e + (1 - 2 * e) * pk;
  const double w_prior = e / z, w_post = (1 - 2 * e) * pk / z;
  const boost::math::beta_distribution<> prior(kA, kB), post(kA + k, kB + n - k);
  const double mean = w_prior * boost::math::mean(prior) + w_post * boost::math::mean(post);
  const auto second = [](const boost::math::beta_distribution<>& d) {
    return boost::math::variance(d) + boost::math::mean(d) * boost::math::mean(d);
  };
  const double sd = std::sqrt(w_prior * second(prior) + w_post * second(post) - mean * mean);
  // Each run weighs 1 - e with probability BB(k), e otherwise.
  std::array<double, 5> m{};
  for (int r = 1; r <= 4; ++r)
    m[static_cast<std::size_t>(r)] = std::pow(1 - e, r) * pk + std::pow(e, r) * (1 - pk);
  const auto [expected_ess, se_ess] = kish(kRuns, m);
  EXPECT_NEAR(acc.mass().ess, expected_ess, 4 * se_ess);
  std::printf("soft: ESS %.1f, closed form %.1f +- %.1f\n", acc.mass().ess, expected_ess, se_ess);
  expect_posterior(
      acc, cfg.inputs[0].prior,
      [&](double x) {
        return w_prior * boost::math::cdf(prior, x) + w_post * boost::math::cdf(post, x);
      },
      mean, sd);
}

// p itself (the state `rate`) observed with error on the logit scale: the weight is the
// Gaussian kernel exp(-z^2 / 2), z = (logit p - logit v) / sd, and the posterior is the prior
// times that kernel, normalised by quadrature (Gauss-Kronrod).
TEST(Coin, StateEvidenceGivesThePriorTimesTheKernel) {
  Config cfg = coin();
  Evidence obs;
  obs.kind = EvidenceKind::kState;
  obs.name = "rate";
  obs.state = 0;
  obs.quarter = 5;
  obs.value = 0.7;
  obs.sd = 0.4;
  cfg.evidence = {obs};
  const auto acc = test::run_range(cfg, 0, kRuns);
  const boost::math::beta_distribution<> prior(kA, kB);
  const auto kernel = [&](double p) {
    const double z = (std::log(p / (1 - p)) - std::log(obs.value / (1 - obs.value))) / obs.sd;
    return std::exp(-0.5 * z * z);
  };
  using Quad = boost::math::quadrature::gauss_kronrod<double, 61>;
  const auto integral = [&](const std::function<double(double)>& f, double hi = 1.0) {
    return Quad::integrate([&](double p) { return boost::math::pdf(prior, p) * f(p); }, 0.0, hi, 15,
                           1e-12);
  };
  const double z = integral(kernel);
  const double mean = integral([&](double p) { return p * kernel(p); }) / z;
  const double sd =
      std::sqrt(integral([&](double p) { return p * p * kernel(p); }) / z - mean * mean);
  std::array<double, 5> m{};
  for (int r = 1; r <= 4; ++r)
    m[static_cast<std::size_t>(r)] = integral([&](double p) { return std::pow(kernel(p), r); });
  const auto [expected_ess, se_ess] = kish(kRuns, m);
  EXPECT_NEAR(acc.mass().ess, expected_ess, 4 * se_ess);
  std::printf("state: ESS %.1f, closed form %.1f +- %.1f\n", acc.mass().ess, expected_ess, se_ess);
  expect_posterior(
      acc, cfg.inputs[0].prior,
      [&](double x) { return integral(kernel, std::clamp(x, 0.0, 1.0)) / z; }, mean, sd);
}

// The summaries over the same weights: the fan chart of `rate` (p itself) is the posterior of p,
// the timing of the first success follows from the count alone (given k successes in n
// quarters, their positions are a uniform draw of k of the n), and the late successes' quantiles
// are the Beta-binomial predictive's.
TEST(Coin, SummariesFollowTheEvidence) {
  Config cfg = coin();
  const int k = 3, n = kHistory;
  cfg.evidence = {successes(k, n, 0.0)};
  const auto acc = test::run_range(cfg, 0, kRuns);
  const double ess = acc.mass().ess;
  // Path sums round each level to 2^-32, input sums truncate it: equal to 1e-9.
  for (int t : {0, n - 1, n, kQuarters - 1})
    EXPECT_NEAR(path_mean(acc, 0, 0, t), test::posterior_mean(acc, 0), 1e-9) << t;
  const boost::math::beta_distribution<> post(kA + k, kB + n - k);
  for (double q : {0.05, 0.5, 0.95}) {
    const double x = boost::math::quantile(post, q);
    const double se = std::sqrt(q * (1 - q) / ess) / boost::math::pdf(post, x);
    EXPECT_NEAR(path_quantile(acc, 0, 0, kQuarters - 1, q), x, 4 * se + 1.0 / cfg.path_bins) << q;
  }
  const auto choose = [](int a, int b) {
    return b > a ? 0.0
                 : boost::math::binomial_coefficient<double>(static_cast<unsigned>(a),
                                                             static_cast<unsigned>(b));
  };
  for (int t = 0; t < kQuarters; ++t) {
    const double p = t >= n - 1 ? 1.0 : 1.0 - choose(n - t - 1, k) / choose(n, k);
    if (p == 1.0) {
      EXPECT_DOUBLE_EQ(event_probability(cfg, acc, 0, 0, t), 1.0) << t;
    } else {
      EXPECT_NEAR(event_probability(cfg, acc, 0, 0, t), p, 4 * std::sqrt(p * (1 - p) / ess)) << t;
    }
  }
  // Late successes: Beta-binomial(8, a + k, b + n - k). The summary's quantile v of an integer
  // outcome is exact, so F(v - 1) <= q <= F(v) up to the sampling error of F.
  const Summary sum = summarize(cfg, acc);
  const int left = kQuarters - kHistory;
  std::vector<double> cdf(static_cast<std::size_t>(left) + 1);
  double c = 0;
  for (int v = 0; v <= left; ++v)
    cdf[static_cast<std::size_t>(v)] = c += choose(left, v) *
                                            boost::math::beta(kA + k + v, kB + n - k + left - v) /
                                            boost::math::beta(kA + k, kB + n - k);
  for (std::size_t qi = 0; qi < stats::kQuantiles.size(); ++qi) {
    const double q = stats::kQuantiles[qi];
    const auto v = static_cast<int>(  // strategy 0's row: [outcome][quantile]
        sum.quantiles[static_cast<std::size_t>(kLate) * stats::kQuantiles.size() + qi]);
    const double tol = 4 * std::sqrt(q * (1 - q) / ess);
    EXPECT_GE(cdf[static_cast<std::size_t>(v)], q - tol) << q;
    if (v > 0) {
      EXPECT_LE(cdf[static_cast<std::size_t>(v - 1)], q + tol) << q;
    }
  }
}

// Many observations of a state: p observed with error (sd 0.3) at each of the first n quarters
// (n = 40 is 5 states observed for 8 quarters), around a true p of 0.3. The posterior is the
// prior times n kernels (quadrature). Even the best-fitting run's likelihood is about
// exp(-chi2(n - 1) / 2), whatever the number of runs: e^-15 here for n = 40 and e^-40 for n = 80,
// where an absolute multiplicity round(w 2^24) would be 0 for every run. The weights are relative
// to the pilot runs' best likelihood (evidence_log_offset), so the ESS is that of exact weights.
void expect_many_observations(int n) {
  std::string text = test::read_file(test::source_path("configs/coin.toml"));
  const std::string horizon = std::to_string(n + 1), decision = std::to_string(n);
  for (auto [from, to] :
       {std::pair<std::string, std::string>{"quarters = 16", "quarters = " + horizon},
        {"switch_quarter = 16", "switch_quarter = " + decision},
        {"decision_quarter = \"2027Q1\"", "decision_quarter = " + decision}})
    text.replace(text.find(from), from.size(), to);
  Config cfg = parse_config(text, "coin-many.toml");
  const double truth = std::log(0.3 / 0.7), sd = 0.3;
  const auto key = rng::make_key(7);
  rng::Philox philox;
  std::vector<double> logits;
  for (int q = 0; q < n; ++q) {
    const auto w =
        philox(rng::make_counter(0, rng::Purpose::kShocks, static_cast<std::uint32_t>(q)), key);
    double z0, z1;
    rng::box_muller(w[0], w[1], z0, z1);
    logits.push_back(truth + sd * z0);
    Evidence e;
    e.kind = EvidenceKind::kState;
    e.name = "rate";
    e.state = 0;
    e.quarter = q;
    e.value = 1 / (1 + std::exp(-logits.back()));
    e.sd = sd;
    cfg.evidence.push_back(e);
  }
  const auto acc = test::run_range(cfg, 0, 1 << 16);
  const boost::math::beta_distribution<> prior(kA, kB);
  const auto loglik = [&](double p) {
    double l = 0;
    for (double v : logits) l -= 0.5 * std::pow((std::log(p / (1 - p)) - v) / sd, 2);
    return l;
  };
  using Quad = boost::math::quadrature::gauss_kronrod<double, 61>;
  const auto integral = [&](const std::function<double(double)>& f) {
    return Quad::integrate([&](double p) { return boost::math::pdf(prior, p) * f(p); }, 0.0, 1.0,
                           15, 1e-12);
  };
  const double centre = std::accumulate(logits.begin(), logits.end(), 0.0) / n;
  const double peak = loglik(1 / (1 + std::exp(-centre)));  // the best p's log-likelihood
  const auto kernel = [&](double p) { return std::exp(loglik(p) - peak); };
  const double z = integral(kernel);
  const double mean = integral([&](double p) { return p * kernel(p); }) / z;
  const double post_sd =
      std::sqrt(integral([&](double p) { return p * p * kernel(p); }) / z - mean * mean);
  // Kish's ESS that exact weights would give: N (E w)^2 / E w^2 (any scale of w cancels).
  const double exact_ess =
      65536.0 * z * z / integral([&](double p) { return kernel(p) * kernel(p); });
  std::printf(
      "%d observations: best log-likelihood %.1f; posterior mean %.4f sd %.4f; ESS %.1f (exact "
      "weights: %.1f)\n",
      n, peak, mean, post_sd, acc.mass().ess, exact_ess);
  ASSERT_GT(acc.mass().n, 0u) << "every run's weight rounded to 0";
  EXPECT_NEAR(acc.mass().ess, exact_ess, 0.1 * exact_ess);
  EXPECT_NEAR(test::posterior_mean(acc, 0), mean, 4 * post_sd / std::sqrt(acc.mass().ess));
}

TEST(Coin, FortyStateObservationsGiveThePosterior) { expect_many_observations(40); }

// With absolute likelihoods every multiplicity rounded to 0 here (e^-40 < 2^-24): the weights are
// relative to the pilot runs' best likelihood (evidence_log_offset).
TEST(Coin, EightyStateObservationsGiveThePosterior) { expect_many_observations(80); }

}  // namespace
}  // namespace wedge
