// 3×3 convolutions (stride 1, zero padding 1, NHWC) on Intel AMX tiles: direct convolution as nine
// shifted matrix products per layer, operands rounded to bfloat16 (8 significant bits, round to
// nearest even), products summed in float32 (TDPBF16PS). Mixed-precision training of this kind
// matches float32 training in quality (Kalamkar et al., "A study of BFLOAT16 for deep learning
// training", 2019); results differ from float32 convolution by ~1e-3 relative. Each output and each
// weight-gradient sum is accumulated in a fixed order: the same bits at any thread count.
//
// For layers whose channel counts are multiples of 32 (the hidden layers of a network of width 32,
// 64, …); the stack keeps its other layers on float32 kernels.
#pragma once

#include "priors/architecture.h"
#include "priors/tensor.h"

#include <cstdint>
#include <vector>

namespace tweedie {

/// The build has the backend (TWEEDIE_AMX), the CPU has AMX-BF16 and the operating system lets this
/// process use the tile registers. The first call asks the kernel for that permission.
bool amx_bf16_available();

/// Whether a layer can run on AMX tiles: a 3×3 kernel and channel counts that are multiples of 32.
bool amx_supports(const ConvLayerShape& layer);

/// A layer's weights as bfloat16 tiles: for each tap, 32-row block of input channels and 16 output
/// channels, 16 rows of (input-channel pairs) × 16 outputs × 2 (AMX's pair-interleaved layout).
struct AmxKernels {
  std::int64_t in_channels = 0, out_channels = 0;
  std::vector<std::uint16_t> values;
};

/// From weights [ky][kx][in][out] (the layout of NetworkArchitecture); needs amx_supports(layer).
AmxKernels amx_kernels(const ConvLayerShape& layer, const float* weights);

/// A bfloat16 copy of a tensor with zeros around and between its values (a border, rows padded to
/// a multiple of 32 pixels, or both); kept from call to call, so a tensor of the same shape only
/// overwrites the values and neither allocates nor clears.
struct Bfloat16Buffer {
  TensorShape shape;
  std::vector<std::uint16_t> values;

  /// Zeros of `size` for `shape`, unless the buffer already holds that shape.
  void prepare(const TensorShape& for_shape, std::size_t size);
};

/// What the kernels reuse between calls. One per caller; not for two threads at once.
struct AmxWorkspace {
  Bfloat16Buffer pixel_major, channel_major, interleaved;
};

/// output = conv(input) + bias (if not null), then ReLU if layer.relu. Needs amx_bf16_available().
void convolve_amx(const Tensor& input, const ConvLayerShape& layer, const AmxKernels& kernels, const float* bias,
                  Tensor& output, AmxWorkspace& workspace);

/// Adds ∂L/∂weights ([ky][kx][in][out]) and ∂L/∂bias, given the layer's input and ∂L/∂(its output
/// before ReLU); the bias gradient is summed in float32.
void convolution_weight_gradient_amx(const Tensor& input, const Tensor& grad_output, const ConvLayerShape& layer,
                                     float* grad_weights, float* grad_bias, AmxWorkspace& workspace);

}  // namespace tweedie
