#include "io/qmc_write.hpp"

#include "wedge/analyses/qmc.hpp"
#include "wedge/core/sobol_design.hpp"
#include "wedge/io/hdf5_util.hpp"

namespace wedge::io {

void write_qmc(hid_t file, const Config& cfg, const stats::Accumulators& acc) {
  const auto& L = acc.layout();
  if (L.replicates == 0) return;
  h5::Id g = h5::create_group(file, "qmc");
  h5::attr_string(g, "method",
                  "Sobol' points (Boost.Random, Joe-Kuo directions), digital shifts keyed by the "
                  "seed; run i is point i / R under shift i % R");
  std::vector<std::int64_t> reps;
  std::vector<std::uint64_t> runs;
  for (int r = 0; r < L.replicates; ++r) {
    reps.push_back(r);
    runs.push_back(acc.count(stats::Seg::kReplicateRuns, static_cast<std::size_t>(r)));
  }
  h5::dim_ints(g, "replicate", reps, "digital shift (runs i with i % R = replicate)", "1");
  std::vector<std::string> strategies, outcomes;
  for (const auto& s : cfg.strategies) strategies.push_back(s.name);
  for (const auto& o : cfg.outcomes) outcomes.push_back(o.name);
  h5::dim_strings(g, "strategy", strategies);
  h5::dim_strings(g, "outcome", outcomes);
  h5::var_uints(g, "replicate_runs", {"replicate"}, runs, "runs of the replicate", "count");
  std::vector<double> rmean, mean, se;
  for (int r = 0; r < L.replicates; ++r)
    for (int s = 0; s < L.S; ++s)
      for (int o = 0; o < L.O; ++o) rmean.push_back(replicate_mean(acc, r, s, o));
  for (int s = 0; s < L.S; ++s)
    for (int o = 0; o < L.O; ++o) {
      const QmcEstimate e = qmc_estimate(acc, s, o);
      mean.push_back(e.mean);
      se.push_back(e.se);
    }
  h5::var_doubles(g, "replicate_mean", {"replicate", "strategy", "outcome"}, rmean,
                  "mean outcome of the replicate's runs", "");
  h5::var_doubles(g, "mean", {"strategy", "outcome"}, mean, "mean outcome of all runs", "");
  h5::var_doubles(g, "se", {"strategy", "outcome"}, se,
                  "randomised-QMC standard error of the mean: sd of the replicate means / sqrt(R)",
                  "");
}

}  // namespace wedge::io
