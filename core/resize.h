// Resizing 2D images with Keys' cubic convolution, widened when shrinking so that it also filters
// out what the smaller grid cannot hold (the antialiased "bicubic" of MATLAB's imresize).
#pragma once

#include "core/image.h"

namespace tweedie {

/// `image` (2D) on a grid of round(scale·nx) × round(scale·ny) pixels (at least 1 each) covering
/// the same extent: pixel centres at (i + ½)·nx/nx' − ½, edges mirrored. Spacing grows by
/// nx/nx' (and ny/ny'); the origin moves with the first pixel's centre. Scale 1 gives back the
/// same bits (finite values); constants come out exact; away from the edges a linear ramp comes
/// out shifted by at most 0.03 pixel. Throws ParameterError unless 0 < scale ≤ 1 and the image
/// is 2D.
Image resize(const Image& image, double scale);

}  // namespace tweedie
