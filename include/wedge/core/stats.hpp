#pragma once
// Mergeable accumulators for every statistic wedge reports. All state lives in one flat array
// of 64-bit words made of typed segments (128-bit fixed-point sums, counts, minima, maxima);
// merging adds or takes min/max segment by segment. Integer arithmetic makes merging exact and
// order-independent, so results are bitwise identical for any split of the runs over ranks,
// threads, batches, restarts or array tasks.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wedge/core/block.hpp"
#include "wedge/core/config.hpp"
#include "wedge/core/evidence.hpp"
#include "wedge/core/prior.hpp"

namespace wedge::stats {

__extension__ typedef __int128 i128;

//! Fixed-point scales: a value x enters a sum as trunc(x * scale), an exact integer (path sums
//! round to nearest; decile sums keep 20 bits of the outcome's range, stored at 2^24).
inline constexpr double kScale = 0x1p32;  //!< outcome, path, pair and regret sums
inline constexpr double kDecileScale =
    0x1p24;  //!< decile sums as stored (see Tally::decile_scale_)

enum class SegKind : int { kSum128 = 0, kCount = 1, kMin = 2, kMax = 3 };

//! The segments of the word array, in file order: the order is the result file's format (the
//! `state` group stores the words and these names), so new segments go at the end.
enum class Seg : int {
  kRuns,
  kOutcomeSum,    //!< [strategy][outcome]: outcome_index
  kOutcomeSumsq,  //!< [strategy][outcome]
  kOutcomeMin,    //!< [strategy][outcome]
  kOutcomeMax,    //!< [strategy][outcome]
  kOutcomeHist,   //!< [strategy][outcome's bins]: hist_index
  kPathSum,       //!< [fan-chart strategy][state][quarter]: path_index
  kPathHist,      //!< [fan-chart strategy][state][quarter][bin]: path_bin_index
  kPairSum,       //!< [pair][outcome]: pair_index
  kPairSumsq,     //!< [pair][outcome]
  kRegretSum,     //!< [strategy]
  kRegretSumsq,   //!< [strategy]
  kRegretHist,    //!< [strategy][bin]: regret_bin_index
  kBestCount,     //!< [strategy]
  kSatisfied,     //!< [strategy][criterion]: criterion_index
  kDecileCount,   //!< [parameter][decile]: decile_count_index
  kDecileSum,     //!< [strategy][parameter][decile][outcome]: decile_index
  // Regret has an atom at 0 (the run's best strategy): counted apart, with the largest regret,
  // so that its quantiles are exact at 0 and bounded above.
  kRegretZero,  //!< [strategy]
  kRegretMax,   //!< [strategy]
  // The fan charts of the runs in which a strategy switched to its fallback (the group
  // `switched`); the runs that kept it are the mixture (kPathSum, kPathHist) minus these.
  kSwitchedRuns,      //!< [grouped strategy]: runs that switched
  kSwitchedPathSum,   //!< [grouped strategy][state][quarter]: switched_path_index
  kSwitchedPathHist,  //!< [grouped strategy][state][quarter][bin]: switched_path_bin_index
  // The Sobol' design's replicates (run % R): outcome sums per digital shift, for its error
  // estimate. Empty for the other designs.
  kReplicateSum,   //!< [replicate][strategy][outcome]: replicate_index
  kReplicateRuns,  //!< [replicate]
  // Saltelli design only (empty otherwise): the sums of Sobol' index terms, core/sensitivity.hpp.
  kSobolSum,  //!< [strategy, then pair][outcome][term]: sobol_index
  // With evidence only (empty otherwise): the runs are weighted (core/evidence.hpp), every count
  // above is a sum of integer weights and every sum a sum of weight x value. These add the
  // weights' sums (Kish's effective sample size), the inputs' prior and posterior in prior-CDF
  // space, and the outcomes' unweighted sums (the forecast before the evidence).
  kWeightSum,        //!< [1]: sum of the multiplicities m
  kWeightSumsq,      //!< [1]: sum of m^2
  kInputSum,         //!< [prior, posterior][input]: input_sum_index
  kInputHist,        //!< [prior, posterior][input][bin]: input_hist_index
  kPriorOutcomeSum,  //!< [strategy][outcome]: outcome_index, unweighted
};
inline constexpr int kNumSegs = static_cast<int>(Seg::kPriorOutcomeSum) + 1;
//! Bins of the inputs' histograms in prior-CDF space (percentiles of each prior).
inline constexpr int kInputBins = 100;

struct SegInfo {
  Seg seg;
  std::string_view name;  //!< as stored in the result file's segment_names
  SegKind kind;
};
//! One row per segment, in enum (= file) order.
inline constexpr std::array<SegInfo, kNumSegs> kSegs = {{
    {Seg::kRuns, "runs", SegKind::kCount},
    {Seg::kOutcomeSum, "outcome_sum", SegKind::kSum128},
    {Seg::kOutcomeSumsq, "outcome_sumsq", SegKind::kSum128},
    {Seg::kOutcomeMin, "outcome_min", SegKind::kMin},
    {Seg::kOutcomeMax, "outcome_max", SegKind::kMax},
    {Seg::kOutcomeHist, "outcome_hist", SegKind::kCount},
    {Seg::kPathSum, "path_sum", SegKind::kSum128},
    {Seg::kPathHist, "path_hist", SegKind::kCount},
    {Seg::kPairSum, "pair_sum", SegKind::kSum128},
    {Seg::kPairSumsq, "pair_sumsq", SegKind::kSum128},
    {Seg::kRegretSum, "regret_sum", SegKind::kSum128},
    {Seg::kRegretSumsq, "regret_sumsq", SegKind::kSum128},
    {Seg::kRegretHist, "regret_hist", SegKind::kCount},
    {Seg::kBestCount, "best_count", SegKind::kCount},
    {Seg::kSatisfied, "satisfied", SegKind::kCount},
    {Seg::kDecileCount, "decile_count", SegKind::kCount},
    {Seg::kDecileSum, "decile_sum", SegKind::kSum128},
    {Seg::kRegretZero, "regret_zero", SegKind::kCount},
    {Seg::kRegretMax, "regret_max", SegKind::kMax},
    {Seg::kSwitchedRuns, "switched_runs", SegKind::kCount},
    {Seg::kSwitchedPathSum, "switched_path_sum", SegKind::kSum128},
    {Seg::kSwitchedPathHist, "switched_path_hist", SegKind::kCount},
    {Seg::kReplicateSum, "replicate_sum", SegKind::kSum128},
    {Seg::kReplicateRuns, "replicate_runs", SegKind::kCount},
    {Seg::kSobolSum, "sobol_sum", SegKind::kSum128},
    {Seg::kWeightSum, "weight_sum", SegKind::kCount},
    {Seg::kWeightSumsq, "weight_sumsq", SegKind::kSum128},
    {Seg::kInputSum, "input_sum", SegKind::kSum128},
    {Seg::kInputHist, "input_hist", SegKind::kCount},
    {Seg::kPriorOutcomeSum, "prior_outcome_sum", SegKind::kSum128},
}};
constexpr std::size_t seg_index(Seg g) { return static_cast<std::size_t>(g); }
constexpr bool segs_in_enum_order() {
  for (std::size_t i = 0; i < kSegs.size(); ++i)
    if (seg_index(kSegs[i].seg) != i) return false;
  return true;
}
static_assert(segs_in_enum_order(), "kSegs must list the segments in the order of enum Seg");

struct Segment {
  std::string_view name;
  SegKind kind;
  std::size_t offset;  //!< in words
  std::size_t length;  //!< in elements (a kSum128 element takes two words)
};

//! The denominators of a study's statistics. Without evidence both are the number of runs;
//! with evidence, `n` is the sum of the runs' multiplicities (the unit of every count) and `ess`
//! Kish's effective sample size (sum m)^2 / sum m^2, the number of runs an interval rests on.
struct Mass {
  std::uint64_t n = 0;
  double ess = 0.0;
  bool weighted = false;
};

//! Dimensions of the statistics of one configuration, and where each element lives.
struct Layout {
  int S = 0, O = 0, K = 0, T = 0, P = 0, D = kDeciles, pairs = 0, criteria = 0;
  int path_bins = 0, regret_bins = 0;
  //! Fan charts: F strategies have path statistics (row fan_row[s], -1 for none); G of them may
  //! switch to a fallback and have them for the switched runs too (row group_row[s]).
  int F = 0, G = 0;
  std::vector<int> fan_row, group_row, fan_strategy, group_strategy;
  int replicates = 0;     //!< the Sobol' design's digital shifts (0 for the other designs)
  bool weighted = false;  //!< runs weighted by evidence (the weighted segments exist)
  //! Saltelli design: series (strategies, then pairs), factors and sums per series x outcome.
  int sobol_series = 0, sobol_factors = 0, sobol_terms = 0;
  std::vector<int> hist_offset;  //!< start of outcome o's bins inside one strategy's histogram
  int hist_total = 0;            //!< bins per strategy, all outcomes
  std::vector<std::array<int, 2>> pair_list;  //!< (a, b): differences are a - b
  std::array<Segment, kNumSegs> segments{};
  std::size_t words = 0;

