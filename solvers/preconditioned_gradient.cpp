#include "solvers/preconditioned_gradient.h"

namespace tweedie {

PreconditionedGradient::PreconditionedGradient(const DataFidelity& data, GainEstimate estimate)
    : data_(data), ramp_(data.op().normal_preconditioner()) {
  const LinearOperator& a = data.op();
  const NormalCalibration* calibration = data.calibration();
  if (data.weights()) {
    Image projected, unweighted;
    if (calibration) {
      projected = calibration->projected_ones().clone();
      unweighted = calibration->normal_of_ones().clone();
    } else {
      Image ones(a.domain());
      ones.array() = 1.0f;
      projected = a.apply(ones);
      unweighted = a.adjoint(projected);
    }
    const Image weighted = a.adjoint(data.weighted(projected));
    scale_ = unweighted.zeros_like();
    scale_->array() = (weighted.array() > 0.0f).select((unweighted.array() / weighted.array()).sqrt(), 0.0f);
    mean_square_scale_ = scale_->array().square().cast<double>().mean();
  }
  if (!ramp_ && !scale_) {
    step_size_ = 1.0 / data.lipschitz();
    return;
  }
  if (estimate == GainEstimate::scale && ramp_ && calibration) {
    step_size_ = 1.0 / calibration->preconditioned_gain();
    return;
  }
  const auto preconditioned_normal = [&](const Image& v) {
    Image normal_v = v.zeros_like();
    data.normal(v, normal_v);
    return precondition(normal_v);
  };
  // λ_max(P AᵀWA) (the preconditioned spectrum is flat, so a few iterations do; at 1 % the step
  // stays below 2/λ_max, the bound for a convergent gradient step, with a large margin).
  step_size_ = 1.0 / largest_eigenvalue(a.domain(), preconditioned_normal, 30, estimate == GainEstimate::bound ? 0.01 : 0.05, 11);
}

Image PreconditionedGradient::precondition(const Image& v, double shift) const {
  Image out = v.zeros_like();
  shifted_inverse(shift)(v, out);
  return out;
}

SymmetricOperator PreconditionedGradient::shifted_inverse(double shift) const {
  std::shared_ptr<const LinearOperator> ramp =
      ramp_ && shift > 0.0 ? data_.op().normal_preconditioner(step_size_ * shift * mean_square_scale_) : ramp_;
  return [this, ramp = std::move(ramp)](const Image& v, Image& out) {
    out.array() = v.array();
    if (scale_) out.array() *= scale_->array();
    if (ramp) out = ramp->apply(out);
    if (scale_) out.array() *= scale_->array();
  };
}

Image PreconditionedGradient::step(const Image& x) const {
  Image direction = precondition(data_.gradient(x));
  direction.array() *= static_cast<float>(step_size_);
  return direction;
}

}  // namespace tweedie
