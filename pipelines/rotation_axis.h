// Where the rotation axis of a measured parallel-beam scan falls on the detector, from the scan
// itself: opposite views see the object mirrored, p(θ + 180°, u) = p(θ, −u), so the detector offset
// is the one that makes each view agree with the mirror image of the view opposite it (the
// "180° pair" method of tomography beamlines; see e.g. Vo, Drakopoulos, Atwood, Reinhard 2014 for
// a Fourier variant). An axis one bin off the detector centre already doubles edges in the FBP.
#pragma once

#include "core/image.h"
#include "operators/ct_geometry.h"

namespace tweedie {

struct RotationAxisEstimate {
  double detector_offset_mm = 0.0;  ///< the CtGeometry::detector_offset_mm that centres the axis
  double axis_bin = 0.0;            ///< the detector bin (0-based, fractional) the axis projects to
  int view_pairs = 0;               ///< opposite views compared (per slice)
  double largest_mismatch_deg = 0.0;  ///< worst departure of a pair from exactly 180°
};

/// The axis seen in `sinogram` (detectors × views [× slices]) of a parallel-beam `geometry` (whose
/// own offset is ignored). Views are paired with the view nearest to 180° away, if within 1.5
/// angular steps. Throws ParameterError for a fan beam or a scan with no opposite views (an arc
/// under 180° less 1.5 steps), ShapeError if the sinogram does not fit the geometry.
RotationAxisEstimate estimate_rotation_axis(const CtGeometry& geometry, const Image& sinogram);

}  // namespace tweedie
