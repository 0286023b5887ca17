#include "priors/scaled_denoiser.h"

#include "core/error.h"
#include "operators/hounsfield.h"

#include <cmath>

namespace tweedie {

ScaledDenoiser::ScaledDenoiser(std::unique_ptr<Denoiser> inner, double scale, double offset)
    : inner_(std::move(inner)), scale_(scale), offset_(offset) {
  if (!(std::abs(scale) > 0) || !std::isfinite(scale) || !std::isfinite(offset)) {
    throw ParameterError("a unit change needs a finite nonzero scale and a finite offset");
  }
}

Image ScaledDenoiser::to_inner(const Image& x) const {
  Image u = x.clone();
  u.array() = static_cast<float>(scale_) * u.array() + static_cast<float>(offset_);
  return u;
}

Image ScaledDenoiser::denoise(const Image& x, double sigma) {
  Image d = inner_->denoise(to_inner(x), std::abs(scale_) * sigma);
  d.array() = (d.array() - static_cast<float>(offset_)) / static_cast<float>(scale_);
  return d;
}

Image ScaledDenoiser::denoise_slice(const Image& volume, std::int64_t z, double sigma) {
  // Only the slices the inner denoiser sees are mapped.
  const SliceWindow window = window_around(volume, z, inner_->neighbouring_slices());
  Image d = inner_->denoise_slice(to_inner(window.slices), window.middle, std::abs(scale_) * sigma);
  d.array() = (d.array() - static_cast<float>(offset_)) / static_cast<float>(scale_);
  return d;
}

Image ScaledDenoiser::vjp(const Image& x, double sigma, const Image& v) {
  return inner_->vjp(to_inner(x), std::abs(scale_) * sigma, v);
}

std::unique_ptr<Denoiser> in_attenuation_units(std::unique_ptr<Denoiser> hounsfield_denoiser) {
  return std::make_unique<ScaledDenoiser>(std::move(hounsfield_denoiser), 1000.0 / kWaterAttenuationPerMm, -1000.0);
}

}  // namespace tweedie
