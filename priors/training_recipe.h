// A training recipe: everything that defines a training run, as a small JSON file
// (docs/training.md documents every field). The model file records the recipe it was made with.
#pragma once

#include "priors/architecture.h"
#include "priors/model_file.h"

#include <filesystem>
#include <string>
#include <vector>

namespace tweedie {

enum class Corruption { gaussian, masking, salt_and_pepper };

/// mse: clean targets, noise added in training. sure: the training images are themselves noisy
/// (Gaussian, σ = the corruption level); the loss is their Monte-Carlo SURE, no clean target.
enum class TrainingLoss { mse, sure };

struct TrainingRecipe {
  std::string modality = "natural";             ///< "natural" (8-bit images) or "ct" (HU volumes)
  std::filesystem::path train_data, validation_data;  ///< folders; relative paths from the recipe's folder
  /// A model to start from (fine-tuning) instead of a random initialisation; empty for none.
  std::filesystem::path initial_model;
  NetworkArchitecture architecture;
  std::int64_t patch = 64, batch = 64, steps = 10000;
  /// Each training image also enters shrunk by these factors (core/resize.h), as in DnCNN's
  /// data (Zhang et al., IEEE TIP 2017: 1, 0.9, 0.8, 0.7): the same scenes at other scales.
  std::vector<double> scales{1.0};
  /// The share of patches drawn in proportion to their detail (the sum of squared differences
  /// between neighbouring pixels) instead of uniformly: more stripes and textures, which are rare
  /// among all positions. 0: every position equally likely.
  double detail_fraction = 0.0;
  /// With neighbouring slices (architecture.context > 0): the share of patches whose neighbour
  /// channels repeat the noisy middle slice, as a single slice is denoised (CnnDenoiser), so
  /// that one model serves stacks and lone slices.
  double lone_slice_fraction = 0.25;
  Corruption corruption = Corruption::gaussian;
  TrainingLoss loss = TrainingLoss::mse;
  double level_min = 0.0, level_max = 55.0;  ///< σ in image units, or the drop / corrupted ratio
  /// Gaussian noise: when positive, each patch's squared error is weighted by f / max(σ, f) for this
  /// floor f (image units), so that every noise level counts about equally in dB instead of the high
  /// levels drowning the low ones (docs/training.md). 0: plain MSE.
  double loss_floor = 0.0;
  double learning_rate = 5e-4, final_learning_rate = 1e-5;
  std::int64_t warmup_steps = 200;
  /// Gradients longer than this many times their running average length are shortened to it:
  /// one odd batch cannot throw the network out of its basin.
  double gradient_clip = 3.0;
  std::int64_t epoch_steps = 500;            ///< validation after every this many steps
  double validation_sigma = 25.0;            ///< image units
  std::int64_t validation_images = 8;        ///< at most this many, the first in name order
  std::int64_t checkpoint_steps = 200;
  std::uint64_t seed = 1;
  std::string json;                          ///< the recipe as given

  /// Parses and validates; throws ParameterError naming the field.
  static TrainingRecipe parse(const std::string& json_text, const std::filesystem::path& folder);
  /// `loss`, when not empty, replaces the file's "loss" field (and is recorded with the recipe).
  static TrainingRecipe read(const std::filesystem::path& path, const std::string& loss = "");
  /// The units the network works in: 8-bit intensities / 255, or (HU + 1000) / 1000.
  Normalisation normalisation() const;
  /// Learning rate at a step: linear warm-up, then cosine decay to the final rate.
  double learning_rate_at(std::int64_t step) const;
};

}  // namespace tweedie
