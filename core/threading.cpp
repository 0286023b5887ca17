#include "core/threading.h"

#include "core/error.h"

#include <tbb/global_control.h>
#include <tbb/info.h>

namespace tweedie {

ThreadLimit::ThreadLimit(int threads) {
  if (threads < 0) {
    throw ParameterError("thread count must be 0 (all cores) or positive, got " +
                         std::to_string(threads));
  }
  const int count = threads == 0 ? available_core_count() : threads;
  control_ = std::make_unique<tbb::global_control>(
      tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(count));
}

ThreadLimit::~ThreadLimit() = default;

int active_thread_count() {
  return static_cast<int>(
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
}

int available_core_count() { return tbb::info::default_concurrency(); }

}  // namespace tweedie
