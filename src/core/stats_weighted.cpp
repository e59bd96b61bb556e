// The Tally's weighted half: with evidence, each run enters every statistic with its integer
// multiplicity m = round(w * 2^24) (core/evidence.hpp): counts add m, sums add m x the value's
// fixed-point integer. The products are exact in 128 bits (m < 2^25, a value below 2^57), so the
// weighted statistics keep the unweighted ones' guarantees: exact, order-independent merging and
// bitwise identical results for any split of the runs. The sums are vector code: each product
// split in two whose 64-lane sums are exact in 64 bits (low_product), or, for the fan charts,
// 64-bit lanes with a carry word (note_levels_weighted); histograms add each lane's m.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "core/stats_internal.hpp"
#include "wedge/core/sobol_design.hpp"
#include "wedge/core/stats.hpp"

namespace wedge::stats {

using namespace detail;

namespace {

// An input value's fixed-point integer, clamped to +-2^30 so that it fits (inputs are model
// parameters and coefficients, far inside that range; the clamp only guards the arithmetic).
inline std::int64_t fixed_input(double x) {
  constexpr double kLimit = 0x1p30;
  return fixed(std::clamp(x, -kLimit, kLimit), kScale);
}

// m x v exactly for a multiplicity m < 2^25 and any 64-bit v, as two 32 x 32 -> 64-bit products:
// v = hi 2^32 + lo with lo its unsigned low half. Over a block's 64 lanes the low products add up
// below 2^63 and the high ones below 2^62 in magnitude, so both sums are exact in 64-bit vector
// lanes (no 128-bit arithmetic per run, whatever the values); split_value joins them.
inline std::uint64_t low_product(std::uint32_t m, std::int64_t v) {
  return static_cast<std::uint64_t>(m) * static_cast<std::uint32_t>(static_cast<std::uint64_t>(v));
}
inline std::int64_t high_product(std::uint32_t m, std::int64_t v) {
  return static_cast<std::int64_t>(static_cast<std::int32_t>(m)) *
         static_cast<std::int64_t>(static_cast<std::int32_t>(v >> 32));
}
inline i128 split_value(std::uint64_t low, std::int64_t high) {
  return static_cast<i128>(high) * (std::int64_t{1} << 32) + static_cast<i128>(low);
}

// A prior's percentile edges (1st .. 99th), padded with +inf to this many for a branch-free
// binary search (a data-dependent branch per step would be mispredicted half the time).
constexpr int kEdgeSlots = 128;
// The input's bin among its prior's percentiles, given its decile d (the sampler's: x lies
// between the prior's 10d-th and (10d + 10)-th percentiles): a branch-free search over the nine
// percentiles inside the decile (edges 10d .. 10d + 8, padded), so four steps instead of seven.
// Exact also where percentiles coincide (atoms), as a search over all 99 would be.
// `inner`: per decile, its nine inner percentiles padded with +inf to 16 (after the 128 slots of
// input_edges_). Written as indices into one array, so that a loop over lanes vectorises with
// gathers.
inline int percentile_bin(const double* inner, int d, double x) {
  int at = 16 * d;
  at += inner[at + 7] <= x ? 8 : 0;
  at += inner[at + 3] <= x ? 4 : 0;
  at += inner[at + 1] <= x ? 2 : 0;
  at += inner[at] <= x ? 1 : 0;
  return at - 6 * d;  // 10 d + (at - 16 d)
}
// The same over all 99 percentiles (a fixed prior, whose decile the sampler reports as 0).
inline int percentile_bin(const double* edges, double x) {
  int base = 0;
  for (int step = kEdgeSlots / 2; step > 0; step /= 2)
    base += edges[base + step - 1] <= x ? step : 0;
  return base;
}

}  // namespace

void Tally::history(int quarter, const double* levels, const double* event_counts) {
  if (evidence_) evidence_->history(quarter, levels, event_counts);
}

// The multiplicities are final once the history is: before the block's first group(),
// observe() or add_block() (PathSink::history's contract). Lanes outside [lo, hi) get 0.
void Tally::ensure_weights() {
  if (weights_ready_) return;
  evidence_->weights(m_);
  for (int j = 0; j < kBlock; ++j)
    if (j < lo_ || j >= hi_) m_[j] = 0;
  for (int l = 0; l < 8; ++l) path_bias_[l] = 0;
  for (int j = 0; j < kBlock; ++j) m64_[j] = m_[j], path_bias_[j % 8] += kPathBias * m_[j];
  // The multiplicities of this block's slot of the noted path bins.
  const int stride = path_bin_stride();
  std::copy_n(m_, stride, path_m_.data() + path_slot_ * stride);
  weights_ready_ = true;
}

void Tally::group_weighted(int g, const double* switched) {
  ensure_weights();
  std::uint64_t* mask = switched_mask_.data() + static_cast<std::size_t>(g) * kBlock;
  std::uint64_t* bias = switched_bias_.data() + static_cast<std::size_t>(g) * 8;
  std::uint64_t n = 0;
  for (int j = 0; j < kBlock; ++j) {
    const bool in = switched[j] != 0.0 && j >= lo_ && j < hi_;
    mask[j] = in ? ~std::uint64_t{0} : 0;
    n += in ? m_[j] : 0;
    bias[j % 8] += in ? kPathBias * m_[j] : 0;
  }
  switched_runs_[static_cast<std::size_t>(g)] += n;
}

// Path sums add m x round(level * 2^32) in 8 lanes (lane j % 8), as the unweighted sums do, and
// path bins m for the sampled lanes. round(level * 2^32) is the bits of level + 2^20 minus those
// of 2^20 (note_levels), so a lane's sum over the block is sum m x bits - path_bias_, in 64-bit
// arithmetic modulo 2^64: exact, because the true sum is below 2^59 (8 products of at most
// 2^24 x 2^32). It enters the lane's 64-bit word, whose wraps its carry word counts
// (PathCounts::sum_carry), so nothing is folded before fold_paths. Every lane enters (m is 0
// outside [lo, hi)): fixed trip counts, vector code of one multiply and two adds per value.
void Tally::note_levels_weighted(std::size_t idx, const double* x, std::size_t gidx,
                                 const std::uint64_t* mask) {
  const std::uint64_t* m = m64_;
  const std::uint64_t* bias = path_bias_;
  std::uint64_t* sum = paths_.sum.data() + idx * 8;
  std::uint64_t* carry = paths_.sum_carry.data() + idx * 8;
  if (mask == nullptr) {
#pragma omp simd aligned(sum, carry, m, bias : 64)
    for (int l = 0; l < 8; ++l) {
      std::uint64_t part = 0 - bias[l];
      for (int j = 0; j < kBlock; j += 8)
        part += m[j + l] * std::bit_cast<std::uint64_t>(x[j + l] + kPathShift);
      const std::uint64_t total = sum[l] + part;
      carry[l] += total < part ? 1 : 0;
      sum[l] = total;
    }
  } else {
    std::uint64_t* gsum = switched_.sum.data() + gidx * 8;
    std::uint64_t* gcarry = switched_.sum_carry.data() + gidx * 8;
    const std::uint64_t* gbias = switched_bias_.data() + (mask - switched_mask_.data()) / 8;
#pragma omp simd aligned(sum, carry, gsum, gcarry, mask, m, bias, gbias : 64)
    for (int l = 0; l < 8; ++l) {
      std::uint64_t part = 0 - bias[l], gpart = 0 - gbias[l];
      for (int j = 0; j < kBlock; j += 8) {
        const std::uint64_t v = m[j + l] * std::bit_cast<std::uint64_t>(x[j + l] + kPathShift);
        part += v, gpart += v & mask[j + l];
      }
      const std::uint64_t total = sum[l] + part, gtotal = gsum[l] + gpart;
      carry[l] += total < part ? 1 : 0, gcarry[l] += gtotal < gpart ? 1 : 0;
      sum[l] = total, gsum[l] = gtotal;
    }
  }
  // The sampled lanes' bins, as the unweighted ones; count_path_bins_weighted counts them with
  // the blocks' multiplicities.
  if (mask == nullptr)
    note_bins<false>(idx, x, 0, nullptr);
  else
    note_bins<true>(idx, x, gidx, mask);
}

// The noted bins of the last blocks into 64-bit histograms (PathCounts::weighted_hist), each lane
// adding its block's multiplicity (the spare bin nb takes the lanes not counted); fold_paths adds
// them into the accumulators.
void Tally::count_path_bins_weighted() {
  if (path_slot_ == 0) return;
  const Layout& L = acc_.layout();
  const auto nb1 = static_cast<std::size_t>(L.path_bins) + 1;
  const auto per_idx = static_cast<std::size_t>(kPathBinBlocks * path_bin_stride());
  const auto used = static_cast<std::size_t>(path_slot_ * path_bin_stride());
  const std::uint32_t* m = path_m_.data();
  for (PathCounts* p : {&paths_, &switched_}) {
    const std::size_t n = p->sum.size() / 8;
    for (std::size_t idx = 0; idx < n; ++idx) {
      std::uint64_t* h = p->weighted_hist.data() + idx * nb1;
      const std::uint16_t* b = p->bins.data() + idx * per_idx;
      for (std::size_t i = 0; i < used; ++i) h[b[i]] += m[i];
    }
  }
  path_slot_ = 0;
}

void Tally::add_block_weighted(const Outcomes& out, const BlockDeciles& deciles,
                               const BlockParams& inputs) {
  ensure_weights();
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  std::uint64_t mass = 0;
  i128 mass_sq = 0;
  for (int j = lo_; j < hi_; ++j) mass += m_[j], mass_sq += static_cast<i128>(m_[j]) * m_[j];
  w[L.offset(Seg::kWeightSum)] += mass;
  add128(w + L.offset(Seg::kWeightSumsq), 0, mass_sq);
  add_outcomes_weighted(out);
  add_pairs_weighted(out);
  add_regret_weighted(out);
  add_satisficing_weighted(out);
  add_deciles_weighted(out, deciles);
  add_inputs_weighted(inputs, deciles);
  if (L.replicates > 0) {
    constexpr int R = SobolDesign::kReplicates;
    std::uint64_t* runs = w + L.offset(Seg::kReplicateRuns);
    for (int j = lo_; j < hi_; ++j) runs[j % R] += m_[j];
    for (int s = 0; s < L.S; ++s)
      for (int o = 0; o < L.O; ++o) {
        const double* x = out[static_cast<std::size_t>(s)][o];
        for (int j = lo_; j < hi_; ++j)
          add128(w + L.offset(Seg::kReplicateSum), L.replicate_index(j % R, s, o),
                 static_cast<i128>(m_[j]) * fixed(x[j], kScale));
      }
  }
  // The run counter counts runs (the batch bookkeeping); the short counters and sampled path
  // bins that end_block() looks after stay unused.
  w[L.offset(Seg::kRuns)] += static_cast<std::uint64_t>(hi_ - lo_);
  if (++path_slot_ == kPathBinBlocks) count_path_bins_weighted();
}

// Moments, extremes (over the runs with weight), histograms; and the unweighted sums of the
// forecast before the evidence. Every lane is computed (m is 0 outside [lo, hi)).
void Tally::add_outcomes_weighted(const Outcomes& out) {
  const Layout& L = acc_.layout();
  for (int s = 0; s < L.S; ++s)
    for (int o = 0; o < L.O; ++o)
      if (cfg_.outcomes[static_cast<std::size_t>(o)].kind == OutcomeKind::kBinary)
        add_binary_weighted(out[static_cast<std::size_t>(s)][o], s, o);
      else
        add_continuous_weighted(out[static_cast<std::size_t>(s)][o], s, o);
}

// The bin of value x in outcome o's histogram.
int Tally::outcome_bin(int o, double x) const {
  const auto uo = static_cast<std::size_t>(o);
  const int b = static_cast<int>((x - hist_lo_[uo]) * hist_inv_width_[uo]);
  return b < 0 ? 0 : (b >= hist_bins_[uo] ? hist_bins_[uo] - 1 : b);
}

// A 0/1 outcome: everything follows from the multiplicity of the ones (x = x^2 = 1 or 0, so
// each sum is that mass times fixed(1) = 2^32), which the paired differences reuse.
void Tally::add_binary_weighted(const double* x, int s, int o) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  const std::uint32_t* m = m_;
  const int lo = lo_, hi = hi_;
  std::uint64_t ones_mass = 0, zeros_mass = 0, ones = 0;
#pragma omp simd reduction(+ : ones_mass, zeros_mass, ones)
  for (int j = 0; j < kBlock; ++j) {
    const bool one = x[j] != 0.0;
    ones_mass += one ? m[j] : 0;
    zeros_mass += one ? 0 : m[j];
    ones += one && j >= lo && j < hi ? 1 : 0;
  }
  const std::size_t i = L.outcome_index(s, o);
  ones_mass_[i] = ones_mass;
  const i128 sum = static_cast<i128>(ones_mass) << 32;
  add128(w + L.offset(Seg::kOutcomeSum), i, sum);
  add128(w + L.offset(Seg::kOutcomeSumsq), i, sum);
  add128(w + L.offset(Seg::kPriorOutcomeSum), i, static_cast<i128>(ones) << 32);
  if (zeros_mass > 0)
    keep_min(w[L.offset(Seg::kOutcomeMin) + i], 0.0);
  else if (ones_mass > 0)
    keep_min(w[L.offset(Seg::kOutcomeMin) + i], 1.0);
  if (ones_mass > 0)
    keep_max(w[L.offset(Seg::kOutcomeMax) + i], 1.0);
  else if (zeros_mass > 0)
    keep_max(w[L.offset(Seg::kOutcomeMax) + i], 0.0);
  std::uint64_t* hist = w + L.offset(Seg::kOutcomeHist) + L.hist_index(s, o);
  hist[outcome_bin(o, 1.0)] += ones_mass;
  hist[outcome_bin(o, 0.0)] += zeros_mass;
}

