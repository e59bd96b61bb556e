// The condition language of `wedge discover` and PRIM's pieces: parsing and evaluating
// conditions on the strategic triangle's vocabulary, the box choice rules, the quasi-p-value
// against a direct binomial sum, and PRIM in process on binned runs with a planted box (the same
// result for 1 and 2 threads).
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <limits>

#include "test_util.hpp"
#include "wedge/analyses/condition.hpp"
#include "wedge/analyses/prim.hpp"
#include "wedge/core/error.hpp"

namespace wedge {
namespace {

using discovery::holds;
using discovery::parse_condition;

class ConditionTest : public ::testing::Test {
 protected:
  Config cfg = test::baseline();
  int S = cfg.num_strategies();
  int s(const char* name) const { return cfg.strategy_index(name); }
  // Values of the condition's outcomes: [slot][strategy].
  std::vector<double> values(const discovery::RunCondition& c,
                             const std::vector<std::vector<double>>& per_slot) const {
    EXPECT_EQ(c.outcomes().size(), per_slot.size());
    std::vector<double> v;
    for (const auto& row : per_slot) v.insert(v.end(), row.begin(), row.end());
    return v;
  }
};

TEST_F(ConditionTest, BinaryOutcomeAlone) {
  const auto c = parse_condition("split@conciliation", cfg);
  ASSERT_EQ(c.outcomes(), std::vector<int>{cfg.outcome_index("split")});
  std::vector<double> v(static_cast<std::size_t>(S), 0.0);
  EXPECT_FALSE(holds(c, v.data(), S));
  v[static_cast<std::size_t>(s("conciliation"))] = 1.0;
  EXPECT_TRUE(holds(c, v.data(), S));
  EXPECT_EQ(discovery::describe(c, cfg), "split under conciliation");
}

TEST_F(ConditionTest, ThresholdsAndPairs) {
  const auto t = parse_condition("  us_payoff@dual_containment <= -0.2 ", cfg);
  std::vector<double> v(static_cast<std::size_t>(S), 0.0);
  v[static_cast<std::size_t>(s("dual_containment"))] = -0.2;
  EXPECT_TRUE(holds(t, v.data(), S));
  v[static_cast<std::size_t>(s("dual_containment"))] = -0.1;
  EXPECT_FALSE(holds(t, v.data(), S));
  const auto p =
      parse_condition("us_payoff@engagement_with_deterrence > us_payoff@dual_containment", cfg);
  ASSERT_EQ(p.outcomes().size(), 1u);  // one outcome, read under every strategy
  v[static_cast<std::size_t>(s("engagement_with_deterrence"))] = 0.3;
  EXPECT_TRUE(holds(p, v.data(), S));
  v[static_cast<std::size_t>(s("engagement_with_deterrence"))] = -0.3;
  EXPECT_FALSE(holds(p, v.data(), S));
  v[static_cast<std::size_t>(s("engagement_with_deterrence"))] =
      std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(holds(p, v.data(), S));  // NaN compares false
  // Two outcomes: slots in order of appearance.
  const auto two = parse_condition("nato_fracture@conciliation != split@conciliation", cfg);
  ASSERT_EQ(two.outcomes().size(), 2u);
  std::vector<double> w(2 * static_cast<std::size_t>(S), 0.0);
  EXPECT_FALSE(holds(two, w.data(), S));
  w[static_cast<std::size_t>(S + s("conciliation"))] = 1.0;  // split = 1
  EXPECT_TRUE(holds(two, w.data(), S));
}

TEST_F(ConditionTest, RegretIsTheBestStrategyOfTheRunMinusThisOne) {
  const auto r = parse_condition("regret@conciliation > 0.1", cfg);
  ASSERT_EQ(r.outcomes(), std::vector<int>{cfg.payoff});
  std::vector<double> v(static_cast<std::size_t>(S), 0.0);
  v[static_cast<std::size_t>(s("conciliation"))] = 0.5;
  v[static_cast<std::size_t>(s("dual_containment"))] = 0.65;
  EXPECT_TRUE(holds(r, v.data(), S));  // regret 0.15
  v[static_cast<std::size_t>(s("dual_containment"))] = 0.55;
  EXPECT_FALSE(holds(r, v.data(), S));  // regret 0.05
}

TEST_F(ConditionTest, BadConditionsNameTheProblem) {
  const auto message = [&](const char* text) {
    try {
      parse_condition(text, cfg);
    } catch (const InputError& e) {
      EXPECT_EQ(e.key(), "--where");
      return e.message();
    }
    ADD_FAILURE() << text << " was accepted";
    return std::string();
  };
  EXPECT_NE(message("nope@conciliation").find("'nope' is not an outcome"), std::string::npos);
  EXPECT_NE(message("split@nope").find("'nope' is not a strategy"), std::string::npos);
  EXPECT_NE(message("us_payoff@conciliation").find("needs a 0/1 outcome"), std::string::npos);
  EXPECT_NE(message("split").find("expected '@'"), std::string::npos);
  EXPECT_NE(message("split@conciliation >").find("right-hand side"), std::string::npos);
  EXPECT_NE(message("1 < 2").find("compares two numbers"), std::string::npos);
  EXPECT_NE(message("split@conciliation = 1").find("expected a comparison"), std::string::npos);
  EXPECT_NE(message("split@conciliation > 1 2").find("unexpected"), std::string::npos);
  EXPECT_NE(message("").find("empty"), std::string::npos);
}

TEST(QuasiPValue, IsTheUpperTailOfTheBinomial) {
  // P(X >= 7) for X ~ Binomial(10, 0.3), summed directly.
  double direct = 0.0;
  for (int x = 7; x <= 10; ++x)
    direct += std::tgamma(11.0) / (std::tgamma(x + 1.0) * std::tgamma(11.0 - x)) *
              std::pow(0.3, x) * std::pow(0.7, 10 - x);
  EXPECT_NEAR(prim::quasi_p_value(10, 7, 100, 30), direct, 1e-14);
  EXPECT_EQ(prim::quasi_p_value(10, 0, 100, 30), 1.0);
}

TEST(ChooseStep, Rules) {
  // Coverage h / 100, density h / n along a made-up trajectory.
  std::vector<prim::Step> t;
  for (auto [n, h] : {std::pair{1000, 100}, {500, 90}, {200, 80}, {100, 60}, {60, 40}})
    t.push_back({prim::Box(1), static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(h)});
  using R = prim::Choice::Rule;
  EXPECT_EQ(prim::choose_step(t, 100, {R::kBest, 0, 0}, true), 3);  // h^2/n: 16.2, 32, 36, 26.7
  EXPECT_EQ(prim::choose_step(t, 100, {R::kIndex, 4, 0}, true), 4);
  EXPECT_EQ(prim::choose_step(t, 100, {R::kIndex, 4, 0}, false), 3);  // later boxes: the default
  EXPECT_THROW(prim::choose_step(t, 100, {R::kIndex, 5, 0}, true), InputError);
  EXPECT_EQ(prim::choose_step(t, 100, {R::kIndex, 5, 0}, true, true), 4);
  EXPECT_EQ(prim::choose_step(t, 100, {R::kMinDensity, 0, 0.35}, true), 2);
  EXPECT_EQ(prim::choose_step(t, 100, {R::kMinDensity, 0, 0.99}, true), 4);  // none: densest
  EXPECT_EQ(prim::choose_step(t, 100, {R::kMinCoverage, 0, 0.6}, true), 3);
}

// Runs with 3 inputs whose bins are a hash of the run; hits inside bins [256, 768) of input 0
// and [512, 1024) of input 1 with probability 0.9, elsewhere 0.05.
prim::Runs planted(std::uint64_t n) {
  prim::Runs r;
  r.inputs = 3;
  r.bins.resize(3 * n);
  r.flags.resize(n);
  std::uint64_t x = 12345;
  const auto next = [&] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x >> 33;
  };
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint16_t b[3];
    for (int k = 0; k < 3; ++k)
      r.bins[static_cast<std::size_t>(k) * n + i] = b[k] =
          static_cast<std::uint16_t>(next() % 1024);
    const bool in = b[0] >= 256 && b[0] < 768 && b[1] >= 512;
    r.flags[i] = (next() % 1000) < (in ? 900u : 50u) ? 1 : 0;
  }
  return r;
}

