#pragma once
// The error of a Sobol' study's means, from its independent randomisations: the runs are
// interleaved over R digital shifts (core/sobol_design.hpp), each replicate's mean is an
// unbiased estimate, and their spread gives the standard error of the overall mean
// (randomised quasi-Monte Carlo; docs/qmc-and-given-data.md).
#include <iosfwd>
#include <vector>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge {

struct QmcEstimate {
  double mean = 0;  //!< the mean of all runs (as in the summary)
  double se = 0;    //!< sd of the replicate means / sqrt(R); NaN until every replicate has a run
};

//! Mean of `outcome` under `strategy` in replicate r (NaN for an empty replicate).
double replicate_mean(const stats::Accumulators& acc, int r, int strategy, int outcome);
QmcEstimate qmc_estimate(const stats::Accumulators& acc, int strategy, int outcome);

//! `wedge info` for a Sobol' study: each outcome's mean with its randomised-QMC standard error
//! next to the Monte Carlo one (which does not apply to these points).
void print_qmc(std::ostream& os, const Config& cfg, const stats::Accumulators& acc,
               const std::vector<int>& outcomes);

}  // namespace wedge
