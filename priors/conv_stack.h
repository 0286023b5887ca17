// The convolution layers of a denoising network (NetworkArchitecture::layers()): forward over
// NHWC batches and backward (vector–Jacobian products for the input and the parameters).
//
// Three backends compute the same function: `reference` (im2col + Eigen GEMM, threaded with
// oneTBB over images and row blocks), `onednn` (oneDNN's convolution kernels in their blocked
// layout; direct convolution for inference, so a pixel's value does not depend on where the image
// was cut into tiles) and `winograd` (F(4×4, 3×3) on NHWC, the fastest for training where oneDNN
// has no Winograd kernels, as on AVX2). Tests hold the others to the first.
#pragma once

#include "priors/architecture.h"
#include "priors/tensor.h"

#include <memory>
#include <ostream>
#include <span>
#include <string>

namespace tweedie {

enum class ConvBackend { reference, onednn, winograd };

/// "reference", "onednn" or "winograd"; throws ParameterError otherwise.
ConvBackend parse_conv_backend(const std::string& name);
std::string to_string(ConvBackend backend);
inline std::ostream& operator<<(std::ostream& out, ConvBackend backend) { return out << to_string(backend); }

class ConvStack {
 public:
  virtual ~ConvStack() = default;

  /// Takes new parameters (layout of NetworkArchitecture::parameter_count()).
  virtual void set_parameters(std::span<const float> parameters) = 0;
  /// output = layers(input). With `keep_for_backward`, keeps what backward() needs.
  virtual void forward(const Tensor& input, Tensor& output, bool keep_for_backward) = 0;
  /// From g = ∂L/∂output of the last forward(…, true): writes ∂L/∂input to `grad_input` (when
  /// not null) and adds ∂L/∂parameters to `grad_parameters` (when not empty).
  virtual void backward(const Tensor& grad_output, Tensor* grad_input, std::span<float> grad_parameters) = 0;
};

std::unique_ptr<ConvStack> make_conv_stack(const NetworkArchitecture& architecture, ConvBackend backend);

}  // namespace tweedie
