#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

#include "test_util.hpp"
#include "wedge/analyses/summary.hpp"
#include "wedge/core/runner.hpp"
#include "wedge/core/sampling.hpp"
#include "wedge/core/stats.hpp"

namespace wedge {
namespace {

using stats::Seg;

// Accumulates runs [lo, hi) single-threaded through the real model into fresh accumulators.
stats::Accumulators tally_range(const Config& cfg, std::uint64_t lo, std::uint64_t hi) {
  return test::run_range(cfg, lo, hi);
}

TEST(Stats, MergingInAnyOrderGivesIdenticalBits) {
  Config cfg = test::baseline();
  cfg.batch_size = 256;
  const std::vector<std::uint64_t> cuts = {0, 100, 700, 1024, 1500, 3000};
  std::vector<stats::Accumulators> parts;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
    parts.push_back(tally_range(cfg, cuts[i], cuts[i + 1]));
  const stats::Accumulators whole = tally_range(cfg, 0, 3000);
  std::vector<std::size_t> order(parts.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937 shuffle(7);
  for (int trial = 0; trial < 4; ++trial) {
    std::shuffle(order.begin(), order.end(), shuffle);
    stats::Accumulators merged(cfg);
    for (auto i : order) merged.merge(parts[i]);
    EXPECT_EQ(merged.words(), whole.words()) << "trial " << trial;
  }
  EXPECT_EQ(whole.runs(), 3000u);
}

TEST(Stats, MomentsOfKnownData) {
  // Values 1..10 entered through fixed-point sums.
  stats::i128 s = 0, s2 = 0;
  for (int v = 1; v <= 10; ++v)
    s += static_cast<std::int64_t>(v * stats::kScale),
        s2 += static_cast<std::int64_t>(v * v * stats::kScale);
  const auto m = stats::moments(10, s, s2, stats::kScale);
  EXPECT_DOUBLE_EQ(m.mean, 5.5);
  EXPECT_NEAR(m.sd, std::sqrt(55.0 / 6.0), 1e-12);
  EXPECT_NEAR(m.se, std::sqrt(55.0 / 6.0 / 10.0), 1e-12);
}

TEST(Stats, OneRunHasNoStandardDeviation) {
  const auto m = stats::moments(1, static_cast<std::int64_t>(0.5 * stats::kScale),
                                static_cast<std::int64_t>(0.25 * stats::kScale), stats::kScale);
  EXPECT_DOUBLE_EQ(m.mean, 0.5);
  EXPECT_TRUE(std::isnan(m.sd));
  EXPECT_TRUE(std::isnan(m.se));
}

TEST(Stats, RegretQuantileKeepsTheAtomAtZero) {
  // 100 runs: 85 with regret exactly 0, 5 in bin 0 (0 < r < 0.1), 10 in bin 3 ([0.3, 0.4)),
  // the largest 0.32. Range [0, 1] in 10 bins.
  std::uint64_t h[10] = {90, 0, 0, 10, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(stats::regret_quantile(h, 10, 1.0, 85, 0.32, 0.80), 0.0);  // inside the atom
  EXPECT_EQ(stats::regret_quantile(h, 10, 1.0, 85, 0.32, 0.85), 0.0);  // its upper edge
  // The 88th value is the 3rd of the 5 small ones: linear inside bin 0 gives 0.06.
  EXPECT_NEAR(stats::regret_quantile(h, 10, 1.0, 85, 0.32, 0.88), 0.06, 1e-12);
  // The 95th lies in bin 3 but not above the largest regret seen.
  EXPECT_NEAR(stats::regret_quantile(h, 10, 1.0, 85, 0.32, 0.95), 0.32, 1e-12);
  // All zero: every quantile is 0 (a histogram alone would give up to a bin width).
  std::uint64_t z[10] = {40, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(stats::regret_quantile(z, 10, 1.0, 40, 0.0, 0.9), 0.0);
  EXPECT_GT(stats::histogram_quantile(z, 10, 0.0, 1.0, false, 0.9, 0.0, 1.0), 0.08);
}

TEST(Stats, IntegerQuantilesAreExact) {
  // Values 0,1,2,3,4 with counts 10,20,30,20,20 (n = 100).
  const std::uint64_t h[5] = {10, 20, 30, 20, 20};
  EXPECT_EQ(stats::histogram_quantile(h, 5, 0, 4, true, 0.05, 0, 4), 0.0);
  EXPECT_EQ(stats::histogram_quantile(h, 5, 0, 4, true, 0.25, 0, 4), 1.0);
  EXPECT_EQ(stats::histogram_quantile(h, 5, 0, 4, true, 0.50, 0, 4), 2.0);
  EXPECT_EQ(stats::histogram_quantile(h, 5, 0, 4, true, 0.75, 0, 4), 3.0);
  EXPECT_EQ(stats::histogram_quantile(h, 5, 0, 4, true, 0.95, 0, 4), 4.0);
}

TEST(Stats, ContinuousQuantilesWithinOneBin) {
  // A uniform sample on [0, 1) in 1000 bins: quantile q is q to within a bin width.
  std::vector<std::uint64_t> h(1000, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++h[static_cast<std::size_t>((i + 0.5) / n * 1000)];
  for (double q : {0.05, 0.25, 0.5, 0.75, 0.95})
    EXPECT_NEAR(stats::histogram_quantile(h.data(), 1000, 0.0, 1.0, false, q, 0.0, 1.0), q, 1e-3);
}

TEST(Stats, WilsonIntervalMatchesTheFormula) {
  // 10 successes out of 100: the Wilson 95% interval is [0.0552, 0.1744] (z = 1.96).
  const auto iv = stats::wilson(10, 100);
  EXPECT_NEAR(iv.lo, 0.05522, 1e-4);
  EXPECT_NEAR(iv.hi, 0.17437, 1e-4);
  const auto zero = stats::wilson(0, 50);
  EXPECT_EQ(zero.lo, 0.0);
  EXPECT_GT(zero.hi, 0.0);
  // Every success: the mirror image, reaching 1 exactly; z^2/(n + z^2) below 1.
  const auto all = stats::wilson(50, 50);
  EXPECT_EQ(all.hi, 1.0);
  EXPECT_NEAR(all.lo, 1.0 - zero.hi, 1e-15);
  const double z2 = 1.959963984540054 * 1.959963984540054;
  EXPECT_NEAR(zero.hi, z2 / (50 + z2), 1e-15);
}

TEST(Stats, SummaryCountsMatchTheRuns) {
  Config cfg = test::baseline();
  cfg.batch_size = 512;
  const auto acc = tally_range(cfg, 0, 2000);
  const auto outs = test::simulate(cfg, 0, 2000);
  // Exact checks against a direct count of the same runs.
  const auto& L = acc.layout();
  for (int s = 0; s < L.S; ++s) {
    const auto& split = outs[static_cast<std::size_t>(s)][kSplit];
    const auto k = static_cast<std::uint64_t>(std::count(split.begin(), split.end(), 1.0));
    EXPECT_EQ(acc.count(Seg::kOutcomeHist, L.hist_index(s, kSplit, 1)), k);
    const auto& a = outs[static_cast<std::size_t>(s)][kAlignmentFinal];
    const std::size_t i = L.outcome_index(s, kAlignmentFinal);
    EXPECT_EQ(acc.minimum(Seg::kOutcomeMin, i), *std::min_element(a.begin(), a.end()));
    double mean = 0;
    for (double v : a) mean += v;
    mean /= static_cast<double>(a.size());
    const auto m = stats::moments(acc.runs(), acc.sum(Seg::kOutcomeSum, i),
                                  acc.sum(Seg::kOutcomeSumsq, i), stats::kScale);
    EXPECT_NEAR(m.mean, mean, 1e-9);
  }
  // Satisficing shares and the best strategy's share, counted directly.
  for (int s = 0; s < L.S; ++s) {
    for (int c = 0; c < L.criteria; ++c) {
      std::uint64_t met = 0;
      for (std::size_t r = 0; r < 2000; ++r) {
        bool ok = true;
        for (const auto& cond : cfg.satisficing[static_cast<std::size_t>(c)].conditions) {
          const double x =
              outs[static_cast<std::size_t>(s)][static_cast<std::size_t>(cond.outcome)][r];
          ok = ok && x >= cond.min && x <= cond.max;
        }
        met += ok ? 1 : 0;
      }
      EXPECT_EQ(acc.count(Seg::kSatisfied, L.criterion_index(s, c)), met)
          << "strategy " << s << " criterion " << c;
    }
    std::uint64_t best = 0;
    for (std::size_t r = 0; r < 2000; ++r) {
      int b = 0;
      for (int t = 1; t < L.S; ++t)
        if (outs[static_cast<std::size_t>(t)][kUsPayoff][r] >
            outs[static_cast<std::size_t>(b)][kUsPayoff][r])
          b = t;
      best += b == s ? 1 : 0;
    }
    EXPECT_EQ(acc.count(Seg::kBestCount, static_cast<std::size_t>(s)), best) << "strategy " << s;
  }
  ASSERT_GT(L.criteria, 0);
  // Paired difference of the split indicator equals the difference of the counts.
  const std::size_t ip = L.pair_index(0, kSplit);
  const auto pm = stats::moments(acc.runs(), acc.sum(Seg::kPairSum, ip),
                                 acc.sum(Seg::kPairSumsq, ip), stats::kScale);
  double d = 0;
  for (std::size_t r = 0; r < 2000; ++r) d += outs[0][kSplit][r] - outs[1][kSplit][r];
  EXPECT_NEAR(pm.mean, d / 2000.0, 1e-12);
}

// The segments are the result file's format: their order, names and kinds must be those of
// the table in docs/output-format.md (section 11), and the baseline's offsets those of its
// example.
TEST(Stats, SegmentsAreThoseOfTheDocumentedFormat) {
  const std::string doc = test::read_file(test::source_path("docs/output-format.md"));
  const auto table = doc.find("| segment | kind | elements |");
  ASSERT_NE(table, std::string::npos);
  std::vector<std::pair<std::string, std::string>> rows;  // (name, kind)
  std::istringstream lines(doc.substr(table));
  std::string line;
  std::getline(lines, line), std::getline(lines, line);  // header and rule
  while (std::getline(lines, line) && line.rfind("| `", 0) == 0) {
    const auto name_end = line.find('`', 3);
    const auto kind_begin = line.find("| ", name_end) + 2;
    rows.emplace_back(line.substr(3, name_end - 3),
                      line.substr(kind_begin, line.find(' ', kind_begin) - kind_begin));
  }
  const stats::Layout L(test::baseline());
  ASSERT_EQ(rows.size(), L.segments.size());
  const std::map<std::string, stats::SegKind> kinds = {{"sum", stats::SegKind::kSum128},
                                                       {"count", stats::SegKind::kCount},
                                                       {"min", stats::SegKind::kMin},
                                                       {"max", stats::SegKind::kMax}};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(L.segments[i].name, rows[i].first) << "segment " << i;
    EXPECT_EQ(L.segments[i].kind, kinds.at(rows[i].second)) << rows[i].first;
  }
  const auto example = doc.find("and the offsets are ", table);
  ASSERT_NE(example, std::string::npos);
  std::istringstream offsets(doc.substr(example + 20, doc.find('.', example) - example - 20));
  std::vector<std::size_t> documented, actual;
  for (std::string v; std::getline(offsets, v, ',');) documented.push_back(std::stoul(v));
  for (const auto& seg : L.segments) actual.push_back(seg.offset);
  EXPECT_EQ(actual, documented);
}

// Means by parameter decile against a direct computation over the same runs: binary and
// whole-number outcomes exactly, continuous ones to the documented 20 bits of their range.
TEST(Stats, DecileMeansMatchADirectComputation) {
  Config cfg = test::baseline();
  cfg.batch_size = 512;
  const std::uint64_t first = 37, n = 3000;  // partial blocks at both ends
  const auto acc = tally_range(cfg, first, first + n);
  const auto outs = test::simulate(cfg, first, n);
  ParameterSampler sampler(cfg);
  std::vector<double> x;
  std::vector<std::uint8_t> d;
  std::vector<std::vector<std::uint8_t>> dec;
  for (std::uint64_t r = first; r < first + n; ++r) sampler.sample(r, x, d), dec.push_back(d);
  for (int s = 0; s < cfg.num_strategies(); ++s)
    for (int p : {kReceptiveness, kVolatility})
      for (int dd = 0; dd < kDeciles; ++dd)
        for (int o : {kSplit, kHybridAttacks, kMilitaryQuarter, kUkraineFinal, kUsPayoff}) {
          double sum = 0;
          int count = 0;
          for (std::size_t i = 0; i < dec.size(); ++i)
            if (dec[i][static_cast<std::size_t>(p)] == dd)
              sum += outs[static_cast<std::size_t>(s)][static_cast<std::size_t>(o)][i], ++count;
          const double got = decile_mean(acc, s, p, dd, o);
          const Range r = cfg.outcomes[static_cast<std::size_t>(o)].range;
          const bool whole =
              kOutcomes[static_cast<std::size_t>(o)].kind != OutcomeKind::kContinuous;
          const double tol = whole ? 1e-12 : std::max(std::abs(r.lo), std::abs(r.hi)) * 0x1p-19;
          ASSERT_GT(count, 0);
          EXPECT_NEAR(got, sum / count, tol)
              << "strategy " << s << " parameter " << p << " decile " << dd << " outcome " << o;
        }
}

// The fan-chart histograms count the runs whose index modulo 64 is below 64 / path_sample, and
// the path means every run.
TEST(Stats, FanChartCountsTheSampledLanes) {
  for (int ps : {1, 16}) {  // the baseline's 8 is checked below
    Config cfg = test::baseline();
    cfg.batch_size = 512;
    cfg.path_sample = ps;
    const auto acc = tally_range(cfg, 50, 1050);
    std::uint64_t sampled = 0;
    for (std::uint64_t r = 50; r < 1050; ++r)
      sampled += r % kBlock < static_cast<std::uint64_t>(kBlock / ps) ? 1 : 0;
    const auto& L = acc.layout();
    std::uint64_t total = 0;
    for (int b = 0; b < L.path_bins; ++b)
      total += acc.count(Seg::kPathHist, L.path_bin_index(0, 0, 0, b));
    EXPECT_EQ(total, sampled) << "path_sample " << ps;
  }
  Config cfg = test::baseline();
  cfg.batch_size = 512;
  const std::uint64_t first = 50, n = 1000;
  const auto acc = tally_range(cfg, first, first + n);
  std::uint64_t sampled = 0;
  for (std::uint64_t r = first; r < first + n; ++r)
    sampled += r % kBlock < static_cast<std::uint64_t>(kBlock / cfg.path_sample) ? 1 : 0;
  const auto& L = acc.layout();
  for (int s = 0; s < L.S; ++s)
    for (int k = 0; k < kNumStates; ++k)
      for (int t = 0; t < L.T; t += 7) {
        std::uint64_t total = 0;
        for (int b = 0; b < L.path_bins; ++b)
          total += acc.count(Seg::kPathHist, L.path_bin_index(s, k, t, b));
        EXPECT_EQ(total, sampled) << "strategy " << s << " state " << k << " quarter " << t;
      }
  EXPECT_EQ(acc.runs(), n);
  // Path means against the levels the model reports, run by run.
  struct Recorder final : PathSink {
    std::vector<double> sum;  // [s][k][t]
    int lo = 0, hi = 0, T = 0;
    void observe(int s, int t, const double* l) override {
      for (int k = 0; k < kNumStates; ++k)
        for (int j = lo; j < hi; ++j)
          sum[static_cast<std::size_t>((s * kNumStates + k) * T + t)] += l[k * kBlock + j];
    }
  } rec;
  rec.T = cfg.quarters;
  rec.sum.assign(static_cast<std::size_t>(L.S * kNumStates * L.T), 0.0);
  const auto model = make_model(cfg);
  ParameterSampler sampler(cfg);
  BlockParams params;
  BlockDeciles dec{};
  std::vector<BlockOutcomes> out;
  for (std::uint64_t b0 = first / kBlock * kBlock; b0 < first + n; b0 += kBlock) {
    sampler.sample_block(b0, params, dec);
    rec.lo = static_cast<int>(std::max(first, b0) - b0);
    rec.hi = static_cast<int>(std::min(first + n, b0 + kBlock) - b0);
    model->simulate_block(b0, params, out, &rec);
  }
  for (int s = 0; s < L.S; ++s)
    for (int k = 0; k < kNumStates; ++k)
      for (int t = 0; t < L.T; t += 7)
        EXPECT_NEAR(path_mean(acc, s, k, t),
                    rec.sum[static_cast<std::size_t>((s * kNumStates + k) * L.T + t)] /
                        static_cast<double>(n),
                    1e-9)
            << "strategy " << s << " state " << k << " quarter " << t;
}

// The runs that switch to their fallback have fan charts of their own: the model announces them
// (the same runs as its policy_switched outcome), and their sums, counts and histograms match
// the levels the model reports for them; the kept runs are the rest.
TEST(Stats, SwitchedRunsHaveTheirOwnFanCharts) {
  Config cfg = test::baseline();
  cfg.batch_size = 512;
  cfg.path_sample = 2;
  const std::uint64_t first = 50, n = 1000;
  const auto acc = tally_range(cfg, first, first + n);
  const auto& L = acc.layout();
  ASSERT_EQ(L.G, 2);  // conciliation and engagement_with_deterrence may switch
  struct Recorder final : PathSink {
    std::vector<double> sum;                     // [s][k][t][group]
    std::vector<std::uint64_t> sampled;          // [s][k][t][group]: runs in the fan-chart sample
    std::vector<std::array<double, kBlock>> sw;  // [s]: this block's switched lanes
    std::vector<std::uint64_t> runs;             // [s]: switched runs
    int lo = 0, hi = 0, T = 0, ps = 1;
    void group(int s, const double* x) override {
      std::copy(x, x + kBlock, sw[static_cast<std::size_t>(s)].begin());
      for (int j = lo; j < hi; ++j) runs[static_cast<std::size_t>(s)] += x[j] != 0.0 ? 1 : 0;
    }
    void observe(int s, int t, const double* l) override {
      for (int k = 0; k < kNumStates; ++k)
        for (int j = lo; j < hi; ++j) {
          const auto i = static_cast<std::size_t>(((s * kNumStates + k) * T + t) * 2 +
                                                  (sw[static_cast<std::size_t>(s)][j] != 0.0));
          sum[i] += l[k * kBlock + j];
          sampled[i] += j < kBlock / ps ? 1 : 0;
        }
    }
  } rec;
  rec.T = cfg.quarters, rec.ps = cfg.path_sample;
  rec.sum.assign(static_cast<std::size_t>(L.S * kNumStates * L.T * 2), 0.0);
  rec.sampled.assign(rec.sum.size(), 0);
  rec.sw.assign(static_cast<std::size_t>(L.S), {});
  rec.runs.assign(static_cast<std::size_t>(L.S), 0);
  const auto model = make_model(cfg);
  ParameterSampler sampler(cfg);
  BlockParams params;
  BlockDeciles dec{};
  std::vector<BlockOutcomes> out;
  const int switched_outcome = cfg.outcome_index("policy_switched");
  for (std::uint64_t b0 = first / kBlock * kBlock; b0 < first + n; b0 += kBlock) {
    sampler.sample_block(b0, params, dec);
    rec.lo = static_cast<int>(std::max(first, b0) - b0);
    rec.hi = static_cast<int>(std::min(first + n, b0 + kBlock) - b0);
    for (auto& row : rec.sw) row.fill(0.0);
    model->simulate_block(b0, params, out, &rec);
    for (int s = 0; s < L.S; ++s)
      for (int j = 0; j < kBlock; ++j)
        ASSERT_EQ(rec.sw[static_cast<std::size_t>(s)][static_cast<std::size_t>(j)],
                  out[static_cast<std::size_t>(s)][switched_outcome][j])
            << "strategy " << s << " lane " << j;
  }
  for (int s = 0; s < L.S; ++s) {
    const bool grouped = cfg.strategies[static_cast<std::size_t>(s)].fallback >= 0;
    ASSERT_EQ(L.group_row[static_cast<std::size_t>(s)] >= 0, grouped);
    if (!grouped) {  // no groups: NaN, never the mixture
      EXPECT_TRUE(std::isnan(path_mean(acc, s, 0, 0, PathGroup::kSwitched)));
      EXPECT_TRUE(std::isnan(path_quantile(acc, s, 0, 0, 0.5, PathGroup::kKept)));
      continue;
    }
    const std::uint64_t sw = rec.runs[static_cast<std::size_t>(s)];
    ASSERT_GT(sw, 100u);
    ASSERT_LT(sw, n - 100);
    EXPECT_EQ(path_runs(acc, s, PathGroup::kSwitched), sw);
    EXPECT_EQ(path_runs(acc, s, PathGroup::kKept), n - sw);
    const int g = L.group_row[static_cast<std::size_t>(s)];
    for (int k = 0; k < kNumStates; ++k)
      for (int t = 0; t < L.T; t += 5) {
        const auto i = static_cast<std::size_t>(((s * kNumStates + k) * L.T + t) * 2);
        EXPECT_NEAR(path_mean(acc, s, k, t, PathGroup::kKept),
                    rec.sum[i] / static_cast<double>(n - sw), 1e-9);
        EXPECT_NEAR(path_mean(acc, s, k, t, PathGroup::kSwitched),
                    rec.sum[i + 1] / static_cast<double>(sw), 1e-9);
        std::uint64_t total = 0;
        for (int b = 0; b < L.path_bins; ++b)
          total += acc.count(Seg::kSwitchedPathHist, L.switched_path_bin_index(g, k, t, b));
        EXPECT_EQ(total, rec.sampled[i + 1])
            << "strategy " << s << " state " << k << " quarter " << t;
      }
  }
}

// `[output] fan_charts` keeps path statistics for the listed strategies only: the others cost
// nothing, and the listed ones get the same numbers as with every strategy.
TEST(Stats, FanChartsOnlyForTheListedStrategies) {
  Config all = test::baseline();
  all.batch_size = 512;
  Config one = all;
  one.fan_charts = {2};  // engagement_with_deterrence, which may switch
  const stats::Layout La(all), L1(one);
  EXPECT_EQ(L1.F, 1);
  EXPECT_EQ(L1.G, 1);
  EXPECT_EQ(L1.segment(Seg::kPathHist).length, La.segment(Seg::kPathHist).length / 3);
  EXPECT_EQ(L1.segment(Seg::kSwitchedPathHist).length,
            La.segment(Seg::kSwitchedPathHist).length / 2);
  const auto a = tally_range(all, 100, 900), b = tally_range(one, 100, 900);
  EXPECT_TRUE(std::isnan(path_mean(b, 0, 0, 3)));
  for (PathGroup g : {PathGroup::kAll, PathGroup::kKept, PathGroup::kSwitched})
    for (int k = 0; k < kNumStates; ++k)
      for (int t = 0; t < all.quarters; t += 9) {
        EXPECT_EQ(path_mean(a, 2, k, t, g), path_mean(b, 2, k, t, g));
        EXPECT_EQ(path_quantile(a, 2, k, t, 0.25, g), path_quantile(b, 2, k, t, 0.25, g));
      }
  EXPECT_EQ(a.sum(Seg::kOutcomeSum, 0), b.sum(Seg::kOutcomeSum, 0));
}

}  // namespace
}  // namespace wedge
