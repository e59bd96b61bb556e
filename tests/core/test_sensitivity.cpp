// Sobol' indices of a Saltelli design on the test models: exact values inside the intervals,
// the intervals' coverage over many seeds, the noise as an input, and the design's A rows equal
// to a plain Monte Carlo study's runs.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "test_util.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/runner.hpp"
#include "wedge/core/sensitivity.hpp"
#include "wedge/io/config_reader.hpp"

namespace wedge {
namespace {

// configs/ishigami.toml as a Saltelli design, with noise sd `sd`.
Config ishigami(double sd, std::uint64_t seed = 1) {
  std::string text = test::read_file(test::source_path("configs/ishigami.toml"));
  const auto put = [&](const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  put("design = \"monte_carlo\"", "design = \"saltelli\"");
  put("noise_sd = 0.0", "noise_sd = " + std::to_string(sd));
  put("seed = 1", "seed = " + std::to_string(seed));
  put("batch_size = 8192", "batch_size = 1024");
  return parse_config(text, "ishigami.toml");
}

// Exact indices of the Ishigami function (a = 7, b = 0.1) with noise sd s: first order of x1,
// x2, x3, intrinsic, then total order of the same.
std::array<double, 8> ishigami_exact(double s) {
  const double pi4 = std::pow(std::numbers::pi, 4), b = 0.1;
  const double v1 = 0.5 * std::pow(1 + b * pi4 / 5, 2), v2 = 49.0 / 8,
               v13 = b * b * pi4 * pi4 * 8 / 225;
  const double v = v1 + v2 + v13 + s * s;
  return {v1 / v, v2 / v, 0.0, s * s / v, (v1 + v13) / v, v2 / v, v13 / v, s * s / v};
}

stats::Accumulators run(const Config& cfg, std::uint64_t n, int threads = 1) {
  stats::Accumulators acc(cfg);
  RunOptions opt;
  opt.end_run = n;
  opt.threads = threads;
  run_study(cfg, opt, acc, MPI_COMM_SELF);
  return acc;
}

TEST(Sensitivity, FactorsAreInputsGroupsThenIntrinsic) {
  const Config cfg = ishigami(0.5);
  const auto f = sensitivity_factors(cfg);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].name, "x1");
  EXPECT_TRUE(f[3].intrinsic);
  EXPECT_EQ(f[3].name, "intrinsic");
}

TEST(Sensitivity, IshigamiExactIndicesInsideIntervals) {
  const Config cfg = ishigami(1.0);
  const auto acc = run(cfg, 20000, 2);
  const SobolTable t = sobol_indices(cfg, acc);
  const auto ex = ishigami_exact(1.0);
  for (int j = 0; j < 4; ++j) {
    const std::size_t i = t.at(0, 0, j);
    EXPECT_LE(t.first_low[i], ex[static_cast<std::size_t>(j)]) << t.factor_names[i];
    EXPECT_GE(t.first_high[i], ex[static_cast<std::size_t>(j)]) << t.factor_names[i];
    EXPECT_LE(t.total_low[i], ex[static_cast<std::size_t>(4 + j)]) << t.factor_names[i];
    EXPECT_GE(t.total_high[i], ex[static_cast<std::size_t>(4 + j)]) << t.factor_names[i];
    EXPECT_LT(t.total_high[i] - t.total_low[i], 0.1);  // informative, not vacuous
  }
  // The noise's share: first = total = s^2 / V, clearly away from 0.
  EXPECT_GT(t.total_low[t.at(0, 0, 3)], 0.03);
}

TEST(Sensitivity, DeterministicModelHasNoIntrinsicVariance) {
  const Config cfg = ishigami(0.0);
  const SobolTable t = sobol_indices(cfg, run(cfg, 2048));
  const std::size_t i = t.at(0, 0, 3);
  EXPECT_EQ(t.first[i], 0.0);
  EXPECT_EQ(t.total[i], 0.0);
  EXPECT_EQ(t.total_low[i], t.total_high[i]);
}

TEST(Sensitivity, IntervalsCoverAtAboutTheNominalRate) {
  // 100 seeds x 1000 base rows, 8 indices each (the noise included): at about 95%.
  int hit = 0, total = 0;
  const auto ex = ishigami_exact(0.8);
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const Config cfg = ishigami(0.8, seed);
    const SobolTable t = sobol_indices(cfg, run(cfg, 1024));
    for (int j = 0; j < 4; ++j) {
      const std::size_t i = t.at(0, 0, j);
      const double f = ex[static_cast<std::size_t>(j)], g = ex[static_cast<std::size_t>(4 + j)];
      hit += (t.first_low[i] <= f && f <= t.first_high[i]) ? 1 : 0;
      hit += (t.total_low[i] <= g && g <= t.total_high[i]) ? 1 : 0;
      total += 2;
    }
  }
  const double rate = static_cast<double>(hit) / total;
  EXPECT_GE(rate, 0.90);
  EXPECT_LE(rate, 0.99);
  std::printf("coverage %d/%d = %.3f\n", hit, total, rate);
}

