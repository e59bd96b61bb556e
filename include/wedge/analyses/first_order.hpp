#pragma once
// First-order sensitivity indices from the ordinary runs of a study (any design), by binning:
// S_j = Var(E[Y | bin of x_j]) / Var(Y) over the ten equally likely prior-CDF bins (deciles)
// the drivers tables already keep, with the noise of the bin means removed (an ANOVA
// variance-component estimate) and the coarse bins' discretisation bias extrapolated away
// (10 and 5 bins, Richardson). docs/qmc-and-given-data.md gives the method.
#include <iosfwd>
#include <vector>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge {

//! The first-order index of input `param` for outcome `outcome` under `strategy`: NaN for a
//! fixed input, an outcome that did not vary, or fewer than 20 runs per bin.
double first_order_index(const stats::Accumulators& acc, int strategy, int param, int outcome);

//! All of them, [strategy][input][outcome].
std::vector<double> first_order_indices(const Config& cfg, const stats::Accumulators& acc);

//! The table of `wedge info --drivers`: per outcome, the index of each input under each strategy.
void print_first_order(std::ostream& os, const Config& cfg, const stats::Accumulators& acc,
                       const std::vector<int>& outcomes);

}  // namespace wedge
