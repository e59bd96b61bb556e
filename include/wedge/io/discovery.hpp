#pragma once
// Scenario discovery's files (docs/output-format.md, section 20): the per-run records of a
// result file read by every rank in parallel (MPI-IO, each rank its own rows), and the
// discovery file written by rank 0 under a temporary name and renamed.
#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "wedge/analyses/prim.hpp"
#include "wedge/io/hdf5_util.hpp"

namespace wedge::io {

inline constexpr const char* kDiscoveryFileType = "wedge-discovery";
inline constexpr std::int64_t kDiscoveryFormatVersion = 1;

//! The `/records` group of a result file, opened on every rank of `comm` (collective).
class RecordReader {
 public:
  //! Throws an InputError naming the file when it has no records group.
  RecordReader(const std::string& path, MPI_Comm comm);
  std::uint64_t runs() const { return runs_; }
  std::uint64_t first_run() const { return first_run_; }
  //! The coordinates of the records: which inputs, strategies and outcomes they hold.
  const std::vector<std::string>& parameters() const { return parameters_; }
  const std::vector<std::string>& strategies() const { return strategies_; }
  const std::vector<std::string>& outcomes() const { return outcomes_; }
  //! Reads rows [row, row + count) (independent I/O): `params` gets count x parameters, and
  //! `values` count x columns.size() x strategies, outcome columns as listed (indices into
  //! outcomes()); every value converted to double.
  void read(std::uint64_t row, std::uint64_t count, std::vector<double>& params,
            const std::vector<int>& columns, std::vector<double>& values);

 private:
  std::string path_;
  h5::Id file_, params_ds_, outcomes_ds_;
  std::uint64_t runs_ = 0, first_run_ = 0;
  std::vector<std::string> parameters_, strategies_, outcomes_;
  std::vector<double> buffer_;
};

//! Everything the discovery file holds.
struct DiscoveryFile {
  std::string source;  //!< the result file
  std::string condition, condition_words, choice;
  std::string config_text;  //!< the study's configuration (from the result file)
  std::uint64_t seed = 0;
  std::vector<std::string> inputs, long_names, units;
  std::vector<bool> peelable;
  std::vector<std::vector<double>> edges;  //!< per input: kBins + 1 bin edges in its units
  prim::Controls controls;
  prim::Result result;
  std::string created;
  int ranks = 1, threads = 1;
  double wall_seconds = 0.0;
};

//! Writes `path` (as path.partial, sealed, then renamed). Call on one rank.
void write_discovery(const std::string& path, const DiscoveryFile& d);

}  // namespace wedge::io
