#pragma once
// The result file (docs/output-format.md). All ranks create it and write the per-run records
// collectively through parallel HDF5 (MPI-IO); rank 0 then adds the statistics and the
// provenance. It is written under a temporary name and renamed when complete.
#include <mpi.h>

#include <cstdint>
#include <string>

#include "wedge/core/block.hpp"
#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"
#include "wedge/io/hdf5_util.hpp"

namespace wedge::io {

inline constexpr const char* kFileType = "wedge-results";
inline constexpr std::int64_t kFormatVersion = 5;

struct Provenance {
  std::string created;  //!< ISO 8601 UTC
  int ranks = 1, threads = 1;
  std::uint64_t runs = 0;  //!< number of runs in the statistics
  double wall_seconds = 0.0;
  //! With evidence: the log-likelihood the weights are relative to (evidence_log_offset), for
  //! /evidence; computed once by the invocation that writes the file.
  double evidence_offset = 0.0;
  //! The runs in the statistics as (seed, first, end) triples: one for a plain study, several
  //! after `wedge merge`. Empty means (seed, 0, runs).
  std::vector<std::uint64_t> run_ranges;
  //! One line per invocation that contributed to the file (run, restart, extend, merge), oldest
  //! first: the netCDF/CF `history` attribute. created/ranks/threads/wall_seconds describe only
  //! the last invocation; this keeps the others.
  std::string history;
  //! --target-se of the last invocation, normalised ("split=0.003 us_payoff=0.01"), and
  //! whether it was met (1) or the run cap came first (0); empty / -1 without targets.
  std::string target_se;
  int target_se_reached = -1;
};

//! A history line: "<created> wedge <version> (git <sha>) <what>".
std::string history_line(const std::string& created, const std::string& what);

//! The file being written: opened collectively on every rank.
class ResultWriter final : public RecordSink {
 public:
  //! Creates `path` + ".partial" on every rank of `comm`; with `records`, the per-run datasets
  //! for runs [first_run, end_run) are created too. With `resume`, reopens the .partial file a
  //! checkpointed run left (its records so far are kept).
  ResultWriter(const std::string& path, const Config& cfg, MPI_Comm comm, bool records,
               std::uint64_t first_run, std::uint64_t end_run, bool resume = false);
  //! Collective: closes the file but keeps the .partial for a restart (checkpointed stop).
  void suspend();
  //! Collective: makes the records written so far durable (H5Fflush), before a checkpoint that
  //! points to them is written. After that, a failure leaves the .partial for --restart.
  void flush();
  ~ResultWriter() override;
  void write(std::uint64_t first_run, std::uint64_t count, const std::vector<double>& params,
             const std::vector<double>& outcomes, const std::vector<double>& weights) override;
  //! Collective: closes the parallel file; rank 0 adds statistics and provenance and renames the
  //! file to its final name. `runs_written` trims the records when a stopping rule ended early.
  void finish(const stats::Accumulators& acc, const Provenance& prov, std::uint64_t runs_written);
  const std::string& temp_path() const { return temp_; }

 private:
  std::string path_, temp_;
  const Config& cfg_;
  MPI_Comm comm_;
  bool records_;
  std::uint64_t first_run_, end_run_;
  std::uint64_t rows_;  //!< record rows per run: 1, or a Saltelli design's k + 2 (SALib order)
  h5::Id file_, params_, outcomes_, runs_, weight_;  //!< weight_: with evidence only
  bool done_ = false;
  bool checkpointed_ = false;  //!< a checkpoint points to the records on disk
};

//! Writes the statistics, coordinates and attributes into an open (serial) file.
void write_statistics(hid_t file, const Config& cfg, const stats::Accumulators& acc,
                      const Provenance& prov);

//! A result file read back: its configuration and raw accumulators.
struct LoadedResults {
  Config config;
  stats::Accumulators acc;
  Provenance prov;
  bool has_records = false;
  Records records = Records::kNone;  //!< the mode that wrote /records (its `records_mode`)
  std::string config_path;           //!< the attribute: the TOML file the study was first run from
};
//! Reads and checks a result file; a file wedge did not write, of another format version, or
//! damaged is an InputError naming the file.
LoadedResults read_results(const std::string& path);

//! Writes a complete result file without records from one process: `path`.partial, renamed.
void write_results_serial(const std::string& path, const Config& cfg,
                          const stats::Accumulators& acc, const Provenance& prov);

std::string utc_now();

}  // namespace wedge::io
