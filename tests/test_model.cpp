#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"
#include "wedge/model.hpp"
#include "wedge/sampling.hpp"

namespace wedge {
namespace {

double sig(double x) { return 1.0 / (1.0 + std::exp(-x)); }

void fix(Config& c, int param, double value) {
  c.priors[static_cast<std::size_t>(param)] = Prior{Family::kFixed, {value, 0, 0, 0}};
}

// Spec section 10, property 1: with no noise and no events every state settles at the fixed
// point of its target, computed here by hand from the configuration.
TEST(Model, ConvergesToTheHandComputedFixedPoint) {
  Config c = test::baseline();
  c.quarters = 400;
  c.switch_quarter = c.quarters;  // no election switch
  for (auto& s : c.states) s.sigma = s.sigma_after_ceasefire = 0.0;
  c.hazard_hybrid[kHInt] = c.hazard_military[kMInt] = c.hazard_ceasefire[kFInt] = -1000.0;
  fix(c, kLeverageGrowth, 0.0);   // L = 0
  fix(c, kCompliance, 1.0);       // K -> 1 deterministically
  fix(c, kReceptiveness, 0.3);
  fix(c, kResilience, 0.7);
  fix(c, kHedging, 0.5);
  const auto out = test::simulate(c, 0, 64);
  for (int s = 0; s < c.num_strategies(); ++s) {
    const auto& l = c.strategies[static_cast<std::size_t>(s)].levers;
    const double K = 1.0, rho = 0.3, pi = 0.7, eta = 0.5, nu_m = 0.0;  // nu enters via (nu - 0.5)
    const double ER = l[kRelief] * ((1 - l[kConditionality]) + l[kConditionality] * K);
    const double S = 1 - ER, O = 0.7 * ER + 0.3 * l[kCooperation];
    const double A = sig(0.0 + 3.0 * (pi - 0.5) + 0.8 * S - 6.0 * rho * O);
    const double R = sig(-2.0 + 3.0 * O * (0.5 + rho) - 1.0 * (A - 0.5));
    const double E = sig(-1.2 + 2.5 * eta * (1 - l[kCommitment]) + 1.0 * eta * (1 - l[kConsultation]) + 0.5 * l[kBurden]);
    const double U0 = -1.5 + 2.0 * l[kAid] + 0.8 * E - 0.8 * (1 - S);  // + 2 (upsilon - 0.5), per run
    const double C0 = 1.5 * l[kCommitment] + 0.8 * l[kConsultation] + 0.5 * l[kPresence] -
                      1.0 * l[kBurden] * (1 - l[kCommitment]) - 1.0 * E + nu_m;  // + 2 (nu - 0.5), per run
    const auto& o = out[static_cast<std::size_t>(s)];
    for (std::size_t r = 0; r < 64; ++r) {
      EXPECT_NEAR(o[kAlignmentFinal][r], A, 1e-9);
      EXPECT_NEAR(o[kRapprochementFinal][r], R, 1e-9);
      EXPECT_NEAR(o[kAutonomyFinal][r], E, 1e-9);
      EXPECT_EQ(o[kMilitaryAction][r], 0.0);
      EXPECT_EQ(o[kHybridAttacks][r], 0.0);
      EXPECT_EQ(o[kCeasefireQuarter][r], -1.0);
      (void)U0, (void)C0;
    }
  }
  // Cohesion and Ukraine depend on per-run nu and upsilon: check them with those fixed too.
  fix(c, kInertia, 0.8);
  fix(c, kUkraineResilience, 0.6);
  const auto out2 = test::simulate(c, 0, 64);
  const auto& l = c.strategies[0].levers;
  const double E = out2[0][kAutonomyFinal][0];
  const double C = sig(1.5 * l[kCommitment] + 0.8 * l[kConsultation] + 0.5 * l[kPresence] -
                       1.0 * l[kBurden] * (1 - l[kCommitment]) - 1.0 * E + 2.0 * (0.8 - 0.5));
  const double ER = l[kRelief] * ((1 - l[kConditionality]) + l[kConditionality]);
  const double U = sig(-1.5 + 2.0 * l[kAid] + 0.8 * E + 2.0 * (0.6 - 0.5) - 0.8 * ER);
  EXPECT_NEAR(out2[0][kCohesionFinal][5], C, 1e-9);
  EXPECT_NEAR(out2[0][kUkraineFinal][5], U, 1e-9);
}

// Property 2: raising receptiveness never raises mean final alignment under relief > 0.
TEST(Model, ReceptivenessLowersAlignmentUnderRelief) {
  Config c = test::baseline();
  double previous = 2.0;
  for (double rho : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    fix(c, kReceptiveness, rho);
    const double mean = test::mean_outcome(c, /*conciliation*/ 1, kAlignmentFinal, 4096);
    EXPECT_LE(mean, previous) << "rho = " << rho;
    previous = mean;
  }
}

// Property 3: raising nato_commitment raises mean final cohesion.
TEST(Model, CommitmentRaisesCohesion) {
  Config c = test::baseline();
  double previous = -1.0;
  for (double commit : {0.0, 0.3, 0.6, 0.9, 1.0}) {
    for (auto& s : c.strategies) s.levers[kCommitment] = commit;
    const double mean = test::mean_outcome(c, 0, kCohesionFinal, 4096);
    EXPECT_GT(mean, previous) << "commitment = " << commit;
    previous = mean;
  }
}

// Property 4: with receptiveness fixed at 1, dual containment splits less than conciliation.
TEST(Model, DualContainmentSplitsLessThanConciliationWhenReceptive) {
  Config c = test::baseline();
  fix(c, kReceptiveness, 1.0);
  const double dual = test::mean_outcome(c, 0, kSplit, 8192);
  const double conc = test::mean_outcome(c, 1, kSplit, 8192);
  EXPECT_LT(dual, conc);
}

// Common random numbers: two strategies with the same levers have identical outcomes, run by run.
TEST(Model, IdenticalStrategiesGiveIdenticalRuns) {
  Config c = test::baseline();
  c.strategies[2] = c.strategies[1];
  c.strategies[2].name = "copy";
  const auto out = test::simulate(c, 0, 512);
  for (int o = 0; o < kNumOutcomes; ++o) EXPECT_EQ(out[1][static_cast<std::size_t>(o)], out[2][static_cast<std::size_t>(o)]);
}

TEST(Model, SwitchHappensWithProbabilityOneMinusPersistence) {
  Config c = test::baseline();
  fix(c, kPersistence, 0.25);
  const double p = test::mean_outcome(c, 1, kPolicySwitched, 20000);
  EXPECT_NEAR(p, 0.75, 4 * std::sqrt(0.75 * 0.25 / 20000));
  EXPECT_EQ(test::mean_outcome(c, 0, kPolicySwitched, 2000), 0.0);  // no fallback, no switch
}

TEST(Model, AfterTheSwitchTheFallbackLeversApply) {
  Config c = test::baseline();
  fix(c, kPersistence, 0.0);  // always switched at quarter 16
  c.strategies[1].fallback = 0;
  c.switch_quarter = 0;      // from the start: conciliation behaves exactly like dual containment
  const auto out = test::simulate(c, 0, 256);
  for (int o : {kAlignmentFinal, kCohesionFinal, kUsPayoff, kHybridAttacks})
    EXPECT_EQ(out[0][static_cast<std::size_t>(o)], out[1][static_cast<std::size_t>(o)]);
}

TEST(Model, OutcomesAreConsistent) {
  const Config c = test::baseline();
  const auto out = test::simulate(c, 1000, 2000);  // a range that starts inside a block
  for (int s = 0; s < c.num_strategies(); ++s) {
    const auto& o = out[static_cast<std::size_t>(s)];
    ASSERT_EQ(o[0].size(), 2000u);
    for (std::size_t r = 0; r < o[0].size(); ++r) {
      EXPECT_EQ(o[kSplit][r], o[kAlignmentFinal][r] < 0.4 ? 1.0 : 0.0);
      EXPECT_EQ(o[kFracture][r], o[kCohesionMin][r] < 0.4 ? 1.0 : 0.0);
      EXPECT_LE(o[kCohesionMin][r], o[kCohesionFinal][r]);
      EXPECT_EQ(o[kMilitaryAction][r], o[kMilitaryQuarter][r] >= 0 ? 1.0 : 0.0);
      EXPECT_EQ(o[kCeasefireReached][r], o[kCeasefireQuarter][r] >= 0 ? 1.0 : 0.0);
      EXPECT_EQ(o[kHybridAttacks][r] > 0, o[kFirstHybridQuarter][r] >= 0);
      const double h = std::min(o[kHybridAttacks][r], 10.0);
      EXPECT_NEAR(o[kUsPayoff][r], (1 - o[kAlignmentFinal][r]) + o[kCohesionFinal][r] + 0.5 * o[kUkraineFinal][r] -
                                       2.0 * o[kMilitaryAction][r] - 0.05 * h, 1e-12);
    }
  }
}

}  // namespace
}  // namespace wedge
