#include "wedge/core/stats.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "core/stats_internal.hpp"
#include "wedge/core/sensitivity.hpp"
#include "wedge/core/sobol_design.hpp"

namespace wedge::stats {

using namespace detail;

Layout::Layout(const Config& cfg) {
  O = cfg.num_outcomes();
  K = cfg.num_states();
  P = cfg.num_inputs();
  S = cfg.num_strategies();
  T = cfg.quarters;
  criteria = static_cast<int>(cfg.satisficing.size());
  path_bins = cfg.path_bins;
  regret_bins = cfg.histogram_bins;
  for (int a = 0; a < S; ++a)
    for (int b = 0; b < S; ++b) {
      if (a == b) continue;
      if (cfg.baseline >= 0 ? b == cfg.baseline : a < b) pair_list.push_back({a, b});
    }
  pairs = static_cast<int>(pair_list.size());
  for (int o = 0; o < O; ++o) {
    hist_offset.push_back(hist_total);
    hist_total += outcome_bins(cfg, o);
  }
  fan_row.assign(static_cast<std::size_t>(S), -1);
  group_row.assign(static_cast<std::size_t>(S), -1);
  const bool may_switch = fallbacks_may_switch(cfg);
  for (int st : cfg.fan_charts) {
    fan_row[static_cast<std::size_t>(st)] = F++;
    fan_strategy.push_back(st);
    if (may_switch && cfg.strategies[static_cast<std::size_t>(st)].fallback >= 0) {
      group_row[static_cast<std::size_t>(st)] = G++;
      group_strategy.push_back(st);
    }
  }
  const auto s = static_cast<std::size_t>(S), o = static_cast<std::size_t>(O);
  const std::size_t kt = static_cast<std::size_t>(K) * static_cast<std::size_t>(T);
  const std::size_t paths = static_cast<std::size_t>(F) * kt;
  const std::size_t switched = static_cast<std::size_t>(G) * kt;
  std::array<std::size_t, kNumSegs> len{};
  const auto set = [&](Seg g, std::size_t n) { len[seg_index(g)] = n; };
  set(Seg::kRuns, 1);
  for (Seg g : {Seg::kOutcomeSum, Seg::kOutcomeSumsq, Seg::kOutcomeMin, Seg::kOutcomeMax})
    set(g, s * o);
  set(Seg::kOutcomeHist, s * static_cast<std::size_t>(hist_total));
  set(Seg::kPathSum, paths);
  set(Seg::kPathHist, paths * static_cast<std::size_t>(path_bins));
  set(Seg::kPairSum, static_cast<std::size_t>(pairs) * o);
  set(Seg::kPairSumsq, static_cast<std::size_t>(pairs) * o);
  for (Seg g :
       {Seg::kRegretSum, Seg::kRegretSumsq, Seg::kBestCount, Seg::kRegretZero, Seg::kRegretMax})
    set(g, s);
  set(Seg::kRegretHist, s * static_cast<std::size_t>(regret_bins));
  set(Seg::kSatisfied, s * static_cast<std::size_t>(criteria));
  set(Seg::kDecileCount, static_cast<std::size_t>(P * D));
  set(Seg::kDecileSum, s * static_cast<std::size_t>(P * D) * o);
  set(Seg::kSwitchedRuns, static_cast<std::size_t>(G));
  set(Seg::kSwitchedPathSum, switched);
  set(Seg::kSwitchedPathHist, switched * static_cast<std::size_t>(path_bins));
  replicates = cfg.design == Design::kSobol ? SobolDesign::kReplicates : 0;
  set(Seg::kReplicateSum, static_cast<std::size_t>(replicates) * s * o);
  set(Seg::kReplicateRuns, static_cast<std::size_t>(replicates));
  weighted = cfg.weighted();
  if (weighted) {
    const auto p2 = static_cast<std::size_t>(2 * P);
    set(Seg::kWeightSum, 1);
    set(Seg::kWeightSumsq, 1);
    set(Seg::kInputSum, p2);
    set(Seg::kInputHist, p2 * static_cast<std::size_t>(kInputBins));
    set(Seg::kPriorOutcomeSum, s * o);
  }
  if (cfg.design == Design::kSaltelli) {
    sobol_series = S + pairs;
    sobol_factors = static_cast<int>(sensitivity_factors(cfg).size());
    sobol_terms = kSobolShared + kSobolPerFactor * sobol_factors;
    set(Seg::kSobolSum, static_cast<std::size_t>(sobol_series * sobol_terms) * o);
  }
  for (std::size_t i = 0; i < kSegs.size(); ++i) {  // consecutive, in file order
    segments[i] = {kSegs[i].name, kSegs[i].kind, words, len[i]};
    words += kSegs[i].kind == SegKind::kSum128 ? 2 * len[i] : len[i];
  }
}

Accumulators::Accumulators(const Config& cfg) : layout_(cfg), words_(layout_.words, 0) { clear(); }

void Accumulators::clear() {
  std::fill(words_.begin(), words_.end(), 0);
  for (const auto& seg : layout_.segments) {
    if (seg.kind != SegKind::kMin && seg.kind != SegKind::kMax) continue;
    const double init = seg.kind == SegKind::kMin ? std::numeric_limits<double>::infinity()
                                                  : -std::numeric_limits<double>::infinity();
    std::fill_n(words_.begin() + static_cast<std::ptrdiff_t>(seg.offset), seg.length,
                std::bit_cast<std::uint64_t>(init));
  }
}

void Accumulators::merge_words(const Layout& layout, const std::uint64_t* in,
                               std::uint64_t* inout) {
  for (const auto& seg : layout.segments) {
    const std::uint64_t* a = in + seg.offset;
    std::uint64_t* b = inout + seg.offset;
    switch (seg.kind) {
      case SegKind::kSum128:
        for (std::size_t i = 0; i < seg.length; ++i)
          store128(b + 2 * i, load128(b + 2 * i) + load128(a + 2 * i));
        break;
      case SegKind::kCount:
        for (std::size_t i = 0; i < seg.length; ++i) b[i] += a[i];
        break;
      case SegKind::kMin:
        for (std::size_t i = 0; i < seg.length; ++i)
          b[i] = std::bit_cast<std::uint64_t>(
              std::min(std::bit_cast<double>(a[i]), std::bit_cast<double>(b[i])));
        break;
      case SegKind::kMax:
        for (std::size_t i = 0; i < seg.length; ++i)
          b[i] = std::bit_cast<std::uint64_t>(
              std::max(std::bit_cast<double>(a[i]), std::bit_cast<double>(b[i])));
        break;
    }
  }
}

void Accumulators::merge(const Accumulators& other) {
  if (other.words_.size() != words_.size()) throw std::logic_error("merging different layouts");
  merge_words(layout_, other.words_.data(), words_.data());
}

Mass Accumulators::mass() const {
  if (!layout_.weighted) return {runs(), static_cast<double>(runs()), false};
  const std::uint64_t n = count(Seg::kWeightSum, 0);
  const i128 sq = sum(Seg::kWeightSumsq, 0);
  const long double dn = static_cast<long double>(n);
  return {n, sq > 0 ? static_cast<double>(dn * dn / static_cast<long double>(sq)) : 0.0, true};
}

i128 Accumulators::sum(Seg g, std::size_t i) const {
  return load128(words_.data() + layout_.offset(g) + 2 * i);
}
double Accumulators::minimum(Seg g, std::size_t i) const {
  return std::bit_cast<double>(words_[layout_.offset(g) + i]);
}
double Accumulators::maximum(Seg g, std::size_t i) const {
  return std::bit_cast<double>(words_[layout_.offset(g) + i]);
}
void Accumulators::add_sum(Seg g, std::size_t i, i128 v) {
  add128(words_.data() + layout_.offset(g), i, v);
}

// ---- Tally -----------------------------------------------------------------------------------

Tally::Tally(const Config& cfg, double evidence_offset)
    : cfg_(cfg), acc_(cfg), path_sample_(cfg.path_sample) {
  const Layout& L = acc_.layout();
  const auto s = static_cast<std::size_t>(L.S);
  hist_.assign(s * static_cast<std::size_t>(L.hist_total), 0);
  regret_hist_.assign(s * static_cast<std::size_t>(L.regret_bins), 0);
  size_paths(paths_, L.F, cfg.weighted());
  size_paths(switched_, L.G, cfg.weighted());
  switched_mask_.assign(static_cast<std::size_t>(L.G) * kBlock, 0);
  switched_runs_.assign(static_cast<std::size_t>(L.G), 0);
  decile_count_.assign(static_cast<std::size_t>(L.P * L.D), 0);
  fx_.assign(s * static_cast<std::size_t>(L.O) * kBlock, 0);
  ones_.assign(s * static_cast<std::size_t>(L.O), 0);
  decile_row_ = (L.S * L.O + 15) / 16 * 16;
  const auto rows = static_cast<std::size_t>(decile_row_);
  decile_values_.assign(rows * kBlock, 0);
  rows_.assign(kBlock * rows, 0);
  decile_block_.assign(static_cast<std::size_t>(L.P * L.D) * rows, 0);
  decile_sum_.assign(static_cast<std::size_t>(L.P * L.D) * rows, 0);
  for (int s2 = 0; s2 < L.S; ++s2)
    for (int o = 0; o < L.O; ++o) {
      const Range r = cfg.outcomes[static_cast<std::size_t>(o)].range;
      const double bound = std::max(std::abs(r.lo), std::abs(r.hi));
      const int e = bound <= 1.0 ? 0 : static_cast<int>(std::ceil(std::log2(bound)));
      decile_scale_.push_back(std::ldexp(1.0, 20 - e));
      decile_shift_.push_back(4 + e);
    }
  for (int o = 0; o < L.O; ++o) {
    const Range r = cfg.outcomes[static_cast<std::size_t>(o)].range;
    const int bins = outcome_bins(cfg, o);
    hist_lo_.push_back(r.lo);
    hist_bins_.push_back(bins);
    const bool integer =
        cfg_.outcomes[static_cast<std::size_t>(o)].kind != OutcomeKind::kContinuous;
    hist_inv_width_.push_back(integer ? 1.0 : bins / (r.hi - r.lo));
  }
  if (cfg.weighted()) {
    evidence_ = std::make_unique<EvidenceLikelihood>(cfg);
    evidence_->set_offset(evidence_offset);
    path_m_.assign(static_cast<std::size_t>(kPathBinBlocks * path_bin_stride()), 0);
    switched_bias_.assign(switched_mask_.size() / 8, 0);
    ones_mass_.assign(s * static_cast<std::size_t>(L.O), 0);
    // Each prior's 1st .. 99th percentiles, padded with +inf to 128 for a branch-free search;
    // then per decile d its inner percentiles 10d + 1 .. 10d + 9, padded to 16 (stats_weighted).
    constexpr double kInf = std::numeric_limits<double>::infinity();
    for (const Input& in : cfg.inputs) {
      std::vector<double> e(128 + 10 * 16, kInf);
      for (int b = 1; b < kInputBins; ++b)
        e[static_cast<std::size_t>(b - 1)] =
            prior_quantile(in.prior, static_cast<double>(b) / kInputBins);
      for (int d = 0; d < 10; ++d)
        for (int k = 0; k < 9; ++k)
          e[static_cast<std::size_t>(128 + 16 * d + k)] = e[static_cast<std::size_t>(10 * d + k)];
      input_edges_.push_back(std::move(e));
    }
  }
}

Tally::~Tally() = default;

void Tally::size_paths(PathCounts& p, int rows, bool weighted) {
  const Layout& L = acc_.layout();
  const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(L.K) *
                        static_cast<std::size_t>(L.T);
  p.sum.assign(n * 8, 0);
  p.bins.assign(n * static_cast<std::size_t>(kPathBinBlocks * path_bin_stride()), 0);
  p.hist.assign(n * static_cast<std::size_t>(L.path_bins + 1), 0);
  if (weighted) p.sum_carry.assign(p.sum.size(), 0), p.weighted_hist.assign(p.hist.size(), 0);
}

void Tally::begin_block(int lo, int hi) {
  lo_ = lo, hi_ = hi;
  if (evidence_) evidence_->begin_block(), weights_ready_ = false;
  // Until the model says otherwise, every run keeps its strategy.
  std::fill(switched_mask_.begin(), switched_mask_.end(), 0);
  std::fill(switched_bias_.begin(), switched_bias_.end(), 0);
}

void Tally::group(int s, const double* switched) {
  const int g = acc_.layout().group_row[static_cast<std::size_t>(s)];
  if (g < 0) return;
  if (evidence_) return group_weighted(g, switched);
  std::uint64_t* mask = switched_mask_.data() + static_cast<std::size_t>(g) * kBlock;
  std::uint64_t n = 0;
  for (int j = 0; j < kBlock; ++j) {
    const bool in = switched[j] != 0.0 && j >= lo_ && j < hi_;
    mask[j] = in ? ~std::uint64_t{0} : 0;
    n += in ? 1 : 0;
  }
  switched_runs_[static_cast<std::size_t>(g)] += n;
}

void Tally::observe(int s, int t, const double* levels) {
  const Layout& L = acc_.layout();
  const int f = L.fan_row[static_cast<std::size_t>(s)];
  if (f < 0) return;
  const int g = L.group_row[static_cast<std::size_t>(s)];
  if (evidence_) ensure_weights();
  for (int k = 0; k < L.K; ++k) {
    const double* x = levels + static_cast<std::size_t>(k) * kBlock;
    if (evidence_)
      note_levels_weighted(
          L.path_index(f, k, t), x, g < 0 ? 0 : L.switched_path_index(g, k, t),
          g < 0 ? nullptr : switched_mask_.data() + static_cast<std::size_t>(g) * kBlock);
    else if (g < 0)
      note_levels<false>(L.path_index(f, k, t), x, 0, nullptr);
    else
      note_levels<true>(L.path_index(f, k, t), x, L.switched_path_index(g, k, t),
                        switched_mask_.data() + static_cast<std::size_t>(g) * kBlock);
  }
}

template <bool kGrouped>
void Tally::note_levels(std::size_t idx, const double* x, std::size_t gidx,
                        const std::uint64_t* mask) {
  const int lo = lo_, hi = hi_;
  // Path sums: each level enters as round(level * 2^32), read off the bits of level + 2^20
  // (level is in [0, 1], so level + 2^20 is rounded to a multiple of 2^-32 and its bits minus
  // those of 2^20 are that multiple). One addition and one integer addition per value, no
  // conversion. Kept in 8 lanes (lane j % 8), added up when folded. The switched runs' sums
  // add the same values where the mask (all ones or zero, zero outside [lo, hi)) lets them.
  std::uint64_t* sum = paths_.sum.data() + idx * 8;
  std::uint64_t* gsum = kGrouped ? switched_.sum.data() + gidx * 8 : nullptr;
  if (lo == 0 && hi == kBlock) {  // fixed trip count: clean vector code
    // Vectorised over the 8 lanes, the 8 values of each lane summed in registers.
    if (kGrouped) {
#pragma omp simd aligned(sum, gsum, mask : 64)
      for (int l = 0; l < 8; ++l) {
        std::uint64_t part = sum[l] - 8 * kPathBias, gpart = gsum[l];
        for (int j = 0; j < kBlock; j += 8) {
          const std::uint64_t v = std::bit_cast<std::uint64_t>(x[j + l] + kPathShift);
          part += v;
          gpart += (v - kPathBias) & mask[j + l];
        }
        sum[l] = part, gsum[l] = gpart;
      }
    } else {
#pragma omp simd aligned(sum : 64)
      for (int l = 0; l < 8; ++l) {
        std::uint64_t part = sum[l] - 8 * kPathBias;
        for (int j = 0; j < kBlock; j += 8)
          part += std::bit_cast<std::uint64_t>(x[j + l] + kPathShift);
        sum[l] = part;
      }
    }
  } else {
    for (int j = lo; j < hi; ++j) {
      const std::uint64_t v = std::bit_cast<std::uint64_t>(x[j] + kPathShift) - kPathBias;
      sum[j % 8] += v;
      if (kGrouped) gsum[j % 8] += v & mask[j];
    }
  }
  note_bins<kGrouped>(idx, x, gidx, mask);
}

// Fan-chart quantiles count the first 64 / path_sample lanes of each block (the runs whose
// index modulo 64 is below that). Their bins are noted in this block's slot of the bins (lanes
// outside [lo, hi), or not switched for the switched runs' bins, get the spare bin nb) and
// counted every kPathBinBlocks blocks, so that each histogram's cache lines serve many increments
// at a time.
template <bool kGrouped>
void Tally::note_bins(std::size_t idx, const double* x, std::size_t gidx,
                      const std::uint64_t* mask) {
  const int nb = acc_.layout().path_bins;
  const auto dnb = static_cast<double>(nb);
  const int stride = path_bin_stride(), lo = lo_, hi = hi_;
  const std::size_t slot = static_cast<std::size_t>(path_slot_) * static_cast<std::size_t>(stride);
  std::uint16_t* bins =
      paths_.bins.data() + idx * kPathBinBlocks * static_cast<std::size_t>(stride) + slot;
  std::uint16_t* gbins =
      kGrouped
          ? switched_.bins.data() + gidx * kPathBinBlocks * static_cast<std::size_t>(stride) + slot
          : nullptr;
  for (int j0 = 0; j0 < stride; j0 += 8)
#pragma omp simd
    for (int l = 0; l < 8; ++l) {
      const int j = j0 + l;
      const auto b = static_cast<std::int32_t>(x[j] * dnb);
      const bool out = j < lo || j >= hi || j >= kBlock / path_sample_;
      const auto bin = static_cast<std::uint16_t>(out ? nb : (b < nb ? b : nb - 1));
      bins[j] = bin;
      if (kGrouped) gbins[j] = mask[j] != 0 ? bin : static_cast<std::uint16_t>(nb);
    }
}
template void Tally::note_bins<false>(std::size_t, const double*, std::size_t,
                                      const std::uint64_t*);
template void Tally::note_bins<true>(std::size_t, const double*, std::size_t, const std::uint64_t*);

void Tally::count_path_bins() {
  if (path_slot_ == 0) return;
  const Layout& L = acc_.layout();
  const auto nb1 = static_cast<std::size_t>(L.path_bins) + 1;
  const auto per_idx = static_cast<std::size_t>(kPathBinBlocks * path_bin_stride());
  const auto used = static_cast<std::size_t>(path_slot_ * path_bin_stride());
  for (PathCounts* p : {&paths_, &switched_}) {
    const std::size_t n = p->sum.size() / 8;
    std::uint32_t* hist = p->hist.data();
    const std::uint16_t* bins = p->bins.data();
    for (std::size_t idx = 0; idx < n; ++idx) {
      std::uint32_t* h = hist + idx * nb1;
      const std::uint16_t* b = bins + idx * per_idx;
      for (std::size_t i = 0; i < used; ++i) ++h[b[i]];
    }
  }
  path_slot_ = 0;
}

// The tally's path histograms have a spare last bin (lanes not counted), dropped here.
void Tally::fold_paths(PathCounts& p, Seg sum, Seg hist) {
  const Layout& L = acc_.layout();
  auto& w = acc_.words_;
  const std::size_t off_hist = L.offset(hist), nb = static_cast<std::size_t>(L.path_bins);
  const std::size_t n = p.sum.size() / 8;
  for (std::size_t idx = 0; idx < n; ++idx) {  // path_bin_index = idx * nb + bin
    std::uint32_t* h = p.hist.data() + idx * (nb + 1);
    for (std::size_t b = 0; b < nb; ++b) w[off_hist + idx * nb + b] += h[b];
    std::fill_n(h, nb + 1, 0u);
    i128 total = 0;
    if (p.sum_carry.empty()) {  // unweighted: sums modulo 2^64 of a total that fits 64 bits
      for (std::size_t l = 0; l < 8; ++l)
        total += static_cast<std::int64_t>(p.sum[idx * 8 + l]), p.sum[idx * 8 + l] = 0;
    } else {  // weighted: each carry is 2^64; 64-bit counts
      for (std::size_t l = 0; l < 8; ++l) {
        std::uint64_t& carry = p.sum_carry[idx * 8 + l];
        total += static_cast<i128>(carry) << 64 | p.sum[idx * 8 + l];
        p.sum[idx * 8 + l] = 0, carry = 0;
      }
      std::uint64_t* c = p.weighted_hist.data() + idx * (nb + 1);
      for (std::size_t b = 0; b < nb; ++b) w[off_hist + idx * nb + b] += c[b];
      std::fill_n(c, nb + 1, 0u);
    }
    acc_.add_sum(sum, idx, total);
  }
}

void Tally::add_block(const Outcomes& out, const BlockDeciles& deciles, const BlockParams* inputs) {
  if (evidence_) {
    if (inputs == nullptr) throw std::logic_error("a weighted tally needs the block's inputs");
    return add_block_weighted(out, deciles, *inputs);
  }
  // Whole blocks (all but the first and last of a run range) take a copy of the code with
  // constant lane bounds: fixed trip counts, no peeling.
  if (lo_ == 0 && hi_ == kBlock)
    add_block_lanes<true>(out, deciles);
  else
    add_block_lanes<false>(out, deciles);
}

template <bool kWhole>
void Tally::add_block_lanes(const Outcomes& out, const BlockDeciles& deciles) {
  add_outcomes<kWhole>(out);
  add_pairs<kWhole>(out);  // reads the counts and fixed-point values add_outcomes left
  add_best_and_regret<kWhole>(out);
  add_satisficing<kWhole>(out);
  if (acc_.layout().replicates > 0) add_replicates<kWhole>(out);
  decile_rows(out);
  add_decile_rows<kWhole>(deciles);
  end_block(lane_hi<kWhole>() - lane_lo<kWhole>());
}

struct Tally::MomentCells {
  std::uint64_t *sum, *sumsq, *min, *max;  // the segments' first words
};

// Per outcome and strategy, over the block's lanes: fixed-point values and their exact 64-bit
// block sums (at most 64 values, each below 2^57 in magnitude: see Config limits), then one
// 128-bit addition per block.
template <bool kWhole>
void Tally::add_outcomes(const Outcomes& out) {
  const Layout& L = acc_.layout();
  std::uint64_t* w = acc_.words_.data();
  const MomentCells cells{w + L.offset(Seg::kOutcomeSum), w + L.offset(Seg::kOutcomeSumsq),
                          w + L.offset(Seg::kOutcomeMin), w + L.offset(Seg::kOutcomeMax)};
  const int S = L.S, O = L.O;
  for (int s = 0; s < S; ++s)
    for (int o = 0; o < O; ++o) {
      const double* x = out[static_cast<std::size_t>(s)][o];
      const std::size_t i = L.outcome_index(s, o);
      std::uint32_t* hist = hist_.data() + L.hist_index(s, o);
      if (cfg_.outcomes[static_cast<std::size_t>(o)].kind == OutcomeKind::kBinary) {
        add_binary_outcome<kWhole>(x, i, hist, cells);
      } else {
        add_continuous_outcome<kWhole>(x, i, cells);
        add_histogram<kWhole>(x, o, hist);
      }
    }
}

// 0/1 outcomes: everything follows from the number of ones (x = x^2 = 1 or 0), which the paired
// differences reuse.
template <bool kWhole>
void Tally::add_binary_outcome(const double* x, std::size_t i, std::uint32_t* hist,
                               const MomentCells& c) {
  const int lo = lane_lo<kWhole>(), hi = lane_hi<kWhole>();
  int ones = 0;
#pragma omp simd reduction(+ : ones)
  for (int j = lo; j < hi; ++j) ones += x[j] != 0.0 ? 1 : 0;
  ones_[i] = ones;
  const auto v = static_cast<i128>(ones) << 32;  // fixed(1.0, kScale) per one
  add128(c.sum, i, v);
  add128(c.sumsq, i, v);
  if (hi > lo) {
    keep_min(c.min[i], ones == hi - lo ? 1.0 : 0.0);
    keep_max(c.max[i], ones > 0 ? 1.0 : 0.0);
  }
  hist[1] += static_cast<std::uint32_t>(ones);
  hist[0] += static_cast<std::uint32_t>(hi - lo - ones);
}

// Other outcomes: fixed-point values (kept in fx_ for the paired differences), sums of values
// and squares, minimum and maximum.
template <bool kWhole>
void Tally::add_continuous_outcome(const double* x, std::size_t i, const MomentCells& c) {
  const int lo = lane_lo<kWhole>(), hi = lane_hi<kWhole>();
  std::int64_t* f = fx_.data() + i * kBlock;
  std::int64_t sum = 0, sq = 0;
  double mn = std::numeric_limits<double>::infinity(), mx = -mn;
#pragma omp simd reduction(+ : sum, sq) reduction(min : mn) reduction(max : mx)
  for (int j = lo; j < hi; ++j) {
    const std::int64_t v = fixed(x[j], kScale);
    f[j] = v;
    sum += v;
    sq += fixed(x[j] * x[j], kScale);
    mn = x[j] < mn ? x[j] : mn;
    mx = x[j] > mx ? x[j] : mx;
  }
  add128(c.sum, i, sum);
  add128(c.sumsq, i, sq);
  keep_min(c.min[i], mn);
  keep_max(c.max[i], mx);
}

template <bool kWhole>
void Tally::add_histogram(const double* x, int o, std::uint32_t* hist) {
  const int lo = lane_lo<kWhole>(), hi = lane_hi<kWhole>();
  const int nb = hist_bins_[static_cast<std::size_t>(o)];
  const double hlo = hist_lo_[static_cast<std::size_t>(o)],
               inv = hist_inv_width_[static_cast<std::size_t>(o)];
  int bin[kBlock];
  int zeros = 0;
#pragma omp simd reduction(+ : zeros)
  for (int j = lo; j < hi; ++j) {
    const int b = static_cast<int>((x[j] - hlo) * inv);
    bin[j] = b < 0 ? 0 : (b >= nb ? nb - 1 : b);
    zeros += bin[j] == 0 ? 1 : 0;
  }
  // Bin 0 (for example "-1: never" of the event quarters) is counted, not incremented run by
  // run: repeated increments of one counter serialise on it.
  hist[0] += static_cast<std::uint32_t>(zeros);
  for (int j = lo; j < hi; ++j)
    if (bin[j] != 0) ++hist[bin[j]];
}

// Paired differences (common random numbers make these precise), from the counts of ones and
// the fixed-point values of add_outcomes.
template <bool kWhole>
void Tally::add_pairs(const Outcomes& out) {
  const Layout& L = acc_.layout();
  const int lo = lane_lo<kWhole>(), hi = lane_hi<kWhole>(), O = L.O;
  std::uint64_t* w = acc_.words_.data();
  std::uint64_t* psum = w + L.offset(Seg::kPairSum);
  std::uint64_t* psq = w + L.offset(Seg::kPairSumsq);
  for (int p = 0; p < L.pairs; ++p) {
    const auto [a, b] = L.pair_list[static_cast<std::size_t>(p)];
    for (int o = 0; o < O; ++o) {
      const double* xa = out[static_cast<std::size_t>(a)][o];
      const double* xb = out[static_cast<std::size_t>(b)][o];
      const std::size_t i = L.pair_index(p, o), ia = L.outcome_index(a, o),
                        ib = L.outcome_index(b, o);
      if (cfg_.outcomes[static_cast<std::size_t>(o)].kind == OutcomeKind::kBinary) {
        // Differences of 0/1 outcomes: the counts' difference, and d^2 = 1 where they differ.
        int differ = 0;
#pragma omp simd reduction(+ : differ)
        for (int j = lo; j < hi; ++j) differ += xa[j] != xb[j] ? 1 : 0;
        add128(psum, i, static_cast<i128>(ones_[ia] - ones_[ib]) * (i128{1} << 32));
        add128(psq, i, static_cast<i128>(differ) << 32);
        continue;
      }
      const std::int64_t* fa = fx_.data() + ia * kBlock;
      const std::int64_t* fb = fx_.data() + ib * kBlock;
      std::int64_t sum = 0, sq = 0;
#pragma omp simd reduction(+ : sum, sq)
      for (int j = lo; j < hi; ++j) {
        const double d = xa[j] - xb[j];
        sum += fa[j] - fb[j];
        sq += fixed(d * d, kScale);
      }
      add128(psum, i, sum);
      add128(psq, i, sq);
    }
  }
}

// The Sobol' design's per-replicate outcome sums: lane j of a block (whose first run is a
// multiple of kBlock) is run j modulo the replicates, so its replicate is j % R. The values
// enter as in add_outcomes, so the replicates' sums add up to the outcome sums exactly.
template <bool kWhole>
void Tally::add_replicates(const Outcomes& out) {
  const Layout& L = acc_.layout();
  constexpr int R = SobolDesign::kReplicates;
  static_assert(kBlock % R == 0, "a block must hold whole rounds of the replicates");
  const int lo = lane_lo<kWhole>(), hi = lane_hi<kWhole>();
  std::uint64_t* rsum = acc_.words_.data() + L.offset(Seg::kReplicateSum);
  std::uint64_t* runs = acc_.words_.data() + L.offset(Seg::kReplicateRuns);
  for (int j = lo; j < hi; ++j) ++runs[j % R];
  for (int s = 0; s < L.S; ++s)
    for (int o = 0; o < L.O; ++o) {
      const double* x = out[static_cast<std::size_t>(s)][o];
      std::int64_t part[R] = {};
      for (int j = lo; j < hi; ++j) part[j % R] += fixed(x[j], kScale);
      for (int r = 0; r < R; ++r) add128(rsum, L.replicate_index(r, s, o), part[r]);
    }
}

// The share of runs in which each strategy is best (highest payoff), and each strategy's regret:
// its payoff's shortfall from the best of the same run.
template <bool kWhole>
void Tally::add_best_and_regret(const Outcomes& out) {
  const Layout& L = acc_.layout();
  const int lo = lane_lo<kWhole>(), hi = lane_hi<kWhole>(), S = L.S, nb = L.regret_bins;
  std::uint64_t* w = acc_.words_.data();
  const Range pr = cfg_.outcomes[static_cast<std::size_t>(cfg_.payoff)].range;
  const double regret_inv_width = nb / (pr.hi - pr.lo);
  double best_payoff[kBlock];
  int best[kBlock];
  const int payoff = cfg_.payoff;
  const double* pay0 = out[0][payoff];
  for (int j = lo; j < hi; ++j) best_payoff[j] = pay0[j], best[j] = 0;
  for (int s = 1; s < S; ++s) {
    const double* pay = out[static_cast<std::size_t>(s)][payoff];
    for (int j = lo; j < hi; ++j)
      if (pay[j] > best_payoff[j]) best[j] = s, best_payoff[j] = pay[j];
  }
  std::uint64_t* best_count = w + L.offset(Seg::kBestCount);
  for (int j = lo; j < hi; ++j) ++best_count[static_cast<std::size_t>(best[j])];
  std::uint64_t* rsum = w + L.offset(Seg::kRegretSum);
  std::uint64_t* rsq = w + L.offset(Seg::kRegretSumsq);
  std::uint64_t* rzero = w + L.offset(Seg::kRegretZero);
  std::uint64_t* rmax_seg = w + L.offset(Seg::kRegretMax);
  for (int s = 0; s < S; ++s) {
    const double* pay = out[static_cast<std::size_t>(s)][payoff];
    std::uint32_t* rh = regret_hist_.data() + L.regret_bin_index(s, 0);
    std::int64_t sum = 0, sq = 0;
    int bin[kBlock];
    int zeros = 0, exact = 0;
    double rmax = 0.0;
#pragma omp simd reduction(+ : sum, sq, zeros, exact) reduction(max : rmax)
    for (int j = lo; j < hi; ++j) {
      const double r = best_payoff[j] - pay[j];
      sum += fixed(r, kScale);
      sq += fixed(r * r, kScale);
      const int b = static_cast<int>(r * regret_inv_width);
      bin[j] = b < nb ? b : nb - 1;
      zeros += bin[j] == 0 ? 1 : 0;
      exact += r == 0.0 ? 1 : 0;
      rmax = r > rmax ? r : rmax;
    }
    const auto si = static_cast<std::size_t>(s);
    rh[0] += static_cast<std::uint32_t>(zeros);  // the best strategy's regret is 0: count it
    rzero[si] += static_cast<std::uint64_t>(exact);
    keep_max(rmax_seg[si], rmax);
    for (int j = lo; j < hi; ++j)
      if (bin[j] != 0) ++rh[bin[j]];
    add128(rsum, si, sum);
    add128(rsq, si, sq);
  }
}

// Runs meeting each satisficing criterion: one vector pass per condition over the block.
template <bool kWhole>
void Tally::add_satisficing(const Outcomes& out) {
  const Layout& L = acc_.layout();
  const int lo = lane_lo<kWhole>(), hi = lane_hi<kWhole>();
  std::uint64_t* satisfied = acc_.words_.data() + L.offset(Seg::kSatisfied);
  for (int s = 0; s < L.S; ++s)
    for (int c = 0; c < L.criteria; ++c) {
      alignas(64) std::int32_t ok[kBlock];
      for (int j = 0; j < kBlock; ++j) ok[j] = j >= lo && j < hi ? 1 : 0;
      for (const auto& cond : cfg_.satisficing[static_cast<std::size_t>(c)].conditions) {
        const double* x = out[static_cast<std::size_t>(s)][cond.outcome];
        const double mn = cond.min, mx = cond.max;
#pragma omp simd
        for (int j = 0; j < kBlock; ++j) ok[j] &= x[j] >= mn && x[j] <= mx ? 1 : 0;
      }
      int met = 0;
#pragma omp simd reduction(+ : met)
      for (int j = 0; j < kBlock; ++j) met += ok[j];
      satisfied[L.criterion_index(s, c)] += static_cast<std::uint64_t>(met);
    }
}

// Outcome means by decile of each parameter, first step: each lane's row of strategy x outcome
// values as 32-bit integers (see decile_scale_), in rows_.
void Tally::decile_rows(const Outcomes& out) {
  const Layout& L = acc_.layout();
  const int row_len = decile_row_, O = L.O, SO = L.S * O;
  std::int32_t* vals = decile_values_.data();
  for (int so = 0; so < SO; ++so) {
    const double* x = out[static_cast<std::size_t>(so / O)][so % O];
    const double scale = decile_scale_[static_cast<std::size_t>(so)];
    std::int32_t* v = vals + so * kBlock;
#pragma omp simd
    for (int j = 0; j < kBlock; ++j) v[j] = static_cast<std::int32_t>(x[j] * scale);
  }
  // Transposed in 8 x 8 tiles, which the compiler turns into register shuffles (the padding
  // rows of decile_values_ stay zero).
  std::int32_t* rows = rows_.data();
  for (int so0 = 0; so0 < row_len; so0 += 8)
    for (int j0 = 0; j0 < kBlock; j0 += 8)
      for (int a = 0; a < 8; ++a)
        for (int b = 0; b < 8; ++b)
          rows[(j0 + b) * row_len + so0 + a] = vals[(so0 + a) * kBlock + j0 + b];
}

// Second step: each run adds its row to one [decile] row per parameter, in 32-bit lanes.
template <bool kWhole>
void Tally::add_decile_rows(const BlockDeciles& deciles) {
  const Layout& L = acc_.layout();
  const int lo = lane_lo<kWhole>(), hi = lane_hi<kWhole>(), row_len = decile_row_;
  const std::int32_t* rows = rows_.data();
  std::int32_t* block_sums = decile_block_.data();
  for (int j = lo; j < hi; ++j) {
    const std::int32_t* row = rows + j * row_len;
    for (int p = 0; p < L.P; ++p) {
      const int d = deciles[static_cast<std::size_t>(p)][static_cast<std::size_t>(j)];
      ++decile_count_[L.decile_count_index(p, d)];
      std::int32_t* dst = block_sums + (p * L.D + d) * row_len;
#pragma omp simd aligned(dst, row : 64)
      for (int k = 0; k < row_len; ++k) dst[k] += row[k];
    }
  }
}

void Tally::end_block(int runs) {
  // |value| <= 2^20, so kDecileWidenBlocks * 64 = 2^10 runs keep every 32-bit sum below 2^30.
  if (++blocks_since_widen_ == kDecileWidenBlocks) widen_deciles();
  if (++path_slot_ == kPathBinBlocks) count_path_bins();
  acc_.words_[acc_.layout().offset(Seg::kRuns)] += static_cast<std::uint64_t>(runs);
  // The 32-bit counters and 64-bit decile sums hold at most 2^22 runs before they are folded
  // into the 128-bit accumulators, so no batch size can overflow them.
  since_fold_ += static_cast<std::uint64_t>(runs);
  if (since_fold_ >= (1u << 22)) fold();
}

void Tally::widen_deciles() {
  const std::size_t n = decile_block_.size();
  std::int32_t* b = decile_block_.data();
  std::int64_t* w = decile_sum_.data();
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) {
    w[i] += b[i];
    b[i] = 0;
  }
  blocks_since_widen_ = 0;
}

