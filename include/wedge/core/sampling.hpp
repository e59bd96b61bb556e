#pragma once
// Sampling the uncertain inputs: Monte Carlo, Latin hypercube and Sobol' designs over the priors
// (core/prior.hpp), rank correlations through a Gaussian copula, and each draw's decile for the
// driver analysis.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wedge/core/block.hpp"
#include "wedge/core/config.hpp"
#include "wedge/core/prior.hpp"
#include "wedge/core/sobol_design.hpp"
#include "wedge/core/rng.hpp"

namespace wedge {

//! Checks that the correlations (Spearman, turned into the copula's Pearson correlations)
//! form a positive definite matrix; `why` says which pivot failed.
bool correlation_is_positive_definite(const std::vector<Correlation>& c, std::string& why);

class ParameterSampler {
 public:
  //! `streams`: kParameters for the study's own draws (Monte Carlo, Latin hypercube, a Saltelli
  //! design's A rows), kSaltelliB for a Saltelli design's B rows (Monte Carlo from other
  //! streams).
  explicit ParameterSampler(const Config& cfg, rng::Purpose streams = rng::Purpose::kParameters);

  //! Latin hypercube only: prepares the stratum permutations of batch `batch` (call before
  //! sampling runs of that batch; cheap to call again for the same batch).
  void prepare_batch(std::uint64_t batch);

  //! The inputs of run `run` and the decile of each under its prior (both resized to the
  //! number of inputs).
  void sample(std::uint64_t run, std::vector<double>& x, std::vector<std::uint8_t>& decile) const;

  //! The same for the runs first_run .. first_run + kBlock - 1, bitwise equal to calling
  //! sample() for each: Monte Carlo Beta and PERT priors with whole-number shapes (the
  //! baseline's) are drawn for all lanes in one vector loop, the rest run by run. `params` and
  //! `deciles` are resized to the number of inputs.
  void sample_block(std::uint64_t first_run, BlockParams& params, BlockDeciles& deciles) const;

  const std::vector<std::array<double, kDeciles - 1>>& decile_edges() const { return edges_; }

 private:
  void sample_uniforms(std::uint64_t run, std::vector<double>& u) const;
  std::uint8_t decile_of(int param, double x) const;
  double draw_monte_carlo(int param, std::uint64_t run) const;  // independent prior, own stream
  void induce_rank_correlation(std::uint64_t batch);  // LHS with correlations: Iman-Conover
  void sample_sobol(std::uint64_t run, std::vector<double>& x) const;  // quantiles of the points

  const Config& cfg_;
  rng::Purpose streams_;
  bool lhs_;  // Latin hypercube strata (the Saltelli design's rows are Monte Carlo)
  std::vector<int> copula_params_;  // inputs that take part in correlations
  std::vector<double> cholesky_;    // lower triangle, copula_params_.size() squared
  int P_;                           // number of inputs
  std::vector<std::array<double, kDeciles - 1>> edges_;  // per input
  std::uint64_t prepared_batch_ = UINT64_MAX;
  std::vector<std::uint32_t> strata_;  // LHS: inputs x batch_size
  std::vector<double> scores_;         // LHS with correlations: normal score of each stratum
  std::optional<SobolDesign> sobol_;   // the Sobol' design's points and shifts
};

}  // namespace wedge
