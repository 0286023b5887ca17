#include "operators/low_dose.h"

#include "core/error.h"

#include <tbb/parallel_for.h>

#include <cmath>
#include <math.h>  // lgamma_r

namespace tweedie {
namespace {

constexpr std::uint32_t kCountStream = 0x10d05e;
constexpr double kMinimumCounts = 1.0;

// Inversion by sequential search: exact, fast for small λ.
std::int64_t poisson_by_inversion(double lambda, CounterRng::Sequence& draws) {
  const double u = draws.uniform();
  double probability = std::exp(-lambda), cumulative = probability;
  std::int64_t k = 0;
  while (u > cumulative && probability > 0.0) {
    ++k;
    probability *= lambda / static_cast<double>(k);
    cumulative += probability;
  }
  return k;
}

// ln k!, thread-safe: std::lgamma writes the sign of Γ to the global `signgam` (POSIX), a data race
// between the threads drawing counts (found by ThreadSanitizer); lgamma_r returns it instead.
double log_factorial(std::int64_t k) {
  int sign = 0;
  return ::lgamma_r(static_cast<double>(k) + 1, &sign);
}

// PTRS, Hörmann (1993), for λ ≥ 10.
std::int64_t poisson_by_rejection(double lambda, CounterRng::Sequence& draws) {
  const double root = std::sqrt(lambda), log_lambda = std::log(lambda);
  const double b = 0.931 + 2.53 * root;
  const double a = -0.059 + 0.02483 * b;
  const double inverse_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double v_r = 0.9277 - 3.6224 / (b - 2);
  while (true) {
    const double u = draws.uniform() - 0.5;
    const double v = draws.uniform();
    const double us = 0.5 - std::abs(u);
    const auto k = static_cast<std::int64_t>(std::floor((2 * a / us + b) * u + lambda + 0.43));
    if (us >= 0.07 && v <= v_r) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inverse_alpha) - std::log(a / (us * us) + b) <=
        -lambda + static_cast<double>(k) * log_lambda - log_factorial(k)) {
      return k;
    }
  }
}

}  // namespace

std::int64_t poisson(double lambda, CounterRng::Sequence& draws) {
  return lambda < 10.0 ? poisson_by_inversion(lambda, draws) : poisson_by_rejection(lambda, draws);
}

LowDoseSinogram simulate_low_dose(const Image& p, const LowDoseOptions& options) {
  if (!(options.incident_photons > 0) || !std::isfinite(options.incident_photons)) {
    throw ParameterError("the dose (incident photons I0) must be positive, got " +
                         std::to_string(options.incident_photons));
  }
  if (!(options.electronic_noise_counts >= 0)) {
    throw ParameterError("electronic noise must be zero or positive, got " +
                         std::to_string(options.electronic_noise_counts));
  }
  require_finite(p, "the noiseless sinogram");
  LowDoseSinogram result{p.zeros_like(), p.zeros_like()};
  const CounterRng rng(options.seed, kCountStream);
  const double i0 = options.incident_photons, sigma = options.electronic_noise_counts;
  const float* in = p.data();
  float* out = result.line_integrals.data();
  float* weight = result.weights.data();
  tbb::parallel_for(std::int64_t{0}, p.size(), [&](std::int64_t i) {
    CounterRng::Sequence draws = rng.at(static_cast<std::uint64_t>(i));
    double counts = static_cast<double>(poisson(i0 * std::exp(-static_cast<double>(in[i])), draws));
    if (sigma > 0) counts += sigma * draws.normal();
    const double c = std::max(counts, kMinimumCounts);
    out[i] = static_cast<float>(-std::log(c / i0));
    weight[i] = static_cast<float>(c * c / (c + sigma * sigma));
  });
  return result;
}

}  // namespace tweedie
