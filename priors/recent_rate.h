// The rate of the most recent steps of a long loop, for progress lines that should follow the
// machine's current load rather than average over hours of a run.
#pragma once

#include <cstdint>
#include <deque>

namespace tweedie {

class RecentRate {
 public:
  /// Over the last `window` steps (at least 1).
  explicit RecentRate(std::int64_t window);

  /// A step ended at `seconds` (from any fixed origin; call once with the start time first).
  void record(double seconds);

  /// Steps per second over the window; 0 until two times are recorded.
  double per_second() const;

 private:
  std::int64_t window_;
  std::deque<double> times_;
};

}  // namespace tweedie
