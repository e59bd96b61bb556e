// The weighted statistics (core/stats_weighted.cpp): runs weighted by evidence against a direct
// computation from the same runs' outcomes, and against the unweighted statistics when every
// weight is 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "test_util.hpp"
#include "wedge/analyses/summary.hpp"
#include "wedge/core/sampling.hpp"
#include "wedge/core/stats.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/models/triangle_vocabulary.hpp"

namespace wedge {
namespace {

using namespace triangle;

// The baseline with a history of `quarters` quarters under its first strategy.
Config with_history(int quarters) {
  Config cfg = test::baseline();
  cfg.history = cfg.strategies[0];
  cfg.decision_quarter = quarters;
  cfg.batch_size = 512;
  return cfg;
}

// A state observed with an infinite error: every run's weight is exactly 1.
Evidence uninformative() {
  Evidence e;
  e.kind = EvidenceKind::kState;
  e.name = "flat";
  e.state = 0;
  e.quarter = 3;
  e.value = 0.5;
  e.sd = 1e300;
  return e;
}

// Military action by the end of quarter `q` (soft, wrong with probability `error`).
Evidence military_by(int q, bool happened, double error) {
  Evidence e;
  e.kind = EvidenceKind::kEventBy;
  e.name = "military";
  e.event = kMilitary;
  e.quarter = q;
  e.happened = happened;
  e.error = error;
  return e;
}

TEST(WeightedStats, WeightOneEverywhereGivesTheUnweightedStatistics) {
  Config plain = with_history(6);
  Config flat = plain;
  flat.evidence = {uninformative()};
  const std::uint64_t first = 37, end = 37 + 3000;  // partial blocks at both ends
  const auto a = test::run_range(plain, first, end), b = test::run_range(flat, first, end);
  ASSERT_TRUE(b.layout().weighted);
  EXPECT_EQ(b.mass().n, std::uint64_t{3000} * kWeightOne);
  EXPECT_DOUBLE_EQ(b.mass().ess, 3000.0);
  const Summary sa = summarize(plain, a), sb = summarize(flat, b);
  for (std::size_t i = 0; i < sa.mean.size(); ++i) {
    EXPECT_DOUBLE_EQ(sa.mean[i], sb.mean[i]) << i;
    EXPECT_NEAR(sa.mcse[i], sb.mcse[i], 1e-12 * (1 + sa.mcse[i])) << i;
    EXPECT_EQ(sa.min[i], sb.min[i]) << i;
    EXPECT_EQ(sa.max[i], sb.max[i]) << i;
  }
  for (std::size_t i = 0; i < sa.quantiles.size(); ++i)
    EXPECT_DOUBLE_EQ(sa.quantiles[i], sb.quantiles[i]) << i;
  for (std::size_t i = 0; i < sa.diff_mean.size(); ++i)
    EXPECT_DOUBLE_EQ(sa.diff_mean[i], sb.diff_mean[i]) << i;
  EXPECT_EQ(sa.best_share, sb.best_share);
  EXPECT_EQ(sa.regret_p90, sb.regret_p90);
  for (int s = 0; s < plain.num_strategies(); ++s)
    for (int t : {0, 5, 20, 39}) {
      EXPECT_DOUBLE_EQ(path_mean(a, s, kCohesion, t), path_mean(b, s, kCohesion, t));
      EXPECT_DOUBLE_EQ(path_quantile(a, s, kUkraine, t, 0.25),
                       path_quantile(b, s, kUkraine, t, 0.25));
    }
  for (int d = 0; d < kDeciles; ++d)
    EXPECT_DOUBLE_EQ(decile_mean(a, 1, kVolatility, d, kUsPayoff),
                     decile_mean(b, 1, kVolatility, d, kUsPayoff));
}

// Fan-chart sums and counts over enough runs that the weighted tally's 64-bit lane sums wrap many
// times (their carry words: PathCounts) and its counts pass 32 bits: with every weight 1 each
// must be exactly kWeightOne times the unweighted one, of every path, bin and group.
TEST(WeightedStats, WeightOneFanChartsAreTheUnweightedTimesTheUnitWeightPastEveryWrap) {
  Config plain = with_history(6);
  plain.path_sample = 1;  // every run in the path histograms
  plain.path_bins = 10;   // few bins: each gets far more than 2^8 full weights
  plain.batch_size = 1 << 20;
  Config flat = plain;
  flat.evidence = {uninformative()};
  const std::uint64_t n = 40000;
  const auto a = test::run_range(plain, 0, n), b = test::run_range(flat, 0, n);
  const stats::Layout& L = a.layout();
  ASSERT_GT(L.G, 0);  // the baseline's fallbacks: switched runs' charts too
  using stats::i128;
  const i128 one = kWeightOne;
  std::uint64_t most = 0;  // the fullest weighted bin
  for (auto [sum, hist, rows] :
       {std::tuple{stats::Seg::kPathSum, stats::Seg::kPathHist, L.F},
        {stats::Seg::kSwitchedPathSum, stats::Seg::kSwitchedPathHist, L.G}}) {
    const auto paths = static_cast<std::size_t>(rows * L.K * L.T);
    bool wrapped = false;
    for (std::size_t i = 0; i < paths; ++i) {
      ASSERT_TRUE(b.sum(sum, i) == a.sum(sum, i) * one) << i;
      wrapped = wrapped || b.sum(sum, i) >= (i128{1} << 67);
      for (std::size_t k = 0; k < static_cast<std::size_t>(L.path_bins); ++k) {
        const std::size_t j = i * static_cast<std::size_t>(L.path_bins) + k;
        ASSERT_EQ(b.count(hist, j), a.count(hist, j) * kWeightOne) << i << " " << k;
        most = std::max(most, b.count(hist, j));
      }
    }
    EXPECT_TRUE(wrapped);  // a sum of 8 lanes past 2^67: some lane's 64-bit word wrapped
  }
  EXPECT_GT(most, std::uint64_t{1} << 34);  // far past what 32 bits hold
}

// Soft evidence on the history's military action: each run's weight follows from its own
// military-action quarter, so every weighted mean can be computed directly from the outcomes.
TEST(WeightedStats, MeansAndSharesMatchADirectComputation) {
  Config cfg = with_history(8);
  cfg.evidence = {military_by(7, true, 0.2)};
  const std::uint64_t first = 5, n = 4000;
  const auto acc = test::run_range(cfg, first, first + n);
  const auto outs = test::simulate(cfg, first, n);
  const Summary s = summarize(cfg, acc);
  std::vector<double> w(n);
  double sw = 0, sw2 = 0;
  for (std::size_t r = 0; r < n; ++r) {
    const double q = outs[0][kMilitaryQuarter][r];
    const bool happened = q >= 0 && q <= 7;
    w[r] = std::round((happened ? 0.8 : 0.2) * kWeightScale) / kWeightScale;
    sw += w[r], sw2 += w[r] * w[r];
  }
  EXPECT_NEAR(acc.mass().ess, sw * sw / sw2, 1e-9 * n);
  EXPECT_EQ(acc.runs(), n);
  for (int st = 0; st < cfg.num_strategies(); ++st) {
    for (int o : {kUsPayoff, kSplit, kMilitaryAction, kCohesionFinal}) {
      double sum = 0;
      for (std::size_t r = 0; r < n; ++r) sum += w[r] * outs[static_cast<std::size_t>(st)][o][r];
      EXPECT_NEAR(s.at(s.mean, st, o), sum / sw, 1e-8) << st << " " << o;
    }
    // Best share: the weighted share of runs in which the strategy has the highest payoff.
    double best = 0;
    for (std::size_t r = 0; r < n; ++r) {
      int b = 0;
      for (int k = 1; k < cfg.num_strategies(); ++k)
        if (outs[static_cast<std::size_t>(k)][kUsPayoff][r] >
            outs[static_cast<std::size_t>(b)][kUsPayoff][r])
          b = k;
      if (b == st) best += w[r];
    }
    EXPECT_NEAR(s.best_share[static_cast<std::size_t>(st)], best / sw, 1e-12);
  }
  // The evidence moved the forecast: military action is more likely after it than before.
  const double before =
      static_cast<double>(
          acc.sum(stats::Seg::kPriorOutcomeSum, acc.layout().outcome_index(0, kMilitaryAction))) /
      stats::kScale / static_cast<double>(n);
  double direct_before = 0, by7 = 0;
  for (std::size_t r = 0; r < n; ++r)
    direct_before += outs[0][kMilitaryAction][r], by7 += w[r] > 0.5 ? 1 : 0;
  EXPECT_DOUBLE_EQ(before, direct_before / n);
  EXPECT_GT(by7, 10);  // the evidence concerns enough runs to matter
  EXPECT_GT(s.at(s.mean, 0, kMilitaryAction), 1.4 * before);
}

// The inputs' prior and posterior in prior-CDF space: each run's bin among its prior's
// percentiles (a plain search here) and weighted sums, against the same runs' draws.
TEST(WeightedStats, InputHistogramsMatchADirectComputation) {
  Config cfg = with_history(8);
  cfg.evidence = {military_by(7, true, 0.2)};
  const std::uint64_t first = 100, n = 3000;
  const auto acc = test::run_range(cfg, first, first + n);
  const auto outs = test::simulate(cfg, first, n);
  ParameterSampler sampler(cfg);
  std::vector<double> x;
  std::vector<std::uint8_t> d;
  const stats::Layout& L = acc.layout();
  for (int p = 0; p < cfg.num_inputs(); ++p) {
    std::vector<double> edges;
    for (int b = 1; b < stats::kInputBins; ++b)
      edges.push_back(prior_quantile(cfg.inputs[static_cast<std::size_t>(p)].prior, b / 100.0));
    std::vector<std::uint64_t> prior(stats::kInputBins), post(stats::kInputBins);
    double sum = 0, wsum = 0, mass = 0;
    for (std::uint64_t r = first; r < first + n; ++r) {
      sampler.sample(r, x, d);
      const double q = outs[0][kMilitaryQuarter][r - first];
      const auto m =
          static_cast<std::uint64_t>(std::round((q >= 0 && q <= 7 ? 0.8 : 0.2) * kWeightScale));
      const auto bin =
          std::upper_bound(edges.begin(), edges.end(), x[static_cast<std::size_t>(p)]) -
          edges.begin();
      ++prior[static_cast<std::size_t>(bin)];
      post[static_cast<std::size_t>(bin)] += m;
      sum += x[static_cast<std::size_t>(p)];
      wsum += static_cast<double>(m) * x[static_cast<std::size_t>(p)];
      mass += static_cast<double>(m);
    }
    for (int b = 0; b < stats::kInputBins; ++b) {
      EXPECT_EQ(acc.count(stats::Seg::kInputHist, L.input_hist_index(0, p, b)),
                prior[static_cast<std::size_t>(b)])
          << p << " " << b;
      EXPECT_EQ(acc.count(stats::Seg::kInputHist, L.input_hist_index(1, p, b)),
                post[static_cast<std::size_t>(b)])
          << p << " " << b;
    }
    const auto mean = [&](int side, double total) {
      return static_cast<double>(acc.sum(stats::Seg::kInputSum, L.input_sum_index(side, p))) /
             stats::kScale / total;
    };
    EXPECT_NEAR(mean(0, static_cast<double>(n)), sum / static_cast<double>(n), 1e-9);
    EXPECT_NEAR(mean(1, mass), wsum / mass, 1e-9);
  }
}

TEST(WeightedStats, MergingPartsGivesTheWholeBitwise) {
  Config cfg = with_history(8);
  cfg.evidence = {military_by(7, false, 0.1), uninformative()};
  cfg.evidence[1].sd = 0.8;
  const auto whole = test::run_range(cfg, 0, 2500);
  stats::Accumulators merged(cfg);
  for (auto [lo, hi] : {std::pair<std::uint64_t, std::uint64_t>{1300, 2500}, {0, 700}, {700, 1300}})
    merged.merge(test::run_range(cfg, lo, hi));
  EXPECT_EQ(merged.words(), whole.words());
}

}  // namespace
}  // namespace wedge

