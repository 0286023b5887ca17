// Training and validation images for the DAE, in network units, and the seeded patch sampler.
//
// Natural images: the 8-bit PNGs of a folder. CT: every slice of every volume under a folder
// (NIfTI, MetaImage), HU clipped to [−1024, 3071]. Training images enter once per factor of the
// recipe's `scales`, shrunk by it. Every random choice of a training step —
// image, position, flip/rotation, corruption level, noise — is a pure function of
// (seed, step, item), so a resumed run draws exactly what the uninterrupted run would have.
#pragma once

#include "core/image.h"
#include "priors/tensor.h"
#include "priors/training_recipe.h"

#include <string>
#include <vector>

namespace tweedie {

struct ImageSet {
  /// Network units. Training sets: 2D images. Validation sets: stacks of the input_slices() slices
  /// a network takes, the middle one the image (one slice for a 2D network).
  std::vector<Image> images;
  /// Training sets for a 2.5D network: per image, the indices of the images that feed its input
  /// channels (its neighbours in the volume at the same scale, itself where one is missing), flat.
  std::vector<std::int64_t> inputs;
  /// Training sets: patch positions in images[0..k], cumulative, so that every position of the
  /// set is drawn equally often (a 512² slice counts 16 times a 128² one).
  std::vector<std::uint64_t> positions_through;
  /// With the recipe's `detail_fraction` > 0: the detail of every patch position of the set, in
  /// the same order, cumulative (empty otherwise).
  std::vector<double> detail_through;
  std::string checksum;       ///< CRC-32 over the files' names and bytes
  std::int64_t files = 0;
};

/// Throws IoError when the folder is missing or holds no usable image.
ImageSet load_training_images(const TrainingRecipe& recipe, const std::filesystem::path& folder);
/// The first `recipe.validation_images` images (natural) or the middle slices of the volumes (CT),
/// with their neighbours for a 2.5D network.
ImageSet load_validation_images(const TrainingRecipe& recipe);

/// One training batch: clean patches, corrupted patches (with the neighbouring slices' as further
/// channels for a 2.5D network), and the level fed to the network.
struct Batch {
  Tensor clean, corrupted;
  std::vector<float> levels;  ///< network units (σ / scale for Gaussian noise; ratios otherwise)
};

void sample_batch(const TrainingRecipe& recipe, const ImageSet& set, std::int64_t step, Batch& batch);
/// Standard normal values for SURE's divergence probe at a step (shape set by the caller).
void fill_probe(const TrainingRecipe& recipe, std::int64_t step, Tensor& probe);

/// `clean` (an image or a stack) plus Gaussian noise of σ (network units) from a fixed seed: the
/// validation inputs.
Image add_validation_noise(const Image& clean, double sigma_network, std::uint64_t seed);

}  // namespace tweedie