  explicit Layout(const Config& cfg);
  const Segment& segment(Seg g) const { return segments[seg_index(g)]; }
  std::size_t offset(Seg g) const { return segment(g).offset; }

  // Element indices inside the segments (see enum Seg for which helper serves which segment).
  std::size_t outcome_index(int s, int o) const { return z(s * O + o); }
  std::size_t hist_index(int s, int o, int bin = 0) const {
    return z(s * hist_total + hist_offset[z(o)] + bin);
  }
  //! f: a fan-chart row (fan_row[strategy]); g: a grouped row (group_row[strategy]).
  std::size_t path_index(int f, int k, int t) const { return z((f * K + k) * T + t); }
  std::size_t path_bin_index(int f, int k, int t, int bin) const {
    return path_index(f, k, t) * z(path_bins) + z(bin);
  }
  std::size_t switched_path_index(int g, int k, int t) const { return path_index(g, k, t); }
  std::size_t switched_path_bin_index(int g, int k, int t, int bin) const {
    return path_bin_index(g, k, t, bin);
  }
  std::size_t pair_index(int p, int o) const { return z(p * O + o); }
  std::size_t regret_bin_index(int s, int bin) const { return z(s * regret_bins + bin); }
  std::size_t criterion_index(int s, int c) const { return z(s * criteria + c); }
  std::size_t decile_count_index(int p, int d) const { return z(p * D + d); }
  std::size_t decile_index(int s, int p, int d, int o) const {
    return z(((s * P + p) * D + d) * O + o);
  }
  std::size_t replicate_index(int r, int s, int o) const { return z((r * S + s) * O + o); }
  std::size_t sobol_index(int series, int o, int term = 0) const {
    return z((series * O + o) * sobol_terms + term);
  }
  //! side: 0 the prior (every run counts 1), 1 the posterior (weighted).
  std::size_t input_sum_index(int side, int p) const { return z(side * P + p); }
  std::size_t input_hist_index(int side, int p, int bin = 0) const {
    return z((side * P + p) * kInputBins + bin);
  }

