#include "apps/prior_options.h"

#include "core/error.h"
#include "priors/bm3d.h"
#include "priors/classical_denoisers.h"
#include "priors/cnn_denoiser.h"
#include "priors/ensemble_denoiser.h"
#include "priors/sure_blend.h"

#include <sstream>

namespace tweedie::app {

std::filesystem::path find_model(const std::string& name) {
  if (std::filesystem::exists(name)) return name;
  const std::filesystem::path bundled = std::filesystem::path(TWEEDIE_MODELS_DIR) / (name + ".tdm");
  if (std::filesystem::exists(bundled)) return bundled;
  throw IoError("no model file '" + name + "' (nor a bundled model of that name in " + TWEEDIE_MODELS_DIR + ")");
}

namespace {

bool is_blend(const std::string& prior) {
  return prior.find(',') != std::string::npos && !std::filesystem::exists(prior);
}

}  // namespace

std::unique_ptr<Denoiser> make_denoiser(const std::string& prior, const std::string& modality) {
  if (is_blend(prior)) {
    throw ParameterError("the blend '" + prior + "' is for tweedie denoise only: its weights assume that σ is the " +
                         "input's noise level, and in a solver's iterations σ is a strength instead");
  }
  if (prior == "bm3d") return std::make_unique<Bm3dDenoiser>();
  if (prior == "tv") return std::make_unique<TvDenoiser>();
  if (prior == "gaussian") return std::make_unique<GaussianDenoiser>();
  Model model = read_model(find_model(prior));
  if (!modality.empty() && model.modality != modality) {
    throw ParameterError("the model '" + prior + "' was trained on " + model.modality + " images; this needs a " + modality + " model");
  }
  return std::make_unique<CnnDenoiser>(std::move(model));
}

std::vector<std::string> blend_members(const std::string& prior) {
  if (!is_blend(prior)) return {prior};
  std::vector<std::string> members;
  std::stringstream list(prior);
  for (std::string member; std::getline(list, member, ',');) {
    if (member.empty()) throw ParameterError("empty member in the blend '" + prior + "'");
    members.push_back(member);
  }
  return members;
}

std::unique_ptr<Denoiser> make_denoising_prior(const std::string& prior) {
  if (!is_blend(prior)) return make_denoiser(prior);
  std::vector<std::unique_ptr<Denoiser>> members;
  for (const std::string& member : blend_members(prior)) members.push_back(make_denoiser(member));
  return std::make_unique<SureBlendDenoiser>(std::move(members));
}

std::unique_ptr<Denoiser> with_ensemble(std::unique_ptr<Denoiser> denoiser, bool ensemble) {
  if (!ensemble) return denoiser;
  return std::make_unique<EnsembleDenoiser>(std::move(denoiser));
}

}  // namespace tweedie::app
