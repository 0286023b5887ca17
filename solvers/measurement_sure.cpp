#include "solvers/measurement_sure.h"

#include "core/error.h"
#include "core/image_ops.h"

#include <cmath>
#include <memory>
#include <optional>

namespace tweedie {
namespace {

// The map G through which a risk sees measurement-domain errors, with what the risk is averaged
// over and the noise's whitening W^½/σ_n (0 on rays without information, which G ignores).
class RiskView {
 public:
  RiskView(const DataFidelity& data, double noise_sigma, RiskDomain domain) : data_(data), domain_(domain) {
    if (!(noise_sigma > 0)) throw ParameterError("SURE needs the noise level σ_n > 0");
    whitening_ = data.measurement().zeros_like();
    if (data.weights()) {
      whitening_.array() = data.weights()->array().sqrt() / static_cast<float>(noise_sigma);
    } else {
      whitening_.array() = static_cast<float>(1.0 / noise_sigma);
    }
    measurements_ = static_cast<double>((whitening_.array() > 0.0f).count());
    if (measurements_ == 0) throw ParameterError("SURE needs at least one measurement with a nonzero weight");
    if (domain == RiskDomain::measurement) return;
    ramp_ = data.op().normal_preconditioner();
    if (!ramp_) throw ParameterError("the image risk needs an operator with an approximate inverse of AᵀA (CT)");
    // The mean gain of R AᵀA over white noise (one probe; N is large): GA then keeps the energy of
    // the image error in the measured band. (Its largest eigenvalue sits at the lowest frequencies.)
    Image z(data.op().domain());
    fill_normal(z, 7);
    gain_ = dot(z, back_projected(data.op().apply(z))) / dot(z, z);
  }

  /// G r.
  Image seen(Image r) const {
    if (domain_ == RiskDomain::measurement) {
      r.array() *= whitening_.array();
      return r;
    }
    Image g = back_projected(std::move(r));
    g.array() /= static_cast<float>(gain_);
    return g;
  }
  /// Σ^½ b on the informative rays, 0 elsewhere.
  Image noise_shaped(Image b) const {
    b.array() = (whitening_.array() > 0.0f).select(b.array() / whitening_.array(), 0.0f);
    return b;
  }
  /// tr(GΣGᵀ) where it is known exactly: m for the whitening.
  std::optional<double> noise_trace() const {
    return domain_ == RiskDomain::measurement ? std::optional<double>(measurements_) : std::nullopt;
  }
  /// m informative measurements, or N pixels.
  double count() const {
    if (domain_ == RiskDomain::measurement) return measurements_;
    return static_cast<double>(data_.op().domain().shape.voxel_count());
  }
  double measurements() const { return measurements_; }

 private:
  // R Aᵀ r over the informative rays.
  Image back_projected(Image r) const {
    r.array() = (whitening_.array() > 0.0f).select(r.array(), 0.0f);
    return ramp_->apply(data_.op().adjoint(r));
  }

  const DataFidelity& data_;
  RiskDomain domain_;
  Image whitening_;
  double measurements_ = 0.0;
  std::shared_ptr<const LinearOperator> ramp_;  ///< R (image domain only)
  double gain_ = 1.0;                           ///< the mean gain of R AᵀA (image domain only)
};

double estimate_risk(const DataFidelity& data, const Reconstruction& reconstruct, const RiskView& view,
                     const SureOptions& options) {
  if (options.probes < 1) throw ParameterError("SURE needs at least one probe");
  const Image& y = data.measurement();
  const Image predicted = data.op().apply(reconstruct(data));
  Image residual = predicted.clone();
  residual.array() -= y.array();
  const Image seen_residual = view.seen(std::move(residual));
  const double epsilon = sure_probe_step(1.0, view.measurements());  // in units of the whitened noise
  double divergence = 0.0, probe_trace = 0.0;
  for (int p = 0; p < options.probes; ++p) {
    Image b = y.zeros_like();
    fill_normal(b, options.seed, static_cast<std::uint32_t>(p));
    const Image step = view.noise_shaped(std::move(b));  // s = Σ^½ b
    Image moved = y.clone();
    moved.array() += static_cast<float>(epsilon) * step.array();
    Image change = data.op().apply(reconstruct(data.with_measurement(moved)));
    change.array() -= predicted.array();
    const Image seen_step = view.seen(step.clone());
    divergence += dot(seen_step, view.seen(std::move(change))) / epsilon;
    probe_trace += dot(seen_step, seen_step);
  }
  const double trace = view.noise_trace().value_or(probe_trace / options.probes);
  return (dot(seen_residual, seen_residual) - trace + 2.0 * divergence / options.probes) / view.count();
}

}  // namespace

RiskDomain natural_risk_domain(const LinearOperator& op) {
  return op.normal_preconditioner() ? RiskDomain::image : RiskDomain::measurement;
}

double risk_sure(const DataFidelity& data, double noise_sigma, const Reconstruction& reconstruct, RiskDomain domain,
                 const SureOptions& options) {
  return estimate_risk(data, reconstruct, RiskView(data, noise_sigma, domain), options);
}

double true_risk(const DataFidelity& data, double noise_sigma, const Image& estimate, const Image& truth,
                 RiskDomain domain) {
  require_same_shape(estimate.shape(), truth.shape(), "the ground truth");
  const RiskView view(data, noise_sigma, domain);
  Image error = estimate.clone();
  error.array() -= truth.array();
  const Image seen = view.seen(data.op().apply(error));
  return dot(seen, seen) / view.count();
}

SigmaChoice choose_prior_sigma_by_sure(const DataFidelity& data, double noise_sigma,
                                       const std::function<Image(const DataFidelity& data, double sigma)>& reconstruct,
                                       double low, double high, const SureOptions& options) {
  const RiskView view(data, noise_sigma, natural_risk_domain(data.op()));
  return minimise_by_parabola(
      [&](double sigma) {
        return estimate_risk(data, [&](const DataFidelity& d) { return reconstruct(d, sigma); }, view, options);
      },
      low, high);
}

}  // namespace tweedie
