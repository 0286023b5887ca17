#include "pipelines/truncation.h"

#include <algorithm>
#include <cmath>

namespace tweedie {
namespace {

constexpr double kAirLineIntegral = 0.05;  // above the noise of any dose that a bin seeing air shows
constexpr std::int64_t kEdgeBins = 2;
// A grid this much wider than the field of view leaves the solver room for what lies beyond it.
constexpr double kRoomyGrid = 1.25;

}  // namespace

double field_of_view_radius(const CtGeometry& g) {
  const double half_width = 0.5 * static_cast<double>(g.detectors - 1) * g.detector_spacing_mm;
  const double reach = half_width - std::abs(g.detector_offset_mm);  // the nearer edge
  if (g.beam == BeamShape::parallel) return std::max(reach, 0.0);
  const double fan_angle = g.detector_shape == DetectorShape::arc
                               ? reach / g.source_to_detector_mm
                               : std::atan(reach / g.source_to_detector_mm);
  return g.source_to_isocentre_mm * std::sin(std::max(fan_angle, 0.0));
}

std::optional<double> truncated_edge(const CtGeometry& geometry, const Image& sinogram) {
  const Shape& s = sinogram.shape();
  const double grid_half_width =
      0.5 * static_cast<double>(std::min(geometry.image_nx, geometry.image_ny)) * geometry.pixel_spacing_mm;
  if (s.nx <= 2 * kEdgeBins || grid_half_width > kRoomyGrid * field_of_view_radius(geometry)) return std::nullopt;
  double sum = 0.0;
  for (std::int64_t z = 0; z < s.nz; ++z) {
    for (std::int64_t view = 0; view < s.ny; ++view) {
      const float* p = sinogram.row_data(view, z);
      for (std::int64_t k = 0; k < kEdgeBins; ++k) sum += p[k] + p[s.nx - 1 - k];
    }
  }
  const double mean = sum / static_cast<double>(2 * kEdgeBins * s.ny * s.nz);
  return mean > kAirLineIntegral ? std::optional<double>(mean) : std::nullopt;
}

}  // namespace tweedie
