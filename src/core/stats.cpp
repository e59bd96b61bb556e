#include "wedge/core/stats.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace wedge::stats {
namespace {

inline std::int64_t fixed(double x, double scale) { return static_cast<std::int64_t>(x * scale); }

constexpr double kPathShift = 0x1p20;                       // ulp(2^20) = 2^-32 = 1 / kScale
constexpr std::uint64_t kPathBias = 0x4130000000000000ULL;  // the bits of 2^20

__extension__ typedef unsigned __int128 u128;

inline i128 load128(const std::uint64_t* w) {
  return static_cast<i128>((static_cast<u128>(w[1]) << 64) | w[0]);
}
inline void store128(std::uint64_t* w, i128 v) {
  const auto u = static_cast<u128>(v);
  w[0] = static_cast<std::uint64_t>(u);
  w[1] = static_cast<std::uint64_t>(u >> 64);
}

}  // namespace

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
  const auto s = static_cast<std::size_t>(S), o = static_cast<std::size_t>(O);
  const auto add = [&](std::string name, SegKind kind, std::size_t len) {
    segments.push_back({std::move(name), kind, words, len});
    words += kind == SegKind::kSum128 ? 2 * len : len;
  };
  add("runs", SegKind::kCount, 1);
  add("outcome_sum", SegKind::kSum128, s * o);
  add("outcome_sumsq", SegKind::kSum128, s * o);
  add("outcome_min", SegKind::kMin, s * o);
  add("outcome_max", SegKind::kMax, s * o);
  add("outcome_hist", SegKind::kCount, s * static_cast<std::size_t>(hist_total));
  const std::size_t paths = s * static_cast<std::size_t>(K) * static_cast<std::size_t>(T);
  add("path_sum", SegKind::kSum128, paths);
  add("path_hist", SegKind::kCount, paths * static_cast<std::size_t>(path_bins));
  add("pair_sum", SegKind::kSum128, static_cast<std::size_t>(pairs) * o);
  add("pair_sumsq", SegKind::kSum128, static_cast<std::size_t>(pairs) * o);
  add("regret_sum", SegKind::kSum128, s);
  add("regret_sumsq", SegKind::kSum128, s);
  add("regret_hist", SegKind::kCount, s * static_cast<std::size_t>(regret_bins));
  add("best_count", SegKind::kCount, s);
  add("satisfied", SegKind::kCount, s * static_cast<std::size_t>(criteria));
  add("decile_count", SegKind::kCount, static_cast<std::size_t>(P * D));
  add("decile_sum", SegKind::kSum128, s * static_cast<std::size_t>(P * D) * o);
  // Regret has an atom at 0 (the run's best strategy): counted apart, with the largest regret,
  // so that its quantiles are exact at 0 and bounded above.
  add("regret_zero", SegKind::kCount, s);
  add("regret_max", SegKind::kMax, s);
}

