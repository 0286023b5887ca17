// The last prior level σ_last of a PnP or RED schedule chosen by SURE of the whole reconstruction
// (solvers/measurement_sure.h: the image-domain risk on CT, the predicted risk otherwise), without
// a reference: levels from ¼ to 4 times the default are tried.
#pragma once

#include "priors/sure.h"
#include "solvers/measurement_sure.h"
#include "solvers/solver_registry.h"

#include <functional>
#include <optional>
#include <string>

namespace tweedie {

/// How a reconstruction starts from a measurement (FBP, the measured image, …).
using StartOf = std::function<Image(const Image& measurement)>;

struct PriorLevelChoice {
  SigmaChoice choice;      ///< the level chosen (in the solver's units) and the risk curve
  RiskDomain domain;       ///< which risk was minimised
  int reconstructions = 0; ///< solver runs it took
  double seconds = 0.0;
};

/// A reconstruction from a data term with a schedule's settings: the run whose level is chosen.
using ScheduleRun = std::function<Image(const DataFidelity& data, const SolverSettings& settings)>;

/// `solver` (one that follows a prior schedule) run from `start_of` its measurement.
ScheduleRun plain_schedule_run(const std::string& solver, Denoiser* prior, StartOf start_of);

/// Searches settings.pnp.sigma_last over ¼ to 4 times its value for `run` and returns the level
/// with the least estimated risk. `settings` is not changed.
PriorLevelChoice choose_prior_level(const ScheduleRun& run, const DataFidelity& data, const SolverSettings& settings);

/// A denoiser's level for one noisy image, by SURE (priors/sure.h), with the noise level it assumed.
struct DenoisingLevel {
  SigmaChoice choice;
  double noise_sigma = 0.0;
  bool noise_estimated = false;  ///< σ_n estimated from the image (none given)
};

/// The level with the least SURE for `noisy` at noise σ_n `noise_sigma`, estimated from the image
/// (weak-texture patches) when not given: `tweedie denoise --sigma sure`, `tweedie sure` and the
/// ITK denoising filter.
DenoisingLevel choose_denoising_level(Denoiser& denoiser, const Image& noisy, std::optional<double> noise_sigma,
                                      const SureOptions& options = {});

/// `settings` with σ_last set to the chosen level (σ_first raised to it if below).
void apply_prior_level(const PriorLevelChoice& choice, SolverSettings& settings);

/// "SURE chooses the prior level σ S UNIT of N tried (…; R reconstructions, T s)", levels shown as
/// σ / `levels.scale`.
std::string describe_prior_level_choice(const PriorLevelChoice& choice, const LevelUnits& levels);

}  // namespace tweedie
