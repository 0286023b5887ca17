#include "pipelines/study_statistics.h"

#include "core/error.h"
#include "core/random.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tweedie {
namespace {

/// The random stream of bootstrap resampling (core/random.h).
constexpr std::uint32_t kBootstrapStream = 11;

}  // namespace

MeanInterval bootstrap_mean(const std::vector<double>& values, int resamples) {
  MeanInterval m;
  m.count = values.size();
  if (values.empty()) return m;
  const double n = static_cast<double>(values.size());
  m.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  const CounterRng rng(1, kBootstrapStream);
  std::vector<double> means(static_cast<std::size_t>(resamples));
  for (int b = 0; b < resamples; ++b) {
    CounterRng::Sequence draws = rng.at(static_cast<std::uint64_t>(b));
    double sum = 0.0;
    for (std::size_t k = 0; k < values.size(); ++k) {
      sum += values[std::min(values.size() - 1, static_cast<std::size_t>(draws.uniform() * n))];
    }
    means[static_cast<std::size_t>(b)] = sum / n;
  }
  std::sort(means.begin(), means.end());
  const auto at = [&](double q) { return means[static_cast<std::size_t>(std::lround(q * (resamples - 1)))]; };
  m.low = std::min(m.mean, at(0.025));
  m.high = std::max(m.mean, at(0.975));
  return m;
}

PairedDifference paired_difference(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) throw ShapeError("paired difference of " + std::to_string(a.size()) + " and " + std::to_string(b.size()) + " values");
  PairedDifference d;
  std::vector<double> differences(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    differences[i] = b[i] - a[i];
    d.wins += b[i] > a[i];
    d.losses += b[i] < a[i];
  }
  d.difference = bootstrap_mean(differences);
  return d;
}

}  // namespace tweedie
