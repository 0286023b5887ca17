// The statistics a study reports: the mean of a metric with its 95 % bootstrap interval, and the
// paired difference of two methods on the same measurements with its interval and win counts
// (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13: percentile intervals).
// Resampling draws from a fixed counter-based stream, so the same values give the same interval.
#pragma once

#include <cstddef>
#include <vector>

namespace tweedie {

struct MeanInterval {
  double mean = 0.0;
  double low = 0.0, high = 0.0;  ///< the 2.5 % and 97.5 % points of the bootstrap means
  std::size_t count = 0;
};

/// The mean of `values` and its percentile interval from `resamples` bootstrap resamples (one value:
/// the interval is that value).
MeanInterval bootstrap_mean(const std::vector<double>& values, int resamples = 2000);

struct PairedDifference {
  MeanInterval difference;  ///< of b − a, pair by pair
  std::size_t wins = 0;     ///< pairs where b > a
  std::size_t losses = 0;   ///< pairs where b < a
  /// Whether the interval leaves out zero: a difference the data support.
  bool exceeds_interval() const { return difference.low > 0.0 || difference.high < 0.0; }
};

/// b − a for pairs (a[i], b[i]); a and b of one length.
PairedDifference paired_difference(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace tweedie
