// The work done on a volume, in slices' worth, from reconstruct_ct's iteration progress
// (CtReconstructionOptions::iteration_progress): each slice counts the share of its iterations
// done. Slices solved side by side take turns and finish together at their group's end; their
// shares say how far the group has come before that.
#pragma once

#include <cstdint>
#include <numeric>
#include <vector>

namespace tweedie {

class SliceShares {
 public:
  explicit SliceShares(std::int64_t slices) : shares_(static_cast<std::size_t>(slices), 0.0) {}

  /// Records slice `slice` at `iteration` of `iterations`; returns the slices' worth done in all.
  double record(std::int64_t slice, int iteration, int iterations) {
    shares_.at(static_cast<std::size_t>(slice)) = static_cast<double>(iteration) / static_cast<double>(iterations);
    return std::accumulate(shares_.begin(), shares_.end(), 0.0);
  }

 private:
  std::vector<double> shares_;
};

}  // namespace tweedie
