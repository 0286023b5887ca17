// LinearOperator: the one abstraction of a forward model y = A x.
//
// Every operator owns its exact adjoint (never an approximate back-projector) and states the
// geometry of its domain (x) and range (y). `check_adjoint` is the contract test that every
// operator in Tweedie passes and that users can run on their own operators; `operator_norm` gives
// ‖A‖₂ for step sizes. Composition and scaling are operators too.
#pragma once

#include "core/image.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace tweedie {

class LinearOperator {
 public:
  virtual ~LinearOperator() = default;

  /// Geometry of x (shape, spacing).
  virtual ImageGeometry domain() const = 0;
  /// Geometry of y.
  virtual ImageGeometry range() const = 0;
  /// y = A x; y already has the range shape.
  virtual void apply(const Image& x, Image& y) const = 0;
  /// x = Aᵀ y; x already has the domain shape.
  virtual void adjoint(const Image& y, Image& x) const = 0;

  /// Solves (AᵀA + ρI) x = b in closed form where the operator's structure allows it (circular
  /// blur: diagonal in Fourier; masks and subsampling: diagonal) and returns true; otherwise
  /// returns false and callers fall back to conjugate gradients.
  virtual bool solve_shifted_normal(const Image& b, double rho, Image& x) const;

  /// A symmetric positive-definite P on the domain with P·AᵀA close to a multiple of the identity
  /// (CT: the image-domain ramp filter), for preconditioned gradient steps; null when the operator
  /// has none (the identity serves). With `damping` δ > 0, P(I + δP)⁻¹ = (P⁻¹ + δI)⁻¹ instead:
  /// where P·AᵀA ≈ m·I, it preconditions AᵀA + ρI for δ = ρ/m.
  virtual std::shared_ptr<const LinearOperator> normal_preconditioner(double damping = 0.0) const;

  /// A x into a new image.
  Image apply(const Image& x) const;
  /// Aᵀ y into a new image.
  Image adjoint(const Image& y) const;
};

/// |⟨Ax, y⟩ − ⟨x, Aᵀy⟩| / (‖Ax‖·‖y‖) for seeded standard-normal x and y: float rounding only
/// (about 1e-6) for an exact adjoint.
double check_adjoint(const LinearOperator& op, std::uint64_t seed = 1);

/// ‖A‖₂, the largest singular value, by power iteration on AᵀA from a seeded random start.
double operator_norm(const LinearOperator& op, int iterations = 30, std::uint64_t seed = 1);

/// The largest eigenvalue of a linear map on images of `domain` whose eigenvalues are real and
/// non-negative (AᵀA, or P·AᵀA for a positive-definite P), by power iteration from seeded
/// standard-normal noise: ‖M x‖ at the normalised iterate x, after `iterations` or once it changes
/// by less than `tolerance` relative to itself.
double largest_eigenvalue(const ImageGeometry& domain, const std::function<Image(const Image&)>& map, int iterations,
                          double tolerance, std::uint64_t seed);

/// outer ∘ inner: x ↦ outer(inner(x)).
std::shared_ptr<LinearOperator> compose(std::shared_ptr<const LinearOperator> outer,
                                        std::shared_ptr<const LinearOperator> inner);

/// [A₁; A₂; …]: x ↦ (A₁x, A₂x, …). The operators share their domain and their ranges' slice size
/// (nx × ny); the range is a volume holding their outputs' slices one after another.
std::shared_ptr<LinearOperator> stack(std::vector<std::shared_ptr<const LinearOperator>> operators);

/// factor · A.
std::shared_ptr<LinearOperator> scale(double factor, std::shared_ptr<const LinearOperator> op);

}  // namespace tweedie