 private:
  static std::size_t z(int i) { return static_cast<std::size_t>(i); }
};

//! Every accumulator of a study (or of part of it).
class Accumulators {
 public:
  explicit Accumulators(const Config& cfg);

  const Layout& layout() const { return layout_; }
  std::vector<std::uint64_t>& words() { return words_; }
  const std::vector<std::uint64_t>& words() const { return words_; }

  void merge(const Accumulators& other);
  //! Back to the empty state (zero sums and counts, +inf minima, -inf maxima).
  void clear();
  //! Merges raw word arrays of the same layout (used by MPI reductions and file merges).
  static void merge_words(const Layout& layout, const std::uint64_t* in, std::uint64_t* inout);

  // Typed access: element i of a segment (indices from the Layout's helpers).
  //! The runs simulated.
  std::uint64_t runs() const { return count(Seg::kRuns, 0); }
  //! What the statistics are relative to: the runs, or with evidence their weights.
  Mass mass() const;
  i128 sum(Seg g, std::size_t i) const;
  std::uint64_t count(Seg g, std::size_t i) const { return words_[layout_.offset(g) + i]; }
  //! The counts from element i on (a histogram's bins).
  const std::uint64_t* counts(Seg g, std::size_t i) const {
    return words_.data() + layout_.offset(g) + i;
  }
  double minimum(Seg g, std::size_t i) const;
  double maximum(Seg g, std::size_t i) const;
  void add_sum(Seg g, std::size_t i, i128 v);