// Other outcomes: sums in vector code, the histogram's first bin (e.g. "-1: never" of the event
// quarters) counted at once and the other bins run by run.
void Tally::add_continuous_weighted(const double* x, int s, int o) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  const std::uint32_t* m = m_;
  const int lo = lo_, hi = hi_;
  const std::size_t i = L.outcome_index(s, o);
  const auto uo = static_cast<std::size_t>(o);
  const int nb = hist_bins_[uo];
  const double hlo = hist_lo_[uo], inv = hist_inv_width_[uo];
  std::int64_t* f = fx_.data() + i * kBlock;
  alignas(64) int bin[kBlock];
  std::int64_t prior = 0, vh = 0, qh = 0;
  std::uint64_t vl = 0, ql = 0, zeros = 0;
  double mn = std::numeric_limits<double>::infinity(), mx = -mn;
#pragma omp simd reduction(+ : prior, vh, vl, qh, ql, zeros) reduction(min : mn) reduction(max : mx)
  for (int j = 0; j < kBlock; ++j) {
    const std::int64_t v = fixed(x[j], kScale), q = fixed(x[j] * x[j], kScale);
    f[j] = v;
    vl += low_product(m[j], v), vh += high_product(m[j], v);
    ql += low_product(m[j], q), qh += high_product(m[j], q);
    prior += j >= lo && j < hi ? v : 0;
    const bool weighted = m[j] != 0;
    mn = weighted && x[j] < mn ? x[j] : mn;
    mx = weighted && x[j] > mx ? x[j] : mx;
    const int b = static_cast<int>((x[j] - hlo) * inv);
    bin[j] = b < 0 ? 0 : (b >= nb ? nb - 1 : b);
    zeros += bin[j] == 0 ? m[j] : 0;
  }
  std::uint64_t* hist = w + L.offset(Seg::kOutcomeHist) + L.hist_index(s, o);
  hist[0] += zeros;
  for (int j = lo; j < hi; ++j)
    if (bin[j] != 0) hist[bin[j]] += m[j];
  add128(w + L.offset(Seg::kOutcomeSum), i, split_value(vl, vh));
  add128(w + L.offset(Seg::kOutcomeSumsq), i, split_value(ql, qh));
  add128(w + L.offset(Seg::kPriorOutcomeSum), i, prior);
  keep_min(w[L.offset(Seg::kOutcomeMin) + i], mn);
  keep_max(w[L.offset(Seg::kOutcomeMax) + i], mx);
}

