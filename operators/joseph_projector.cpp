#include "operators/joseph_projector.h"

#include "core/error.h"

#include <tbb/blocked_range2d.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace tweedie {
namespace {

using Ray = JosephProjector::Ray;

// The geometry's rays in pixel-index coordinates.
std::vector<Ray> make_rays(const CtGeometry& g) {
  const double centre_i = 0.5 * static_cast<double>(g.image_nx - 1);
  const double centre_j = 0.5 * static_cast<double>(g.image_ny - 1);
  std::vector<Ray> rays;
  for (const CtRay& ray : ct_rays(g)) {
    rays.push_back({ray.x / g.pixel_spacing_mm + centre_i, ray.y / g.pixel_spacing_mm + centre_j,
                    ray.dx, ray.dy});
  }
  return rays;
}

// Visits the (pixel index, weight) pairs of one ray through an nx×ny grid, restricted to rows
// row_lo..row_hi; weight × pixel summed over the visits is the line integral in pixel units.
template <class Visit>
inline void trace(const Ray& ray, std::int64_t nx, std::int64_t row_lo,
                  std::int64_t row_hi, Visit&& visit) {
  if (std::abs(ray.dj) >= std::abs(ray.di)) {
    // Steps along rows; linear interpolation between two columns.
    const double slope = ray.di / ray.dj;
    const double length = 1.0 / std::abs(ray.dj);
    double first = static_cast<double>(row_lo), last = static_cast<double>(row_hi);
    if (slope != 0.0) {  // rows where the column lies in (−1, nx)
      const double a = ray.j + (-1.0 - ray.i) / slope, b = ray.j + (static_cast<double>(nx) - ray.i) / slope;
      first = std::max(first, std::floor(std::min(a, b)));
      last = std::min(last, std::ceil(std::max(a, b)));
    } else if (ray.i <= -1.0 || ray.i >= static_cast<double>(nx)) {
      return;
    }
    if (!(first <= last)) return;  // also keeps huge bounds away from the integer conversion
    for (auto j = static_cast<std::int64_t>(first); j <= static_cast<std::int64_t>(last); ++j) {
      const double i = ray.i + (static_cast<double>(j) - ray.j) * slope;
      const double floor_i = std::floor(i);
      const auto i0 = static_cast<std::int64_t>(floor_i);
      const double f = i - floor_i;
      if (i0 >= 0 && i0 < nx) visit(j * nx + i0, (1.0 - f) * length);
      if (i0 + 1 >= 0 && i0 + 1 < nx) visit(j * nx + i0 + 1, f * length);
    }
  } else {
    // Steps along columns; linear interpolation between two rows, of which only those in the
    // band count.
    const double slope = ray.dj / ray.di;
    const double length = 1.0 / std::abs(ray.di);
    double first = 0.0, last = static_cast<double>(nx - 1);
    const double lo = static_cast<double>(row_lo) - 1.0, hi = static_cast<double>(row_hi) + 1.0;
    if (slope != 0.0) {  // columns where the row lies in (row_lo − 1, row_hi + 1)
      const double a = ray.i + (lo - ray.j) / slope, b = ray.i + (hi - ray.j) / slope;
      first = std::max(first, std::floor(std::min(a, b)));
      last = std::min(last, std::ceil(std::max(a, b)));
    } else if (ray.j <= lo || ray.j >= hi) {
      return;
    }
    if (!(first <= last)) return;
    for (auto i = static_cast<std::int64_t>(first); i <= static_cast<std::int64_t>(last); ++i) {
      const double j = ray.j + (static_cast<double>(i) - ray.i) * slope;
      const double floor_j = std::floor(j);
      const auto j0 = static_cast<std::int64_t>(floor_j);
      const double f = j - floor_j;
      if (j0 >= row_lo && j0 <= row_hi) visit(j0 * nx + i, (1.0 - f) * length);
      if (j0 + 1 >= row_lo && j0 + 1 <= row_hi) visit((j0 + 1) * nx + i, f * length);
    }
  }
}

constexpr std::int64_t kRowsPerBand = 16;

}  // namespace