namespace wedge {
namespace {

// Outcomes beyond 2^11 in magnitude take the weighted sums' 128-bit path (the fast path
// splits the multiplicity and needs values below 2^43 units): fed to a Tally directly, with
// weights from a soft count of the coin model's event, against the sums computed by hand.
TEST(WeightedStats, LargeOutcomesTakeTheExactWidePath) {
  Config cfg = parse_config(test::read_file(test::source_path("configs/coin.toml")), "coin.toml");
  Evidence e;
  e.kind = EvidenceKind::kEventCount;
  e.name = "two";
  e.event = 0;
  e.from_quarter = 0;
  e.quarter = 3;
  e.count = 2;
  e.error = 0.3;
  cfg.evidence = {e};
  const int big = 0;  // an outcome given large values of both signs (its squares stay < 2^31)
  cfg.outcomes[static_cast<std::size_t>(big)].range = {-6000.0, 6000.0};
  stats::Tally tally(cfg);
  tally.begin_block(0, kBlock);
  std::vector<double> levels(static_cast<std::size_t>(cfg.num_states()) * kBlock, 0.5);
  std::vector<double> counts(kBlock);
  for (int t = 0; t < cfg.decision_quarter; ++t) {
    for (int j = 0; j < kBlock; ++j) counts[static_cast<std::size_t>(j)] = j % 3 == 0 ? 2 : 1;
    tally.history(t, levels.data(), counts.data());
  }
  std::vector<BlockOutcomes> out(static_cast<std::size_t>(cfg.num_strategies()));
  for (auto& o : out) {
    o.resize(cfg.num_outcomes());
    for (int k = 0; k < cfg.num_outcomes(); ++k)
      for (int j = 0; j < kBlock; ++j) o[k][j] = cfg.outcomes[static_cast<std::size_t>(k)].range.hi;
  }
  for (int j = 0; j < kBlock; ++j) out[0][big][j] = (j % 2 ? 1 : -1) * (3000.0 + 40.25 * j);
  BlockParams params(cfg.num_inputs());
  for (int j = 0; j < kBlock; ++j) params[0][j] = 0.5;
  BlockDeciles deciles(static_cast<std::size_t>(cfg.num_inputs()));
  for (auto& d : deciles) d.fill(5);
  tally.add_block(out, deciles, &params);
  stats::Accumulators acc(cfg);
  tally.flush_into(acc);
  stats::i128 sum = 0, sumsq = 0;
  std::uint64_t mass = 0;
  for (int j = 0; j < kBlock; ++j) {
    const auto m = static_cast<std::uint64_t>((j % 3 == 0 ? 0.7 : 0.3) * kWeightScale + 0.5);
    const double x = out[0][big][j];
    sum += static_cast<stats::i128>(m) * static_cast<std::int64_t>(x * stats::kScale);
    sumsq += static_cast<stats::i128>(m) * static_cast<std::int64_t>(x * x * stats::kScale);
    mass += m;
  }
  const std::size_t i = acc.layout().outcome_index(0, big);
  EXPECT_EQ(acc.mass().n, mass);
  EXPECT_TRUE(acc.sum(stats::Seg::kOutcomeSum, i) == sum);
  EXPECT_TRUE(acc.sum(stats::Seg::kOutcomeSumsq, i) == sumsq);
}

}  // namespace
}  // namespace wedge
