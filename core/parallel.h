// Parallel loops with results that do not depend on the thread count.
//
// Floating-point sums change with the order of their terms, so a reduction split by a work-stealing
// scheduler would change in the last bits from run to run. `deterministic_sum` splits [0, count)
// into fixed chunks, reduces each chunk serially and adds the chunk results in index order: the
// same bits at 1 thread or 64.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstdint>
#include <vector>

namespace tweedie {

/// Sum of chunk_sum(begin, end) over fixed chunks of [0, count), added in order.
template <class ChunkSum>
double deterministic_sum(std::int64_t count, std::int64_t chunk, const ChunkSum& chunk_sum) {
  if (count <= 0) return 0.0;
  const std::int64_t chunks = (count + chunk - 1) / chunk;
  std::vector<double> partial(static_cast<std::size_t>(chunks));
  tbb::parallel_for(std::int64_t{0}, chunks, [&](std::int64_t c) {
    partial[static_cast<std::size_t>(c)] = chunk_sum(c * chunk, std::min(count, (c + 1) * chunk));
  });
  double total = 0.0;
  for (double p : partial) total += p;
  return total;
}

}  // namespace tweedie
