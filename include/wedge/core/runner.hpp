#pragma once
// The batch loop: runs are processed in batches fixed in run-index space; inside a batch the
// blocks are split over MPI ranks (contiguous ranges) and OpenMP threads (dynamic schedule).
// Statistics merge exactly, so the result never depends on that split.
#include <mpi.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wedge/core/block.hpp"
#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"

namespace wedge {

//! What a --target-se item bounds: an outcome's standard error for every strategy; written
//! "diff:OUTCOME", that of every paired difference of the comparisons (each strategy against the
//! baseline, or every pair); or, for a Saltelli design, the largest 95% half width of an
//! outcome's first- or total-order indices over every strategy and input
//! (`first_order:OUTCOME=VALUE`, `total_order:OUTCOME=VALUE`). kSettled is no standard error:
//! `settled:max:OUTCOME=CONFIDENCE` (or min:) stops when the best strategy on that criterion is
//! ahead of every other with that confidence (core/ranking.hpp).
enum class TargetKind { kStandardError, kPairedDifference, kFirstOrder, kTotalOrder, kSettled };

//! "Stop when this precision is reached" (TargetKind says which).
struct TargetSe {
  std::string name;    //!< the outcome's name, as given (with its prefix, if any)
  int outcome = -1;    //!< its index once resolved against the configuration (resolve_targets)
  double value = 0.0;  //!< the standard error or half width; for kSettled the confidence
  TargetKind kind = TargetKind::kStandardError;  //!< set by resolve_targets from the prefix
  bool maximize = true;                          //!< kSettled: the criterion's direction
};

//! Looks up each target's outcome in the configuration; an unknown or repeated name, an index
//! target without a Saltelli design, or a settled target with one strategy or a confidence
//! outside (0.5, 1), is an InputError naming --target-se.
void resolve_targets(const Config& cfg, std::vector<TargetSe>& targets);

//! kBySignal / kByWalltime only say why a kStop was asked for (reported back in RunReport).
enum ControlFlag : int {
  kContinue = 0,
  kStop = 1,
  kCheckpoint = 2,
  kBySignal = 4,
  kByWalltime = 8
};

struct RunOptions {
  //! With evidence: the study's evidence_log_offset, when the caller has it (computed otherwise).
  std::optional<double> evidence_offset;
  std::uint64_t first_run = 0;  //!< runs [first_run, end_run) are simulated
  std::uint64_t end_run = 0;
  int threads = 0;  //!< 0: OpenMP's default (OMP_NUM_THREADS)
  std::vector<TargetSe> target_se;
  RecordSink* records = nullptr;
  //! Called on rank 0 after each batch with (runs done, runs wanted) by this call.
  std::function<void(std::uint64_t, std::uint64_t)> on_batch;
  //! Called on every rank after each batch; the flags of all ranks are OR-ed, so every rank
  //! acts alike: kStop ends the study after this batch, kCheckpoint (or kStop) calls
  //! `checkpoint` collectively with the statistics so far, complete on rank 0.
  std::function<int()> control;
  std::function<void(const stats::Accumulators& total, std::uint64_t next_run)> checkpoint;
};

struct RunReport {
  std::uint64_t next_run = 0;  //!< first run not simulated
  bool target_reached = false;
  bool stopped_early = false;  //!< control asked to stop before the end
  int stop_flags = 0;          //!< the OR of every rank's flags when it stopped
  int ranks = 1, threads = 1;
  double compute_seconds = 0.0;  //!< this rank's time in the model and statistics
  double reduce_seconds = 0.0, record_seconds = 0.0;
  std::vector<double> rank_compute_seconds;  //!< rank 0 only: every rank's compute time
};

//! Simulates the runs of `opt` and adds their statistics to `acc`. On return rank 0's `acc`
//! holds the total over all ranks (including what rank 0's `acc` held before); other ranks'
//! accumulators are reset.
RunReport run_study(const Config& cfg, const RunOptions& opt, stats::Accumulators& acc,
                    MPI_Comm comm);

//! True when every named standard error is below its target for every strategy (and every
//! settled ranking is settled).
bool precision_reached(const Config& cfg, const stats::Accumulators& acc,
                       const std::vector<TargetSe>& targets);
//! The standard error --target-se compares with its target. For a 0/1 outcome it is the half
//! width of the 95% Wilson interval over 1.96, which is not 0 before the first event is seen
//! (the plug-in sqrt(p(1-p)/n) is, and would stop a study of a rare event at once).
double target_standard_error(const Config& cfg, const stats::Accumulators& acc, int strategy,
                             int outcome);
//! "OUTCOME=VALUE ..." in outcome order, each value in the shortest form that reads back
//! exactly, so that the same targets in another order or spelling describe alike.
std::string describe_targets(const std::vector<TargetSe>& targets);
//! A settled target's criterion as an objective ("max:us_payoff").
Objective target_criterion(const Config& cfg, const TargetSe& t);
//! Where each settled target's ranking stands (describe_ranking), one line per target.
std::vector<std::string> settled_rankings(const Config& cfg, const stats::Accumulators& acc,
                                          const std::vector<TargetSe>& targets);

}  // namespace wedge
