// --prior-sigma sure: the final prior level of a PnP or RED schedule, chosen by SURE of the whole
// reconstruction (solvers/measurement_sure.h: the image-domain risk on CT, the predicted risk
// otherwise), without a reference.
#pragma once

#include "apps/solver_options.h"

#include <functional>
#include <string>

namespace tweedie::app {

/// How a reconstruction starts from a measurement (FBP, the measured image, …).
using StartOf = std::function<Image(const Image& measurement)>;

/// With `flags.prior_sigma` "sure": searches settings.pnp.sigma_last over ¼ to 4 times its value,
/// sets it to the level with the least estimated risk (σ_first raised to it if below), and prints
/// one line with the choice, shown as σ / `display_scale` with `unit`. Nothing otherwise. Throws
/// ParameterError for a solver without a prior level or together with --sigma-last.
void apply_prior_sigma_flag(const SolverFlags& flags, const DataFidelity& data, Denoiser* prior, const StartOf& start_of,
                            SolverSettings& settings, double display_scale, const std::string& unit);

}  // namespace tweedie::app
