// The summary tables against a direct computation over the same runs' outcomes: exact where the
// statistic is a count, to the fixed-point resolution (2^-32 per value) for means, and within
// one histogram bin for quantiles of continuous quantities.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "test_util.hpp"
#include "wedge/analyses/summary.hpp"
#include "wedge/core/sampling.hpp"

namespace wedge {
namespace {

using Values = std::vector<double>;

double mean_of(const Values& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}
double sd_of(const Values& v) {
  const double m = mean_of(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}
//! The smallest observed value with at least a share q of the values at or below it.
double empirical_quantile(Values v, double q) {
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::max<std::size_t>(k, 1) - 1];
}

// Runs [37, 3037) of the baseline (partial blocks at both ends), summarised and simulated.
class SummaryTest : public ::testing::Test {
 protected:
  static constexpr std::uint64_t kFirst = 37, kN = 3000;
  static void SetUpTestSuite() {
    cfg_ = new Config(test::baseline());
    cfg_->batch_size = 512;
    acc_ = new stats::Accumulators(test::run_range(*cfg_, kFirst, kFirst + kN));
    outs_ = new Outs(test::simulate(*cfg_, kFirst, kN));
    sum_ = new Summary(summarize(*cfg_, *acc_));
  }
  static void TearDownTestSuite() {
    delete sum_;
    delete outs_;
    delete acc_;
    delete cfg_;
  }
  const Values& x(int s, int o) const {
    return (*outs_)[static_cast<std::size_t>(s)][static_cast<std::size_t>(o)];
  }
  int strategy(const std::string& name) const {
    for (int s = 0; s < cfg_->num_strategies(); ++s)
      if (cfg_->strategies[static_cast<std::size_t>(s)].name == name) return s;
    return -1;
  }
  using Outs = std::vector<std::vector<Values>>;
  static Config* cfg_;
  static stats::Accumulators* acc_;
  static Outs* outs_;
  static Summary* sum_;
};
Config* SummaryTest::cfg_ = nullptr;
stats::Accumulators* SummaryTest::acc_ = nullptr;
SummaryTest::Outs* SummaryTest::outs_ = nullptr;
Summary* SummaryTest::sum_ = nullptr;

TEST_F(SummaryTest, NamesAndShape) {
  const Summary& r = *sum_;
  EXPECT_EQ(r.runs, kN);
  ASSERT_EQ(r.S, cfg_->num_strategies());
  EXPECT_EQ(r.O, kNumOutcomes);
  EXPECT_EQ(r.strategies[1], cfg_->strategies[1].name);
  EXPECT_EQ(r.outcomes[kUsPayoff], "us_payoff");
  ASSERT_EQ(r.pairs.size(), r.pair_first.size());
  for (std::size_t p = 0; p < r.pairs.size(); ++p)
    EXPECT_EQ(r.pairs[p], r.pair_first[p] + " - " + r.pair_second[p]);
}

TEST_F(SummaryTest, MomentsAndExtremesMatchTheRuns) {
  const Summary& r = *sum_;
  for (int s = 0; s < r.S; ++s)
    for (int o = 0; o < r.O; ++o) {
      const Values& v = x(s, o);
      const double sd = sd_of(v);
      EXPECT_NEAR(r.at(r.mean, s, o), mean_of(v), 1e-9) << r.outcomes[static_cast<std::size_t>(o)];
      EXPECT_NEAR(r.at(r.sd, s, o), sd, 1e-7 * std::max(1.0, sd));
      EXPECT_NEAR(r.at(r.mcse, s, o), sd / std::sqrt(double{kN}), 1e-9 * std::max(1.0, sd));
      EXPECT_EQ(r.at(r.min, s, o), *std::min_element(v.begin(), v.end()));
      EXPECT_EQ(r.at(r.max, s, o), *std::max_element(v.begin(), v.end()));
    }
}

TEST_F(SummaryTest, WilsonIntervalsOfTheZeroOneOutcomes) {
  const Summary& r = *sum_;
  const double z = 1.959963984540054, n = kN;
  int binary = 0;
  for (int o = 0; o < r.O; ++o) {
    if (kOutcomes[static_cast<std::size_t>(o)].kind != OutcomeKind::kBinary) {
      EXPECT_TRUE(std::isnan(r.at(r.wilson_low, 0, o)));
      continue;
    }
    ++binary;
    for (int s = 0; s < r.S; ++s) {
      const double p = mean_of(x(s, o));
      const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
      const double half = z / (1 + z * z / n) * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
      EXPECT_NEAR(r.at(r.wilson_low, s, o), std::max(0.0, centre - half), 1e-12);
      EXPECT_NEAR(r.at(r.wilson_high, s, o), std::min(1.0, centre + half), 1e-12);
    }
  }
  EXPECT_GT(binary, 3);
}

TEST_F(SummaryTest, QuantilesExactForWholeNumbersWithinABinOtherwise) {
  const Summary& r = *sum_;
  for (int s = 0; s < r.S; ++s)
    for (int o = 0; o < r.O; ++o) {
      const bool whole = kOutcomes[static_cast<std::size_t>(o)].kind != OutcomeKind::kContinuous;
      const Range rg = cfg_->outcomes[static_cast<std::size_t>(o)].range;
      const double width = (rg.hi - rg.lo) / outcome_bins(*cfg_, o);
      for (int q = 0; q < r.Q; ++q) {
        const double got = r.quantiles[static_cast<std::size_t>((s * r.O + o) * r.Q + q)],
                     want = empirical_quantile(x(s, o),
                                               stats::kQuantiles[static_cast<std::size_t>(q)]);
        if (whole)
          EXPECT_EQ(got, want) << r.outcomes[static_cast<std::size_t>(o)] << " q" << q;
        else
          EXPECT_NEAR(got, want, width) << r.outcomes[static_cast<std::size_t>(o)] << " q" << q;
      }
    }
}

TEST_F(SummaryTest, PairedDifferencesMatchTheRuns) {
  const Summary& r = *sum_;
  ASSERT_FALSE(r.pairs.empty());
  for (std::size_t p = 0; p < r.pairs.size(); ++p) {
    const int a = strategy(r.pair_first[p]), b = strategy(r.pair_second[p]);
    for (int o = 0; o < r.O; ++o) {
      Values d;
      for (std::size_t i = 0; i < kN; ++i) d.push_back(x(a, o)[i] - x(b, o)[i]);
      const std::size_t i = p * static_cast<std::size_t>(r.O) + static_cast<std::size_t>(o);
      const double se = sd_of(d) / std::sqrt(double{kN});
      EXPECT_NEAR(r.diff_mean[i], mean_of(d), 1e-9) << r.pairs[p] << " " << o;
      EXPECT_NEAR(r.diff_se[i], se, 1e-7 * std::max(1.0, se)) << r.pairs[p] << " " << o;
    }
  }
}

TEST_F(SummaryTest, BestShareRegretAndSatisficingMatchTheRuns) {
  const Summary& r = *sum_;
  const Range pr = cfg_->outcomes[kUsPayoff].range;
  const double width = (pr.hi - pr.lo) / cfg_->histogram_bins;
  std::vector<std::uint64_t> best(static_cast<std::size_t>(r.S), 0);
  std::vector<Values> regret(static_cast<std::size_t>(r.S));
  for (std::size_t i = 0; i < kN; ++i) {
    int b = 0;  // ties go to the first strategy
    for (int s = 1; s < r.S; ++s)
      if (x(s, kUsPayoff)[i] > x(b, kUsPayoff)[i]) b = s;
    ++best[static_cast<std::size_t>(b)];
    for (int s = 0; s < r.S; ++s)
      regret[static_cast<std::size_t>(s)].push_back(x(b, kUsPayoff)[i] - x(s, kUsPayoff)[i]);
  }
  for (int s = 0; s < r.S; ++s) {
    const auto us = static_cast<std::size_t>(s);
    EXPECT_EQ(r.best_share[us], static_cast<double>(best[us]) / kN);
    EXPECT_NEAR(r.regret_mean[us], mean_of(regret[us]), 1e-9);
    EXPECT_NEAR(r.regret_p90[us], empirical_quantile(regret[us], 0.9), width);
    for (std::size_t c = 0; c < r.criteria.size(); ++c) {
      std::uint64_t met = 0;
      for (std::size_t i = 0; i < kN; ++i) {
        bool ok = true;
        for (const auto& cond : cfg_->satisficing[c].conditions) {
          const double v = x(s, cond.outcome)[i];
          ok = ok && v >= cond.min && v <= cond.max;
        }
        met += ok ? 1 : 0;
      }
      EXPECT_EQ(r.satisficing[us * r.criteria.size() + c], static_cast<double>(met) / kN);
    }
  }
  EXPECT_EQ(r.criteria.size(), cfg_->satisficing.size());
}

TEST_F(SummaryTest, EventProbabilitiesCountTheEventQuarters) {
  const int quarter_of[kNumEvents] = {kFirstHybridQuarter, kMilitaryQuarter, kCeasefireQuarter};
  for (int s = 0; s < cfg_->num_strategies(); ++s)
    for (int e = 0; e < kNumEvents; ++e)
      for (int t : {0, 5, 17, cfg_->quarters - 1}) {
        std::uint64_t by_t = 0;  // -1: never
        for (double q : x(s, quarter_of[e])) by_t += q >= 0 && q <= t ? 1 : 0;
        EXPECT_EQ(event_probability(*cfg_, *acc_, s, e, t), static_cast<double>(by_t) / kN)
            << "strategy " << s << " event " << e << " quarter " << t;
      }
}

TEST_F(SummaryTest, TheSummaryTablePrintsTheProbabilities) {
  std::ostringstream os;
  print_summary(os, *sum_);
  const std::string text = os.str();
  EXPECT_NE(text.find(std::to_string(kN) + " runs x 3 strategies"), std::string::npos) << text;
  std::istringstream lines(text);
  std::string line, split_row;
  while (std::getline(lines, line))
    if (line.rfind("P(Sino-Russian split)", 0) == 0) split_row = line;
  ASSERT_FALSE(split_row.empty()) << text;
  for (int s = 0; s < sum_->S; ++s) {
    char cell[32];
    std::snprintf(cell, sizeof cell, "%.3f [", mean_of(x(s, kSplit)));
    EXPECT_NE(split_row.find(cell), std::string::npos) << split_row << " lacks " << cell;
  }
}

TEST(Summary, NoRunsGiveNoNumbers) {
  Config cfg = test::baseline();
  const stats::Accumulators empty(cfg);
  const Summary r = summarize(cfg, empty);
  EXPECT_EQ(r.runs, 0u);
  EXPECT_TRUE(std::isnan(r.at(r.mean, 0, kUsPayoff)));
  EXPECT_TRUE(std::isnan(r.at(r.wilson_low, 0, kSplit)));
  EXPECT_TRUE(std::isnan(r.best_share[0]));
  EXPECT_TRUE(std::isnan(r.quantiles[0]));
  EXPECT_TRUE(std::isnan(event_probability(cfg, empty, 0, 0, 3)));
  EXPECT_TRUE(std::isnan(decile_mean(empty, 0, 0, 0, kSplit)));
}

}  // namespace
}  // namespace wedge
