#include "apps/prior_options.h"

#include "core/error.h"
#include "priors/classical_denoisers.h"
#include "priors/cnn_denoiser.h"
#include "priors/ensemble_denoiser.h"

namespace tweedie::app {

std::filesystem::path find_model(const std::string& name) {
  if (std::filesystem::exists(name)) return name;
  const std::filesystem::path bundled = std::filesystem::path(TWEEDIE_MODELS_DIR) / (name + ".tdm");
  if (std::filesystem::exists(bundled)) return bundled;
  throw IoError("no model file '" + name + "' (nor a bundled model of that name in " + TWEEDIE_MODELS_DIR + ")");
}

std::unique_ptr<Denoiser> make_denoiser(const std::string& prior) {
  if (prior == "tv") return std::make_unique<TvDenoiser>();
  if (prior == "gaussian") return std::make_unique<GaussianDenoiser>();
  return std::make_unique<CnnDenoiser>(read_model(find_model(prior)));
}

std::unique_ptr<Denoiser> with_ensemble(std::unique_ptr<Denoiser> denoiser, bool ensemble) {
  if (!ensemble) return denoiser;
  return std::make_unique<EnsembleDenoiser>(std::move(denoiser));
}

}  // namespace tweedie::app
