// The noise-level flags of denoise and sure: a number, or "auto" to estimate it from the image.
#pragma once

#include "core/image.h"
#include "priors/sure.h"

#include <string>

namespace tweedie::app {

/// σ_n from `noise_flag`, then the denoiser level with the least SURE; prints one line
/// "noise σ N [(estimated)]; DENOISER: SURE chooses σ S (estimated MSE M, RMSE R)".
SigmaChoice choose_and_report_sigma(Denoiser& denoiser, const Image& noisy, const std::string& noise_flag,
                                    const SureOptions& options = {});

/// A positive number, or throws ParameterError naming `what` and the words it accepts besides.
double positive_number(const std::string& text, const std::string& what, const std::string& alternative);

}  // namespace tweedie::app
