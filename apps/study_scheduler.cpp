#include "apps/study_scheduler.h"

#ifdef TWEEDIE_WITH_MPI
#include "apps/mpi_scheduler.h"
#endif

namespace tweedie::app {

std::unique_ptr<CaseScheduler> make_case_scheduler() {
#ifdef TWEEDIE_WITH_MPI
  if (launched_by_mpi()) return std::make_unique<MpiScheduler>();
#endif
  return std::make_unique<ThreadScheduler>();
}

}  // namespace tweedie::app
