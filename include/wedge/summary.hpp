#pragma once
// Human-facing statistics derived from the accumulators: the tables stored in the result file
// and printed by `wedge run` and `wedge info`.
#include <iosfwd>
#include <string>
#include <vector>

#include "wedge/config.hpp"
#include "wedge/stats.hpp"

namespace wedge {

struct Summary {
  std::uint64_t runs = 0;
  std::vector<std::string> strategies, outcomes;
  int S = 0, O = 0, Q = 0;
  // [S][O]
  std::vector<double> mean, sd, mcse, min, max, wilson_low, wilson_high;
  std::vector<double> quantiles;  // [S][O][Q]
  // Comparisons.
  std::vector<std::string> pairs, pair_first, pair_second;
  std::vector<double> diff_mean, diff_se;  // [pairs][O]
  std::vector<double> best_share, regret_mean, regret_p90;  // [S]
  std::vector<std::string> criteria, criteria_description;
  std::vector<double> satisficing;  // [S][criteria]

  double at(const std::vector<double>& v, int s, int o) const {
    return v[static_cast<std::size_t>(s * O + o)];
  }
};

Summary summarize(const Config& cfg, const stats::Accumulators& acc);

//! The summary table: key outcomes per strategy, then the paired comparisons and robustness.
void print_summary(std::ostream& os, const Summary& s);

}  // namespace wedge
