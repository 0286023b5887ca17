// Sampling operators: keep every s-th pixel (super-resolution after an anti-alias blur), or keep
// the pixels of a mask (inpainting). View subsampling for CT is a geometry (every_kth_view).
#pragma once

#include "core/image.h"
#include "operators/blur.h"
#include "operators/linear_operator.h"

#include <memory>

namespace tweedie {

/// y[i, j] = x[s·i, s·j] (the first pixel of each s×s block, as in DPIR); the adjoint puts y back
/// at those pixels and zeros elsewhere. The range has ⌈n/s⌉ pixels along x and y and s times the
/// spacing.
class Subsampling final : public LinearOperator {
 public:
  Subsampling(const ImageGeometry& image, std::int64_t factor);
  using LinearOperator::adjoint;
  using LinearOperator::apply;
  ImageGeometry domain() const override { return domain_; }
  ImageGeometry range() const override { return range_; }
  void apply(const Image& x, Image& y) const override;
  void adjoint(const Image& y, Image& x) const override;
  /// AᵀA keeps the sampled pixels: diagonal.
  bool solve_shifted_normal(const Image& b, double rho, Image& x) const override;
  std::int64_t factor() const { return factor_; }

 private:
  ImageGeometry domain_, range_;
  std::int64_t factor_;
};

/// Decimation for super-resolution: Subsampling(factor) ∘ Gaussian blur of σ = `antialias_sigma_px`
/// (circular boundary; σ ≤ 0 means no blur).
std::shared_ptr<LinearOperator> make_decimation(const ImageGeometry& image, std::int64_t factor,
                                                double antialias_sigma_px);

/// y = m ⊙ x with m ∈ {0, 1}: self-adjoint.
class PixelMask final : public LinearOperator {
 public:
  /// `mask`: same shape as the images; non-zero means kept.
  explicit PixelMask(const Image& mask);
  using LinearOperator::adjoint;
  using LinearOperator::apply;
  ImageGeometry domain() const override { return mask_.geometry(); }
  ImageGeometry range() const override { return mask_.geometry(); }
  void apply(const Image& x, Image& y) const override;
  void adjoint(const Image& y, Image& x) const override { apply(y, x); }
  /// AᵀA multiplies by the squared mask: diagonal.
  bool solve_shifted_normal(const Image& b, double rho, Image& x) const override;
  const Image& mask() const { return mask_; }

 private:
  Image mask_;
};

/// The random stream of masks (core/random.h): a mask never shifts the noise drawn with the same seed.
inline constexpr std::uint32_t kMaskStream = 7;

/// A random mask keeping each pixel with probability `keep_ratio`: pixel k is missing when the
/// k-th uniform of (seed, kMaskStream) is below 1 − keep_ratio. The same mask for the same seed at
/// any thread count; `tweedie degrade --missing`, studies and tests all draw masks here.
Image random_mask(const ImageGeometry& image, double keep_ratio, std::uint64_t seed);

}  // namespace tweedie
