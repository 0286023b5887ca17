// Stein's unbiased risk estimate for a black-box denoiser, and what it buys without a clean image:
// the denoiser's strength picked from the noisy image alone, and the noise level itself estimated.
//
//   const double noise = estimate_noise_sigma(noisy);              // when σ_n is unknown
//   const SigmaChoice choice = choose_sigma_by_sure(model, noisy, noise);
//   Image denoised = model.denoise(noisy, choice.sigma);
#pragma once

#include "priors/denoiser.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace tweedie {

struct SureOptions {
  int probes = 1;          ///< random probes averaged for the divergence
  std::uint64_t seed = 1;  ///< of the probes: the same seed, the same estimate
};

/// Monte-Carlo SURE (Ramani, Blu & Unser 2008) of D(·, σ_d) on y = x + n, n ~ N(0, σ_n² I): an
/// unbiased estimate of the per-voxel MSE ‖D(y) − x‖²/N without x,
///   SURE = ‖D(y) − y‖²/N − σ_n² + 2σ_n²/N · div D(y),
/// with div D(y) ≈ bᵀ(D(y + εb) − D(y))/ε for standard normal probes b, ε = 2σ_n / N^0.3
/// (Deledalle et al. 2014: small enough for the first-order difference, large enough to stay above
/// float rounding).
double monte_carlo_sure(Denoiser& denoiser, const Image& noisy, double noise_sigma, double denoiser_sigma,
                        const SureOptions& options = {});

/// The finite-difference step of the divergence probe for `count` values: ε = 2σ_n / count^0.3.
double sure_probe_step(double noise_sigma, double count);

struct SigmaChoice {
  double sigma = 0.0;  ///< the level with the least SURE
  double sure = 0.0;   ///< its SURE (the estimated risk)
  std::vector<std::pair<double, double>> curve;  ///< every (σ, SURE) evaluated, by σ
};

/// Minimises `objective` over σ in [low, high]: `levels` log-spaced values, then
/// `golden_evaluations` (0 or ≥ 2) of golden-section search on log σ between the neighbours of the
/// best of them. Every evaluation is kept in the curve.
SigmaChoice minimise_over_log_range(const std::function<double(double sigma)>& objective, double low, double high,
                                    int levels, int golden_evaluations);

/// Minimises `objective` over σ in [low, high] in four or five evaluations, for objectives that
/// cost a whole reconstruction: σ at ¼, ½ and ¾ of the log range, then at the vertex of the
/// parabola through them in log σ when the middle one is the least, else at the end of the range
/// beyond the least and then at the vertex of the parabola through that end and the next two points
/// when it lies between the end and the middle. The least evaluated is chosen. Every evaluation is
/// kept in the curve.
SigmaChoice minimise_by_parabola(const std::function<double(double sigma)>& objective, double low, double high);

/// Minimises SURE over the denoiser's σ input in [low, high] (default: σ_n/4 to 4σ_n): a grid of
/// nine log-spaced levels, then ten golden-section evaluations on log σ around the best of them.
SigmaChoice choose_sigma_by_sure(Denoiser& denoiser, const Image& noisy, double noise_sigma,
                                 const SureOptions& options = {}, double low = -1.0, double high = -1.0);

enum class NoiseEstimator {
  wavelet_mad,  ///< Donoho & Johnstone 1994: median |finest diagonal Haar coefficient| / 0.6745
  patch_pca,    ///< weak-texture 7×7 patches (Liu et al. 2013), eigenvalue statistics of Chen et al. 2015
};

/// σ of additive white Gaussian noise in an image (per-slice estimates averaged for a volume).
double estimate_noise_sigma(const Image& noisy, NoiseEstimator estimator = NoiseEstimator::patch_pca);

}  // namespace tweedie
