// The Tally's weighted half: with evidence, each run enters every statistic with its integer
// multiplicity m = round(w * 2^24) (core/evidence.hpp): counts add m, sums add m x the value's
// fixed-point integer. The products are exact in 128 bits (m < 2^25, a value below 2^57), so the
// weighted statistics keep the unweighted ones' guarantees: exact, order-independent merging and
// bitwise identical results for any split of the runs. The sums are vector code where exact 64-bit
// arithmetic allows (m split into 12-bit halves for values below 2^43), 128-bit products
// otherwise; histograms add each lane's m.
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

// Values below this many units (2^43: outcomes below 2^11) take weighted_dot's fast path.
constexpr std::int64_t kSmall = std::int64_t{1} << 43;
// sum m v from the sums of (m >> 12) v and (m & 0xFFF) v, each exact below 2^62 when |v| < kSmall.
inline i128 split_sum(std::uint64_t high, std::uint64_t low) {
  return static_cast<i128>(static_cast<std::int64_t>(high)) * 4096 + static_cast<std::int64_t>(low);
}

// A prior's percentile edges (1st .. 99th), padded with +inf to this many for a branch-free
// binary search (a data-dependent branch per step would be mispredicted half the time).
constexpr int kEdgeSlots = 128;
// The input's bin among its prior's percentiles, given its decile d (the sampler's: x lies
// between the prior's 10d-th and (10d + 10)-th percentiles): a branch-free search over the nine
// percentiles inside the decile (edges 10d .. 10d + 8, padded), so four steps instead of seven.
// Exact also where percentiles coincide (atoms), as a search over all 99 would be.
// `inner`: per decile, its nine inner percentiles padded with +inf to 16 (after the 128 slots of
// input_edges_).
inline int percentile_bin(const double* inner, int d, double x) {
  const double* e = inner + 16 * d;
  int base = 0;
  for (int step = 8; step > 0; step /= 2) base += e[base + step - 1] <= x ? step : 0;
  return 10 * d + base;
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
  // The multiplicities of this block's slot of the noted path bins.
  const int stride = path_bin_stride();
  if (path_m_.empty()) path_m_.assign(static_cast<std::size_t>(kPathBinBlocks * stride), 0);
  std::copy_n(m_, stride, path_m_.data() + path_slot_ * stride);
  weights_ready_ = true;
}

void Tally::group_weighted(int g, const double* switched) {
  ensure_weights();
  std::uint64_t* mask = switched_mask_.data() + static_cast<std::size_t>(g) * kBlock;
  std::uint64_t n = 0;
  for (int j = 0; j < kBlock; ++j) {
    const bool in = switched[j] != 0.0 && j >= lo_ && j < hi_;
    mask[j] = in ? ~std::uint64_t{0} : 0;
    n += in ? m_[j] : 0;
  }
  switched_runs_[static_cast<std::size_t>(g)] += n;
}

// Path sums add m x round(level * 2^32) (at most 2^56 per run, 2^62 per block), path bins m for
// the sampled lanes; both straight into the 128-bit sums and 64-bit counts. Every lane enters the
// sums (m is 0 outside [lo, hi)): a fixed trip count the compiler vectorises.
void Tally::note_levels_weighted(std::size_t idx, const double* x, std::size_t gidx,
                                 const std::uint64_t* mask) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  const int nb = L.path_bins;
  const auto dnb = static_cast<double>(nb);
  const std::uint32_t* m = m_;
  std::uint64_t sum = 0, gsum = 0;
  if (mask == nullptr) {
#pragma omp simd reduction(+ : sum)
    for (int j = 0; j < kBlock; ++j)
      sum += m[j] * (std::bit_cast<std::uint64_t>(x[j] + kPathShift) - kPathBias);
  } else {
#pragma omp simd reduction(+ : sum, gsum)
    for (int j = 0; j < kBlock; ++j) {
      const std::uint64_t v = m[j] * (std::bit_cast<std::uint64_t>(x[j] + kPathShift) - kPathBias);
      sum += v;
      gsum += v & mask[j];
    }
    add128(w + L.offset(Seg::kSwitchedPathSum), gidx, static_cast<i128>(gsum));
  }
  add128(w + L.offset(Seg::kPathSum), idx, static_cast<i128>(sum));
  // The sampled lanes' bins, noted in this block's slot and counted every kPathBinBlocks blocks
  // with the blocks' multiplicities (count_path_bins_weighted), as the unweighted bins are: each
  // histogram's cache lines then serve many increments at a time.
  const int stride = path_bin_stride(), lo = lo_, hi = hi_, sampled = kBlock / path_sample_;
  const std::size_t slot = static_cast<std::size_t>(path_slot_) * static_cast<std::size_t>(stride);
  std::uint16_t* bins =
      paths_.bins.data() + idx * kPathBinBlocks * static_cast<std::size_t>(stride) + slot;
  std::uint16_t* gbins =
      mask != nullptr
          ? switched_.bins.data() + gidx * kPathBinBlocks * static_cast<std::size_t>(stride) + slot
          : nullptr;
  for (int j0 = 0; j0 < stride; j0 += 8)  // groups of 8 lanes: vector code
