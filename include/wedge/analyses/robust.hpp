#pragma once
// Robust choice among many strategies: the Pareto frontier over the objectives of
// [analysis] objectives with Monte Carlo intervals, and the strategies within Monte Carlo error
// of the best on each objective (docs/analyses.md, "Robust choice").
#include <iosfwd>
#include <string>
#include <vector>

#include "wedge/analyses/summary.hpp"
#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge {

struct RobustChoice {
  int S = 0, J = 0;
  double z = 1.959963984540054;         //!< two-sided 95%
  std::vector<std::string> objectives;  //!< [J] "max:us_payoff"
  std::vector<int> outcome;             //!< [J]
  std::vector<char> maximize;           //!< [J]
  std::vector<int> best;                //!< [J] strategy with the best mean
  // [S][J]
  std::vector<double> value, se;  //!< the outcome's mean and its MC standard error
  //! How far behind the best the strategy is (>= 0) and the standard error of that paired
  //! difference: exact when the pair is among the comparisons, else the smaller of
  //! se(a - base) + se(b - base) and se(a) + se(b) (Cauchy-Schwarz upper bounds).
  std::vector<double> gap, gap_se;
  std::vector<char> within_error;  //!< gap <= z * gap_se: not distinguishable from the best
  // [S]
  std::vector<char> on_frontier;    //!< no strategy has a better or equal mean on every objective
  std::vector<char> near_frontier;  //!< no strategy is better on every objective beyond z s.e.

  double at(const std::vector<double>& v, int s, int j) const {
    return v[static_cast<std::size_t>(s * J + j)];
  }
};

//! The objectives of the configuration, or the payoff (maximised) when none are named.
std::vector<Objective> robust_objectives(const Config& cfg);

RobustChoice robust_choice(const Config& cfg, const stats::Layout& L, const Summary& s);

//! The top `n` strategies on each criterion (objectives, regret mean and p90, best share,
//! satisficing), and the frontier.
void print_top_strategies(std::ostream& os, const Summary& s, const RobustChoice& r, int n);

}  // namespace wedge
