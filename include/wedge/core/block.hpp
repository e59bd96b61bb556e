#pragma once
// Blocks of runs. Models step kBlock runs side by side (structure of arrays) so the compiler
// vectorises their updates; block boundaries are fixed in run-index space, so a run always takes
// the same code path whatever the split over ranks, threads and batches.
#include <array>
#include <cstdint>
#include <new>
#include <vector>

namespace wedge {

inline constexpr int kBlock = 64;  //!< runs stepped together; batch sizes are multiples of it

//! A std::allocator that aligns to 64 bytes (one cache line, one AVX-512 vector).
template <typename T>
struct CacheAligned {
  using value_type = T;
  CacheAligned() = default;
  template <typename U>
  CacheAligned(const CacheAligned<U>&) {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{64}));
  }
  void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{64}); }
  bool operator==(const CacheAligned&) const { return true; }
};
template <typename T>
using AlignedVector = std::vector<T, CacheAligned<T>>;

//! Rows of kBlock lanes, one row per quantity (an input, an outcome): row r, lane j is
//! `rows[r][j]`. Each row is 64-byte aligned.
class BlockRows {
 public:
  BlockRows() = default;
  explicit BlockRows(int rows) { resize(rows); }
  void resize(int rows) {
    rows_ = rows;
    data_.assign(static_cast<std::size_t>(rows) * kBlock, 0.0);
  }
  int rows() const { return rows_; }
  double* operator[](int r) { return data_.data() + static_cast<std::size_t>(r) * kBlock; }
  const double* operator[](int r) const {
    return data_.data() + static_cast<std::size_t>(r) * kBlock;
  }

 private:
  int rows_ = 0;
  AlignedVector<double> data_;
};

//! The uncertain inputs of the runs of one block: one row per input (the model's parameters,
//! then its uncertain coefficients).
using BlockParams = BlockRows;
//! The outcomes of the runs of one block under one strategy: one row per outcome.
using BlockOutcomes = BlockRows;

//! The decile of each input for each run of a block: [input][lane].
using BlockDeciles = std::vector<std::array<std::uint8_t, kBlock>>;

//! Receives the level of every path state at the end of every quarter (for fan charts).
class PathSink {
 public:
  virtual ~PathSink() = default;
  //! `levels`: [state][lane], kBlock lanes per state.
  virtual void observe(int strategy, int quarter, const double* levels) = 0;
  //! For a strategy with a fallback: `switched[lane]` is 1 for the runs of this block that switch
  //! to the fallback during the run, 0 for those that keep the strategy. Called once per block,
  //! before the strategy's first observe(); a model that never calls it has no switched runs.
  virtual void group(int /*strategy*/, const double* /*switched*/) {}
  //! The shared history of a study with [history]: called once per history quarter
  //! (t < decision_quarter), in order, before any group() or observe() of the block (a model
  //! reports the history quarters' levels to observe() only after the last one), with the path
  //! states' levels [state][lane] and each event's count from the start to the end of quarter t
  //! [event][lane] (the events of Config::events). The evidence's likelihood is computed from it.
  virtual void history(int /*quarter*/, const double* /*levels*/, const double* /*event_counts*/) {}
};

//! Receives the per-run records of a batch. Every rank calls write() once per batch (it is
//! collective), possibly with count 0. params: count x inputs; outcomes: count x S x R, the R
//! columns being recorded_outcomes(cfg); weights: count runs' weights with evidence (each the
//! multiplicity / 2^24 its statistics used), else empty.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void write(std::uint64_t first_run, std::uint64_t count,
                     const std::vector<double>& params, const std::vector<double>& outcomes,
                     const std::vector<double>& weights) = 0;
};

}  // namespace wedge