void Tally::fold() {
  Layout const& L = acc_.layout();
  auto& w = acc_.words_;
  auto add_counts = [&](Seg g, auto& src) {
    const std::size_t off = L.offset(g);
    for (std::size_t i = 0; i < src.size(); ++i) w[off + i] += src[i], src[i] = 0;
  };
  add_counts(Seg::kOutcomeHist, hist_);
  add_counts(Seg::kRegretHist, regret_hist_);
  add_counts(Seg::kDecileCount, decile_count_);
  add_counts(Seg::kSwitchedRuns, switched_runs_);
  if (evidence_)
    count_path_bins_weighted();
  else
    count_path_bins();
  fold_paths(paths_, Seg::kPathSum, Seg::kPathHist);
  fold_paths(switched_, Seg::kSwitchedPathSum, Seg::kSwitchedPathHist);
  widen_deciles();
  if (evidence_) widen_deciles_weighted();
  for (int p = 0; p < L.P; ++p)
    for (int d = 0; d < L.D; ++d)
      for (int s = 0; s < L.S; ++s)
        for (int o = 0; o < L.O; ++o) {
          const int so = s * L.O + o;
          std::int64_t& v = decile_sum_[static_cast<std::size_t>((p * L.D + d) * decile_row_ + so)];
          acc_.add_sum(Seg::kDecileSum, L.decile_index(s, p, d, o),
                       static_cast<i128>(v) << decile_shift_[static_cast<std::size_t>(so)]);
          v = 0;
        }
  since_fold_ = 0;
}

