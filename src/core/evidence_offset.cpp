// The weight scale of a study with evidence (core/evidence.hpp, evidence_log_offset): the
// likelihoods of a fixed pilot of its own runs.
#include <algorithm>
#include <cmath>
#include <limits>

#include "wedge/core/evidence.hpp"
#include "wedge/core/model.hpp"
#include "wedge/core/sampling.hpp"

namespace wedge {
namespace {

// Hears the history of a block's runs and nothing else.
class HistoryLikelihood final : public PathSink {
 public:
  explicit HistoryLikelihood(const Config& cfg) : evidence_(cfg) {}
  void begin_block() { evidence_.begin_block(); }
  void observe(int, int, const double*) override {}
  void history(int quarter, const double* levels, const double* event_counts) override {
    evidence_.history(quarter, levels, event_counts);
  }
  void log_likelihood(double* ll) const { evidence_.log_likelihood(ll); }

 private:
  EvidenceLikelihood evidence_;
};

}  // namespace

double evidence_log_offset(const Config& cfg, const Model& model) {
  if (!cfg.weighted() || cfg.weighting == Weighting::kRejection) return 0.0;
  ParameterSampler sampler(cfg);
  HistoryLikelihood sink(cfg);
  BlockParams params;
  BlockDeciles deciles;
  std::vector<BlockOutcomes> out;
  double best = -std::numeric_limits<double>::infinity();
  alignas(64) double ll[kBlock];
  for (std::uint64_t first = 0; first < kPilotRuns; first += kBlock) {
    sampler.prepare_batch(first / cfg.batch_size);
    sampler.sample_block(first, params, deciles);
    sink.begin_block();
    model.simulate_block(first, params, out, &sink);
    sink.log_likelihood(ll);
    for (int j = 0; j < kBlock; ++j)
      if (ll[j] >= EvidenceLikelihood::kImpossible) best = std::max(best, ll[j]);
  }
  if (!std::isfinite(best)) return 0.0;  // no pilot run is possible: absolute weights
  return std::min(best + std::log(8.0), 0.0);
}

}  // namespace wedge