#pragma omp simd
    for (int l = 0; l < 8; ++l) {
      const int j = j0 + l;
      const auto b = static_cast<std::int32_t>(x[j] * dnb);
      const bool out = j < lo || j >= hi || j >= sampled;
      bins[j] = static_cast<std::uint16_t>(out ? nb : (b < nb ? b : nb - 1));
    }
  if (gbins != nullptr)
    for (int j0 = 0; j0 < stride; j0 += 8)
#pragma omp simd
      for (int l = 0; l < 8; ++l) {
        const int j = j0 + l;
        gbins[j] = mask[j] != 0 ? bins[j] : static_cast<std::uint16_t>(nb);
      }
}

// The noted bins of the last blocks into the 64-bit histograms of acc_, each lane adding its
// block's multiplicity; the spare bin nb marks a lane not counted.
void Tally::count_path_bins_weighted() {
  if (path_slot_ == 0) return;
  const Layout& L = acc_.layout();
  const auto nb = static_cast<std::size_t>(L.path_bins);
  const auto per_idx = static_cast<std::size_t>(kPathBinBlocks * path_bin_stride());
  const auto used = static_cast<std::size_t>(path_slot_ * path_bin_stride());
  const std::uint32_t* m = path_m_.data();
  for (auto [p, seg] : {std::pair{&paths_, Seg::kPathHist}, {&switched_, Seg::kSwitchedPathHist}}) {
    std::uint64_t* hist = acc_.words_.data() + L.offset(seg);
    const std::size_t n = p->sum.size() / 8;
    for (std::size_t idx = 0; idx < n; ++idx) {
      std::uint64_t* h = hist + idx * nb;
      const std::uint16_t* b = p->bins.data() + idx * per_idx;
      for (std::size_t i = 0; i < used; ++i) {  // branch-free: a lane not counted adds 0
        const bool counted = b[i] < nb;
        h[counted ? b[i] : 0] += counted ? m[i] : 0;
      }
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

// sum_j m_j v_j over the block's lanes, exact. When every |v_j| < 2^43 (outcomes below 2^11 in
// magnitude, almost all), m is split into its high and low 12 bits: every product and 64-lane
// sum then fits 64 bits and the loop vectorises; otherwise 128-bit products, lane by lane.
i128 Tally::weighted_dot(const std::int64_t* v, std::int64_t max_abs) const {
  const std::uint32_t* m = m_;
  if (max_abs < kSmall) {
    std::int64_t hi = 0, lo = 0;
#pragma omp simd reduction(+ : hi, lo)
    for (int j = 0; j < kBlock; ++j) {
      hi += static_cast<std::int64_t>(m[j] >> 12) * v[j];
      lo += static_cast<std::int64_t>(m[j] & 0xFFFu) * v[j];
    }
    return static_cast<i128>(hi) * 4096 + lo;
  }
  i128 sum = 0;
  for (int j = lo_; j < hi_; ++j) sum += static_cast<i128>(m[j]) * v[j];
  return sum;
}

// Moments, extremes (over the runs with weight), histograms; and the unweighted sums of the
// forecast before the evidence. Every lane is computed (m is 0 outside [lo, hi)).
void Tally::add_outcomes_weighted(const Outcomes& out) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  const std::uint32_t* m = m_;
  const int lo = lo_, hi = hi_;
  alignas(64) std::int64_t sq[kBlock];
  alignas(64) int bin[kBlock];
  for (int s = 0; s < L.S; ++s)
    for (int o = 0; o < L.O; ++o) {
      const double* x = out[static_cast<std::size_t>(s)][o];
      const std::size_t i = L.outcome_index(s, o);
      const auto uo = static_cast<std::size_t>(o);
      const int nb = hist_bins_[uo];
      const double hlo = hist_lo_[uo], inv = hist_inv_width_[uo];
      std::int64_t* f = fx_.data() + i * kBlock;
      std::int64_t prior = 0, max_v = 0, max_q = 0;
      std::uint64_t vh = 0, vl = 0, qh = 0, ql = 0;  // unsigned: wraps harmlessly when unused
      double mn = std::numeric_limits<double>::infinity(), mx = -mn;
      // The sums as weighted_dot's fast path computes them, in the same pass (used when every
      // value is small enough, as it almost always is).
#pragma omp simd reduction(+ : prior, vh, vl, qh, ql) reduction(max : max_v, max_q) \
    reduction(min : mn) reduction(max : mx)
      for (int j = 0; j < kBlock; ++j) {
        const std::int64_t v = fixed(x[j], kScale), q = fixed(x[j] * x[j], kScale);
        f[j] = v, sq[j] = q;
        const std::uint64_t mh = m[j] >> 12, ml = m[j] & 0xFFFu;
        const auto uv = static_cast<std::uint64_t>(v), uq = static_cast<std::uint64_t>(q);
        vh += mh * uv, vl += ml * uv, qh += mh * uq, ql += ml * uq;
        const bool run = j >= lo && j < hi;
        prior += run ? v : 0;
        max_v = std::max(max_v, run ? (v < 0 ? -v : v) : 0);
        max_q = std::max(max_q, run ? q : 0);
        const bool weighted = m[j] != 0;
        mn = weighted && x[j] < mn ? x[j] : mn;
        mx = weighted && x[j] > mx ? x[j] : mx;
        const int b = static_cast<int>((x[j] - hlo) * inv);
        bin[j] = b < 0 ? 0 : (b >= nb ? nb - 1 : b);
      }
      std::uint64_t* hist = w + L.offset(Seg::kOutcomeHist) + L.hist_index(s, o);
      for (int j = lo; j < hi; ++j) hist[bin[j]] += m[j];
      add128(w + L.offset(Seg::kOutcomeSum), i,
             max_v < kSmall ? split_sum(vh, vl) : weighted_dot(f, max_v));
      add128(w + L.offset(Seg::kOutcomeSumsq), i,
             max_q < kSmall ? split_sum(qh, ql) : weighted_dot(sq, max_q));
      add128(w + L.offset(Seg::kPriorOutcomeSum), i, prior);
      keep_min(w[L.offset(Seg::kOutcomeMin) + i], mn);
      keep_max(w[L.offset(Seg::kOutcomeMax) + i], mx);
    }
}

void Tally::add_pairs_weighted(const Outcomes& out) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  const int lo = lo_, hi = hi_;
  alignas(64) std::int64_t d[kBlock], dq[kBlock];
  for (int p = 0; p < L.pairs; ++p) {
    const auto [a, b] = L.pair_list[static_cast<std::size_t>(p)];
    for (int o = 0; o < L.O; ++o) {
      const double* xa = out[static_cast<std::size_t>(a)][o];
      const double* xb = out[static_cast<std::size_t>(b)][o];
      const std::int64_t* fa = fx_.data() + L.outcome_index(a, o) * kBlock;
      const std::int64_t* fb = fx_.data() + L.outcome_index(b, o) * kBlock;
      std::int64_t max_d = 0, max_q = 0;
#pragma omp simd reduction(max : max_d, max_q)
      for (int j = 0; j < kBlock; ++j) {
        const double diff = xa[j] - xb[j];
        d[j] = fa[j] - fb[j], dq[j] = fixed(diff * diff, kScale);
        const bool run = j >= lo && j < hi;
        max_d = std::max(max_d, run ? (d[j] < 0 ? -d[j] : d[j]) : 0);
        max_q = std::max(max_q, run ? dq[j] : 0);
      }
      add128(w + L.offset(Seg::kPairSum), L.pair_index(p, o), weighted_dot(d, max_d));
      add128(w + L.offset(Seg::kPairSumsq), L.pair_index(p, o), weighted_dot(dq, max_q));
    }
  }
}

void Tally::add_regret_weighted(const Outcomes& out) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  const int payoff = cfg_.payoff, nb = L.regret_bins;
  const Range pr = cfg_.outcomes[static_cast<std::size_t>(payoff)].range;
  const double inv_width = nb / (pr.hi - pr.lo);
  double best_payoff[kBlock];
  int best[kBlock];
  for (int j = lo_; j < hi_; ++j) best_payoff[j] = out[0][payoff][j], best[j] = 0;
  for (int s = 1; s < L.S; ++s) {
    const double* pay = out[static_cast<std::size_t>(s)][payoff];
    for (int j = lo_; j < hi_; ++j)
      if (pay[j] > best_payoff[j]) best[j] = s, best_payoff[j] = pay[j];
  }
  for (int j = lo_; j < hi_; ++j)
    w[L.offset(Seg::kBestCount) + static_cast<std::size_t>(best[j])] += m_[j];
  for (int s = 0; s < L.S; ++s) {
    const auto si = static_cast<std::size_t>(s);
    const double* pay = out[si][payoff];
    std::uint64_t* rh = w + L.offset(Seg::kRegretHist) + L.regret_bin_index(s, 0);
    i128 sum = 0, sq = 0;
    std::uint64_t exact = 0;
    double rmax = 0.0;
    for (int j = lo_; j < hi_; ++j) {
      if (m_[j] == 0) continue;
      const double r = best_payoff[j] - pay[j];
      sum += static_cast<i128>(m_[j]) * fixed(r, kScale);
      sq += static_cast<i128>(m_[j]) * fixed(r * r, kScale);
      const int b = static_cast<int>(r * inv_width);
      rh[b < nb ? b : nb - 1] += m_[j];
      exact += r == 0.0 ? m_[j] : 0;
      rmax = std::max(rmax, r);
    }
    add128(w + L.offset(Seg::kRegretSum), si, sum);
    add128(w + L.offset(Seg::kRegretSumsq), si, sq);
    w[L.offset(Seg::kRegretZero) + si] += exact;
    keep_max(w[L.offset(Seg::kRegretMax) + si], rmax);
  }
}

