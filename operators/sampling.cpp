#include "operators/sampling.h"

#include "core/error.h"
#include "core/random.h"
#include "operators/decimation.h"

#include <tbb/parallel_for.h>

namespace tweedie {

Subsampling::Subsampling(const ImageGeometry& image, std::int64_t factor) : domain_(image), factor_(factor) {
  if (factor < 1) throw ParameterError("the subsampling factor must be positive, got " + std::to_string(factor));
  const Shape& s = image.shape;
  range_ = image;
  range_.shape.nx = (s.nx + factor - 1) / factor;
  range_.shape.ny = (s.ny + factor - 1) / factor;
  range_.spacing[0] *= static_cast<double>(factor);
  range_.spacing[1] *= static_cast<double>(factor);
}

void Subsampling::apply(const Image& x, Image& y) const {
  require_same_shape(domain_.shape, x.shape(), "the image to subsample");
  const Shape& r = range_.shape;
  tbb::parallel_for(std::int64_t{0}, r.ny * r.nz, [&](std::int64_t row) {
    const std::int64_t j = row % r.ny, z = row / r.ny;
    const float* in = x.row_data(j * factor_, z);
    float* out = y.row_data(j, z);
    for (std::int64_t i = 0; i < r.nx; ++i) out[i] = in[i * factor_];
  });
}

void Subsampling::adjoint(const Image& y, Image& x) const {
  require_same_shape(range_.shape, y.shape(), "the image to upsample");
  x.array() = 0.0f;
  const Shape& r = range_.shape;
  tbb::parallel_for(std::int64_t{0}, r.ny * r.nz, [&](std::int64_t row) {
    const std::int64_t j = row % r.ny, z = row / r.ny;
    const float* in = y.row_data(j, z);
    float* out = x.row_data(j * factor_, z);
    for (std::int64_t i = 0; i < r.nx; ++i) out[i * factor_] = in[i];
  });
}

std::shared_ptr<LinearOperator> make_decimation(const ImageGeometry& image, std::int64_t factor,
                                                double antialias_sigma_px) {
  if (!(antialias_sigma_px > 0)) return std::make_shared<Subsampling>(image, factor);
  return std::make_shared<Decimation>(image, factor, antialias_sigma_px);
}

PixelMask::PixelMask(const Image& mask) : mask_(mask.clone()) {
  mask_.array() = (mask_.array() != 0.0f).cast<float>();
}

bool Subsampling::solve_shifted_normal(const Image& b, double rho, Image& x) const {
  require_same_shape(domain_.shape, b.shape(), "the right-hand side");
  const auto r = static_cast<float>(rho);
  x.array() = b.array() / r;
  const Shape& s = range_.shape;
  tbb::parallel_for(std::int64_t{0}, s.ny * s.nz, [&](std::int64_t row) {
    const std::int64_t j = row % s.ny, z = row / s.ny;
    const float* in = b.row_data(j * factor_, z);
    float* out = x.row_data(j * factor_, z);
    for (std::int64_t i = 0; i < s.nx; ++i) out[i * factor_] = in[i * factor_] / (1.0f + r);
  });
  return true;
}

bool PixelMask::solve_shifted_normal(const Image& b, double rho, Image& x) const {
  require_same_shape(mask_.shape(), b.shape(), "the right-hand side");
  x.array() = b.array() / (mask_.array().square() + static_cast<float>(rho));
  return true;
}

void PixelMask::apply(const Image& x, Image& y) const {
  require_same_shape(mask_.shape(), x.shape(), "the image to mask");
  y.array() = x.array() * mask_.array();
}

Image random_mask(const ImageGeometry& image, double keep_ratio, std::uint64_t seed) {
  if (!(keep_ratio >= 0 && keep_ratio <= 1)) {
    throw ParameterError("the kept fraction of a mask must lie in [0, 1], got " + std::to_string(keep_ratio));
  }
  Image mask(image);
  const CounterRng rng(seed, kMaskStream);
  const double missing = 1.0 - keep_ratio;
  float* values = mask.data();
  tbb::parallel_for(std::int64_t{0}, mask.size(), [&](std::int64_t i) {
    values[i] = rng.uniform(static_cast<std::uint64_t>(i)) < missing ? 0.0f : 1.0f;
  });
  return mask;
}

}  // namespace tweedie
