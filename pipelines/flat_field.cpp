#include "pipelines/flat_field.h"

#include "core/error.h"
#include "pipelines/sinogram_noise.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace tweedie {
namespace {

// The mean over frames (z) of a columns × rows stack, checked against the projections' frame size.
Image mean_frame(const Image& frames, const Shape& projection, const std::string& what) {
  const Shape& s = frames.shape();
  if (s.nx != projection.nx || s.ny != projection.ny) {
    throw ShapeError(what + " are " + std::to_string(s.nx) + "×" + std::to_string(s.ny) + ", the projections " +
                     std::to_string(projection.nx) + "×" + std::to_string(projection.ny));
  }
  require_finite(frames, what);
  Image mean(Shape::image(s.nx, s.ny));
  for (std::int64_t z = 0; z < s.nz; ++z) mean.slice(0) += frames.slice(z);
  mean.array() /= static_cast<float>(s.nz);
  return mean;
}

// An empty scan of `columns` × `views` × `rows` (2D for one row), rows spaced as given.
NormalizedScan empty_scan(std::int64_t columns, std::int64_t views, std::int64_t rows, double row_spacing) {
  NormalizedScan scan;
  ImageGeometry g{.shape = rows == 1 ? Shape::image(columns, views) : Shape::volume(columns, views, rows)};
  g.spacing[2] = row_spacing;
  scan.sinogram = Image(g);
  scan.weights = Image(g);
  return scan;
}

// One ray: its line integral and relative weight (the counts) from counts above dark and the open beam.
void set_ray(NormalizedScan& scan, std::int64_t column, std::int64_t view, std::int64_t row, double counts, double open) {
  float& p = scan.sinogram.row_data(view, row)[column];
  float& w = scan.weights.row_data(view, row)[column];
  if (counts > 0 && open > 0) {
    p = static_cast<float>(std::log(open / counts));
    w = static_cast<float>(counts);
  } else {
    p = static_cast<float>(std::log(std::max(open, 1.0)));
    w = 0.0f;
    ++scan.rays_without_signal;
  }
}

// Relative weights (counts) to weights: the gain from the noise.
void scale_weights(NormalizedScan& scan) {
  if (const std::optional<double> photons_per_count = estimate_weight_scale(scan.sinogram, scan.weights)) {
    scan.counts_per_photon = 1.0 / *photons_per_count;
    scan.weights.array() *= static_cast<float>(*photons_per_count);
  }
}

double median(std::vector<double>& values) {
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

}  // namespace

NormalizedScan normalize_projections(const Image& projections, const Image& flats, const Image& darks) {
  require_finite(projections, "the projections");
  const Shape& s = projections.shape();  // columns × rows × views
  const Image flat = mean_frame(flats, s, "the flat frames"), dark = mean_frame(darks, s, "the dark frames");
  NormalizedScan scan = empty_scan(s.nx, s.nz, s.ny, projections.geometry().spacing[1]);
  for (std::int64_t view = 0; view < s.nz; ++view) {
    for (std::int64_t row = 0; row < s.ny; ++row) {
      const float* p = projections.row_data(row, view);
      const float* f = flat.row_data(row);
      const float* d = dark.row_data(row);
      for (std::int64_t column = 0; column < s.nx; ++column) {
        set_ray(scan, column, view, row, static_cast<double>(p[column]) - d[column], static_cast<double>(f[column]) - d[column]);
      }
    }
  }
  scale_weights(scan);
  return scan;
}

NormalizedScan normalize_by_air(const Image& intensities, std::int64_t air_bins) {
  require_finite(intensities, "the intensities");
  const Shape& s = intensities.shape();  // columns × views × rows
  if (air_bins < 1 || 2 * air_bins >= s.nx) {
    throw ParameterError("the open beam needs 1 to " + std::to_string((s.nx - 1) / 2) + " air bins on each side of " +
                         std::to_string(s.nx) + " detector columns, got " + std::to_string(air_bins));
  }
  NormalizedScan scan = empty_scan(s.nx, s.ny, s.nz, intensities.geometry().spacing[2]);
  std::vector<double> air;
  for (std::int64_t row = 0; row < s.nz; ++row) {
    for (std::int64_t view = 0; view < s.ny; ++view) {
      const float* intensity = intensities.row_data(view, row);
      air.assign(intensity, intensity + air_bins);
      air.insert(air.end(), intensity + s.nx - air_bins, intensity + s.nx);
      const double open = median(air);
      for (std::int64_t column = 0; column < s.nx; ++column) set_ray(scan, column, view, row, intensity[column], open);
    }
  }
  scale_weights(scan);
  return scan;
}

}  // namespace tweedie
