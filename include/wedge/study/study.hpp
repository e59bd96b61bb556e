#pragma once
// The study lifecycle: resolve a plan (fresh, extension, restart from a checkpoint, array-job run
// range), run its batches with checkpoints and stopping rules, write the result file and its
// provenance. Collective over `comm`; the console (rank 0) reports as it goes.
#include <mpi.h>

#include "wedge/study/plan.hpp"

namespace wedge {

//! Carries out `plan`. Bad input (plan, configuration, result or checkpoint files) throws an
//! InputError on every rank alike, before anything is written.
StudyOutcome run_study_plan(const StudyPlan& plan, MPI_Comm comm);

}  // namespace wedge