TEST(Prim, FindsAPlantedBoxTheSameForAnyThreads) {
  prim::Controls c;
  c.boxes = 2, c.resamples = 3, c.seed = 7;
  const std::vector<bool> peelable(3, true);
  const auto run = [&](int threads) {
    omp_set_num_threads(threads);
    prim::Runs r = planted(60000);
    return prim::discover(r, peelable, c, MPI_COMM_SELF);
  };
  const prim::Result a = run(1), b = run(2);
  ASSERT_FALSE(a.boxes.empty());
  const prim::Step& box = a.boxes[0].box;
  EXPECT_NEAR(box.box.lo[0], 256, 12);
  EXPECT_NEAR(box.box.hi[0], 768, 12);
  EXPECT_NEAR(box.box.lo[1], 512, 12);
  EXPECT_GE(box.box.hi[1], prim::kBins - 12);
  EXPECT_FALSE(box.box.restricted(2));
  EXPECT_EQ(a.boxes[0].stability[0], 1.0);
  ASSERT_EQ(a.boxes.size(), b.boxes.size());
  for (std::size_t i = 0; i < a.boxes.size(); ++i) {
    EXPECT_EQ(a.boxes[i].peel.size(), b.boxes[i].peel.size());
    EXPECT_EQ(a.boxes[i].box.box.lo, b.boxes[i].box.box.lo);
    EXPECT_EQ(a.boxes[i].box.box.hi, b.boxes[i].box.box.hi);
    EXPECT_EQ(a.boxes[i].box.hits, b.boxes[i].box.hits);
    EXPECT_EQ(a.boxes[i].stability, b.boxes[i].stability);
  }
}

}  // namespace
}  // namespace wedge