void Tally::flush_into(Accumulators& acc) {
  fold();
  acc.merge(acc_);
  acc_.clear();
}

// ---- summaries ---------------------------------------------------------------------------------

Moments moments(std::uint64_t n, i128 sum, i128 sumsq, double scale) {
  Moments m;
  m.n = n;
  if (n == 0) {
    m.mean = m.sd = m.se = std::numeric_limits<double>::quiet_NaN();
    return m;
  }
  const auto dn = static_cast<long double>(n);
  const long double mean = static_cast<long double>(sum) / scale / dn;
  const long double ex2 = static_cast<long double>(sumsq) / scale / dn;
  // One run has no spread to estimate (the n - 1 denominator): NaN, not a reassuring 0.
  long double var = n > 1 ? (ex2 - mean * mean) * dn / (dn - 1.0L)
                          : std::numeric_limits<long double>::quiet_NaN();
  if (var < 0) var = 0;  // rounding of a constant outcome
  m.mean = static_cast<double>(mean);
  m.sd = static_cast<double>(std::sqrt(var));
  m.se = static_cast<double>(std::sqrt(var / dn));
  return m;
}

Moments moments(const Mass& w, i128 sum, i128 sumsq, double scale) {
  if (!w.weighted) return moments(w.n, sum, sumsq, scale);
  Moments m = moments(w.n, sum, sumsq, scale);
  if (w.n == 0) return m;
  // The weighted variance with Kish's correction ess / (ess - 1) in place of n / (n - 1), and the
  // standard error over the effective sample size.
  const long double n = static_cast<long double>(w.n), ess = w.ess;
  const long double mean = static_cast<long double>(sum) / scale / n;
  const long double ex2 = static_cast<long double>(sumsq) / scale / n;
  long double var = ess > 1.0L ? (ex2 - mean * mean) * ess / (ess - 1.0L)
                               : std::numeric_limits<long double>::quiet_NaN();
  if (var < 0) var = 0;
  m.sd = static_cast<double>(std::sqrt(var));
  m.se = static_cast<double>(std::sqrt(var / ess));
  return m;
}

