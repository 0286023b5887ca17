// A check of a reconstruction that needs no reference, for measured data: each half of the views
// (every second view) is reconstructed from the other half, projected onto the views left out and
// compared with what they measured. The noise of the views left out is independent of the
// reconstruction, so the smaller error is the better reconstruction of the object (it is
// cross-validation in the projection domain; the error of a perfect image is the noise alone).
//
//   HeldOutViewCheck check = check_held_out_views(geometry, sinogram, &weights, options);
//   check.method_error < check.fbp_error   // better than FBP of the same views
#pragma once

#include "pipelines/ct_reconstruction.h"

namespace tweedie {

struct HeldOutViewCheck {
  double method_error = 0.0;  ///< RMS error of the views left out (line integrals) predicted by the method
  double fbp_error = 0.0;     ///< the same for the FBP (options.filter) of the same views
  /// With weights: the RMS the noise alone gives (1/√mean weight of the views left out).
  std::optional<double> noise_error;
};

/// Runs reconstruct_ct with `options` on each half of the views of `sinogram` (with `weights`,
/// which also weight the errors when given) and returns both halves' errors together, over every
/// slice. Needs at least 4 views; throws as reconstruct_ct does.
HeldOutViewCheck check_held_out_views(const CtGeometry& geometry, const Image& sinogram, const Image* weights,
                                      CtReconstructionOptions options);

}  // namespace tweedie
