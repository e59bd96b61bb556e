#include <gtest/gtest.h>

#include <string>

#include "test_util.hpp"
#include "wedge/core/config.hpp"
#include "wedge/core/error.hpp"
#include "wedge/io/config_reader.hpp"

namespace wedge {
namespace {

// The example's evidence as the engine sees it: kinds, indices and quarters resolved.
TEST(EvidenceReader, SinceExampleReadsEveryKind) {
  const Config c = load_config(test::source_path("configs/since-2025.toml"));
  ASSERT_TRUE(c.weighted());
  EXPECT_EQ(c.weighting, Weighting::kLikelihood);
  EXPECT_EQ(c.warn_ess_share, 0.01);
  ASSERT_EQ(c.evidence.size(), 5u);
  const Evidence& by = c.evidence[0];
  EXPECT_EQ(by.kind, EvidenceKind::kEventBy);
  EXPECT_EQ(c.events[static_cast<std::size_t>(by.event)].term.key, "hybrid_attack");
  EXPECT_EQ(by.quarter, 3);  // 2025Q4
  EXPECT_TRUE(by.happened);
  EXPECT_EQ(by.error, 0.05);
  EXPECT_GT(by.line, 0);
  const Evidence& count = c.evidence[1];
  EXPECT_EQ(count.kind, EvidenceKind::kEventCount);
  EXPECT_EQ(count.from_quarter, 4);  // 2026Q1
  EXPECT_EQ(count.quarter, 7);       // 2026Q4
  EXPECT_EQ(count.count, 1);
  const Evidence& none = c.evidence[2];
  EXPECT_FALSE(none.happened);
  EXPECT_EQ(none.error, 0.0);  // hard
  const Evidence& s = c.evidence[4];
  EXPECT_EQ(s.kind, EvidenceKind::kState);
  EXPECT_EQ(c.states[static_cast<std::size_t>(s.state)].key, "nato_cohesion");
  EXPECT_EQ(s.value, 0.55);
  EXPECT_EQ(s.sd, 0.5);
  EXPECT_FALSE(s.description.empty());
  EXPECT_FALSE(s.source.empty());
  for (const Evidence& e : c.evidence) EXPECT_LT(e.quarter, c.decision_quarter) << e.name;
  EXPECT_FALSE(test::baseline().weighted());
}

std::string since_with(const std::string& extra) {
  return test::read_file(test::source_path("configs/since-2025.toml")) + extra;
}

TEST(EvidenceReader, RejectionTolerances) {
  // The example's items are likelihood items: a rejection study of its own instead.
  std::string text = since_with("");
  text = text.substr(0, text.find("[weighting]"));
  text += R"(
[weighting]
method = "rejection"
[[evidence]]
name = "count"
description = "d"
source = "s"
kind = "event_count"
event = "hybrid_attack"
from = 0
to = "2026Q4"
count = 2
tolerance = 1
[[evidence]]
name = "cohesion"
description = "d"
source = "s"
kind = "state"
state = "nato_cohesion"
at = "2025Q2"
value = 0.6
tolerance = 0.3
)";
  const Config c = parse_config(text, "r.toml");
  EXPECT_EQ(c.weighting, Weighting::kRejection);
  ASSERT_EQ(c.evidence.size(), 2u);
  EXPECT_EQ(c.evidence[0].from_quarter, 0);
  EXPECT_EQ(c.evidence[0].tolerance, 1.0);
  EXPECT_EQ(c.evidence[1].quarter, 1);
  EXPECT_EQ(c.evidence[1].tolerance, 0.3);
  // A state without a tolerance cannot be kept or dropped.
  const std::string no_tol = text.substr(0, text.rfind("tolerance = 0.3"));
  try {
    parse_config(no_tol, "r.toml");
    FAIL() << "a rejection state item without a tolerance was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "evidence[1].tolerance");
    EXPECT_NE(e.message().find("needs a tolerance > 0"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace wedge
