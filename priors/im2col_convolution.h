// Convolutions as im2col + Eigen GEMM (any odd kernel, NHWC): the reference backend's layers, which
// the other backends' tests compare against.
#pragma once

#include "priors/architecture.h"
#include "priors/tensor.h"

#include <vector>

namespace tweedie {

/// output = conv(input, weights [ky][kx][in][out]) + bias (if not null), then ReLU if layer.relu.
void convolve_reference(const Tensor& input, const ConvLayerShape& layer, const float* weights, const float* bias,
                        Tensor& output);
/// Adds ∂L/∂weights and ∂L/∂bias of one convolution, given its input and ∂L/∂(its output before ReLU).
void convolution_weight_gradient_reference(const Tensor& input, const Tensor& grad_output, const ConvLayerShape& layer,
                                           float* grad_weights, float* grad_bias);
/// The weights of the transposed convolution: flipped in space, in and out channels swapped.
std::vector<float> flipped_transposed_weights(const ConvLayerShape& layer, const float* weights);

}  // namespace tweedie
