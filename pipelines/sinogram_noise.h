// Statistical weights estimated from a sinogram alone, for measured data that comes without them.
//
// Transmission CT counts are Poisson: the log sinogram p = −log(counts / I0) has variance
// ≈ e^p / I0 (Sauer & Bouman 1993), so the weights are W = I0·e^−p, up to the one unknown I0. The
// noise is measured where the projections are smooth: along the detector, each bin's fourth
// difference h = (p₋₂ − 4p₋₁ + 6p − 4p₊₁ + p₊₂)/√70 has the bin's variance with the cubic part of
// the projection cancelled (views are left apart: sparse scans change much from one view to the
// next), so h²·e^−p estimates 1/I0 at every bin; their lower quartile, over χ²₁'s (0.1015), leaves
// out the bins on edges of the projections, which only add to h² (a robust scale as in Donoho &
// Johnstone 1994, made to follow the counts).
#pragma once

#include "core/image.h"

#include <optional>

namespace tweedie {

struct EstimatedWeights {
  Image weights;                      ///< I0·e^−p, the sinogram's shape
  double incident_photons = 0.0;      ///< the estimated I0 (counts per ray without object)
};

/// None when the sinogram has under 5 detector bins or shows no noise (I0 above 10⁹: a noiseless
/// projection).
std::optional<EstimatedWeights> estimate_statistical_weights(const Image& sinogram);

/// The factor g that makes g·relative_weights the sinogram's statistical weights (inverse
/// variances), for weights known up to a factor, as the detected counts of a detector with an unknown
/// gain are (h²·r estimates 1/g wherever r is smooth). Bins next to a zero weight are left out. None
/// as for estimate_statistical_weights. Throws ShapeError if the shapes differ.
std::optional<double> estimate_weight_scale(const Image& sinogram, const Image& relative_weights);

}  // namespace tweedie
