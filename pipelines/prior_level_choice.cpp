#include "pipelines/prior_level_choice.h"

#include "core/error.h"

#include <algorithm>
#include <chrono>
#include <sstream>

namespace tweedie {

ScheduleRun plain_schedule_run(const std::string& solver, Denoiser* prior, StartOf start_of) {
  if (!solver_traits(solver).follows_prior_schedule) {
    throw ParameterError("SURE chooses the prior level of a solver with a prior schedule; '" + solver + "' has none");
  }
  return [solver, prior, start_of = std::move(start_of)](const DataFidelity& data, const SolverSettings& settings) {
    return run_solver(solver, data, prior, start_of(data.measurement()), settings).result.image;
  };
}

PriorLevelChoice choose_prior_level(const ScheduleRun& run, const DataFidelity& data, const SolverSettings& settings) {
  const auto started = std::chrono::steady_clock::now();
  SolverSettings trial = settings;
  trial.pnp.control.reference = nullptr;  // quality figures are for the final run only
  trial.pnp.control.callback = nullptr;   // progress is the final run's
  const auto reconstruct = [&](const DataFidelity& d, double sigma) {
    trial.pnp.sigma_last = sigma;
    trial.pnp.sigma_first = std::max(settings.pnp.sigma_first, sigma);
    return run(d, trial);
  };
  const double level = settings.pnp.sigma_last;
  PriorLevelChoice result;
  result.choice = choose_prior_sigma_by_sure(data, settings.pnp.noise_sigma, reconstruct, 0.25 * level, 4.0 * level);
  result.domain = natural_risk_domain(data.op());
  result.reconstructions = 2 * static_cast<int>(result.choice.curve.size());
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

DenoisingLevel choose_denoising_level(Denoiser& denoiser, const Image& noisy, std::optional<double> noise_sigma,
                                      const SureOptions& options) {
  DenoisingLevel level;
  level.noise_estimated = !noise_sigma;
  level.noise_sigma = noise_sigma ? *noise_sigma : estimate_noise_sigma(noisy);
  level.choice = choose_sigma_by_sure(denoiser, noisy, level.noise_sigma, options);
  return level;
}

void apply_prior_level(const PriorLevelChoice& choice, SolverSettings& settings) {
  settings.pnp.sigma_last = choice.choice.sigma;
  settings.pnp.sigma_first = std::max(settings.pnp.sigma_first, choice.choice.sigma);
}

std::string describe_prior_level_choice(const PriorLevelChoice& choice, const LevelUnits& levels) {
  std::ostringstream text;
  // The predicted risk has a scale people can read (1: as far off as the measurement itself); the
  // image risk's estimate is reliable between levels, not in absolute value, so it is not shown.
  text << "SURE chooses the prior level σ " << choice.choice.sigma / levels.scale << levels.unit << " of "
       << choice.choice.curve.size() << " tried (";
  if (choice.domain == RiskDomain::image) {
    text << "by the image-domain risk";
  } else {
    text << "predicted risk " << choice.choice.sure << " of the noise variance per measurement";
  }
  text << "; " << choice.reconstructions << " reconstructions, " << choice.seconds << " s)";
  return text.str();
}

}  // namespace tweedie
