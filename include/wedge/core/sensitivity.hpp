#pragma once
// Sobol' sensitivity indices from a Saltelli (pick-freeze) design, streamed and exact
// (docs/sensitivity.md). Base row i has parameter vectors A (the Monte Carlo design's run i) and
// B (independent streams); row AB_j is A with factor j's inputs from B. A factor is an input, a
// [[sensitivity.group]] of inputs, or `intrinsic`, the model's own randomness (AB_intrinsic: A's
// inputs with B's noise). Per base row the estimators' terms (products of the outcomes of A, B
// and AB_j, scaled into [-1, 1]) enter 128-bit fixed-point sums; the indices and their
// delta-method intervals are functions of those sums.
#include <cstdint>
#include <string>
#include <vector>

#include "wedge/core/block.hpp"
#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge {

//! A factor of the design: what one AB row takes from B.
struct Factor {
  std::string name;
  std::vector<int> inputs;  //!< the inputs taken from B (empty for intrinsic)
  bool intrinsic = false;   //!< takes B's noise instead
};

//! The factors of a Saltelli design in index order: the uncertain inputs in no group (input
//! order; fixed inputs have no variance and are left out), then the groups, then `intrinsic`
//! last. SALib's row order [A, AB_1..AB_k, B] puts AB_intrinsic just before B.
std::vector<Factor> sensitivity_factors(const Config& cfg);

//! Sums per series (strategy or pair) x outcome: kSobolShared terms of A and B, then
//! kSobolPerFactor terms per factor (SobolTerm), each a power product of a = y(A), b = y(B) and
//! d = y(AB_j) - y(A), scaled by the outcome's range.
inline constexpr int kSobolShared = 5;
inline constexpr int kSobolPerFactor = 12;
//! Scale of the per-row terms: a term (magnitude <= 16: |a|, |b| <= 1, |d| <= 2) enters its sum
//! as round(t 2^80), exact to 2^-81 (finer than the double it came from for any term above
//! 2^-28), so 2^43 base rows fit in 128 bits. Small differences d keep their digits: d^4 of
//! d = 1e-3 still has 16 significant digits.
inline constexpr double kSobolScale = 0x1p80;

//! The outcome scale: a power of two at least the outcome's largest magnitude, so that
//! y / scale lies in [-1, 1] (pairs use twice it) and rescaling is exact.
double sobol_outcome_scale(const OutcomeInfo& o);

//! Thread-local accumulation of one block of base rows at a time.
class SobolTally {
 public:
  explicit SobolTally(const Config& cfg);
  //! Lanes [lo, hi) of the coming block are base rows of this call.
  void begin_block(int lo, int hi) { lo_ = lo, hi_ = hi; }
  //! The outcomes of the block's A and B rows (one BlockOutcomes per strategy).
  void set_base(const std::vector<BlockOutcomes>& a, const std::vector<BlockOutcomes>& b);
  //! The outcomes of the block's AB_j rows (j = factor index): adds factor j's terms.
  void add_factor(int j, const std::vector<BlockOutcomes>& ab);
  //! Adds the sums into `acc` (Seg::kSobolSum) and clears them.
  void flush_into(stats::Accumulators& acc);

 private:
  void scaled(const std::vector<BlockOutcomes>& out, AlignedVector<double>& z) const;
  const Config& cfg_;
  stats::Layout layout_;
  std::vector<double> inv_scale_;       // per outcome
  AlignedVector<double> za_, zb_, ze_;  // [series][outcome][lane]
  std::vector<stats::i128> sums_;       // as Seg::kSobolSum
  int lo_ = 0, hi_ = 0;
};

//! The indices of every series x outcome x factor, flattened in that order.
struct SobolTable {
  int series = 0, outcomes = 0, factors = 0;
  std::vector<std::string> series_names, factor_names;
  std::uint64_t base_rows = 0;
  std::vector<double> first, first_low, first_high;  //!< Saltelli 2010 (Sobol' 2007 form)
  std::vector<double> total, total_low, total_high;  //!< Jansen 1999
  std::vector<double> first_se, total_se;            //!< delta-method standard errors
  std::vector<double> variance;                      //!< [series][outcome]: Var y(A), unbiased
  std::size_t at(int s, int o, int j) const {
    return static_cast<std::size_t>((s * outcomes + o) * factors + j);
  }
};

//! The indices with 95% intervals (index +- 1.96 se; Janon et al. 2014) from the sums. NaN
//! where they are undefined (fewer than 2 base rows, or an outcome without variance).
SobolTable sobol_indices(const Config& cfg, const stats::Accumulators& acc);

}  // namespace wedge
