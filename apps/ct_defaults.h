// The CT reconstruction defaults of `tweedie recon`: the PnP/RED schedule, the conjugate-gradient
// steps per data step, and the TV weight, by geometry (dense or sparse view) and dose.
#pragma once

#include "core/image.h"
#include "operators/ct_geometry.h"
#include "operators/hounsfield.h"
#include "solvers/named_solvers.h"

#include <optional>
#include <string>

namespace tweedie::app {

/// HU ↔ mm⁻¹ for noise levels (a difference of HU is μ_water/1000 mm⁻¹).
inline constexpr double kAttenuationPerHu = kWaterAttenuationPerMm / 1000.0;

/// Sparse view: fewer views than half the image width, angular sampling well below the π/2·N
/// views a parallel scan of N pixels needs.
bool is_sparse_view(const CtGeometry& geometry);

/// The defaults of `solver` for a scan on `geometry` with these statistical weights (none:
/// unweighted).
SolverSettings ct_defaults(const std::string& solver, const std::optional<Image>& weights, const CtGeometry& geometry);

}  // namespace tweedie::app
