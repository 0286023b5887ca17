// The convolution layers of a denoising network (NetworkArchitecture::layers()): forward over
// NHWC batches and backward (vector–Jacobian products for the input and the parameters).
//
// Three backends compute the same function: `reference` (im2col + Eigen GEMM, any kernel),
// `winograd` (F(4×4, 3×3) for 3×3 kernels, the fast one in float32: priors/TRAINING.md), and
// `amx-bf16` (direct 3×3 convolution on AMX tiles with bfloat16 operands, for training on CPUs
// that have AMX; ~1e-3 relative from float32), all on NHWC and threaded with oneTBB. Tests hold
// the others to the first.
#pragma once

#include "priors/architecture.h"
#include "priors/tensor.h"

#include <memory>
#include <ostream>
#include <span>
#include <string>

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
  virtual ~ConvStack() = default;

  /// Takes new parameters (layout of NetworkArchitecture::parameter_count()).
  virtual void set_parameters(std::span<const float> parameters) = 0;
  /// output = layers(input). With `keep_for_backward`, keeps what backward() needs.
  virtual void forward(const Tensor& input, Tensor& output, bool keep_for_backward) = 0;
  /// From g = ∂L/∂output of the last forward(…, true): writes ∂L/∂input to `grad_input` (when
  /// not null) and adds ∂L/∂parameters to `grad_parameters` (when not empty).
  virtual void backward(const Tensor& grad_output, Tensor* grad_input, std::span<float> grad_parameters) = 0;
  /// How forward(…, false) can be cut into tiles without changing a bit (`winograd`), or any
  /// more than float rounding (`reference`: Eigen's GEMM blocks depend on the matrix sizes).
  virtual TilingRule tiling_rule() const = 0;
};

std::unique_ptr<ConvStack> make_conv_stack(const NetworkArchitecture& architecture, ConvBackend backend);

}  // namespace tweedie
