#include "pipelines/ct_defaults.h"

#include "core/error.h"
#include "operators/ct_half_resolution.h"
#include "pipelines/ct_volume.h"

#include <algorithm>
#include <cmath>

namespace tweedie {
namespace {

// Mean statistical weight (≈ detected counts per ray) of the bundled abdomen sample at I0 = 1e4,
// 720 views, and its pixel size, where the schedule below was tuned; 1/√w̄ is its line integrals'
// noise σ.
constexpr double kTunedMeanWeight = 5000.0;
constexpr double kTunedPixelSpacingMm = 0.9765625;

// The last prior level with a proximal data step: 80 HU on the tuned scan, following the FBP
// noise. Its standard deviation goes as σ_p / (√views · Δx) for line integrals of noise σ_p on
// bins of the pixel size Δx (the ramp filter's gain grows as 1/Δx; Kak & Slaney 1988, §5.2): it
// falls as 1/√dose (at I0 = 1e5: 25 HU) and as the pixels grow (3.9 mm: a quarter).
double last_prior_level_hu(double line_integral_sigma, double pixel_spacing_mm) {
  const double tuned_scan_noise = line_integral_sigma * std::sqrt(kTunedMeanWeight);
  return std::clamp(80.0 * tuned_scan_noise * kTunedPixelSpacingMm / pixel_spacing_mm, 20.0, 120.0);
}

}  // namespace

bool is_sparse_view(const CtGeometry& geometry) { return 2 * geometry.views() < geometry.image_nx; }

// From 200 HU down to the last level, with ρ_k = 0.3·σ_n²/σ_k² for PnP-HQS; σ_n = 1 with
// statistical weights (W ≈ 1/variance), else the line integrals' noise as the user gives it
// (reconstruct_ct estimates weights from the sinogram when neither is given). The data step is
// preconditioned CG (solvers/proximal_data_step.h) run close to convergence. Dense views: 8
// iterations of 8 CG steps. PnP-ADMM and RED carry the data step's result on (in the dual
// variable, in the next denoising) and want the prior held closer: ρ_k = 1.5·σ_n²/σ_k² over 16
// iterations. Sparse views need the data term to fill the streaks
// in, which the ramp preconditioner helps less (the missing angles are its null space): 40
// iterations of 20 steps. Solvers without a proximal data step (PnP-PGD, FISTA) denoise a
// ramp-preconditioned gradient step, which puts back most of the residual, noise included: their
// schedule ends at 10 HU over the 16 or 40 iterations of the former defaults.
SolverSettings ct_defaults(const SolverTraits& solver, const CtGeometry& geometry, const Image* weights,
                           double noise_sigma) {
  const bool sparse = is_sparse_view(geometry);
  const bool proximal = solver.proximal_data_step, held = solver.carries_data_step_error;
  SolverSettings s;
  s.pnp.control.iterations = sparse ? 40 : (proximal && !held ? 8 : 16);
  s.pnp.cg_iterations = sparse ? 20 : 8;
  s.pnp.sigma_first = 200.0 * kAttenuationPerHu;
  const double line_integral_sigma =
      weights ? 1.0 / std::sqrt(std::max(weights->array().cast<double>().mean(), 1.0)) : noise_sigma;
  const double last_level_hu = solver.follows_prior_schedule && !proximal
                                   ? 10.0
                                   : last_prior_level_hu(line_integral_sigma, geometry.pixel_spacing_mm);
  s.pnp.sigma_last = last_level_hu * kAttenuationPerHu;
  s.pnp.penalty_scale = held ? 1.5 : 0.3;
  s.pnp.noise_sigma = weights ? 1.0 : noise_sigma;
  s.sampler.sigma_first = s.pnp.sigma_first, s.sampler.sigma_last = s.pnp.sigma_last;
  s.sampler.noise_sigma = s.pnp.noise_sigma;
  // TV weight for a weighted data term of about one unit per ray (chi-squared), scaled by σ_n²
  // without weights.
  s.tv_lambda = 3.0 * s.pnp.noise_sigma * s.pnp.noise_sigma;
  return s;
}

// PnP-HQS by default solves the first 5/8 of its schedule (5 of 8 iterations, 25 of 40) on the half
// grid when the pixels are 1 mm or finer: there its solves reach the low frequencies in fewer
// steps and the result comes out as good or better in about 60 % of the time; with larger pixels
// the half grid loses detail that the last iterations do not bring back (docs/ct.md).
constexpr double kHalfResolutionLargestPixelMm = 1.0;

int half_resolution_iterations(const SolverChoice& choice, const SolverTraits& solver, const CtGeometry& geometry) {
  const int total = choice.iterations.value_or(ct_defaults(solver, geometry, nullptr).pnp.control.iterations);
  if (!choice.half_resolution_iterations) {
    const bool hqs = solver.proximal_data_step && !solver.carries_data_step_error;
    const bool fine_pixels = geometry.pixel_spacing_mm <= kHalfResolutionLargestPixelMm;
    return hqs && fine_pixels && has_half_resolution(geometry) ? 5 * total / 8 : 0;
  }
  const int chosen = *choice.half_resolution_iterations;
  if (chosen == 0) return 0;
  if (!has_half_resolution(geometry)) {
    throw ParameterError("iterations at half resolution need an even grid and two detector bins or more; this one is " +
                         std::to_string(geometry.image_nx) + " × " + std::to_string(geometry.image_ny) + " with " +
                         std::to_string(geometry.detectors) + " bins");
  }
  if (chosen >= total) {
    throw ParameterError("of " + std::to_string(total) + " iterations, at most " + std::to_string(total - 1) +
                         " can be at half resolution (the last on the full grid), not " + std::to_string(chosen));
  }
  return chosen;
}

}  // namespace tweedie
