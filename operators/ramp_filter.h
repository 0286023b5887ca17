// The 2D ramp filter on the image grid: the approximate inverse of a CT normal operator.
//
// For parallel-beam projection over a half turn, AᵀA is the convolution with 1/|r|, whose 2D
// Fourier transform is ∝ 1/|ω| (Kak & Slaney 1988, ch. 3); the image-domain ramp |ω| inverts it up
// to scale. Preconditioned gradient methods use it so that one step moves every frequency about
// equally far (Clinthorne et al., "Preconditioning methods for improved convergence rates in
// iterative reconstructions", IEEE TMI 12(1), 1993). Fan beam is close to it away from the edge of
// the field of view.
#pragma once

#include "core/image.h"
#include "operators/linear_operator.h"

#include <memory>

namespace tweedie {

/// The ramp as a spatial kernel of (2·nx − 1) × (2·ny − 1) taps, large enough that a zero-boundary
/// convolution on an nx × ny image never wraps around: the inverse FFT of max(|ω|, ω_min) on a
/// 2nx × 2ny grid, |ω| in cycles per pixel and ω_min the grid's lowest non-zero frequency (so the
/// mean is kept, not removed). With `damping` δ, the response r = max(|ω|, ω_min) becomes
/// r / (1 + δr), the filter (R⁻¹ + δI)⁻¹.
Image ramp_kernel(std::int64_t nx, std::int64_t ny, double damping = 0.0);

/// The zero-boundary convolution with `ramp_kernel` on `image` (slice by slice for volumes):
/// symmetric and positive definite. Computed on the kernel's 2nx × 2ny grid, never from the
/// kernel itself.
std::shared_ptr<const LinearOperator> ramp_filter(const ImageGeometry& image, double damping = 0.0);

}  // namespace tweedie
