// TEMPORARY local stand-in (not committed): the evidence branch implements this.
#include "wedge/core/evidence.hpp"

#include <algorithm>
#include <cmath>

#include "wedge/core/config.hpp"

namespace wedge {

EvidenceLikelihood::EvidenceLikelihood(const Config& cfg)
    : items_(cfg.evidence), weighting_(cfg.weighting) {
  window_base_.resize(items_.size());
}
void EvidenceLikelihood::begin_block() {
  for (double& l : loglik_) l = 0;
  for (auto& b : window_base_) b.fill(0);
}
void EvidenceLikelihood::history(int t, const double* levels, const double* ev) {
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const Evidence& e = items_[i];
    for (int j = 0; j < kBlock; ++j) {
      double f = 1;
      if (e.kind == EvidenceKind::kState && t == e.quarter) {
        double l = std::clamp(levels[e.state * kBlock + j], 1e-12, 1 - 1e-12);
        double z = (std::log(l / (1 - l)) - std::log(e.value / (1 - e.value))) / e.sd;
        loglik_[j] += -0.5 * z * z;
        continue;
      }
      if (e.kind == EvidenceKind::kEventBy && t == e.quarter) {
        bool m = (ev[e.event * kBlock + j] > 0) == e.happened;
        f = m ? 1 - e.error : e.error;
      }
      if (e.kind == EvidenceKind::kEventCount) {
        if (t == e.from_quarter - 1) window_base_[i][j] = ev[e.event * kBlock + j];
        if (t == e.quarter) {
          bool m = ev[e.event * kBlock + j] - window_base_[i][j] == e.count;
          f = m ? 1 - e.error : e.error;
        }
      }
      loglik_[j] += std::log(f);
    }
  }
}
void EvidenceLikelihood::weights(std::uint32_t* m) const {
  for (int j = 0; j < kBlock; ++j)
    m[j] = static_cast<std::uint32_t>(std::exp(loglik_[j]) * kWeightScale + 0.5);
}

}  // namespace wedge
