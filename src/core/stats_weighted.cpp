// The Tally's weighted half: with evidence, each run enters every statistic with its integer
// multiplicity m = round(w * 2^24) (core/evidence.hpp): counts add m, sums add m x the value's
// fixed-point integer. The products are exact in 128 bits (m < 2^25, a value below 2^57), so the
// weighted statistics keep the unweighted ones' guarantees: exact, order-independent merging and
// bitwise identical results for any split of the runs. Scalar code: a run's weight makes every
// lane's update different, and the model dominates the cost of a run anyway.
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
// the sampled lanes; both straight into the 128-bit sums and 64-bit counts.
void Tally::note_levels_weighted(std::size_t idx, const double* x, std::size_t gidx,
                                 const std::uint64_t* mask) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  const int nb = L.path_bins;
  const auto dnb = static_cast<double>(nb);
  std::uint64_t sum = 0, gsum = 0;
  for (int j = lo_; j < hi_; ++j) {
    const std::uint64_t v = std::bit_cast<std::uint64_t>(x[j] + kPathShift) - kPathBias;
    sum += m_[j] * v;
    if (mask != nullptr) gsum += (m_[j] * v) & mask[j];
  }
  add128(w + L.offset(Seg::kPathSum), idx, static_cast<i128>(sum));
  if (mask != nullptr) add128(w + L.offset(Seg::kSwitchedPathSum), gidx, static_cast<i128>(gsum));
  const int sampled = std::min(hi_, kBlock / path_sample_);
  std::uint64_t* hist = w + L.offset(Seg::kPathHist) + idx * static_cast<std::size_t>(nb);
  std::uint64_t* ghist = w + L.offset(Seg::kSwitchedPathHist) + gidx * static_cast<std::size_t>(nb);
  for (int j = lo_; j < sampled; ++j) {
    const auto b = static_cast<std::int32_t>(x[j] * dnb);
    const int bin = b < nb ? b : nb - 1;
    hist[bin] += m_[j];
    if (mask != nullptr && mask[j] != 0) ghist[bin] += m_[j];
  }
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
  add_inputs_weighted(inputs);
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
}

// Moments, extremes (over the runs with weight), histograms; and the unweighted sums of the
// forecast before the evidence.
void Tally::add_outcomes_weighted(const Outcomes& out) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  for (int s = 0; s < L.S; ++s)
    for (int o = 0; o < L.O; ++o) {
      const double* x = out[static_cast<std::size_t>(s)][o];
      const std::size_t i = L.outcome_index(s, o);
      const auto uo = static_cast<std::size_t>(o);
      const int nb = hist_bins_[uo];
      const double hlo = hist_lo_[uo], inv = hist_inv_width_[uo];
      std::uint64_t* hist = w + L.offset(Seg::kOutcomeHist) + L.hist_index(s, o);
      i128 sum = 0, sq = 0;
      std::int64_t prior = 0;
      double mn = std::numeric_limits<double>::infinity(), mx = -mn;
      for (int j = lo_; j < hi_; ++j) {
        const std::int64_t v = fixed(x[j], kScale);
        prior += v;
        fx_[i * kBlock + static_cast<std::size_t>(j)] = v;
        if (m_[j] == 0) continue;
        sum += static_cast<i128>(m_[j]) * v;
        sq += static_cast<i128>(m_[j]) * fixed(x[j] * x[j], kScale);
        mn = std::min(mn, x[j]), mx = std::max(mx, x[j]);
        const int b = static_cast<int>((x[j] - hlo) * inv);
        hist[b < 0 ? 0 : (b >= nb ? nb - 1 : b)] += m_[j];
      }
      add128(w + L.offset(Seg::kOutcomeSum), i, sum);
      add128(w + L.offset(Seg::kOutcomeSumsq), i, sq);
      add128(w + L.offset(Seg::kPriorOutcomeSum), i, prior);
      keep_min(w[L.offset(Seg::kOutcomeMin) + i], mn);
      keep_max(w[L.offset(Seg::kOutcomeMax) + i], mx);
    }
}

void Tally::add_pairs_weighted(const Outcomes& out) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  for (int p = 0; p < L.pairs; ++p) {
    const auto [a, b] = L.pair_list[static_cast<std::size_t>(p)];
    for (int o = 0; o < L.O; ++o) {
      const double* xa = out[static_cast<std::size_t>(a)][o];
      const double* xb = out[static_cast<std::size_t>(b)][o];
      const std::int64_t* fa = fx_.data() + L.outcome_index(a, o) * kBlock;
      const std::int64_t* fb = fx_.data() + L.outcome_index(b, o) * kBlock;
      i128 sum = 0, sq = 0;
      for (int j = lo_; j < hi_; ++j) {
        const double d = xa[j] - xb[j];
        sum += static_cast<i128>(m_[j]) * (fa[j] - fb[j]);
        sq += static_cast<i128>(m_[j]) * fixed(d * d, kScale);
      }
      add128(w + L.offset(Seg::kPairSum), L.pair_index(p, o), sum);
      add128(w + L.offset(Seg::kPairSumsq), L.pair_index(p, o), sq);
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

// Decile sums as the unweighted ones store them (20 bits of the outcome's range, at 2^24).
void Tally::add_deciles_weighted(const Outcomes& out, const BlockDeciles& deciles) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  for (int j = lo_; j < hi_; ++j) {
    if (m_[j] == 0) continue;
    for (int p = 0; p < L.P; ++p) {
      const int d = deciles[static_cast<std::size_t>(p)][static_cast<std::size_t>(j)];
      w[L.offset(Seg::kDecileCount) + L.decile_count_index(p, d)] += m_[j];
      for (int s = 0; s < L.S; ++s)
        for (int o = 0; o < L.O; ++o) {
          const auto so = static_cast<std::size_t>(s * L.O + o);
          const auto v =
              static_cast<std::int32_t>(out[static_cast<std::size_t>(s)][o][j] * decile_scale_[so]);
          add128(w + L.offset(Seg::kDecileSum), L.decile_index(s, p, d, o),
                 (static_cast<i128>(m_[j]) * v) << decile_shift_[so]);
        }
    }
  }
}

// Each input's prior (every run counts 1) and posterior (weighted): sums and histograms over
// the percentiles of its prior, i.e. in prior-CDF space.
void Tally::add_inputs_weighted(const BlockParams& inputs) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  for (int p = 0; p < L.P; ++p) {
    const std::vector<double>& edges = input_edges_[static_cast<std::size_t>(p)];
    i128 prior = 0;  // 64 inputs of up to 2^30 at 2^32 exceed 64 bits
    i128 post = 0;
    std::uint64_t* prior_hist = w + L.offset(Seg::kInputHist) + L.input_hist_index(0, p);
    std::uint64_t* post_hist = w + L.offset(Seg::kInputHist) + L.input_hist_index(1, p);
    for (int j = lo_; j < hi_; ++j) {
      const double x = inputs[p][j];
      const std::int64_t v = fixed_input(x);
      prior += v;
      post += static_cast<i128>(m_[j]) * v;
      const auto bin = std::upper_bound(edges.begin(), edges.end(), x) - edges.begin();
      ++prior_hist[bin];
      post_hist[bin] += m_[j];
    }
    add128(w + L.offset(Seg::kInputSum), L.input_sum_index(0, p), prior);
    add128(w + L.offset(Seg::kInputSum), L.input_sum_index(1, p), post);
  }
}

}  // namespace wedge::stats