// Paired differences from add_outcomes_weighted's values: of 0/1 outcomes from the masses of
// ones (d^2 = 1 where the two differ), of others in vector code.
void Tally::add_pairs_weighted(const Outcomes& out) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  const std::uint32_t* m = m_;
  for (int p = 0; p < L.pairs; ++p) {
    const auto [a, b] = L.pair_list[static_cast<std::size_t>(p)];
    for (int o = 0; o < L.O; ++o) {
      const double* xa = out[static_cast<std::size_t>(a)][o];
      const double* xb = out[static_cast<std::size_t>(b)][o];
      const std::size_t i = L.pair_index(p, o), ia = L.outcome_index(a, o),
                        ib = L.outcome_index(b, o);
      if (cfg_.outcomes[static_cast<std::size_t>(o)].kind == OutcomeKind::kBinary) {
        std::uint64_t differ = 0;
#pragma omp simd reduction(+ : differ)
        for (int j = 0; j < kBlock; ++j) differ += xa[j] != xb[j] ? m[j] : 0;
        add128(w + L.offset(Seg::kPairSum), i,
               (static_cast<i128>(ones_mass_[ia]) - static_cast<i128>(ones_mass_[ib])) *
                   (i128{1} << 32));
        add128(w + L.offset(Seg::kPairSumsq), i, static_cast<i128>(differ) << 32);
        continue;
      }
      const std::int64_t* fa = fx_.data() + ia * kBlock;
      const std::int64_t* fb = fx_.data() + ib * kBlock;
      std::int64_t dh = 0, qh = 0;
      std::uint64_t dl = 0, ql = 0;
#pragma omp simd reduction(+ : dh, dl, qh, ql)
      for (int j = 0; j < kBlock; ++j) {
        const double diff = xa[j] - xb[j];
        const std::int64_t d = fa[j] - fb[j], q = fixed(diff * diff, kScale);
        dl += low_product(m[j], d), dh += high_product(m[j], d);
        ql += low_product(m[j], q), qh += high_product(m[j], q);
      }
      add128(w + L.offset(Seg::kPairSum), i, split_value(dl, dh));
      add128(w + L.offset(Seg::kPairSumsq), i, split_value(ql, qh));
    }
  }
}

