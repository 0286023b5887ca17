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
  int steps_per_level = 3;           ///< Langevin steps at each noise level
  double step_scale = 0.1;           ///< Langevin: α_i = step_scale / (1/σ_i² + L/(σ_n² + σ_i²))
  double guidance = 1.0;             ///< DPS: ζ, the weight of the likelihood score
  int samples = 1;
  std::uint64_t seed = 1;

  void validate() const;
  double sigma_at(int k) const;
};

struct PosteriorSamples {
  Image mean, standard_deviation;
  SolverResult last;  ///< the last sample with its history
};

/// Annealed Langevin dynamics on the posterior (Song & Ermon 2019; Jalal et al. 2021): at each
/// level σ_i, x ← x + α(s(x, σ_i) − AᵀW(Ax − y)/(σ_n² + σ_i²)) + √(2α)·z with α = step_scale·σ_i²,
/// or less when the data term is stiffer than the prior (α = step_scale over the drift's Lipschitz
/// constant 1/σ_i² + L/(σ_n² + σ_i²), L = ‖AᵀWA‖).
PosteriorSamples langevin(const DataFidelity& data, Denoiser& prior, const Image& start, const SamplerOptions& options);

/// DPS (Chung et al. 2023) on a variance-exploding schedule: the ancestral step from σ_i to σ_{i+1}
/// with the Tweedie score, plus the likelihood score of x̂₀ = D(x, σ_i) differentiated through the
/// denoiser (its vjp), −ζ·(σ_i² − σ_{i+1}²)/(σ_n² + σ_i²)·J_Dᵀ AᵀW(A x̂₀ − y). Chung et al. scale
/// the step by 1/‖y − A x̂₀‖ instead; a step over the same variance as the prior's keeps few
/// levels (tens, not a thousand) stable.
PosteriorSamples dps(const DataFidelity& data, Denoiser& prior, const Image& start, const SamplerOptions& options);

}  // namespace tweedie
