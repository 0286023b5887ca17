#include "solvers/normal_calibration.h"

namespace tweedie {

NormalCalibration::NormalCalibration(const LinearOperator& op) {
  Image ones(op.domain());
  ones.array() = 1.0f;
  projected_ones_ = op.apply(ones);
  normal_of_ones_ = op.adjoint(projected_ones_);
  if (const std::shared_ptr<const LinearOperator> ramp = op.normal_preconditioner()) {
    preconditioned_gain_ = largest_eigenvalue(
        op.domain(), [&](const Image& x) { return ramp->apply(op.adjoint(op.apply(x))); }, 30, 0.05, 11);
  }
}

}  // namespace tweedie