JosephProjector::JosephProjector(const CtGeometry& geometry, std::int64_t slices)
    : geometry_(geometry), slices_(slices) {
  geometry_.validate();
  if (slices < 0) throw ParameterError("slice count cannot be negative");
  rays_ = make_rays(geometry_);
}

ImageGeometry JosephProjector::domain() const {
  ImageGeometry g = geometry_.image_geometry();
  if (slices_ > 0) g.shape = Shape::volume(g.shape.nx, g.shape.ny, slices_);
  return g;
}

ImageGeometry JosephProjector::range() const {
  const Shape s = geometry_.sinogram_shape();
  return {.shape = slices_ > 0 ? Shape::volume(s.nx, s.ny, slices_) : s};
}

void JosephProjector::apply(const Image& image, Image& sinogram) const {
  require_same_shape(domain().shape, image.shape(), "the image to project");
  require_same_shape(range().shape, sinogram.shape(), "the sinogram buffer");
  const std::int64_t nx = geometry_.image_nx, ny = geometry_.image_ny;
  const std::int64_t views = geometry_.views(), bins = geometry_.detectors;
  const std::int64_t slices = image.shape().nz;
  const float scale = static_cast<float>(geometry_.pixel_spacing_mm);
  tbb::parallel_for(tbb::blocked_range2d<std::int64_t>(0, slices, 1, 0, views, 4), [&](const auto& r) {
    for (std::int64_t z = r.rows().begin(); z < r.rows().end(); ++z) {
      const float* pixels = image.data() + z * nx * ny;
      for (std::int64_t v = r.cols().begin(); v < r.cols().end(); ++v) {
        float* row = sinogram.row_data(v, z);
        for (std::int64_t m = 0; m < bins; ++m) {
          double sum = 0.0;
          trace(rays_[static_cast<std::size_t>(v * bins + m)], nx, 0, ny - 1,
                [&](std::int64_t index, double weight) { sum += weight * pixels[index]; });
          row[m] = scale * static_cast<float>(sum);
        }
      }
    }
  });
}

void JosephProjector::adjoint(const Image& sinogram, Image& image) const {
  require_same_shape(range().shape, sinogram.shape(), "the sinogram to back-project");
  require_same_shape(domain().shape, image.shape(), "the image buffer");
  const std::int64_t nx = geometry_.image_nx, ny = geometry_.image_ny;
  const std::int64_t rays = static_cast<std::int64_t>(rays_.size());
  const std::int64_t slices = image.shape().nz;
  const std::int64_t bands = (ny + kRowsPerBand - 1) / kRowsPerBand;
  const double scale = geometry_.pixel_spacing_mm;
  tbb::parallel_for(tbb::blocked_range2d<std::int64_t>(0, slices, 1, 0, bands, 1), [&](const auto& r) {
    for (std::int64_t z = r.rows().begin(); z < r.rows().end(); ++z) {
      float* pixels = image.data() + z * nx * ny;
      const float* values = sinogram.data() + z * rays;
      for (std::int64_t band = r.cols().begin(); band < r.cols().end(); ++band) {
        const std::int64_t row_lo = band * kRowsPerBand, row_hi = std::min(ny, row_lo + kRowsPerBand) - 1;
        std::fill(pixels + row_lo * nx, pixels + (row_hi + 1) * nx, 0.0f);
        for (std::int64_t k = 0; k < rays; ++k) {
          const float value = values[k];
          if (value == 0.0f) continue;
          const double scaled = scale * value;
          trace(rays_[static_cast<std::size_t>(k)], nx, row_lo, row_hi,
                [&](std::int64_t index, double weight) { pixels[index] += static_cast<float>(weight * scaled); });
        }
      }
    }
  });
}

}  // namespace tweedie
