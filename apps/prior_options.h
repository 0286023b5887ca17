// The --prior option shared by subcommands that use a denoiser: a bundled model name
// ("natural-gray", "ct"), a model file, or a classical baseline ("tv", "gaussian", "bm3d"); for
// tweedie denoise also several of those separated by commas, for their SURE-weighted blend
// ("natural-gray,bm3d").
#pragma once

#include "priors/denoiser.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace tweedie::app {

/// A model file: `name` itself if it exists, else the bundled models/<name>.tdm.
std::filesystem::path find_model(const std::string& name);

/// The denoiser `prior` names; throws ParameterError/IoError with the reason. With `modality`, a
/// model must have been trained on that kind of image.
std::unique_ptr<Denoiser> make_denoiser(const std::string& prior, const std::string& modality = {});

/// The priors a comma-separated list names (`prior` alone if it is none).
std::vector<std::string> blend_members(const std::string& prior);

/// As make_denoiser, or the SURE-weighted blend of a comma-separated list (priors/sure_blend.h).
/// Only for denoising: the blend's weights assume that σ is the input's noise level.
std::unique_ptr<Denoiser> make_denoising_prior(const std::string& prior);

/// `denoiser`, averaged over the 8 flips and rotations when `ensemble` (8× the time).
std::unique_ptr<Denoiser> with_ensemble(std::unique_ptr<Denoiser> denoiser, bool ensemble);

}  // namespace tweedie::app
