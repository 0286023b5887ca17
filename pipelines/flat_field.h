// From a detector's raw readings to the log sinograms Tweedie reconstructs, with their statistical
// weights: p = −ln((P − D)/(F − D)), D and F the mean dark and flat (open-beam) frames. The counts
// above the dark, P − D, are the rays' weights up to the detector's gain (a ray's log has variance
// ≈ 1/(g·(P − D)) for Poisson counts, Sauer & Bouman 1993); the gain is found from the noise
// (pipelines/sinogram_noise.h). Rays that detected nothing (P ≤ D) get weight 0 and the log of one
// count, so that FBP sees a finite value and iterative solvers ignore them.
//
//   NormalizedScan scan = normalize_projections(raw, flats, darks);   // columns × views × rows
//   write_image(scan.sinogram, "sinogram.mha"); write_image(scan.weights, "weights.mha");
#pragma once

#include "core/image.h"

#include <cstdint>
#include <optional>

namespace tweedie {

struct NormalizedScan {
  Image sinogram;                        ///< line integrals: detector columns × views [× detector rows]
  Image weights;                         ///< statistical weights, same shape (0: no signal)
  /// The gain found from the noise; none when the scan shows none (the weights are then the counts).
  std::optional<double> counts_per_photon;
  std::int64_t rays_without_signal = 0;  ///< P ≤ D (or F ≤ D): weight 0
};

/// Raw projections (columns × rows × views, the order detectors store frames in), flats and darks
/// (columns × rows × frames, or one columns × rows frame each) to one sinogram per detector row.
/// Throws ShapeError when the frames do not match the projections, ParameterError for NaN.
NormalizedScan normalize_projections(const Image& projections, const Image& flats, const Image& darks);

/// A sinogram of intensities (columns × views [× rows]) without flat frames: each view's open beam
/// is the median of its `air_bins` outermost bins on both sides, which must see air (neutron and
/// some X-ray sinograms come so). Throws ParameterError when 2·air_bins leaves no detector.
NormalizedScan normalize_by_air(const Image& intensities, std::int64_t air_bins);

}  // namespace tweedie
