#include "solvers/proximal_data_step.h"

namespace tweedie {

ProximalDataStep::ProximalDataStep(const DataFidelity& data) : data_(data) {
  if (data.op().normal_preconditioner()) preconditioner_.emplace(data, GainEstimate::scale);
}

void ProximalDataStep::operator()(const Image& v, double rho, Image& x, int iterations) {
  if (!preconditioner_) return data_.prox(v, rho, x, iterations);
  const auto r = static_cast<float>(rho);
  Image shifted_normal_x;  // (AᵀWA + ρI) x, if known
  if (x.shape() == returned_x_.shape() && (x.array() == returned_x_.array()).all()) {
    shifted_normal_x = normal_of_returned_x_.clone();
    shifted_normal_x.array() += r * x.array();
  }
  // A fixed number of steps (no tolerance): the result stays one smooth function of the data,
  // which SURE's finite-difference divergence needs.
  conjugate_gradient(data_.shifted_normal(rho), data_.shifted_right_hand_side(v, rho), x, iterations, 0.0,
                     preconditioner_->shifted_inverse(rho), &shifted_normal_x);
  normal_of_returned_x_ = std::move(shifted_normal_x);
  normal_of_returned_x_.array() -= r * x.array();
  returned_x_ = x.clone();
}

}  // namespace tweedie
