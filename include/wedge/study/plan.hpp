#pragma once
// What one invocation of a study does: the plan the command line (or any other front end) fills
// in and the study module carries out (study.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wedge/core/config.hpp"
#include "wedge/core/runner.hpp"

namespace wedge {

//! How a study begins: from a configuration, or by adding runs to an existing result file.
enum class StudyStart { kFresh, kExtend };

//! When to checkpoint and when to stop before the end (cluster jobs).
struct StopPolicy {
  double walltime_s = -1.0;              //!< time budget of this invocation; < 0: none
  double checkpoint_interval_s = 600.0;  //!< seconds between checkpoints
  std::uint64_t checkpoint_every = 0;    //!< also every N batches (0: only by time)
};

//! What the console shows (rank 0, stderr).
struct ConsoleOptions {
  bool quiet = false;               //!< nothing but errors and the missed-target warning
  double progress_interval = 10.0;  //!< seconds between progress lines in a log
};

struct StudyPlan {
  StudyStart start = StudyStart::kFresh;
  std::string source;  //!< the configuration (fresh) or the result file extended
  std::string output;  //!< the result file; empty: results/<study name>.h5 (or the extended file)
  std::optional<std::uint64_t> runs;  //!< runs to simulate (extension: runs to add)
  std::optional<std::uint64_t> seed;  //!< overrides the configuration's seed (fresh only)
  std::optional<Records> records;     //!< overrides [output] records
  std::uint64_t first_run = 0;        //!< array jobs over run ranges: runs first_run .. + runs
  std::vector<TargetSe> targets;      //!< stop when every standard error is below its target
  bool restart = false;  //!< continue from the output's checkpoint, or do nothing if complete
  int threads = 0;       //!< OpenMP threads per rank; 0: OpenMP's default
  StopPolicy stop;
  ConsoleOptions console;
};

//! How an invocation ended.
enum class StudyOutcome {
  kCompleted,        //!< the result file was written
  kAlreadyComplete,  //!< --restart found the study complete: nothing to do
  kCheckpointed,     //!< stopped early (signal or time budget) after writing a checkpoint
};

}  // namespace wedge
