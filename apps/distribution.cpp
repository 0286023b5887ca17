#include "apps/distribution.h"

#ifdef TWEEDIE_WITH_MPI
#include "apps/mpi_scheduler.h"
#include "apps/mpi_session.h"
#include "apps/mpi_slice_distribution.h"
#endif

namespace tweedie::app {

#ifdef TWEEDIE_WITH_MPI

std::unique_ptr<CaseScheduler> make_case_scheduler(int jobs) {
  if (launched_by_mpi()) return std::make_unique<MpiScheduler>();
  return std::make_unique<ThreadScheduler>(jobs);
}

std::unique_ptr<SliceDistribution> make_slice_distribution() {
  if (!launched_by_mpi()) return nullptr;
  start_mpi();
  if (mpi_size() == 1) return nullptr;
  return std::make_unique<MpiSliceDistribution>();
}

bool writes_outputs() { return mpi_rank() == 0; }

#else

std::unique_ptr<CaseScheduler> make_case_scheduler(int jobs) { return std::make_unique<ThreadScheduler>(jobs); }
std::unique_ptr<SliceDistribution> make_slice_distribution() { return nullptr; }
bool writes_outputs() { return true; }

#endif

}  // namespace tweedie::app
