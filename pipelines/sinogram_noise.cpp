#include "pipelines/sinogram_noise.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace tweedie {
namespace {

constexpr double kChiSquareLowerQuartile = 0.1015;  // of χ² with one degree of freedom
// Above this many photons per ray (clinical scanners detect up to about 10⁶, synchrotrons 10⁷) what
// is left is rounding and the projections' own curvature: a noiseless sinogram.
constexpr double kMostPhotons = 1e9;

}  // namespace

std::optional<EstimatedWeights> estimate_statistical_weights(const Image& sinogram) {
  const Shape& s = sinogram.shape();
  if (s.nx < 5) return std::nullopt;
  std::vector<double> inverse_counts;  // h²·e^−p per bin: 1/I0 times χ²₁, plus edges
  inverse_counts.reserve(static_cast<std::size_t>(s.nz * s.ny * s.nx));
  for (std::int64_t z = 0; z < s.nz; ++z) {
    for (std::int64_t j = 0; j < s.ny; ++j) {
      const float* p = sinogram.row_data(j, z);
      for (std::int64_t i = 2; i + 2 < s.nx; ++i) {
        const double h = (p[i - 2] - 4.0 * p[i - 1] + 6.0 * p[i] - 4.0 * p[i + 1] + p[i + 2]) / std::sqrt(70.0);
        inverse_counts.push_back(h * h * std::exp(-p[i]));
      }
    }
  }
  const auto quartile = inverse_counts.begin() + static_cast<std::ptrdiff_t>(inverse_counts.size() / 4);
  std::nth_element(inverse_counts.begin(), quartile, inverse_counts.end());
  const double inverse_i0 = *quartile / kChiSquareLowerQuartile;
  if (!(inverse_i0 * kMostPhotons > 1.0) || !std::isfinite(inverse_i0)) return std::nullopt;
  EstimatedWeights e;
  e.incident_photons = 1.0 / inverse_i0;
  e.weights = sinogram.zeros_like();
  e.weights.array() = (static_cast<float>(e.incident_photons) * (-sinogram.array()).exp());
  return e;
}

}  // namespace tweedie
