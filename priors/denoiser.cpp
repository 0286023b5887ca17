#include "priors/denoiser.h"

#include "core/error.h"

namespace tweedie {

void require_noise_level(double sigma) {
  if (!(sigma >= 0)) throw ParameterError("noise level must be non-negative, got " + std::to_string(sigma));
}

Image Denoiser::vjp(const Image&, double, const Image&) {
  throw ParameterError("the " + name() + " denoiser has no vector–Jacobian product (DPS needs a network prior)");
}

Image score(Denoiser& denoiser, const Image& x, double sigma) {
  if (!(sigma > 0)) throw ParameterError("the score needs σ > 0, got " + std::to_string(sigma));
  Image s = denoiser.denoise(x, sigma);
  s.array() = (s.array() - x.array()) / static_cast<float>(sigma * sigma);
  return s;
}

}  // namespace tweedie
