#pragma once
// Checkpoint and restart. A checkpoint is a result file without records (statistics so far,
// configuration, provenance) plus the run range it belongs to, written next to the output as
// OUT.checkpoint: to a temporary name, then renamed, the previous one kept as .prev.
// SIGUSR1 and SIGTERM ask for a checkpoint and a clean stop after the batch in flight.
#include <csignal>
#include <cstdint>
#include <string>

#include "wedge/core/config.hpp"
#include "wedge/core/stats.hpp"
#include "wedge/io/results.hpp"

namespace wedge::checkpoint {

//! SIGUSR1 / SIGTERM set a flag (async-signal-safe) instead of killing the process.
void install_signal_handlers();
//! The signal received, or 0.
int signal_received();

struct Range {
  std::uint64_t first = 0;  //!< first run of the study's range
  std::uint64_t next = 0;   //!< first run not yet simulated
  std::uint64_t end = 0;    //!< end of the range
  //! The run's records mode; with records the .partial output holds them up to `next`.
  Records records = Records::kNone;
};

std::string path_for(const std::string& out);

//! Rank 0 only. Writes OUT.checkpoint atomically and keeps the previous one as .prev.
void write(const std::string& out, const Config& cfg, const stats::Accumulators& total,
           const io::Provenance& prov, const Range& range, const std::string& target_se);

struct Loaded {
  io::LoadedResults results;
  Range range;
  std::string target_se;  //!< the run's --target-se, normalised ("" for none)
};
//! Reads OUT.checkpoint; a damaged one falls back to OUT.checkpoint.prev (said on stderr).
Loaded read(const std::string& out);
bool exists(const std::string& out);
//! A restart's -n must describe the checkpointed run: with -n given, the checkpoint's end must
//! be `end` (an InputError otherwise, so that an edited checkpoint cannot override -n).
void check_run_count(const Loaded& ck, bool has_runs, std::uint64_t end);
//! Removes OUT.checkpoint and .prev once OUT is complete.
void remove(const std::string& out);

}  // namespace wedge::checkpoint
