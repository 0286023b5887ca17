#include "pipelines/ct_defaults.h"

#include "pipelines/ct_volume.h"

#include <algorithm>
#include <cmath>

namespace tweedie {
namespace {

// Mean statistical weight (≈ detected counts per ray) of the bundled abdomen sample at I0 = 1e4,
// 720 views, where the CG steps below were tuned.
constexpr double kTunedMeanWeight = 5000.0;

// CG steps per data step for dense views. The data step solves (AᵀWA + ρ_k)x = …; W grows with the
// dose while ρ_k does not, so the system's condition number κ grows with the mean weight and CG
// needs steps ∝ √κ (Shewchuk 1994). HQS restarts from the denoised image each iteration; ADMM and
// RED carry the data step's error on (in the dual variable, in the next denoising) and need twice
// the steps at low doses.
int dense_view_cg_iterations(const SolverTraits& solver, const Image* weights) {
  const int fewest = solver.carries_data_step_error ? 20 : 10;
  if (!weights) return fewest;
  const double mean_weight = weights->array().cast<double>().mean();
  const double for_dose = 10.0 * std::sqrt(mean_weight / kTunedMeanWeight);
  return static_cast<int>(std::lround(std::clamp(for_dose, static_cast<double>(fewest), 40.0)));
}

// Solvers without a proximal data step (PnP-PGD, FISTA) denoise a ramp-preconditioned gradient
// step, which puts back most of the residual, noise included: their schedule ends lower.
double last_prior_level_hu(const SolverTraits& solver, bool sparse) {
  if (solver.follows_prior_schedule && !solver.proximal_data_step) return 10.0;
  return sparse ? 60.0 : 40.0;
}

}  // namespace

bool is_sparse_view(const CtGeometry& geometry) { return 2 * geometry.views() < geometry.image_nx; }

// 16 iterations from 200 down to 40 HU with ρ_k = 1.5·σ_n²/σ_k² (PnP and RED alike); σ_n = 1 with
// statistical weights (W ≈ 1/variance), else 0.05 line-integral units: a stronger prior than
// DPIR's 0.23, ending where the FBP noise is still visible. Sparse views need the data term to fill
// the streaks in: 40 iterations of 20 CG steps, from 200 down to 60 HU with ρ_k = 0.7·σ_n²/σ_k².
SolverSettings ct_defaults(const SolverTraits& solver, const Image* weights, const CtGeometry& geometry) {
  const bool sparse = is_sparse_view(geometry);
  SolverSettings s;
  s.pnp.control.iterations = sparse ? 40 : 16;
  s.pnp.cg_iterations = sparse ? 20 : dense_view_cg_iterations(solver, weights);
  s.pnp.sigma_first = 200.0 * kAttenuationPerHu;
  s.pnp.sigma_last = last_prior_level_hu(solver, sparse) * kAttenuationPerHu;
  s.pnp.penalty_scale = sparse ? 0.7 : 1.5;
  s.pnp.noise_sigma = weights ? 1.0 : 0.05;
  s.sampler.sigma_first = s.pnp.sigma_first, s.sampler.sigma_last = s.pnp.sigma_last;
  s.sampler.noise_sigma = s.pnp.noise_sigma;
  // TV weight for a weighted data term of about one unit per ray (chi-squared), scaled by σ_n²
  // without weights.
  s.tv_lambda = 3.0 * s.pnp.noise_sigma * s.pnp.noise_sigma;
  return s;
}

}  // namespace tweedie
