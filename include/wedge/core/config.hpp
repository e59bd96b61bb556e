#pragma once
// The scenario configuration: every number of the model lives here, read from TOML.
// The structure of the model (which terms exist) is code; their coefficients are data.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wedge {

// ---- names of the model's fixed structure --------------------------------------------------

//! Uncertain parameters, sampled once per run (model spec section 2).
enum Param : int {
  kReceptiveness,
  kResilience,
  kLeverageGrowth,
  kHedging,
  kOpportunism,
  kDeterrence,
  kCompliance,
  kUkraineResilience,
  kInertia,
  kPersistence,
  kVolatility,
  kNumParams
};
inline constexpr std::array<std::string_view, kNumParams> kParamNames = {"russia_receptiveness",
                                                                         "partnership_resilience",
                                                                         "china_leverage_growth",
                                                                         "european_hedging",
                                                                         "russia_opportunism",
                                                                         "deterrence_effectiveness",
                                                                         "russia_compliance",
                                                                         "ukraine_resilience",
                                                                         "nato_inertia",
                                                                         "policy_persistence",
                                                                         "volatility"};
//! What each parameter means (the spec's table, section 2) and its units, for the result file.
inline constexpr std::array<std::string_view, kNumParams> kParamLongNames = {
    "how far Moscow moves away from Beijing when Washington offers incentives",
    "structural strength of Sino-Russian ties",
    "yearly growth of China's economic leverage over Russia",
    "how strongly Europe seeks alternative security arrangements when the US looks unreliable",
    "Moscow's propensity to exploit perceived Western weakness",
    "how much NATO posture actually deters",
    "chance per quarter that Moscow delivers verifiable de-escalation under conditional relief",
    "Kyiv's own capacity to resist",
    "institutional stickiness of the alliance",
    "chance the strategy survives the US election at the switch quarter",
    "global multiplier on all state shocks"};
inline constexpr std::array<std::string_view, kNumParams> kParamUnits = {
    "1", "1", "1/year", "1", "1", "1", "1", "1", "1", "1", "1"};

//! US policy levers (section 3).
enum Lever : int {
  kRelief,
  kConditionality,
  kAid,
  kCommitment,
  kPresence,
  kConsultation,
  kBurden,
  kCooperation,
  kNumLevers
};
inline constexpr std::array<std::string_view, kNumLevers> kLeverNames = {
    "sanctions_relief",        "conditionality",     "ukraine_aid",
    "nato_commitment",         "forward_presence",   "allied_consultation",
    "burden_sharing_pressure", "limited_cooperation"};

//! The five states evolved in logit space (section 4).
enum StateVar : int { kAlignment, kRapprochement, kCohesion, kAutonomy, kUkraine, kNumStates };
inline constexpr std::array<std::string_view, kNumStates> kStateNames = {
    "alignment", "rapprochement", "nato_cohesion", "european_autonomy", "ukraine_strength"};

//! Terms of each target logit (section 6); the coefficient of each is configurable.
enum AlignmentTerm : int {
  kAInt,
  kAResilience,
  kALeverage,
  kAPressure,
  kAOffer,
  kAMilitary,
  kNumATerms
};
enum RapprochementTerm : int { kRInt, kROffer, kRAlignment, kRMilitary, kRThreat, kNumRTerms };
enum CohesionTerm : int {
  kCInt,
  kCCommitment,
  kCConsultation,
  kCPresence,
  kCBurden,
  kCAutonomy,
  kCThreatDeterred,
  kCThreatUndeterred,
  kCInertia,
  kNumCTerms
};
enum AutonomyTerm : int { kEInt, kEUncommitted, kESidelined, kEBurden, kEThreat, kNumETerms };
enum UkraineTerm : int { kUInt, kUAid, kUAutonomy, kUResilience, kURelief, kNumUTerms };

//! Events and the terms of their log-hazards (section 7).
enum Event : int { kHybrid, kMilitary, kCeasefire, kNumEvents };
inline constexpr std::array<std::string_view, kNumEvents> kEventNames = {
    "hybrid_attack", "military_action", "ceasefire"};
enum HybridTerm : int { kHInt, kHOpportunism, kHWeakness, kHUkraine, kNumHTerms };
enum MilitaryTerm : int { kMInt, kMOpportunism, kMWeakness, kMDeterrence, kMUkraine, kNumMTerms };
enum CeasefireTerm : int { kFInt, kFRapprochement, kFStalemate, kFConditionalRelief, kNumFTerms };

