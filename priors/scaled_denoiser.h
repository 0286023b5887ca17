// A denoiser used in other units than it was trained in: with u = a·x + b the denoiser's units,
// D_x(x, σ) = (D_u(a·x + b, |a|·σ) − b) / a. CT solvers work in attenuation (mm⁻¹) while the
// bundled ct model works in HU: a = 1000/μ_water, b = −1000.
#pragma once

#include "priors/denoiser.h"

#include <memory>

namespace tweedie {

class ScaledDenoiser final : public Denoiser {
 public:
  ScaledDenoiser(std::unique_ptr<Denoiser> inner, double scale, double offset);
  std::string name() const override { return inner_->name(); }
  Image denoise(const Image& x, double sigma) override;
  /// ∂D_x/∂x = ∂D_u/∂u: the inner vjp at the mapped point.
  Image vjp(const Image& x, double sigma, const Image& v) override;
  std::int64_t neighbouring_slices() const override { return inner_->neighbouring_slices(); }
  Image denoise_slice(const Image& volume, std::int64_t z, double sigma) override;

 private:
  Image to_inner(const Image& x) const;

  std::unique_ptr<Denoiser> inner_;
  double scale_, offset_;
};

/// The denoiser in attenuation units (mm⁻¹) of one that works in HU (operators/hounsfield.h).
std::unique_ptr<Denoiser> in_attenuation_units(std::unique_ptr<Denoiser> hounsfield_denoiser);

}  // namespace tweedie
