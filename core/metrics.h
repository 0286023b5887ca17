// Image quality against a reference: MSE, PSNR and SSIM.
//
// SSIM follows Wang, Bovik, Sheikh & Simoncelli, "Image quality assessment: from error visibility
// to structural similarity", IEEE TIP 13(4), 2004: an 11×11 Gaussian window with σ = 1.5,
// K1 = 0.01, K2 = 0.03, population (not sample) covariances, averaged over the window positions
// that lie wholly inside the image. This matches scikit-image's
// `structural_similarity(..., gaussian_weights=True, sigma=1.5, use_sample_covariance=False)`.
// A volume's SSIM is the mean over its axial slices of the 2D SSIM map (CT slices are usually far
// thicker than their pixels, so a 3D window would mix unlike things).
//
// All sums run in double and in a fixed order: the same numbers at any thread count.
#pragma once

#include "core/image.h"

namespace tweedie {

/// Mean squared error between two images of the same shape.
double mse(const Image& reference, const Image& test);

/// Peak signal-to-noise ratio in dB: 10·log10(data_range² / MSE); +infinity for identical images.
double psnr(const Image& reference, const Image& test, double data_range);

/// Mean structural similarity (see above). Each slice must be at least 11×11.
double ssim(const Image& reference, const Image& test, double data_range);

struct QualityReport {
  double mse = 0.0;
  double psnr = 0.0;
  double ssim = 0.0;
  double data_range = 0.0;
};

/// All three metrics at once.
QualityReport compare(const Image& reference, const Image& test, double data_range);

/// A display window of width W around level L: the values a reader sees, [L − W/2, L + W/2].
struct DisplayWindow {
  double width = 400.0, level = 40.0;  ///< the soft-tissue window of CT in HU
  double low() const { return level - 0.5 * width; }
  double high() const { return level + 0.5 * width; }
};

/// The metrics of both images clipped to the window, over its width: quality as a reader of that
/// window sees it (air and bone, which dominate a full-range PSNR on CT, count only at its edges).
QualityReport compare_in_window(const Image& reference, const Image& test, const DisplayWindow& window);

/// max − min of the image: the default data range when none is given.
double value_range(const Image& image);

}  // namespace tweedie
