#pragma once
// What the evidence taught (issue: forecasting from today): each uncertain input's prior and
// posterior side by side, in prior-CDF space (where every prior is uniform, so a posterior's
// departure from flat is what the evidence says about that input), with means and 90%
// intervals in the input's own units; and each strategy's forecast before and after the
// evidence. Derived from the weighted segments of the statistics (core/stats.hpp).
#include <iosfwd>
#include <string>
#include <vector>

#include "wedge/analyses/summary.hpp"
#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge {

struct InputPosterior {
  std::string name;
  double prior_mean = 0, posterior_mean = 0;
  double prior_low = 0, prior_high = 0;              //!< 5% and 95% quantiles of the prior sample
  double posterior_low = 0, posterior_high = 0;      //!< of the posterior
  double posterior_u_low = 0, posterior_u_high = 0;  //!< the same in prior-CDF space
  std::vector<double> prior_share, posterior_share;  //!< [kInputBins] shares of the runs
};

struct EvidenceSummary {
  std::uint64_t runs = 0;
  double weight_total = 0;  //!< sum of the weights (each in [0, 1])
  double ess = 0;           //!< Kish's effective sample size
  std::vector<InputPosterior> inputs;
  std::vector<double> mean_before;  //!< [strategy][outcome]: the forecast without the evidence
};

//! Empty (runs = 0, no inputs) for a study without evidence.
EvidenceSummary summarize_evidence(const Config& cfg, const stats::Accumulators& acc);

//! "hybrid_attack happened by 2026Q2 (wrong with probability 0.05)" and the like.
std::string describe_evidence(const Evidence& e, const Config& cfg);

//! The evidence items, the effective sample size, the inputs' prior and posterior, and the
//! forecast of each strategy before and after the evidence (key outcomes). `wedge info
//! --evidence`.
void print_evidence(std::ostream& os, const Config& cfg, const EvidenceSummary& e,
                    const Summary& after);

}  // namespace wedge
