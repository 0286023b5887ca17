// The solver option group shared by tweedie recon and tweedie restore: which solver and prior,
// their parameters, a reference for quality figures, and where the history and the posterior
// standard deviation go.
#pragma once

#include "solvers/named_solvers.h"

#include <CLI/CLI.hpp>

#include <string>

namespace tweedie::app {

struct SolverFlags {
  std::string solver = "pnp-hqs", prior = "natural-gray";
  int iterations = 0;             ///< 0: the solver's default for the problem
  int cg_iterations = 0;          ///< per proximal data step solved by CG; 0: the default
  double noise_sigma = -1.0;      ///< σ_n; negative: the problem's default
  double sigma_first = -1.0, sigma_last = -1.0;
  double tv_lambda = -1.0;
  double penalty_scale = -1.0;    ///< PnP: ρ_k = penalty_scale·σ_n²/σ_k²; negative: the problem's default
  std::string prior_sigma;        ///< "sure": σ_last chosen by SURE; empty: as given
  std::string red_form = "fixed-point";  ///< red: fixed-point or gradient
  int ensemble = 0;               ///< prior averaged over the 8 flips and rotations: 1 yes, −1 no, 0 the problem's default
  int samples = 8;
  int steps_per_level = 0;        ///< Langevin steps at each noise level; 0: the default
  double step_scale = -1.0;       ///< Langevin's step h (see solvers/samplers.h); negative: the default
  std::uint64_t seed = 1;
  std::string reference, history, standard_deviation;
};

void add_solver_options(CLI::App& parser, SolverFlags& flags);

/// Whether `solver` is one of the PnP or RED solvers, which follow a schedule of prior levels.
bool follows_prior_schedule(const std::string& solver);

/// Whether the prior is averaged over the 8 flips and rotations: as asked, else `problem_default`
/// for the PnP and RED solvers (the samplers call the prior too often to pay 8 times).
bool use_ensemble(const SolverFlags& flags, bool problem_default);

/// The settings for a problem whose defaults are given in `defaults` (flags override them).
SolverSettings solver_settings(const SolverFlags& flags, const SolverSettings& defaults, const Image* reference);

/// Prints "SOLVER [with PRIOR [×8 ensemble]]: [S slices × ]N iterations (why), [t s per slice, ]T s[; PSNR a dB
/// (start) → b dB, SSIM …]" for the runs of one image or of each slice of a stack; the quality part
/// when a reference is given, over `data_range`. A second line gives the solver's parameters, noise
/// levels shown as σ / `display_scale` with `unit`.
void print_solver_summary(const SolverFlags& flags, const Denoiser* prior, const std::vector<SolverResult>& runs,
                          const SolverSettings& settings, const Image* reference, const Image& start, const Image& result,
                          const std::string& start_name, double data_range, double display_scale = 1.0,
                          const std::string& unit = "");

/// Writes the history (one object per iteration) and each run's summary as JSON: one run as
/// {solver, termination, iterations}, the runs of a stack as {solver, slices: [{termination, iterations}]}.
void write_history(const std::vector<SolverResult>& runs, const std::string& solver, const std::string& path);

}  // namespace tweedie::app
