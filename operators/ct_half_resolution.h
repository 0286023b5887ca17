// A CT scan seen at half the resolution: pixels twice as wide on a grid of half the size, pairs of
// detector bins averaged into bins twice as wide, the same views. Projecting the half grid costs
// about a quarter of the full one, so a reconstruction can solve its first, strongly regularised
// iterations there and finish on the full grid (pipelines/ct_reconstruction.h).
#pragma once

#include "core/image.h"
#include "operators/ct_geometry.h"

namespace tweedie {

/// Whether `geometry` has a half: an even grid (nx, ny ≥ 2) and at least two detector bins.
bool has_half_resolution(const CtGeometry& geometry);

/// (nx/2) × (ny/2) pixels of twice the spacing, the same isocentre; ⌊M/2⌋ bins of twice the pitch,
/// bin k the mean of bins 2k and 2k + 1 (an odd last bin is left out and the offset moves by half a
/// bin to keep the others in place). Throws ParameterError without a half.
CtGeometry half_resolution(const CtGeometry& geometry);

/// Line integrals (M × views per slice) on the half's bins: the mean of each pair.
Image paired_bins(const Image& sinogram);
/// Statistical weights (≈ 1 / variance) of those means: 4 / (1/w₁ + 1/w₂), zero where either is.
Image paired_bin_weights(const Image& weights);

/// The mean of each 2 × 2 block of pixels (even sides), every slice.
Image block_means(const Image& image, const ImageGeometry& half);
/// Bilinear interpolation of the half grid onto the full one (pixel centres of both grids, edges
/// held), every slice.
Image bilinear_doubling(const Image& half, const ImageGeometry& full);

}  // namespace tweedie
