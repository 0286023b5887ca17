// SURE for a whole reconstruction x̂(y): how far its predicted measurement A x̂ lies from the
// noise-free A x, estimated from y alone, and a solver's prior level chosen by it.
//
// The noise model is the data term's: y = Ax + n, n ~ N(0, σ_n² W⁻¹) (W = I without weights). For
// CT's post-log sinogram, W = the simulated or measured counts and σ_n = 1: the Gaussian
// approximation of Poisson counts, whose log has variance 1/counts (valid while rays keep some tens
// of photons; weights of 0 mark rays without information, which are neither probed nor counted).
// Whitening, ỹ = W^½ y/σ_n, makes the noise white with unit variance, so Stein's lemma applies to
// μ(ỹ) = W^½ A x̂/σ_n, a function of ỹ through the whole solver:
//   predicted risk = E‖μ − W^½Ax/σ_n‖²/m = E[‖μ − ỹ‖²/m − 1 + (2/m) div_ỹ μ],
// the divergence estimated by Monte-Carlo probes (Ramani, Blu & Unser 2008). This is SURE in the
// measurement domain (the "predicted risk"). GSURE (Eldar 2009) would estimate the error in the
// range of Aᵀ instead, through a pseudo-inverse of AᵀWA, whose variance is large for CT and blur.
// For denoising (A = I, W = I) the predicted risk is the image's MSE over σ_n².
#pragma once

#include "priors/sure.h"
#include "solvers/data_fidelity.h"

#include <functional>

namespace tweedie {

/// A reconstruction as a function of its data (the start included, e.g. FBP of the measurement).
using Reconstruction = std::function<Image(const DataFidelity& data)>;

/// The predicted risk of `reconstruct` on `data`, in units of the noise variance per measurement: 0
/// for a perfect prediction, about 1 when A x̂ is as far from Ax as the measurement itself. Each
/// probe costs one more reconstruction, from y + ε σ_n W^-½ b with ε = sure_probe_step(1, m).
double predicted_risk_sure(const DataFidelity& data, double noise_sigma, const Reconstruction& reconstruct,
                           const SureOptions& options = {});

/// The quantity predicted_risk_sure estimates, for studies with a ground truth:
/// ‖W^½A(estimate − truth)‖²/(m σ_n²).
double predicted_risk(const DataFidelity& data, double noise_sigma, const Image& estimate, const Image& truth);

/// The prior level σ in [low, high] of a solver (`reconstruct(data, σ)`) with the least predicted
/// risk: five log-spaced levels, then six golden-section evaluations (22 reconstructions with one
/// probe).
SigmaChoice choose_prior_sigma_by_sure(const DataFidelity& data, double noise_sigma,
                                       const std::function<Image(const DataFidelity& data, double sigma)>& reconstruct,
                                       double low, double high, const SureOptions& options = {});

}  // namespace tweedie
