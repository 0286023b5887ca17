#include "priors/ensemble_denoiser.h"

#include <utility>

namespace tweedie {
namespace {

Shape oriented_shape(Shape shape, bool transpose) {
  if (transpose) std::swap(shape.nx, shape.ny);
  return shape;
}

}  // namespace

// T_k: out(i, j) = x(u, v) with (a, b) the mirrored (i, j) on the output grid and (u, v) = (a, b),
// or (b, a) when transposing.
Image orient(const Image& x, int k) {
  const bool transpose = k & 4, mirror_x = k & 1, mirror_y = k & 2;
  Image out(oriented_shape(x.shape(), transpose));
  const Shape s = out.shape();
  for (std::int64_t z = 0; z < s.nz; ++z) {
    for (std::int64_t j = 0; j < s.ny; ++j) {
      for (std::int64_t i = 0; i < s.nx; ++i) {
        const std::int64_t a = mirror_x ? s.nx - 1 - i : i, b = mirror_y ? s.ny - 1 - j : j;
        out.at(i, j, z) = transpose ? x.at(b, a, z) : x.at(a, b, z);
      }
    }
  }
  return out;
}

// T_k⁻¹: undo the mirrors on y's grid, then the transpose.
Image unorient(const Image& y, int k) {
  const bool transpose = k & 4, mirror_x = k & 1, mirror_y = k & 2;
  Image out(oriented_shape(y.shape(), transpose));
  const Shape s = out.shape(), t = y.shape();
  for (std::int64_t z = 0; z < s.nz; ++z) {
    for (std::int64_t j = 0; j < s.ny; ++j) {
      for (std::int64_t i = 0; i < s.nx; ++i) {
        const std::int64_t p = transpose ? j : i, q = transpose ? i : j;
        out.at(i, j, z) = y.at(mirror_x ? t.nx - 1 - p : p, mirror_y ? t.ny - 1 - q : q, z);
      }
    }
  }
  return out;
}

EnsembleDenoiser::EnsembleDenoiser(std::unique_ptr<Denoiser> inner) : inner_(std::move(inner)) {}

Image EnsembleDenoiser::denoise(const Image& x, double sigma) {
  Image sum(x.geometry());
  for (int k = 0; k < 8; ++k) sum.array() += unorient(inner_->denoise(orient(x, k), sigma), k).array();
  sum.array() *= 0.125f;
  return sum;
}

Image EnsembleDenoiser::denoise_slice(const Image& volume, std::int64_t z, double sigma) {
  const SliceWindow window = window_around(volume, z, inner_->neighbouring_slices());
  Image sum = slice_image(volume, z).zeros_like();
  for (int k = 0; k < 8; ++k) sum.array() += unorient(inner_->denoise_slice(orient(window.slices, k), window.middle, sigma), k).array();
  sum.array() *= 0.125f;
  return sum;
}

Image EnsembleDenoiser::vjp(const Image& x, double sigma, const Image& v) {
  Image sum(x.geometry());
  for (int k = 0; k < 8; ++k) sum.array() += unorient(inner_->vjp(orient(x, k), sigma, orient(v, k)), k).array();
  sum.array() *= 0.125f;
  return sum;
}

}  // namespace tweedie
