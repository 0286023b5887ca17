// Truncated projections: an object wider than the detector's reach leaves its outermost bins
// without air. FBP shrugs that off inside the field of view; an iterative solver must explain every
// line integral with the image it has, and on a grid no wider than the field of view it cannot.
#pragma once

#include "core/image.h"
#include "operators/ct_geometry.h"

#include <optional>

namespace tweedie {

/// The radius (mm) of the circle about the isocentre that every view sees whole.
double field_of_view_radius(const CtGeometry& geometry);

/// The mean line integral of the 2 outermost bins on each side, over every view and slice, when it
/// shows an object there (above 0.05) while the image grid reaches less than a quarter beyond the
/// field of view; none otherwise.
std::optional<double> truncated_edge(const CtGeometry& geometry, const Image& sinogram);

}  // namespace tweedie
