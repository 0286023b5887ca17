#include "solvers/measurement_sure.h"

#include "core/error.h"
#include "core/image_ops.h"

#include <cmath>

namespace tweedie {
namespace {

constexpr int kGridLevels = 5, kGoldenEvaluations = 6;

// W^½/σ_n per measurement: the whitening that gives the noise unit variance.
Image whitening(const DataFidelity& data, double noise_sigma) {
  if (!(noise_sigma > 0)) throw ParameterError("SURE needs the noise level σ_n > 0");
  Image scale = data.measurement().zeros_like();
  if (data.weights()) {
    scale.array() = data.weights()->array().sqrt() / static_cast<float>(noise_sigma);
  } else {
    scale.array() = static_cast<float>(1.0 / noise_sigma);
  }
  return scale;
}

double informative_count(const Image& scale) { return static_cast<double>((scale.array() > 0.0f).count()); }

// W^½(A x − y)/σ_n, or W^½ A x/σ_n without a measurement.
Image whitened_prediction(const DataFidelity& data, const Image& scale, const Image& x, const Image* minus) {
  Image r = data.op().apply(x);
  if (minus) r.array() -= minus->array();
  r.array() *= scale.array();
  return r;
}

}  // namespace

double predicted_risk_sure(const DataFidelity& data, double noise_sigma, const Reconstruction& reconstruct,
                           const SureOptions& options) {
  if (options.probes < 1) throw ParameterError("SURE needs at least one probe");
  const Image scale = whitening(data, noise_sigma);
  const double m = informative_count(scale);
  if (m == 0) throw ParameterError("SURE needs at least one measurement with a nonzero weight");
  const Image& y = data.measurement();
  const Image estimate = reconstruct(data);
  const Image residual = whitened_prediction(data, scale, estimate, &y);
  const Image prediction = whitened_prediction(data, scale, estimate, nullptr);
  const double epsilon = sure_probe_step(1.0, m);
  double divergence = 0.0;
  for (int p = 0; p < options.probes; ++p) {
    Image probe = y.zeros_like();
    fill_normal(probe, options.seed, static_cast<std::uint32_t>(p));
    probe.array() = (scale.array() > 0.0f).select(probe.array(), 0.0f);
    Image moved = y.clone();  // ỹ + εb, back in measurement units
    moved.array() += (scale.array() > 0.0f).select(static_cast<float>(epsilon) * probe.array() / scale.array(), 0.0f);
    Image change = whitened_prediction(data, scale, reconstruct(data.with_measurement(moved)), nullptr);
    change.array() -= prediction.array();
    divergence += dot(probe, change) / epsilon;
  }
  divergence /= options.probes;
  return (dot(residual, residual) - m + 2.0 * divergence) / m;
}

double predicted_risk(const DataFidelity& data, double noise_sigma, const Image& estimate, const Image& truth) {
  require_same_shape(estimate.shape(), truth.shape(), "the ground truth");
  const Image scale = whitening(data, noise_sigma);
  Image error = estimate.clone();
  error.array() -= truth.array();
  const Image r = whitened_prediction(data, scale, error, nullptr);
  return dot(r, r) / informative_count(scale);
}

SigmaChoice choose_prior_sigma_by_sure(const DataFidelity& data, double noise_sigma,
                                       const std::function<Image(const DataFidelity& data, double sigma)>& reconstruct,
                                       double low, double high, const SureOptions& options) {
  return minimise_over_log_range(
      [&](double sigma) {
        return predicted_risk_sure(data, noise_sigma, [&](const DataFidelity& d) { return reconstruct(d, sigma); }, options);
      },
      low, high, kGridLevels, kGoldenEvaluations);
}

}  // namespace tweedie