// ---- configuration values ------------------------------------------------------------------

enum class Family {
  kUniform,
  kNormal,
  kTruncatedNormal,
  kLogNormal,
  kBeta,
  kTriangular,
  kPert,
  kFixed
};

//! A prior distribution. Parameters by family:
//! uniform(lower, upper), normal(mean, sd), truncated_normal(mean, sd, lower, upper),
//! lognormal(mu, sigma), beta(alpha, beta), triangular(lower, mode, upper),
//! pert(lower, mode, upper, lambda), fixed(value).
struct Prior {
  Family family = Family::kFixed;
  std::array<double, 4> p{};
  std::string describe() const;
};

struct Correlation {
  int a = 0, b = 0;   //!< parameter indices
  double rank = 0.0;  //!< Spearman rank correlation
};

struct Strategy {
  std::string name;
  std::string description;
  std::array<double, kNumLevers> levers{};
  int fallback = -1;  //!< index of the fallback strategy, -1 for none
};

struct StateSpec {
  double initial = 0.5;
  double theta = 0.0;  //!< mean reversion rate (1/yr)
  double sigma = 0.0;  //!< shock scale (1/sqrt yr)
  double ceasefire_sigma_factor =
      1.0;  //!< sigma is multiplied by this once a ceasefire has happened
};

//! Numbers of the quantities derived each quarter (section 5).
struct Derived {
  double compliance_memory = 0.75;
  double offer_relief = 0.7, offer_cooperation = 0.3;
  double deterrence_commitment = 0.4, deterrence_presence = 0.3, deterrence_aid = 0.3;
  double deterrence_cohesion_base = 0.5, deterrence_cohesion_slope = 0.5;
  double weakness_unconditional_relief = 0.5;
  double threat_half_life = 1.5;
  double threat_jump_hybrid = 1.0, threat_jump_military = 3.0;
};

struct Thresholds {
  double split_below = 0.4, entrenched_above = 0.85, fracture_below = 0.4;
  double autonomous_above = 0.6, pivot_relief = 0.3, pivot_alignment = 0.6;
};

struct Payoff {
  double alignment = 1.0, cohesion = 1.0, ukraine = 0.5, military_action = 2.0,
         hybrid_attack = 0.05;
  int hybrid_cap = 10;
};

//! One condition of a satisficing criterion: min <= outcome <= max.
struct Condition {
  int outcome = 0;
  double min = -1e300, max = 1e300;
};
struct Satisficing {
  std::string name, description;
  std::vector<Condition> conditions;
};

enum class Design { kMonteCarlo, kLatinHypercube };
enum class Records { kNone, kAll };

struct Config {
  std::string path;  //!< file the configuration came from
  std::string text;  //!< its full text, stored in every result file

  // [study]
  std::string name;
  std::uint64_t seed = 0;
  std::uint64_t runs = 0;
  Design design = Design::kMonteCarlo;
  std::uint64_t batch_size = 65536;

  // [output]
  Records records = Records::kNone;
  int histogram_bins = 1000;
  int path_bins = 200;
  int path_sample = 1;  //!< fan-chart quantiles use one run in this many (1, 2, 4, 8 or 16)

  // [time]
  int quarters = 40;
  double dt = 0.25;
  int start_year = 2025;
  int switch_quarter = 16;

  std::array<Prior, kNumParams> priors{};
  std::vector<Correlation> correlations;
  std::vector<Strategy> strategies;
  std::array<StateSpec, kNumStates> states{};
  Derived derived;
  std::array<double, kNumATerms> target_alignment{};
  std::array<double, kNumRTerms> target_rapprochement{};
  std::array<double, kNumCTerms> target_cohesion{};
  std::array<double, kNumETerms> target_autonomy{};
  std::array<double, kNumUTerms> target_ukraine{};
  std::array<double, kNumHTerms> hazard_hybrid{};
  std::array<double, kNumMTerms> hazard_military{};
  std::array<double, kNumFTerms> hazard_ceasefire{};
  Thresholds thresholds;
  Payoff payoff;

  // [analysis]
  int baseline = -1;  //!< strategy the comparisons are made against; -1: every pair
  std::vector<Satisficing> satisficing;

  int num_strategies() const { return static_cast<int>(strategies.size()); }
  int strategy_index(std::string_view name) const;
};


std::string_view design_name(Design d);
std::string_view family_name(Family f);

}  // namespace wedge