TEST(Sensitivity, ThreadsDoNotChangeABit) {
  const Config cfg = ishigami(0.5);
  EXPECT_EQ(run(cfg, 5000, 1).words(), run(cfg, 5000, 2).words());
}

TEST(Sensitivity, ARowsAreTheMonteCarloStudy) {
  // The ordinary statistics of a Saltelli design are a plain Monte Carlo study's, bit for bit:
  // the same words, the Sobol' sums after them.
  Config mc = ishigami(0.5);
  mc.design = Design::kMonteCarlo;
  const Config sal = ishigami(0.5);
  const auto a = run(mc, 3000), b = run(sal, 3000);
  ASSERT_LT(a.words().size(), b.words().size());
  EXPECT_TRUE(std::equal(a.words().begin(), a.words().end(), b.words().begin()));
}

TEST(Sensitivity, GroupsAreCheckedWhenRead) {
  std::string text = test::read_file(test::source_path("configs/ishigami.toml"));
  const auto bad = [&](const std::string& extra, const std::string& says) {
    try {
      parse_config(text + extra, "g.toml");
      ADD_FAILURE() << "accepted: " << extra;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  };
  bad("[[sensitivity.group]]\nname = \"g\"\ninputs = []\n", "at least one input");
  bad("[[sensitivity.group]]\nname = \"g\"\ninputs = [\"x1\", \"x1\"]\n", "named twice");
  bad("[[sensitivity.group]]\nname = \"g\"\ninputs = [\"x1\"]\n[[sensitivity.group]]\nname = "
      "\"h\"\ninputs = [\"x1\"]\n",
      "already in group");
  bad("[[sensitivity.group]]\nname = \"g\"\ninputs = [\"x9\"]\n", "names no uncertain input");
  const Config ok = parse_config(
      text + "[[sensitivity.group]]\nname = \"g\"\ninputs = [\"x1\", \"x3\"]\n", "g.toml");
  const auto f = sensitivity_factors(ok);
  ASSERT_EQ(f.size(), 3u);  // x2, g, intrinsic
  EXPECT_EQ(f[0].name, "x2");
  EXPECT_EQ(f[1].name, "g");
}

TEST(Sensitivity, GroupIndexOfX1AndX3IsTheirJointShare) {
  std::string text = test::read_file(test::source_path("configs/ishigami.toml"));
  text.replace(text.find("design = \"monte_carlo\""), 22, "design = \"saltelli\"");
  const Config cfg = parse_config(
      text + "[[sensitivity.group]]\nname = \"g\"\ninputs = [\"x1\", \"x3\"]\n", "g.toml");
  const SobolTable t = sobol_indices(cfg, run(cfg, 20000, 2));
  const auto ex = ishigami_exact(0.0);
  const double joint = 1.0 - ex[1];  // x1 and x3 together: all but x2's share
  const std::size_t i = t.at(0, 0, 1);
  EXPECT_LE(t.first_low[i], joint);
  EXPECT_GE(t.first_high[i], joint);
}

}  // namespace
}  // namespace wedge
