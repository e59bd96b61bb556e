#pragma once
// Reading the evidence's statistics back for the calibration tests: an input's prior and
// posterior in prior-CDF space (the input_hist segment, 100 bins of the prior's percentiles),
// its posterior mean (input_sum), and outcome means over the weights.
#include <cstddef>
#include <vector>

#include "wedge/core/stats.hpp"

namespace wedge::test {

//! Input p's histogram as shares: side 0 the prior (every run counts 1), side 1 the posterior.
//! Bin b holds the values whose prior CDF lies in [b / 100, (b + 1) / 100).
inline std::vector<double> input_shares(const stats::Accumulators& acc, int side, int p) {
  const auto& L = acc.layout();
  const std::uint64_t* c = acc.counts(stats::Seg::kInputHist, L.input_hist_index(side, p));
  double total = 0;
  for (int b = 0; b < stats::kInputBins; ++b) total += static_cast<double>(c[b]);
  std::vector<double> s(stats::kInputBins);
  for (int b = 0; b < stats::kInputBins; ++b)
    s[static_cast<std::size_t>(b)] = static_cast<double>(c[b]) / total;
  return s;
}

//! Quantile q of such a histogram, in prior-CDF space (linear inside a bin).
inline double cdf_space_quantile(const std::vector<double>& shares, double q) {
  const double width = 1.0 / static_cast<double>(shares.size());
  double below = 0;
  for (std::size_t b = 0; b < shares.size(); ++b) {
    if (below + shares[b] > q && shares[b] > 0)
      return (static_cast<double>(b) + (q - below) / shares[b]) * width;
    below += shares[b];
  }
  return 1.0;
}

//! The posterior (weighted) mean of input p.
inline double posterior_mean(const stats::Accumulators& acc, int p) {
  const auto sum = acc.sum(stats::Seg::kInputSum, acc.layout().input_sum_index(1, p));
  return static_cast<double>(sum) / stats::kScale / static_cast<double>(acc.mass().n);
}

//! The weighted mean of outcome o under strategy s.
inline double outcome_mean(const stats::Accumulators& acc, int s, int o) {
  const auto sum = acc.sum(stats::Seg::kOutcomeSum, acc.layout().outcome_index(s, o));
  return static_cast<double>(sum) / stats::kScale / static_cast<double>(acc.mass().n);
}

}  // namespace wedge::test
