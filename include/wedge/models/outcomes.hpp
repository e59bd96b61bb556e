#pragma once
// The per-run outcomes of the model (model spec section 8) and what the statistics need to
// know about each: its kind and the range its histogram covers.
#include <array>
#include <string_view>

namespace wedge {

struct Config;

enum Outcome : int {
  kAlignmentFinal,
  kRapprochementFinal,
  kCohesionFinal,
  kAutonomyFinal,
  kUkraineFinal,
  kCohesionMin,
  kHybridAttacks,
  kFirstHybridQuarter,
  kMilitaryQuarter,
  kCeasefireQuarter,
  kMilitaryAction,
  kCeasefireReached,
  kSplit,
  kEntrenched,
  kFracture,
  kEuropeAutonomous,
  kPolicySwitched,
  kReliefReceived,
  kRussiaPivot,
  kUsPayoff,
  kNumOutcomes
};

//! Continuous outcomes get fixed-width bins over their range; integer and binary outcomes get
//! one bin per value, so their quantiles are exact.
enum class OutcomeKind { kContinuous, kInteger, kBinary };

struct OutcomeInfo {
  std::string_view name;
  std::string_view long_name;
  std::string_view units;
  OutcomeKind kind;
};

inline constexpr std::array<OutcomeInfo, kNumOutcomes> kOutcomes = {{
    {"alignment_final", "Sino-Russian alignment at the horizon (0 split, 1 alliance)", "1",
     OutcomeKind::kContinuous},
    {"rapprochement_final", "US-Russia relations at the horizon (0 confrontation, 1 normal)", "1",
     OutcomeKind::kContinuous},
    {"nato_cohesion_final", "Transatlantic cohesion at the horizon", "1", OutcomeKind::kContinuous},
    {"european_autonomy_final", "European hedging toward independent security at the horizon", "1",
     OutcomeKind::kContinuous},
    {"ukraine_strength_final", "Ukraine's position at the horizon", "1", OutcomeKind::kContinuous},
    {"nato_cohesion_min", "Lowest transatlantic cohesion on the path", "1",
     OutcomeKind::kContinuous},
    {"hybrid_attacks", "Number of Russian hybrid attacks", "count", OutcomeKind::kInteger},
    {"first_hybrid_attack_quarter", "Quarter of the first Russian hybrid attack (-1: none)",
     "quarter", OutcomeKind::kInteger},
    {"military_action_quarter", "First quarter of Russian military action against NATO (-1: none)",
     "quarter", OutcomeKind::kInteger},
    {"ceasefire_quarter", "Quarter of the Ukraine ceasefire (-1: none)", "quarter",
     OutcomeKind::kInteger},
    {"military_action", "Russian military action against NATO territory happened", "1",
     OutcomeKind::kBinary},
    {"ceasefire", "A ceasefire in Ukraine happened", "1", OutcomeKind::kBinary},
    {"split", "Sino-Russian split (final alignment below threshold)", "1", OutcomeKind::kBinary},
    {"entrenched", "Entrenched Sino-Russian alliance (final alignment above threshold)", "1",
     OutcomeKind::kBinary},
    {"nato_fracture", "NATO fracture (cohesion fell below threshold)", "1", OutcomeKind::kBinary},
    {"europe_autonomous", "Europe chose autonomy (final autonomy above threshold)", "1",
     OutcomeKind::kBinary},
    {"policy_switched", "The US strategy was replaced by its fallback after the election", "1",
     OutcomeKind::kBinary},
    {"relief_received", "Mean effective sanctions relief received by Russia", "1",
     OutcomeKind::kContinuous},
    {"russia_pivot", "Russia pocketed the relief and kept its China ties", "1",
     OutcomeKind::kBinary},
    {"us_payoff", "US payoff (weights in the configuration)", "1", OutcomeKind::kContinuous},
}};

struct Range {
  double lo, hi;
};
//! The interval every value of the outcome lies in under this configuration.
Range outcome_range(const Config& cfg, int outcome);
//! Number of histogram bins of the outcome (one per value for integer and binary outcomes).
int outcome_bins(const Config& cfg, int outcome);
int outcome_index(std::string_view name);  //!< -1 when unknown

}  // namespace wedge
