// The slices of a CT volume over MPI ranks for `mpirun tweedie recon`: rank r reconstructs slices
// r, r + N, r + 2N, … with its own threads, and sends them to rank 0, which writes the volume.
#pragma once

#include "pipelines/slice_distribution.h"

namespace tweedie::app {

class MpiSliceDistribution final : public SliceDistribution {
 public:
  /// MPI must be started (apps/mpi_session.h).
  MpiSliceDistribution();
  bool owns(std::int64_t z, std::int64_t slices) const override;
  std::vector<std::string> gather(const std::map<std::int64_t, std::string>& mine, std::int64_t slices,
                                  const std::optional<std::string>& failure) override;
  bool writes_outputs() const override { return rank_ == 0; }

 private:
  int rank_ = 0, size_ = 1;
};

}  // namespace tweedie::app
