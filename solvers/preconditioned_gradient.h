// The gradient step of PnP-PGD and FISTA, preconditioned: x − γ P ∇f(x) for f = ½‖Ax − y‖²_W.
//
// P = S R S (Fessler & Booth, "Conjugate-gradient preconditioning methods for shift-variant PET
// image reconstruction", IEEE TIP 8(5), 1999): R is the operator's approximate inverse of AᵀA
// (`LinearOperator::normal_preconditioner`; CT: the image-domain ramp filter; else the identity)
// and the diagonal S carries the statistical weights, s_j = √((AᵀA1)_j / (AᵀWA1)_j), since
// AᵀWA ≈ S⁻¹AᵀAS⁻¹ where the weights vary slowly. The step γ = 1/λ_max(P AᵀWA) is the longest the
// majorisation allows (P AᵀWA is similar to the symmetric R^½ S AᵀWA S R^½). On CT, one such step
// corrects every frequency about equally, where a plain step of 1/‖AᵀWA‖ barely moves the high
// frequencies (AᵀA ∝ 1/|ω|). Without R and W, P = I and γ = 1/‖AᵀWA‖: the plain step.
#pragma once

#include "solvers/data_fidelity.h"

#include <memory>
#include <optional>

namespace tweedie {

/// How γ⁻¹ = λ_max(P AᵀWA) is found: `bound`, by power iteration to 1 %, for a gradient step that
/// must not overshoot; `scale`, the rough scale a preconditioner for conjugate gradients needs:
/// λ_max(R AᵀA) from the data term's calibration (solvers/normal_calibration.h), equal to it where
/// S evens out the weights, else by power iteration to 5 %.
enum class GainEstimate { bound, scale };

class PreconditionedGradient {
 public:
  explicit PreconditionedGradient(const DataFidelity& data, GainEstimate estimate = GainEstimate::bound);

  /// γ P ∇f(x).
  Image step(const Image& x) const;
  /// γ.
  double step_size() const { return step_size_; }
  /// P v; with `shift` ρ > 0, P_ρ v for a P_ρ that makes P_ρ(AᵀWA + ρI) about a multiple of the
  /// identity: S R_ρ S with the ramp damped, R_ρ = R(I + γρs̄²R)⁻¹ (s̄² the mean of S²), since
  /// AᵀWA ≈ (γ S R S)⁻¹. Without a ramp, P_ρ = P (a multiple of it would do as well).
  Image precondition(const Image& v, double shift = 0.0) const;
  /// v ↦ P_ρ v as an operator for conjugate gradients on AᵀWA + ρI (its damped ramp built once).
  SymmetricOperator shifted_inverse(double shift) const;

 private:
  const DataFidelity& data_;
  std::shared_ptr<const LinearOperator> ramp_;  ///< R; null: the identity
  std::optional<Image> scale_;                  ///< S; none without weights
  double mean_square_scale_ = 1.0;              ///< s̄²
  double step_size_ = 0.0;
};

}  // namespace tweedie
