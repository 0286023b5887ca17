// SURE for a whole reconstruction x̂(y): how far it lies from the truth, estimated from y alone,
// and a solver's prior level chosen by it.
//
// The noise model is the data term's: y = Ax + n, n ~ N(0, Σ), Σ = σ_n² W⁻¹ (W = I without
// weights). For CT's post-log sinogram, W = the simulated or measured counts and σ_n = 1: the
// Gaussian approximation of Poisson counts, whose log has variance 1/counts (valid while rays keep
// some tens of photons; weights of 0 mark rays without information, which are neither probed nor
// counted). Every risk here is the error seen through a linear map G of the measurement domain,
// ‖GA(x̂ − x)‖², and Stein's lemma (Stein 1981; for any G, Eldar 2009) estimates it without x:
//   E‖GA(x̂ − x)‖² = E[‖G(Ax̂ − y)‖² − tr(GΣGᵀ) + 2 tr(G J Σ Gᵀ)],   J = ∂(Ax̂)/∂y,
// the last trace by Monte-Carlo probes s = Σ^½ b, b standard normal (Ramani, Blu & Unser 2008):
// bᵀΣ^½Gᵀ G (Ax̂(y + εs) − Ax̂(y))/ε, one more reconstruction per probe. Two choices of G:
//
// - Predicted risk, G = W^½/σ_n (the whitening): ‖W^½A(x̂ − x)‖²/(mσ_n²), about 1 when Ax̂ is as far
//   from Ax as the measurement itself. For denoising (A = W = I) it is the image's MSE over σ_n².
// - Image risk, G = R Aᵀ/g with R the operator's approximate inverse of AᵀA (CT: the image-domain
//   ramp filter, `LinearOperator::normal_preconditioner`) and g the mean gain of R AᵀA on white
//   noise, so that GA = RAᵀA/g weighs the frequencies the scan measures about equally:
//   ‖GA(x̂ − x)‖²/N follows the image's MSE in that band, up to a factor of a few (the gain is not
//   flat near the lowest and the highest frequencies). This is a projected GSURE with R Aᵀ in
//   place of the pseudo-inverse (Eldar 2009). Its estimate carries ‖Gn‖² − tr(GΣGᵀ), which is the
//   same at every level of one measurement but large next to the risk itself (G amplifies the
//   high-frequency noise as FBP does): it ranks levels well, its absolute value is rough.
//   On CT the predicted risk is a poor guide: AᵀWA weighs the image error by about 1/|ω|, so it
//   hardly sees the high-frequency noise a weak prior lets through, and it favoured the weakest
//   prior level tried on the bundled sample; the image risk follows the image's MSE.
#pragma once

#include "priors/sure.h"
#include "solvers/data_fidelity.h"

#include <functional>

namespace tweedie {

/// A reconstruction as a function of its data (the start included, e.g. FBP of the measurement).
using Reconstruction = std::function<Image(const DataFidelity& data)>;

enum class RiskDomain {
  measurement,  ///< the predicted risk, in units of σ_n² per measurement
  image,        ///< about the image's MSE in the measured band, in the image's units squared per pixel
};

/// The image risk where the operator has an approximate inverse of its normal operator (CT), else
/// the predicted risk.
RiskDomain natural_risk_domain(const LinearOperator& op);

/// SURE of the risk of `reconstruct` on `data` in `domain`. Each probe costs one more
/// reconstruction, from y + εσ_nW^-½b with ε = sure_probe_step(1, m). The image domain needs an
/// operator with a normal preconditioner.
double risk_sure(const DataFidelity& data, double noise_sigma, const Reconstruction& reconstruct, RiskDomain domain,
                 const SureOptions& options = {});

/// The quantity risk_sure estimates, for studies with a ground truth: ‖GA(estimate − truth)‖²
/// over m or N.
double true_risk(const DataFidelity& data, double noise_sigma, const Image& estimate, const Image& truth,
                 RiskDomain domain);

/// The prior level σ in [low, high] of a solver (`reconstruct(data, σ)`) with the least risk in the
/// operator's natural domain: three levels and the vertex of a parabola through the least and its
/// neighbours (minimise_by_parabola in priors/sure.h; 8 or 10 reconstructions with one probe).
SigmaChoice choose_prior_sigma_by_sure(const DataFidelity& data, double noise_sigma,
                                       const std::function<Image(const DataFidelity& data, double sigma)>& reconstruct,
                                       double low, double high, const SureOptions& options = {});

}  // namespace tweedie
