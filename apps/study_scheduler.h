// Where `tweedie study run` runs its cases: over MPI ranks when started by mpirun in a build with
// MPI, else on this process's threads.
#pragma once

#include "pipelines/study_run.h"

#include <memory>

namespace tweedie::app {

std::unique_ptr<CaseScheduler> make_case_scheduler();

}  // namespace tweedie::app
