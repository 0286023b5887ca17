// What the preconditioner of solvers/preconditioned_gradient.h needs of the operator alone, without
// weights: A1, AᵀA1 (the weight scaling compares AᵀWA1 with it) and the gain λ_max(R AᵀA) of the
// operator's normal preconditioner R. They are the same for every measurement on one operator (the
// slices of a volume, the halves of a view check), so a reconstruction computes them once and its
// data terms share them: a slice then pays one back-projection for its preconditioner instead of
// about ten projection pairs.
#pragma once

#include "operators/linear_operator.h"

namespace tweedie {

class NormalCalibration {
 public:
  /// Computes A1, AᵀA1 and, where `op` has a normal preconditioner R, λ_max(R AᵀA) to 5 % (the
  /// scale conjugate gradients need; a gradient step's bound is found per data term).
  explicit NormalCalibration(const LinearOperator& op);

  const Image& projected_ones() const { return projected_ones_; }
  const Image& normal_of_ones() const { return normal_of_ones_; }
  /// λ_max(R AᵀA); 0 without a preconditioner.
  double preconditioned_gain() const { return preconditioned_gain_; }

 private:
  Image projected_ones_, normal_of_ones_;
  double preconditioned_gain_ = 0.0;
};

}  // namespace tweedie
