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

std::optional<double> estimate_weight_scale(const Image& sinogram, const Image& relative_weights) {
  require_same_shape(sinogram.shape(), relative_weights.shape(), "the relative weights");
  const Shape& s = sinogram.shape();
  if (s.nx < 5) return std::nullopt;
  std::vector<double> inverse_scales;  // h²·r per bin: 1/g times χ²₁, plus edges
  inverse_scales.reserve(static_cast<std::size_t>(s.nz * s.ny * s.nx));
  for (std::int64_t z = 0; z < s.nz; ++z) {
    for (std::int64_t j = 0; j < s.ny; ++j) {
      const float* p = sinogram.row_data(j, z);
      const float* r = relative_weights.row_data(j, z);
      for (std::int64_t i = 2; i + 2 < s.nx; ++i) {
        if (std::min({r[i - 2], r[i - 1], r[i], r[i + 1], r[i + 2]}) <= 0.0f) continue;
        const double h = (p[i - 2] - 4.0 * p[i - 1] + 6.0 * p[i] - 4.0 * p[i + 1] + p[i + 2]) / std::sqrt(70.0);
        inverse_scales.push_back(h * h * r[i]);
      }
    }
  }
  if (inverse_scales.empty()) return std::nullopt;
  const auto quartile = inverse_scales.begin() + static_cast<std::ptrdiff_t>(inverse_scales.size() / 4);
  std::nth_element(inverse_scales.begin(), quartile, inverse_scales.end());
  const double inverse_scale = *quartile / kChiSquareLowerQuartile;
  if (!(inverse_scale * kMostPhotons > 1.0) || !std::isfinite(inverse_scale)) return std::nullopt;
  return 1.0 / inverse_scale;
}

std::optional<EstimatedWeights> estimate_statistical_weights(const Image& sinogram) {
  Image transmission = sinogram.zeros_like();
  transmission.array() = (-sinogram.array()).exp();
  const std::optional<double> photons = estimate_weight_scale(sinogram, transmission);
  if (!photons) return std::nullopt;
  transmission.array() *= static_cast<float>(*photons);
  return EstimatedWeights{std::move(transmission), *photons};
}

}  // namespace tweedie
