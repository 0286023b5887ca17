// The noise-level flags of denoise and sure: a number, or "auto" to estimate it from the image.
#pragma once

#include "core/image.h"
#include "priors/sure.h"

#include <string>

namespace tweedie::app {

/// Parses `flag` ("auto" or a positive number; `what` names the flag in errors). "auto" estimates
/// σ_n from the image by weak-texture patch PCA.
double noise_sigma_from_flag(const std::string& flag, const Image& noisy, const std::string& what);

/// σ_n from `noise_flag`, then the denoiser level with the least SURE; prints one line
/// "noise σ N [(estimated)]; DENOISER: SURE chooses σ S (estimated MSE M, RMSE R)".
SigmaChoice choose_and_report_sigma(Denoiser& denoiser, const Image& noisy, const std::string& noise_flag,
                                    const SureOptions& options = {});

/// A positive number, or throws ParameterError naming `what` and the words it accepts besides.
double positive_number(const std::string& text, const std::string& what, const std::string& alternative);

}  // namespace tweedie::app
