#pragma once
// Turning a plan into what this invocation simulates: the configuration, the statistics it
// continues (an extended file's, a checkpoint's, or none) and the run ranges.
#include <mpi.h>

#include <memory>
#include <optional>
#include <string>

#include "wedge/core/run_range.hpp"
#include "wedge/core/stats.hpp"
#include "wedge/io/output_lock.hpp"
#include "wedge/study/plan.hpp"

namespace wedge::study {

struct Resolved {
  Config cfg;
  std::optional<stats::Accumulators> acc;  //!< what came before (rank 0), or empty statistics
  std::string output;
  std::vector<TargetSe> targets;  //!< the plan's targets, resolved against the configuration
  std::string targets_text;       //!< the same, normalised
  std::uint64_t file_first = 0;   //!< first run of the file's (single) run range
  RunRange runs;                  //!< this segment; `next` is where this invocation starts
  bool resume_records = false;    //!< reopen the .partial file a checkpointed run left
  Records checkpoint_records = Records::kNone;  //!< the records mode of the checkpointed run
  bool complete = false;                        //!< --restart found nothing to do
  std::string history;                   //!< of the extended study or the checkpoint (rank 0)
  std::unique_ptr<io::OutputLock> lock;  //!< taken by --restart before it looks at the output
};

//! Collective: every rank returns the same plan resolution (or throws the same InputError).
Resolved resolve(const StudyPlan& plan, MPI_Comm comm);

}  // namespace wedge::study
