// The --prior option shared by subcommands that use a denoiser: a bundled model name
// ("natural-gray", "ct"), a model file, or a classical baseline ("tv", "gaussian").
#pragma once

#include "priors/denoiser.h"

#include <filesystem>
#include <memory>
#include <string>

namespace tweedie::app {

/// A model file: `name` itself if it exists, else the bundled models/<name>.tdm.
std::filesystem::path find_model(const std::string& name);

/// The denoiser `prior` names; throws ParameterError/IoError with the reason.
std::unique_ptr<Denoiser> make_denoiser(const std::string& prior);

/// `denoiser`, averaged over the 8 flips and rotations when `ensemble` (8× the time).
std::unique_ptr<Denoiser> with_ensemble(std::unique_ptr<Denoiser> denoiser, bool ensemble);

}  // namespace tweedie::app
