// A study's cases spread over MPI ranks with dynamic scheduling (cases differ in cost): rank 0
// hands out one case at a time to whichever rank asks, runs cases itself on a second thread, and
// writes every record and output; the other ranks only run cases. Only rank 0's main thread calls
// MPI (MPI_THREAD_FUNNELED). The output folder must be one all ranks see (images and histories are
// written by the rank that ran the case).
#pragma once

#include "pipelines/study_run.h"

namespace tweedie::app {

class MpiScheduler final : public CaseScheduler {
 public:
  /// Starts MPI if it is not running (apps/mpi_session.h).
  MpiScheduler();
  void run(const std::vector<std::size_t>& pending, const Work& work, const Finished& finished) override;
  bool writes_outputs() const override { return rank_ == 0; }
  int processes() const override { return size_; }

 private:
  void serve(const std::vector<std::size_t>& pending, const Work& work, const Finished& finished);
  void ask_for_cases(const Work& work);

  int rank_ = 0, size_ = 1;
};

}  // namespace tweedie::app