// Regret sums in vector code (products split as in low_product); the histogram counts the
// best strategy's zero regrets at once, as the unweighted one does.
void Tally::add_regret_weighted(const Outcomes& out) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  const int payoff = cfg_.payoff, nb = L.regret_bins;
  const Range pr = cfg_.outcomes[static_cast<std::size_t>(payoff)].range;
  const double inv_width = nb / (pr.hi - pr.lo);
  const std::uint32_t* m = m_;
  const int lo = lo_, hi = hi_;
  alignas(64) double best_payoff[kBlock];
  int best[kBlock];
  for (int j = 0; j < kBlock; ++j) best_payoff[j] = out[0][payoff][j], best[j] = 0;
  for (int s = 1; s < L.S; ++s) {
    const double* pay = out[static_cast<std::size_t>(s)][payoff];
    for (int j = 0; j < kBlock; ++j)
      if (pay[j] > best_payoff[j]) best[j] = s, best_payoff[j] = pay[j];
  }
  for (int j = lo; j < hi; ++j)
    w[L.offset(Seg::kBestCount) + static_cast<std::size_t>(best[j])] += m[j];
  for (int s = 0; s < L.S; ++s) {
    const auto si = static_cast<std::size_t>(s);
    const double* pay = out[si][payoff];
    std::uint64_t* rh = w + L.offset(Seg::kRegretHist) + L.regret_bin_index(s, 0);
    std::uint64_t sum_low = 0, sq_low = 0, exact = 0, zeros = 0;
    std::int64_t sum_high = 0, sq_high = 0;
    alignas(64) int bin[kBlock];
    double rmax = 0.0;
#pragma omp simd reduction(+ : sum_low, sum_high, sq_low, sq_high, exact, zeros) \
    reduction(max : rmax)
    for (int j = 0; j < kBlock; ++j) {
      const double r = best_payoff[j] - pay[j];
      const std::int64_t v = fixed(r, kScale), q = fixed(r * r, kScale);
      sum_low += low_product(m[j], v), sum_high += high_product(m[j], v);
      sq_low += low_product(m[j], q), sq_high += high_product(m[j], q);
      const int b = static_cast<int>(r * inv_width);
      bin[j] = b < nb ? b : nb - 1;
      zeros += bin[j] == 0 ? m[j] : 0;
      exact += r == 0.0 ? m[j] : 0;
      rmax = m[j] != 0 && r > rmax ? r : rmax;
    }
    rh[0] += zeros;
    for (int j = lo; j < hi; ++j)
      if (bin[j] != 0) rh[bin[j]] += m[j];
    add128(w + L.offset(Seg::kRegretSum), si, split_value(sum_low, sum_high));
    add128(w + L.offset(Seg::kRegretSumsq), si, split_value(sq_low, sq_high));
    w[L.offset(Seg::kRegretZero) + si] += exact;
    keep_max(w[L.offset(Seg::kRegretMax) + si], rmax);
  }
}

