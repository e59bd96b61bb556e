#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "wedge/core/config.hpp"
#include "wedge/core/evidence.hpp"

namespace wedge {
namespace {

// Expected multiplicities below are round(w * 2^24) of hand-computed weights w, e.g.
// 0.9 * 16777216 = 15099494.4 -> 15099494; the likelihood goes through exp(log), so a weight
// that is not a power of two may land one count either side.
constexpr std::uint32_t kNine = 15099494;    // w = 0.9
constexpr std::uint32_t kOne10th = 1677722;  // w = 0.1

constexpr int kQuarters = 6;  // history quarters 0..5 (decision quarter 6)
constexpr int kEvents = 2, kStates = 2;

// One block's history: each lane's event counts and state levels per quarter.
struct History {
  std::vector<double> counts = std::vector<double>(kQuarters * kEvents * kBlock, 0.0);
  std::vector<double> levels = std::vector<double>(kQuarters * kStates * kBlock, 0.5);
  double& count(int t, int e, int l) { return counts[(t * kEvents + e) * kBlock + l]; }
  double& level(int t, int s, int l) { return levels[(t * kStates + s) * kBlock + l]; }
  //! Event e happens once in quarter q of lane l (counts are cumulative).
  void happen(int e, int l, int q) {
    for (int t = q; t < kQuarters; ++t) count(t, e, l) += 1.0;
  }
};

Config config(std::vector<Evidence> items, Weighting w = Weighting::kLikelihood) {
  Config c;
  c.evidence = std::move(items);
  c.weighting = w;
  return c;
}

std::vector<std::uint32_t> weigh(EvidenceLikelihood& lik, History& h) {
  lik.begin_block();
  for (int t = 0; t < kQuarters; ++t) lik.history(t, &h.level(t, 0, 0), &h.count(t, 0, 0));
  std::vector<std::uint32_t> m(kBlock);
  lik.weights(m.data());
  return m;
}

Evidence event_by(int event, int by, bool happened, double error = 0.0) {
  Evidence e;
  e.kind = EvidenceKind::kEventBy;
  e.event = event, e.quarter = by, e.happened = happened, e.error = error;
  return e;
}

Evidence event_count(int event, int from, int to, int count, double error = 0.0) {
  Evidence e;
  e.kind = EvidenceKind::kEventCount;
  e.event = event, e.from_quarter = from, e.quarter = to, e.count = count, e.error = error;
  return e;
}

Evidence state(int s, int at, double value, double sd) {
  Evidence e;
  e.kind = EvidenceKind::kState;
  e.state = s, e.quarter = at, e.value = value, e.sd = sd;
  return e;
}

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

TEST(EvidenceLikelihood, NoEvidenceWeighsOne) {
  const Config c = config({});
  EvidenceLikelihood lik(c);
  EXPECT_TRUE(lik.empty());
  History h;
  for (std::uint32_t m : weigh(lik, h)) EXPECT_EQ(m, kWeightOne);
}

TEST(EvidenceLikelihood, EventByHardAndSoft) {
  // Lane l: event 1 first happens in quarter l % 8 (6 and 7: never within the history).
  History h;
  for (int l = 0; l < kBlock; ++l)
    if (l % 8 < kQuarters) h.happen(1, l, l % 8);
  const Config hard = config({event_by(1, 2, true)});
  EvidenceLikelihood lik(hard);
  auto m = weigh(lik, h);
  for (int l = 0; l < kBlock; ++l) EXPECT_EQ(m[l], l % 8 <= 2 ? kWeightOne : 0u) << l;
  // Did not happen by quarter 3, observed with a 10% chance of being wrong.
  const Config soft = config({event_by(1, 3, false, 0.1)});
  EvidenceLikelihood lik2(soft);
  m = weigh(lik2, h);
  for (int l = 0; l < kBlock; ++l) EXPECT_NEAR(m[l], l % 8 <= 3 ? kOne10th : kNine, 1) << l;
}

TEST(EvidenceLikelihood, EventCountWindow) {
  // Lane l: event 0 happens in quarters 1, 2 and 4 when l is odd, in quarters 0 and 5 when
  // even; the window 2..4 holds 2 events (odd lanes) or 0 (even lanes), after 1 before it.
  History h;
  for (int l = 0; l < kBlock; ++l) {
    if (l % 2 == 1)
      for (int q : {1, 2, 4}) h.happen(0, l, q);
    else
      for (int q : {0, 5}) h.happen(0, l, q);
  }
  const Config c = config({event_count(0, 2, 4, 2)});
  EvidenceLikelihood lik(c);
  auto m = weigh(lik, h);
  for (int l = 0; l < kBlock; ++l) EXPECT_EQ(m[l], l % 2 == 1 ? kWeightOne : 0u) << l;
  // A window from the start: count(to) - 0. Quarters 0..1 hold 1 event in every lane.
  const Config from_start = config({event_count(0, 0, 1, 1, 0.1)});
  EvidenceLikelihood lik2(from_start);
  m = weigh(lik2, h);
  for (int l = 0; l < kBlock; ++l) EXPECT_NEAR(m[l], kNine, 1) << l;
  // Zero events observed in 3..3: no lane has one there, so every lane matches.
  const Config zero = config({event_count(0, 3, 3, 0)});
  EvidenceLikelihood lik3(zero);
  m = weigh(lik3, h);
  for (int l = 0; l < kBlock; ++l) EXPECT_EQ(m[l], kWeightOne) << l;
}

TEST(EvidenceLikelihood, StateGaussianOnTheLogitScale) {
  // value 0.3, sd 0.5: a level at the value weighs exactly 1; one sd away exp(-1/2); two sd
  // away exp(-2).
  const double v = 0.3, sd = 0.5, lv = std::log(v / (1 - v));
  History h;
  for (int l = 0; l < kBlock; ++l) h.level(4, 1, l) = logistic(lv + sd * (l % 3));
  const Config c = config({state(1, 4, v, sd)});
  EvidenceLikelihood lik(c);
  const auto m = weigh(lik, h);
  const std::uint32_t expected[3] = {kWeightOne, 10175896, 2270549};  // exp(0), exp(-.5), exp(-2)
  for (int l = 0; l < kBlock; ++l) EXPECT_NEAR(m[l], expected[l % 3], 1) << l;
  for (int l = 0; l < kBlock; l += 3) EXPECT_EQ(m[l], kWeightOne) << l;
}

TEST(EvidenceLikelihood, SaturatedLevelsAreClampedNotNaN) {
  // Levels of exactly 0 and 1 (a saturated logistic): finite logits, weight 0 for a likelihood,
  // kept by a rejection whose tolerance reaches the clamp (|logit| <= 27.7).
  History h;
  for (int l = 0; l < kBlock; ++l) h.level(2, 0, l) = l % 2 == 0 ? 0.0 : 1.0;
  const Config c = config({state(0, 2, 0.5, 1.0)});
  EvidenceLikelihood lik(c);
  for (std::uint32_t m : weigh(lik, h)) EXPECT_EQ(m, 0u);
  Evidence wide = state(0, 2, 0.5, 1.0);
  wide.tolerance = 30.0;
  const Config r = config({wide}, Weighting::kRejection);
  EvidenceLikelihood rej(r);
  for (std::uint32_t m : weigh(rej, h)) EXPECT_EQ(m, kWeightOne);
}

TEST(EvidenceLikelihood, ItemsMultiply) {
  // Soft event_by that every lane contradicts (0.2), a soft count every lane matches (0.9) and a
  // state two sd away (exp(-2)): w = 0.2 * 0.9 * exp(-2) = 0.024360 -> 408699.
  History h;
  for (int l = 0; l < kBlock; ++l) {
    h.happen(0, l, 1);
    h.level(5, 0, l) = logistic(0.2 * 2.0);  // value 0.5 (logit 0), sd 0.2
  }
  const Config c =
      config({event_by(0, 3, false, 0.2), event_count(0, 0, 2, 1, 0.1), state(0, 5, 0.5, 0.2)});
  EvidenceLikelihood lik(c);
  for (std::uint32_t m : weigh(lik, h)) EXPECT_NEAR(m, 408699, 1);
  // A hard item that fails drops the run whatever the others say.
  const Config hard = config({event_by(0, 3, false), state(0, 5, 0.5, 0.2)});
  EvidenceLikelihood lik2(hard);
  for (std::uint32_t m : weigh(lik2, h)) EXPECT_EQ(m, 0u);
}

TEST(EvidenceLikelihood, RejectionKeepsRunsWithinTolerance) {
  // Lane l: l % 4 events in quarters 0..3 of event 0 (quarters 0, 1, 2), event 1 never; state 0
  // at quarter 3 at logit 0.1 * (l % 5) from the observed 0.5.
  History h;
  for (int l = 0; l < kBlock; ++l) {
    for (int q = 0; q < l % 4; ++q) h.happen(0, l, q);
    h.level(3, 0, l) = logistic(0.1 * (l % 5));
  }
  Evidence count = event_count(0, 0, 3, 1);
  count.tolerance = 1.0;  // 0, 1 or 2 events kept
  Evidence s = state(0, 3, 0.5, 1.0);
  s.tolerance = 0.25;  // logit distance 0, 0.1, 0.2 kept
  const Config c = config({event_by(1, 5, false), count, s}, Weighting::kRejection);
  EvidenceLikelihood lik(c);
  const auto m = weigh(lik, h);
  for (int l = 0; l < kBlock; ++l)
    EXPECT_EQ(m[l], (l % 4 <= 2 && l % 5 <= 2) ? kWeightOne : 0u) << l;
}

TEST(EvidenceLikelihood, BlocksAreIndependentAndQuartersInOrder) {
  History a, b;
  for (int l = 0; l < kBlock; ++l) a.happen(0, l, 0);
  const Config c = config({event_by(0, 4, true), event_count(0, 2, 3, 0)});
  EvidenceLikelihood lik(c);
  for (std::uint32_t m : weigh(lik, a)) EXPECT_EQ(m, kWeightOne);
  for (std::uint32_t m : weigh(lik, b)) EXPECT_EQ(m, 0u);  // nothing carried over from a
  // A model that skips a history quarter, or asks for weights too early, is a bug: refused.
  lik.begin_block();
  lik.history(0, a.levels.data(), a.counts.data());
  EXPECT_THROW(lik.history(2, a.levels.data(), a.counts.data()), std::logic_error);
  lik.begin_block();
  lik.history(0, a.levels.data(), a.counts.data());
  std::uint32_t m[kBlock];
  EXPECT_THROW(lik.weights(m), std::logic_error);
}

}  // namespace
}  // namespace wedge
