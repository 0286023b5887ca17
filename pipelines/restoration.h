// Image restoration problems — deblurring, super-resolution (decimation), inpainting (a pixel mask)
// and plain denoising — with a Gaussian noise model, as `tweedie degrade`/`restore`, the ITK filter
// and studies run them: the forward model, the measurement of a clean image, the naive start, the
// defaults of each solver, and the solver run. Images are on the 0–255 scale of 8-bit pictures.
//
//   RestorationProblem problem{.degradation = Degradation::blur, .blur_sigma = 1.6};
//   Image y = measure(problem, clean, 2.55, seed);
//   Restoration r = restore(problem, y, nullptr, RestorationProblem::default_choice());
#pragma once

#include "core/image.h"
#include "operators/linear_operator.h"
#include "pipelines/prior_level_choice.h"
#include "pipelines/solver_choice.h"
#include "solvers/solver_summary.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace tweedie {

enum class Degradation { blur, decimate, mask, none };

/// "blur", "decimate", "mask" or "none"; throws ParameterError otherwise.
Degradation parse_degradation(const std::string& name);
std::string to_string(Degradation degradation);

/// The random stream of the measurement noise (core/random.h).
inline constexpr std::uint32_t kMeasurementNoiseStream = 8;

struct RestorationProblem {
  Degradation degradation = Degradation::none;
  double blur_sigma = 1.6;                  ///< blur: Gaussian kernel σ, pixels
  std::optional<Image> kernel;              ///< blur: this kernel instead of a Gaussian
  std::int64_t factor = 2;                  ///< decimate: scale factor
  std::optional<double> antialias_sigma;    ///< decimate: anti-alias blur σ, pixels (default factor / 2)
  std::optional<Image> mask;                ///< mask: nonzero where measured, on the clean grid

  /// PnP-HQS with DPIR's schedule and the bundled `natural-gray` model.
  static SolverChoice default_choice();
  /// Throws ParameterError for a non-positive size or a missing mask.
  void validate() const;
  /// A deep copy (images are move-only).
  RestorationProblem clone() const;
};

/// The grid of the clean image for a measurement on `measured` (finer by the factor for decimate).
ImageGeometry clean_grid(const RestorationProblem& problem, const ImageGeometry& measured);

/// The forward model on the clean grid. Throws ShapeError for a mask of another shape.
std::shared_ptr<const LinearOperator> forward_operator(const RestorationProblem& problem, const ImageGeometry& clean);

/// A·clean plus Gaussian noise of σ `noise_sigma` drawn from (seed, kMeasurementNoiseStream).
Image measure(const RestorationProblem& problem, const Image& clean, double noise_sigma, std::uint64_t seed);

/// Where the solvers start: the measurement itself (blur, none), its nearest-neighbour upsampling
/// (decimate), the measured pixels with the missing ones at the measured mean (mask).
Image naive_start(const RestorationProblem& problem, const LinearOperator& op, const Image& measured);

/// The defaults of every solver for the problem at measurement noise σ_n `noise_sigma`.
SolverSettings restoration_defaults(const RestorationProblem& problem, double noise_sigma);

/// σ_n when the choice gives none: 2.55, 1 % of the 0–255 range.
inline constexpr double kDefaultRestorationNoise = 2.55;

struct Restoration {
  Image image;                    ///< on the clean grid
  Image start;
  std::optional<Image> spread;    ///< samplers: per-pixel posterior standard deviation
  SolverResult run;               ///< history and termination (the image is `image`)
  SolverSettings settings;        ///< as run (no reference pointer kept)
  std::optional<PriorLevelChoice> prior_level;
  SolverSummary summary;          ///< quality figures over 0–255 when a reference was given
};

/// Restores `measured` with the chosen solver and prior (default prior: natural-gray, averaged over
/// the 8 flips and rotations for PnP and RED unless the choice says otherwise). `reference`, on the
/// clean grid, adds quality figures. Throws ParameterError/ShapeError for inputs that do not fit.
Restoration restore(const RestorationProblem& problem, const Image& measured, const Image* reference,
                    const SolverChoice& choice);

}  // namespace tweedie
