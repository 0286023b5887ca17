#include "solvers/conjugate_gradient.h"

#include "core/image_ops.h"

namespace tweedie {

int conjugate_gradient(const SymmetricOperator& m, const Image& b, Image& x, int iterations, double tolerance,
                       const SymmetricOperator& preconditioner, Image* mx) {
  Image r = b.clone(), mp = b.zeros_like();
  if (mx && !mx->empty()) r.array() -= mx->array();
  else {
    m(x, mp);
    r.array() -= mp.array();
  }
  Image z = preconditioner ? r.zeros_like() : Image();
  const auto precondition = [&]() -> const Image& {  // z = P r
    if (!preconditioner) return r;
    preconditioner(r, z);
    return z;
  };
  Image p = precondition().clone();
  double rr = dot(r, r);
  double rz = preconditioner ? dot(r, p) : rr;
  const double target = tolerance * tolerance * dot(b, b);
  int k = 0;
  while (k < iterations && rr > target) {
    m(p, mp);
    const double curvature = dot(p, mp);
    if (!(curvature > 0) || !(rz > 0)) break;  // not positive definite along p (or p = 0): stop safely
    const auto alpha = static_cast<float>(rz / curvature);
    x.array() += alpha * p.array();
    r.array() -= alpha * mp.array();
    rr = dot(r, r);
    const Image& pr = precondition();
    const double rz_next = preconditioner ? dot(r, pr) : rr;
    p.array() = pr.array() + static_cast<float>(rz_next / rz) * p.array();
    rz = rz_next;
    ++k;
  }
  if (mx) {
    *mx = b.clone();
    mx->array() -= r.array();
  }
  return k;
}

}  // namespace tweedie
