// Score-based posterior sampling with a denoiser's score s(x, σ) = (D(x, σ) − x)/σ² (Tweedie's
// formula): annealed Langevin dynamics and diffusion posterior sampling (DPS). Several samples
// give a posterior mean and a per-pixel standard deviation.
#pragma once

#include "priors/denoiser.h"
#include "solvers/data_fidelity.h"
#include "solvers/iteration.h"

namespace tweedie {

struct SamplerOptions {
  IterationControl control;          ///< iterations = noise levels of the schedule
  double sigma_first = 50.0, sigma_last = 1.0;  ///< geometric noise schedule, image units
  double noise_sigma = 1.0;          ///< σ_n of the measurement (1 with statistical weights)
  int steps_per_level = 3;           ///< Langevin steps T at each noise level
  double step_scale = 0.8;           ///< Langevin: h, the prior's step as a fraction of the way to D(x, σ_j)
  double guidance = 1.0;             ///< DPS: ζ, the weight of the likelihood score
  int samples = 1;
  std::uint64_t seed = 1;

  void validate() const;
  double sigma_at(int k) const;
  /// σ_n² + σ²: the measurement's variance seen from a sample at level σ (Jalal et al. 2021).
  double inflated_variance(double sigma) const;
};

struct PosteriorSamples {
  Image mean, standard_deviation;
  SolverResult last;  ///< the last sample with its history
};

/// Annealed Langevin dynamics on the posterior (Song & Ermon 2019; Jalal et al. 2021), T steps per
/// level on one geometric schedule of sub-levels σ_j: x ← x + h·σ_j²·s(x, σ_j) − β_j·γP∇f(x) + c_j·z.
/// The prior's step goes h = step_scale of the way to D(x, σ_j). The data term f = ½‖Ax − y‖²_W takes
/// the preconditioned step of PnP-PGD (solvers/preconditioned_gradient.h; the plain 1/L step where
/// the operator has no preconditioner) scaled by β_j = min(h, h·σ_j²·L/(σ_n² + σ_j²)), L = ‖AᵀWA‖:
/// the posterior's weight of the data gradient, 1/(σ_n² + σ_j²), as a fraction of the longest stable
/// step, capped at h so that stiff data (CT with statistical weights) cannot slow the prior down.
/// The score step keeps (1 − h) of the noise at σ_j and c_j tops it up to the next sub-level:
/// c_j² = σ_{j+1}² − (1 − h)²σ_j² (Kadkhodaie & Simoncelli 2021). Langevin's own √(2hσ_j²)·z needs
/// many steps per level to shed the noise of the level before, and a noise-conditioned denoiser
/// removes little noise above the level it is given, so with few steps a sample falls behind the
/// schedule and stays noisy. Not an exact MCMC sampler: on a Gaussian prior, where signal dominates,
/// each step leaves the variance short by about h²σ_j² (a missing pixel's spread 0.72 τ at h = 0.8,
/// 0.89 τ at h = 0.2; tested). Each sample ends denoised at the level it reached, D(x, σ_L)
/// (Tweedie's formula), which removes that noise.
PosteriorSamples langevin(const DataFidelity& data, Denoiser& prior, const Image& start, const SamplerOptions& options);

/// DPS (Chung et al. 2023) on a variance-exploding schedule: the ancestral step from σ_i to σ_{i+1}
/// with the Tweedie score, plus the likelihood score of x̂₀ = D(x, σ_i) differentiated through the
/// denoiser (its vjp), −ζ·(σ_i² − σ_{i+1}²)/(σ_n² + σ_i²)·J_Dᵀ AᵀW(A x̂₀ − y). Chung et al. scale
/// the step by 1/‖y − A x̂₀‖ instead; a step over the same variance as the prior's keeps few
/// levels (tens, not a thousand) stable. The ancestral noise is that of p(x_{σ_{i+1}} | x_{σ_i}, x̂₀),
/// which treats x̂₀ as certain: on a Gaussian prior the spread falls a little short (a missing
/// pixel's 0.84 τ; tested), and the last step, to σ = 0, adds none.
PosteriorSamples dps(const DataFidelity& data, Denoiser& prior, const Image& start, const SamplerOptions& options);

}  // namespace tweedie
