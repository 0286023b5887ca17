#include "priors/denoiser.h"

#include "core/error.h"

#include <algorithm>

namespace tweedie {

void require_noise_level(double sigma) {
  if (!(sigma >= 0)) throw ParameterError("noise level must be non-negative, got " + std::to_string(sigma));
}

Image Denoiser::vjp(const Image&, double, const Image&) {
  throw ParameterError("the " + name() + " denoiser has no vector–Jacobian product (DPS needs a network prior)");
}

Image slice_image(const Image& volume, std::int64_t z) {
  if (z < 0 || z >= volume.shape().nz) {
    throw ShapeError("slice " + std::to_string(z) + " of a volume of " + std::to_string(volume.shape().nz) + " slices");
  }
  const Image one = extract_slices(volume, z, 1);  // with the slice's own origin
  ImageGeometry geometry = one.geometry();
  geometry.shape = Shape::image(volume.shape().nx, volume.shape().ny);
  Image slice(geometry);
  slice.slice(0) = one.slice(0);
  return slice;
}

SliceWindow window_around(const Image& volume, std::int64_t z, std::int64_t reach) {
  const std::int64_t first = std::max<std::int64_t>(0, z - reach), last = std::min(volume.shape().nz - 1, z + reach);
  return {extract_slices(volume, first, last - first + 1), z - first};
}

Image Denoiser::denoise_slice(const Image& volume, std::int64_t z, double sigma) {
  return denoise(slice_image(volume, z), sigma);
}

Image score(Denoiser& denoiser, const Image& x, double sigma) {
  if (!(sigma > 0)) throw ParameterError("the score needs σ > 0, got " + std::to_string(sigma));
  Image s = denoiser.denoise(x, sigma);
  s.array() = (s.array() - x.array()) / static_cast<float>(sigma * sigma);
  return s;
}

}  // namespace tweedie
