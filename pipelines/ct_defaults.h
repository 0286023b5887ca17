// The CT reconstruction defaults: the schedule of prior levels, the conjugate-gradient steps per
// data step and the TV weight, chosen from the geometry (dense or sparse views) and the dose
// (the statistical weights). docs/ct.md records the measurements behind each number.
#pragma once

#include "core/image.h"
#include "operators/ct_geometry.h"
#include "pipelines/solver_choice.h"
#include "solvers/solver_registry.h"

namespace tweedie {

/// Sparse view: fewer views than half the image width, angular sampling well below the π/2·N
/// views a parallel scan of N pixels needs.
bool is_sparse_view(const CtGeometry& geometry);

/// The defaults of `solver` for a scan on `geometry` with these statistical weights, or, without
/// them (null), with white noise of `noise_sigma` line-integral units. Levels are in mm⁻¹.
SolverSettings ct_defaults(const SolverTraits& solver, const CtGeometry& geometry, const Image* weights,
                           double noise_sigma = 0.05);

/// Of the prior schedule's iterations, how many come first on the grid of half the resolution
/// (operators/ct_half_resolution.h): as chosen, else the default. Throws ParameterError when that
/// leaves no iteration on the full grid or the geometry has no half.
int half_resolution_iterations(const SolverChoice& choice, const SolverTraits& solver, const CtGeometry& geometry);

}  // namespace tweedie
