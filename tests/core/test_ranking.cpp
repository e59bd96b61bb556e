// The settled-ranking stopping rule (--target-se settled:max:OUTCOME=CONFIDENCE) on hand-built
// accumulators, whose paired z statistics are computed here directly from the runs.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <random>

#include "test_util.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/ranking.hpp"
#include "wedge/core/runner.hpp"

namespace wedge {
namespace {

using Runs = std::vector<std::vector<double>>;  // [strategy][run] of us_payoff

stats::i128 fixed(double v) { return static_cast<stats::i128>(std::trunc(v * stats::kScale)); }

//! The statistics of `x` (us_payoff of each strategy and run), summed as the Tally sums them.
stats::Accumulators from_runs(const Config& cfg, const Runs& x) {
  stats::Accumulators acc(cfg);
  const stats::Layout& L = acc.layout();
  acc.words()[L.offset(stats::Seg::kRuns)] = x[0].size();
  for (int s = 0; s < L.S; ++s)
    for (double v : x[static_cast<std::size_t>(s)]) {
      acc.add_sum(stats::Seg::kOutcomeSum, L.outcome_index(s, kUsPayoff), fixed(v));
      acc.add_sum(stats::Seg::kOutcomeSumsq, L.outcome_index(s, kUsPayoff), fixed(v * v));
    }
  for (int p = 0; p < L.pairs; ++p) {
    const auto [a, b] = L.pair_list[static_cast<std::size_t>(p)];
    for (std::size_t j = 0; j < x[0].size(); ++j) {
      const double xa = x[static_cast<std::size_t>(a)][j], xb = x[static_cast<std::size_t>(b)][j];
      acc.add_sum(stats::Seg::kPairSum, L.pair_index(p, kUsPayoff), fixed(xa) - fixed(xb));
      acc.add_sum(stats::Seg::kPairSumsq, L.pair_index(p, kUsPayoff), fixed((xa - xb) * (xa - xb)));
    }
  }
  return acc;
}

// Mean and standard error of a sample, directly.
struct Sample {
  double mean, se;
};
Sample sample(const std::vector<double>& v) {
  double m = 0, ss = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  for (double x : v) ss += (x - m) * (x - m);
  const auto n = static_cast<double>(v.size());
  return {m, std::sqrt(ss / (n - 1) / n)};
}
std::vector<double> minus(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d(a.size());
  for (std::size_t j = 0; j < a.size(); ++j) d[j] = a[j] - b[j];
  return d;
}

//! Three strategies on common random numbers: each run's common part, plus a strategy's shift
//! and noise of its own.
Runs three_strategies(std::size_t n, double shift1, double shift2, double noise2 = 0.05) {
  std::mt19937_64 rng(12);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Runs x(3, std::vector<double>(n));
  for (std::size_t j = 0; j < n; ++j) {
    const double common = u(rng);
    x[0][j] = common + 0.05 * u(rng);
    x[1][j] = common + shift1 + 0.05 * u(rng);
    x[2][j] = common + shift2 + noise2 * u(rng);
  }
  return x;
}

TargetSe settled(const Config& cfg, const std::string& criterion, double confidence) {
  std::vector<TargetSe> t = {{"settled:" + criterion, -1, confidence}};
  resolve_targets(cfg, t);
  return t[0];
}

double phi_inv(double p) { return boost::math::quantile(boost::math::normal(), p); }

TEST(Ranking, StopsExactlyWhenThePairedLeadReachesTheConfidence) {
  const Config cfg = test::baseline();  // three strategies, every pair compared
  const Runs x = three_strategies(400, 0.003, -0.05);
  const auto acc = from_runs(cfg, x);
  const Sample d = sample(minus(x[1], x[0]));  // the best (1) against the second (0)
  const RankingCheck r =
      check_ranking(cfg, acc, target_criterion(cfg, settled(cfg, "max:us_payoff", 0.9)), 0.9);
  EXPECT_EQ(r.best, 1);
  EXPECT_EQ(r.rival, 0);  // 2 is further behind
  EXPECT_TRUE(r.exact);
  EXPECT_NEAR(r.z, d.mean / d.se, 1e-6 * r.z);
  EXPECT_NEAR(r.threshold, phi_inv(1 - 0.1 / 2), 1e-12);  // Bonferroni over the two rivals
  // The confidence at which this lead is exactly enough: above it not settled, below it is.
  const double edge = 1 - 2 * (1 - boost::math::cdf(boost::math::normal(), d.mean / d.se));
  ASSERT_GT(edge, 0.6);
  ASSERT_LT(edge, 0.999);
  EXPECT_TRUE(precision_reached(cfg, acc, {settled(cfg, "max:us_payoff", edge - 1e-4)}));
  EXPECT_FALSE(precision_reached(cfg, acc, {settled(cfg, "max:us_payoff", edge + 1e-4)}));
  // The same runs ranked for the minimum: 2 leads, far ahead of 0.
  const RankingCheck low =
      check_ranking(cfg, acc, target_criterion(cfg, settled(cfg, "min:us_payoff", 0.9)), 0.9);
  const Sample d_low = sample(minus(x[0], x[2]));
  EXPECT_EQ(low.best, 2);
  EXPECT_EQ(low.rival, 0);
  EXPECT_NEAR(low.z, d_low.mean / d_low.se, 1e-6 * low.z);
  EXPECT_TRUE(low.settled());
}

TEST(Ranking, EveryRivalMustBeBehindNotOnlyTheSecond) {
  // Strategy 2 is further behind than 0 on the mean but so noisy that its lead is the smaller
  // in standard errors: it is the rival that decides.
  const Config cfg = test::baseline();
  const Runs x = three_strategies(400, 0.03, 0.0, 1.5);
  const auto acc = from_runs(cfg, x);
  const RankingCheck r = check_ranking(cfg, acc, {kUsPayoff, true, "max:us_payoff"}, 0.9);
  const Sample d0 = sample(minus(x[1], x[0])), d2 = sample(minus(x[1], x[2]));
  ASSERT_GT(d0.mean / d0.se, r.threshold);  // the second alone would settle it
  EXPECT_EQ(r.rival, 2);
  EXPECT_NEAR(r.z, d2.mean / d2.se, 1e-6 * r.z);
  EXPECT_FALSE(r.settled());
}

TEST(Ranking, WithoutThePairABoundThatIsNeverMoreConfident) {
  // Compared against the baseline 0 only: the best (1) and the second (2) have no paired sums.
  Config cfg = test::baseline();
  cfg.baseline = 0;
  const Runs x = three_strategies(400, 0.03, 0.02);
  const auto acc = from_runs(cfg, x);
  ASSERT_EQ(acc.layout().pairs, 2);
  const RankingCheck r = check_ranking(cfg, acc, {kUsPayoff, true, "max:us_payoff"}, 0.9);
  EXPECT_EQ(r.best, 1);
  EXPECT_EQ(r.rival, 2);
  EXPECT_FALSE(r.exact);
  const double lead = sample(x[1]).mean - sample(x[2]).mean;
  const double via_base = sample(minus(x[1], x[0])).se + sample(minus(x[2], x[0])).se;
  const double direct = sample(x[1]).se + sample(x[2]).se;
  ASSERT_LT(via_base, direct);  // common random numbers: the differences are the tighter bound
  EXPECT_NEAR(r.z, lead / via_base, 1e-6 * r.z);
  const Sample exact = sample(minus(x[1], x[2]));
  EXPECT_LT(r.z, exact.mean / exact.se);
  // With every pair compared the same runs give the exact, larger z.
  Config all = test::baseline();
  const RankingCheck e = check_ranking(all, from_runs(all, x), {kUsPayoff, true, "max"}, 0.9);
  EXPECT_TRUE(e.exact);
  EXPECT_NEAR(e.z, exact.mean / exact.se, 1e-6 * e.z);
}

TEST(Ranking, TiesAndTooFewRunsNeverSettle) {
  const Config cfg = test::baseline();
  Runs x = three_strategies(50, 0.0, -0.5);
  x[1] = x[0];  // 0 and 1 equal in every run: a lead of 0 over a standard error of 0
  const RankingCheck tie = check_ranking(cfg, from_runs(cfg, x), {kUsPayoff, true, "m"}, 0.51);
  EXPECT_EQ(tie.best, 0);
  EXPECT_FALSE(tie.settled());
  const Runs one = three_strategies(1, 1.0, -1.0);
  const RankingCheck r = check_ranking(cfg, from_runs(cfg, one), {kUsPayoff, true, "m"}, 0.51);
  EXPECT_TRUE(std::isnan(r.z));
  EXPECT_FALSE(r.settled());
  // A constant lead in every run is certain: its paired standard error is 0.
  Runs sure = three_strategies(50, 0.0, -0.5);
  for (std::size_t j = 0; j < sure[1].size(); ++j) sure[1][j] = sure[0][j] + 0.25;
  EXPECT_TRUE(check_ranking(cfg, from_runs(cfg, sure), {kUsPayoff, true, "m"}, 0.999).settled());
}

TEST(Ranking, BadTargetsAreRefusedNamingTargetSe) {
  const Config cfg = test::baseline();
  for (const auto& [item, value, message] :
       {std::tuple{"settled:max:us_payof", 0.9, "\"us_payof\" names no outcome"},
        std::tuple{"settled:us_payoff", 0.9, "expected \"max:OUTCOME\" or \"min:OUTCOME\""},
        std::tuple{"settled:max:us_payoff", 1.0, "strictly between 0.5 and 1"},
        std::tuple{"settled:min:split", 0.5, "strictly between 0.5 and 1"}}) {
    std::vector<TargetSe> t = {{item, -1, value}};
    try {
      resolve_targets(cfg, t);
      ADD_FAILURE() << item << " accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.key(), "--target-se");
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }
  Config one = cfg;
  one.strategies.resize(1);
  std::vector<TargetSe> t = {{"settled:max:us_payoff", -1, 0.9}};
  EXPECT_THROW(resolve_targets(one, t), InputError);
  // Described as given, next to the other targets and in their order.
  std::vector<TargetSe> both = {{"settled:max:us_payoff", -1, 0.950}, {"split", -1, 3e-3}};
  resolve_targets(cfg, both);
  EXPECT_EQ(describe_targets(both), "split=0.003 settled:max:us_payoff=0.95");
}

// The rule on the model itself: whole batches, one batch fewer is not settled, reproducible.
stats::Accumulators run(const Config& cfg, std::uint64_t end, int threads,
                        const std::vector<TargetSe>& targets, RunReport* rep) {
  stats::Accumulators acc(cfg);
  RunOptions opt;
  opt.end_run = end;
  opt.threads = threads;
  opt.target_se = targets;
  *rep = run_study(cfg, opt, acc, MPI_COMM_SELF);
  return acc;
}

TEST(Ranking, AStudyStopsAtTheFirstSettledBatchAndLaterForMoreConfidence) {
  Config cfg = test::baseline();
  cfg.batch_size = 512;
  // P(military action) is close under dual containment and engagement with deterrence.
  const std::vector<TargetSe> t = {settled(cfg, "min:military_action", 0.9)};
  RunReport rep, again;
  const auto acc = run(cfg, 200000, 2, t, &rep);
  ASSERT_TRUE(rep.target_reached);
  EXPECT_GT(rep.next_run, 2048u);
  EXPECT_EQ(rep.next_run % cfg.batch_size, 0u);
  EXPECT_TRUE(precision_reached(cfg, acc, t));
  EXPECT_FALSE(precision_reached(cfg, test::run_range(cfg, 0, rep.next_run - 512), t));
  EXPECT_EQ(run(cfg, 200000, 1, t, &again).words(), acc.words());
  EXPECT_EQ(again.next_run, rep.next_run);
  RunReport sure;
  run(cfg, 200000, 2, {settled(cfg, "min:military_action", 0.99)}, &sure);
  EXPECT_GT(sure.next_run, rep.next_run);
}

}  // namespace
}  // namespace wedge
