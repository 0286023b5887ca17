// 3×3 convolutions (stride 1, zero padding 1, NHWC) by Winograd's minimal filtering F(4×4, 3×3)
// (Lavin & Gray, "Fast algorithms for convolutional neural networks", CVPR 2016): each 4×4 block
// of output pixels is A^T [ Σ_in (G g G^T) ⊙ (B^T d B) ] A, where d is the 6×6 input block around
// it and g a 3×3 kernel, so the channel sums become 36 matrix products with 4× fewer multiply–adds
// than direct convolution. The weight gradient is the exact gradient of that computation:
// ∂g = G^T [ Σ_blocks (B^T d B) ⊙ (A ∂y A^T) ] G. Results match direct convolution to float
// rounding (relative errors ~1e-6). The 4×4 blocks start on multiples of 4 and an output is
// computed from its block's 6×6 inputs, up to 4 pixels away: those are the only inputs its bits
// depend on.
#pragma once

#include "priors/architecture.h"
#include "priors/tensor.h"

#include <vector>

namespace tweedie {

/// Output pixels per block side.
inline constexpr std::int64_t kWinogradTile = 4;

/// A 3×3 layer's kernels G g G^T, as 36 matrices [in][out], one per point of the 6×6 block.
struct WinogradKernels {
  std::int64_t in_channels = 0, out_channels = 0;
  FloatBuffer values;
};

/// From weights [ky][kx][in][out] (the layout of NetworkArchitecture).
WinogradKernels winograd_kernels(const ConvLayerShape& layer, const float* weights);

/// output = conv(input) + bias (if not null), then ReLU if layer.relu; layer.kernel must be 3.
void convolve_winograd(const Tensor& input, const ConvLayerShape& layer, const WinogradKernels& kernels,
                       const float* bias, Tensor& output);

/// The weight gradient's partial sums, kept from call to call so that a training step does not
/// allocate them afresh for every layer.
struct WinogradGradientWorkspace {
  FloatBuffer partial_sums;
};

/// Adds ∂L/∂weights ([ky][kx][in][out]) and ∂L/∂bias of a 3×3 convolution, given its input and
/// ∂L/∂(its output before ReLU). The same bits at any thread count.
void convolution_weight_gradient_winograd(const Tensor& input, const Tensor& grad_output, const ConvLayerShape& layer,
                                          float* grad_weights, float* grad_bias, WinogradGradientWorkspace& workspace);

}  // namespace tweedie
