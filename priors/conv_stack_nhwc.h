// The convolution stack on NHWC tensors, with one of three algorithms for its layers: im2col + GEMM
// (the `reference` backend, any kernel), Winograd F(4×4, 3×3) (the `winograd` backend, for 3×3
// kernels; other kernels fall back to im2col) or direct convolution on AMX tiles in bfloat16 (the
// `amx-bf16` backend, for 3×3 layers whose channel counts are multiples of 32; other layers fall
// back to Winograd). All threaded with oneTBB, the same bits at any thread count.
#pragma once

#include "priors/amx_convolution.h"
#include "priors/conv_stack.h"
#include "priors/winograd.h"

#include <array>
#include <vector>

namespace tweedie {

enum class NhwcConvolution { im2col, winograd, amx_bf16 };

class NhwcConvStack final : public ConvStack {
 public:
  NhwcConvStack(const NetworkArchitecture& architecture, NhwcConvolution convolution);
  void set_parameters(std::span<const float> parameters) override;
  void forward(const Tensor& input, Tensor& output, bool keep_for_backward) override;
  void backward(const Tensor& grad_output, Tensor* grad_input, std::span<float> grad_parameters) override;
  TilingRule tiling_rule() const override;

 private:
  bool uses_amx(std::size_t l) const;
  bool uses_winograd(std::size_t l) const;
  /// output = layer l (input).
  void convolve(std::size_t l, const Tensor& input, Tensor& output);

  std::vector<ConvLayerShape> layers_;
  std::vector<std::int64_t> offsets_;
  std::vector<float> parameters_;
  NhwcConvolution convolution_;
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
