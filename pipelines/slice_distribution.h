// The slices of a CT stack spread over processes (MPI ranks): each process reconstructs the slices
// it owns, then every slice's result is gathered on the process that writes the output. A slice is
// reconstructed as in one process (alone, or with a 2.5D prior in its fixed group of neighbouring
// slices, which the pipeline hands out as one unit), so the gathered volume has one process's bits.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tweedie {

class SliceDistribution {
 public:
  virtual ~SliceDistribution() = default;
  /// Whether this process reconstructs unit z of `slices` units (a slice, or a group of slices
  /// solved together).
  virtual bool owns(std::int64_t z, std::int64_t slices) const = 0;
  /// Called by every process once its slices are done (or failed, with the message): returns, on
  /// the writing process, the packed result of every slice in order; elsewhere nothing. Throws
  /// Error with the first failure of any process, on every process.
  virtual std::vector<std::string> gather(const std::map<std::int64_t, std::string>& mine, std::int64_t slices,
                                          const std::optional<std::string>& failure) = 0;
  /// Whether this process holds the whole result afterwards (and writes the outputs).
  virtual bool writes_outputs() const = 0;
};

}  // namespace tweedie
