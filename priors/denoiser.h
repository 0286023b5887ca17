// The one interface every prior is used through: D(x, σ), a denoiser for Gaussian noise of
// standard deviation σ, plus its vector–Jacobian product for solvers that differentiate it
// (DPS). PnP proximal steps, RED gradients and scores are all built on this.
//
// Images are 2D or volumes (denoised slice by slice); σ is in the image's own units (0–255 for
// 8-bit images, HU for CT). A denoiser keeps working buffers: one object per thread.
#pragma once

#include "core/image.h"

#include <cstdint>
#include <string>

namespace tweedie {

class Denoiser {
 public:
  virtual ~Denoiser() = default;
  virtual std::string name() const = 0;
  /// D(x, σ).
  virtual Image denoise(const Image& x, double sigma) = 0;
  /// vᵀ ∂D/∂x at (x, σ). Throws ParameterError for denoisers that do not provide it.
  virtual Image vjp(const Image& x, double sigma, const Image& v);
  /// Slices on each side of a slice of a volume that its denoising sees (0: slice by slice).
  virtual std::int64_t neighbouring_slices() const { return 0; }
  /// Slice z of D(volume, σ) as a 2D image, computed alone: a 2D denoiser's D(slice z, σ); a 2.5D
  /// one sees the neighbours of slice z in `volume`.
  virtual Image denoise_slice(const Image& volume, std::int64_t z, double sigma);
};

/// Slice z of a volume as a 2D image of the slice's geometry.
Image slice_image(const Image& volume, std::int64_t z);

/// What a denoiser seeing `reach` neighbouring slices on each side needs of a volume for slice z:
/// those slices (cut at the volume's ends) and where slice z lies among them.
struct SliceWindow {
  Image slices;
  std::int64_t middle = 0;
};
SliceWindow window_around(const Image& volume, std::int64_t z, std::int64_t reach);

/// Throws ParameterError unless σ ≥ 0 (NaN included): the check every denoise(x, σ) starts with.
void require_noise_level(double sigma);

/// The score of the σ-smoothed image density by Tweedie's formula: s(x, σ) = (D(x, σ) − x) / σ².
Image score(Denoiser& denoiser, const Image& x, double sigma);

}  // namespace tweedie