// One vector pass per condition over the block, as the unweighted count, adding m per run met.
void Tally::add_satisficing_weighted(const Outcomes& out) {
  const Layout& L = acc_.layout();
  std::uint64_t* satisfied = acc_.words_.data() + L.offset(Seg::kSatisfied);
  const std::uint32_t* m = m_;
  for (int s = 0; s < L.S; ++s)
    for (int c = 0; c < L.criteria; ++c) {
      alignas(64) std::uint32_t met_m[kBlock];
      for (int j = 0; j < kBlock; ++j) met_m[j] = m[j];
      for (const auto& cond : cfg_.satisficing[static_cast<std::size_t>(c)].conditions) {
        const double* x = out[static_cast<std::size_t>(s)][cond.outcome];
        const double mn = cond.min, mx = cond.max;
#pragma omp simd
        for (int j = 0; j < kBlock; ++j) met_m[j] = x[j] >= mn && x[j] <= mx ? met_m[j] : 0;
      }
      std::uint64_t met = 0;
#pragma omp simd reduction(+ : met)
      for (int j = 0; j < kBlock; ++j) met += met_m[j];
      satisfied[L.criterion_index(s, c)] += met;
    }
}

// Decile sums as the unweighted ones store them (20 bits of the outcome's range, at 2^24): the
// block's values as 32-bit rows (decile_rows, shared with the unweighted half), each run's row
// times its multiplicity (below 2^44) added in 64-bit lanes, widened into the 128-bit sums every
// kWeightedWidenBlocks blocks (2^18 runs: below 2^62, no overflow).
void Tally::add_deciles_weighted(const Outcomes& out, const BlockDeciles& deciles) {
  const Layout& L = acc_.layout();
  const int row_len = decile_row_;
  if (decile_weighted_.empty()) {
    decile_weighted_.assign(static_cast<std::size_t>(L.P * L.D * row_len), 0);
    weighted_row_.assign(static_cast<std::size_t>(row_len), 0);
  }
  decile_rows(out);
  std::uint64_t* count = acc_.words_.data() + L.offset(Seg::kDecileCount);
  std::int64_t* row = weighted_row_.data();
  for (int j = lo_; j < hi_; ++j) {
    const std::int64_t m = m_[j];
    if (m == 0) continue;
    const std::int32_t* v = rows_.data() + j * row_len;
#pragma omp simd
    for (int k = 0; k < row_len; ++k) row[k] = m * v[k];
    for (int p = 0; p < L.P; ++p) {
      const int d = deciles[static_cast<std::size_t>(p)][static_cast<std::size_t>(j)];
      count[L.decile_count_index(p, d)] += static_cast<std::uint64_t>(m);
      std::int64_t* dst = decile_weighted_.data() + (p * L.D + d) * row_len;
#pragma omp simd
      for (int k = 0; k < row_len; ++k) dst[k] += row[k];
    }
  }
  if (++weighted_blocks_ == kWeightedWidenBlocks) widen_deciles_weighted();
}

