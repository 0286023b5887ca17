#include "solvers/baselines.h"

#include "core/error.h"
#include "core/image_ops.h"
#include "operators/finite_difference.h"

#include <cmath>

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
  const double k_norm = std::sqrt(data.operator_norm_squared() + 8.0);  // ‖∇‖² ≤ 8
  const auto tau = static_cast<float>(0.99 / k_norm), sigma = tau;
  const auto l = static_cast<float>(lambda);
  IterationLog log(control);
  Image x = start.clone(), previous = start.clone(), extrapolated = start.clone();
  Image p(a.range()), q(d.range());
  const Image& y = data.measurement();
  while (true) {
    // Dual steps. Data: the prox of σF* for F(z) = ½‖z − y‖²_W maps v = p + σAx̄ to
    // W(v − σy) / (W + σ).
    Image shifted = a.apply(extrapolated);
    shifted.array() = p.array() + sigma * (shifted.array() - y.array());
    if (data.weights()) {
      p.array() = data.weights()->array() * shifted.array() / (data.weights()->array() + sigma);
    } else {
      p.array() = shifted.array() / (1.0f + sigma);
    }
    // TV: projection of q + σ∇x̄ onto |q_k| ≤ λ.
    Image g = d.apply(extrapolated);
    q.array() += sigma * g.array();
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
    x.array() -= tau * (a.adjoint(p).array() + d.adjoint(q).array());
    extrapolated.array() = 2.0f * x.array() - previous.array();
    if (log.record(x, previous, data.value(x) + lambda * total_variation(x), tau)) break;
  }
  return log.finish(std::move(x));
}

}  // namespace tweedie
