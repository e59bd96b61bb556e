// Scores against closed forms: the CDF and CRPS of histograms whose piecewise-linear CDF is
// known, the Brier and log score of event probabilities counted from the same runs, quarter
// labels both ways, and every refusal of the resolved-questions reader.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "test_util.hpp"
#include "wedge/analyses/scoring.hpp"
#include "wedge/analyses/summary.hpp"
#include "wedge/core/error.hpp"
#include "wedge/core/quarter.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/io/resolved_reader.hpp"

namespace wedge {
namespace {

TEST(HistogramScores, UniformHistogramHasTheUniformCdfAndCrps) {
  const std::vector<std::uint64_t> flat(50, 7);  // F(x) = x on [0, 1]
  for (double y : {0.0, 0.13, 0.5, 0.871, 1.0}) {
    EXPECT_NEAR(histogram_cdf(flat.data(), 50, 0.0, 1.0, y), y, 1e-12);
    // CRPS of U(0, 1) at y: y^3/3 + (1 - y)^3/3.
    EXPECT_NEAR(histogram_crps(flat.data(), 50, 0.0, 1.0, y),
                (y * y * y + (1 - y) * (1 - y) * (1 - y)) / 3.0, 1e-12);
  }
}

TEST(HistogramScores, ObservationOutsideTheRangeAddsItsDistance) {
  const std::vector<std::uint64_t> flat(10, 1);
  // Below the range F = 0 and the step is already 1: (lo - y) of squared error 1, then U's CRPS at
  // 0.
  EXPECT_NEAR(histogram_crps(flat.data(), 10, 0.0, 1.0, -0.5), 0.5 + 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(histogram_crps(flat.data(), 10, 0.0, 1.0, 1.25), 0.25 + 1.0 / 3.0, 1e-12);
}

TEST(HistogramScores, ConcentratedHistogramScoresLikeAPointForecast) {
  // All mass in the bin [0.30, 0.31): away from it the CRPS of U(a, b) is |y - (a + b)/2| - (b -
  // a)/6.
  std::vector<std::uint64_t> h(100, 0);
  h[30] = 1000;
  EXPECT_NEAR(histogram_crps(h.data(), 100, 0.0, 1.0, 0.8), 0.8 - 0.305 - 0.01 / 6, 1e-12);
  EXPECT_NEAR(histogram_crps(h.data(), 100, 0.0, 1.0, 0.1), 0.305 - 0.1 - 0.01 / 6, 1e-12);
  EXPECT_DOUBLE_EQ(histogram_cdf(h.data(), 100, 0.0, 1.0, 0.305), 0.5);
  EXPECT_TRUE(std::isnan(histogram_crps(std::vector<std::uint64_t>(5, 0).data(), 5, 0, 1, 0.5)));
}

TEST(Quarters, LabelsAndIndicesRoundTrip) {
  Config cfg = test::baseline();  // quarterly from 2025
  EXPECT_EQ(parse_quarter("2025Q1", cfg), 0);
  EXPECT_EQ(parse_quarter("2026Q3", cfg), 6);
  EXPECT_EQ(parse_quarter("6", cfg), 6);
  EXPECT_EQ(parse_quarter("2024Q4", cfg), -1);
  for (const char* bad : {"2026Q5", "2026Q0", "26Q1", "Q3", "2026Q3x", "-", ""})
    EXPECT_FALSE(parse_quarter(bad, cfg).has_value()) << bad;
  for (int q : {-5, -1, 0, 3, 4, 39}) EXPECT_EQ(parse_quarter(quarter_label(q, cfg), cfg), q);
  cfg.dt = 0.5;  // half-year steps: no calendar quarters
  EXPECT_FALSE(parse_quarter("2026Q3", cfg).has_value());
  EXPECT_EQ(quarter_label(3, cfg), "step 3");
}

class ScoreTest : public ::testing::Test {
 protected:
  Config cfg = test::baseline();
  std::string write(const std::string& text) {
    const std::string p = test::temp_path("resolved.toml");
    std::ofstream(p) << text;
    return p;
  }
  // The InputError's key and message of reading `text`.
  std::string refusal(const std::string& text) {
    try {
      read_resolved(write(text), cfg);
    } catch (const InputError& e) {
      return e.key() + ": " + e.message();
    }
    return "accepted";
  }
};

TEST_F(ScoreTest, EventScoresComeFromTheCountedProbability) {
  const stats::Accumulators acc = test::run_range(cfg, 0, 3000);
  const ResolvedQuestions rq = read_resolved(write(R"(
[[question]]
name = "hybrid"
event = "hybrid_attack"
by = "2026Q2"
happened = true
[[question]]
name = "cohesion"
state = "nato_cohesion"
at = 6
value = 0.5
)"),
                                             cfg);
  const Scores sc = score_questions(cfg, acc, rq.questions);
  ASSERT_EQ(sc.Q, 2);
  for (int s = 0; s < sc.S; ++s) {
    const double p = event_probability(cfg, acc, s, 0, 5);
    EXPECT_EQ(sc.at(0, s).probability, p);
    EXPECT_DOUBLE_EQ(sc.at(0, s).brier, (1 - p) * (1 - p));
    EXPECT_DOUBLE_EQ(sc.at(0, s).log_score, -std::log((p * 3000 + 0.5) / 3001));
    EXPECT_TRUE(std::isnan(sc.at(0, s).crps));
    EXPECT_GT(sc.at(1, s).crps, 0.0);
    EXPECT_TRUE(std::isnan(sc.at(1, s).brier));
    EXPECT_DOUBLE_EQ(sc.mean_brier[static_cast<std::size_t>(s)], sc.at(0, s).brier);
    EXPECT_DOUBLE_EQ(sc.mean_crps[static_cast<std::size_t>(s)], sc.at(1, s).crps);
  }
}

TEST_F(ScoreTest, RefusesWhatTheStudyCannotScore) {
  const std::string event = "[[question]]\nname = \"q\"\nevent = \"hybrid_attack\"\n";
  EXPECT_EQ(refusal(event + "by = \"2026Q2\"\nhappened = true\n"), "accepted");
  EXPECT_NE(refusal("[[question]]\nname = \"q\"\nevent = \"coup\"\nby = 3\nhappened = true\n")
                .find("not an event of the study (hybrid_attack, military_action, ceasefire)"),
            std::string::npos);
  EXPECT_NE(refusal(event + "by = \"2024Q4\"\nhappened = true\n").find("question[0].by"),
            std::string::npos);
  EXPECT_NE(refusal(event + "by = \"2035Q1\"\nhappened = true\n").find("2025Q1 to 2034Q4"),
            std::string::npos);
  EXPECT_NE(refusal(event + "by = \"soon\"\nhappened = true\n").find("is not a quarter"),
            std::string::npos);
  EXPECT_NE(refusal(event + "by = 3\nhappened = 1\n").find("question[0].happened"),
            std::string::npos);
  EXPECT_NE(refusal(event + "by = 3\n").find("question[0].happened: missing"), std::string::npos);
  EXPECT_NE(refusal(event + "by = 3\nhappened = true\nstate = \"nato_cohesion\"\n")
                .find("either an 'event' or a 'state'"),
            std::string::npos);
  EXPECT_NE(refusal("[[question]]\nname = \"q\"\nstate = \"nato_cohesion\"\nat = 3\nvalue = 1.5\n")
                .find("question[0].value"),
            std::string::npos);
  EXPECT_NE(refusal("[[question]]\nname = \"q\"\nstate = \"mood\"\nat = 3\nvalue = 0.5\n")
                .find("not a state of the study"),
            std::string::npos);
  EXPECT_NE(refusal(event + "by = 3\nhappened = true\n" + event + "by = 4\nhappened = false\n")
                .find("given twice"),
            std::string::npos);
  EXPECT_NE(refusal(event + "by = 3\nhappened = true\nwhen = 2\n").find("unknown key"),
            std::string::npos);
  EXPECT_NE(
      refusal("[resolved]\nstrategy = \"appeasement\"\n" + event + "by = 3\nhappened = true\n")
          .find("resolved.strategy"),
      std::string::npos);
  EXPECT_NE(refusal("[resolved]\n").find("question: missing"), std::string::npos);
  EXPECT_NE(refusal("question = []\n").find("at least one"), std::string::npos);
}

TEST_F(ScoreTest, AModelWithoutTimeHasNothingToScore) {
  cfg = load_config(test::source_path("configs/ishigami.toml"));
  EXPECT_NE(
      refusal("[[question]]\nname = \"q\"\nevent = \"hybrid_attack\"\nby = 0\nhappened = true\n")
          .find("its model follows none"),
      std::string::npos);
}

}  // namespace
}  // namespace wedge
