#include "pipelines/rotation_axis.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace tweedie {
namespace {

struct ViewPair {
  std::int64_t view, opposite;
  double mismatch_deg;
};

double angular_distance_deg(double a, double b) {
  const double d = std::fmod(std::abs(a - b), 360.0);
  return std::min(d, 360.0 - d);
}

// Each view with the view nearest to 180° away from it, once per pair.
std::vector<ViewPair> opposite_views(const CtGeometry& g) {
  const double tolerance = 1.5 * g.arc_deg() / static_cast<double>(g.views());
  std::vector<ViewPair> pairs;
  for (std::int64_t v = 0; v < g.views(); ++v) {
    const double target = g.angles_deg[static_cast<std::size_t>(v)] + 180.0;
    std::int64_t nearest = 0;
    double distance = std::numeric_limits<double>::infinity();
    for (std::int64_t w = 0; w < g.views(); ++w) {
      const double d = angular_distance_deg(g.angles_deg[static_cast<std::size_t>(w)], target);
      if (d < distance) nearest = w, distance = d;
    }
    if (nearest > v && distance <= tolerance) pairs.push_back({v, nearest, distance});
  }
  return pairs;
}

// Mean squared difference between each opposite view and its partner mirrored about bin
// ((M − 1) − k)/2: bin m of the opposite view against bin M − 1 − m − k of the view.
double mirrored_mismatch(const Image& sinogram, const std::vector<ViewPair>& pairs, std::int64_t k) {
  const std::int64_t bins = sinogram.shape().nx;
  const std::int64_t first = std::max<std::int64_t>(0, -k), last = std::min(bins - 1, bins - 1 - k);
  double sum = 0.0;
  std::int64_t count = 0;
  for (std::int64_t z = 0; z < sinogram.shape().nz; ++z) {
    for (const ViewPair& pair : pairs) {
      const float* view = sinogram.row_data(pair.view, z);
      const float* opposite = sinogram.row_data(pair.opposite, z);
      for (std::int64_t m = first; m <= last; ++m) {
        const double difference = opposite[m] - view[bins - 1 - m - k];
        sum += difference * difference;
      }
      count += last - first + 1;
    }
  }
  return sum / static_cast<double>(count);
}

}  // namespace

RotationAxisEstimate estimate_rotation_axis(const CtGeometry& geometry, const Image& sinogram) {
  require_matching_sinogram(geometry, sinogram);
  if (geometry.beam != BeamShape::parallel) {
    throw ParameterError("the rotation axis is estimated from parallel-beam scans only");
  }
  const std::vector<ViewPair> pairs = opposite_views(geometry);
  if (pairs.empty()) {
    throw ParameterError("the scan has no opposite views (views 180° apart) to find its rotation axis from");
  }
  // The axis at bin ((M − 1) − k)/2 for k = 2s (offset s bins): integer k compares bins with bins;
  // a parabola through the best k and its neighbours places the minimum between them.
  const std::int64_t bins = geometry.detectors, widest = bins / 2;
  std::vector<double> mismatch(static_cast<std::size_t>(2 * widest + 1));
  for (std::int64_t k = -widest; k <= widest; ++k) {
    mismatch[static_cast<std::size_t>(k + widest)] = mirrored_mismatch(sinogram, pairs, k);
  }
  const auto best = std::min_element(mismatch.begin(), mismatch.end());
  double k = static_cast<double>(best - mismatch.begin() - widest);
  if (best != mismatch.begin() && best + 1 != mismatch.end()) {
    const double left = *(best - 1), centre = *best, right = *(best + 1);
    const double curvature = left - 2.0 * centre + right;
    if (curvature > 0) k += 0.5 * (left - right) / curvature;
  }
  RotationAxisEstimate estimate;
  const double shift_bins = 0.5 * k;
  estimate.detector_offset_mm = shift_bins * geometry.detector_spacing_mm;
  estimate.axis_bin = 0.5 * static_cast<double>(bins - 1) - shift_bins;
  estimate.view_pairs = static_cast<int>(pairs.size());
  for (const ViewPair& pair : pairs) estimate.largest_mismatch_deg = std::max(estimate.largest_mismatch_deg, pair.mismatch_deg);
  return estimate;
}

}  // namespace tweedie
