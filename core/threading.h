// The one place that sets how many threads Tweedie uses. oneTBB runs every parallel loop; Eigen
// never threads on its own (EIGEN_DONT_PARALLELIZE), so the two cannot oversubscribe the cores.
//
//   tweedie::ThreadLimit limit(options.threads);  // 0 = all cores; holds until `limit` dies
#pragma once

#include <tbb/global_control.h>

#include <memory>

namespace tweedie {

class ThreadLimit {
 public:
  /// Limits parallel work to `threads` threads (0: all cores) while this object lives.
  explicit ThreadLimit(int threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

 private:
  std::unique_ptr<tbb::global_control> control_;
};

/// The number of threads parallel loops may use now.
int active_thread_count();
/// The number of cores this process may run on.
int available_core_count();

}  // namespace tweedie
