// The data term of every solver: f(x) = ½‖Ax − y‖²_W, with W = identity or diagonal statistical
// weights (CT: weights ∝ counts, from `tweedie simulate --weights`).
#pragma once

#include "operators/linear_operator.h"
#include "solvers/conjugate_gradient.h"
#include "solvers/normal_calibration.h"

#include <memory>
#include <optional>

namespace tweedie {

/// Statistical weights fit for a data term: the measurement's shape, finite, none negative and not
/// all zero (a ray of weight 0 is ignored; a scan whose every ray is has nothing to fit). Throws
/// ShapeError or ParameterError naming the first bad value.
void require_statistical_weights(const Image& weights, const Shape& measurement);

class DataFidelity {
 public:
  /// `calibration`: the operator's, shared with other data terms on it (none: computed where needed).
  DataFidelity(std::shared_ptr<const LinearOperator> op, const Image& measurement,
               std::optional<Image> weights = std::nullopt,
               std::shared_ptr<const NormalCalibration> calibration = nullptr);

  /// The same operator and weights with another measurement (the Lipschitz constant and the
  /// calibration carried over).
  DataFidelity with_measurement(const Image& measurement) const;

  const LinearOperator& op() const { return *op_; }
  /// The operator's calibration, if one was given.
  const NormalCalibration* calibration() const { return calibration_.get(); }
  const Image& measurement() const { return y_; }
  /// The diagonal weights W, if any.
  const std::optional<Image>& weights() const { return weights_; }
  /// W r (r itself without weights).
  Image weighted(const Image& r) const;
  double value(const Image& x) const;
  /// Aᵀ W (A x − y).
  Image gradient(const Image& x) const;
  /// Aᵀ W y.
  const Image& back_projected_measurement() const { return back_projected_; }
  /// The normal operator x ↦ Aᵀ W A x.
  void normal(const Image& x, Image& out) const;
  /// ‖AᵀWA‖₂ (the gradient's Lipschitz constant), by power iteration, computed once.
  double lipschitz() const;
  /// The proximal step argmin_x f(x) + (ρ/2)‖x − v‖², i.e. (AᵀWA + ρI) x = AᵀWy + ρv: in
  /// closed form where the operator has one (circular blur, masks, subsampling; no weights), else
  /// by conjugate gradients warm-started from `x` (in/out).
  void prox(const Image& v, double rho, Image& x, int iterations = 20, double tolerance = 1e-6) const;
  /// The proximal step's system: x ↦ (AᵀWA + ρI) x, and its right-hand side AᵀWy + ρv.
  SymmetricOperator shifted_normal(double rho) const;
  Image shifted_right_hand_side(const Image& v, double rho) const;

 private:
  std::shared_ptr<const LinearOperator> op_;
  Image y_;
  std::optional<Image> weights_;
  std::shared_ptr<const NormalCalibration> calibration_;
  Image back_projected_;
  mutable double lipschitz_ = 0.0;
};

}  // namespace tweedie
