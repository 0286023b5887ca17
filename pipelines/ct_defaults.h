// The CT reconstruction defaults: the schedule of prior levels, the conjugate-gradient steps per
// data step and the TV weight, chosen from the geometry (dense or sparse views) and the dose
// (the statistical weights). docs/ct.md records the measurements behind each number.
#pragma once

#include "core/image.h"
#include "operators/ct_geometry.h"
#include "solvers/solver_registry.h"

namespace tweedie {

/// Sparse view: fewer views than half the image width, angular sampling well below the π/2·N
/// views a parallel scan of N pixels needs.
bool is_sparse_view(const CtGeometry& geometry);

/// The defaults of `solver` for a scan on `geometry` with these statistical weights (null:
/// unweighted, σ_n = 0.05 line-integral units). Levels are in mm⁻¹.
SolverSettings ct_defaults(const SolverTraits& solver, const Image* weights, const CtGeometry& geometry);

}  // namespace tweedie
