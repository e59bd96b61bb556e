// The vocabulary tables against the docs and the shipped configuration: a key the code knows
// but the docs or configs/baseline.toml do not (or the reverse, for the configuration) fails.
#include <gtest/gtest.h>

#include <regex>

#include "test_util.hpp"
#include "wedge/io/config_reader.hpp"

namespace wedge {
namespace {

// Strings built with append: GCC 12 warns (falsely, -Wrestrict) on chained operator+ here.
bool mentions(const std::string& text, std::string_view key) {
  return text.find(std::string("`").append(key).append("`")) != std::string::npos;
}

TEST(Vocabulary, EveryTermIsDocumented) {
  const std::string conf = test::read_file(test::source_path("docs/configuration.md"));
  const std::string model = test::read_file(test::source_path("docs/model.md"));
  for (const Term& t : kParams) EXPECT_TRUE(mentions(conf, t.key)) << t.key;
  for (const Term& t : kLevers) EXPECT_TRUE(mentions(conf, t.key)) << t.key;
  for (const Term& t : kStates) EXPECT_TRUE(mentions(conf, t.key)) << t.key;
  for (const CoefficientTerm& t : kCoefficients)
    EXPECT_TRUE(mentions(conf, t.term.key)) << t.section << "." << t.term.key;
  for (const OutcomeTerm& o : kOutcomes) EXPECT_TRUE(mentions(model, o.term.key)) << o.term.key;
}

// The reader asks for exactly the tables' keys: every coefficient of the baseline file is one
// of kCoefficients (an unknown key would be refused), and each has the file's value.
TEST(Vocabulary, TheBaselineHoldsEveryCoefficientWithItsValue) {
  const std::string text = test::read_file(test::source_path("configs/baseline.toml"));
  const Config c = test::baseline();
  const auto& coef = triangle::settings(c).coef;
  for (const CoefficientTerm& t : kCoefficients) {
    const std::size_t sec = text.find(std::string("[").append(t.section).append("]"));
    ASSERT_NE(sec, std::string::npos) << t.section;
    std::smatch m;
    const std::string rest = text.substr(sec);
    const std::regex line(std::string("\n").append(t.term.key).append("\\s*=\\s*([-0-9.eE]+)"));
    ASSERT_TRUE(std::regex_search(rest, m, line)) << t.section << "." << t.term.key;
    EXPECT_EQ(coef[static_cast<std::size_t>(t.term.id)], std::stod(m[1].str()))
        << t.section << "." << t.term.key;
  }
}

TEST(Vocabulary, TheConfigurationDeclaresTheTablesInOrder) {
  const Config c = test::baseline();
  ASSERT_EQ(c.num_params, kNumParams);
  for (int p = 0; p < kNumParams; ++p)
    EXPECT_EQ(c.inputs[static_cast<std::size_t>(p)].name, kParams[static_cast<std::size_t>(p)].key);
  ASSERT_EQ(c.num_outcomes(), kNumOutcomes);
  for (int o = 0; o < kNumOutcomes; ++o)
    EXPECT_EQ(c.outcomes[static_cast<std::size_t>(o)].name,
              kOutcomes[static_cast<std::size_t>(o)].term.key);
  ASSERT_EQ(c.levers.size(), static_cast<std::size_t>(kNumLevers));
  ASSERT_EQ(c.num_states(), kNumStates);
}

}  // namespace
}  // namespace wedge
