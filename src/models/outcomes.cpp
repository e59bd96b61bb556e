#include "wedge/models/outcomes.hpp"

#include "wedge/core/config.hpp"

namespace wedge {

Range outcome_range(const Config& cfg, int outcome) {
  const double T = cfg.quarters;
  switch (outcome) {
    case kHybridAttacks: return {0.0, T};
    case kFirstHybridQuarter:
    case kMilitaryQuarter:
    case kCeasefireQuarter: return {-1.0, T - 1.0};
    case kUsPayoff: {
      const Payoff& w = cfg.payoff;
      return {-(w.military_action + w.hybrid_attack * w.hybrid_cap),
              w.alignment + w.cohesion + w.ukraine};
    }
    default: return {0.0, 1.0};  // states, shares and flags
  }
}

int outcome_bins(const Config& cfg, int outcome) {
  switch (kOutcomes[static_cast<std::size_t>(outcome)].kind) {
    case OutcomeKind::kBinary: return 2;
    case OutcomeKind::kInteger: {
      const Range r = outcome_range(cfg, outcome);
      return static_cast<int>(r.hi - r.lo) + 1;
    }
    case OutcomeKind::kContinuous: return cfg.histogram_bins;
  }
  return cfg.histogram_bins;
}

int outcome_index(std::string_view name) {
  for (std::size_t i = 0; i < kOutcomes.size(); ++i)
    if (kOutcomes[i].name == name) return static_cast<int>(i);
  return -1;
}

}  // namespace wedge
