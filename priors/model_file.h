// Tweedie model files (.tdm): a trained denoising network with everything needed to use it and
// to know where it came from. Format: docs/model-format.md.
//
//   Model model = read_model("models/natural-gray.tdm");
//   write_model(model, "out.tdm");
//
// Training checkpoints use the same container with the optimiser state after the weights.
#pragma once

#include "priors/architecture.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace tweedie {

/// Image units ↔ network units: x_net = (x − offset) / scale, σ_net = σ / scale.
struct Normalisation {
  std::string units = "intensity";  ///< "intensity" (8-bit scale, 0–255) or "HU"
  double offset = 0.0;
  double scale = 255.0;
};

struct Model {
  NetworkArchitecture architecture;
  Normalisation normalisation;
  std::string modality = "natural";            ///< "natural" or "ct"
  double sigma_min = 0.0, sigma_max = 55.0;    ///< noise levels trained for (all stages), image units
  std::string recipe_json = "{}";              ///< the training recipe, as given
  std::string data_checksum;                   ///< of the training file list and contents
  std::string training_summary_json = "{}";    ///< steps, time, validation PSNR
  std::vector<float> parameters;               ///< NetworkArchitecture::parameter_count() values
};

/// A checkpoint: the model so far plus the optimiser's state and the step reached.
struct Checkpoint {
  Model model;
  std::int64_t step = 0;
  std::vector<float> first_moment, second_moment;  ///< Adam's
  double gradient_norm_average = 0.0;              ///< of the gradient clipping
};

inline constexpr int kModelFormatVersion = 1;

/// Throws IoError with the file name and what is wrong: missing, not a model file, an unknown
/// version, a truncated or altered file (size or CRC-32 mismatch), or a checkpoint given as a model.
Model read_model(const std::filesystem::path& path);
/// Written to a temporary file and renamed into place.
void write_model(const Model& model, const std::filesystem::path& path);

Checkpoint read_checkpoint(const std::filesystem::path& path);
void write_checkpoint(const Checkpoint& checkpoint, const std::filesystem::path& path);

}  // namespace tweedie
