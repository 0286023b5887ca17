// Geometric self-ensemble: the average of a denoiser over the 8 flips and rotations of the image,
// D⁺(x) = ⅛ Σ_k T_k⁻¹ D(T_k x) (Timofte et al. 2016, the "+" results of DnCNN and DPIR). For a
// network trained with those augmentations it removes the orientation-dependent part of its error,
// at 8 times the cost. Volumes are transformed slice by slice.
#pragma once

#include "priors/denoiser.h"

#include <memory>

namespace tweedie {

class EnsembleDenoiser final : public Denoiser {
 public:
  explicit EnsembleDenoiser(std::unique_ptr<Denoiser> inner);
  std::string name() const override { return inner_->name() + " ×8 ensemble"; }
  Image denoise(const Image& x, double sigma) override;
  /// The T_k are permutations (T_kᵀ = T_k⁻¹), so vᵀ∂D⁺/∂x = ⅛ Σ_k T_k⁻¹ vjp(T_k x, T_k v).
  Image vjp(const Image& x, double sigma, const Image& v) override;
  std::int64_t neighbouring_slices() const override { return inner_->neighbouring_slices(); }
  Image denoise_slice(const Image& volume, std::int64_t z, double sigma) override;

 private:
  std::unique_ptr<Denoiser> inner_;
};

/// T_k for k in 0..7: transpose when bit 2 is set, then mirror x (bit 0), then mirror y (bit 1).
Image orient(const Image& x, int k);
/// T_k⁻¹.
Image unorient(const Image& x, int k);

}  // namespace tweedie
