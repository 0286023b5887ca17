// How the program's work is spread: over MPI ranks when it was started by mpirun (or srun) in a
// build with MPI, else within this one process.
#pragma once

#include "pipelines/slice_distribution.h"
#include "pipelines/study_run.h"

#include <memory>

namespace tweedie::app {

/// The scheduler of a study's cases: MpiScheduler (one case at a time per rank) or a
/// ThreadScheduler running `jobs` cases at a time (0: as many as threads).
std::unique_ptr<CaseScheduler> make_case_scheduler(int jobs);

/// The slices of a volume over MPI ranks; null when there is one process.
std::unique_ptr<SliceDistribution> make_slice_distribution();

/// Whether this process writes outputs (and prints results): rank 0, or the only process.
bool writes_outputs();

}  // namespace tweedie::app