void Tally::widen_deciles_weighted() {
  weighted_blocks_ = 0;
  if (decile_weighted_.empty()) return;
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data() + L.offset(Seg::kDecileSum);
  for (int p = 0; p < L.P; ++p)
    for (int d = 0; d < L.D; ++d)
      for (int so = 0; so < L.S * L.O; ++so) {
        std::int64_t& v =
            decile_weighted_[static_cast<std::size_t>((p * L.D + d) * decile_row_ + so)];
        if (v == 0) continue;
        add128(w, L.decile_index(so / L.O, p, d, so % L.O),
               static_cast<i128>(v) << decile_shift_[static_cast<std::size_t>(so)]);
        v = 0;
      }
}

// Each input's prior (every run counts 1) and posterior (weighted): sums and histograms over
// the percentiles of its prior, i.e. in prior-CDF space. Values and bins in vector code over
// every lane (lanes outside [lo, hi) have m = 0 and are left out of the prior's sums), then the
// histograms lane by lane.
void Tally::add_inputs_weighted(const BlockParams& inputs, const BlockDeciles& deciles) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  const std::uint32_t* m = m_;
  const int lo = lo_, hi = hi_;
  alignas(64) int bin[kBlock];
  for (int p = 0; p < L.P; ++p) {
    const double* edges = input_edges_[static_cast<std::size_t>(p)].data();
    const double* inner = edges + kEdgeSlots;
    const double* x = inputs[p];
    const std::uint8_t* decile = deciles[static_cast<std::size_t>(p)].data();
    const bool fixed_prior =
        cfg_.inputs[static_cast<std::size_t>(p)].prior.family == Family::kFixed;
    // Both sums split as m x v is (low_product): 64 inputs of up to 2^62 exceed 64 bits.
    std::uint64_t prior_low = 0, post_low = 0;
    std::int64_t prior_high = 0, post_high = 0;
#pragma omp simd reduction(+ : prior_low, prior_high, post_low, post_high)
    for (int j = 0; j < kBlock; ++j) {
      const std::int64_t v = fixed_input(x[j]);
      const std::uint32_t one = j >= lo && j < hi ? 1 : 0;
      prior_low += low_product(one, v), prior_high += high_product(one, v);
      post_low += low_product(m[j], v), post_high += high_product(m[j], v);
    }
    if (fixed_prior)
      for (int j = lo; j < hi; ++j) bin[j] = percentile_bin(edges, x[j]);
    else
#pragma omp simd
      for (int j = 0; j < kBlock; ++j)
        bin[j] = percentile_bin(inner, j >= lo && j < hi ? decile[j] : 0, x[j]);
    std::uint64_t* prior_hist = w + L.offset(Seg::kInputHist) + L.input_hist_index(0, p);
    std::uint64_t* post_hist = w + L.offset(Seg::kInputHist) + L.input_hist_index(1, p);
    for (int j = lo; j < hi; ++j) ++prior_hist[bin[j]], post_hist[bin[j]] += m[j];
    add128(w + L.offset(Seg::kInputSum), L.input_sum_index(0, p),
           split_value(prior_low, prior_high));
    add128(w + L.offset(Seg::kInputSum), L.input_sum_index(1, p), split_value(post_low, post_high));
  }
}

}  // namespace wedge::stats
