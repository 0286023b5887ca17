#include "pipelines/prior_spec.h"

#include "core/error.h"
#include "core/paths.h"
#include "priors/bm3d.h"
#include "priors/classical_denoisers.h"
#include "priors/cnn_denoiser.h"
#include "priors/ensemble_denoiser.h"
#include "priors/sure_blend.h"

#include <cstdlib>
#include <sstream>

namespace tweedie {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModelsVariable = "TWEEDIE_MODELS_DIR";

// The folder of the running program: an installed program finds its prefix from there, so a
// relocated prefix keeps working.
fs::path program_folder() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path() : self.parent_path();
}

bool is_blend(const std::string& prior) { return prior.find(',') != std::string::npos && !is_file(prior); }

std::unique_ptr<Denoiser> make_member(const std::string& member, const PriorOptions& options) {
  if (member.starts_with("wiener:")) {
    return std::make_unique<CollaborativeWienerDenoiser>(make_member(member.substr(7), options));
  }
  if (member.size() > 1 && member.ends_with('+')) {
    return std::make_unique<EnsembleDenoiser>(make_member(member.substr(0, member.size() - 1), options));
  }
  if (member == "bm3d") return std::make_unique<Bm3dDenoiser>();
  if (member == "tv") {
    TvDenoiser::Options tv;
    if (options.tv_lambda_per_sigma > 0) tv.lambda_per_sigma = options.tv_lambda_per_sigma;
    return std::make_unique<TvDenoiser>(tv);
  }
  if (member == "gaussian") {
    return options.gaussian_width > 0 ? std::make_unique<GaussianDenoiser>(options.gaussian_width)
                                      : std::make_unique<GaussianDenoiser>();
  }
  Model model = read_model(find_model(member));
  if (!options.modality.empty() && model.modality != options.modality) {
    throw ParameterError("the model '" + member + "' was trained on " + model.modality + " images; this needs a " +
                         options.modality + " model");
  }
  return std::make_unique<CnnDenoiser>(std::move(model));
}

}  // namespace

std::vector<fs::path> model_search_path() {
  std::vector<fs::path> folders;
  if (const char* variable = std::getenv(kModelsVariable); variable && *variable) folders.emplace_back(variable);
  if (const fs::path program = program_folder(); !program.empty()) {
    folders.push_back(program.parent_path() / TWEEDIE_INSTALL_DATADIR / "tweedie" / "models");
  }
  folders.emplace_back(TWEEDIE_INSTALLED_MODELS_DIR);
  folders.emplace_back(TWEEDIE_SOURCE_MODELS_DIR);
  return folders;
}

fs::path find_model(const std::string& name) {
  if (is_file(name)) return name;
  std::string searched;
  for (const fs::path& folder : model_search_path()) {
    const fs::path candidate = folder / (name + ".tdm");
    if (is_file(candidate)) return candidate;
    searched += (searched.empty() ? "" : ", ") + folder.string();
  }
  throw IoError("no model file '" + name + "', nor a bundled model of that name (searched " + searched +
                "; set " + kModelsVariable + " to another folder)");
}

std::vector<std::string> prior_members(const std::string& prior) {
  if (!is_blend(prior)) return {prior};
  std::vector<std::string> members;
  std::stringstream list(prior);
  for (std::string member; std::getline(list, member, ',');) {
    if (member.empty()) throw ParameterError("empty member in the blend '" + prior + "'");
    members.push_back(member);
  }
  if (prior.ends_with(',')) throw ParameterError("empty member in the blend '" + prior + "'");
  return members;
}

std::unique_ptr<Denoiser> make_prior(const std::string& prior, const PriorOptions& options) {
  if (prior.empty()) throw ParameterError("no prior given");
  std::unique_ptr<Denoiser> denoiser;
  if (is_blend(prior)) {
    if (options.use == PriorUse::solver) {
      throw ParameterError("the blend '" + prior + "' is for denoising only: its weights assume that σ is the " +
                           "input's noise level, and in a solver's iterations σ is a strength instead");
    }
    std::vector<std::unique_ptr<Denoiser>> members;
    for (const std::string& member : prior_members(prior)) members.push_back(make_member(member, options));
    denoiser = std::make_unique<SureBlendDenoiser>(std::move(members));
  } else {
    denoiser = make_member(prior, options);
  }
  if (options.ensemble) denoiser = std::make_unique<EnsembleDenoiser>(std::move(denoiser));
  return denoiser;
}

std::string prior_label(const std::string& prior) {
  std::string label;
  for (const std::string& member : prior_members(prior)) {
    std::string text = member;
    std::string prefix, suffix;
    if (text.starts_with("wiener:")) prefix = "wiener:", text = text.substr(7);
    if (text.size() > 1 && text.ends_with('+')) suffix = "+", text.pop_back();
    label += (label.empty() ? "" : ",") + prefix + fs::path(text).filename().string() + suffix;
  }
  return label;
}

}  // namespace tweedie
