// Classical reconstructions for any operator, the baselines of the learned priors:
// CGLS (least squares), SIRT, and total variation by PDHG.
#pragma once

#include "solvers/data_fidelity.h"
#include "solvers/iteration.h"

namespace tweedie {

/// Conjugate gradients on the normal equations (Björck's CGLS) for min ½‖Ax − y‖²_W from `start`.
/// History objective: ½‖Ax − y‖²_W.
SolverResult cgls(const DataFidelity& data, const Image& start, const IterationControl& control);

/// SIRT: x ← x + C Aᵀ R (y − Ax), R and C the inverse row and column sums of A (Gregor &
/// Benson 2008); optionally x ≥ 0 after each step. History objective: ½‖Ax − y‖².
SolverResult sirt(const DataFidelity& data, const Image& start, const IterationControl& control,
                  bool nonnegative = false);

/// min ½‖Ax − y‖²_W + λ·TV(x) (isotropic) by the primal–dual hybrid gradient method (Chambolle &
/// Pock 2011) on K = [W^½A; μ∇] (μ balancing the two blocks' norms) with τ = σ = 0.99 / ‖K‖.
/// History objective: the primal objective.
SolverResult tv_pdhg(const DataFidelity& data, double lambda, const Image& start, const IterationControl& control);

}  // namespace tweedie
