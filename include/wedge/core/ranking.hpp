#pragma once
// "Stop when the ranking is settled" (--target-se settled:max:OUTCOME=CONFIDENCE): the strategy
// with the best mean on a criterion is ahead of every other strategy by a one-sided paired
// z-test, Bonferroni-corrected over its rivals. Checked after whole batches on the reduced
// statistics, so the stop is as reproducible as the statistics themselves.
#include <string>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge {

//! Where the ranking on one criterion stands.
struct RankingCheck {
  int best = -1;   //!< the strategy with the best mean (ties: the first)
  int rival = -1;  //!< the rival it leads by the fewest standard errors
  double z = 0.0;  //!< that lead over its standard error (NaN or 0 for a tie: never settled)
  //! Phi^-1(1 - (1 - confidence) / (strategies - 1)): each rival's one-sided test at that level
  //! makes the chance that any rival is truly ahead at most 1 - confidence.
  double threshold = 0.0;
  bool exact = true;  //!< the rival's standard error came from the paired sums, not a bound
  bool settled() const { return z >= threshold; }
};

//! The ranking of every strategy on `criterion` after the runs in `acc`, at `confidence` in
//! (0.5, 1). The standard error of a lead is that of the paired difference (exact under common
//! random numbers) when the pair is among the comparisons; otherwise the smaller of
//! se(a - base) + se(b - base) and se(a) + se(b), Cauchy-Schwarz bounds that never make the
//! test more confident than the exact one.
RankingCheck check_ranking(const Config& cfg, const stats::Accumulators& acc,
                           const Objective& criterion, double confidence);

//! One line for the console and `wedge info`: the leader, its closest rival and the lead.
std::string describe_ranking(const Config& cfg, const Objective& criterion, double confidence,
                             const RankingCheck& r);

}  // namespace wedge
