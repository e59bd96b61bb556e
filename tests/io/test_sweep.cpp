// [[sweep]]: the generated strategies of each design, their names and levers, the baseline rule
// and the strategy limit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "test_util.hpp"
#include "wedge/core/error.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/models/strategic_triangle.hpp"

namespace wedge {
namespace {

// The baseline configuration with a sweep (and optionally without its explicit all_pairs).
Config with_sweep(const std::string& sweep, bool keep_all_pairs = true) {
  std::string text = test::baseline_with("[states.alignment]", sweep + "\n[states.alignment]");
  if (!keep_all_pairs) text.replace(text.find("baseline = \"all_pairs\""), 22, "");
  return parse_config(text, "sweep.toml");
}

const char* kGrid = R"([[sweep]]
base = "engagement_with_deterrence"
design = "grid"
steps = { sanctions_relief = 3, conditionality = 2 }
[sweep.levers]
conditionality = [0.5, 1.0]
sanctions_relief = [0.0, 0.25]
)";

TEST(Sweep, GridNamesLeversAndOrder) {
  const Config c = with_sweep(kGrid);
  ASSERT_EQ(c.num_strategies(), 3 + 6);
  EXPECT_EQ(c.sweep_base, 2);
  EXPECT_EQ(c.baseline, -1);  // 9 strategies: all pairs, as the file says
  const Strategy& base = c.strategies[2];
  // The model's lever order (relief before conditionality), the last lever fastest.
  const double relief[] = {0.0, 0.0, 0.125, 0.125, 0.25, 0.25},
               cond[] = {0.5, 1.0, 0.5, 1.0, 0.5, 1.0};
  for (int k = 0; k < 6; ++k) {
    const Strategy& s = c.strategies[static_cast<std::size_t>(3 + k)];
    EXPECT_TRUE(s.generated);
    EXPECT_EQ(s.fallback, base.fallback);
    EXPECT_DOUBLE_EQ(s.levers[kRelief], relief[k]);
    EXPECT_DOUBLE_EQ(s.levers[kConditionality], cond[k]);
    for (int l = 0; l < kNumLevers; ++l)
      if (l != kRelief && l != kConditionality) {
        EXPECT_EQ(s.levers[l], base.levers[l]);
      }
  }
  EXPECT_EQ(c.strategies[5].name,
            "engagement_with_deterrence+sanctions_relief=0.125+conditionality=0.50");
  EXPECT_FALSE(c.strategies[0].generated);
}

TEST(Sweep, AboveTenStrategiesTheBaseIsTheBaseline) {
  std::string sweep = kGrid;
  sweep.replace(sweep.find("sanctions_relief = 3"), 20, "sanctions_relief = 5");
  const Config c = with_sweep(sweep, false);
  ASSERT_EQ(c.num_strategies(), 13);
  EXPECT_EQ(c.baseline, 2);
  EXPECT_TRUE(c.objectives.empty());
}

TEST(Sweep, LatinHypercubeUsesEveryStratumOnceAndFollowsItsSeed) {
  const auto lhs = [](int seed) {
    return with_sweep(
        "[[sweep]]\nbase = \"conciliation\"\ndesign = \"latin_hypercube\"\nsize = 20\n"
        "seed = " +
        std::to_string(seed) +
        "\n[sweep.levers]\nsanctions_relief = [0.0, 1.0]\nukraine_aid = [0.2, 0.6]\n");
  };
  const Config a = lhs(7), b = lhs(7), other = lhs(8);
  ASSERT_EQ(a.num_strategies(), 23);
  for (int lever : {static_cast<int>(kRelief), static_cast<int>(kAid)}) {
    const double lo = lever == kRelief ? 0.0 : 0.2, hi = lever == kRelief ? 1.0 : 0.6;
    std::set<int> strata;
    for (int k = 3; k < 23; ++k)
      strata.insert(static_cast<int>(std::floor(
          (a.strategies[static_cast<std::size_t>(k)].levers[lever] - lo) / (hi - lo) * 20)));
    EXPECT_EQ(strata.size(), 20u) << lever;
  }
  bool differs = false;
  for (int k = 3; k < 23; ++k) {
    EXPECT_EQ(a.strategies[static_cast<std::size_t>(k)].name,
              b.strategies[static_cast<std::size_t>(k)].name);
    differs = differs || a.strategies[static_cast<std::size_t>(k)].name !=
                             other.strategies[static_cast<std::size_t>(k)].name;
  }
  EXPECT_TRUE(differs);
}

TEST(Sweep, SobolTakesTheSequencesFirstPoints) {
  const Config c = with_sweep(
      "[[sweep]]\nbase = \"conciliation\"\ndesign = \"sobol\"\nsize = 8\n"
      "[sweep.levers]\nsanctions_relief = [0.0, 1.0]\nconditionality = [0.0, 1.0]\n");
  ASSERT_EQ(c.num_strategies(), 11);
  std::vector<double> first;
  for (int k = 3; k < 11; ++k)
    first.push_back(c.strategies[static_cast<std::size_t>(k)].levers[kRelief]);
  // Boost's sequence starts after the origin.
  EXPECT_EQ(first, (std::vector<double>{0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125, 0.1875}));
}

TEST(Sweep, LimitsAndAllPairs) {
  const std::string big =
      "[[sweep]]\nbase = \"conciliation\"\ndesign = \"grid\"\nsteps = 40\n"
      "[sweep.levers]\nsanctions_relief = [0.0, 1.0]\nconditionality = [0.0, 1.0]\n";
  EXPECT_THROW(with_sweep(big), InputError);  // 1,603 strategies > 1,000
  std::string text =
      test::baseline_with("batch_size = 65536", "batch_size = 65536\nmax_strategies = 2000");
  text.replace(text.find("baseline = \"all_pairs\""), 22, "");
  const Config ok = parse_config(text + "\n" + big, "raised.toml");
  EXPECT_EQ(ok.num_strategies(), 1603);
  // "all_pairs" said explicitly is refused above 50 strategies.
  const std::string sixty =
      "[[sweep]]\nbase = \"conciliation\"\ndesign = \"sobol\"\nsize = 60\n"
      "[sweep.levers]\nsanctions_relief = [0.0, 1.0]\n";
  try {
    with_sweep(sixty);
    ADD_FAILURE() << "all_pairs accepted for 63 strategies";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("analysis.baseline"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace wedge
