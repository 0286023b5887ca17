// Decimation for super-resolution: y = S H x, a circular Gaussian anti-alias blur H followed by
// keeping the first pixel of every factor × factor block (S; the convention of DPIR).
#pragma once

#include "operators/blur.h"
#include "operators/sampling.h"

#include <complex>
#include <memory>
#include <vector>

namespace tweedie {

namespace detail {
class ComplexFft2d;
}

class Decimation final : public LinearOperator {
 public:
  /// `antialias_sigma_px` > 0; image sides multiples of `factor` allow the closed-form solve.
  Decimation(const ImageGeometry& image, std::int64_t factor, double antialias_sigma_px);
  ~Decimation() override;

  using LinearOperator::adjoint;
  using LinearOperator::apply;
  ImageGeometry domain() const override { return blur_.domain(); }
  ImageGeometry range() const override { return subsampling_.range(); }
  void apply(const Image& x, Image& y) const override;
  void adjoint(const Image& y, Image& x) const override;
  /// (HᵀSᵀSH + ρI)⁻¹ in closed form (Zhao et al., "Fast single image super-resolution using a
  /// new analytical solution for ℓ2–ℓ2 problems", IEEE TIP 2016): SᵀS averages the factor²
  /// aliases of a spectrum, which the Woodbury identity turns into one division per alias class.
  bool solve_shifted_normal(const Image& b, double rho, Image& x) const override;

 private:
  Subsampling subsampling_;
  Convolution blur_;
  std::int64_t factor_;
  std::unique_ptr<detail::ComplexFft2d> plans_;
  std::vector<std::complex<float>> kernel_spectrum_;  ///< full ny × nx spectrum of H
};

}  // namespace tweedie
