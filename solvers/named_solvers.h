// Every solver by its command-line name, so that the programs (tweedie recon, tweedie restore)
// and studies pick one with a string and one settings struct:
// pnp-admm pnp-hqs pnp-pgd pnp-fista red langevin dps cgls sirt tv-pdhg.
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

const std::vector<std::string>& solver_names();
/// Throws ParameterError naming the known solvers when `name` is not one of them.
void require_known_solver(const std::string& name);
/// Whether the solver needs a prior (a denoiser).
bool solver_uses_prior(const std::string& name);

/// Runs solver `name`; `prior` may be null for cgls, sirt and tv-pdhg. Throws ParameterError for
/// an unknown name (listing the known ones) or a missing prior.
SolverOutput run_solver(const std::string& name, const DataFidelity& data, Denoiser* prior, const Image& start,
                        const SolverSettings& settings);

}  // namespace tweedie
