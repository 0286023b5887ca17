#include "priors/training.h"

#include "core/error.h"
#include "core/metrics.h"
#include "priors/adam.h"
#include "priors/denoising_network.h"
#include "priors/recent_rate.h"
#include "priors/sure.h"
#include "priors/training_data.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>

namespace tweedie {
namespace {

// A validation stack with its sides cut to multiples of s.
Image cropped(const Image& stack, std::int64_t s) {
  const std::int64_t height = stack.shape().ny / s * s, width = stack.shape().nx / s * s, slices = stack.shape().nz;
  Image out(stack.shape().dimension == 2 ? Shape::image(width, height) : Shape::volume(width, height, slices));
  for (std::int64_t z = 0; z < slices; ++z) {
    for (std::int64_t j = 0; j < height; ++j) std::copy_n(stack.row_data(j, z), width, out.row_data(j, z));
  }
  return out;
}

// The slices of a stack as the channels of one image.
Tensor channels_of(const Image& stack) {
  const std::int64_t height = stack.shape().ny, width = stack.shape().nx, slices = stack.shape().nz;
  Tensor t({1, height, width, slices});
  for (std::int64_t z = 0; z < slices; ++z) {
    for (std::int64_t j = 0; j < height; ++j) {
      for (std::int64_t i = 0; i < width; ++i) t.at(0, j, i, z) = stack.row_data(j, z)[i];
    }
  }
  return t;
}

// Shortens g to `ratio` times the running average length if it is longer, then updates the
// average (decay 0.99; the first gradient starts it).
void clip_gradient(std::vector<float>& g, double ratio, double& average) {
  double squares = 0.0;
  for (float v : g) squares += static_cast<double>(v) * v;
  double length = std::sqrt(squares);
  if (average > 0.0 && length > ratio * average) {
    const auto shrink = static_cast<float>(ratio * average / length);
    for (float& v : g) v *= shrink;
    length = ratio * average;
  }
  average = average > 0.0 ? 0.99 * average + 0.01 * length : length;
}

}  // namespace

double validation_psnr(DenoisingNetwork& network, const std::vector<Image>& stacks, double sigma_network,
                       bool per_image_range, std::uint64_t seed) {
  const NetworkArchitecture& a = network.architecture();
  double total = 0.0;
  Tensor out;
  const auto sigma = static_cast<float>(sigma_network);
  for (const Image& stack : stacks) {
    const Image clean = cropped(stack, a.unshuffle);
    network.forward(channels_of(add_validation_noise(clean, sigma_network, seed)), {&sigma, 1}, out, false);
    Image reference(Shape::image(clean.shape().nx, clean.shape().ny)), denoised(reference.geometry());
    std::copy_n(clean.row_data(0, a.context), reference.size(), reference.data());
    std::copy(out.values().begin(), out.values().end(), denoised.data());
    total += psnr(reference, denoised, per_image_range ? value_range(reference) : 1.0);
  }
  return total / static_cast<double>(stacks.size());
}

namespace {

struct LossWork {
  Tensor denoised, grad, probe, perturbed, denoised_perturbed;
};

// Mean of w·(D(x̃) − x)² over the batch, w per patch (1 for plain MSE); its gradient is
// 2w(D − x)/count. One forward and one backward pass.
double mse_loss_and_gradient(const TrainingRecipe& recipe, DenoisingNetwork& network, const Batch& batch, LossWork& w,
                             std::span<float> gradient) {
  network.forward(batch.corrupted, batch.levels, w.denoised, true);
  w.grad.resize(w.denoised.shape());
  double loss = 0.0;
  const auto count = static_cast<double>(w.denoised.size());
  const std::int64_t per_patch = w.denoised.size() / recipe.batch;
  for (std::int64_t item = 0; item < recipe.batch; ++item) {
    const double weight = patch_loss_weight(recipe, batch.levels[static_cast<std::size_t>(item)]);
    for (std::int64_t k = item * per_patch; k < (item + 1) * per_patch; ++k) {
      const double e = static_cast<double>(w.denoised.data()[k]) - batch.clean.data()[k];
      loss += weight * e * e;
      w.grad.data()[k] = static_cast<float>(2.0 * weight * e / count);
    }
  }
  network.backward(w.grad, nullptr, gradient);
  return loss / count;
}

// Monte-Carlo SURE of the noisy batch y (Soltanayev & Chun 2018; Metzler et al. 2018), per pixel:
//   L = ‖D(y) − y‖²/n − σ² + (2σ²/n)·bᵀ(D(y + εb) − D(y))/ε,
// b a standard normal probe, ε = sure_probe_step(σ, pixels per patch) as in monte_carlo_sure. Its
// gradient takes a backward pass at y with (2(D(y) − y) − (2σ²/ε)b)/n and one at y + εb with
// (2σ²/ε)b/n.
double sure_loss_and_gradient(const TrainingRecipe& recipe, std::int64_t step, DenoisingNetwork& network,
                              const Batch& batch, LossWork& w, std::span<float> gradient) {
  const Tensor& y = batch.corrupted;
  const auto n = static_cast<double>(y.size());
  const double sigma = batch.levels.front(), s2 = sigma * sigma;
  const double epsilon = sure_probe_step(sigma, static_cast<double>(y.size() / recipe.batch));
  w.probe.resize(y.shape());
  fill_probe(recipe, step, w.probe);
  network.forward(y, batch.levels, w.denoised, true);
  w.grad.resize(y.shape());
  double fit = 0.0;
  for (std::int64_t k = 0; k < y.size(); ++k) {
    const double e = static_cast<double>(w.denoised.data()[k]) - y.data()[k];
    fit += e * e;
    w.grad.data()[k] = static_cast<float>((2.0 * e - 2.0 * s2 / epsilon * w.probe.data()[k]) / n);
  }
  network.backward(w.grad, nullptr, gradient);
  w.perturbed.resize(y.shape());
  for (std::int64_t k = 0; k < y.size(); ++k) w.perturbed.data()[k] = y.data()[k] + static_cast<float>(epsilon) * w.probe.data()[k];
  network.forward(w.perturbed, batch.levels, w.denoised_perturbed, true);
  double divergence = 0.0;
  for (std::int64_t k = 0; k < y.size(); ++k) {
    divergence += static_cast<double>(w.probe.data()[k]) * (w.denoised_perturbed.data()[k] - w.denoised.data()[k]) / epsilon;
    w.grad.data()[k] = static_cast<float>(2.0 * s2 / epsilon * w.probe.data()[k] / n);
  }
  network.backward(w.grad, nullptr, gradient);
  return fit / n - s2 + 2.0 * s2 * divergence / n;
}

}  // namespace

double patch_loss_weight(const TrainingRecipe& recipe, float level_network) {
  if (recipe.loss_floor <= 0) return 1.0;
  const double floor = recipe.loss_floor / recipe.normalisation().scale;
  return floor / std::max(floor, static_cast<double>(level_network));
}

TrainingResult train(const TrainingRecipe& recipe, const TrainingOptions& options) {
  const ImageSet training = load_training_images(recipe, recipe.train_data);
  const ImageSet validation = load_validation_images(recipe);
  if (options.data_loaded) options.data_loaded(training, validation);
  const std::string checksum = training.checksum + "-" + validation.checksum;
  DenoisingNetwork network(recipe.architecture, options.backend);
  Adam adam(static_cast<std::size_t>(recipe.architecture.parameter_count()));
  std::vector<float> parameters;
  std::int64_t step = 0;
  double norm_average = 0.0;  // running average of gradient lengths, for clipping
  // The levels the model is trained for: this recipe's and, when it goes on from a model, that
  // model's too (its earlier stages trained it there).
  double level_min = recipe.level_min, level_max = recipe.level_max;
  if (options.resume) {
    const Checkpoint& c = *options.resume;
    if (c.model.data_checksum != checksum) {
      throw ParameterError("the checkpoint was made from other training data (checksum " + c.model.data_checksum +
                           ", now " + checksum + ")");
    }
    if (nlohmann::json::parse(c.model.recipe_json) != nlohmann::json::parse(recipe.json)) {
      throw ParameterError("the checkpoint was made with another recipe");
    }
    parameters = c.model.parameters;
    network.set_parameters(parameters);
    level_min = c.model.sigma_min, level_max = c.model.sigma_max;
    adam.restore(c.step, c.first_moment, c.second_moment);
    step = c.step;
    norm_average = c.gradient_norm_average;
  } else if (!recipe.initial_model.empty()) {
    const Model start = read_model(recipe.initial_model);
    NetworkArchitecture widened = start.architecture;
    widened.context = recipe.architecture.context;  // a 2D model starts a 2.5D one
    if (widened != recipe.architecture || start.architecture.context > widened.context || start.modality != recipe.modality) {
      throw ParameterError("the initial model '" + recipe.initial_model.string() + "' is a " + start.modality + " " +
                           start.architecture.to_string() + " network; the recipe asks for a " + recipe.modality + " " +
                           recipe.architecture.to_string() + " one");
    }
    parameters = parameters_with_context(start.architecture, start.parameters, recipe.architecture.context);
    network.set_parameters(parameters);
    level_min = std::min(level_min, start.sigma_min), level_max = std::max(level_max, start.sigma_max);
  } else {
    network.initialise(recipe.seed);
    parameters.assign(network.parameters().begin(), network.parameters().end());
  }

  Model model;
  model.architecture = recipe.architecture;
  model.normalisation = recipe.normalisation();
  model.modality = recipe.modality;
  model.sigma_min = level_min, model.sigma_max = level_max;
  model.recipe_json = recipe.json;
  model.data_checksum = checksum;
  nlohmann::json summary = options.resume ? nlohmann::json::parse(options.resume->model.training_summary_json)
                                          : nlohmann::json{{"validation_psnr", nlohmann::json::array()}};
  const auto save = [&](const std::filesystem::path& path) {
    model.parameters = parameters;
    summary["steps"] = step;
    model.training_summary_json = summary.dump();
    if (!path.empty()) {
      write_checkpoint({model, step, {adam.first_moment().begin(), adam.first_moment().end()},
                        {adam.second_moment().begin(), adam.second_moment().end()}, norm_average},
                       path);
    }
  };

  const bool ct = recipe.modality == "ct";
  const double validation_sigma = recipe.validation_sigma / recipe.normalisation().scale;
  Batch batch;
  LossWork work;
  std::vector<float> gradient(parameters.size());
  const auto start = std::chrono::steady_clock::now();
  const auto seconds_since_start = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  RecentRate recent(kRateWindowSteps);
  recent.record(0.0);
  while (step < recipe.steps) {
    sample_batch(recipe, training, step, batch);
    std::fill(gradient.begin(), gradient.end(), 0.0f);
    const double loss = recipe.loss == TrainingLoss::sure ? sure_loss_and_gradient(recipe, step, network, batch, work, gradient)
                                                          : mse_loss_and_gradient(recipe, network, batch, work, gradient);
    clip_gradient(gradient, recipe.gradient_clip, norm_average);
    const double rate = recipe.learning_rate_at(step);
    adam.step(parameters, gradient, rate);
    network.set_parameters(parameters);
    ++step;

    TrainingProgress progress;
    progress.step = step, progress.steps = recipe.steps, progress.loss = loss, progress.learning_rate = rate;
    recent.record(seconds_since_start());
    const double steps_per_second = recent.per_second();
    progress.patches_per_second = steps_per_second * static_cast<double>(recipe.batch);
    progress.seconds_left = steps_per_second > 0.0 ? static_cast<double>(recipe.steps - step) / steps_per_second : 0.0;
    if (step % recipe.epoch_steps == 0 || step == recipe.steps) {
      progress.validation_psnr = validation_psnr(network, validation.images, validation_sigma, ct, recipe.seed);
      summary["validation_psnr"].push_back({{"step", step}, {"psnr", *progress.validation_psnr}});
    }
    if (options.progress) options.progress(progress);
    const bool stopping = options.stop && options.stop->load();
    if (step % recipe.checkpoint_steps == 0 || stopping || step == recipe.steps) save(options.checkpoint);
    if (stopping && step < recipe.steps) return {model, false, step};
  }
  save({});
  summary["validation_sigma"] = recipe.validation_sigma;
  model.training_summary_json = summary.dump();
  return {model, true, step};
}

}  // namespace tweedie
