// Classical denoisers behind the Denoiser interface, as baselines for the learned prior.
#pragma once

#include "priors/denoiser.h"

namespace tweedie {

/// Total-variation denoising (Rudin, Osher, Fatemi 1992): argmin_u ½‖u − x‖² + λ·TV(u) with
/// isotropic TV and λ = `lambda_per_sigma`·σ, solved by fast gradient projection on the dual
/// (Beck & Teboulle 2009, FISTA applied to Chambolle's dual problem). Volumes slice by slice.
class TvDenoiser final : public Denoiser {
 public:
  struct Options {
    double lambda_per_sigma = 0.75;  ///< λ / σ: best at σ = 25 on 8-bit training images (models/README.md)
    int iterations = 100;
    /// Stop early when the relative change of u falls below this. 0 (default): always `iterations`,
    /// so that D is a smooth function of its input, as SURE's divergence needs.
    double tolerance = 0.0;
  };
  TvDenoiser();
  explicit TvDenoiser(const Options& options);
  std::string name() const override { return "tv"; }
  Image denoise(const Image& x, double sigma) override;
  /// ROF with an explicit λ (image units).
  Image solve(const Image& x, double lambda) const;

 private:
  Options options_;
};

/// Gaussian smoothing with a blur width growing with σ: std = `width_per_sigma`·σ pixels.
class GaussianDenoiser final : public Denoiser {
 public:
  /// The default is best around σ = 25 on 8-bit training images (models/README.md).
  explicit GaussianDenoiser(double width_per_sigma = 0.035);
  std::string name() const override { return "gaussian"; }
  Image denoise(const Image& x, double sigma) override;

 private:
  double width_per_sigma_;
};

}  // namespace tweedie
