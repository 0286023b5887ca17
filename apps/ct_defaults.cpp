#include "apps/ct_defaults.h"

#include <algorithm>
#include <cmath>

namespace tweedie::app {
namespace {

// Mean statistical weight (≈ detected counts per ray) of the bundled abdomen sample at I0 = 1e4,
// 720 views: 4,840 parallel, 5,070 fan beam. The CG defaults below were tuned there.
constexpr double kTunedMeanWeight = 5000.0;

// CG steps per data step for dense views. The data step solves (AᵀWA + ρ_k)x = …; W grows with the
// dose while ρ_k does not, so the system's condition number grows with the mean weight and CG needs
// steps ∝ √κ (the CG error bound; Shewchuk 1994). ADMM and RED carry the data step's error on (in
// the dual variable, in the next denoising) and need more steps than HQS at low doses. Measured on
// the sample (2 slices): I0 = 1e4, HQS best at 10 steps (20: −0.35 dB parallel, +0.03 fan), ADMM at 20 (+1.47 dB
// over 10; 30: −0.26), RED 20 (+0.28 over 10); I0 = 5e4, 22 steps: HQS +0.9 dB (parallel) and
// +1.8 dB (fan) over 10, ADMM 0.46 dB above 44 steps.
int dense_view_cg_iterations(const std::string& solver, const std::optional<Image>& weights) {
  const int fewest = solver == "pnp-hqs" ? 10 : 20;
  if (!weights) return fewest;
  const double mean_weight = weights->array().cast<double>().mean();
  const double for_dose = 10.0 * std::sqrt(mean_weight / kTunedMeanWeight);
  return static_cast<int>(std::lround(std::clamp(for_dose, static_cast<double>(fewest), 40.0)));
}

// PnP-PGD and FISTA take no proximal data step: each iteration denoises a ramp-preconditioned
// gradient step (solvers/preconditioned_gradient.h), which puts back most of the residual, noise
// included, so their schedule ends lower, at 10 HU. Measured with 720 parallel views: at I0 = 1e4
// PGD 31.27 / 33.69 / 32.80 dB ending at 40 / 10 / 5 HU, FISTA 31.44 / 30.88 dB at 20 / 10 HU
// (FBP 28.04); at I0 = 5e4 FISTA 32.07 / 33.75 / 33.63 dB at 20 / 10 / 5 HU (FBP 32.44).
double last_prior_level_hu(const std::string& solver, bool sparse) {
  if (solver == "pnp-pgd" || solver == "pnp-fista") return 10.0;
  return sparse ? 60.0 : 40.0;
}

}  // namespace

bool is_sparse_view(const CtGeometry& geometry) { return 2 * geometry.views() < geometry.image_nx; }

// 16 iterations from 200 down to 40 HU with ρ_k = 1.5·σ_n²/σ_k² (PnP and RED alike); σ_n = 1 with
// statistical weights (W ≈ 1/variance), else the given --noise-sigma (line-integral units). Measured best with the
// bundled ct model on a slice of the bundled sample at I0 = 1e4 (720 parallel views): a stronger
// prior than DPIR's 0.23, ending where the FBP noise is still visible (the end level matters
// little: 30 or 50 HU within 0.1 dB at I0 1e4 and 5e4). Sparse views need the data term to fill
// the streaks in: 40 iterations of 20 CG steps, from 200 down to 60 HU with ρ_k = 0.7·σ_n²/σ_k²
// (measured at 60 views, I0 = 1e5).
SolverSettings ct_defaults(const std::string& solver, const std::optional<Image>& weights, const CtGeometry& geometry) {
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
  // without weights; measured best at I0 = 1e4 on the bundled abdomen sample.
  s.tv_lambda = 3.0 * s.pnp.noise_sigma * s.pnp.noise_sigma;
  return s;
}

}  // namespace tweedie::app
