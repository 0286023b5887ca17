#include "solvers/conjugate_gradient.h"

#include "core/image_ops.h"

namespace tweedie {

int conjugate_gradient(const SymmetricOperator& m, const Image& b, Image& x, int iterations, double tolerance) {
  Image r = b.clone(), mp = b.zeros_like();
  m(x, mp);
  r.array() -= mp.array();
  Image p = r.clone();
  double rr = dot(r, r);
  const double target = tolerance * tolerance * dot(b, b);
  int k = 0;
  while (k < iterations && rr > target) {
    m(p, mp);
    const double curvature = dot(p, mp);
    if (!(curvature > 0)) break;  // M is not positive definite along p (or p = 0): stop safely
    const auto alpha = static_cast<float>(rr / curvature);
    x.array() += alpha * p.array();
    r.array() -= alpha * mp.array();
    const double rr_next = dot(r, r);
    p.array() = r.array() + static_cast<float>(rr_next / rr) * p.array();
    rr = rr_next;
    ++k;
  }
  return k;
}

}  // namespace tweedie
