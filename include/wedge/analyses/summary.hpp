#pragma once
// Human-facing statistics derived from the accumulators: the tables stored in the result file
// and printed by `wedge run` and `wedge info`.
#include <iosfwd>
#include <string>
#include <vector>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge {

struct Summary {
  std::uint64_t runs = 0;
  double ess = 0.0;  //!< effective sample size: the runs, or with evidence Kish's (sum w)^2/sum w^2
  std::vector<std::string> strategies, outcomes;
  std::vector<char> generated;  //!< [S] made by a [[sweep]]
  int S = 0, O = 0, Q = 0;
  // [S][O]
  std::vector<double> mean, sd, mcse, min, max, wilson_low, wilson_high;
  std::vector<double> quantiles;  // [S][O][Q]
  // Comparisons.
  std::vector<std::string> pairs, pair_first, pair_second;
  std::vector<int> pair_a;                                  //!< [pairs] index of strategy A
  std::vector<double> diff_mean, diff_se;                   // [pairs][O]
  std::vector<double> best_share, regret_mean, regret_p90;  // [S]
  std::vector<std::string> criteria, criteria_description;
  std::vector<double> satisficing;  // [S][criteria]

  double at(const std::vector<double>& v, int s, int o) const {
    return v[static_cast<std::size_t>(s * O + o)];
  }
};

Summary summarize(const Config& cfg, const stats::Accumulators& acc);

//! The outcomes of the summary table, with their labels: the probabilities of the key events,
//! then the key means.
struct KeyOutcome {
  std::string name, label;
};
const std::vector<KeyOutcome>& key_probabilities();
const std::vector<KeyOutcome>& key_means();
//! The outcomes the paired-difference table and the drivers tables show by default: the
//! strategic triangle's split, NATO fracture, military action and payoff, or for another model
//! its first four outcomes. `outcomes`: the study's outcome names.
std::vector<std::string> key_outcomes(const std::vector<std::string>& outcomes);

//! The summary table: key outcomes per strategy, then the paired comparisons and robustness.
//! Above kSummaryColumns strategies only the named ones (not swept) are shown as columns, and
//! only their paired differences (`wedge info --strategies` ranks them all).
inline constexpr int kSummaryColumns = 10;
void print_summary(std::ostream& os, const Summary& s);

// Statistics over time and by parameter decile, straight from the accumulators (shared by the
// result file writer and `wedge info`).
//! Which runs of a strategy a path statistic is over: all of them (the mixture), or for a
//! strategy that may switch to its fallback, those that kept it or those that switched.
enum class PathGroup { kAll, kKept, kSwitched };
//! The runs of the group (for kAll, every run).
std::uint64_t path_runs(const stats::Accumulators& acc, int strategy, PathGroup group);
//! NaN for a strategy without fan charts, or without groups when a group is asked for.
double path_mean(const stats::Accumulators& acc, int strategy, int state, int quarter,
                 PathGroup group = PathGroup::kAll);
double path_quantile(const stats::Accumulators& acc, int strategy, int state, int quarter, double q,
                     PathGroup group = PathGroup::kAll);
//! Probability that the event has happened by the end of the quarter.
double event_probability(const Config& cfg, const stats::Accumulators& acc, int strategy, int event,
                         int quarter);
//! Mean outcome among runs whose parameter fell in the decile (NaN for an empty decile).
double decile_mean(const stats::Accumulators& acc, int strategy, int param, int decile,
                   int outcome);

//! Fan-chart table (median [5%, 95%] of each state at the end of each year) and event timing.
void print_paths(std::ostream& os, const Config& cfg, const stats::Accumulators& acc);
//! Each outcome's mean (a probability for 0/1 outcomes) by decile of each parameter.
void print_drivers(std::ostream& os, const Config& cfg, const stats::Accumulators& acc,
                   const std::vector<int>& outcomes);
//! Every outcome of every strategy: moments and quantiles; every paired difference; the
//! satisficing criteria spelled out.
void print_outcomes(std::ostream& os, const Summary& s);

}  // namespace wedge
