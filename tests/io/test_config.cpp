#include <gtest/gtest.h>

#include "test_util.hpp"
#include "wedge/core/error.hpp"
#include "wedge/io/config_reader.hpp"
#include "wedge/models/strategic_triangle.hpp"

namespace wedge {
namespace {

using test::baseline_with;

TEST(Config, BaselineHasTheSpecDefaults) {
  const Config c = test::baseline();
  EXPECT_EQ(c.num_strategies(), 3);
  EXPECT_EQ(c.runs, 1000000u);
  EXPECT_EQ(c.quarters, 40);
  EXPECT_DOUBLE_EQ(c.dt, 0.25);
  EXPECT_EQ(c.switch_quarter, 16);
  EXPECT_EQ(c.inputs[kReceptiveness].prior.family, Family::kBeta);
  EXPECT_DOUBLE_EQ(c.inputs[kReceptiveness].prior.p[0], 2.0);
  EXPECT_DOUBLE_EQ(c.inputs[kReceptiveness].prior.p[1], 5.0);
  EXPECT_EQ(c.inputs[kVolatility].prior.family, Family::kLogNormal);
  EXPECT_EQ(c.strategies[1].name, "conciliation");
  EXPECT_EQ(c.strategies[1].fallback, 0);
  EXPECT_EQ(c.strategies[0].fallback, -1);
  EXPECT_DOUBLE_EQ(c.strategies[2].levers[kCommitment], 0.95);
  const auto& coef = triangle::settings(c).coef;
  EXPECT_DOUBLE_EQ(coef[kAOffer], -6.0);
  EXPECT_DOUBLE_EQ(coef[kMInt], -6.0);
  EXPECT_DOUBLE_EQ(coef[state_coef(kUkraine, kCeasefireFactor)], 0.5);
  EXPECT_DOUBLE_EQ(coef[state_coef(kAlignment, kCeasefireFactor)], 1.0);
  ASSERT_EQ(c.satisficing.size(), 1u);
  EXPECT_EQ(c.satisficing[0].conditions[0].outcome, kFracture);
}

TEST(Config, CorrelatedExampleLoads) {
  const Config c = load_config(test::source_path("configs/correlated.toml"));
  ASSERT_EQ(c.correlations.size(), 2u);
  EXPECT_DOUBLE_EQ(c.correlations[0].rank, -0.4);
}

TEST(Config, CompactRecordsKeepTheNamedOutcomesOrThePayoff) {
  const Config named = parse_config(
      baseline_with("records = \"none\"",
                    "records = \"compact\"\nrecord_outcomes = [\"us_payoff\", \"split\"]"),
      "c.toml");
  EXPECT_EQ(named.records, Records::kCompact);
  EXPECT_EQ(recorded_outcomes(named),
            (std::vector<int>{named.outcome_index("us_payoff"), named.outcome_index("split")}));
  const Config dflt =
      parse_config(baseline_with("records = \"none\"", "records = \"compact\""), "d.toml");
  EXPECT_EQ(recorded_outcomes(dflt), std::vector<int>{dflt.payoff});
  EXPECT_EQ(recorded_outcomes(test::baseline()).size(), test::baseline().outcomes.size());
}

TEST(Config, AddingAStrategyNeedsNoRebuild) {
  const std::string extra =
      "[[strategy]]\nname = \"grand_bargain\"\nsanctions_relief = 1.0\nconditionality = "
      "0.0\nukraine_aid = 0.0\n"
      "nato_commitment = 0.5\nforward_presence = 0.2\nallied_consultation = "
      "0.5\nburden_sharing_pressure = 0.5\n"
      "limited_cooperation = 1.0\n\n[states.alignment]";
  const Config c = parse_config(baseline_with("[states.alignment]", extra), "four.toml");
  EXPECT_EQ(c.num_strategies(), 4);
  EXPECT_EQ(c.strategies[3].name, "grand_bargain");
}

// Every kind of bad configuration: an InputError naming file, line and key.
struct BadCase {
  const char* name;
  const char* from;
  const char* to;
  const char* key;
  const char* message;
};

class BadConfig : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadConfig, IsRejectedWithFileLineAndKey) {
  const BadCase& bc = GetParam();
  const std::string text = baseline_with(bc.from, bc.to);
  try {
    parse_config(text, "bad.toml");
    FAIL() << "accepted a bad configuration: " << bc.name;
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "bad.toml");
    EXPECT_GT(e.line(), 0) << e.what();
    EXPECT_EQ(e.key(), bc.key) << e.what();
    EXPECT_NE(std::string(e.what()).find(bc.message), std::string::npos) << e.what();
    // The line named must be the line that holds the key (or its table).
    const std::string& t = text;
    std::size_t pos = 0;
    for (int l = 1; l < e.line(); ++l) pos = t.find('\n', pos) + 1;
    const std::string line = t.substr(pos, t.find('\n', pos) - pos);
    const std::string last = std::string(bc.key).substr(std::string(bc.key).rfind('.') + 1);
    const std::string leaf = last.substr(0, last.find('['));
    EXPECT_TRUE(line.find(leaf) != std::string::npos || line.find('[') != std::string::npos)
        << "line " << e.line() << " is '" << line << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, BadConfig,
    ::testing::Values(
        BadCase{"unknown key", "switch_quarter = 16", "switch_quarter = 16\nswitch_quater = 3",
                "time.switch_quater", "unknown key (did you mean 'switch_quarter'?)"},
        BadCase{"typo in a required key", "quarters = 40 ", "quaters = 40 ", "time.quaters",
                "did you mean 'quarters'"},
        BadCase{"wrong type", "quarters = 40 ", "quarters = \"forty\" ", "time.quarters",
                "expected an integer"},
        BadCase{"value out of range", "dt = 0.25", "dt = -0.25", "time.dt", "out of range"},
        BadCase{"lever out of range", "sanctions_relief = 0.7", "sanctions_relief = 1.7",
                "strategy[1].sanctions_relief", "out of range"},
        BadCase{"invalid beta parameters", "alpha = 2.0, beta = 5.0", "alpha = -2.0, beta = 5.0",
                "parameters.russia_receptiveness.alpha", "out of range"},
        BadCase{"unknown distribution", "dist = \"lognormal\"", "dist = \"log-normal\"",
                "parameters.volatility.dist", "is not one of"},
        BadCase{"prior outside the domain", "{ dist = \"beta\", alpha = 2.0, beta = 3.0 }",
                "{ dist = \"normal\", mean = 0.4, sd = 0.2 }", "parameters.russia_compliance",
                "outside the parameter's domain"},
        BadCase{"triangular mode outside",
                "volatility               = { dist = \"lognormal\", mu = 0.0, sigma = 0.3 }",
                "volatility = { dist = \"triangular\", lower = 0.5, mode = 2.0, upper = 1.5 }",
                "parameters.volatility.mode", "must lie in"},
        BadCase{"correlation not positive definite", "# [[correlations]]",
                "[[correlations]]\nbetween = [\"russia_receptiveness\", "
                "\"partnership_resilience\"]\nrank = 0.9\n"
                "[[correlations]]\nbetween = [\"russia_receptiveness\", "
                "\"european_hedging\"]\nrank = 0.9\n"
                "[[correlations]]\nbetween = [\"partnership_resilience\", "
                "\"european_hedging\"]\nrank = -0.9\n",
                "correlations", "not positive definite"},
        BadCase{"fallback names no strategy",
                "fallback = \"dual_containment\"\n\n[[strategy]]\nname = \"engagement",
                "fallback = \"dual_contaiment\"\n\n[[strategy]]\nname = \"engagement",
                "strategy[1].fallback", "names no strategy"},
        BadCase{"missing key", "hybrid_cap = 10 ", "", "payoff.hybrid_cap", "missing"},
        BadCase{"unknown record outcome", "records = \"none\"",
                "records = \"compact\"\nrecord_outcomes = [\"split\", \"us_payof\"]",
                "output.record_outcomes[1]", "'us_payof' is not an outcome of the model"},
        BadCase{"record outcome named twice", "records = \"none\"",
                "records = \"compact\"\nrecord_outcomes = [\"split\", \"split\"]",
                "output.record_outcomes[1]", "'split' is named twice"},
        BadCase{"record_outcomes without compact records", "records = \"none\"",
                "records = \"all\"\nrecord_outcomes = [\"split\"]", "output.record_outcomes",
                "set records = \"compact\""},
        BadCase{"empty record_outcomes", "records = \"none\"",
                "records = \"compact\"\nrecord_outcomes = []", "output.record_outcomes",
                "name at least one outcome"},
        BadCase{"unknown records mode", "records = \"none\"", "records = \"some\"",
                "output.records", "is not one of"},
        BadCase{"batch not a multiple of the block", "batch_size = 65536", "batch_size = 1000",
                "study.batch_size", "multiple of 64"},
        BadCase{"satisficing on an unknown outcome", "{ outcome = \"military_action\", max = 0 }",
                "{ outcome = \"military_acton\", max = 0 }",
                "analysis.satisficing[0].conditions[1].outcome", "names no outcome"},
        BadCase{"duplicate strategy", "name = \"conciliation\"", "name = \"dual_containment\"",
                "strategy[1].name", "defined twice"},
        BadCase{"unknown model", "name = \"baseline\"", "name = \"baseline\"\nmodel = \"ishigam\"",
                "study.model", "is not a model wedge knows (\"strategic_triangle\", \"ishigami\""},
        BadCase{"prior on a lever", "sanctions_relief = 0.7",
                "sanctions_relief = { dist = \"uniform\", lower = 0.5, upper = 0.9 }",
                "strategy[1].sanctions_relief",
                "a prior is allowed only on the model's coefficients"},
        BadCase{"prior on the number of quarters", "quarters = 40 ",
                "quarters = { dist = \"uniform\", lower = 30, upper = 50 } ", "time.quarters",
                "a prior is allowed only on the model's coefficients"},
        BadCase{"prior on a coefficient outside its values", "split_below = 0.4",
                "split_below = { dist = \"normal\", mean = 0.4, sd = 0.1 }", "outcomes.split_below",
                "outside the coefficient's allowed values"},
        BadCase{"uncertain theta may overshoot", "theta = 0.5",
                "theta = { dist = \"uniform\", lower = 0.1, upper = 5.0 }",
                "states.alignment.theta", "theta * dt must not exceed 1"},
        BadCase{"uncertain payoff weight unbounded", "cohesion = 1.0 ",
                "cohesion = { dist = \"lognormal\", mu = 0.0, sigma = 1.0 } ", "payoff.hybrid_cap",
                "can exceed 2000"},
        BadCase{"fan chart of an unknown strategy", "[time]",
                "fan_charts = [\"conciliation\", \"conciliaton\"]\n[time]", "output.fan_charts[1]",
                "\"conciliaton\" names no strategy"},
        BadCase{"fan chart listed twice", "[time]",
                "fan_charts = [\"conciliation\", \"conciliation\"]\n[time]", "output.fan_charts[1]",
                "\"conciliation\" is listed twice"},
        BadCase{"fan chart not a name", "[time]", "fan_charts = [3]\n[time]",
                "output.fan_charts[0]", "expected a strategy name"},
        BadCase{"bad prior on a coefficient", "receptive_offer = -6.0",
                "receptive_offer = { dist = \"normal\", mean = -6.0, sd = -1.0 }",
                "targets.alignment.receptive_offer.sd", "out of range"}),
    [](const auto& param_info) {
      std::string n = param_info.param.name;
      for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST(Config, SyntaxErrorNamesTheLine) {
  try {
    parse_config("[study]\nname = \"x\"\nseed = = 3\n", "syntax.toml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(std::string(e.what()).find("syntax.toml:3"), std::string::npos);
  }
}

TEST(Config, EmptyStrategyListIsNamedAtItsLine) {
  std::string text = test::read_file(test::source_path("configs/baseline.toml"));
  const auto from = text.find("\n[[strategy]]") + 1, to = text.find("\n[states.alignment]") + 1;
  ASSERT_LT(from, to);
  text = "# no strategies\n\nstrategy = []\n" + text.erase(from, to - from);
  try {
    parse_config(text, "empty.toml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 3) << e.what();
    EXPECT_EQ(e.key(), "strategy");
    EXPECT_NE(std::string(e.what()).find("at least one strategy"), std::string::npos);
  }
}

TEST(Config, NonFiniteNumbersAreRefused) {
  for (const char* v : {"nan", "inf", "-inf"}) {
    EXPECT_THROW(parse_config(baseline_with("split_below = 0.4", std::string("split_below = ") + v),
                              "nf.toml"),
                 InputError)
        << v;
    EXPECT_THROW(parse_config(baseline_with("alpha = 2.0, beta = 5.0",
                                            std::string("alpha = ") + v + ", beta = 5.0"),
                              "nf.toml"),
                 InputError)
        << v;
  }
}

TEST(Config, MissingFileIsAnInputError) {
  EXPECT_THROW(load_config("/nonexistent/wedge.toml"), InputError);
}

}  // namespace
}  // namespace wedge

namespace wedge {
namespace {

// [history]: the baseline with a history table appended.
Config with_history(const std::string& table) {
  return parse_config(
      test::read_file(test::source_path("configs/baseline.toml")) + "\n[history]\n" + table,
      "h.toml");
}
std::string history_refusal(const std::string& table) {
  try {
    with_history(table);
  } catch (const InputError& e) {
    return e.key() + ": " + e.message();
  }
  return "accepted";
}

TEST(Config, HistoryByNameOrLevers) {
  const Config named = with_history("strategy = \"conciliation\"\ndecision_quarter = \"2026Q4\"\n");
  ASSERT_TRUE(named.history.has_value());
  EXPECT_EQ(named.decision_quarter, 7);
  EXPECT_EQ(named.history->name, "conciliation");
  EXPECT_EQ(named.history->levers, named.strategies[1].levers);
  EXPECT_EQ(named.history->fallback, -1);  // a history does not switch
  std::string levers = "decision_quarter = 3\n[history.levers]\n";
  for (const Term& t : kLevers) levers += std::string(t.key) + " = 0.25\n";
  const Config given = with_history(levers);
  EXPECT_EQ(given.decision_quarter, 3);
  EXPECT_EQ(given.history->levers, std::vector<double>(kNumLevers, 0.25));
  EXPECT_FALSE(test::baseline().history.has_value());
}

TEST(Config, HistoryRefusals) {
  EXPECT_NE(history_refusal("strategy = \"appeasement\"\ndecision_quarter = 4\n")
                .find("history.strategy: \"appeasement\" names no strategy"),
            std::string::npos);
  EXPECT_NE(history_refusal("decision_quarter = 4\n").find("either as 'strategy'"),
            std::string::npos);
  EXPECT_NE(
      history_refusal("strategy = \"conciliation\"\n").find("history.decision_quarter: missing"),
      std::string::npos);
  EXPECT_NE(history_refusal("strategy = \"conciliation\"\ndecision_quarter = \"2029Q2\"\n")
                .find("not after the switch quarter (2029Q1"),
            std::string::npos);
  EXPECT_NE(history_refusal("strategy = \"conciliation\"\ndecision_quarter = \"2025Q1\"\n")
                .find("must lie after the start"),
            std::string::npos);
  EXPECT_NE(history_refusal("strategy = \"conciliation\"\ndecision_quarter = \"next year\"\n")
                .find("is not a quarter"),
            std::string::npos);
  EXPECT_NE(history_refusal("decision_quarter = 4\n[history.levers]\nsanctions_relief = 0.2\n")
                .find("history.levers.conditionality: missing"),
            std::string::npos);
  EXPECT_NE(history_refusal("strategy = \"conciliation\"\ndecision_quarter = 4\nsince = 1\n")
                .find("history.since: unknown key"),
            std::string::npos);
  const std::string ishigami = test::read_file(test::source_path("configs/ishigami.toml"));
  try {
    parse_config(ishigami + "\n[history]\nstrategy = \"model\"\ndecision_quarter = 1\n", "i.toml");
    FAIL() << "a history for a model without levers was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no policy levers"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace wedge
