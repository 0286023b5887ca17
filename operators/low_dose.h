// Low-dose CT simulation: photon counts from noiseless line integrals.
//
//   counts ~ Poisson(I0 · exp(−p)) + Normal(0, σ_e²)      (σ_e: electronic noise, in counts)
//   p̂ = −log(max(counts, ε) / I0),  ε = 1 count
//   weight = c² / (c + σ_e²),  c = max(counts, ε)          (1 / var(p̂) to first order)
//
// The weights are the statistical weights of penalised weighted least squares (Sauer & Bouman
// 1993; Thibault et al. 2007). Draws come from the counter-based generator (core/random.h):
// element i of a sinogram uses its own stream of numbers, so the same seed gives the same
// sinogram at any thread count. Poisson variates are exact: inversion below λ = 10, Hörmann's
// transformed rejection (PTRS, Insurance: Math. and Econ. 12, 1993) above.
#pragma once

#include "core/image.h"
#include "core/random.h"

#include <cstdint>

namespace tweedie {

struct LowDoseOptions {
  double incident_photons = 1e4;       ///< I0, photons per detector bin per view without object
  double electronic_noise_counts = 0;  ///< σ_e, standard deviation in counts
  std::uint64_t seed = 0;
};

struct LowDoseSinogram {
  Image line_integrals;  ///< p̂, same shape as the input
  Image weights;         ///< statistical weights (counts scale)
};

/// Simulates a low-dose scan of noiseless line integrals `p` (any shape).
LowDoseSinogram simulate_low_dose(const Image& p, const LowDoseOptions& options);

/// One Poisson(λ) variate from `draws` (λ ≥ 0).
std::int64_t poisson(double lambda, CounterRng::Sequence& draws);

}  // namespace tweedie
