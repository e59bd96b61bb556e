// Model coefficients given a prior instead of a number (uncertain coefficients).
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"
#include "wedge/core/sampling.hpp"
#include "wedge/io/config_reader.hpp"

namespace wedge {
namespace {

Config with(const std::string& from, const std::string& to) {
  return parse_config(test::baseline_with(from, to), "uncertain.toml");
}

TEST(UncertainCoefficients, BecomeInputsAfterTheParameters) {
  const Config c = with("receptive_offer = -6.0",
                        "receptive_offer = { dist = \"normal\", mean = -6.0, sd = 1.5 }");
  ASSERT_EQ(c.num_inputs(), kNumParams + 1);
  EXPECT_EQ(c.num_params, kNumParams);
  const Input& in = c.inputs.back();
  EXPECT_EQ(in.name, "targets.alignment.receptive_offer");
  EXPECT_EQ(in.coefficient, kAOffer);
  EXPECT_EQ(triangle::settings(c).input_row[kAOffer], kNumParams);
  EXPECT_EQ(triangle::settings(c).coef[kAOffer], -6.0);  // the prior's mean
}

// A point prior takes the per-lane path through the kernel; it must compute exactly what the
// number does, run by run, for every outcome and strategy.
TEST(UncertainCoefficients, APointPriorEqualsTheNumberBitwise) {
  const Config number = test::baseline();
  const Config point =
      with("receptive_offer = -6.0", "receptive_offer = { dist = \"fixed\", value = -6.0 }");
  ASSERT_TRUE(triangle::settings(point).any_uncertain());
  EXPECT_EQ(test::simulate(point, 100, 700), test::simulate(number, 100, 700));
}

// An uncertain threshold is used run by run: split iff final alignment is below that run's
// own threshold.
TEST(UncertainCoefficients, ThresholdsApplyRunByRun) {
  const Config c =
      with("split_below = 0.4", "split_below = { dist = \"uniform\", lower = 0.2, upper = 0.8 }");
  const int row = triangle::settings(c).input_row[kTSplitBelow];
  ASSERT_GE(row, 0);
  const std::uint64_t n = 2000;
  const auto out = test::simulate(c, 0, n);
  ParameterSampler sampler(c);
  std::vector<double> x;
  std::vector<std::uint8_t> d;
  int splits = 0, differing = 0;
  for (std::uint64_t r = 0; r < n; ++r) {
    sampler.sample(r, x, d);
    const double threshold = x[static_cast<std::size_t>(row)];
    for (int s = 0; s < c.num_strategies(); ++s) {
      const double a = out[static_cast<std::size_t>(s)][kAlignmentFinal][r];
      const double split = out[static_cast<std::size_t>(s)][kSplit][r];
      EXPECT_EQ(split, a < threshold ? 1.0 : 0.0) << "run " << r;
      splits += split != 0.0;
      differing += (a < threshold) != (a < 0.4);
    }
  }
  EXPECT_GT(splits, 0);
  EXPECT_GT(differing, 0);  // the draw mattered
}

// Uniform, normal and lognormal priors of coefficients are drawn in vector loops: a block's draws
// equal the run-by-run sampler bit for bit, and follow their priors.
TEST(UncertainCoefficients, BlockDrawsEqualRunDrawsAndFollowThePriors) {
  std::string text = test::read_file(test::source_path("configs/uncertain-coefficients.toml"));
  const std::string from = "threat = 0.3",
                    to = "threat = { dist = \"lognormal\", mu = -1.0, sigma = 0.5 }";
  const std::size_t pos = text.find(from);
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, from.size(), to);
  const Config c = parse_config(text, "uc.toml");
  ParameterSampler sampler(c);
  BlockParams block;
  BlockDeciles dec;
  std::vector<double> x;
  std::vector<std::uint8_t> d;
  const std::uint64_t blocks = 400;
  std::vector<double> sum(static_cast<std::size_t>(c.num_inputs())), sq(sum.size());
  for (std::uint64_t b = 0; b < blocks; ++b) {
    sampler.sample_block(b * kBlock, block, dec);
    for (int j = 0; j < kBlock; ++j) {
      sampler.sample(b * kBlock + static_cast<std::uint64_t>(j), x, d);
      for (int p = 0; p < c.num_inputs(); ++p) {
        ASSERT_EQ(block[p][j], x[static_cast<std::size_t>(p)]) << c.inputs[p].name;
        sum[static_cast<std::size_t>(p)] += x[static_cast<std::size_t>(p)];
        sq[static_cast<std::size_t>(p)] +=
            x[static_cast<std::size_t>(p)] * x[static_cast<std::size_t>(p)];
      }
    }
  }
  const double n = static_cast<double>(blocks * kBlock);
  int checked = 0;
  for (int p = c.num_params; p < c.num_inputs(); ++p) {
    const Prior& pr = c.inputs[static_cast<std::size_t>(p)].prior;
    const double mean = sum[static_cast<std::size_t>(p)] / n;
    const double var = sq[static_cast<std::size_t>(p)] / n - mean * mean;
    const double sd = std::sqrt(prior_variance(pr));
    EXPECT_NEAR(mean, prior_mean(pr), 5.0 * sd / std::sqrt(n)) << c.inputs[p].name;
    EXPECT_NEAR(std::sqrt(var), sd, 0.05 * sd) << c.inputs[p].name;
    ++checked;
  }
  EXPECT_EQ(checked, 21);
}

// Every coefficient of the model accepts a prior (the vocabulary table drives the reader).
TEST(UncertainCoefficients, EveryCoefficientAcceptsAPrior) {
  for (const CoefficientTerm& t : kCoefficients) {
    std::string text = test::read_file(test::source_path("configs/baseline.toml"));
    // Built with append: GCC 12 warns (falsely, -Wrestrict) on chained operator+ here.
    const std::string header = std::string("[").append(t.section).append("]");
    std::size_t pos = text.find(header);
    ASSERT_NE(pos, std::string::npos) << header;
    pos = text.find(std::string("\n").append(t.term.key).append(" "), pos);
    ASSERT_NE(pos, std::string::npos) << t.section << "." << t.term.key;
    const std::size_t eq = text.find('=', pos), end = text.find_first_of("#\n", eq);
    const double v = std::stod(text.substr(eq + 1, end - eq - 1));
    text.replace(eq + 1, end - eq - 1,
                 std::string(" { dist = \"fixed\", value = ").append(std::to_string(v)).append(" } "));
    const Config c = parse_config(text, "one.toml");
    ASSERT_EQ(c.num_inputs(), kNumParams + 1) << t.term.key;
    EXPECT_EQ(c.inputs.back().coefficient, t.term.id);
    EXPECT_EQ(c.inputs.back().name, std::string(t.section).append(".").append(t.term.key));
  }
}

}  // namespace
}  // namespace wedge
