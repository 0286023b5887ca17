// The proximal data step of PnP-HQS, PnP-ADMM and RED: argmin_x f(x) + (ρ/2)‖x − v‖², i.e.
// (AᵀWA + ρI) x = AᵀWy + ρv, solved by conjugate gradients preconditioned with P_ρ (Fessler & Booth
// 1999, see preconditioned_gradient.h) where the operator offers a normal preconditioner (CT), else
// as `DataFidelity::prox` solves it. On CT, AᵀA ∝ 1/|ω| spans orders of magnitude and plain CG
// spends its steps on the low frequencies; P_ρ(AᵀWA + ρI) is close to a multiple of the identity,
// so a few steps converge.
#pragma once

#include "solvers/data_fidelity.h"
#include "solvers/preconditioned_gradient.h"

#include <optional>

namespace tweedie {

class ProximalDataStep {
 public:
  explicit ProximalDataStep(const DataFidelity& data);

  /// Improves `x` (warm start, in/out) for at most `iterations` CG steps.
  void operator()(const Image& v, double rho, Image& x, int iterations);

 private:
  const DataFidelity& data_;
  std::optional<PreconditionedGradient> preconditioner_;
  // AᵀWA x for the x the last step returned: CG's first residual without a projection, as long
  // as the solver hands that x back unchanged.
  Image returned_x_, normal_of_returned_x_;
};

}  // namespace tweedie
