// The convolution layers of a denoising network (NetworkArchitecture::layers()): forward over
// NHWC batches and backward (vector–Jacobian products for the input and the parameters).
//
// Three backends compute the same function: `reference` (im2col + Eigen GEMM, any kernel),
// `winograd` (F(4×4, 3×3) for 3×3 kernels, the fast one in float32: docs/training.md; other
// kernels fall back to im2col), and `amx-bf16` (direct 3×3 convolution on AMX tiles with bfloat16
// operands, for training on CPUs that have AMX, ~1e-3 relative from float32; layers whose channel
// counts are not multiples of 32 fall back to Winograd; built with TWEEDIE_AMX). All on NHWC,
// threaded with oneTBB, the same bits at any thread count. Tests hold the others to the first.
#pragma once

#include "priors/amx_convolution.h"
#include "priors/architecture.h"
#include "priors/tensor.h"
#include "priors/winograd.h"

#include <array>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace tweedie {

enum class ConvBackend { reference, winograd, amx_bf16 };

/// "reference", "winograd" or "amx-bf16"; throws ParameterError otherwise.
ConvBackend parse_conv_backend(const std::string& name);
std::string to_string(ConvBackend backend);
inline std::ostream& operator<<(std::ostream& out, ConvBackend backend) { return out << to_string(backend); }

/// Tiles of a tensor have the whole tensor's bits where they overlap it by `radius` pixels and
/// start on multiples of `grid`: the computed bits of an output pixel depend on no input farther
/// away, once the blocks an algorithm computes together are aligned.
struct TilingRule {
  std::int64_t radius = 0, grid = 1;
};

class ConvStack {
 public:
  /// Throws Error for amx-bf16 on a CPU or a build without AMX.
  ConvStack(const NetworkArchitecture& architecture, ConvBackend backend);
  /// Takes new parameters (layout of NetworkArchitecture::parameter_count()).
  void set_parameters(std::span<const float> parameters);
  /// output = layers(input). With `keep_for_backward`, keeps what backward() needs.
  void forward(const Tensor& input, Tensor& output, bool keep_for_backward);
  /// From g = ∂L/∂output of the last forward(…, true): writes ∂L/∂input to `grad_input` (when
  /// not null) and adds ∂L/∂parameters to `grad_parameters` (when not empty).
  void backward(const Tensor& grad_output, Tensor* grad_input, std::span<float> grad_parameters);
  /// How forward(…, false) can be cut into tiles without changing a bit (`winograd`), or any
  /// more than float rounding (`reference`: Eigen's GEMM blocks depend on the matrix sizes).
  TilingRule tiling_rule() const;

 private:
  bool uses_amx(std::size_t l) const;
  bool uses_winograd(std::size_t l) const;
  /// output = layer l (input).
  void convolve(std::size_t l, const Tensor& input, Tensor& output);

  std::vector<ConvLayerShape> layers_;
  std::vector<std::int64_t> offsets_;
  std::vector<float> parameters_;
  ConvBackend backend_;
  /// Winograd layers only: the kernels of each convolution and of its transposed convolution.
  std::vector<WinogradKernels> kernels_, transposed_kernels_;
  /// AMX layers only: the same, as bfloat16 tiles.
  std::vector<AmxKernels> amx_kernels_, transposed_amx_kernels_;
  AmxWorkspace amx_workspace_;
  WinogradGradientWorkspace winograd_workspace_;
  std::vector<Tensor> activations_;  ///< the input, then each layer's output
  std::array<Tensor, 2> inference_buffers_;  ///< forward() without keeping activations alternates between these
  std::array<Tensor, 2> gradient_buffers_;   ///< backward() alternates between these
};

}  // namespace tweedie
