// The reference convolution backend (im2col + Eigen GEMM) and its building blocks, which the
// oneDNN backend's tests compare against.
#pragma once

#include "priors/conv_stack.h"

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

class ReferenceConvStack final : public ConvStack {
 public:
  explicit ReferenceConvStack(const NetworkArchitecture& architecture);
  void set_parameters(std::span<const float> parameters) override;
  void forward(const Tensor& input, Tensor& output, bool keep_for_backward) override;
  void backward(const Tensor& grad_output, Tensor* grad_input, std::span<float> grad_parameters) override;

 private:
  std::vector<ConvLayerShape> layers_;
  std::vector<std::int64_t> offsets_;
  std::vector<float> parameters_;
  std::vector<Tensor> activations_;  ///< the input, then each layer's output
};

}  // namespace tweedie
