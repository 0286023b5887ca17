// What a user asks of a solver run: the solver, its prior and the parameters they set; everything
// left unset takes the problem's default (pipelines/ct_reconstruction.h, pipelines/restoration.h).
// Front ends fill one of these from their options and never apply defaults themselves.
#pragma once

#include "solvers/solver_registry.h"

#include <cstdint>
#include <optional>
#include <string>

namespace tweedie {

struct SolverChoice {
  std::string solver = "pnp-hqs";  ///< a name of solvers/solver_registry.h
  std::string prior;               ///< pipelines/prior_spec.h; empty: the problem's default prior
  std::optional<int> iterations;   ///< else the solver's or the problem's default
  std::optional<int> cg_iterations;          ///< CG steps per proximal data step
  /// CT: of the prior schedule's iterations, the first ones solved on a grid of half the
  /// resolution (0: none; pipelines/ct_reconstruction.h)
  std::optional<int> half_resolution_iterations;
  std::optional<double> noise_sigma;         ///< σ_n of the measurement
  std::optional<double> sigma_first, sigma_last;  ///< prior levels, in the problem's display units
  std::optional<double> tv_lambda;
  std::optional<double> penalty_scale;       ///< ρ_k = penalty_scale·σ_n²/σ_k²
  RedForm red_form = RedForm::fixed_point;
  std::optional<bool> ensemble;              ///< else the problem's default for PnP and RED
  int samples = 8;
  std::optional<int> steps_per_level;
  std::optional<double> step_scale;
  std::uint64_t seed = 1;
  bool sure_prior_level = false;  ///< σ_last chosen by SURE (pipelines/prior_level_choice.h)

  /// Throws ParameterError naming the bad field (unknown solver, non-positive values, a gradient
  /// form for a solver without one, a SURE choice for a solver without a prior schedule or
  /// together with sigma_last).
  void validate() const;
  bool operator==(const SolverChoice&) const = default;
};

/// Whether the prior is averaged over the 8 flips and rotations: as asked, else `problem_default`
/// for the solvers that follow a prior schedule (the samplers call the prior too often to pay 8×).
bool use_ensemble(const SolverChoice& choice, bool problem_default);

/// The problem's `defaults` with the choice's parameters applied; noise levels of the choice are
/// multiplied by `level_scale` (HU → mm⁻¹ for CT). `reference`, if any, goes into the history.
SolverSettings resolve_settings(const SolverChoice& choice, const SolverSettings& defaults, const Image* reference,
                                double level_scale = 1.0);

}  // namespace tweedie