double histogram_quantile(const std::uint64_t* counts, int bins, double lo, double hi, bool integer,
                          double q, double observed_min, double observed_max) {
  std::uint64_t n = 0;
  for (int b = 0; b < bins; ++b) n += counts[b];
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const double target = q * static_cast<double>(n);
  double cum = 0.0;
  for (int b = 0; b < bins; ++b) {
    const auto c = static_cast<double>(counts[b]);
    if (c > 0 && cum + c >= target) {
      double v;
      if (integer) {
        v = lo + b;
      } else {
        const double width = (hi - lo) / bins;
        v = lo + (b + (target - cum) / c) * width;
      }
      return std::clamp(v, observed_min, observed_max);
    }
    cum += c;
  }
  return observed_max;
}

double regret_quantile(const std::uint64_t* counts, int bins, double hi, std::uint64_t zeros,
                       double observed_max, double q) {
  std::vector<std::uint64_t> rest(counts, counts + bins);
  const std::uint64_t n = std::accumulate(rest.begin(), rest.end(), std::uint64_t{0});
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  if (q * static_cast<double>(n) <= static_cast<double>(zeros) || zeros >= n) return 0.0;
  rest[0] -= std::min(zeros, rest[0]);  // exact zeros fall in bin 0
  const double q_rest =
      (q * static_cast<double>(n) - static_cast<double>(zeros)) / static_cast<double>(n - zeros);
  return histogram_quantile(rest.data(), bins, 0.0, hi, false, q_rest, 0.0, observed_max);
}

