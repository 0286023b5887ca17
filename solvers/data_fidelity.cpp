#include "solvers/data_fidelity.h"

#include "core/error.h"
#include "core/image_ops.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace tweedie {

void require_statistical_weights(const Image& weights, const Shape& measurement) {
  require_same_shape(measurement, weights.shape(), "the statistical weights");
  require_finite(weights, "the statistical weights");
  const std::span<const float> values = weights.values();
  const auto negative = std::find_if(values.begin(), values.end(), [](float w) { return w < 0.0f; });
  if (negative != values.end()) {
    std::ostringstream message;
    message << "the statistical weights hold a negative value (" << *negative << ") at voxel "
            << voxel_position(weights.shape(), negative - values.begin()) << "; weights are counts, at least 0";
    throw ParameterError(message.str());
  }
  if (weights.array().maxCoeff() == 0.0f) {
    throw ParameterError("the statistical weights are 0 everywhere: no ray of the scan carries a measurement");
  }
}

DataFidelity::DataFidelity(std::shared_ptr<const LinearOperator> op, const Image& measurement,
                           std::optional<Image> weights, std::shared_ptr<const NormalCalibration> calibration)
    : op_(std::move(op)), y_(measurement.clone()), weights_(std::move(weights)), calibration_(std::move(calibration)) {
  require_same_shape(op_->range().shape, y_.shape(), "the measurement");
  require_finite(y_, "the measurement");
  if (weights_) require_statistical_weights(*weights_, y_.shape());
  Image weighted = y_.clone();
  if (weights_) weighted.array() *= weights_->array();
  back_projected_ = op_->adjoint(weighted);
}

DataFidelity DataFidelity::with_measurement(const Image& measurement) const {
  DataFidelity other(op_, measurement, weights_ ? std::optional<Image>(weights_->clone()) : std::nullopt, calibration_);
  other.lipschitz_ = lipschitz_;
  return other;
}

double DataFidelity::value(const Image& x) const {
  Image r = op_->apply(x);
  r.array() -= y_.array();
  if (!weights_) return 0.5 * dot(r, r);
  Image wr = r.clone();
  wr.array() *= weights_->array();
  return 0.5 * dot(r, wr);
}

Image DataFidelity::gradient(const Image& x) const {
  Image r = op_->apply(x);
  r.array() -= y_.array();
  if (weights_) r.array() *= weights_->array();
  return op_->adjoint(r);
}

void DataFidelity::normal(const Image& x, Image& out) const {
  Image ax = op_->apply(x);
  if (weights_) ax.array() *= weights_->array();
  op_->adjoint(ax, out);
}

Image DataFidelity::weighted(const Image& r) const {
  Image w = r.clone();
  if (weights_) w.array() *= weights_->array();
  return w;
}

double DataFidelity::lipschitz() const {
  if (lipschitz_ == 0.0) {
    // ‖AᵀWA‖ = ‖W^½A‖²: power iteration on the normal operator.
    lipschitz_ = largest_eigenvalue(
        op_->domain(),
        [this](const Image& x) {
          Image out = x.zeros_like();
          normal(x, out);
          return out;
        },
        30, 0.0, 11);
  }
  return lipschitz_;
}

void DataFidelity::prox(const Image& v, double rho, Image& x, int iterations, double tolerance) const {
  const Image b = shifted_right_hand_side(v, rho);
  if (!weights_ && op_->solve_shifted_normal(b, rho, x)) return;
  conjugate_gradient(shifted_normal(rho), b, x, iterations, tolerance);
}

SymmetricOperator DataFidelity::shifted_normal(double rho) const {
  return [this, r = static_cast<float>(rho)](const Image& in, Image& out) {
    normal(in, out);
    out.array() += r * in.array();
  };
}

Image DataFidelity::shifted_right_hand_side(const Image& v, double rho) const {
  if (!(rho > 0)) throw ParameterError("the proximal penalty must be positive");
  Image b = back_projected_.clone();
  b.array() += static_cast<float>(rho) * v.array();
  return b;
}

}  // namespace tweedie
