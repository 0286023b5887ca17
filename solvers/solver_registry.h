// Every solver by its name (pnp-admm pnp-hqs pnp-pgd pnp-fista red langevin dps cgls sirt tv-pdhg),
// with the traits that front ends and pipelines ask about instead of testing names: whether it
// needs a prior, follows a schedule of prior levels, solves a proximal data step, draws samples.
//
//   const SolverTraits& traits = solver_traits("pnp-hqs");   // throws ParameterError for unknown names
//   SolverOutput out = traits.run(data, &prior, start, settings);
#pragma once

#include "solvers/baselines.h"
#include "solvers/pnp.h"
#include "solvers/samplers.h"

#include <optional>
#include <string>
#include <vector>

namespace tweedie {

struct SolverSettings {
  PnpOptions pnp;           ///< pnp-*, red; its `control` serves every solver
  SamplerOptions sampler;   ///< langevin, dps (its control is taken from pnp.control)
  double tv_lambda = 1.0;   ///< tv-pdhg
  bool nonnegative = false; ///< sirt
};

struct SolverOutput {
  SolverResult result;
  std::optional<Image> standard_deviation;  ///< samplers: per pixel, over the samples
};

/// `prior` may be null exactly when the solver does not use one.
using SolverRun = SolverOutput (*)(const DataFidelity& data, Denoiser* prior, const Image& start,
                                   const SolverSettings& settings);

/// Noise levels in words: σ / scale followed by the unit (CT solvers work in mm⁻¹, people read HU).
struct LevelUnits {
  double scale = 1.0;
  std::string unit;
  std::string operator()(double sigma) const;
};

/// The parameters of a run that decided its result, in words.
using SolverDescription = std::string (*)(const SolverSettings& settings, const LevelUnits& levels);

struct SolverTraits {
  std::string name, description;
  bool uses_prior = false;              ///< needs a denoiser
  bool follows_prior_schedule = false;  ///< PnP and RED: prior levels σ_first → σ_last, penalty ρ_k
  bool proximal_data_step = false;      ///< solves (AᵀWA + ρ)x = b by conjugate gradients each iteration
  bool carries_data_step_error = false; ///< an inexact data step's error lives on (ADMM's dual, RED's next denoising)
  bool sampler = false;                 ///< draws posterior samples: their mean and per-pixel spread
  bool has_gradient_form = false;       ///< red: a gradient form besides the fixed-point one
  bool differentiates_prior = false;    ///< uses the denoiser's vector–Jacobian product (DPS)
  int default_iterations = 0;           ///< 0: the problem's prior schedule decides
  SolverDescription describe = nullptr;
  SolverRun run = nullptr;
};

/// Every solver, in the order help texts list them.
const std::vector<SolverTraits>& solver_registry();
/// The traits of `name`, or null.
const SolverTraits* find_solver(const std::string& name);
/// The traits of `name`; throws ParameterError naming the known solvers for another name.
const SolverTraits& solver_traits(const std::string& name);
/// "pnp-admm, pnp-hqs, …" for help texts and messages.
std::string solver_name_list();

/// Runs solver `name`. Throws ParameterError for an unknown name or a missing prior.
SolverOutput run_solver(const std::string& name, const DataFidelity& data, Denoiser* prior, const Image& start,
                        const SolverSettings& settings);

}  // namespace tweedie