const Segment& Layout::segment(const std::string& name) const {
  for (const auto& seg : segments)
    if (seg.name == name) return seg;
  throw std::logic_error("no statistics segment " + name);
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

i128 Accumulators::sum(const std::string& seg, std::size_t i) const {
  return load128(words_.data() + layout_.segment(seg).offset + 2 * i);
}
std::uint64_t Accumulators::count(const std::string& seg, std::size_t i) const {
  return words_[layout_.segment(seg).offset + i];
}
double Accumulators::minimum(const std::string& seg, std::size_t i) const {
  return std::bit_cast<double>(words_[layout_.segment(seg).offset + i]);
}
double Accumulators::maximum(const std::string& seg, std::size_t i) const {
  return std::bit_cast<double>(words_[layout_.segment(seg).offset + i]);
}
void Accumulators::add_sum(std::size_t seg_offset, std::size_t i, i128 v) {
  std::uint64_t* w = words_.data() + seg_offset + 2 * i;
  store128(w, load128(w) + v);
}

// ---- Tally -----------------------------------------------------------------------------------

Tally::Tally(const Config& cfg) : cfg_(cfg), acc_(cfg), path_sample_(cfg.path_sample) {
  const Layout& L = acc_.layout();
  const auto s = static_cast<std::size_t>(L.S);
  hist_.assign(s * static_cast<std::size_t>(L.hist_total), 0);
  path_hist_.assign(
      s * static_cast<std::size_t>(L.K) * static_cast<std::size_t>(L.T * (L.path_bins + 1)), 0);
  regret_hist_.assign(s * static_cast<std::size_t>(L.regret_bins), 0);
  path_sum_.assign(s * static_cast<std::size_t>(L.K) * static_cast<std::size_t>(L.T) * 8, 0);
  path_bins_.assign(s * static_cast<std::size_t>(L.K) *
                        static_cast<std::size_t>(L.T * kPathBinBlocks * path_bin_stride()),
                    0);
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
}

void Tally::observe(int s, int t, const double* levels) {
  const Layout& L = acc_.layout();
  const int nb = L.path_bins;
  const auto dnb = static_cast<double>(nb);
  const int stride = path_bin_stride(), lo = lo_, hi = hi_;
  const bool full = lo == 0 && hi == kBlock;
  for (int k = 0; k < L.K; ++k) {
    const std::size_t idx = (static_cast<std::size_t>(s) * static_cast<std::size_t>(L.K) +
                             static_cast<std::size_t>(k)) *
                                static_cast<std::size_t>(L.T) +
                            static_cast<std::size_t>(t);
    const double* x = levels + static_cast<std::size_t>(k) * kBlock;
    // Path sums: each level enters as round(level * 2^32), read off the bits of level + 2^20
    // (level is in [0, 1], so level + 2^20 is rounded to a multiple of 2^-32 and its bits minus
    // those of 2^20 are that multiple). One addition and one integer addition per value, no
    // conversion. Kept in 8 lanes (lane j % 8), added up when folded.
    std::uint64_t* sum = path_sum_.data() + idx * 8;
    if (full) {  // fixed trip count: clean vector code
                 // Vectorised over the 8 lanes, the 8 values of each lane summed in registers.
#pragma omp simd aligned(sum : 64)
      for (int l = 0; l < 8; ++l) {
        std::uint64_t part = sum[l] - 8 * kPathBias;
        for (int j = 0; j < kBlock; j += 8)
          part += std::bit_cast<std::uint64_t>(x[j + l] + kPathShift);
        sum[l] = part;
      }
    } else {
      for (int j = lo; j < hi; ++j)
        sum[j % 8] += std::bit_cast<std::uint64_t>(x[j] + kPathShift) - kPathBias;
    }
    // Fan-chart quantiles count the first 64 / path_sample lanes of each block (the runs whose
    // index modulo 64 is below that). Their bins are noted in this block's slot of path_bins_
    // (lanes outside [lo, hi) get the spare bin nb) and counted every kPathBinBlocks blocks, so
    // that each histogram's cache lines serve many increments at a time.
    std::uint16_t* bins =
        path_bins_.data() + (idx * kPathBinBlocks + static_cast<std::size_t>(path_slot_)) *
                                static_cast<std::size_t>(stride);
    for (int j0 = 0; j0 < stride; j0 += 8)
#pragma omp simd
      for (int l = 0; l < 8; ++l) {
        const int j = j0 + l;
        const auto b = static_cast<std::int32_t>(x[j] * dnb);
        bins[j] = static_cast<std::uint16_t>(
            j < lo || j >= hi || j >= kBlock / path_sample_ ? nb : (b < nb ? b : nb - 1));
      }
  }
}

void Tally::count_path_bins() {
  if (path_slot_ == 0) return;
  const Layout& L = acc_.layout();
  const std::size_t n =
      static_cast<std::size_t>(L.S) * static_cast<std::size_t>(L.K) * static_cast<std::size_t>(L.T);
  const auto nb1 = static_cast<std::size_t>(L.path_bins) + 1;
  const auto per_idx = static_cast<std::size_t>(kPathBinBlocks * path_bin_stride());
  const auto used = static_cast<std::size_t>(path_slot_ * path_bin_stride());
  std::uint32_t* hist = path_hist_.data();
  const std::uint16_t* bins = path_bins_.data();
  for (std::size_t idx = 0; idx < n; ++idx) {
    std::uint32_t* h = hist + idx * nb1;
    const std::uint16_t* b = bins + idx * per_idx;
    for (std::size_t i = 0; i < used; ++i) ++h[b[i]];
  }
  path_slot_ = 0;
}

void Tally::add_block(const std::vector<BlockOutcomes>& out, const BlockDeciles& deciles) {
  // Whole blocks (all but the first and last of a run range) take a copy of the code with
  // constant lane bounds: fixed trip counts, no peeling.
  if (lo_ == 0 && hi_ == kBlock)
    add_block_lanes<true>(out, deciles);
  else
    add_block_lanes<false>(out, deciles);
}

template <bool kWhole>
void Tally::add_block_lanes(const std::vector<BlockOutcomes>& out, const BlockDeciles& deciles) {
  const Layout& L = acc_.layout();
  const int S = L.S, O = L.O, lo = kWhole ? 0 : lo_, hi = kWhole ? kBlock : hi_;
  const auto uO = static_cast<std::size_t>(O);
  auto& w = acc_.words_;
  // Segment offsets are looked up once per block, not per value.
  const std::size_t off_sum = L.segment("outcome_sum").offset,
                    off_sq = L.segment("outcome_sumsq").offset;
  const std::size_t off_min = L.segment("outcome_min").offset,
                    off_max = L.segment("outcome_max").offset;
  const std::size_t off_psum = L.segment("pair_sum").offset,
                    off_psq = L.segment("pair_sumsq").offset;
  const std::size_t off_rsum = L.segment("regret_sum").offset,
                    off_rsq = L.segment("regret_sumsq").offset;
  const std::size_t off_best = L.segment("best_count").offset,
                    off_sat = L.segment("satisfied").offset;
  const std::size_t off_rzero = L.segment("regret_zero").offset,
                    off_rmax = L.segment("regret_max").offset;

  // Per outcome and strategy, over the block's lanes: fixed-point values and their exact
  // 64-bit block sums (at most 64 values, each below 2^57 in magnitude: see Config limits),
  // then one 128-bit addition per block.
  for (int s = 0; s < S; ++s) {
    std::uint32_t* hist = hist_.data() + static_cast<std::size_t>(s * L.hist_total);
    for (int o = 0; o < O; ++o) {
      const double* x = out[static_cast<std::size_t>(s)][o];
      const std::size_t i = static_cast<std::size_t>(s) * uO + static_cast<std::size_t>(o);
      std::uint32_t* h = hist + L.hist_offset[static_cast<std::size_t>(o)];
      if (cfg_.outcomes[static_cast<std::size_t>(o)].kind == OutcomeKind::kBinary) {
        // 0/1 outcomes: everything follows from the number of ones (x = x^2 = 1 or 0).
        int ones = 0;
#pragma omp simd reduction(+ : ones)
        for (int j = lo; j < hi; ++j) ones += x[j] != 0.0 ? 1 : 0;
        ones_[i] = ones;
        const auto v = static_cast<i128>(ones) << 32;  // fixed(1.0, kScale) per one
        acc_.add_sum(off_sum, i, v);
        acc_.add_sum(off_sq, i, v);
        double& amn = reinterpret_cast<double&>(w[off_min + i]);
        double& amx = reinterpret_cast<double&>(w[off_max + i]);
        if (hi > lo) {
          const double mn = ones == hi - lo ? 1.0 : 0.0, mx = ones > 0 ? 1.0 : 0.0;
          amn = mn < amn ? mn : amn;
          amx = mx > amx ? mx : amx;
        }
        h[1] += static_cast<std::uint32_t>(ones);
        h[0] += static_cast<std::uint32_t>(hi - lo - ones);
        continue;
      }
      std::int64_t* f =
          fx_.data() + (static_cast<std::size_t>(s) * uO + static_cast<std::size_t>(o)) * kBlock;
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
      acc_.add_sum(off_sum, i, sum);
      acc_.add_sum(off_sq, i, sq);
      double& amn = reinterpret_cast<double&>(w[off_min + i]);
      double& amx = reinterpret_cast<double&>(w[off_max + i]);
      amn = mn < amn ? mn : amn;
      amx = mx > amx ? mx : amx;
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
      // Bin 0 (for example "-1: never" of the event quarters) is counted, not incremented run
      // by run: repeated increments of one counter serialise on it.
      h[0] += static_cast<std::uint32_t>(zeros);
      for (int j = lo; j < hi; ++j)
        if (bin[j] != 0) ++h[bin[j]];
    }
  }
  // Paired differences (common random numbers make these precise).
  for (int p = 0; p < L.pairs; ++p) {
    const auto [a, b] = L.pair_list[static_cast<std::size_t>(p)];
    for (int o = 0; o < O; ++o) {
      const double* xa = out[static_cast<std::size_t>(a)][o];
      const double* xb = out[static_cast<std::size_t>(b)][o];
      const std::size_t i = static_cast<std::size_t>(p) * uO + static_cast<std::size_t>(o);
      if (cfg_.outcomes[static_cast<std::size_t>(o)].kind == OutcomeKind::kBinary) {
        // Differences of 0/1 outcomes: the counts' difference, and d^2 = 1 where they differ.
        int differ = 0;
#pragma omp simd reduction(+ : differ)
        for (int j = lo; j < hi; ++j) differ += xa[j] != xb[j] ? 1 : 0;
        const int ones_a = ones_[static_cast<std::size_t>(a) * uO + static_cast<std::size_t>(o)];
        const int ones_b = ones_[static_cast<std::size_t>(b) * uO + static_cast<std::size_t>(o)];
        acc_.add_sum(off_psum, i, static_cast<i128>(ones_a - ones_b) * (i128{1} << 32));
        acc_.add_sum(off_psq, i, static_cast<i128>(differ) << 32);
        continue;
      }
      const std::int64_t* fa =
          fx_.data() + (static_cast<std::size_t>(a) * uO + static_cast<std::size_t>(o)) * kBlock;
      const std::int64_t* fb =
          fx_.data() + (static_cast<std::size_t>(b) * uO + static_cast<std::size_t>(o)) * kBlock;
      std::int64_t sum = 0, sq = 0;
#pragma omp simd reduction(+ : sum, sq)
      for (int j = lo; j < hi; ++j) {
        const double d = xa[j] - xb[j];
        sum += fa[j] - fb[j];
        sq += fixed(d * d, kScale);
      }
      acc_.add_sum(off_psum, i, sum);
      acc_.add_sum(off_psq, i, sq);
    }
  }
  // Regret and the share of runs in which each strategy is best.
  const Range pr = cfg_.outcomes[static_cast<std::size_t>(cfg_.payoff)].range;
  const double regret_inv_width = L.regret_bins / (pr.hi - pr.lo);
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
  for (int j = lo; j < hi; ++j) ++w[off_best + static_cast<std::size_t>(best[j])];
  for (int s = 0; s < S; ++s) {
    const double* pay = out[static_cast<std::size_t>(s)][payoff];
    std::uint32_t* rh = regret_hist_.data() + static_cast<std::size_t>(s * L.regret_bins);
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
      bin[j] = b < L.regret_bins ? b : L.regret_bins - 1;
      zeros += bin[j] == 0 ? 1 : 0;
      exact += r == 0.0 ? 1 : 0;
      rmax = r > rmax ? r : rmax;
    }
    rh[0] += static_cast<std::uint32_t>(zeros);  // the best strategy's regret is 0: count it
    w[off_rzero + static_cast<std::size_t>(s)] += static_cast<std::uint64_t>(exact);
    double& amx = reinterpret_cast<double&>(w[off_rmax + static_cast<std::size_t>(s)]);
    amx = rmax > amx ? rmax : amx;
    for (int j = lo; j < hi; ++j)
      if (bin[j] != 0) ++rh[bin[j]];
    acc_.add_sum(off_rsum, static_cast<std::size_t>(s), sum);
    acc_.add_sum(off_rsq, static_cast<std::size_t>(s), sq);
    for (int c = 0; c < L.criteria; ++c) {
      // One vector pass per condition over the block's lanes.
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
      w[off_sat + static_cast<std::size_t>(s * L.criteria + c)] += static_cast<std::uint64_t>(met);
    }
  }
  // Outcome means by decile of each parameter: each run adds its row of values (see
  // decile_scale_) to one [decile] row per parameter, in 32-bit lanes.
  const int row_len = decile_row_, SO = S * O;
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
  std::int32_t* block_sums = decile_block_.data();
  for (int j = lo; j < hi; ++j) {
    const std::int32_t* row = rows + j * row_len;
    for (int p = 0; p < L.P; ++p) {
      const int d = deciles[static_cast<std::size_t>(p)][static_cast<std::size_t>(j)];
      ++decile_count_[static_cast<std::size_t>(p * L.D + d)];
      std::int32_t* dst = block_sums + (p * L.D + d) * row_len;
#pragma omp simd aligned(dst, row : 64)
      for (int k = 0; k < row_len; ++k) dst[k] += row[k];
    }
  }
  // |value| <= 2^20, so kDecileWidenBlocks * 64 = 2^10 runs keep every 32-bit sum below 2^30.
  if (++blocks_since_widen_ == kDecileWidenBlocks) widen_deciles();
  if (++path_slot_ == kPathBinBlocks) count_path_bins();
  w[0] += static_cast<std::uint64_t>(hi - lo);  // "runs" is the first segment
  // The 32-bit counters and 64-bit decile sums hold at most 2^22 runs before they are folded
  // into the 128-bit accumulators, so no batch size can overflow them.
  since_fold_ += static_cast<std::uint64_t>(hi - lo);
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
  auto add_counts = [&](const std::string& seg, auto& src) {
    const std::size_t off = L.segment(seg).offset;
    for (std::size_t i = 0; i < src.size(); ++i) w[off + i] += src[i], src[i] = 0;
  };
  add_counts("outcome_hist", hist_);
  count_path_bins();
  {  // the tally's histograms have a spare last bin (lanes not counted), dropped here
    const std::size_t off = L.segment("path_hist").offset,
                      nb = static_cast<std::size_t>(L.path_bins);
    for (std::size_t idx = 0; idx < path_hist_.size() / (nb + 1); ++idx)
      for (std::size_t b = 0; b <= nb; ++b) {
        std::uint32_t& c = path_hist_[idx * (nb + 1) + b];
        if (b < nb) w[off + idx * nb + b] += c;
        c = 0;
      }
  }
  add_counts("regret_hist", regret_hist_);
  add_counts("decile_count", decile_count_);
  const std::size_t off_path = L.segment("path_sum").offset;
  for (std::size_t i = 0; i < path_sum_.size() / 8; ++i) {
    i128 total = 0;
    for (std::size_t l = 0; l < 8; ++l)
      total += static_cast<std::int64_t>(path_sum_[i * 8 + l]), path_sum_[i * 8 + l] = 0;
    acc_.add_sum(off_path, i, total);
  }
  widen_deciles();
  const std::size_t off_dec = L.segment("decile_sum").offset;
  for (int p = 0; p < L.P; ++p)
    for (int d = 0; d < L.D; ++d)
      for (int s = 0; s < L.S; ++s)
        for (int o = 0; o < L.O; ++o) {
          const int so = s * L.O + o;
          std::int64_t& v = decile_sum_[static_cast<std::size_t>((p * L.D + d) * decile_row_ + so)];
          acc_.add_sum(off_dec, static_cast<std::size_t>(((s * L.P + p) * L.D + d) * L.O + o),
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

}  // namespace wedge::stats
