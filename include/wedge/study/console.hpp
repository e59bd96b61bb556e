#pragma once
// What a study says on the console (stderr, rank 0 only): the start banner, progress (a redrawn
// bar on a terminal; in a batch log one flushed line per interval with the rate, the ETA, and a
// warning when the ETA passes the time limit), checkpoints and stops, and the closing table of
// phase times and load balance.
#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "wedge/core/config.hpp"
#include "wedge/core/run_range.hpp"
#include "wedge/core/runner.hpp"

namespace wedge {

class Progress {
 public:
  //! `interval_s`: seconds between log lines (a terminal is redrawn more often);
  //! `deadline_s`: seconds left before the job's time limit, or < 0 when unknown.
  Progress(std::FILE* out, bool terminal, double interval_s, double deadline_s);
  void update(std::uint64_t done, std::uint64_t total);
  void finish(std::uint64_t done, std::uint64_t total);

 private:
  void print(std::uint64_t done, std::uint64_t total, bool final);
  std::FILE* out_;
  bool terminal_;
  double interval_, deadline_;
  std::chrono::steady_clock::time_point start_, last_;
  bool warned_ = false;
};

//! Formats seconds as H:MM:SS.
const char* format_duration(double seconds, char (&buf)[32]);

//! Seconds left before the Slurm job's time limit (SLURM_JOB_END_TIME), or < 0 when unknown.
double time_limit_seconds();

//! The console of one study invocation. Every method is a no-op off rank 0; with `quiet` only
//! errors and the warnings a script must see are printed.
class Console {
 public:
  Console(MPI_Comm comm, bool quiet, double progress_interval, double deadline_s);

  //! Version, ranks x threads, seed, design, HDF5, the runs of this invocation, the output, and
  //! the Slurm job's settings when there is one.
  void banner(const Config& cfg, const std::string& source, bool extension, const RunRange& runs,
              const std::string& output, int ranks, int threads) const;
  //! Collective: warns when the threads exceed the CPUs a rank may use (its affinity mask).
  void warn_oversubscription(int threads) const;
  //! With evidence: the effective sample size, and a warning when it is below `share` of the runs.
  void effective_sample(double ess, std::uint64_t runs, double share) const;
  void progress(std::uint64_t done, std::uint64_t total);
  void progress_done(std::uint64_t done, std::uint64_t total);
  void checkpoint_written(const std::string& path, std::uint64_t next_run) const;
  void stopped(const RunReport& rep, std::uint64_t end, const std::string& checkpoint_path) const;
  void nothing_to_do(const std::string& output) const;
  //! Phase times, load balance and throughput of the runs simulated by this invocation.
  void timings(const RunReport& rep, std::uint64_t runs, int strategies, double write_s,
               double wall_s) const;
  void wrote(const std::string& output) const;
  //! Said even when quiet if the target was missed: a script must learn it.
  void target_result(bool has_targets, bool reached, const std::string& targets,
                     std::uint64_t runs) const;
  //! Where each settled ranking (--target-se settled:...) stands after the run.
  void rankings(const Config& cfg, const stats::Accumulators& acc,
                const std::vector<TargetSe>& targets) const;
  bool active() const { return root_ && !quiet_; }

 private:
  MPI_Comm comm_;
  bool root_, quiet_;
  Progress progress_;
};

}  // namespace wedge