Interval wilson(std::uint64_t k, std::uint64_t n, double z) {
  if (n == 0)
    return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  const double dn = static_cast<double>(n), p = static_cast<double>(k) / dn, z2 = z * z;
  const double denom = 1.0 + z2 / dn;
  const double centre = (p + z2 / (2.0 * dn)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / dn + z2 / (4.0 * dn * dn)) / denom;
  // At k = 0 (k = n) the interval reaches 0 (1) exactly; rounding must not move it.
  return {k == 0 ? 0.0 : std::max(0.0, centre - half), k == n ? 1.0 : std::min(1.0, centre + half)};
}

Interval wilson(std::uint64_t k, const Mass& m, double z) {
  if (!m.weighted) return wilson(k, m.n, z);
  if (m.n == 0 || !(m.ess > 0))
    return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  const double dn = m.ess, p = static_cast<double>(k) / static_cast<double>(m.n), z2 = z * z;
  const double denom = 1.0 + z2 / dn;
  const double centre = (p + z2 / (2.0 * dn)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / dn + z2 / (4.0 * dn * dn)) / denom;
  return {k == 0 ? 0.0 : std::max(0.0, centre - half),
          k == m.n ? 1.0 : std::min(1.0, centre + half)};
}

}  // namespace wedge::stats
