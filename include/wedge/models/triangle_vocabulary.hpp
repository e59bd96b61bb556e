#pragma once
// The vocabulary of the strategic-triangle model (docs/model-spec.md): its uncertain parameters,
// policy levers, states, events, outcomes and coefficients, each a table in the order of its
// enum with the TOML key, long name and unit. The configuration reader, the kernel, the result
// file and the docs test read these tables; `in_enum_order` guards the order at compile time.
#include <array>

#include "wedge/core/vocabulary.hpp"

namespace wedge::triangle {

//! Uncertain parameters, sampled once per run (spec section 2).
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
inline constexpr std::array<Term, kNumParams> kParams = {{
    {kReceptiveness, "russia_receptiveness",
     "how far Moscow moves away from Beijing when Washington offers incentives", "1"},
    {kResilience, "partnership_resilience", "structural strength of Sino-Russian ties", "1"},
    {kLeverageGrowth, "china_leverage_growth",
     "yearly growth of China's economic leverage over Russia", "1/year"},
    {kHedging, "european_hedging",
     "how strongly Europe seeks alternative security arrangements when the US looks unreliable",
     "1"},
    {kOpportunism, "russia_opportunism",
     "Moscow's propensity to exploit perceived Western weakness", "1"},
    {kDeterrence, "deterrence_effectiveness", "how much NATO posture actually deters", "1"},
    {kCompliance, "russia_compliance",
     "chance per quarter that Moscow delivers verifiable de-escalation under conditional relief",
     "1"},
    {kUkraineResilience, "ukraine_resilience", "Kyiv's own capacity to resist", "1"},
    {kInertia, "nato_inertia", "institutional stickiness of the alliance", "1"},
    {kPersistence, "policy_persistence",
     "chance the strategy survives the US election at the switch quarter", "1"},
    {kVolatility, "volatility", "global multiplier on all state shocks", "1"},
}};
static_assert(in_enum_order(kParams));
//! The values each parameter may take: a prior must stay inside.
constexpr Bounds param_domain(int param) {
  return param == kLeverageGrowth ? Bounds::any()
         : param == kVolatility   ? Bounds::non_negative()
                                  : Bounds::unit();
}

//! US policy levers (section 3), each in [0, 1].
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
inline constexpr std::array<Term, kNumLevers> kLevers = {{
    {kRelief, "sanctions_relief", "share of sanctions lifted", "1"},
    {kConditionality, "conditionality", "how strictly relief depends on Russian compliance", "1"},
    {kAid, "ukraine_aid", "military and economic support to Ukraine", "1"},
    {kCommitment, "nato_commitment", "credibility of the US Article 5 commitment", "1"},
    {kPresence, "forward_presence", "US forces on NATO's eastern flank", "1"},
    {kConsultation, "allied_consultation", "how far Washington consults its European allies", "1"},
    {kBurden, "burden_sharing_pressure", "pressure on Europe to spend more on defence", "1"},
    {kCooperation, "limited_cooperation", "limited US-Russia cooperation offered", "1"},
}};
static_assert(in_enum_order(kLevers));

//! The five states evolved in logit space (section 4).
enum StateVar : int { kAlignment, kRapprochement, kCohesion, kAutonomy, kUkraine, kNumStates };
inline constexpr std::array<Term, kNumStates> kStates = {{
    {kAlignment, "alignment", "Sino-Russian alignment (0 split, 1 alliance)", "1"},
    {kRapprochement, "rapprochement", "US-Russia relations (0 confrontation, 1 normal)", "1"},
    {kCohesion, "nato_cohesion", "transatlantic cohesion", "1"},
    {kAutonomy, "european_autonomy", "European hedging toward independent security", "1"},
    {kUkraine, "ukraine_strength", "Ukraine's position", "1"},
}};
static_assert(in_enum_order(kStates));

//! Events (section 7).
enum Event : int { kHybrid, kMilitary, kCeasefire, kNumEvents };
inline constexpr std::array<Term, kNumEvents> kEvents = {{
    {kHybrid, "hybrid_attack", "Russian hybrid attack on a NATO member", "1"},
    {kMilitary, "military_action", "Russian military action against NATO territory", "1"},
    {kCeasefire, "ceasefire", "ceasefire in Ukraine", "1"},
}};
static_assert(in_enum_order(kEvents));

//! Per-run outcomes (section 8).
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
inline constexpr std::array<OutcomeTerm, kNumOutcomes> kOutcomes = {{
    {{kAlignmentFinal, "alignment_final",
      "Sino-Russian alignment at the horizon (0 split, 1 alliance)", "1"},
     OutcomeKind::kContinuous},
    {{kRapprochementFinal, "rapprochement_final",
      "US-Russia relations at the horizon (0 confrontation, 1 normal)", "1"},
     OutcomeKind::kContinuous},
    {{kCohesionFinal, "nato_cohesion_final", "Transatlantic cohesion at the horizon", "1"},
     OutcomeKind::kContinuous},
    {{kAutonomyFinal, "european_autonomy_final",
      "European hedging toward independent security at the horizon", "1"},
     OutcomeKind::kContinuous},
    {{kUkraineFinal, "ukraine_strength_final", "Ukraine's position at the horizon", "1"},
     OutcomeKind::kContinuous},
    {{kCohesionMin, "nato_cohesion_min", "Lowest transatlantic cohesion on the path", "1"},
     OutcomeKind::kContinuous},
    {{kHybridAttacks, "hybrid_attacks", "Number of Russian hybrid attacks", "count"},
     OutcomeKind::kInteger},
    {{kFirstHybridQuarter, "first_hybrid_attack_quarter",
      "Quarter of the first Russian hybrid attack (-1: none)", "quarter"},
     OutcomeKind::kInteger},
    {{kMilitaryQuarter, "military_action_quarter",
      "First quarter of Russian military action against NATO (-1: none)", "quarter"},
     OutcomeKind::kInteger},
    {{kCeasefireQuarter, "ceasefire_quarter", "Quarter of the Ukraine ceasefire (-1: none)",
      "quarter"},
     OutcomeKind::kInteger},
    {{kMilitaryAction, "military_action", "Russian military action against NATO territory happened",
      "1"},
     OutcomeKind::kBinary},
    {{kCeasefireReached, "ceasefire", "A ceasefire in Ukraine happened", "1"},
     OutcomeKind::kBinary},
    {{kSplit, "split", "Sino-Russian split (final alignment below threshold)", "1"},
     OutcomeKind::kBinary},
    {{kEntrenched, "entrenched",
      "Entrenched Sino-Russian alliance (final alignment above threshold)", "1"},
     OutcomeKind::kBinary},
    {{kFracture, "nato_fracture", "NATO fracture (cohesion fell below threshold)", "1"},
     OutcomeKind::kBinary},
    {{kEuropeAutonomous, "europe_autonomous",
      "Europe chose autonomy (final autonomy above threshold)", "1"},
     OutcomeKind::kBinary},
    {{kPolicySwitched, "policy_switched",
      "The US strategy was replaced by its fallback after the election", "1"},
     OutcomeKind::kBinary},
    {{kReliefReceived, "relief_received", "Mean effective sanctions relief received by Russia",
      "1"},
     OutcomeKind::kContinuous},
    {{kRussiaPivot, "russia_pivot", "Russia pocketed the relief and kept its China ties", "1"},
     OutcomeKind::kBinary},
    {{kUsPayoff, "us_payoff", "US payoff (weights in the configuration)", "1"},
     OutcomeKind::kContinuous},
}};
static_assert(in_enum_order(kOutcomes));

//! Every numeric coefficient of the model, in the order of the configuration file. Any of them
//! may be given a prior instead of a number (an uncertain coefficient).
enum Coef : int {
  // states.<state>: initial level, mean reversion theta, shock scale sigma, ceasefire factor
  kSAlignmentInitial,
  kSAlignmentTheta,
  kSAlignmentSigma,
  kSAlignmentCeasefire,
  kSRapprochementInitial,
  kSRapprochementTheta,
  kSRapprochementSigma,
  kSRapprochementCeasefire,
  kSCohesionInitial,
  kSCohesionTheta,
  kSCohesionSigma,
  kSCohesionCeasefire,
  kSAutonomyInitial,
  kSAutonomyTheta,
  kSAutonomySigma,
  kSAutonomyCeasefire,
  kSUkraineInitial,
  kSUkraineTheta,
  kSUkraineSigma,
  kSUkraineCeasefire,
  // derived (section 5)
  kDComplianceMemory,
  kDOfferRelief,
  kDOfferCooperation,
  kDDeterrenceCommitment,
  kDDeterrencePresence,
  kDDeterrenceAid,
  kDDeterrenceCohesionBase,
  kDDeterrenceCohesionSlope,
  kDWeaknessUnconditionalRelief,
  kDThreatHalfLife,
  kDThreatJumpHybrid,
  kDThreatJumpMilitary,
  // targets (section 6)
  kAInt,
  kAResilience,
  kALeverage,
  kAPressure,
  kAOffer,
  kAMilitary,
  kRInt,
  kROffer,
  kRAlignment,
  kRMilitary,
  kRThreat,
  kCInt,
  kCCommitment,
  kCConsultation,
  kCPresence,
  kCBurden,
  kCAutonomy,
  kCThreatDeterred,
  kCThreatUndeterred,
  kCInertia,
  kEInt,
  kEUncommitted,
  kESidelined,
  kEBurden,
  kEThreat,
  kUInt,
  kUAid,
  kUAutonomy,
  kUResilience,
  kURelief,
  // hazards (section 7)
  kHInt,
  kHOpportunism,
  kHWeakness,
  kHUkraine,
  kMInt,
  kMOpportunism,
  kMWeakness,
  kMDeterrence,
  kMUkraine,
  kFInt,
  kFRapprochement,
  kFStalemate,
  kFConditionalRelief,
  // outcome thresholds and payoff weights (section 8)
  kTSplitBelow,
  kTEntrenchedAbove,
  kTFractureBelow,
  kTAutonomousAbove,
  kTPivotRelief,
  kTPivotAlignment,
  kPAlignment,
  kPCohesion,
  kPUkraine,
  kPMilitaryAction,
  kPHybridAttack,
  kNumCoefs
};

//! The four coefficients of state k: initial, theta, sigma, ceasefire factor.
enum StateField : int { kInitial, kTheta, kSigma, kCeasefireFactor, kNumStateFields };
constexpr int state_coef(int state, StateField f) {
  return kSAlignmentInitial + state * kNumStateFields + f;
}

namespace vocab_detail {
constexpr Bounds kAny = Bounds::any(), kUnit = Bounds::unit(), kNonNeg = Bounds::non_negative();
constexpr Bounds kPos = Bounds::positive(), kFactor = Bounds::closed(0.0, 100.0);
}  // namespace vocab_detail

// clang-format off
inline constexpr std::array<CoefficientTerm, kNumCoefs> kCoefficients = [] {
  using namespace vocab_detail;
  return std::array<CoefficientTerm, kNumCoefs>{{
    {{kSAlignmentInitial, "initial", "initial level of alignment", "1"}, "states.alignment", kUnit},
    {{kSAlignmentTheta, "theta", "mean reversion rate of alignment", "1/year"}, "states.alignment", kNonNeg},
    {{kSAlignmentSigma, "sigma", "shock scale of alignment", "1/sqrt(year)"}, "states.alignment", kNonNeg},
    {{kSAlignmentCeasefire, "ceasefire_sigma_factor", "factor on the shock scale of alignment after a ceasefire", "1"}, "states.alignment", kFactor},
    {{kSRapprochementInitial, "initial", "initial level of rapprochement", "1"}, "states.rapprochement", kUnit},
    {{kSRapprochementTheta, "theta", "mean reversion rate of rapprochement", "1/year"}, "states.rapprochement", kNonNeg},
    {{kSRapprochementSigma, "sigma", "shock scale of rapprochement", "1/sqrt(year)"}, "states.rapprochement", kNonNeg},
    {{kSRapprochementCeasefire, "ceasefire_sigma_factor", "factor on the shock scale of rapprochement after a ceasefire", "1"}, "states.rapprochement", kFactor},
    {{kSCohesionInitial, "initial", "initial level of NATO cohesion", "1"}, "states.nato_cohesion", kUnit},
    {{kSCohesionTheta, "theta", "mean reversion rate of NATO cohesion", "1/year"}, "states.nato_cohesion", kNonNeg},
    {{kSCohesionSigma, "sigma", "shock scale of NATO cohesion", "1/sqrt(year)"}, "states.nato_cohesion", kNonNeg},
    {{kSCohesionCeasefire, "ceasefire_sigma_factor", "factor on the shock scale of NATO cohesion after a ceasefire", "1"}, "states.nato_cohesion", kFactor},
    {{kSAutonomyInitial, "initial", "initial level of European autonomy", "1"}, "states.european_autonomy", kUnit},
    {{kSAutonomyTheta, "theta", "mean reversion rate of European autonomy", "1/year"}, "states.european_autonomy", kNonNeg},
    {{kSAutonomySigma, "sigma", "shock scale of European autonomy", "1/sqrt(year)"}, "states.european_autonomy", kNonNeg},
    {{kSAutonomyCeasefire, "ceasefire_sigma_factor", "factor on the shock scale of European autonomy after a ceasefire", "1"}, "states.european_autonomy", kFactor},
    {{kSUkraineInitial, "initial", "initial level of Ukraine's strength", "1"}, "states.ukraine_strength", kUnit},
    {{kSUkraineTheta, "theta", "mean reversion rate of Ukraine's strength", "1/year"}, "states.ukraine_strength", kNonNeg},
    {{kSUkraineSigma, "sigma", "shock scale of Ukraine's strength", "1/sqrt(year)"}, "states.ukraine_strength", kNonNeg},
    {{kSUkraineCeasefire, "ceasefire_sigma_factor", "factor on the shock scale of Ukraine's strength after a ceasefire", "1"}, "states.ukraine_strength", kFactor},
    {{kDComplianceMemory, "compliance_memory", "weight of past compliance in the compliance record K", "1"}, "derived", kUnit},
    {{kDOfferRelief, "offer_relief", "weight of effective relief in the offer O", "1"}, "derived", kAny},
    {{kDOfferCooperation, "offer_cooperation", "weight of limited cooperation in the offer O", "1"}, "derived", kAny},
    {{kDDeterrenceCommitment, "deterrence_commitment", "weight of NATO commitment in deterrence D", "1"}, "derived", kAny},
    {{kDDeterrencePresence, "deterrence_presence", "weight of forward presence in deterrence D", "1"}, "derived", kAny},
    {{kDDeterrenceAid, "deterrence_aid", "weight of Ukraine aid in deterrence D", "1"}, "derived", kAny},
    {{kDDeterrenceCohesionBase, "deterrence_cohesion_base", "deterrence factor at zero cohesion", "1"}, "derived", kAny},
    {{kDDeterrenceCohesionSlope, "deterrence_cohesion_slope", "increase of the deterrence factor with cohesion", "1"}, "derived", kAny},
    {{kDWeaknessUnconditionalRelief, "weakness_unconditional_relief", "weakness added by unconditional relief", "1"}, "derived", kAny},
    {{kDThreatHalfLife, "threat_half_life", "half life of the perceived threat", "year"}, "derived", kPos},
    {{kDThreatJumpHybrid, "threat_jump_hybrid", "threat added by a hybrid attack", "1"}, "derived", kNonNeg},
    {{kDThreatJumpMilitary, "threat_jump_military", "threat added by military action", "1"}, "derived", kNonNeg},
    {{kAInt, "intercept", "alignment target: intercept", "logit"}, "targets.alignment", kAny},
    {{kAResilience, "partnership_resilience", "alignment target: partnership resilience", "logit"}, "targets.alignment", kAny},
    {{kALeverage, "china_leverage", "alignment target: China's leverage", "logit"}, "targets.alignment", kAny},
    {{kAPressure, "sanctions_pressure", "alignment target: sanctions pressure", "logit"}, "targets.alignment", kAny},
    {{kAOffer, "receptive_offer", "alignment target: offer times receptiveness", "logit"}, "targets.alignment", kAny},
    {{kAMilitary, "military_action", "alignment target: military action happened", "logit"}, "targets.alignment", kAny},
    {{kRInt, "intercept", "rapprochement target: intercept", "logit"}, "targets.rapprochement", kAny},
    {{kROffer, "offer", "rapprochement target: offer", "logit"}, "targets.rapprochement", kAny},
    {{kRAlignment, "alignment", "rapprochement target: alignment", "logit"}, "targets.rapprochement", kAny},
    {{kRMilitary, "military_action", "rapprochement target: military action happened", "logit"}, "targets.rapprochement", kAny},
    {{kRThreat, "threat", "rapprochement target: threat", "logit"}, "targets.rapprochement", kAny},
    {{kCInt, "intercept", "cohesion target: intercept", "logit"}, "targets.nato_cohesion", kAny},
    {{kCCommitment, "nato_commitment", "cohesion target: NATO commitment", "logit"}, "targets.nato_cohesion", kAny},
    {{kCConsultation, "allied_consultation", "cohesion target: allied consultation", "logit"}, "targets.nato_cohesion", kAny},
    {{kCPresence, "forward_presence", "cohesion target: forward presence", "logit"}, "targets.nato_cohesion", kAny},
    {{kCBurden, "uncommitted_burden_pressure", "cohesion target: burden pressure without commitment", "logit"}, "targets.nato_cohesion", kAny},
    {{kCAutonomy, "european_autonomy", "cohesion target: European autonomy", "logit"}, "targets.nato_cohesion", kAny},
    {{kCThreatDeterred, "threat_deterred", "cohesion target: deterred threat", "logit"}, "targets.nato_cohesion", kAny},
    {{kCThreatUndeterred, "threat_undeterred", "cohesion target: undeterred threat", "logit"}, "targets.nato_cohesion", kAny},
    {{kCInertia, "nato_inertia", "cohesion target: NATO inertia", "logit"}, "targets.nato_cohesion", kAny},
    {{kEInt, "intercept", "autonomy target: intercept", "logit"}, "targets.european_autonomy", kAny},
    {{kEUncommitted, "hedging_uncommitted", "autonomy target: hedging against an uncommitted US", "logit"}, "targets.european_autonomy", kAny},
    {{kESidelined, "hedging_sidelined", "autonomy target: hedging when sidelined", "logit"}, "targets.european_autonomy", kAny},
    {{kEBurden, "burden_sharing_pressure", "autonomy target: burden-sharing pressure", "logit"}, "targets.european_autonomy", kAny},
    {{kEThreat, "threat", "autonomy target: threat", "logit"}, "targets.european_autonomy", kAny},
    {{kUInt, "intercept", "Ukraine target: intercept", "logit"}, "targets.ukraine_strength", kAny},
    {{kUAid, "ukraine_aid", "Ukraine target: aid", "logit"}, "targets.ukraine_strength", kAny},
    {{kUAutonomy, "european_autonomy", "Ukraine target: European autonomy", "logit"}, "targets.ukraine_strength", kAny},
    {{kUResilience, "ukraine_resilience", "Ukraine target: Ukraine's resilience", "logit"}, "targets.ukraine_strength", kAny},
    {{kURelief, "relief", "Ukraine target: relief to Russia", "logit"}, "targets.ukraine_strength", kAny},
    {{kHInt, "intercept", "hybrid-attack log-hazard: intercept", "log(1/year)"}, "hazards.hybrid_attack", kAny},
    {{kHOpportunism, "opportunism", "hybrid-attack log-hazard: opportunism", "log(1/year)"}, "hazards.hybrid_attack", kAny},
    {{kHWeakness, "weakness", "hybrid-attack log-hazard: weakness", "log(1/year)"}, "hazards.hybrid_attack", kAny},
    {{kHUkraine, "ukraine_weakness", "hybrid-attack log-hazard: Ukraine's weakness", "log(1/year)"}, "hazards.hybrid_attack", kAny},
    {{kMInt, "intercept", "military-action log-hazard: intercept", "log(1/year)"}, "hazards.military_action", kAny},
    {{kMOpportunism, "opportunism", "military-action log-hazard: opportunism", "log(1/year)"}, "hazards.military_action", kAny},
    {{kMWeakness, "weakness", "military-action log-hazard: weakness", "log(1/year)"}, "hazards.military_action", kAny},
    {{kMDeterrence, "deterrence", "military-action log-hazard: deterrence", "log(1/year)"}, "hazards.military_action", kAny},
    {{kMUkraine, "ukraine_weakness", "military-action log-hazard: Ukraine's weakness", "log(1/year)"}, "hazards.military_action", kAny},
    {{kFInt, "intercept", "ceasefire log-hazard: intercept", "log(1/year)"}, "hazards.ceasefire", kAny},
    {{kFRapprochement, "rapprochement", "ceasefire log-hazard: rapprochement", "log(1/year)"}, "hazards.ceasefire", kAny},
    {{kFStalemate, "stalemate", "ceasefire log-hazard: stalemate", "log(1/year)"}, "hazards.ceasefire", kAny},
    {{kFConditionalRelief, "conditional_relief", "ceasefire log-hazard: conditional relief", "log(1/year)"}, "hazards.ceasefire", kAny},
    {{kTSplitBelow, "split_below", "split: final alignment below this", "1"}, "outcomes", kUnit},
    {{kTEntrenchedAbove, "entrenched_above", "entrenched alliance: final alignment above this", "1"}, "outcomes", kUnit},
    {{kTFractureBelow, "fracture_below", "NATO fracture: cohesion fell below this", "1"}, "outcomes", kUnit},
    {{kTAutonomousAbove, "autonomous_above", "Europe autonomous: final autonomy above this", "1"}, "outcomes", kUnit},
    {{kTPivotRelief, "pivot_relief", "Russian pivot: mean relief received at least this", "1"}, "outcomes", kUnit},
    {{kTPivotAlignment, "pivot_alignment", "Russian pivot: final alignment at least this", "1"}, "outcomes", kUnit},
    {{kPAlignment, "alignment", "payoff weight of (1 - final alignment)", "1"}, "payoff", kNonNeg},
    {{kPCohesion, "cohesion", "payoff weight of final cohesion", "1"}, "payoff", kNonNeg},
    {{kPUkraine, "ukraine", "payoff weight of Ukraine's final strength", "1"}, "payoff", kNonNeg},
    {{kPMilitaryAction, "military_action", "payoff lost to military action", "1"}, "payoff", kNonNeg},
    {{kPHybridAttack, "hybrid_attack", "payoff lost per hybrid attack (up to the cap)", "1"}, "payoff", kNonNeg},
  }};
}();
// clang-format on
static_assert(in_enum_order(kCoefficients));
static_assert(kCoefficients[state_coef(kUkraine, kCeasefireFactor)].term.id == kSUkraineCeasefire);

}  // namespace wedge::triangle
