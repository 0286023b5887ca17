// Priors named by one text for every front end (the CLI's --prior, ITK filters, study specs,
// benchmarks):
//
//   prior  := member ("," member)*        several members: their SURE-weighted blend (denoising only)
//   member := ["wiener:"] base ["+"]      "+": ×8 self-ensemble; "wiener:": BM3D's Wiener step with
//                                         `base` as its pilot
//   base   := "tv" | "gaussian" | "bm3d" | a bundled model name ("ct", "natural-gray") | a model file
//
// Bundled models are found by find_model: the TWEEDIE_MODELS_DIR environment variable, then the
// installed share/tweedie/models (beside the running program, then the configured install prefix),
// then the source tree the library was built from.
#pragma once

#include "priors/denoiser.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace tweedie {

/// Where a prior is used: a blend's SURE weights assume that σ is the input's noise level, true when
/// denoising and not inside a solver's iterations (where σ is a strength).
enum class PriorUse { denoising, solver };

struct PriorOptions {
  PriorUse use = PriorUse::denoising;
  std::string modality;       ///< "ct", "natural": models must have been trained on it (empty: any)
  bool ensemble = false;      ///< the whole prior averaged over the 8 flips and rotations
  double tv_lambda_per_sigma = -1.0;  ///< tv: λ = this·σ (negative: TvDenoiser's default)
  double gaussian_width = -1.0;       ///< gaussian: kernel σ (px) per unit of noise σ (negative: the default)
};

/// The folders searched for bundled models, in order.
std::vector<std::filesystem::path> model_search_path();

/// A model file: `name` itself if it is a file, else <folder>/<name>.tdm in the first folder of
/// model_search_path() that has it. Throws IoError listing the folders searched.
std::filesystem::path find_model(const std::string& name);

/// The members of a prior text ("natural-gray,bm3d" → {"natural-gray", "bm3d"}); a file whose name
/// holds a comma is one member. Throws ParameterError for an empty member.
std::vector<std::string> prior_members(const std::string& prior);

/// The denoiser `prior` names. Throws ParameterError (unknown name, blend in a solver, wrong modality)
/// or IoError (missing or corrupt model file) with the reason.
std::unique_ptr<Denoiser> make_prior(const std::string& prior, const PriorOptions& options = {});

/// A short label of a prior text for tables: model files by their name without folder.
std::string prior_label(const std::string& prior);

}  // namespace tweedie
