// Plug-and-play and RED: a denoiser (any Denoiser, learned or classical) as the prior of
// min_x ½‖Ax − y‖²_W + prior(x).
//
// Every method takes the same options; the prior strength at iteration k is a noise level σ_k,
// log-spaced from `sigma_first` to `sigma_last` (equal: a fixed σ), and the proximal steps use
// the penalty ρ_k = penalty_scale · σ_n² / σ_k² (σ_n the measurement noise; with statistical
// weights W ≈ 1/variance use σ_n = 1). DPIR (Zhang et al. 2021) is a preset of HQS: `dpir_options`.
#pragma once

#include "priors/denoiser.h"
#include "solvers/data_fidelity.h"
#include "solvers/iteration.h"

#include <vector>

namespace tweedie {

/// RED's two iterations (Romano, Elad & Milanfar, "The little engine that could: regularization by
/// denoising", SIAM J. Imaging Sci. 2017); both stop where ∇f(x) + λ(x − D(x, σ)) = 0.
enum class RedForm {
  fixed_point,  ///< x ← argmin f(x) + λ/2‖x − D(x_prev, σ)‖² (the proximal data step)
  gradient,     ///< x ← x − μ P_λ(∇f(x) + λ(x − D(x, σ))): preconditioned steepest descent
};

struct PnpOptions {
  IterationControl control;
  double sigma_first = 49.0, sigma_last = 2.55;  ///< prior noise levels, image units
  double noise_sigma = 2.55;                     ///< σ_n of the measurement
  double penalty_scale = 0.23;                   ///< ρ_k = penalty_scale · σ_n² / σ_k²
  int cg_iterations = 10;                        ///< per proximal data step (warm-started)
  double red_weight = 1.0;                       ///< RED: its weight λ_k = red_weight · ρ_k
  RedForm red_form = RedForm::fixed_point;

  void validate() const;
  /// σ_k for iteration k (0-based) of control.iterations.
  double sigma_at(int k) const;
  double penalty_at(int k) const;
};

/// DPIR's schedule: 8 iterations (24 for super-resolution), σ_k from 49/255 of the data range
/// down to max(σ_n, a floor), ρ_k = 0.23 σ_n²/σ_k². `data_range` 255 for 8-bit images.
PnpOptions dpir_options(double noise_sigma, double data_range, bool super_resolution);

/// Half-quadratic splitting: x_k = prox_{f/ρ_k}(z_{k−1}), z_k = D(x_k, σ_k).
SolverResult pnp_hqs(const DataFidelity& data, Denoiser& prior, const Image& start, const PnpOptions& options);
/// ADMM: x = prox_{f/ρ}(z − u), z = D(x + u, σ), u ← u + x − z (Venkatakrishnan et al. 2013).
SolverResult pnp_admm(const DataFidelity& data, Denoiser& prior, const Image& start, const PnpOptions& options);
/// Proximal gradient: x ← D(x − γP∇f(x), σ_k), preconditioned where the operator allows (CT:
/// solvers/preconditioned_gradient.h), else γ = 1/L, P = I; with `accelerated`, FISTA's momentum.
SolverResult pnp_pgd(const DataFidelity& data, Denoiser& prior, const Image& start, const PnpOptions& options,
                     bool accelerated = false);
/// RED (Romano et al. 2017) in `options.red_form`. The gradient form's direction d = P_λ g, g the
/// RED gradient, uses PnP-PGD's preconditioner shifted by λ_k (solvers/preconditioned_gradient.h;
/// P_λ = I without one), and its step μ = ⟨g, d⟩ / (‖Ad‖²_W + λ_k‖d‖²) minimises along d the
/// quadratic that majorises f plus the prior, whose curvature λ_k(I − ∇D) is at most λ_k for a
/// denoiser with its Jacobian's spectrum in [0, 1]: one more AᵀWA product per iteration.
SolverResult red(const DataFidelity& data, Denoiser& prior, const Image& start, const PnpOptions& options);

}  // namespace tweedie