 private:
  Layout layout_;
  std::vector<std::uint64_t> words_;
  friend class Tally;
};

//! Thread-local accumulation of blocks, with cheap 32/64-bit counters folded into 128-bit ones
//! every 2^22 runs (so nothing overflows) and flushed into an Accumulators once per batch.
class Tally final : public PathSink {
 public:
  //! `evidence_offset`: with evidence, the study's evidence_log_offset (core/evidence.hpp).
  explicit Tally(const Config& cfg, double evidence_offset = 0.0);
  ~Tally() override;

  //! Starts a block whose lanes [lo, hi) are runs of this call (the rest is padding or
  //! belongs to another part of the study).
  void begin_block(int lo, int hi);
  void observe(int strategy, int quarter, const double* levels) override;
  void group(int strategy, const double* switched) override;
  void history(int quarter, const double* levels, const double* event_counts) override;
  //! `inputs`: the block's uncertain inputs, needed with evidence (their prior and posterior).
  void add_block(const std::vector<BlockOutcomes>& out, const BlockDeciles& deciles,
                 const BlockParams* inputs = nullptr);
  //! With evidence: lane j's multiplicity in the last block (round(w * 2^24)).
  std::uint32_t multiplicity(int lane) const { return m_[lane]; }
  //! Adds everything into `acc` and clears this tally.
  void flush_into(Accumulators& acc);

