#include "solvers/pnp.h"

#include "core/error.h"
#include "core/image_ops.h"
#include "solvers/preconditioned_gradient.h"
#include "solvers/proximal_data_step.h"

#include <cmath>

namespace tweedie {

void PnpOptions::validate() const {
  control.validate();
  if (!(sigma_first > 0) || !(sigma_last > 0)) throw ParameterError("prior noise levels must be positive");
  if (!(noise_sigma > 0)) throw ParameterError("the measurement noise level must be positive");
  if (!(penalty_scale > 0) || !(red_weight > 0)) throw ParameterError("penalty scale and RED weight must be positive");
  if (cg_iterations < 1) throw ParameterError("the proximal step needs at least one CG iteration");
}

double PnpOptions::sigma_at(int k) const { return geometric_level(sigma_first, sigma_last, k, control.iterations); }

double PnpOptions::penalty_at(int k) const {
  const double s = sigma_at(k);
  return penalty_scale * noise_sigma * noise_sigma / (s * s);
}

PnpOptions dpir_options(double noise_sigma, double data_range, bool super_resolution) {
  PnpOptions o;
  o.control.iterations = super_resolution ? 24 : 8;
  o.sigma_first = 49.0 / 255.0 * data_range;
  o.sigma_last = std::max(noise_sigma, 0.01 * data_range / 255.0);
  o.noise_sigma = noise_sigma;
  o.penalty_scale = 0.23;
  return o;
}

SolverResult pnp_hqs(const DataFidelity& data, Denoiser& prior, const Image& start, const PnpOptions& options) {
  options.validate();
  IterationLog log(options.control);
  ProximalDataStep prox(data);
  Image z = start.clone(), x = start.clone(), previous = start.clone();
  for (int k = 0;; ++k) {
    previous.array() = z.array();
    prox(z, options.penalty_at(k), x, options.cg_iterations);
    z = prior.denoise(x, options.sigma_at(k));
    if (log.record(z, previous, data.value(z), options.sigma_at(k))) break;
  }
  return log.finish(std::move(z));
}

SolverResult pnp_admm(const DataFidelity& data, Denoiser& prior, const Image& start, const PnpOptions& options) {
  options.validate();
  IterationLog log(options.control);
  ProximalDataStep prox(data);
  Image x = start.clone(), z = start.clone(), u = start.zeros_like(), previous = start.clone();
  for (int k = 0;; ++k) {
    previous.array() = z.array();
    Image v = z.clone();
    v.array() -= u.array();
    prox(v, options.penalty_at(k), x, options.cg_iterations);
    v.array() = x.array() + u.array();
    z = prior.denoise(v, options.sigma_at(k));
    u.array() += x.array() - z.array();
    if (log.record(z, previous, data.value(z), options.sigma_at(k))) break;
  }
  return log.finish(std::move(z));
}

SolverResult pnp_pgd(const DataFidelity& data, Denoiser& prior, const Image& start, const PnpOptions& options,
                     bool accelerated) {
  options.validate();
  IterationLog log(options.control);
  const PreconditionedGradient gradient(data);
  Image x = start.clone(), previous = start.clone(), momentum_point = start.clone();
  double t = 1.0;
  for (int k = 0;; ++k) {
    previous.array() = x.array();
    Image v = momentum_point.clone();
    v.array() -= gradient.step(momentum_point).array();
    x = prior.denoise(v, options.sigma_at(k));
    const double t_next = accelerated ? 0.5 * (1.0 + std::sqrt(1.0 + 4.0 * t * t)) : 1.0;
    momentum_point.array() = x.array() + static_cast<float>(accelerated ? (t - 1.0) / t_next : 0.0) * (x.array() - previous.array());
    t = t_next;
    if (log.record(x, previous, data.value(x), options.sigma_at(k))) break;
  }
  return log.finish(std::move(x));
}

namespace {

SolverResult red_fixed_point(const DataFidelity& data, Denoiser& prior, const Image& start, const PnpOptions& options) {
  IterationLog log(options.control);
  ProximalDataStep prox(data);
  Image x = start.clone(), previous = start.clone();
  for (int k = 0;; ++k) {
    previous.array() = x.array();
    const Image denoised = prior.denoise(x, options.sigma_at(k));
    prox(denoised, options.red_weight * options.penalty_at(k), x, options.cg_iterations);
    if (log.record(x, previous, data.value(x), options.sigma_at(k))) break;
  }
  return log.finish(std::move(x));
}

SolverResult red_gradient(const DataFidelity& data, Denoiser& prior, const Image& start, const PnpOptions& options) {
  IterationLog log(options.control);
  const PreconditionedGradient preconditioner(data);
  Image x = start.clone(), previous = start.clone(), curvature = start.zeros_like();
  for (int k = 0;; ++k) {
    previous.array() = x.array();
    const double lambda = options.red_weight * options.penalty_at(k);
    const Image denoised = prior.denoise(x, options.sigma_at(k));
    Image g = data.gradient(x);  // RED's gradient, ∇f(x) + λ(x − D(x, σ_k))
    g.array() += static_cast<float>(lambda) * (x.array() - denoised.array());
    const Image d = preconditioner.precondition(g, lambda);  // P_λ g
    data.normal(d, curvature);
    const double step = dot(g, d) / (dot(d, curvature) + lambda * dot(d, d));
    x.array() -= static_cast<float>(step) * d.array();
    if (log.record(x, previous, data.value(x), options.sigma_at(k))) break;
  }
  return log.finish(std::move(x));
}

}  // namespace

SolverResult red(const DataFidelity& data, Denoiser& prior, const Image& start, const PnpOptions& options) {
  options.validate();
  return options.red_form == RedForm::gradient ? red_gradient(data, prior, start, options)
                                               : red_fixed_point(data, prior, start, options);
}

}  // namespace tweedie
