#include "solvers/baselines.h"

#include "core/error.h"
#include "core/image_ops.h"
#include "operators/finite_difference.h"

#include <cmath>
#include <utility>

namespace tweedie {
namespace {

// Elementwise 1/v where v > 0, else 0.
void invert_positive(Image& v) {
  v.array() = (v.array() > 0.0f).select(1.0f / v.array(), 0.0f);
}

}  // namespace

SolverResult cgls(const DataFidelity& data, const Image& start, const IterationControl& control) {
  const LinearOperator& a = data.op();
  IterationLog log(control);
  Image x = start.clone(), previous = start.clone();
  Image r = data.measurement().clone();  // y − Ax
  r.array() -= a.apply(x).array();
  Image s = a.adjoint(data.weighted(r)), p = s.clone();
  double gamma = dot(s, s);
  while (true) {
    previous.array() = x.array();
    const Image q = a.apply(p);
    const double curvature = dot(q, data.weighted(q));
    const auto alpha = curvature > 0 ? static_cast<float>(gamma / curvature) : 0.0f;
    x.array() += alpha * p.array();
    r.array() -= alpha * q.array();
    s = a.adjoint(data.weighted(r));
    const double gamma_next = dot(s, s);
    p.array() = s.array() + static_cast<float>(gamma > 0 ? gamma_next / gamma : 0.0) * p.array();
    gamma = gamma_next;
    if (log.record(x, previous, 0.5 * dot(r, data.weighted(r)), alpha)) break;
  }
  return log.finish(std::move(x));
}

SolverResult sirt(const DataFidelity& data, const Image& start, const IterationControl& control, bool nonnegative) {
  const LinearOperator& a = data.op();
  Image ones_domain(a.domain()), ones_range(a.range());
  ones_domain.array() = 1.0f;
  ones_range.array() = 1.0f;
  Image row_weights = a.apply(ones_domain), column_weights = a.adjoint(ones_range);
  invert_positive(row_weights);
  invert_positive(column_weights);
  IterationLog log(control);
  Image x = start.clone(), previous = start.clone();
  while (true) {
    previous.array() = x.array();
    Image r = data.measurement().clone();
    r.array() -= a.apply(x).array();
    const double objective = 0.5 * dot(r, r);
    r.array() *= row_weights.array();
    x.array() += column_weights.array() * a.adjoint(r).array();
    if (nonnegative) x.array() = x.array().max(0.0f);
    if (log.record(x, previous, objective, 1.0)) break;
  }
  return log.finish(std::move(x));
}

SolverResult tv_pdhg(const DataFidelity& data, double lambda, const Image& start, const IterationControl& control) {
  if (!(lambda >= 0)) throw ParameterError("the TV weight λ must be non-negative");
  const LinearOperator& a = data.op();
  const FiniteDifference d(a.domain());
  // The weights go into the operator, K = [W^½A; ∇] and F(z) = ½‖z − W^½y‖², so that the dual
  // variable lives on the scale of the residual whatever the weights' scale.
  Image root_weights(a.range());
  root_weights.array() = 1.0f;
  if (data.weights()) root_weights.array() = data.weights()->array().sqrt();
  Image y = data.measurement().clone();
  y.array() *= root_weights.array();
  // The gradient block is scaled by μ to the data block's norm (‖W^½A‖² = ‖AᵀWA‖, ‖∇‖² ≤ 8), and
  // λ·TV(x) = (λ/μ)·‖μ∇x‖: with blocks of equal norm, one step size suits both.
  const double data_norm_squared = data.lipschitz();
  const auto mu = static_cast<float>(std::sqrt(data_norm_squared / 8.0));
  const auto tau = static_cast<float>(0.99 / std::sqrt(2.0 * data_norm_squared)), sigma = tau;
  const auto l = static_cast<float>(lambda) / mu;
  IterationLog log(control);
  Image x = start.clone(), previous = start.clone(), extrapolated = start.clone();
  Image p(a.range()), q(d.range());
  // A is linear, so A x̄ = 2·Ax − Ax_prev: one projection of the new x per iteration serves the
  // next dual step and the objective.
  Image projected = a.apply(x), projected_previous = projected.clone();
  while (true) {
    // Dual steps. Data: the prox of σF* maps v = p + σKx̄ to (v − σ·W^½y) / (1 + σ).
    p.array() += sigma * (root_weights.array() * (2.0f * projected.array() - projected_previous.array()) - y.array());
    p.array() /= 1.0f + sigma;
    // TV: projection of q + σμ∇x̄ onto |q_k| ≤ λ/μ.
    Image g = d.apply(extrapolated);
    q.array() += sigma * mu * g.array();
    for (std::int64_t z = 0; z < a.domain().shape.nz; ++z) {
      float* qx = q.row_data(0, 2 * z);
      float* qy = q.row_data(0, 2 * z + 1);
      for (std::int64_t k = 0; k < a.domain().shape.slice_voxel_count(); ++k) {
        const float shrink = std::min(1.0f, l / std::max(std::hypot(qx[k], qy[k]), 1e-30f));
        qx[k] *= shrink, qy[k] *= shrink;
      }
    }
    // Primal step and extrapolation.
    previous.array() = x.array();
    Image back = p.clone();
    back.array() *= root_weights.array();
    x.array() -= tau * (a.adjoint(back).array() + mu * d.adjoint(q).array());
    extrapolated.array() = 2.0f * x.array() - previous.array();
    std::swap(projected_previous, projected);
    projected = a.apply(x);
    const double misfit = 0.5 * (root_weights.array() * projected.array() - y.array()).cast<double>().square().sum();
    if (log.record(x, previous, misfit + lambda * total_variation(x), tau)) break;
  }
  return log.finish(std::move(x));
}

}  // namespace tweedie