void Tally::add_satisficing_weighted(const Outcomes& out) {
  const Layout& L = acc_.layout();
  std::uint64_t* satisfied = acc_.words_.data() + L.offset(Seg::kSatisfied);
  for (int s = 0; s < L.S; ++s)
    for (int c = 0; c < L.criteria; ++c) {
      std::uint64_t met = 0;
      for (int j = lo_; j < hi_; ++j) {
        bool ok = true;
        for (const auto& cond : cfg_.satisficing[static_cast<std::size_t>(c)].conditions) {
          const double x = out[static_cast<std::size_t>(s)][cond.outcome][j];
          ok = ok && x >= cond.min && x <= cond.max;
        }
        met += ok ? m_[j] : 0;
      }
      satisfied[L.criterion_index(s, c)] += met;
    }
}

// Decile sums as the unweighted ones store them (20 bits of the outcome's range, at 2^24): the
// block's values as 32-bit rows (decile_rows, shared with the unweighted half), each run's row
// times its multiplicity (below 2^44) added in 64-bit lanes, widened into the 128-bit sums every
// kDecileWidenBlocks blocks (2^10 runs: below 2^54, no overflow).
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
  if (++weighted_blocks_ == kDecileWidenBlocks) widen_deciles_weighted();
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
// the percentiles of its prior, i.e. in prior-CDF space.
void Tally::add_inputs_weighted(const BlockParams& inputs, const BlockDeciles& deciles) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  alignas(64) std::int64_t v[kBlock];
  for (int p = 0; p < L.P; ++p) {
    const double* edges = input_edges_[static_cast<std::size_t>(p)].data();
    const double* inner = edges + kEdgeSlots;
    const double* x = inputs[p];
    const std::uint8_t* decile = deciles[static_cast<std::size_t>(p)].data();
    const bool fixed_prior =
        cfg_.inputs[static_cast<std::size_t>(p)].prior.family == Family::kFixed;
    std::uint64_t* prior_hist = w + L.offset(Seg::kInputHist) + L.input_hist_index(0, p);
    std::uint64_t* post_hist = w + L.offset(Seg::kInputHist) + L.input_hist_index(1, p);
    i128 prior = 0;  // 64 inputs of up to 2^30 at 2^32 exceed 64 bits
    std::int64_t max_v = 0;
    for (int j = lo_; j < hi_; ++j) {
      v[j] = fixed_input(x[j]);
      prior += v[j];
      max_v = std::max(max_v, v[j] < 0 ? -v[j] : v[j]);
      const int bin =
          fixed_prior ? percentile_bin(edges, x[j]) : percentile_bin(inner, decile[j], x[j]);
      ++prior_hist[bin];
      post_hist[bin] += m_[j];
    }
    for (int j = 0; j < kBlock; ++j)
      if (j < lo_ || j >= hi_) v[j] = 0;
    add128(w + L.offset(Seg::kInputSum), L.input_sum_index(0, p), prior);
    add128(w + L.offset(Seg::kInputSum), L.input_sum_index(1, p), weighted_dot(v, max_v));
  }
}

}  // namespace wedge::stats