 private:
  void fold();  // short counters into this tally's own 128-bit accumulators
  using Outcomes = std::vector<BlockOutcomes>;
  // add_block runs these phases in turn over the block's lanes [lane_lo, lane_hi). kWhole marks a
  // block whose lanes are all runs of this call: constant bounds, so fixed trip counts.
  template <bool kWhole>
  void add_block_lanes(const Outcomes& out, const BlockDeciles& deciles);
  template <bool kWhole>
  int lane_lo() const {
    return kWhole ? 0 : lo_;
  }
  template <bool kWhole>
  int lane_hi() const {
    return kWhole ? kBlock : hi_;
  }
  struct MomentCells;  // where one strategy x outcome adds its sums, minimum and maximum
  template <bool kWhole>
  void add_outcomes(const Outcomes& out);
  // Called per strategy x outcome: inlined, so that the split costs no calls.
  template <bool kWhole>
  [[gnu::always_inline]] inline void add_binary_outcome(const double* x, std::size_t i,
                                                        std::uint32_t* hist, const MomentCells& c);
  template <bool kWhole>
  [[gnu::always_inline]] inline void add_continuous_outcome(const double* x, std::size_t i,
                                                            const MomentCells& c);
  template <bool kWhole>
  [[gnu::always_inline]] inline void add_histogram(const double* x, int outcome,
                                                   std::uint32_t* hist);
  template <bool kWhole>
  void add_pairs(const Outcomes& out);
  template <bool kWhole>
  void add_best_and_regret(const Outcomes& out);
  template <bool kWhole>
  void add_satisficing(const Outcomes& out);
  template <bool kWhole>
  void add_replicates(const Outcomes& out);
  void decile_rows(const Outcomes& out);  // the block's values as 32-bit rows, one per lane
  template <bool kWhole>
  void add_decile_rows(const BlockDeciles& deciles);
  void end_block(int runs);  // counts the runs; widens, bins and folds when due
  // Path statistics of a set of rows (the fan-chart strategies, or the switched runs of the
  // grouped ones): path_index -> sums, sampled bins and their counts.
  struct PathCounts {
    AlignedVector<std::uint64_t> sum;  // [path_index][lane % 8], modulo 2^64
    std::vector<std::uint16_t> bins;   // sampled path bins: [path_index][slot][lane]
    std::vector<std::uint32_t> hist;   // [path_index][bin], a spare last bin for lanes not counted
    // Weighted tallies: the wraps of sum (each 2^64), laid out as sum; 64-bit counts, as hist.
    AlignedVector<std::uint64_t> sum_carry;
    std::vector<std::uint64_t> weighted_hist;
  };
  void size_paths(PathCounts& p, int rows, bool weighted);
  // Adds the levels x of one path_index to the fan charts; kGrouped: also those of the lanes
  // whose mask word is all ones to the switched runs' (switched_ at gidx), in the same pass.
  template <bool kGrouped>
  void note_levels(std::size_t idx, const double* x, std::size_t gidx, const std::uint64_t* mask);
  // The sampled lanes' path bins of one path_index, noted for count_path_bins (both halves).
  template <bool kGrouped>
  void note_bins(std::size_t idx, const double* x, std::size_t gidx, const std::uint64_t* mask);
  void count_path_bins();  // the blocks' path bins (noted by observe) into the histograms
  void fold_paths(PathCounts& p, Seg sum, Seg hist);
  int path_bin_stride() const { return kBlock / path_sample_ < 8 ? 8 : kBlock / path_sample_; }
  std::uint64_t since_fold_ = 0;
  const Config& cfg_;
  Accumulators acc_;  // 128-bit sums, min/max and 64-bit counts
  std::vector<std::uint32_t> hist_, regret_hist_;
  static constexpr int kPathBinBlocks = 8;  // blocks whose path bins are counted together
  int path_slot_ = 0;                       // this block's slot in PathCounts::bins
  PathCounts paths_, switched_;
  AlignedVector<std::uint64_t> switched_mask_;  // [grouped row][lane]: all ones if switched
  std::vector<std::uint64_t> switched_runs_;    // [grouped row]
  std::vector<std::int64_t> fx_;  // fixed-point outcomes of the block: [strategy][outcome][lane]
  std::vector<int> ones_;  // the block's count of ones of each 0/1 outcome: [strategy][outcome]
  // Decile sums. Each value enters as a 32-bit integer with 20 bits for its outcome's range
  // (decile_scale_), so a run's row of strategy x outcome values (padded to decile_row_, whole
  // vectors) is added in 32-bit lanes: half the work of 64-bit ones. Rows add into
  // decile_block_ [parameter][decile][row], which is widened into decile_sum_ every
  // kDecileWidenBlocks blocks, before a 32-bit sum could overflow.
  static constexpr int kDecileWidenBlocks = 16;
  void widen_deciles();
  int decile_row_ = 0, blocks_since_widen_ = 0;
  std::vector<double> decile_scale_;  // per strategy x outcome: 2^(20 - e), |outcome| <= 2^e
  std::vector<int> decile_shift_;     // to the file's 2^24 scale: 4 + e
  AlignedVector<std::int32_t> decile_values_;  // the block's values: [strategy x outcome][lane]
  AlignedVector<std::int32_t> rows_;           // the same transposed: [lane][strategy x outcome]
  AlignedVector<std::int32_t> decile_block_;   // [parameter][decile][row]
  AlignedVector<std::int64_t> decile_sum_;     // [parameter][decile][row]
  std::vector<std::uint32_t> decile_count_;
  std::vector<double> hist_lo_, hist_inv_width_;
  std::vector<int> hist_bins_;
  int path_sample_ = 1;
  int lo_ = 0, hi_ = 0;

