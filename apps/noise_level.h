// The noise-level flags of denoise and sure: a number, or "auto" to estimate it from the image.
#pragma once

#include "core/image.h"

#include <string>

namespace tweedie::app {

/// Parses `flag` ("auto" or a positive number; `what` names the flag in errors). "auto" estimates
/// σ_n from the image by weak-texture patch PCA.
double noise_sigma_from_flag(const std::string& flag, const Image& noisy, const std::string& what);

/// A positive number, or throws ParameterError naming `what` and the words it accepts besides.
double positive_number(const std::string& text, const std::string& what, const std::string& alternative);

}  // namespace tweedie::app
