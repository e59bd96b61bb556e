#include "wedge/core/evidence.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "wedge/core/config.hpp"
#include "wedge/core/simd_math.hpp"

namespace wedge {
namespace {

// The log of a factor 0: exp() of it (and of any sum of such terms) rounds to multiplicity 0,
// while the sums stay finite (no -inf arithmetic, no NaN).
constexpr double kLogZero = -1000.0;

// Levels are clamped away from 0 and 1 before the logit: a saturated logistic in the model can
// give exactly 0 or 1 in double, whose logit is infinite (and simd::log needs a normal x).
// 1e-12 keeps logit within +-27.6; a run at that bound is 20+ logit units from any value a user
// can observe with a sensible sd, so its weight rounds to 0 either way.
constexpr double kLevelFloor = 1e-12;

double log_or_zero(double p) { return p > 0.0 ? std::log(p) : kLogZero; }

inline double clamped_logit(double p) {
  p = p < kLevelFloor ? kLevelFloor : (p > 1.0 - kLevelFloor ? 1.0 - kLevelFloor : p);
  return simd::log(p) - simd::log(1.0 - p);
}

}  // namespace

EvidenceLikelihood::EvidenceLikelihood(const Config& cfg)
    : items_(cfg.evidence),
      weighting_(cfg.weighting),
      log_factor_(cfg.evidence.size()),
      window_base_(cfg.evidence.size()) {
  for (const Evidence& e : items_) last_quarter_ = std::max(last_quarter_, e.quarter);
  begin_block();
}

void EvidenceLikelihood::begin_block() {
  for (auto& row : log_factor_) row.fill(0.0);
  for (auto& row : window_base_) row.fill(0.0);
  next_quarter_ = 0;
}

// Each factor is 1 - error when the run agrees with the observation, error when it does not (a
// hard item, error 0, drops it). Rejection items have error 0 and a tolerance (0 for event_by).
void EvidenceLikelihood::event_by(std::size_t item, const double* counts) {
  const Evidence& e = items_[item];
  const double agree = log_or_zero(1.0 - e.error), disagree = log_or_zero(e.error);
  const double* c = counts + static_cast<std::size_t>(e.event) * kBlock;
  double* f = log_factor_[item].data();
#pragma omp simd
  for (int l = 0; l < kBlock; ++l) f[l] = ((c[l] > 0.0) == e.happened) ? agree : disagree;
}

void EvidenceLikelihood::event_count(std::size_t item, const double* counts) {
  const Evidence& e = items_[item];
  const double agree = log_or_zero(1.0 - e.error), disagree = log_or_zero(e.error);
  const double observed = e.count, tolerance = e.tolerance;
  const double* c = counts + static_cast<std::size_t>(e.event) * kBlock;
  const double* base = window_base_[item].data();
  double* f = log_factor_[item].data();
#pragma omp simd
  for (int l = 0; l < kBlock; ++l)
    f[l] = std::abs(c[l] - base[l] - observed) <= tolerance ? agree : disagree;
}

// Likelihood: a Gaussian kernel on the logit scale with peak 1 (its normalising constant is the
// same for every run and cancels). Rejection: kept within the tolerance.
void EvidenceLikelihood::state(std::size_t item, const double* levels) {
  const Evidence& e = items_[item];
  const double observed = std::log(e.value) - std::log(1.0 - e.value);
  const double* x = levels + static_cast<std::size_t>(e.state) * kBlock;
  double* f = log_factor_[item].data();
  if (weighting_ == Weighting::kRejection) {
    const double tolerance = e.tolerance;
#pragma omp simd
    for (int l = 0; l < kBlock; ++l)
      f[l] = std::abs(clamped_logit(x[l]) - observed) <= tolerance ? 0.0 : kLogZero;
  } else {
    const double inv_sd = 1.0 / e.sd;
#pragma omp simd
    for (int l = 0; l < kBlock; ++l) {
      const double z = (clamped_logit(x[l]) - observed) * inv_sd;
      f[l] = std::max(-0.5 * z * z, kLogZero);
    }
  }
}

void EvidenceLikelihood::history(int quarter, const double* levels, const double* event_counts) {
  if (quarter != next_quarter_)
    throw std::logic_error("EvidenceLikelihood: history quarter " + std::to_string(quarter) +
                           " after " + std::to_string(next_quarter_ - 1));
  ++next_quarter_;
  for (std::size_t k = 0; k < items_.size(); ++k) {
    const Evidence& e = items_[k];
    if (e.kind == EvidenceKind::kEventCount && quarter == e.from_quarter - 1)
      std::copy_n(event_counts + static_cast<std::size_t>(e.event) * kBlock, kBlock,
                  window_base_[k].begin());
    if (quarter != e.quarter) continue;
    switch (e.kind) {
      case EvidenceKind::kEventBy: event_by(k, event_counts); break;
      case EvidenceKind::kEventCount: event_count(k, event_counts); break;
      case EvidenceKind::kState: state(k, levels); break;
    }
  }
}

void EvidenceLikelihood::log_likelihood(double* ll) const {
  if (next_quarter_ <= last_quarter_)
    throw std::logic_error("EvidenceLikelihood: weights() before history quarter " +
                           std::to_string(last_quarter_));
  for (int l = 0; l < kBlock; ++l) ll[l] = 0.0;
  for (const auto& f : log_factor_)
#pragma omp simd
    for (int l = 0; l < kBlock; ++l) ll[l] += f[l];
}

void EvidenceLikelihood::weights(std::uint32_t* m) const {
  alignas(64) double loglik[kBlock];
  log_likelihood(loglik);
  const double offset = weighting_ == Weighting::kRejection ? 0.0 : offset_;
  // exp(.) <= 1, so m <= kWeightOne; the rounding is a fixed function of the run's values.
#pragma omp simd
  for (int l = 0; l < kBlock; ++l) {
    const double rel = loglik[l] < kImpossible ? kLogZero : std::min(loglik[l] - offset, 0.0);
    m[l] = static_cast<std::uint32_t>(simd::exp(rel) * kWeightScale + 0.5);
  }
}

}  // namespace wedge
