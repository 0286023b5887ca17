#include "priors/recent_rate.h"

#include <algorithm>

namespace tweedie {

RecentRate::RecentRate(std::int64_t window) : window_(std::max<std::int64_t>(window, 1)) {}

void RecentRate::record(double seconds) {
  times_.push_back(seconds);
  if (static_cast<std::int64_t>(times_.size()) > window_ + 1) times_.pop_front();
}

double RecentRate::per_second() const {
  if (times_.size() < 2) return 0.0;
  const double elapsed = times_.back() - times_.front();
  const auto steps = static_cast<double>(times_.size() - 1);
  return elapsed > 0.0 ? steps / elapsed : 0.0;
}

}  // namespace tweedie
