#include "operators/ct_half_resolution.h"

#include "core/error.h"

#include <algorithm>

namespace tweedie {
namespace {

// An nx × ny shape with as many slices as `like`, a volume where it is one.
Shape shaped_like(const Shape& like, std::int64_t nx, std::int64_t ny) {
  return like.dimension == 3 ? Shape::volume(nx, ny, like.nz) : Shape::image(nx, ny);
}

}  // namespace

bool has_half_resolution(const CtGeometry& g) {
  return g.image_nx >= 2 && g.image_ny >= 2 && g.image_nx % 2 == 0 && g.image_ny % 2 == 0 && g.detectors >= 2;
}

CtGeometry half_resolution(const CtGeometry& g) {
  if (!has_half_resolution(g)) {
    throw ParameterError("a grid of " + std::to_string(g.image_nx) + " × " + std::to_string(g.image_ny) + " with " +
                         std::to_string(g.detectors) + " detector bins has no half resolution (even sides, two bins)");
  }
  CtGeometry half = g;
  half.image_nx = g.image_nx / 2, half.image_ny = g.image_ny / 2;
  half.pixel_spacing_mm = 2.0 * g.pixel_spacing_mm;
  half.detectors = g.detectors / 2;
  half.detector_spacing_mm = 2.0 * g.detector_spacing_mm;
  // Bin k's centre, (2k + ½ − (M−1)/2)·Δu + offset, as the half's (k − (M'−1)/2)·2Δu + offset'.
  half.detector_offset_mm =
      g.detector_offset_mm + g.detector_spacing_mm * (static_cast<double>(half.detectors) - 0.5 * static_cast<double>(g.detectors));
  return half;
}

// Pairs of bins along x, each combined by `pair`.
template <class Pair>
Image combine_bin_pairs(const Image& in, Pair&& pair) {
  const Shape s = in.shape();
  if (s.nx < 2) throw ShapeError("a sinogram of " + std::to_string(s.nx) + " bin has no pairs");
  const std::int64_t bins = s.nx / 2;
  Image out(ImageGeometry{.shape = shaped_like(s, bins, s.ny)});
  for (std::int64_t z = 0; z < s.nz; ++z) {
    for (std::int64_t v = 0; v < s.ny; ++v) {
      const float* row = in.row_data(v, z);
      float* half = out.row_data(v, z);
      for (std::int64_t k = 0; k < bins; ++k) half[k] = pair(row[2 * k], row[2 * k + 1]);
    }
  }
  return out;
}

Image paired_bins(const Image& sinogram) {
  return combine_bin_pairs(sinogram, [](float a, float b) { return 0.5f * (a + b); });
}

Image paired_bin_weights(const Image& weights) {
  return combine_bin_pairs(weights, [](float a, float b) { return a > 0 && b > 0 ? 4.0f * a * b / (a + b) : 0.0f; });
}

Image block_means(const Image& image, const ImageGeometry& half) {
  const Shape s = image.shape();
  if (s.nx != 2 * half.shape.nx || s.ny != 2 * half.shape.ny) {
    throw ShapeError("block means of a " + s.to_string() + " image do not fit a half grid of " + half.shape.to_string());
  }
  ImageGeometry g = half;
  g.shape = shaped_like(s, half.shape.nx, half.shape.ny);
  Image out(g);
  for (std::int64_t z = 0; z < s.nz; ++z) {
    for (std::int64_t j = 0; j < g.shape.ny; ++j) {
      const float *top = image.row_data(2 * j, z), *bottom = image.row_data(2 * j + 1, z);
      float* row = out.row_data(j, z);
      for (std::int64_t i = 0; i < g.shape.nx; ++i) {
        row[i] = 0.25f * (top[2 * i] + top[2 * i + 1] + bottom[2 * i] + bottom[2 * i + 1]);
      }
    }
  }
  return out;
}

// Full-grid pixel 2i + a (a = 0, 1) sits at half-grid coordinate i − ¼ or i + ¼: ¾ of its own
// half pixel and ¼ of the neighbour on its side (itself at an edge).
Image bilinear_doubling(const Image& half, const ImageGeometry& full) {
  const Shape s = half.shape();
  if (full.shape.nx != 2 * s.nx || full.shape.ny != 2 * s.ny) {
    throw ShapeError("a " + s.to_string() + " image does not double onto " + full.shape.to_string());
  }
  ImageGeometry g = full;
  g.shape = shaped_like(s, full.shape.nx, full.shape.ny);
  Image out(g);
  const auto near = [](std::int64_t k, int side, std::int64_t n) { return std::clamp<std::int64_t>(k + side, 0, n - 1); };
  for (std::int64_t z = 0; z < s.nz; ++z) {
    for (std::int64_t j = 0; j < g.shape.ny; ++j) {
      const int vertical = j % 2 == 0 ? -1 : 1;
      const float* own = half.row_data(j / 2, z);
      const float* other = half.row_data(near(j / 2, vertical, s.ny), z);
      float* out_row = out.row_data(j, z);
      for (std::int64_t i = 0; i < g.shape.nx; ++i) {
        const std::int64_t c = i / 2, n = near(c, i % 2 == 0 ? -1 : 1, s.nx);
        out_row[i] = 0.75f * (0.75f * own[c] + 0.25f * own[n]) + 0.25f * (0.75f * other[c] + 0.25f * other[n]);
      }
    }
  }
  return out;
}

}  // namespace tweedie
