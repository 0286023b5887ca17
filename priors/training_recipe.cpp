#include "priors/training_recipe.h"

#include "core/error.h"
#include "core/json_integer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

namespace tweedie {

TrainingRecipe TrainingRecipe::parse(const std::string& json_text, const std::filesystem::path& folder) {
  using Json = nlohmann::json;
  TrainingRecipe r;
  Json j;
  try {
    j = Json::parse(json_text);
  } catch (const Json::exception& e) {
    throw ParameterError(std::string("the recipe is not valid JSON: ") + e.what());
  }
  r.json = j.dump();
  const auto field = [&](const char* name) -> const Json& {
    if (!j.contains(name)) throw ParameterError(std::string("the recipe has no '") + name + "'");
    return j.at(name);
  };
  try {
    r.modality = j.value("modality", r.modality);
    if (r.modality != "natural" && r.modality != "ct") {
      throw ParameterError("recipe modality must be 'natural' or 'ct', got '" + r.modality + "'");
    }
    const auto resolve = [&](const std::string& p) {
      return std::filesystem::path(p).is_absolute() ? std::filesystem::path(p) : folder / p;
    };
    r.train_data = resolve(field("train_data"));
    r.validation_data = resolve(field("validation_data"));
    if (j.contains("initial_model")) r.initial_model = resolve(j.at("initial_model").get<std::string>());
    if (j.contains("architecture")) {
      const Json& a = j.at("architecture");
      r.architecture = {json_integer_or(a, "depth", r.architecture.depth), json_integer_or(a, "width", r.architecture.width),
                        json_integer_or(a, "kernel", r.architecture.kernel),
                        json_integer_or(a, "unshuffle", r.architecture.unshuffle),
                        json_integer_or(a, "context", r.architecture.context)};
    }
    r.architecture.validate();
    r.patch = json_integer_or(j, "patch", r.patch);
    r.batch = json_integer_or(j, "batch", r.batch);
    r.steps = json_integer_or(j, "steps", r.steps);
    r.scales = j.value("scales", r.scales);
    r.detail_fraction = j.value("detail_fraction", r.detail_fraction);
    r.lone_slice_fraction = j.value("lone_slice_fraction", r.lone_slice_fraction);
    const Json corruption = j.value("corruption", Json::object());
    const std::string type = corruption.value("type", "gaussian");
    if (type == "gaussian") r.corruption = Corruption::gaussian;
    else if (type == "masking") r.corruption = Corruption::masking;
    else if (type == "salt-and-pepper") r.corruption = Corruption::salt_and_pepper;
    else throw ParameterError("unknown corruption '" + type + "' (expected gaussian, masking or salt-and-pepper)");
    if (corruption.contains("level")) {
      const Json& level = corruption.at("level");
      r.level_min = level.is_array() ? level.at(0).get<double>() : level.get<double>();
      r.level_max = level.is_array() ? level.at(1).get<double>() : level.get<double>();
    }
    r.loss_floor = j.value("loss_floor", r.loss_floor);
    const std::string loss = j.value("loss", "mse");
    if (loss == "sure") r.loss = TrainingLoss::sure;
    else if (loss != "mse") throw ParameterError("unknown loss '" + loss + "' (expected mse or sure)");
    r.learning_rate = j.value("learning_rate", r.learning_rate);
    r.final_learning_rate = j.value("final_learning_rate", r.final_learning_rate);
    r.warmup_steps = json_integer_or(j, "warmup_steps", r.warmup_steps);
    r.gradient_clip = j.value("gradient_clip", r.gradient_clip);
    r.epoch_steps = json_integer_or(j, "epoch_steps", r.epoch_steps);
    r.validation_sigma = j.value("validation_sigma", r.validation_sigma);
    r.validation_images = json_integer_or(j, "validation_images", r.validation_images);
    r.checkpoint_steps = json_integer_or(j, "checkpoint_steps", r.checkpoint_steps);
    r.seed = static_cast<std::uint64_t>(json_integer_or(j, "seed", static_cast<std::int64_t>(r.seed), 0));
  } catch (const Json::exception& e) {
    throw ParameterError(std::string("the recipe has a field of the wrong type: ") + e.what());
  }
  if (r.patch < 8 || r.patch % r.architecture.unshuffle != 0) {
    throw ParameterError("patch must be at least 8 and a multiple of the unshuffle factor, got " + std::to_string(r.patch));
  }
  if (r.scales.empty() || std::any_of(r.scales.begin(), r.scales.end(), [](double s) { return !(s > 0 && s <= 1); })) {
    throw ParameterError("scales must be a list of factors in (0, 1], such as [1, 0.9, 0.8, 0.7]");
  }
  if (!(r.detail_fraction >= 0 && r.detail_fraction <= 1)) {
    throw ParameterError("detail_fraction must be a share in [0, 1], got " + std::to_string(r.detail_fraction));
  }
  if (!(r.lone_slice_fraction >= 0 && r.lone_slice_fraction <= 1)) {
    throw ParameterError("lone_slice_fraction must be a share in [0, 1], got " + std::to_string(r.lone_slice_fraction));
  }
  if (r.architecture.context > 0 && (r.modality != "ct" || r.loss != TrainingLoss::mse)) {
    throw ParameterError("a network with neighbouring slices (context > 0) trains on CT volumes with the mse loss");
  }
  if (r.batch < 1 || r.steps < 1 || r.epoch_steps < 1 || r.checkpoint_steps < 1 || r.validation_images < 1) {
    throw ParameterError("batch, steps, epoch_steps, checkpoint_steps and validation_images must be positive");
  }
  if (!(r.level_min >= 0) || !(r.level_max >= r.level_min)) throw ParameterError("corruption level must be 0 ≤ min ≤ max");
  if (r.corruption != Corruption::gaussian && r.level_max >= 1.0) {
    throw ParameterError("masking and salt-and-pepper levels are ratios below 1");
  }
  if (!(r.loss_floor >= 0)) throw ParameterError("loss_floor must be a noise level ≥ 0");
  if (r.loss_floor > 0 && r.corruption != Corruption::gaussian) throw ParameterError("loss_floor goes with Gaussian noise");
  if (r.loss == TrainingLoss::sure && (r.corruption != Corruption::gaussian || r.level_min != r.level_max || !(r.level_max > 0))) {
    throw ParameterError("loss 'sure' needs Gaussian corruption with one level > 0: the noise σ of the training images");
  }
  if (!(r.learning_rate > 0) || !(r.final_learning_rate > 0)) throw ParameterError("learning rates must be positive");
  if (!(r.gradient_clip > 1)) throw ParameterError("gradient_clip must be above 1, got " + std::to_string(r.gradient_clip));
  return r;
}

TrainingRecipe TrainingRecipe::read(const std::filesystem::path& path, const std::string& loss) {
  std::ifstream file(path);
  if (!file) throw IoError("cannot read recipe '" + path.string() + "'");
  std::ostringstream text;
  text << file.rdbuf();
  if (loss.empty()) return parse(text.str(), path.parent_path());
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return parse(text.str(), path.parent_path());  // parse() names the error
  j["loss"] = loss;
  return parse(j.dump(), path.parent_path());
}

Normalisation TrainingRecipe::normalisation() const {
  return modality == "ct" ? Normalisation{"HU", -1000.0, 1000.0} : Normalisation{"intensity", 0.0, 255.0};
}

double TrainingRecipe::learning_rate_at(std::int64_t step) const {
  if (step < warmup_steps) return learning_rate * static_cast<double>(step + 1) / static_cast<double>(warmup_steps);
  const double progress = static_cast<double>(step - warmup_steps) / static_cast<double>(std::max<std::int64_t>(1, steps - warmup_steps));
  return final_learning_rate + 0.5 * (learning_rate - final_learning_rate) * (1.0 + std::cos(std::numbers::pi * std::min(1.0, progress)));
}

}  // namespace tweedie
