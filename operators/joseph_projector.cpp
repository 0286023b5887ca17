#include "operators/joseph_projector.h"

#include "core/error.h"

#include <tbb/blocked_range2d.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif
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
  const std::int64_t bins = geometry_.detectors;
  row_steppers_.resize(static_cast<std::size_t>(geometry_.views()));
  column_steppers_.resize(row_steppers_.size());
  for (std::size_t k = 0; k < rays_.size(); ++k) {
    const Ray& ray = rays_[k];
    const auto view = k / static_cast<std::size_t>(bins);
    const auto bin = static_cast<std::int32_t>(k % static_cast<std::size_t>(bins));
    if (std::abs(ray.dj) >= std::abs(ray.di)) {
      const double slope = ray.di / ray.dj;
      lines_.push_back({static_cast<float>(ray.i - ray.j * slope), static_cast<float>(slope),
                        static_cast<float>(1.0 / std::abs(ray.dj))});
      row_steppers_[view].push_back(bin);
    } else {
      const double slope = ray.dj / ray.di;
      lines_.push_back({static_cast<float>(ray.j - ray.i * slope), static_cast<float>(slope),
                        static_cast<float>(1.0 / std::abs(ray.di))});
      column_steppers_[view].push_back(bin);
    }
  }
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

#if defined(__AVX512F__)
namespace {

constexpr std::int64_t kGuard = 2;  // zero pixels around the image: samples need no bounds checks

// Sums of the interpolated samples along up to 16 lines. `row_major`: t runs over rows and the
// line gives a column; otherwise t runs over columns and the line gives a row. `padded` has
// kGuard zero pixels on every side and rows of `width` floats.
__m512 sum_along_lines(const float* padded, std::int64_t width, std::int64_t steps, float limit,
                       bool row_major, __m512 offset, __m512 slope) {
  const __m512 lowest = _mm512_set1_ps(-static_cast<float>(kGuard)), highest = _mm512_set1_ps(limit);
  const __m512i neighbour = _mm512_set1_epi32(row_major ? 1 : static_cast<int>(width));
  const __m512i across = _mm512_set1_epi32(row_major ? 1 : static_cast<int>(width));
  __m512 sum = _mm512_setzero_ps();
  for (std::int64_t t = 0; t < steps; ++t) {
    const __m512 position = _mm512_min_ps(
        _mm512_max_ps(_mm512_fmadd_ps(slope, _mm512_set1_ps(static_cast<float>(t)), offset), lowest), highest);
    const __m512 floor_position = _mm512_roundscale_ps(position, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    const __m512 f = _mm512_sub_ps(position, floor_position);
    // Index of the first of the two pixels in the padded image.
    const __m512i m = _mm512_add_epi32(_mm512_cvttps_epi32(floor_position), _mm512_set1_epi32(kGuard));
    const __m512i base = row_major
        ? _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>((t + kGuard) * width)), m)
        : _mm512_add_epi32(_mm512_mullo_epi32(m, across), _mm512_set1_epi32(static_cast<int>(t + kGuard)));
    const __m512 first = _mm512_i32gather_ps(base, padded, 4);
    const __m512 second = _mm512_i32gather_ps(_mm512_add_epi32(base, neighbour), padded, 4);
    sum = _mm512_add_ps(sum, _mm512_fmadd_ps(f, _mm512_sub_ps(second, first), first));
  }
  return sum;
}

}  // namespace

void JosephProjector::project_vectorised(const Image& image, Image& sinogram) const {
  const std::int64_t nx = geometry_.image_nx, ny = geometry_.image_ny, bins = geometry_.detectors;
  const std::int64_t views = geometry_.views(), slices = image.shape().nz;
  const std::int64_t width = nx + 2 * kGuard, padded_size = width * (ny + 2 * kGuard);
  std::vector<float> padded(static_cast<std::size_t>(slices * padded_size), 0.0f);
  tbb::parallel_for(std::int64_t{0}, slices * ny, [&](std::int64_t row) {
    const std::int64_t z = row / ny, j = row % ny;
    std::copy_n(image.row_data(j, z), nx, padded.data() + z * padded_size + (j + kGuard) * width + kGuard);
  });
  const auto scale = static_cast<float>(geometry_.pixel_spacing_mm);
  tbb::parallel_for(tbb::blocked_range2d<std::int64_t>(0, slices, 1, 0, views, 4), [&](const auto& r) {
    for (std::int64_t z = r.rows().begin(); z < r.rows().end(); ++z) {
      const float* slice = padded.data() + z * padded_size;
      for (std::int64_t v = r.cols().begin(); v < r.cols().end(); ++v) {
        float* row = sinogram.row_data(v, z);
        for (const bool row_major : {true, false}) {
          const auto& group = (row_major ? row_steppers_ : column_steppers_)[static_cast<std::size_t>(v)];
          for (std::size_t start = 0; start < group.size(); start += 16) {
            alignas(64) float offset[16], slope[16], result[16];
            const std::size_t count = std::min<std::size_t>(16, group.size() - start);
            for (std::size_t k = 0; k < 16; ++k) {  // unused lanes lie far outside: they read zeros
              const Line* line = k < count ? &lines_[static_cast<std::size_t>(v * bins + group[start + k])] : nullptr;
              offset[k] = line ? line->offset : -1e6f;
              slope[k] = line ? line->slope : 0.0f;
            }
            const __m512 sum = sum_along_lines(slice, width, row_major ? ny : nx,
                                               static_cast<float>(row_major ? nx : ny), row_major,
                                               _mm512_load_ps(offset), _mm512_load_ps(slope));
            _mm512_store_ps(result, sum);
            for (std::size_t k = 0; k < count; ++k) {
              const std::int64_t bin = group[start + k];
              row[bin] = scale * lines_[static_cast<std::size_t>(v * bins + bin)].length * result[k];
            }
          }
        }
      }
    }
  });
}
#endif

void JosephProjector::apply(const Image& image, Image& sinogram) const {
  require_same_shape(domain().shape, image.shape(), "the image to project");
  require_same_shape(range().shape, sinogram.shape(), "the sinogram buffer");
#if defined(__AVX512F__)
  project_vectorised(image, sinogram);
#else
  apply_reference(image, sinogram);
#endif
}

void JosephProjector::apply_reference(const Image& image, Image& sinogram) const {
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
