// BM3D (Dabov, Foi, Katkovnik & Egiazarian, IEEE TIP 2007) and its collaborative Wiener step on
// any denoiser's output.
//
// Both steps group similar 8×8 patches (priors/block_matching.h), filter each group in a 3D
// transform (orthonormal 2D DCT of every patch, Walsh–Hadamard along the group) and average the
// overlapping estimates with Kaiser-windowed weights. Step 1 hard-thresholds the noisy group's
// coefficients; step 2 matches on a pilot estimate and applies the empirical Wiener gains
// |P|²/(|P|² + σ²) of the pilot's coefficients P to the noisy ones. The parameters are those of
// Dabov's reference profile at σ = 25 (Lebrun, IPOL 2012, describes them), with the matching
// thresholds scaled by σ² so that the filter has no intensity scale of its own (8-bit or HU alike).
// Volumes are filtered slice by slice; slices must be at least 8×8.
//
//   Bm3dDenoiser bm3d;                                              // the classical baseline
//   CollaborativeWienerDenoiser refined(std::make_unique<CnnDenoiser>(model));
//   Image y = refined.denoise(noisy, 25.0);                          // the network as the pilot
#pragma once

#include "priors/denoiser.h"

#include <memory>

namespace tweedie {

struct Bm3dOptions {
  double hard_threshold = 2.7;         ///< λ_3D: step 1 zeroes coefficients below λ_3D·σ
  double hard_match_per_variance = 4.8;  ///< step 1's matching threshold / σ² (3000 at σ = 25)
  double wiener_match_per_variance = 0.64;  ///< step 2's matching threshold / σ² (400 at σ = 25)
  int hard_group = 16;                 ///< most patches per group in step 1
  int wiener_group = 32;               ///< and in step 2
  int step = 3;                        ///< reference patches every `step` pixels
  int search_radius = 16;              ///< block-matching window ±radius
  double kaiser_beta = 2.0;            ///< aggregation window
};

/// Step 1 alone: the basic estimate, from the noisy slice by grouped hard thresholding.
Image bm3d_basic_estimate(const Image& noisy, double sigma, const Bm3dOptions& options = {});
/// Step 2 alone: the noisy image filtered with Wiener gains taken from `pilot` (same shape).
Image collaborative_wiener(const Image& noisy, const Image& pilot, double sigma, const Bm3dOptions& options = {});

/// Both steps: the classical baseline "bm3d".
class Bm3dDenoiser final : public Denoiser {
 public:
  explicit Bm3dDenoiser(const Bm3dOptions& options = {});
  std::string name() const override { return "bm3d"; }
  Image denoise(const Image& x, double sigma) override;

 private:
  Bm3dOptions options_;
};

/// Step 2 with another denoiser's output as the pilot: the network supplies the Wiener gains and
/// block matching on its clean-looking output finds the repeated textures (stripes, tiles) that a
/// CNN of limited receptive field does not exploit.
class CollaborativeWienerDenoiser final : public Denoiser {
 public:
  explicit CollaborativeWienerDenoiser(std::unique_ptr<Denoiser> pilot, const Bm3dOptions& options = {});
  std::string name() const override { return pilot_->name() + " + collaborative Wiener"; }
  Image denoise(const Image& x, double sigma) override;

 private:
  std::unique_ptr<Denoiser> pilot_;
  Bm3dOptions options_;
};

}  // namespace tweedie
