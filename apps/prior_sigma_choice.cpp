#include "apps/prior_sigma_choice.h"

#include "core/error.h"
#include "solvers/measurement_sure.h"

#include <algorithm>
#include <chrono>
#include <iostream>

namespace tweedie::app {

void apply_prior_sigma_flag(const SolverFlags& flags, const DataFidelity& data, Denoiser* prior, const StartOf& start_of,
                            SolverSettings& settings, double display_scale, const std::string& unit) {
  if (flags.prior_sigma.empty()) return;
  const std::string& solver = flags.solver;
  if (!follows_prior_schedule(solver)) {
    throw ParameterError("--prior-sigma sure chooses the prior level of pnp-admm, pnp-hqs, pnp-pgd, pnp-fista and red; '" +
                         solver + "' has none");
  }
  if (flags.sigma_last > 0) throw ParameterError("--prior-sigma sure chooses --sigma-last: give one of the two");
  const auto started = std::chrono::steady_clock::now();
  SolverSettings trial = settings;
  trial.pnp.control.reference = nullptr;  // quality figures are for the final run only
  const auto reconstruct = [&](const DataFidelity& d, double sigma) {
    trial.pnp.sigma_last = sigma;
    trial.pnp.sigma_first = std::max(settings.pnp.sigma_first, sigma);
    return run_solver(solver, d, prior, start_of(d.measurement()), trial).result.image;
  };
  const double level = settings.pnp.sigma_last;
  const SigmaChoice choice =
      choose_prior_sigma_by_sure(data, settings.pnp.noise_sigma, reconstruct, 0.25 * level, 4.0 * level);
  settings.pnp.sigma_last = choice.sigma;
  settings.pnp.sigma_first = std::max(settings.pnp.sigma_first, choice.sigma);
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - started;
  // The predicted risk has a scale users can read (1: as far off as the measurement itself); the
  // image risk's estimate is reliable between levels, not in absolute value, so it is not shown.
  std::cout << "SURE chooses the prior level σ " << choice.sigma / display_scale << unit << " of "
            << choice.curve.size() << " tried (";
  if (natural_risk_domain(data.op()) == RiskDomain::image) {
    std::cout << "by the image-domain risk";
  } else {
    std::cout << "predicted risk " << choice.sure << " of the noise variance per measurement";
  }
  std::cout << "; " << 2 * choice.curve.size() << " reconstructions, " << seconds.count() << " s)\n";
}

}  // namespace tweedie::app
