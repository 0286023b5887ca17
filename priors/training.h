// Training a denoising network from a recipe (training_recipe.h): Adam with warm-up and cosine
// decay, a validation PSNR every epoch, checkpoints every `checkpoint_steps` and whenever a stop
// is requested (SIGINT/SIGTERM in `tweedie train`), and an exact resume from any checkpoint.
#pragma once

#include "core/image.h"
#include "priors/conv_stack.h"
#include "priors/denoising_network.h"
#include "priors/model_file.h"
#include "priors/training_data.h"
#include "priors/training_recipe.h"

#include <atomic>
#include <functional>
#include <optional>

namespace tweedie {

/// The progress line's rate and ETA follow the most recent steps, so they track a change of load.
inline constexpr std::int64_t kRateWindowSteps = 100;

struct TrainingProgress {
  std::int64_t step = 0, steps = 0;  ///< steps done, steps in all
  double loss = 0.0;                 ///< mean squared error of the last batch, network units
  double learning_rate = 0.0;
  double patches_per_second = 0.0;   ///< over the last kRateWindowSteps steps
  double seconds_left = 0.0;
  std::optional<double> validation_psnr;  ///< dB; set on the steps that validated
};

struct TrainingOptions {
  std::filesystem::path checkpoint;           ///< written every checkpoint_steps and on stop
  std::optional<Checkpoint> resume;           ///< continue from here
  ConvBackend backend = ConvBackend::winograd;  ///< the fastest to train with on AVX2 (conv_stack.h)
  std::function<void(const ImageSet& training, const ImageSet& validation)> data_loaded;  ///< before step 1
  std::function<void(const TrainingProgress&)> progress;  ///< after every step
  const std::atomic<bool>* stop = nullptr;    ///< checked after every step
};

struct TrainingResult {
  Model model;            ///< the parameters reached, with the recipe and a summary
  bool finished = false;  ///< false: stopped early; the checkpoint holds the state
  std::int64_t step = 0;
};

TrainingResult train(const TrainingRecipe& recipe, const TrainingOptions& options);

/// The loss weight of a patch with noise level `level_network`: 1, or f / max(σ, f) with the
/// recipe's `loss_floor` f.
double patch_loss_weight(const TrainingRecipe& recipe, float level_network);

/// Mean PSNR (dB) of the network on validation stacks (network units; ImageSet) with Gaussian
/// noise of σ (network units) from a fixed seed, on their middle slices: over the 0–1 range, or
/// over each image's own range.
double validation_psnr(DenoisingNetwork& network, const std::vector<Image>& stacks, double sigma_network,
                       bool per_image_range, std::uint64_t seed);

}  // namespace tweedie