  // ---- runs weighted by evidence (stats_weighted.cpp) ----
  // Each run of the block enters with its multiplicity m_[lane] (0 outside [lo, hi)): counts
  // add m, sums add m x value, straight into the 64-bit counts and 128-bit sums of acc_ (the
  // short counters above would overflow).
  void ensure_weights();  // the block's multiplicities, once the history is complete
  void group_weighted(int g, const double* switched);
  void note_levels_weighted(std::size_t idx, const double* x, std::size_t gidx,
                            const std::uint64_t* mask);
  void add_block_weighted(const Outcomes& out, const BlockDeciles& deciles,
                          const BlockParams& inputs);
  void add_outcomes_weighted(const Outcomes& out);
  void add_binary_weighted(const double* x, int s, int o);
  void add_continuous_weighted(const double* x, int s, int o);
  int outcome_bin(int o, double x) const;
  void add_pairs_weighted(const Outcomes& out);
  void add_regret_weighted(const Outcomes& out);
  void add_satisficing_weighted(const Outcomes& out);
  void add_deciles_weighted(const Outcomes& out, const BlockDeciles& deciles);
  void add_inputs_weighted(const BlockParams& inputs, const BlockDeciles& deciles);
  void widen_deciles_weighted();
  void count_path_bins_weighted();
  std::vector<std::uint32_t> path_m_;     // [slot][lane]: the multiplicities of the noted path bins
  std::vector<std::uint64_t> ones_mass_;  // the block's mass of ones of each 0/1 outcome
  AlignedVector<std::int64_t> decile_weighted_;  // [parameter][decile][row]: sum of m x value
  AlignedVector<std::int64_t> weighted_row_;     // one run's row times its multiplicity
  // The weighted decile sums are widened every this many blocks: 2^18 runs of at most
  // 2^24 x 2^20 keep each 64-bit sum below 2^62.
  static constexpr int kWeightedWidenBlocks = 1 << 12;
  int weighted_blocks_ = 0;
  std::unique_ptr<EvidenceLikelihood> evidence_;  // null without evidence
  bool weights_ready_ = false;
  alignas(64) std::uint32_t m_[kBlock] = {};
  // The same widened to 64 bits, and per lane l of the path sums (note_levels_weighted) the bits
  // of 2^20 times the sum of m over runs j = l (mod 8), modulo 2^64.
  alignas(64) std::uint64_t m64_[kBlock] = {};
  alignas(64) std::uint64_t path_bias_[8] = {};
  AlignedVector<std::uint64_t> switched_bias_;    // [grouped row][lane % 8]: as path_bias_, masked
  std::vector<std::vector<double>> input_edges_;  // per input: its prior's percentiles 1..99
};

// ---- summaries derived from accumulators ------------------------------------------------------

inline constexpr std::array<double, 5> kQuantiles = {0.05, 0.25, 0.50, 0.75, 0.95};

struct Moments {
  std::uint64_t n = 0;
  double mean = 0, sd = 0, se = 0, min = 0, max = 0;
};
Moments moments(std::uint64_t n, i128 sum, i128 sumsq, double scale);
//! The same over weighted runs: the mean and standard deviation from the weighted sums, the
//! standard error over the effective sample size. Equals moments(n, ...) without weights.
Moments moments(const Mass& m, i128 sum, i128 sumsq, double scale);
//! Quantile q of a histogram of `bins` bins over [lo, hi]: linear inside a bin for continuous
//! data (error below one bin width), the exact value for integer-valued data.
double histogram_quantile(const std::uint64_t* counts, int bins, double lo, double hi, bool integer,
                          double q, double observed_min, double observed_max);
//! Quantile q of a nonnegative quantity with an atom at 0 (regret): `zeros` of the runs in bin 0
//! are exactly 0; the rest are spread over the bins of [0, hi] as histogram_quantile assumes,
//! and nothing exceeds `observed_max`.
double regret_quantile(const std::uint64_t* counts, int bins, double hi, std::uint64_t zeros,
                       double observed_max, double q);
struct Interval {
  double lo, hi;
};
Interval wilson(std::uint64_t successes, std::uint64_t n, double z = 1.959963984540054);
//! The Wilson interval of a (weighted) share: `successes` in the units of m.n, over the
//! effective sample size. Equals wilson(successes, m.n) without weights.
Interval wilson(std::uint64_t successes, const Mass& m, double z = 1.959963984540054);

}  // namespace wedge::stats
